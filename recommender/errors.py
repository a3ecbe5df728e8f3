"""Errors the library raises for bad input: each names the file, the place and the fix."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file."""

    file: str
    where: str  # "line 4, column 3" or a field path such as "requirements.canary"
    message: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"
        return f"{text}\n  fix: {self.fix}" if self.fix else text


@dataclass
class InputError(Exception):
    """Raised with every problem found in an input, not just the first."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class EngineError(RuntimeError):
    """A rule action failed inside the rule engine; never swallowed."""
