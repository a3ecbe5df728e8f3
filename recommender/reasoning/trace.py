"""The full trace for one tool (like OPA's --explain and CLIPS' matches): every rule that fired
and the facts it matched, and the rules that came close but did not fire, with the patterns
that found no fact."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

from ..dsl.model import RuleBase
from ..knowledge import KnowledgeBase
from ..models import Requirements
from ..strings import pick
from .engine import Firing, evaluate
from .facts import build_facts


@dataclass(frozen=True)
class Fired:
    rule: str
    description: str
    bindings: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Near:
    rule: str
    description: str
    unmatched: list[str]


@dataclass(frozen=True)
class Trace:
    fired: list[Fired]
    near: list[Near]


def _about(rules: RuleBase, firing: Firing, tool: str) -> bool:
    """A firing concerns the tool its effect names; one without a tool, any tool it matched."""
    named = rules.effects_by_rule[firing.rule][firing.effect].fields.get("tool")
    if isinstance(named, str) and named.startswith("$"):
        alias, _, field = named[1:].partition(".")
        return bool(firing.bindings.get(alias, {}).get(field) == tool)
    return any(fact.get("tool") == tool for fact in firing.bindings.values())


def fired_for(rules: RuleBase, firings: list[Firing], tool: str) -> set[str]:
    """The ids of the rules that fired for a tool: the rules `trace` lists for it, from one
    evaluation's firings (so several tools need only one evaluation)."""
    return {f.rule for f in firings if _about(rules, f, tool)}


def _matches(value: Any, condition: Any) -> bool:
    """Literal conditions only; a join ($alias.field) is taken as satisfiable here."""
    if isinstance(condition, str) and condition.startswith("$"):
        return True
    if isinstance(condition, dict):
        return all(_check(op, value, operand) for op, operand in condition.items())
    return bool(value == condition)


def _check(op: str, value: Any, operand: Any) -> bool:
    if op == "in":
        return value in operand
    if op == "not_in":
        return value not in operand
    if op == "not":
        return bool(value != operand)
    if op == "exists":
        return (value is not None) == bool(operand)
    if value is None:
        return False
    compare = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}[op]
    return bool(compare(value, operand))


def trace(requirements: Requirements, kb: KnowledgeBase, rules: RuleBase, tool: str, lang: str = "en") -> Trace:
    facts, _ = build_facts(requirements, kb, rules)
    firings, derived = evaluate(rules, facts)
    fired: list[Fired] = []
    seen: set[str] = set()
    fired_ids: set[str] = set()
    for firing in firings:
        if not _about(rules, firing, tool):
            continue
        fired_ids.add(firing.rule)
        key = f"{firing.rule}{sorted((a, sorted(f.items())) for a, f in firing.bindings.items())}"
        if key in seen:
            continue
        seen.add(key)
        fired.append(Fired(firing.rule, pick(rules.rule(firing.rule).description, lang), firing.bindings))
    everything = [*facts, *derived]
    near: list[Near] = []
    for rule in rules.rules:
        if rule.id in fired_ids:
            continue
        unmatched: list[str] = []
        positive = 0
        for alias, pattern in rule.patterns():
            if alias == "none":
                continue
            positive += 1
            candidates = [f for f in everything
                          if all(_matches(f.get(k), v) for k, v in pattern.items())
                          and (f.get("tool", tool) == tool)]
            if not candidates:
                unmatched.append(f"{alias}: " + ", ".join(f"{k}={v}" for k, v in pattern.items()))
        if unmatched and len(unmatched) <= max(1, positive // 2):
            near.append(Near(rule.id, pick(rule.description, lang), unmatched))
    return Trace(fired, near)
