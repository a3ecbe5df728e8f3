"""The checks a rule passes before it is compiled, as named stages: fact kinds and their fields,
aliases and references, effect templates, and the strata a negation may read."""

from __future__ import annotations

from typing import Any

from ..catalogue import Catalogue
from ..errors import Problem
from ..knowledge import LEVELS
from .kinds import BASE_KINDS, SUPPORT_KINDS
from .model import DSL_PREFIXES, EFFECT_FIELDS, EFFECT_TYPES, OPERATORS, RESERVED_ALIASES, SEVERITIES, Rule


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
                elif op not in OPERATORS and op != "exists":
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
                                     "write a number or a reference such as $req.weight"))
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
        return [("a `cap` pattern names its requirement", "write `req: <id>` or `req: $req.req` (req a `req` pattern)")]
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
                     "write `dim: <key>, value: $ctx.value` with ctx a `ctx` pattern of that key")]
    return []


# --- compiling onto durable-rules -------------------------------------------------------------
