"""What each answer leads to: the engine's top pick and stack for every single further answer.

The interview asks the question whose answers could move the top pick or the stack most. The
variants are ranked with the engine (batched into one engine session per context by
variants.picks_and_stacks) and kept per set of answers, so a skip, or a state seen before (after
back), costs nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from ..models import Requirements

if TYPE_CHECKING:
    from ..dsl.model import RuleBase
    from ..knowledge import KnowledgeBase
    from ..reasoning.variants import PickAndStack as Outcome

AnswerValue = str | int | list[str]
MAX_CLUSTERS: Final = 100_000
KEPT_STATES: Final = 64  # sets of answers whose outcomes are kept (a conversation revisits few)


@dataclass(frozen=True)
class Candidate:
    """A question that could change the answer: each answer it can take, and what that leads to."""

    id: str
    answers: tuple[AnswerValue, ...]
    outcomes: tuple[Outcome, ...]


@dataclass
class Known:
    """Outcomes ranked for one set of answers: the current one and each single further answer's."""

    current: Outcome | None = None
    found: dict[tuple[str, object], Outcome] = field(default_factory=dict)
    busy: threading.Event | None = None  # set while a thread ranks them


@dataclass(frozen=True)
class Verdict:
    """The value of asking each remaining question, for one state of the answers."""

    current: Outcome
    ranked: tuple[tuple[Candidate, tuple[int, int, int]], ...]  # changing candidates, most useful first


class Outcomes:
    """The outcomes found so far, per set of answers. Safe from two threads (the wizard's prefetch
    fills it while the conversation reads it): a state one thread is ranking is waited for."""

    def __init__(self, kb: KnowledgeBase, rules: RuleBase) -> None:
        self.kb, self.rules = kb, rules
        self._lock = threading.Lock()
        self._known: dict[tuple[object, ...], Known] = {}

    def fill(self, answers: dict[str, AnswerValue], base: Requirements,
             pending: Sequence[tuple[str, AnswerValue]]) -> Known:
        """The outcome of `answers` (as `base`) and of each pending single further answer, ranked
        where not known yet. A skip changes no answer, so after one nothing is ranked again."""
        from ..reasoning.variants import picks_and_stacks

        key = state_key(answers)
        while True:
            with self._lock:
                known = self._known.get(key)
                if known is None:
                    if len(self._known) > KEPT_STATES:
                        self._known.clear()
                    known = self._known[key] = Known()
                busy = known.busy
                if busy is None:
                    known.busy = threading.Event()
                    break
            busy.wait()
        try:
            # Variants that share the context are ranked as worlds of one engine session.
            by_context: dict[str, list[tuple[tuple[str, object], Requirements]]] = {}
            for question_id, value in pending:
                found_key = (question_id, hashable(value))
                if found_key not in known.found:
                    variant = with_answer(base, question_id, value, self.kb)
                    by_context.setdefault(variant.context.model_dump_json(), []).append((found_key, variant))
            base_key = base.context.model_dump_json()
            if known.current is None:  # the current answers ride along with the variants of their context
                by_context.setdefault(base_key, [])
            for context, batch in by_context.items():
                with_base = context == base_key and known.current is None
                found = picks_and_stacks([*(v for _k, v in batch), *([base] if with_base else [])], self.kb, self.rules)
                if with_base:
                    known.current = found.pop()
                known.found.update(zip((k for k, _v in batch), found, strict=True))
        finally:
            with self._lock:
                event, known.busy = known.busy, None
            if event is not None:
                event.set()
        return known

    def known(self, answers: dict[str, AnswerValue]) -> Known | None:
        with self._lock:
            return self._known.get(state_key(answers))


def rank_questions(known: Known, pending: Sequence[tuple[str, AnswerValue]]) -> Verdict:
    """The questions whose answers change the top pick or the stack, most useful first: most
    distinct top picks, then how many answers move the pick, then the stack; ties in asking order."""
    assert known.current is not None
    current = known.current
    per_question: dict[str, list[tuple[AnswerValue, Outcome]]] = {}
    for question_id, value in pending:
        per_question.setdefault(question_id, []).append((value, known.found[(question_id, hashable(value))]))
    ranked: list[tuple[Candidate, tuple[int, int, int]]] = []
    order = {q: i for i, q in enumerate(per_question)}
    for question_id, pairs in per_question.items():
        tops = {o[0] for _v, o in pairs}
        top_changes = sum(o[0] != current[0] for _v, o in pairs)
        stack_changes = sum(o != current for _v, o in pairs)
        if not stack_changes:
            continue
        score = (len(tops | {current[0]}), top_changes, stack_changes)
        ranked.append((Candidate(question_id, tuple(v for v, _o in pairs), tuple(o for _v, o in pairs)), score))
    ranked.sort(key=lambda item: (tuple(-s for s in item[1]), order[item[0].id]))
    return Verdict(current=current, ranked=tuple(ranked))


def with_answer(base: Requirements, question_id: str, value: AnswerValue, kb: KnowledgeBase) -> Requirements:
    if question_id in kb.catalogue.contexts:
        context = base.context.model_copy(update={question_id: value})
        return base.model_copy(update={"context": context})
    return base.model_copy(update={"requirements": {**base.requirements, question_id: value}})


def state_key(answers: dict[str, AnswerValue]) -> tuple[object, ...]:
    return tuple(sorted((k, hashable(v)) for k, v in answers.items()))


def stored(value: AnswerValue) -> AnswerValue:
    """An answer as answer() stores it (a list for a multi-value context)."""
    return list(value) if isinstance(value, (list, tuple)) else value


def hashable(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def workload_support_differs(kb: KnowledgeBase) -> bool:
    """Whether the tools' components state different workload kinds (else the answer moves nothing)."""
    tables = set()
    for tool in kb.tools:
        for comp in tool.components:
            table = comp.supports.get("workload_kinds")
            if table is not None:
                tables.add(tuple(sorted((kind, value.level) for kind, value in table.values.items())))
    return len(tables) > 1


def cluster_values(rules: RuleBase) -> tuple[int, ...]:
    """One cluster count on each side of every threshold a rule compares the count with.

    Rules compare numbers with gte/gt/lte/lt/eq only, so these counts give every outcome any count can.
    """
    found: set[int] = {1}
    for rule in rules.rules:
        for _alias, pattern in rule.patterns():
            if pattern.get("kind") != "ctx" or pattern.get("key") != "clusters":
                continue
            test = pattern.get("value")
            numbers = test.values() if isinstance(test, dict) else [test]
            for n in numbers:
                if isinstance(n, int) and not isinstance(n, bool):
                    found |= {n - 1, n, n + 1}
    return tuple(sorted(v for v in found if 1 <= v <= MAX_CLUSTERS))
