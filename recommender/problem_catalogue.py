"""Problem texts by code (recommender/problems.yaml): each message's English and Korean, with its fix.

A Problem carries a code and its values; its text in a language is looked up here and filled in, so
no message is ever matched as English text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .korean import particles

_FILE = Path(__file__).with_name("problems.yaml")
_WHERE = re.compile(r"line (\d+)(?:, column (\d+))?")
FIX_LABEL = {"en": "fix", "ko": "해결"}


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, dict[str, str]]]:
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with _FILE.open(encoding="utf-8") as handle:
        raw: dict[str, dict[str, dict[str, str]]] = yaml.load(handle, Loader=loader)
    return raw


def _fill(template: str, params: dict[str, str], lang: str) -> str:
    text = template.format(**params)
    return particles(text) if lang == "ko" else text  # Korean particles agree with the values filled in


def message(code: str, lang: str, params: dict[str, str]) -> str:
    entry = catalogue()["messages"][code]
    return _fill(entry.get(lang) or entry["en"], params, lang)


def fix(code: str, fix_code: str, lang: str, params: dict[str, str]) -> str:
    """The fix: the specific one named by `fix_code`, else the message's own."""
    if fix_code:
        entry = catalogue()["fixes"][fix_code]
        return _fill(entry.get(lang) or entry["en"], params, lang)
    entry = catalogue()["messages"][code]
    template = entry.get(f"fix_{lang}") if lang != "en" else entry.get("fix")
    return _fill(template if template is not None else entry.get("fix", ""), params, lang)


def where(place: str, lang: str) -> str:
    """A place in a file ("line 3, column 2") in a language."""
    if lang != "ko":
        return place

    def repl(m: re.Match[str]) -> str:
        return f"{m.group(1)}행" + (f", {m.group(2)}열" if m.group(2) else "")

    return _WHERE.sub(repl, place)
