"""Problems in other languages, from recommender/problems.yaml (data, matched on the English)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import yaml

from .korean import particles


class Problem(Protocol):
    """What a translation reads of an errors.Problem (named here, so errors alone imports this module)."""

    @property
    def message(self) -> str: ...
    @property
    def fix(self) -> str: ...
    @property
    def where(self) -> str: ...


_FILE = Path(__file__).with_name("problems.yaml")
_WHERE = re.compile(r"line (\d+)(?:, column (\d+))?")


@lru_cache(maxsize=1)
def _all() -> list[dict[str, str]]:
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with _FILE.open(encoding="utf-8") as handle:
        raw: list[dict[str, str]] = yaml.load(handle, Loader=loader)
    return raw


@lru_cache(maxsize=1)
def _entries() -> list[tuple[re.Pattern[str], dict[str, str]]]:
    """Entries matched on a problem's message."""
    return [(re.compile(e["match"]), e) for e in _all() if "match" in e]


@lru_cache(maxsize=1)
def _fixes() -> list[tuple[re.Pattern[str], dict[str, str]]]:
    """Entries matched on a problem's fix: specific fixes (a did-you-mean, a list to choose from)."""
    return [(re.compile(e["match_fix"]), e) for e in _all() if "match_fix" in e]


def _values(found: re.Match[str]) -> dict[str, str]:
    # Pydantic lists choices as "'a', 'b' or 'c'": the English "or" has no place in a Korean sentence.
    return {k: (v or "").replace("' or '", "', '") for k, v in found.groupdict().items()}


def _where(where: str) -> str:
    def repl(m: re.Match[str]) -> str:
        return f"{m.group(1)}행" + (f", {m.group(2)}열" if m.group(2) else "")

    return _WHERE.sub(repl, where)


def translate(problem: Problem, lang: str) -> tuple[str, str, str, str]:
    """Message, fix, place and the fix label in `lang` (only Korean is provided)."""
    if lang != "ko":
        return problem.message, problem.fix, problem.where, "fix"
    message, fix = problem.message, problem.fix
    for pattern, entry in _entries():
        found = pattern.match(problem.message)
        if found:
            message = particles(entry["ko"].format(**_values(found)))  # agree with the values
            fix = entry["fix"]
            break
    # A specific fix (a "did you mean", the values to choose from) is more useful than the generic one.
    for pattern, entry in _fixes():
        found = pattern.match(problem.fix)
        if found:
            fix = particles(entry["ko"].format(**_values(found)))
            break
    return message, fix, _where(problem.where), "해결"
