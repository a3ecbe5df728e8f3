"""What-if variants of one team's requirements, re-ranked together.

A what-if analysis re-ranks a dozen variants that differ only in importance. Those the rules can
only see as new weights, or as a requirement dropped, are answered from the base run's firings
(replayed: no engine run). The rest are evaluated as worlds of one engine session
(rules.RuleBase.in_worlds): the knowledge and context facts are asserted and matched once instead
of once per variant, and each world's firings are then ranked on their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..dsl.kinds import BASE_KINDS
from ..dsl.model import RuleBase
from ..dsl.weight_only import Plan, may_match, plan
from ..knowledge import KnowledgeBase
from ..models import Recommendation, Requirements, ToolResult
from .engine import Firing, evaluate
from .facts import build_facts, knowledge_facts, requirement_facts, shared_facts
from .ranking import Ranker, top_pick


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a variant's ranking comes to: the top pick and the musts that keep each excluded tool out."""

    top: str | None  # None for no fit; "a|b" for a tie only the tie-break settles
    failing: dict[str, frozenset[str]]

    @classmethod
    def of(cls, ranking: list[ToolResult]) -> Outcome:
        return cls(top_pick(ranking), {r.tool: frozenset(e.requirement for e in r.exclusions)
                                       for r in ranking if r.verdict == "excluded"})


def top_picks(variants: Sequence[Requirements], kb: KnowledgeBase, rules: RuleBase) -> list[str | None]:
    """The top pick of each variant, ranked by the rules that can move a score or a verdict.

    None means no fit; "a|b" a tie (on score and bonus beyond the cap) that only the tie-break settles.
    """
    return [o.top for o in outcomes(variants, kb, rules)]


@dataclass(frozen=True, slots=True)
class Base:
    """The run the variants are changes of: its requirements and its firings (of `rules` or of a
    rule base that holds them all)."""

    requirements: Requirements
    firings: list[Firing]


def outcomes(variants: Sequence[Requirements], kb: KnowledgeBase, rules: RuleBase,
             base: Base | None = None) -> list[Outcome]:
    """Each variant's Outcome, from one engine session where the variants share their context;
    with `base`, those that replayed() can answer are answered so."""
    found = replayed(variants, base, kb, rules) if base is not None else {}
    rest = [i for i in range(len(variants)) if i not in found]
    found.update(zip(rest, (Outcome.of(rec.ranking) for rec in _ranked(
        [variants[i] for i in rest], kb, rules.scoring_only, stacks=False)), strict=True))
    return [found[i] for i in range(len(variants))]


def replayed(variants: Sequence[Requirements], base: Base, kb: KnowledgeBase, rules: RuleBase) -> dict[int, Outcome]:
    """The Outcome of each variant the base run's firings can answer, by position: a variant whose
    changes the rules can only see as new weights (dsl.weight_only), or as requirements dropped,
    is ranked from the base run's firings with its own facts in place of the base's. The rules
    would fire alike, so this is the re-run's answer without the engine."""
    return {i: Outcome.of(rec.ranking) for i, rec in _replayed(variants, base, kb, rules.scoring_only).items()}


def _replayed(variants: Sequence[Requirements], base: Base, kb: KnowledgeBase,
              lean: RuleBase) -> dict[int, Recommendation]:
    """The variants the base run's firings can answer, ranked from them: those whose changes the
    rules see only as new weights (weight_only.alike), or as requirements dropped, which only takes
    firings away (and whatever was derived from them alone, unless a negation would notice)."""
    replay: _Replay | None = None
    before = _by_key(requirement_facts(base.requirements, kb, lean))
    ranked: dict[int, Recommendation] = {}
    for index, variant in enumerate(variants):
        if variant.context != base.requirements.context or \
                not variant.requirements.keys() <= base.requirements.requirements.keys():
            continue
        after = _by_key(requirement_facts(variant, kb, lean))
        changed = {key: fact for key, fact in after.items() if fact != before[key]}
        dropped = before.keys() - after.keys()
        plans = {key: plan(lean, before[key], changed.get(key)) for key in (*changed, *dropped)}
        if not plans or any(p is None for p in plans.values()):
            continue
        replay = replay or _Replay(base, kb, lean)
        found = replay.rank(variant, after, changed, dropped,
                            {k: p for k, p in plans.items() if p is not None and (p.dying or p.rederived)})
        if found is not None:
            ranked[index] = found
    return ranked


Content = tuple[tuple[str, Any], ...]


def _content(fact: dict[str, Any]) -> Content:
    """A fact as the engine's set of facts knows it: without its session and id."""
    return tuple(sorted((k, v) for k, v in fact.items() if k not in ("sid", "id")))


class _Replay:
    """The base run's firings of the lean rules, prepared for ranking once; a variant re-prepares
    only the firings that matched a fact it changes."""

    def __init__(self, base: Base, kb: KnowledgeBase, lean: RuleBase) -> None:
        ids = {r.id for r in lean.rules}
        self.lean = lean
        self.firings = [f for f in base.firings if f.rule in ids]
        self.ranker = Ranker(kb, lean, {}, "en", texts=False, stacks=False)
        self.prepared = [(i, p) for i, f in enumerate(self.firings) if (p := self.ranker.prepare_one(f)) is not None]
        # Which firings matched each requirement's fact (by id; "" for the totals).
        self.matching: dict[str, set[int]] = {}
        for i, firing in enumerate(self.firings):
            for fact in firing.bindings.values():
                key = _key_of(fact)
                if key is not None:
                    self.matching.setdefault(key, set()).add(i)
        self._support: _Analysis | None = None
        self.caps = knowledge_facts(kb, lean).caps  # each requirement's capability facts

    def rank(self, variant: Requirements, after: dict[str, dict[str, Any]], changed: dict[str, dict[str, Any]],
             dropped: set[str], plans: dict[str, Plan]) -> Recommendation | None:
        """The variant ranked from the base run's firings: `after` its requirement facts by id
        ("" the totals), `changed` those that differ, `dropped` the ids it no longer states, and
        `plans` how the changes other than a weight play out (weight_only.plan)."""
        gone: set[int] = set()
        if dropped or plans:
            found = self._retracted(after, dropped, plans)
            if found is None:
                return None
            gone = found
        touched = set().union(*(self.matching.get(key, set()) for key in changed))
        items = []
        for i, prepared in self.prepared:
            if i in gone:
                continue
            if i in touched:
                again = self.ranker.prepare_one(_with(self.firings[i], changed))
                if again is None:
                    continue
                prepared = again
            items.append(prepared)
        return self.ranker.rank_prepared(variant, items)

    def _retracted(self, after: dict[str, dict[str, Any]], dropped: set[str],
                   plans: dict[str, Plan]) -> set[int] | None:
        """The firings that go: those that matched a fact that goes (a dropped requirement's own,
        and its capability facts, which are asserted only for stated requirements), those that
        bound a changed requirement where only its old version matches or copied a field that
        changed (the plans), and those that matched a derived fact no remaining firing derives at or
        before their stage. Worked out forward from nothing (a fact that only supports itself, as
        in a cycle, goes too). None when a fact that goes might be one a negation (`none:`) was
        blocked by: that rule could now fire, which only a re-run can tell."""
        derives, stage_of, negated, needs = self._analysis()
        literal = self.lean.literal_caps

        def base_gone(fact: dict[str, Any]) -> bool:
            kind = fact.get("kind")
            return fact.get("req") in dropped and (kind == "req" or (kind == "cap" and fact.get("req") not in literal))

        dead: set[int] = set()  # firings the plans take away, whatever else stays
        for key, change in plans.items():
            for i in self.matching.get(key, set()):
                firing = self.firings[i]
                for alias, fact in firing.bindings.items():
                    if _key_of(fact) == key and ((firing.rule, alias) in change.dying
                                                 or (firing.rule, firing.effect, alias) in change.rederived):
                        dead.add(i)
        if dropped:
            dead.update(i for i, firing in enumerate(self.firings)
                        if any(base_gone(f) for f in firing.bindings.values() if f.get("kind") in BASE_KINDS))
        alive_at: dict[Content, int] = {}  # a derived fact -> the earliest stage a remaining firing derives it
        live: set[int] = set()
        pending = []
        for i in range(len(self.firings)):
            if i in dead:
                continue
            if needs[i]:
                pending.append(i)
                continue
            live.add(i)  # it matched base facts only, and none of them goes
            if i in derives:
                stage = stage_of[self.firings[i].rule]
                alive_at[derives[i]] = min(alive_at.get(derives[i], stage), stage)
        while pending:  # the least fixpoint: each pass revives the firings whose derived facts are all alive
            waiting = []
            for i in pending:
                stage = stage_of[self.firings[i].rule]
                if all(alive_at.get(fact, stage + 1) <= stage for fact in needs[i]):
                    live.add(i)
                    if i in derives:
                        alive_at[derives[i]] = min(alive_at.get(derives[i], stage), stage)
                else:
                    waiting.append(i)
            if len(waiting) == len(pending):
                break
            pending = waiting
        gone_facts = [dict(fact) for fact in set(derives.values()) if fact not in alive_at]
        gone_facts += [f for req in dropped for f in self.caps.get(req, []) if req not in literal]
        gone_facts += [f for key in dropped for i in self.matching.get(key, ())
                       for f in self.firings[i].bindings.values() if _key_of(f) == key]

        def stated(req_id: Any, pattern: dict[str, Any]) -> bool:
            """Whether the variant states a requirement with that id that the pattern can bind."""
            fact = after.get(req_id) if isinstance(req_id, str) else None
            return fact is not None and may_match(pattern, fact)

        # A fact that goes blocked nothing the variant could fire when a negation joins it to a
        # requirement the variant does not state in a form that rule's pattern binds.
        if any(may_match(p, fact) and all(stated(fact.get(f), q) for f, q in joined.items())
               for fact in gone_facts for p, joined in negated.get(str(fact.get("kind")), ())):
            return None
        return set(range(len(self.firings))) - live

    def _analysis(self) -> _Analysis:
        """What each deriving firing derives, each rule's stage, every negated pattern by kind with
        its fields that join a stated requirement's id (`req: $r.req`, r a `req` pattern) and that
        requirement's pattern, and the derived facts each firing matched."""
        if self._support is None:
            derives = {i: _content(self.ranker.fields(f)) for i, f in enumerate(self.firings)
                       if self.ranker.effects[f.rule][f.effect].type == "derive"}
            stage_of = {r.id: r.stage for r in self.lean.rules}
            negated: dict[str, list[tuple[dict[str, Any], dict[str, dict[str, Any]]]]] = {}
            for rule in self.lean.rules:
                reqs = {f"${alias}.req": p for alias, p in rule.patterns()
                        if alias != "none" and p.get("kind") == "req"}
                for alias, p in rule.patterns():
                    if alias == "none":
                        joined = {f: reqs[spec] for f, spec in p.items() if isinstance(spec, str) and spec in reqs}
                        negated.setdefault(str(p.get("kind")), []).append((p, joined))
            needs = [[_content(f) for f in firing.bindings.values() if f.get("kind") not in BASE_KINDS]
                     for firing in self.firings]
            self._support = (derives, stage_of, negated, needs)
        return self._support


_Analysis = tuple[dict[int, "Content"], dict[str, int],
                  dict[str, list[tuple[dict[str, Any], dict[str, dict[str, Any]]]]], list[list["Content"]]]


def _key_of(fact: dict[str, Any]) -> str | None:
    """A requirement fact's id, "" for the totals, None for any other fact."""
    kind = fact.get("kind")
    return str(fact.get("req")) if kind == "req" else "" if kind == "totals" else None


def _by_key(facts: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The requirement facts by _key_of (they are all requirements or the totals)."""
    return {str(_key_of(fact)): fact for fact in facts}


def _with(firing: Firing, changed: dict[str, dict[str, Any]]) -> Firing:
    """The firing with each changed base fact (a requirement, or the totals under "") in its new version."""
    bindings = firing.bindings
    swapped = None
    for alias, fact in bindings.items():
        key = _key_of(fact)
        if key is not None and key in changed:
            if swapped is None:
                swapped = dict(bindings)
            swapped[alias] = {**fact, **changed[key]}
    return firing if swapped is None else Firing(firing.rule, firing.effect, swapped)


def failing_musts(variants: Sequence[Requirements], kb: KnowledgeBase,
                  rules: RuleBase) -> list[dict[str, frozenset[str]]]:
    """The musts that keep each tool out in each variant, from the verdict rules alone (no
    scores): a tool missing from a variant's mapping fails none of its musts there."""
    return [Outcome.of(rec.ranking).failing for rec in _ranked(variants, kb, rules.verdict_only, stacks=False)]


PickAndStack = tuple[str | None, tuple[str, ...]]


def picks_and_stacks(variants: Sequence[Requirements], kb: KnowledgeBase, rules: RuleBase) -> list[PickAndStack]:
    """The top pick (as top_picks gives it) and the stack ("tool/component", in order) of each variant."""
    return [(top_pick(rec.ranking), tuple(f"{p.tool}/{p.component}" for p in rec.stack))
            for rec in _ranked(variants, kb, rules.scoring_and_stacks, stacks=True)]


# Variants ranked as worlds of one engine session at most: the session's memory grows with its
# worlds (40 what-if worlds of an all-must file peaked past 150 MB), while each session matches the
# knowledge facts once, so a few sessions cost little more time than one.
WORLDS_PER_SESSION = 10


def _ranked(variants: Sequence[Requirements], kb: KnowledgeBase, lean: RuleBase, *,
            stacks: bool) -> list[Recommendation]:
    if len(variants) > WORLDS_PER_SESSION:
        return [rec for start in range(0, len(variants), WORLDS_PER_SESSION)
                for rec in _ranked(variants[start:start + WORLDS_PER_SESSION], kb, lean, stacks=stacks)]
    worlds = lean.in_worlds
    if worlds is None or len(variants) < 2 or any(v.context != variants[0].context for v in variants):
        ranked = []
        for variant in variants:
            facts, evidence = build_facts(variant, kb, lean)
            firings, _derived = evaluate(lean, facts)
            ranked.append(Ranker(kb, lean, evidence, "en", texts=False, stacks=stacks).rank(variant, firings))
        return ranked
    ids = {req_id for variant in variants for req_id in variant.requirements}
    facts, evidence = shared_facts(ids, variants[0].context, kb, lean)
    for world, variant in enumerate(variants):
        facts += [{**fact, "w": world} for fact in requirement_facts(variant, kb, lean)]
    firings, _derived = evaluate(worlds, facts)
    per_world: list[list[Firing]] = [[] for _ in variants]
    for firing in firings:
        world_of = next((fact["w"] for fact in firing.bindings.values() if "w" in fact), None)
        for world in range(len(variants)) if world_of is None else (world_of,):
            per_world[world].append(firing)
    ranker = Ranker(kb, lean, evidence, "en", texts=False, stacks=stacks)
    return [ranker.rank(variant, found) for variant, found in zip(variants, per_world, strict=True)]
