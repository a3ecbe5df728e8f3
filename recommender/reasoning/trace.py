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
    unmatched: list[str]  # the pattern where the match stops, or the `none:` pattern that stops it
    blocked: bool = False  # every positive pattern matched; a fact the rule must not see exists


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


# Partial matches explored per rule at most: explain is a one-off command, and this keeps it bounded.
MAX_PARTIAL_MATCHES = 50_000


def _resolve(condition: Any, bound: dict[str, dict[str, Any]]) -> Any:
    """A condition with every `$alias.field` replaced by the bound fact's value."""
    if isinstance(condition, str) and condition.startswith("$"):
        alias, _, field = condition[1:].partition(".")
        return bound[alias].get(field)
    if isinstance(condition, list):
        return [_resolve(c, bound) for c in condition]
    if isinstance(condition, dict):
        return {op: _resolve(operand, bound) for op, operand in condition.items()}
    return condition


def _matches(value: Any, condition: Any) -> bool:
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


def _fits(fact: dict[str, Any], pattern: dict[str, Any], bound: dict[str, dict[str, Any]]) -> bool:
    return all(_matches(fact.get(k), _resolve(v, bound)) for k, v in pattern.items())


@dataclass
class _Search:
    """The deepest partial match of one rule's patterns, in the order they are written, with the
    joins between them; and whether a full match was blocked by a `none:` pattern."""

    by_kind: dict[str, list[dict[str, Any]]]
    patterns: list[tuple[str, dict[str, Any]]]
    tool_alias: str | None
    tool: str
    depth: int = 0
    blocked_by: str | None = None
    visited: int = 0
    other_tool_depth: int = -1  # deepest stop where the facts that fit are about another tool only

    def run(self, index: int = 0, bound: dict[str, dict[str, Any]] | None = None) -> None:
        bound = bound or {}
        if self.visited >= MAX_PARTIAL_MATCHES:
            return
        self.visited += 1
        positives = [i for i, (alias, _p) in enumerate(self.patterns) if alias != "none"]
        self.depth = max(self.depth, sum(1 for i in positives if i < index))
        if index == len(self.patterns):
            return
        alias, pattern = self.patterns[index]
        candidates = [f for f in self.by_kind.get(str(pattern.get("kind")), []) if _fits(f, pattern, bound)]
        if alias == "none":
            if candidates:  # a fact the rule must not see exists: the match stops here
                if all(i < index for i in positives):
                    self.blocked_by = _shown(alias, pattern)
                return
            self.run(index + 1, bound)
            return
        if alias == self.tool_alias:
            ours = [f for f in candidates if f.get("tool") == self.tool]
            if candidates and not ours:  # the match goes on, but about another tool
                done = sum(1 for i in positives if i < index)
                self.other_tool_depth = max(self.other_tool_depth, done)
            candidates = ours
        for fact in candidates:
            self.run(index + 1, {**bound, alias: fact})


def _shown(alias: str, pattern: dict[str, Any]) -> str:
    return f"{alias}: " + ", ".join(f"{k}={v}" for k, v in pattern.items())


def trace(requirements: Requirements, kb: KnowledgeBase, rules: RuleBase, tool: str, lang: str = "en") -> Trace:
    """What fired for `tool`, and the near misses: rules whose patterns, matched in order with their
    joins and negations against the facts the evaluation ended with, stop at most half-way short
    (or match fully but a `none:` pattern finds a fact). They are re-matched here, not taken from
    the engine's own partial matches, which durable-rules does not expose."""
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
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for fact in [*facts, *derived]:
        by_kind.setdefault(str(fact.get("kind")), []).append(fact)
    near: list[Near] = []
    for rule in rules.rules:
        if rule.id in fired_ids:
            continue
        named = next((e.fields.get("tool") for e in rule.effects() if "tool" in e.fields), None)
        if isinstance(named, str) and not named.startswith("$") and named != tool:
            continue  # a rule about another tool by name
        tool_alias = named[1:].partition(".")[0] if isinstance(named, str) and named.startswith("$") else None
        patterns = rule.patterns()
        search = _Search(by_kind, patterns, tool_alias, tool)
        search.run()
        positives = [p for p in patterns if p[0] != "none"]
        if search.blocked_by is not None:
            near.append(Near(rule.id, pick(rule.description, lang), [search.blocked_by], blocked=True))
            continue
        missing = len(positives) - search.depth
        if search.other_tool_depth == search.depth:
            continue  # as far as it gets, the rule is about another tool
        if 0 < missing <= max(1, len(positives) // 2):
            stop = positives[search.depth]
            near.append(Near(rule.id, pick(rule.description, lang), [_shown(*stop)]))
    return Trace(fired, near)
