"""The compiler onto durable-rules: patterns to its conditions, a stage to one ruleset, and the
getters that read an effect's fields from a firing's facts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .model import BATCH, OPERATORS, START_KIND, START_RULE, Rule


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
                parts.append({OPERATORS[op]: {field: _ref(operand)}})
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
