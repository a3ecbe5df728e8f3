"""Report and CLI strings by language (recommender/strings.yaml, recommender/help.yaml).

Imports nothing but PyYAML, so that building --help stays cheap."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_STRINGS = Path(__file__).with_name("strings.yaml")
_HELP = Path(__file__).with_name("help.yaml")
LANGS = ("en", "ko")


def pick(text: dict[str, str], lang: str) -> str:
    """The text in a language, falling back to English."""
    return text.get(lang) or text.get("en", "")


def _load(path: Path) -> dict[str, dict[str, str]]:
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        data: dict[str, dict[str, str]] = yaml.load(handle, Loader=loader)
    return data


@lru_cache(maxsize=1)
def _strings() -> dict[str, dict[str, str]]:
    return _load(_STRINGS)


def help_texts(lang: str) -> dict[str, str]:
    """The command line's --help in one language, English where a text is missing."""
    return {key: pick(texts, lang) for key, texts in _load(_HELP).items()}


def t(key: str, lang: str = "en", **values: Any) -> str:
    """The string `key` in `lang` (English when missing), with `{name}` values filled in."""
    text = pick(_strings()[key], lang)
    if not values:
        return text
    filled = text.format(**values)
    if lang == "ko" and "(" in text:
        from .korean import particles  # the particles after the values agree with them

        return particles(filled)
    return filled


def missing_translations() -> list[str]:
    """'key: file' for every string without a text in one of LANGS."""
    return [f"{key}: {path.name}" for path, table in ((_STRINGS, _strings()), (_HELP, _load(_HELP)))
            for key, texts in table.items() for lang in LANGS if not texts.get(lang)]
