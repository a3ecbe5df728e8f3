"""The library's public data: what goes in (Requirements) and what comes out (Recommendation)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StrictInt, field_validator

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class _Model(BaseModel):
    # Schemas are built on first use, not at import: a CLI run that never touches a model
    # does not pay for it.
    model_config = ConfigDict(defer_build=True)


Importance = Literal["must", "high", "medium", "nice", "avoid"]
IMPORTANCE_ORDER: tuple[Importance, ...] = ("must", "high", "medium", "nice", "avoid")
# "unsuited": no must fails, but the score is 0 (it meets nothing asked, or its risks outweigh what
# it meets), so it is no candidate either.
# "partial": the pick, but a must is met only in part (a controller that serves some of the team's
# workload kinds, a router it drives in part): the best there is, not a full fit.
Verdict = Literal["recommended", "partial", "viable", "unsuited", "excluded"]


class Context(_Model):
    """What the rules read but do not score by itself."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    traffic_router: str | None = None
    metrics_provider: str | None = None
    platform: str | None = None
    already_using: list[str] = Field(default_factory=list)
    workload_kinds: list[str] = Field(default_factory=list)
    clusters: StrictInt | None = Field(default=None, ge=1, le=100_000)


# The importance as people write it, and as the wizard labels it: "Must", "Nice to have",
# "must — exclude tools without it", "필수(must)", "있으면 좋음".
_IMPORTANCE_WORDS: dict[str, Importance] = {
    "nice to have": "nice", "nice-to-have": "nice", "must have": "must", "must-have": "must",
    "필수": "must", "높음": "high", "중간": "medium", "보통": "medium", "있으면 좋음": "nice", "회피": "avoid",
}


def importance_of(value: object) -> object:
    """The importance a value means, or the value unchanged when it names none (validation reports it)."""
    if not isinstance(value, str):
        return value
    word = value.strip().lower()
    if word in IMPORTANCE_ORDER:
        return word
    if word in _IMPORTANCE_WORDS:
        return _IMPORTANCE_WORDS[word]
    head = re.split(r"\s+[—–-]\s+", word, maxsplit=1)[0].strip()  # "must — exclude tools without it"
    bracketed = re.fullmatch(r"[^()]*\((\w+)\)", word)  # "필수(must)"
    for candidate in (head, bracketed.group(1) if bracketed else ""):
        if candidate in IMPORTANCE_ORDER:
            return candidate
        if candidate in _IMPORTANCE_WORDS:
            return _IMPORTANCE_WORDS[candidate]
    return value


class Requirements(_Model):
    """A team's requirements: requirement id -> importance, plus context and notes."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    version: Literal[1] = 1
    context: Context = Field(default_factory=Context)
    requirements: dict[str, Importance] = Field(default_factory=dict)
    notes: str | None = None

    @field_validator("version", mode="before")
    @classmethod
    def _exactly_one(cls, value: object) -> object:
        # `true` and `1.0` equal 1 in Python, but they are not the version this format names.
        if type(value) is not int:
            raise ValueError("version must be the integer 1")
        return value

    @field_validator("requirements", mode="before")
    @classmethod
    def _importance_as_written(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: importance_of(v) for k, v in value.items()}
        return value

    @field_validator("notes")
    @classmethod
    def _no_control_characters(cls, value: str | None) -> str | None:
        # An escape sequence in notes would drive the reader's terminal: show it, do not send it.
        if value is None:
            return None
        return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


ExplanationKind = Literal["meets", "misses", "penalty", "bonus", "note"]


class Explanation(_Model):
    """One line of HOW: a rule that fired for this tool, with its points and evidence."""

    rule: str
    kind: ExplanationKind
    requirement: str | None = None
    component: str | None = None
    level: str | None = None
    points: float = 0.0
    text: str
    evidence: list[str] = Field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.points:+.1f} {self.text}" if self.points else self.text


class Risk(_Model):
    """A risk of choosing the tool (a missing must covered only partly, an alpha feature, ...)."""

    rule: str
    severity: Literal["high", "medium", "low"]
    requirement: str | None = None
    text: str
    evidence: list[str] = Field(default_factory=list)

    def __str__(self) -> str:
        return self.text


class Exclusion(_Model):
    """A must the tool does not meet, which keeps it from being the pick."""

    rule: str
    requirement: str
    text: str
    evidence: list[str] = Field(default_factory=list)

    def __str__(self) -> str:
        return self.text


class Cover(_Model):
    """A must the tool lacks that a documented partner provides, so a stack still meets it."""

    rule: str
    requirement: str
    by: str
    text: str
    evidence: list[str] = Field(default_factory=list)

    def __str__(self) -> str:
        return self.text


class WhyNot(_Model):
    """Where a tool lost points against the winner, one requirement at a time."""

    requirement: str
    winner_points: float
    tool_points: float
    difference: float
    text: str

    def __str__(self) -> str:
        return self.text


# The verdicts of a tool that can be the pick.
CANDIDATE_VERDICTS = ("recommended", "partial", "viable")


class ToolResult(_Model):
    """One tool's place in the ranking and every reason for it.

    `score` (0-100) orders the tools; `verdict` says whether the tool can be the pick
    ("recommended", "partial" when a must is met only in part, "viable") or not ("unsuited": it
    scores 0 although no must excludes it, `unsuited_because` says why; "excluded": a must is not
    met). `explanations` are the lines that gave or cost points, each with its rule and evidence;
    `exclusions`, `risks`, `covers` (a partner meeting a must) and `partial_musts` say the rest;
    `in_stack` marks a partner deployed with the pick, `keeps` the layers the team already runs it
    for; `why_not` lists where the tool lost points against the pick.
    `str()` gives "1. Argo: 93.4 (recommended)".
    """

    tool: str
    name: str
    rank: int
    score: float = Field(ge=0, le=100)
    verdict: Verdict
    explanations: list[Explanation]
    risks: list[Risk] = Field(default_factory=list)
    exclusions: list[Exclusion] = Field(default_factory=list)
    covers: list[Cover] = Field(default_factory=list)
    musts_met: int = 0
    musts_total: int = 0
    why_not: list[WhyNot] = Field(default_factory=list)
    # Context bonuses the 100 cap took off, by rule: between two tools at 100, they still decide.
    beyond_cap: dict[str, float] = Field(default_factory=dict)
    partial_musts: list[str] = Field(default_factory=list)
    # Deployed as a partner in the pick's stack (not a second pick).
    in_stack: bool = False
    # Why an unsuited tool is unsuited although no must excludes it, e.g. "archived".
    unsuited_because: str = ""
    # The layers the team already runs this tool for (rule context.incumbent_keeps) where the keep
    # holds: no must forces a change and no candidate leads it by more than a thin lead, so it
    # orders before tools that lead it by no more than that.
    keeps: list[str] = Field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.rank}. {self.name}: {self.score:.1f} ({self.verdict})"

    @property
    def candidate(self) -> bool:
        """Whether the tool can be the pick: every must met (some perhaps in part) and something to show for it."""
        return self.verdict in CANDIDATE_VERDICTS

    @property
    def before_cap(self) -> float:
        """The tool's points before the 100 cap took any off (what-if re-runs keep no lines: this
        reads the score and the cut only)."""
        return round(sum(self.standing), 1)

    @property
    def standing(self) -> tuple[float, float]:
        """What orders tools before any tie-break: the score, then the bonus points beyond the cap."""
        return self.score, round(sum(self.beyond_cap.values()), 2)

    @property
    def risks_beyond_lines(self) -> list[Risk]:
        """Risks not already shown as a penalty line with the same rule and text."""
        shown = {(e.rule, e.text) for e in self.explanations}
        return [r for r in self.risks if (r.rule, r.text) not in shown]


class StackPart(_Model):
    """One piece of the suggested deployment and the layer it covers."""

    tool: str
    component: str
    name: str
    layer: str
    layer_title: str
    requirements: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)
    text: str = ""
    evidence: list[str] = Field(default_factory=list)
    # The team's platform when it offers this component managed (rule context.platform_ships_it).
    managed: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.layer_title})"


class NoFit(_Model):
    """No candidate: no tool (alone or in a documented stack) meets every must with a score above 0."""

    text: str
    failing: dict[str, list[str]]  # tool -> musts it cannot meet
    relaxations: list[list[str]]  # smallest sets of musts whose relaxation gives a fit
    conflicts: list[list[str]] = Field(default_factory=list)  # pairs of musts no one tool meets together

    def __str__(self) -> str:
        return self.text

    @property
    def nothing_scores(self) -> bool:
        """No must keeps a tool out: every tool is unsuited, so relaxing a must cannot help."""
        return not self.failing


class Factor(_Model):
    requirement: str
    difference: float


class Decisive(_Model):
    """What separates #1 from #2."""

    first: str
    second: str
    margin: float
    factors: list[Factor]
    text: str

    def __str__(self) -> str:
        return self.text


class WhatIf(_Model):
    """One single change to the requirements and the top pick it gives."""

    requirement: str
    importance_from: str
    importance_to: str  # "dropped" when the requirement is removed
    new_top: str | None  # None: no tool fits any more
    tie_with: str | None = None  # set when new_top only leads by the tie-break
    text: str

    def __str__(self) -> str:
        return self.text


class Sensitivity(_Model):
    robust: bool
    changes: list[WhatIf]
    runs: int  # single changes checked: engine re-runs, and those answered exactly from the first run
    relaxations_for_fit: list[list[str]] = Field(default_factory=list)
    leaders_after_relaxing: list[str] = Field(default_factory=list)  # the top pick after each relaxation
    text: str

    def __str__(self) -> str:
        return " ".join([self.text, *(c.text for c in self.changes)])


class Confidence(_Model):
    """How far to trust the pick: the level and the reasons for it (margin, claims, knowledge age)."""

    level: Literal["high", "medium", "low"]
    margin: float
    stated: int
    flagged_claims: list[str]  # "tool: requirement (vendor_claimed|disputed)" behind the winner's points
    knowledge_age_days: int
    stale: bool
    reasons: list[str]
    # What lowers the level besides the lead (few requirements, stale knowledge, fragility, flagged
    # claims), in a few words each: the answer line gives them beside the lead.
    causes: list[str] = Field(default_factory=list)
    # The language the reasons are written in, for str(); not part of the data.
    _lang: str = PrivateAttr(default="en")

    def __str__(self) -> str:
        from .strings import t

        head = t("md_confidence", self._lang, level=t("level_" + self.level, self._lang))
        return " ".join([head, *self.reasons])


class Recommendation(_Model):
    """What recommend() returns: the ranked tools, the stack to deploy, and why.

    `ranking` holds every tool, best first (`top` is the pick, or None when no tool fits; `no_fit`
    then says why and what to relax). `stack` is what to deploy, part by part. `order_reason` and
    `decisive` say what separates the first two, `sensitivity` which single change to the
    requirements would change the pick, `confidence` how far to trust it. Texts are in `lang`.
    `str()` gives the one-line answer, as the report's first line.
    """

    ranking: list[ToolResult]
    stack: list[StackPart] = Field(default_factory=list)
    no_fit: NoFit | None = None
    order_reason: str = ""
    knowledge_revision: str
    knowledge_as_of: str
    lang: str = "en"
    requirements: Requirements
    decisive: Decisive | None = None
    sensitivity: Sensitivity | None = None
    confidence: Confidence | None = None

    def __str__(self) -> str:
        return self.answer()

    def answer(self, title: Callable[[str], str] = str) -> str:
        """The answer in one sentence: the pick, what to deploy, and how sure (or the honest
        equivalent). `title` names a requirement id (default: the id)."""
        from .strings import t

        rec = self
        lang = rec.lang
        top = rec.top
        level = t("level_" + rec.confidence.level, lang) if rec.confidence else "?"
        if top is None:
            nothing = rec.no_fit is not None and rec.no_fit.nothing_scores
            return t("answer_nothing_scores" if nothing else "answer_no_fit", lang)
        stack = " + ".join(p.name for p in rec.stack) or top.name
        second = rec.ranking[1] if len(rec.ranking) > 1 else None
        causes = "; ".join(rec.confidence.causes) if rec.confidence else ""

        def pick(lead: str) -> str:
            lead = f"{lead}; {causes}" if causes else lead
            if top.verdict == "partial":  # a must met only in part: say which, not "Recommended"
                musts = ", ".join(title(m) for m in top.partial_musts)
                return t("answer_partial", lang, tool=top.name, stack=stack, level=level, lead=lead, musts=musts)
            return t("answer_pick", lang, tool=top.name, stack=stack, level=level, lead=lead)

        if second is None or not second.candidate:
            return pick(t("answer_only", lang))
        if top.keeps and top.standing <= second.standing and top.keeps != second.keeps:
            # The incumbent, kept although the runner-up scores as much (rule context.incumbent_keeps).
            return pick(t("answer_kept", lang, second=second.name))
        if top.score == second.score:
            beyond = round(top.standing[1] - second.standing[1], 1)
            if beyond > 0:  # both at the cap: the bonus points the cap took off decide
                return pick(t("answer_lead_beyond_cap", lang, second=second.name, margin=f"{beyond:.1f}"))
            return t("answer_tie", lang, first=top.name, second=second.name, score=f"{top.score:.1f}", stack=stack,
                     level=f"{level} ({causes})" if causes else level)
        return pick(t("answer_lead", lang, second=second.name, margin=f"{top.score - second.score:.1f}"))

    @property
    def top(self) -> ToolResult | None:
        """The pick: the first tool, when it can be one (every must met, a score above 0)."""
        return self.ranking[0] if self.ranking and self.ranking[0].candidate else None
