"""The rule model: a rule matches facts (`when`) and has effects (`then`); a rule base holds the
rules with their parameters, in stages, and the lean rule sets that what-if and the interview use.

Rules run in stages: a stage sees the base facts and everything earlier stages derived, so a
negated pattern (`none:`) may only name kinds that are complete before its stage begins
(stratified negation; durable-rules does not retract an activation when a negated fact arrives
later).
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from ..catalogue import Text
from .kinds import VARIANT_KINDS

SEVERITIES = ("high", "medium", "low")
# The effects that can move a score or a verdict (a risk only when it carries points).
SCORING_EFFECTS = ("derive", "contribute", "exclude", "cover", "keep")
EFFECT_TYPES = ("derive", "contribute", "exclude", "cover", "risk", "miss", "note", "stack", "partial", "keep")
# Fields every effect of a type must give.
EFFECT_FIELDS: dict[str, tuple[str, ...]] = {
    "derive": ("kind",),
    "contribute": ("tool", "points"),
    "exclude": ("tool", "requirement"),
    "cover": ("tool", "requirement", "by"),
    "risk": ("tool", "severity"),
    "miss": ("tool", "requirement"),
    "note": ("tool",),
    "stack": ("tool", "component", "layer"),
    "partial": ("tool", "requirement"),  # a must met only in part: the pick is a partial fit
    "keep": ("tool", "layer"),  # the team already runs this tool for that layer
}
# durable-rules' action context already has these attributes.
RESERVED_ALIASES = {"s", "m", "host", "assert_fact", "retract_fact", "post", "get_facts", "delete_state"}
BATCH = 100_000  # matches handed to one action call at most
START_RULE, START_KIND = "__start", "__start"
OPERATORS = {"gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Effect(_Strict):
    type: str
    fields: dict[str, Any]
    text: Text = Field(default_factory=dict)
    evidence: list[str] = Field(default_factory=list)  # aliases whose facts' evidence is cited


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_.-]*$")
    description: Annotated[Text, BeforeValidator(lambda v: {"en": v} if isinstance(v, str) else v)]
    stage: int = Field(default=1, ge=1, le=9)
    when: list[dict[str, dict[str, Any]]] = Field(min_length=1)
    then: list[dict[str, Any]] = Field(min_length=1)

    @field_validator("when")
    @classmethod
    def _one_alias_each(cls, patterns: list[dict[str, dict[str, Any]]]) -> list[dict[str, dict[str, Any]]]:
        for pattern in patterns:
            if len(pattern) != 1:
                raise ValueError("each `when` item is one `alias: {field: value}` mapping")
        return patterns

    @field_validator("then")
    @classmethod
    def _one_effect_each(cls, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for item in items:
            if len(item) != 1:
                raise ValueError("each `then` item is one `effect: {field: value}` mapping")
            (_etype, body), = item.items()
            if not isinstance(body, dict):
                raise ValueError("an effect's body is a mapping of fields, e.g. `note: {tool: $cap.tool, text: ...}`")
            text = body.get("text", {})
            if not isinstance(text, dict) or not all(isinstance(v, str) for v in text.values()):
                raise ValueError("`text` is a mapping of language to template, e.g. `{en: ..., ko: ...}`")
            evidence = body.get("evidence", [])
            if not isinstance(evidence, (list, str)):
                raise ValueError("`evidence` lists the aliases whose facts' evidence is cited")
        return items

    def patterns(self) -> list[tuple[str, dict[str, Any]]]:
        return self._patterns

    @cached_property
    def _patterns(self) -> list[tuple[str, dict[str, Any]]]:
        return [next(iter(p.items())) for p in self.when]

    def effects(self) -> list[Effect]:
        return self._effects

    @cached_property
    def _effects(self) -> list[Effect]:
        out = []
        for item in self.then:
            (etype, body), = item.items()
            body = dict(body or {})
            text = body.pop("text", {})
            evidence = body.pop("evidence", [])
            out.append(Effect(type=etype, fields=body, text=text,
                              evidence=evidence if isinstance(evidence, list) else [evidence]))
        return out


class Parameters(_Strict):
    importance_weights: dict[Literal["must", "high", "medium", "nice", "avoid"], float]
    level_factors: dict[Literal["native", "companion", "plugin", "partial", "none"], float]
    level_names: dict[str, Text]
    severity_names: dict[str, Text] = Field(default_factory=dict)
    messages: dict[str, Text] = Field(default_factory=dict)
    # The most single-change re-runs one what-if analysis makes: the cost bound for a file that
    # states every requirement. Changes that can touch a must go first, then the largest weights.
    what_if_max_runs: int = Field(default=40, ge=1)
    # A re-run costs in proportion to the requirements it states: at most budget / stated re-runs.
    what_if_budget: int = Field(default=300, ge=1)
    # Where confidence drops: a lead below `thin` points is low, below `moderate` medium; fewer than
    # `few_requirements` stated requirements is low.
    confidence: dict[str, float] = Field(
        default_factory=lambda: {"thin": 3.0, "moderate": 10.0, "few_requirements": 3.0})
    # Named value lists a rule's `in:` / `not_in:` refers to as `$set.NAME` (said once, used often).
    sets: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], list[str]] = Field(default_factory=dict)
    # Named point factors an effect's `points` refers to as `$points.NAME`.
    points: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], int | float] = Field(default_factory=dict)

    @property
    def thin_lead(self) -> float:
        """A lead (score points) too small to call: low confidence, and no reason to switch tools."""
        return self.confidence.get("thin", 3.0)

    def what_if_cap(self, stated: int) -> int:
        """The most single-change re-runs for a file stating `stated` requirements (at least one)."""
        return max(1, min(self.what_if_max_runs, self.what_if_budget // max(stated, 1)))


# `$set.NAME` and `$points.NAME` name entries of parameters.yaml's `sets` and `points`, not aliases.
DSL_PREFIXES = ("set", "points")


class RuleFile(_Strict):
    rules: list[Rule] = Field(default_factory=list)


class RuleBase(_Strict):
    """Validated rules plus parameters, with a content digest that names the compiled rulesets."""

    directory: str
    parameters: Parameters
    rules: tuple[Rule, ...]
    files: dict[str, str]  # rule id -> file
    digest: str

    @property
    def stages(self) -> list[int]:
        return sorted({r.stage for r in self.rules})

    def _with_effects(self, types: tuple[str, ...], suffix: str) -> RuleBase:
        """The rules with an effect of these types (or a risk with points), as their own base."""
        kept = tuple(r for r in self.rules if any(
            e.type in types or (e.type == "risk" and "points" in e.fields) for e in r.effects()))
        # A subset of a checked base: nothing to validate again (and no schema to build for it).
        return RuleBase.model_construct(directory=self.directory, parameters=self.parameters, rules=kept,
                                        files={r.id: self.files[r.id] for r in kept}, digest=f"{self.digest}{suffix}")

    @cached_property
    def scoring_only(self) -> RuleBase:
        """The rules that can move a score or a verdict, for what-if re-runs.

        Notes, misses, stack suggestions and point-free risks change no ranking, so re-running
        without them gives the same order faster.
        """
        return self._with_effects(SCORING_EFFECTS, "s")

    @cached_property
    def verdict_only(self) -> RuleBase:
        """The rules that decide which musts keep a tool out: exclusions, the covers that lift
        them, and every rule deriving a fact those rules match or negate. A no-fit what-if asks
        first only which musts each variant still fails; scores are needed only where none does.
        """
        # Rules are told apart by id (unique in a checked base): comparing the models themselves
        # walks every field, which cost a fifth of a second per process.
        needed: set[str] = set()
        kept: set[str] = set()
        pending = [r for r in self.rules if any(e.type in ("exclude", "cover") for e in r.effects())]
        while pending:
            rule = pending.pop()
            if rule.id in kept:
                continue
            kept.add(rule.id)
            needed.update(str(p.get("kind")) for _alias, p in rule.patterns())
            pending += [r for r in self.rules if r.id not in kept and any(
                e.type == "derive" and e.fields.get("kind") in needed for e in r.effects())]
        ordered = tuple(r for r in self.rules if r.id in kept)
        return RuleBase.model_construct(directory=self.directory, parameters=self.parameters, rules=ordered,
                                        files={r.id: self.files[r.id] for r in ordered}, digest=f"{self.digest}v")

    @cached_property
    def scoring_and_stacks(self) -> RuleBase:
        """The scoring rules and the stack suggestions: what an outcome (top pick and stack) needs."""
        return self._with_effects((*SCORING_EFFECTS, "stack"), "k")

    @cached_property
    def in_worlds(self) -> RuleBase | None:
        """These rules rewritten to evaluate several variants of one team's requirements (worlds)
        in one engine session: the knowledge and context facts are asserted once and shared.

        Facts built from the requirements carry a world number `w`. A rule that matches one joins
        every world fact it matches on that `w` and stamps it on what it derives, so worlds never
        meet; a rule that matches no world fact holds in every world. None when a rule cannot be
        rewritten so (it negates a world kind before binding one, or derives a world kind from
        shared facts alone); the caller then evaluates each variant on its own.
        """
        world = set(VARIANT_KINDS)
        changed = True
        while changed:  # a kind derived from a world fact belongs to that world too
            changed = False
            for rule in self.rules:
                if any(alias != "none" and p.get("kind") in world for alias, p in rule.patterns()):
                    for effect in rule.effects():
                        kind = effect.fields.get("kind")
                        if effect.type == "derive" and kind not in world:
                            world.add(str(kind))
                            changed = True
        rewritten = []
        for rule in self.rules:
            first: str | None = None
            when: list[dict[str, dict[str, Any]]] = []
            for alias, pattern in rule.patterns():
                if pattern.get("kind") in world:
                    if first is not None:
                        pattern = {**pattern, "w": f"${first}.w"}
                    elif alias == "none":
                        return None
                    else:
                        first = alias
                when.append({alias: pattern})
            then: list[dict[str, Any]] = []
            for item in rule.then:
                (etype, body), = item.items()
                if etype == "derive" and body.get("kind") in world:
                    if first is None:
                        return None
                    body = {**body, "w": f"${first}.w"}
                then.append({etype: body})
            rewritten.append(Rule.model_construct(id=rule.id, description=rule.description, stage=rule.stage,
                                                  when=when, then=then))
        return RuleBase.model_construct(directory=self.directory, parameters=self.parameters, rules=tuple(rewritten),
                                        files=self.files, digest=f"{self.digest}w")

    @cached_property
    def patterns_by_kind(self) -> dict[str, list[tuple[Rule, int, str, dict[str, Any]]]]:
        """Every pattern of every rule, by the fact kind it matches: (rule, position, alias, pattern)."""
        found: dict[str, list[tuple[Rule, int, str, dict[str, Any]]]] = {}
        for rule in self.rules:
            for index, (alias, pattern) in enumerate(rule.patterns()):
                found.setdefault(str(pattern.get("kind")), []).append((rule, index, alias, pattern))
        return found

    @cached_property
    def memo(self) -> dict[Any, Any]:
        """What weight_only.py worked out from these rules alone, by question: (fact, changed fact
        or None) -> whether the change is a weight only or a drop only; ("read", rule id, pattern
        position) -> the fields other patterns and effects read. The answers depend on the rules
        only, and a what-if analysis asks the same few again and again; their number is bounded by
        the catalogue and the importances."""
        return {}

    @cached_property
    def effects_by_rule(self) -> dict[str, list[Effect]]:
        return {r.id: r.effects() for r in self.rules}

    @cached_property
    def literal_caps(self) -> frozenset[str]:
        """Capabilities a rule names literally in a `cap` pattern: their facts are always needed."""
        found: set[str] = set()
        for rule in self.rules:
            for _alias, pattern in rule.patterns():
                if pattern.get("kind") == "cap" and isinstance(pattern.get("req"), str) \
                        and not pattern["req"].startswith("$"):
                    found.add(pattern["req"])
        return frozenset(found)

    def stage_needs(self, stage: int) -> list[frozenset[str]]:
        """Per rule of a stage, the fact kinds its positive patterns need (derived kinds excluded:
        a rule can still fire on what the stage's own actions derive)."""
        return self._stage_needs[stage]

    @cached_property
    def _stage_needs(self) -> dict[int, list[frozenset[str]]]:
        return {stage: [frozenset(str(p.get("kind")) for alias, p in rule.patterns()
                                  if alias != "none" and str(p.get("kind")) not in self.stage_derived(stage))
                        for rule in self.rules if rule.stage == stage]
                for stage in self.stages}

    def stage_derived(self, stage: int) -> frozenset[str]:
        """The fact kinds the actions of a stage's rules derive."""
        return self._stage_derived[stage]

    @cached_property
    def _stage_derived(self) -> dict[int, frozenset[str]]:
        return {stage: frozenset(str(e.fields.get("kind")) for r in self.rules if r.stage == stage
                                 for e in r.effects() if e.type == "derive")
                for stage in self.stages}

    def stage_negated(self, stage: int) -> frozenset[str]:
        """The fact kinds a stage's rules negate (`none:`): asserted first, so a negation sees them."""
        return self._stage_negated[stage]

    @cached_property
    def _stage_negated(self) -> dict[int, frozenset[str]]:
        return {stage: frozenset(str(pattern.get("kind")) for rule in self.rules if rule.stage == stage
                                 for alias, pattern in rule.patterns() if alias == "none") for stage in self.stages}

    def negation_rank(self, stage: int) -> dict[str, int]:
        """The order in which a stage's negated kinds go in: a rule's negated kinds before the kinds
        it matches (a match, once made, is not undone by a negated fact that comes later). By
        stage; a kind in a cycle (the checker reports one) keeps its place after the rest."""
        return self._negation_rank[stage]

    @cached_property
    def _negation_rank(self) -> dict[int, dict[str, int]]:
        return {stage: negation_order(self.rules, stage)[0] for stage in self.stages}

    def stage_kinds(self, stage: int) -> frozenset[str]:
        """The fact kinds the rules of a stage match: only those are asserted into it."""
        return self._stage_kinds[stage]

    @cached_property
    def _stage_kinds(self) -> dict[int, frozenset[str]]:
        return {stage: frozenset(str(pattern.get("kind")) for rule in self.rules if rule.stage == stage
                                 for _alias, pattern in rule.patterns()) for stage in self.stages}

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def negation_order(rules: tuple[Rule, ...] | list[Rule], stage: int) -> tuple[dict[str, int], list[str]]:
    """A rank for each kind a stage negates, so that a rule whose matched kinds are all negated in
    the stage too (its match can complete within the negated facts) sees its negated kinds first;
    and the kinds left in a cycle (no such order exists for them)."""
    in_stage = [r for r in rules if r.stage == stage]
    negated = {str(p.get("kind")) for r in in_stage for a, p in r.patterns() if a == "none"}
    before: dict[str, set[str]] = {k: set() for k in negated}  # kind -> kinds that must precede it
    for rule in in_stage:
        kinds = [(a, str(p.get("kind"))) for a, p in rule.patterns()]
        positive = {k for a, k in kinds if a != "none"}
        if not positive <= negated:
            continue  # a match completes on a fact that goes in after every negated one
        for kind in positive:
            before[kind].update(k for a, k in kinds if a == "none" and k != kind)
    rank: dict[str, int] = {}
    while len(rank) < len(before):
        ready = sorted(k for k, deps in before.items() if k not in rank and deps <= rank.keys())
        if not ready:
            break
        for kind in ready:
            rank[kind] = len(rank)
    cycle = sorted(k for k in before if k not in rank)
    for kind in cycle:
        rank[kind] = len(rank)
    return rank, cycle
