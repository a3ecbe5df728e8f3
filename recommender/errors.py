"""Errors the library raises for bad input: each names the file, the place and the fix."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file.

    `code` names the message in recommender/problems.yaml and `params` the values it is filled with,
    so it reads in any language the catalogue has; `fix_code` names a specific fix there. Make one
    with Problem.of(). A problem with no code (about knowledge and rule files, for their authors) is
    in English.
    """

    file: str
    where: str  # "line 4, column 3" or a field path such as "requirements.canary"
    message: str
    fix: str = ""
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()
    fix_code: str = ""

    @classmethod
    def of(cls, file: str, where: str, code: str, *, fix: str = "", **params: object) -> Problem:
        """The problem `code` with these values; its English text comes from the catalogue."""
        from . import problem_catalogue as texts

        values = {k: str(v) for k, v in params.items()}
        return cls(file, where, texts.message(code, "en", values), texts.fix(code, fix, "en", values), code,
                   tuple(sorted(values.items())), fix)

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str = "en") -> str:
        """The problem as a line (and its fix) in a language; English where the catalogue has no text."""
        from . import problem_catalogue as texts

        message, fix, where = self.message, self.fix, texts.where(self.where, lang)
        if lang != "en" and self.code:
            values = dict(self.params)
            message = texts.message(self.code, lang, values)
            fix = texts.fix(self.code, self.fix_code, lang, values) if fix else ""
        label = texts.FIX_LABEL.get(lang, "fix")
        text = f"{self.file}: {where}: {message}" if where else f"{self.file}: {message}"
        return f"{text}\n  {label}: {fix}" if fix else text


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
