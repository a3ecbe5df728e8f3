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
def _entries() -> list[tuple[re.Pattern[str], dict[str, str]]]:
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with _FILE.open(encoding="utf-8") as handle:
        raw: list[dict[str, str]] = yaml.load(handle, Loader=loader)
    return [(re.compile(e["match"]), e) for e in raw]


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
            message = particles(entry["ko"].format(**found.groupdict()))  # agree with the values
            # A specific fix (a "did you mean") is more useful than the generic one: keep it.
            specific = ("did you mean", "use one of", "the fields here are")
            fix = problem.fix if any(s in problem.fix for s in specific) else entry["fix"]
            fix = fix.replace("did you mean", "혹시").replace("use one of:", "다음 중 하나:")
            fix = fix.replace("remove it; the fields here are:", "지우세요. 여기에 쓸 수 있는 필드:")
            fix = fix.replace("allowed:", "허용 값:")
            break
    return message, fix, _where(problem.where), "해결"
