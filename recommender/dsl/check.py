"""The checks a rule passes before it is compiled, as named stages: fact kinds and their fields,
aliases and references, effect templates, and the strata a negation may read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..catalogue import Catalogue
from ..errors import Problem
from ..knowledge import LEVELS
from .kinds import BASE_KINDS, SUPPORT_KINDS
from .model import (
    DSL_PREFIXES,
    EFFECT_FIELDS,
    EFFECT_TYPES,
    OPERATORS,
    RESERVED_ALIASES,
    SEVERITIES,
    Effect,
    Rule,
    negation_order,
)


def derived_kinds(rules: list[Rule] | tuple[Rule, ...]) -> dict[str, int]:
    """Each derived fact kind and the first stage that derives it."""
    kinds: dict[str, int] = {}
    for rule in rules:
        for effect in rule.effects():
            if effect.type == "derive":
                kind = str(effect.fields.get("kind"))
                kinds[kind] = min(kinds.get(kind, rule.stage), rule.stage)
    return kinds


def check_strata(rules: list[Rule], files: dict[str, str]) -> list[Problem]:
    problems = []
    derived = derived_kinds(rules)
    last_stage: dict[str, int] = {}
    for rule in rules:
        for effect in rule.effects():
            if effect.type == "derive":
                kind = str(effect.fields.get("kind"))
                last_stage[kind] = max(last_stage.get(kind, 0), rule.stage)
    for rule in rules:
        for effect in rule.effects():
            made = effect.fields.get("kind")
            if effect.type == "derive" and made in BASE_KINDS:
                # A derived copy of a base fact would pass for the stated or known one.
                problems.append(Problem(files[rule.id], rule.id, f"derives kind {made!r}, a base kind",
                                        "derive a kind of its own (a name no base fact has)"))
    for stage in sorted({r.stage for r in rules}):
        _rank, cycle = negation_order(rules, stage)
        if cycle:
            first = next(r for r in rules if r.stage == stage and any(
                a == "none" and p.get("kind") in cycle for a, p in r.patterns()))
            problems.append(Problem(files[first.id], first.id,
                                    f"stage {stage} negates kinds ({', '.join(cycle)}) that its rules also match "
                                    "while negating each other", "move one of these rules to a later stage"))
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


TEMPLATE_NAMES = {"requirement", "tool", "component", "by", "owner", "with", "level", "note", "layer"}


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


@dataclass
class _Scope:
    """What the stages of one rule's check share: the aliases bound so far and the problems found."""

    rule: Rule
    catalogue: Catalogue | None
    derived_fields: dict[str, set[str]]
    problems: list[tuple[str, str]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    kinds_of: dict[str, str] = field(default_factory=dict)

    def add(self, message: str, fix: str) -> None:
        self.problems.append((message, fix))

    def fields_of(self, kind: str) -> set[str] | None:
        if kind in BASE_KINDS:
            return {*BASE_KINDS[kind], "kind"}
        return self.derived_fields.get(kind)

    def check_ref(self, value: str) -> None:
        ref_alias, _, ref_field = value[1:].partition(".")
        if ref_alias in DSL_PREFIXES:
            return  # left unresolved only when parameters.yaml failed to load, which is reported
        if ref_alias not in self.aliases:
            self.add(f"refers to {value!r} before alias {ref_alias!r} is bound",
                     "bind the alias in an earlier `when` item")
            return
        known = self.fields_of(self.kinds_of.get(ref_alias, ""))
        if not ref_field:
            self.add(f"reference {value!r} names no field", "write `$alias.field`")
        elif known is not None and ref_field not in known and ref_field != "kind":
            self.add(f"{value!r}: fact kind {self.kinds_of[ref_alias]!r} has no field {ref_field!r}",
                     f"use one of: {', '.join(sorted(known))}")

    def check_value(self, field: str, value: Any) -> None:
        if isinstance(value, str) and value.startswith("$"):
            self.check_ref(value)
            return
        if isinstance(value, dict):
            for op, operand in value.items():
                if op in ("in", "not_in"):
                    if isinstance(operand, str) and operand.startswith("$set."):
                        continue  # a set parameters.yaml does not define: reported when resolving
                    if not isinstance(operand, list):
                        self.add(f"operator {op!r} takes a list, got {operand!r}", f"write `{op}: [a, b]`")
                        continue
                    for item in operand:
                        self.check_value(field, item)
                elif op == "not":
                    self.check_value(field, operand)
                elif op not in OPERATORS and op != "exists":
                    self.add(f"unknown operator {op!r}", "use in, not_in, not, gt, gte, lt, lte, exists")
            return
        catalogue = self.catalogue
        if not catalogue:
            return
        if field == "req" and value not in catalogue.ids:
            self.add(f"unknown requirement id {value!r}", "use an id from catalogue.yaml")
        elif field == "group" and value not in {g.id for g in catalogue.groups}:
            groups = sorted(g.id for g in catalogue.groups)
            self.add(f"unknown group {value!r}", f"use one of: {', '.join(groups)}")
        elif field == "level" and value not in LEVELS and value not in ("supported",):
            self.add(f"unknown level {value!r}", f"use one of: {', '.join(LEVELS)}")
        elif field == "key" and value not in catalogue.contexts:
            self.add(f"unknown context key {value!r}", f"use one of: {', '.join(sorted(catalogue.contexts))}")


def _patterns(scope: _Scope) -> None:
    """Each `when` pattern: its alias, its kind and fields, its values and references (to aliases
    bound before it), and the facts the builder asserts for it; then its alias is bound."""
    contexts = scope.catalogue.contexts if scope.catalogue else {}
    for alias, pattern in scope.rule.patterns():
        raw_kind = pattern.get("kind")
        kind = raw_kind if isinstance(raw_kind, str) else ""
        if alias in RESERVED_ALIASES:
            scope.add(f"alias {alias!r} is reserved by the engine", "pick another alias name")
        elif alias in DSL_PREFIXES:
            scope.add(f"alias {alias!r} is reserved for `${alias}.NAME` references to parameters.yaml",
                      "pick another alias name")
        if not kind:
            scope.add(f"pattern {alias!r} needs `kind: <fact kind>` (one word)", "add `kind: <fact kind>`")
        fields = BASE_KINDS.get(kind)
        for field_name, value in pattern.items():
            if fields is not None and field_name != "kind" and field_name not in fields:
                scope.add(f"fact kind {kind!r} has no field {field_name!r}", f"use one of: {', '.join(fields)}")
            if field_name == "value" and isinstance(value, str) and not value.startswith("$"):
                key = pattern.get("key")
                if isinstance(key, str) and key in contexts and contexts[key].values \
                        and value not in contexts[key].values:
                    scope.add(f"unknown value {value!r} for context {key!r}",
                              f"use one of: {', '.join(contexts[key].values)}")
                continue
            scope.check_value(field_name, value)
        scope.problems += _check_fact_scope(kind, pattern, scope.kinds_of, scope.rule)
        if alias != "none":
            scope.aliases.append(alias)
            scope.kinds_of[alias] = kind


def _known_effects(scope: _Scope) -> list[Effect]:
    return [e for e in scope.rule.effects() if e.type in EFFECT_TYPES]


def _effect_types(scope: _Scope) -> None:
    """Each effect is a known type with the fields that type needs."""
    for effect in scope.rule.effects():
        if effect.type not in EFFECT_TYPES:
            scope.add(f"unknown effect {effect.type!r}", f"use one of: {', '.join(EFFECT_TYPES)}")
            continue
        for needed in EFFECT_FIELDS[effect.type]:
            if needed not in effect.fields:
                scope.add(f"effect {effect.type!r} needs field {needed!r}", f"add `{needed}:`")


def _effect_values(scope: _Scope) -> None:
    """Derived facts hold single values; severities and points are known; references are bound."""
    for effect in _known_effects(scope):
        if effect.type == "derive":
            for name, value in effect.fields.items():
                if isinstance(value, (list, dict)):
                    scope.add(f"derive field {name!r} holds a {type(value).__name__}; a fact holds single values",
                              "write one value or one `$alias.field` reference")
        severity = effect.fields.get("severity")
        if effect.type == "risk" and severity is not None and severity not in SEVERITIES:
            scope.add(f"unknown severity {severity!r}", f"use one of: {', '.join(SEVERITIES)}")
        points = effect.fields.get("points")
        if points is not None:
            for item in points if isinstance(points, list) else [points]:
                if isinstance(item, bool) or not (isinstance(item, (int, float))
                                                  or (isinstance(item, str) and item.startswith("$"))):
                    scope.add(f"points: {item!r} is neither a number nor a `$alias.field` reference",
                              "write a number or a reference such as $req.weight")
        for name, value in effect.fields.items():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and item.startswith("$"):
                    scope.check_value(name, item)


def _texts(scope: _Scope) -> None:
    """Every effect but a derive has an English text; each text's template names bound aliases."""
    for effect in _known_effects(scope):
        if effect.type != "derive" and "en" not in effect.text:
            scope.add(f"effect {effect.type!r} has no English text", "add `text: {en: ...}`")
        for lang, template in effect.text.items():
            scope.problems += [(f"text ({lang}): {msg}", fix) for msg, fix in _check_template(template, scope.aliases)]


def _evidence(scope: _Scope) -> None:
    """An effect cites the evidence of aliases `when` binds."""
    for effect in _known_effects(scope):
        for alias in effect.evidence:
            if alias not in scope.aliases:
                scope.add(f"evidence names unbound alias {alias!r}", "name an alias from `when`")


# The checks, in order (like OPA's compiler stages): each reads what the ones before it bound.
CHECKS: tuple[tuple[str, Callable[[_Scope], None]], ...] = (
    ("patterns", _patterns),
    ("effect types", _effect_types),
    ("effect values", _effect_values),
    ("texts", _texts),
    ("evidence", _evidence),
)


def check_rule(rule: Rule, catalogue: Catalogue | None,
               derived_fields: dict[str, set[str]] | None = None) -> list[tuple[str, str]]:
    """Problems in one rule, from every stage in CHECKS: unknown kinds, fields, aliases, ids,
    effects, severities, texts and evidence."""
    scope = _Scope(rule, catalogue, derived_fields or {})
    for _name, stage in CHECKS:
        stage(scope)
    return scope.problems


def _check_fact_scope(kind: str, pattern: dict[str, Any], kinds_of: dict[str, str],
                      rule: Rule) -> list[tuple[str, str]]:
    """The facts builder asserts capability facts only for the stated requirements (and those a
    rule names), and support facts only for the team's context values; a pattern that could
    match the others would silently never fire."""
    if kind == "cap" and not isinstance(pattern.get("req"), str):
        return [("a `cap` pattern names its requirement", "write `req: <id>` or `req: $req.req` (req a `req` pattern)")]
    if kind in SUPPORT_KINDS:
        value, dim = pattern.get("value"), pattern.get("dim")
        alias = value[1:].partition(".")[0] if isinstance(value, str) and value.startswith("$") else ""
        source = dict(rule.patterns()).get(alias, {})
        # The team's traffic router is also read through `router` facts (stated or implied by the
        # requirements); the facts builder asserts the router table's `none` row for that case.
        via_router = kinds_of.get(alias) == "router" and dim == "traffic_router"
        if dim == "traffic_router" and value == "none":
            return []  # that row is always asserted: what a controller does with no router at all
        if (not via_router and (kinds_of.get(alias) != "ctx" or source.get("key") != dim)) \
                or not str(value).endswith(".value"):
            return [(f"a `{kind}` pattern reads a support table for the team's context value",
                     "write `dim: <key>, value: $ctx.value` with ctx a `ctx` pattern of that key")]
    return []


# --- compiling onto durable-rules -------------------------------------------------------------
