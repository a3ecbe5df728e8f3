"""What-if variants of one team's requirements, re-ranked together.

A what-if analysis re-ranks a dozen variants that differ only in importance. Evaluated as worlds
of one engine session (rules.RuleBase.in_worlds), the knowledge and context facts are asserted
and matched once instead of once per variant; each world's firings are then ranked on their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..dsl.model import RuleBase
from ..knowledge import KnowledgeBase
from ..models import Recommendation, Requirements, ToolResult
from .engine import Firing, evaluate
from .facts import build_facts, requirement_facts, shared_facts
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


def outcomes(variants: Sequence[Requirements], kb: KnowledgeBase, rules: RuleBase) -> list[Outcome]:
    """Each variant's Outcome, from one engine session where the variants share their context."""
    return [Outcome.of(rec.ranking) for rec in _ranked(variants, kb, rules.scoring_only, stacks=False)]


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
