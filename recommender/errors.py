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
        return self.render("en")

    def render(self, lang: str = "en") -> str:
        """The problem as a line (and its fix) in a language; English when no translation matches."""
        message, fix, where, fix_label = self.message, self.fix, self.where, "fix"
        if lang != "en":
            from .problem_texts import translate

            message, fix, where, fix_label = translate(self, lang)
        text = f"{self.file}: {where}: {message}" if where else f"{self.file}: {message}"
        return f"{text}\n  {fix_label}: {fix}" if fix else text


@dataclass
class InputError(Exception):
    """Raised with every problem found in an input, not just the first."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def render(self, lang: str = "en") -> str:
        return "\n".join(p.render(lang) for p in self.problems)


class EngineError(RuntimeError):
    """A rule action failed inside the rule engine; never swallowed."""


class WorkerDied(EngineError):
    """A batch worker process died (killed, out of memory): the run stops and names the file."""
