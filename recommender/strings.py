"""Report and CLI strings by language (recommender/strings.yaml)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .catalogue import pick

_FILE = Path(__file__).with_name("strings.yaml")
LANGS = ("en", "ko")


@lru_cache(maxsize=1)
def _strings() -> dict[str, dict[str, str]]:
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with _FILE.open(encoding="utf-8") as handle:
        data: dict[str, dict[str, str]] = yaml.load(handle, Loader=loader)
    return data


def t(key: str, lang: str = "en", **values: Any) -> str:
    """The string `key` in `lang` (English when missing), with `{name}` values filled in."""
    text = pick(_strings()[key], lang)
    return text.format(**values) if values else text


def missing_translations() -> list[str]:
    return [key for key, texts in _strings().items() for lang in LANGS if not texts.get(lang)]
