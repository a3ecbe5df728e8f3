"""Rules as data (rules/*.yaml): validated on load and compiled onto durable-rules rulesets.

A rule matches facts (`when`) and has effects (`then`). Facts are flat dicts with a `kind`.
Rules run in stages: a stage sees the base facts and everything earlier stages derived, so a
negated pattern (`none:`) may only name kinds that are complete before its stage begins
(stratified negation; durable-rules does not retract an activation when a negated fact arrives
later).
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from ..catalogue import Catalogue, Text
from ..errors import InputError, Problem
from ..knowledge import LEVELS
from ..resources import bundled_dir
from ..validation import validate
from ..yamlio import load_yaml
from .kinds import BASE_KINDS, SUPPORT_KINDS, VARIANT_KINDS

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
_OPS = {"gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte"}


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
                raise ValueError("an effect's body is a mapping of fields, e.g. `note: {tool: $c.tool, text: ...}`")
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
    # Where confidence drops: a lead below `thin` points is low, below `moderate` medium; fewer than
    # `few_requirements` stated requirements is low.
    confidence: dict[str, float] = Field(
        default_factory=lambda: {"thin": 3.0, "moderate": 10.0, "few_requirements": 3.0})
    # Named value lists a rule's `in:` / `not_in:` refers to as `$set.NAME` (said once, used often).
    sets: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], list[str]] = Field(default_factory=dict)
    # Named point factors an effect's `points` refers to as `$points.NAME`.
    points: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], int | float] = Field(default_factory=dict)


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
        return RuleBase(directory=self.directory, parameters=self.parameters, rules=kept,
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
        needed: set[str] = set()
        kept: list[Rule] = []
        pending = [r for r in self.rules if any(e.type in ("exclude", "cover") for e in r.effects())]
        while pending:
            rule = pending.pop()
            if rule in kept:
                continue
            kept.append(rule)
            needed.update(str(p.get("kind")) for _alias, p in rule.patterns())
            pending += [r for r in self.rules if r not in kept and any(
                e.type == "derive" and e.fields.get("kind") in needed for e in r.effects())]
        ordered = tuple(r for r in self.rules if r in kept)
        return RuleBase(directory=self.directory, parameters=self.parameters, rules=ordered,
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
            rewritten.append(Rule(id=rule.id, description=rule.description, stage=rule.stage, when=when, then=then))
        return RuleBase(directory=self.directory, parameters=self.parameters, rules=tuple(rewritten),
                        files=self.files, digest=f"{self.digest}w")

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


def load_rules(directory: Path | str | None = None, catalogue: Catalogue | None = None) -> RuleBase:
    """Load and validate a rules directory (the bundled one by default)."""
    root = Path(directory) if directory is not None else bundled_dir("rules")
    if not root.is_dir():
        raise InputError([Problem(str(root), "", "rules directory not found",
                                  "pass a directory holding parameters.yaml and rule files")])
    problems: list[Problem] = []
    params_path = root / "parameters.yaml"
    parameters = None
    if not params_path.is_file():
        problems.append(Problem(str(params_path), "", "missing", "copy parameters.yaml from the bundled rules"))
    else:
        try:
            parameters = validate(Parameters, load_yaml(params_path))
        except InputError as exc:
            problems += exc.problems
    rules: list[Rule] = []
    files: dict[str, str] = {}
    places: dict[str, str] = {}
    digest = hashlib.sha256()
    for path in sorted(root.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        if path.name == "parameters.yaml":
            continue
        try:
            doc = load_yaml(path)
            rule_file = validate(RuleFile, doc)
        except InputError as exc:
            problems += exc.problems
            continue
        for index, rule in enumerate(rule_file.rules):
            if parameters is not None:
                rule, unknown = resolve_names(rule, parameters)
                problems += [Problem(str(path), doc.where(("rules", index, *where)) + f" ({rule.id})", msg, fix)
                             for where, msg, fix in unknown]
            if rule.id in files:
                problems.append(Problem(str(path), doc.where(("rules", index, "id")),
                                        f"rule id {rule.id!r} also in {files[rule.id]}", "give each rule its own id"))
                continue
            files[rule.id] = str(path)
            places[rule.id] = doc.where(("rules", index)) + f" ({rule.id})"
            rules.append(rule)
    derived_fields: dict[str, set[str]] = {}
    for rule in rules:
        for effect in rule.effects():
            if effect.type == "derive" and isinstance(effect.fields.get("kind"), str):
                derived_fields.setdefault(effect.fields["kind"], {"kind"}).update(effect.fields)
    for rule in rules:
        problems += [Problem(files[rule.id], places[rule.id], msg, fix)
                     for msg, fix in check_rule(rule, catalogue, derived_fields)]
    if not rules:
        problems.append(Problem(str(root), "", "no rules found", "add rule files with a `rules:` list"))
    problems += _check_strata(rules, files)
    if problems:
        raise InputError(problems)
    assert parameters is not None
    if catalogue is not None:
        digest.update(catalogue.model_dump_json().encode())
    return RuleBase(directory=str(root), parameters=parameters, rules=tuple(rules), files=files,
                    digest=digest.hexdigest()[:16])


def resolve_names(rule: Rule, parameters: Parameters) -> tuple[Rule, list[tuple[tuple[Any, ...], str, str]]]:
    """The rule with its `$set.NAME` and `$points.NAME` references replaced by the values
    parameters.yaml gives them, and a problem (its path in the rule, message, fix) for each name it
    does not define. The rest of the library (checker, compiler, trace) sees only plain values."""
    problems: list[tuple[tuple[Any, ...], str, str]] = []

    def named(value: Any, prefix: str, table: dict[str, Any], path: tuple[Any, ...]) -> tuple[bool, Any]:
        if not (isinstance(value, str) and value.startswith(f"${prefix}.")):
            return False, value
        name = value[len(prefix) + 2:]
        if name in table:
            return True, table[name]
        section = "sets" if prefix == "set" else prefix
        close = difflib.get_close_matches(name, list(table), n=1)
        known = f"did you mean {close[0]!r}?" if close else \
            "use one of: " + (", ".join(sorted(table)) or f"(none: `{section}:` is empty)")
        problems.append((path, f"{value!r} names no {prefix} in parameters.yaml",
                         f"{known} Or define it under `{section}:` in parameters.yaml"))
        return True, value

    def values(operand: Any, path: tuple[Any, ...]) -> Any:
        """An `in:` / `not_in:` operand: a named set, or a list whose named sets are spliced in."""
        found, value = named(operand, "set", parameters.sets, path)
        if found:
            return list(value) if isinstance(value, list) else value
        if not isinstance(operand, list):
            return operand
        out: list[Any] = []
        for n, item in enumerate(operand):
            found, value = named(item, "set", parameters.sets, (*path, n))
            out += value if found and isinstance(value, list) else [value]
        return out

    def misplaced(value: Any, path: tuple[Any, ...]) -> None:
        """A name where it means nothing: it would reach the engine as an unbound alias."""
        for n, item in enumerate(value) if isinstance(value, list) else [(None, value)]:
            if isinstance(item, str) and item.startswith(("$set.", "$points.")):
                problems.append(((*path, n) if n is not None else path, f"{item!r} cannot stand here",
                                 "a $set.NAME goes in an `in:` or `not_in:` list; a $points.NAME in `points`"))

    when: list[dict[str, dict[str, Any]]] = []
    for index, (alias, pattern) in enumerate(rule.patterns()):
        for field, value in pattern.items():
            for op, operand in value.items() if isinstance(value, dict) else [(None, value)]:
                if op not in ("in", "not_in"):
                    misplaced(operand, ("when", index, alias, field, *([op] if op else [])))
        resolved = {field: {op: values(operand, ("when", index, alias, field, op)) if op in ("in", "not_in")
                            else operand for op, operand in value.items()} if isinstance(value, dict) else value
                    for field, value in pattern.items()}
        when.append({alias: resolved})
    then: list[dict[str, Any]] = []
    for index, item in enumerate(rule.then):
        (etype, body), = item.items()
        for field, value in body.items():
            if field != "points":
                misplaced(value, ("then", index, etype, field))
        points = body.get("points")
        if points is not None:
            path = ("then", index, etype, "points")
            misplaced([p if isinstance(p, str) and p.startswith("$set.") else None
                       for p in (points if isinstance(points, list) else [points])], path)
            if isinstance(points, list):
                body = {**body, "points": [named(p, "points", parameters.points, (*path, n))[1]
                                           for n, p in enumerate(points)]}
            else:
                body = {**body, "points": named(points, "points", parameters.points, path)[1]}
        then.append({etype: body})
    if when == rule.when and then == rule.then:
        return rule, problems
    return Rule(id=rule.id, description=rule.description, stage=rule.stage, when=when, then=then), problems


def derived_kinds(rules: list[Rule] | tuple[Rule, ...]) -> dict[str, int]:
    """Each derived fact kind and the first stage that derives it."""
    kinds: dict[str, int] = {}
    for rule in rules:
        for effect in rule.effects():
            if effect.type == "derive":
                kind = str(effect.fields.get("kind"))
                kinds[kind] = min(kinds.get(kind, rule.stage), rule.stage)
    return kinds


def _check_strata(rules: list[Rule], files: dict[str, str]) -> list[Problem]:
    problems = []
    derived = derived_kinds(rules)
    last_stage: dict[str, int] = {}
    for rule in rules:
        for effect in rule.effects():
            if effect.type == "derive":
                kind = str(effect.fields.get("kind"))
                last_stage[kind] = max(last_stage.get(kind, 0), rule.stage)
    for rule in rules:
        for alias, pattern in rule.patterns():
            if not isinstance(pattern.get("kind"), str):
                continue
            kind = str(pattern["kind"])
            if kind not in BASE_KINDS and kind not in derived:
                problems.append(Problem(files[rule.id], rule.id, f"pattern {alias!r} matches kind {kind!r}, "
                                        "which no fact has and no rule derives",
                                        f"use a base kind ({', '.join(BASE_KINDS)}) or a derived one"))
            elif alias == "none" and last_stage.get(kind, 0) >= rule.stage:
                problems.append(Problem(files[rule.id], rule.id,
                                        f"negates kind {kind!r}, which is still derived in stage "
                                        f"{last_stage[kind]}", f"move the rule to stage {last_stage[kind] + 1}"))
            elif alias != "none" and derived.get(kind, 0) > rule.stage and kind not in BASE_KINDS:
                problems.append(Problem(files[rule.id], rule.id,
                                        f"matches kind {kind!r}, first derived in a later stage "
                                        f"({derived[kind]})", f"move the rule to stage {derived[kind]} or later"))
    return problems


TEMPLATE_NAMES = {"requirement", "tool", "component", "by", "owner", "with", "level", "note"}


def _check_template(template: str, aliases: list[str]) -> list[tuple[str, str]]:
    """A text template must parse and name only bound aliases and the names the ranker provides."""
    import string

    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        return [(f"template does not parse ({exc})", "balance the braces; write {{ and }} for literal ones")]
    problems = []
    for _literal, name, _spec, _conv in parts:
        if name is None:
            continue
        root = name.split(".", 1)[0].split("[", 1)[0]
        if root not in TEMPLATE_NAMES and root not in aliases:
            problems.append((f"template names {{{name}}}, which is neither an alias nor a known name",
                             f"use an alias from `when` or one of: {', '.join(sorted(TEMPLATE_NAMES))}"))
    return problems


def check_rule(rule: Rule, catalogue: Catalogue | None,
               derived_fields: dict[str, set[str]] | None = None) -> list[tuple[str, str]]:
    """Problems in one rule: unknown effect types, fields, aliases and ids."""
    problems: list[tuple[str, str]] = []
    aliases: list[str] = []
    derived_fields = derived_fields or {}

    def fields_of(kind: str) -> set[str] | None:
        if kind in BASE_KINDS:
            return {*BASE_KINDS[kind], "kind"}
        if kind in derived_fields:
            return derived_fields[kind]
        return None

    req_ids = set(catalogue.ids) if catalogue else set()
    groups = {g.id for g in catalogue.groups} if catalogue else set()
    contexts = catalogue.contexts if catalogue else {}

    kinds_of: dict[str, str] = {}

    def check_ref(value: str) -> None:
        ref_alias, _, ref_field = value[1:].partition(".")
        if ref_alias in DSL_PREFIXES:
            return  # left unresolved only when parameters.yaml failed to load, which is reported
        if ref_alias not in aliases:
            problems.append((f"refers to {value!r} before alias {ref_alias!r} is bound",
                             "bind the alias in an earlier `when` item"))
            return
        known = fields_of(kinds_of.get(ref_alias, ""))
        if not ref_field:
            problems.append((f"reference {value!r} names no field", "write `$alias.field`"))
        elif known is not None and ref_field not in known and ref_field != "kind":
            problems.append((f"{value!r}: fact kind {kinds_of[ref_alias]!r} has no field {ref_field!r}",
                             f"use one of: {', '.join(sorted(known))}"))

    def check_value(field: str, value: Any) -> None:
        if isinstance(value, str) and value.startswith("$"):
            check_ref(value)
            return
        if isinstance(value, dict):
            for op, operand in value.items():
                if op in ("in", "not_in"):
                    if isinstance(operand, str) and operand.startswith("$set."):
                        continue  # a set parameters.yaml does not define: reported when resolving
                    if not isinstance(operand, list):
                        problems.append((f"operator {op!r} takes a list, got {operand!r}",
                                         f"write `{op}: [a, b]`"))
                        continue
                    for item in operand:
                        check_value(field, item)
                elif op == "not":
                    check_value(field, operand)
                elif op not in _OPS and op != "exists":
                    problems.append((f"unknown operator {op!r}", "use in, not_in, not, gt, gte, lt, lte, exists"))
            return
        if not catalogue:
            return
        if field == "req" and value not in req_ids:
            problems.append((f"unknown requirement id {value!r}", "use an id from catalogue.yaml"))
        elif field == "group" and value not in groups:
            problems.append((f"unknown group {value!r}", f"use one of: {', '.join(sorted(groups))}"))
        elif field == "level" and value not in LEVELS and value not in ("supported",):
            problems.append((f"unknown level {value!r}", f"use one of: {', '.join(LEVELS)}"))
        elif field == "key" and value not in contexts:
            problems.append((f"unknown context key {value!r}", f"use one of: {', '.join(sorted(contexts))}"))

    for alias, pattern in rule.patterns():
        raw_kind = pattern.get("kind")
        kind = raw_kind if isinstance(raw_kind, str) else ""
        if alias in RESERVED_ALIASES:
            problems.append((f"alias {alias!r} is reserved by the engine", "pick another alias name"))
        elif alias in DSL_PREFIXES:
            problems.append((f"alias {alias!r} is reserved for `${alias}.NAME` references to parameters.yaml",
                             "pick another alias name"))
        if not kind:
            problems.append((f"pattern {alias!r} needs `kind: <fact kind>` (one word)", "add `kind: <fact kind>`"))
        fields = BASE_KINDS.get(kind)
        for field, value in pattern.items():
            if fields is not None and field != "kind" and field not in fields:
                problems.append((f"fact kind {kind!r} has no field {field!r}",
                                 f"use one of: {', '.join(fields)}"))
            if field == "value" and isinstance(value, str) and not value.startswith("$"):
                key = pattern.get("key")
                if isinstance(key, str) and key in contexts and contexts[key].values \
                        and value not in contexts[key].values:
                    problems.append((f"unknown value {value!r} for context {key!r}",
                                     f"use one of: {', '.join(contexts[key].values)}"))
                continue
            check_value(field, value)
        problems += _check_fact_scope(kind, pattern, kinds_of, rule)
        if alias != "none":
            aliases.append(alias)
            kinds_of[alias] = kind
    for effect in rule.effects():
        if effect.type not in EFFECT_TYPES:
            problems.append((f"unknown effect {effect.type!r}", f"use one of: {', '.join(EFFECT_TYPES)}"))
            continue
        for needed in EFFECT_FIELDS[effect.type]:
            if needed not in effect.fields:
                problems.append((f"effect {effect.type!r} needs field {needed!r}", f"add `{needed}:`"))
        if effect.type == "derive":
            for field, value in effect.fields.items():
                if isinstance(value, (list, dict)):
                    problems.append((f"derive field {field!r} holds a {type(value).__name__}; a fact holds single "
                                     "values", "write one value or one `$alias.field` reference"))
        severity = effect.fields.get("severity")
        if effect.type == "risk" and severity is not None and severity not in SEVERITIES:
            problems.append((f"unknown severity {severity!r}", f"use one of: {', '.join(SEVERITIES)}"))
        if effect.type != "derive" and "en" not in effect.text:
            problems.append((f"effect {effect.type!r} has no English text", "add `text: {en: ...}`"))
        for lang, template in effect.text.items():
            problems += [(f"text ({lang}): {msg}", fix) for msg, fix in _check_template(template, aliases)]
        points = effect.fields.get("points")
        if points is not None:
            for item in points if isinstance(points, list) else [points]:
                if isinstance(item, bool) or not (isinstance(item, (int, float))
                                                  or (isinstance(item, str) and item.startswith("$"))):
                    problems.append((f"points: {item!r} is neither a number nor a `$alias.field` reference",
                                     "write a number or a reference such as $r.weight"))
        for field, value in effect.fields.items():
            values = value if isinstance(value, list) else [value]
            for item in values:
                if isinstance(item, str) and item.startswith("$"):
                    check_value(field, item)
        for alias in effect.evidence:
            if alias not in aliases:
                problems.append((f"evidence names unbound alias {alias!r}", "name an alias from `when`"))
    return problems


def _check_fact_scope(kind: str, pattern: dict[str, Any], kinds_of: dict[str, str],
                      rule: Rule) -> list[tuple[str, str]]:
    """The facts builder asserts capability facts only for the stated requirements (and those a
    rule names), and support facts only for the team's context values; a pattern that could
    match the others would silently never fire."""
    if kind == "cap" and not isinstance(pattern.get("req"), str):
        return [("a `cap` pattern names its requirement", "write `req: <id>` or `req: $r.req` (r a `req` pattern)")]
    if kind in SUPPORT_KINDS:
        value, dim = pattern.get("value"), pattern.get("dim")
        alias = value[1:].partition(".")[0] if isinstance(value, str) and value.startswith("$") else ""
        source = dict(rule.patterns()).get(alias, {})
        # The team's traffic router is also read through `router` facts (stated or implied by the
        # requirements); the facts builder asserts the router table's `none` row for that case.
        via_router = kinds_of.get(alias) == "router" and dim == "traffic_router"
        if (not via_router and (kinds_of.get(alias) != "ctx" or source.get("key") != dim)) \
                or not str(value).endswith(".value"):
            return [(f"a `{kind}` pattern reads a support table for the team's context value",
                     "write `dim: <key>, value: $x.value` with x a `ctx` pattern of that key")]
    return []


# --- compiling onto durable-rules -------------------------------------------------------------

def _ref(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        alias, _, field = value[1:].partition(".")
        return {alias: field}
    return value


def _condition(field: str, value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        parts: list[dict[str, Any]] = []
        for op, operand in value.items():
            if op == "in":
                parts.append({"$or": [{field: _ref(v)} for v in operand]})
            elif op == "not_in":
                parts.extend({"$neq": {field: _ref(v)}} for v in operand)
            elif op == "not":
                parts.append({"$neq": {field: _ref(operand)}})
            elif op == "exists":
                parts.append({"$ex" if operand else "$nex": {field: 1}})
            else:
                parts.append({_OPS[op]: {field: _ref(operand)}})
        return parts[0] if len(parts) == 1 else {"$and": parts}
    return {field: _ref(value)}


def compile_pattern(pattern: dict[str, Any]) -> dict[str, Any]:
    conditions: list[dict[str, Any]] = []
    for field, value in pattern.items():
        condition = _condition(field, value)
        # durable-rules also drops a join beside a nested `$and` (a `not_in:` of several values):
        # its tests join the pattern's own `$and`.
        conditions.extend(condition.get("$and", [condition]))
    # durable-rules ignores a join condition (`$alias.field`) that follows an `$or` (an `in:`) in
    # the same pattern, matching facts the rule excludes. Plain tests go first (they filter before
    # any join), then the joins, then the alternatives.
    conditions.sort(key=lambda c: 2 if "$or" in c else 1 if _joins(c) else 0)
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def _joins(condition: dict[str, Any]) -> bool:
    """Whether a compiled condition compares with another alias's field: {field: {alias: field}}."""
    for key, value in condition.items():
        if key.startswith("$") and isinstance(value, dict) and _joins(value):
            return True  # an operator around a comparison: {"$neq": {field: {alias: field}}}
        if not key.startswith("$") and isinstance(value, dict):
            return True
    return False


def compile_stage(rules: tuple[Rule, ...], stage: int, fact_kinds: list[str]) -> dict[str, dict[str, Any]]:
    """The durable-rules definition of one stage, without actions (the engine adds them)."""
    definition: dict[str, dict[str, Any]] = {}
    for rule in rules:
        if rule.stage != stage:
            continue
        items = []
        for index, (alias, pattern) in enumerate(rule.patterns()):
            name = f"m_{index}$not" if alias == "none" else alias
            items.append({name: compile_pattern(pattern)})
        definition[rule.id] = {"all": items, "cap": BATCH}
    # durable-rules leaves a session's action context uninitialised until an action runs, and
    # deleting a session in which none ran frees garbage pointers (seen under valgrind). One rule
    # that always fires, on a marker fact asserted first in every batch, makes every session safe.
    definition[START_RULE] = {"all": [{"a": {"kind": START_KIND}}]}
    # Every asserted fact must be matched by some rule, or durable-rules refuses it: give each kind
    # a sink that never completes.
    for kind in fact_kinds:
        definition[f"__sink.{kind}"] = {"all": [{"a": {"kind": kind}}, {"b": {"kind": "__never__"}}]}
    return definition


Bindings = dict[str, dict[str, Any]]  # a firing's matched facts, by alias


def field_getter(value: Any) -> Callable[[Bindings], Any]:
    """An effect field's value from a firing's facts: `$alias.field` is looked up, a list element by
    element, anything else is the value as written. Compiled once per effect, applied per firing."""
    if isinstance(value, list):
        parts = [field_getter(v) for v in value]
        return lambda bindings: [part(bindings) for part in parts]
    if isinstance(value, str) and value.startswith("$"):
        alias, _, name = value[1:].partition(".")
        return lambda bindings: bindings[alias][name]
    return lambda _bindings: value
