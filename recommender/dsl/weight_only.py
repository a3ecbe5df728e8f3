"""Which changes of a base fact the rules can only see as a different weight.

A what-if step moves one requirement between two importances. When no rule can tell the two
versions of its fact apart, except through a weight that an effect multiplies into its points, the
variant fires the same rules on the same facts as the base run, and its ranking can be computed
from the base run's firings with the new fact in place of the old: the same answer as a re-run,
without the engine. This module decides that from the rules alone, conservatively: a join on a
changed field, or a derived fact that some pattern might match, counts as "can tell apart". It
serves a ranking without texts or stacks (the what-if's): effect fields that only word a report
are not counted as reading the fact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .model import OPERATORS, Rule, RuleBase

# Effect fields that move nothing in a ranking without texts: what a report prints.
_WORDING_FIELDS = frozenset({"level", "component", "note", "owner"})
# The effects whose points the ranking adds up (a risk only when it carries points).
_POINTS_EFFECTS = ("contribute", "risk")


def _is_ref(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("$")


def _ref_field(value: Any, alias: str) -> str | None:
    """The field of `alias` a `$alias.field` reference names, else None."""
    if _is_ref(value):
        ref_alias, _, field = str(value)[1:].partition(".")
        if ref_alias == alias:
            return field
    return None


def check(spec: Any, fact: Mapping[str, Any], field: str) -> bool | None:
    """A pattern's test on one field of a fact whose fields may be partly known: True or False when
    the fact's value decides it, None when it depends on another fact (a join) or on a field the
    fact does not say."""
    if field not in fact:
        return None
    value = fact[field]
    if not isinstance(spec, dict):
        return None if _is_ref(spec) else value == spec
    result: bool | None = True
    for op, operand in spec.items():
        outcome: bool | None
        if op == "in":
            literal = [v for v in operand if not _is_ref(v)]
            outcome = True if value in literal else None if len(literal) < len(operand) else False
        elif op == "not_in":
            outcome = False if value in [v for v in operand if not _is_ref(v)] else \
                None if any(_is_ref(v) for v in operand) else True
        elif op == "not":
            outcome = None if _is_ref(operand) else value != operand
        elif op == "exists":
            outcome = bool(operand)
        elif op in OPERATORS and not _is_ref(operand) and isinstance(value, (int, float)) \
                and isinstance(operand, (int, float)):
            outcome = {"gt": value > operand, "gte": value >= operand, "lt": value < operand,
                       "lte": value <= operand}[op]
        else:
            outcome = None
        if outcome is False:
            return False
        if outcome is None:
            result = None
    return result


def may_match(pattern: Mapping[str, Any], fact: Mapping[str, Any]) -> bool:
    """Whether the pattern might match the fact: no test on a field the fact states fails."""
    if pattern.get("kind") != fact.get("kind"):
        return False
    return all(check(spec, fact, field) is not False for field, spec in pattern.items() if field != "kind")


@dataclass(frozen=True)
class Plan:
    """How a change of one base fact plays out against a run that had the old version: the
    firings that bound it where only the old version matches go (`dying`: rule id and alias), and
    so do the derivations that copied a changed field of it (`rederived`: rule id, effect index and
    the alias it is bound to; the fact they would derive now is one no pattern can match). Every
    other firing that bound it stands, with the new version in place. Empty for a weight alone."""

    dying: frozenset[tuple[str, str]] = frozenset()
    rederived: frozenset[tuple[str, int, str]] = frozenset()  # rule id, effect index, alias


def plan(rules: RuleBase, before: Mapping[str, Any], after: Mapping[str, Any] | None) -> Plan | None:
    """The Plan for replacing `before` by `after` (None: dropping it), or None when only a re-run
    can tell (a pattern the new version newly matches and whose rule concludes something, a join on
    a changed field, an effect that reads one). Remembered on the rule base."""
    key = (tuple(sorted(before.items())), tuple(sorted(after.items())) if after is not None else None)
    if key not in rules.memo:  # two threads may both work it out: they find the same answer
        rules.memo[key] = _plan(rules, before, after)
    found: Plan | None = rules.memo[key]
    return found


def _plan(rules: RuleBase, before: Mapping[str, Any], after: Mapping[str, Any] | None) -> Plan | None:
    entries = rules.patterns_by_kind.get(str(before.get("kind")), [])
    if after is None:
        if not drop_only(rules, before):
            return None
        return Plan(dying=frozenset((r.id, a) for r, _i, a, p in entries if a != "none" and may_match(p, before)))
    if weight_only(rules, before, after):
        return Plan()
    changed = {f for f in before.keys() | after.keys() if before.get(f) != after.get(f)}
    if before.get("kind") != after.get("kind") or changed & {"kind", "req"}:
        return None
    dying: set[tuple[str, str]] = set()
    rederived: set[tuple[str, int, str]] = set()
    for rule, index, alias, pattern in entries:
        old, new = may_match(pattern, before), may_match(pattern, after)
        if not old and not new:
            continue
        if any(_joins(pattern[f]) for f in changed & pattern.keys()):
            return None  # a join on a changed field: nothing to say without the other facts
        concludes = not all(e.type == "derive" and _inert(e.fields, alias, after, set(), rules)
                            for e in rule.effects())
        if alias == "none":
            if old != new and concludes:
                return None  # it blocks where it did not, or no longer blocks: the rule's firings change
            continue
        if old and not new:
            dying.add((rule.id, alias))
        elif new and not old:
            if concludes:
                return None  # new firings that conclude something
        else:
            joined, by_effect = _reads(rule, index, alias)
            if joined & changed:
                return None
            for effect_index, read in by_effect.items():
                if not read & changed:
                    continue
                effect = rule.effects()[effect_index]
                if effect.type != "derive" or not _inert(effect.fields, alias, after, set(), rules):
                    return None
                rederived.add((rule.id, effect_index, alias))
    return Plan(frozenset(dying), frozenset(rederived))


def _joins(spec: Any) -> bool:
    if isinstance(spec, dict):
        return any(_joins(v) for v in spec.values())
    if isinstance(spec, list):
        return any(_joins(v) for v in spec)
    return _is_ref(spec)


def _reads(rule: Rule, index: int, alias: str) -> tuple[set[str], dict[int, set[str]]]:
    """The fields of `alias` other patterns join on, and those each effect reads (a weight
    multiplied into points aside: a re-ranking computes it anew)."""
    joined: set[str] = set()
    for other_index, (_other, pattern) in enumerate(rule.patterns()):
        if other_index != index:
            joined.update(_fields_named(list(pattern.values()), alias))
    by_effect: dict[int, set[str]] = {}
    for effect_index, effect in enumerate(rule.effects()):
        read: set[str] = set()
        for name, value in effect.fields.items():
            if name == "points" and effect.type in _POINTS_EFFECTS:
                read.update(_fields_named(value, alias) - {"weight"})
            elif effect.type == "derive" or name not in _WORDING_FIELDS:
                read.update(_fields_named(value, alias))
        by_effect[effect_index] = read
    return joined, by_effect


def drop_only(rules: RuleBase, before: Mapping[str, Any]) -> bool:
    """Whether dropping the fact can only take firings away: no negated pattern might match it,
    unless its rule only derives facts nothing matches. (Which firings go, and what they derived,
    depends on the run: the caller follows that.)"""
    for rule, _index, alias, pattern in rules.patterns_by_kind.get(str(before.get("kind")), []):
        # A negated pattern binds nothing a derive could copy: only the derive's constants are known.
        if alias == "none" and may_match(pattern, before) and not all(
                e.type == "derive" and _inert(e.fields, alias, before, set(before), rules) for e in rule.effects()):
            return False
    return True


def weight_only(rules: RuleBase, before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """Whether the rules fire alike on `before` and `after` (two versions of one base fact), so that
    only the points of effects multiplying a changed `weight` differ between them."""
    if before.get("kind") != after.get("kind"):
        return False
    changed = {f for f in before.keys() | after.keys() if before.get(f) != after.get(f)}
    if not changed or "kind" in changed or not changed <= {"importance", "weight"}:
        return False  # `must` and `positive` decide exclusions and what counts at all
    for rule, index, alias, pattern in rules.patterns_by_kind.get(str(before["kind"]), []):
        if not may_match(pattern, before) and not may_match(pattern, after):
            continue  # binds neither version (a governance requirement where a group is excluded)
        agree = _tests_alike(pattern, before, after, changed)
        if agree is None:
            return False  # a join on a changed field: nothing to say without the other facts
        if alias != "none" and _read_elsewhere(rules, rule, index, alias) & changed:
            return False
        # A pattern that tells the versions apart: the rule may fire for one only.
        if not agree and not all(e.type == "derive" and _inert(e.fields, alias, before, changed, rules)
                                 for e in rule.effects()):
            return False
    return True


def _tests_alike(pattern: Mapping[str, Any], before: Mapping[str, Any], after: Mapping[str, Any],
                 changed: set[str]) -> bool | None:
    """True when the pattern's tests on the changed fields agree for both versions, False when they
    differ, None when a test joins a changed field with another fact."""
    for field in changed & pattern.keys():
        spec = pattern[field]
        one, other = check(spec, before, field), check(spec, after, field)
        if one is None or other is None:
            return None
        if one != other:
            return False
    return True


def _read_elsewhere(rules: RuleBase, rule: Rule, index: int, alias: str) -> frozenset[str]:
    """The fields of `alias` another pattern joins on or an effect reads, but for a weight
    multiplied into points (the one thing a re-ranking computes anew)."""
    key = ("read", rule.id, index)
    found: frozenset[str] | None = rules.memo.get(key)
    if found is None:
        joined, by_effect = _reads(rule, index, alias)
        found = rules.memo[key] = frozenset(joined.union(*by_effect.values()))
    return found


def _fields_named(value: Any, alias: str) -> set[str]:
    """The fields of `alias` a value refers to, in nested lists and operators too."""
    if isinstance(value, dict):
        return set().union(*(_fields_named(v, alias) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_fields_named(v, alias) for v in value))
    field = _ref_field(value, alias)
    return {field} if field is not None else set()


def _inert(fields: Mapping[str, Any], alias: str, source: Mapping[str, Any], changed: set[str],
           rules: RuleBase) -> bool:
    """Whether no pattern of any rule can match the fact this derive makes: its fields are known
    where the derive copies a constant or an unchanged field of the source fact."""
    derived: dict[str, Any] = {}
    for name, value in fields.items():
        if not _is_ref(value):
            derived[name] = value
        elif (field := _ref_field(value, alias)) is not None and field in source and field not in changed:
            derived[name] = source[field]
    by_kind = rules.patterns_by_kind
    # A kind copied from another fact is unknown here: then any pattern might match.
    candidates = by_kind.get(str(derived["kind"]), []) if "kind" in derived else \
        [entry for entries in by_kind.values() for entry in entries]
    return not any(may_match(pattern, derived) for _rule, _index, _alias, pattern in candidates)
