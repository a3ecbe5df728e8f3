"""The conversation: the answers so far, the next question, back, and the checks on answers."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ..errors import InputError, Problem
from ..models import Context, Importance, Requirements
from ..strings import pick, t
from .outcomes import (
    MAX_CLUSTERS,
    AnswerValue,
    Candidate,
    Outcomes,
    Verdict,
    cluster_values,
    rank_questions,
    state_key,
    stored,
    workload_support_differs,
)
from .questions import (
    ASSUMED,
    AVOIDABLE,
    CONTEXT_NEEDS,
    IMPORTANCES,
    SCREEN,
    WORKLOAD_GROUPS,
    InterviewQuestion,
    QuestionKind,
)
from .why import why

if TYPE_CHECKING:
    from ..dsl.model import RuleBase
    from ..knowledge import KnowledgeBase
    from ..models import Recommendation

PREFETCH_DELAY: Final = 0.3  # seconds; far less than it takes to read a question


@dataclass(frozen=True)
class _State:
    """Everything an answer changes, kept whole so back() restores it exactly."""

    answers: dict[str, AnswerValue]
    history: list[str]
    assumed: frozenset[str]  # picked in the first question, importance not asked yet
    out: frozenset[str]  # left out in the first question: not needed, not asked about
    screen: list[str] | None  # the answer to the first question


class Interview:
    """Ask the question whose answer could change the recommendation most, until none can.

    `knowledge`, `rules` and `lang` are taken as recommend() takes them. `initial` (a Requirements,
    e.g. a file given to `wizard --from`) counts as answered: only what could still change the
    answer is asked. One interview is one conversation: call it from one thread (prefetch() works beside it).
    """

    def __init__(self, *, knowledge: KnowledgeBase | Path | str | None = None,
                 rules: RuleBase | Path | str | None = None, lang: str = "en",
                 initial: Requirements | None = None) -> None:
        from ..api import get_knowledge, get_rules
        from ..strings import LANGS

        if lang not in LANGS:
            raise InputError([Problem("<interview>", "lang", f"unsupported language {lang!r}",
                                      f"use one of: {', '.join(LANGS)}")])
        self.kb = get_knowledge(knowledge)
        self.rules = get_rules(rules, knowledge)
        self.lang = lang
        self._answers: dict[str, AnswerValue] = {}
        self._history: list[str] = []  # ids asked in this conversation, answered or skipped, in order
        self._assumed: frozenset[str] = frozenset()
        self._out: frozenset[str] = frozenset()
        self._screen: list[str] | None = None
        # For back(): each answer's id and the whole state before it.
        self._undo: list[tuple[str, _State]] = []
        self._given: frozenset[str] = frozenset()
        self._notes: str | None = None
        if initial is not None:
            from ..api import check_vocabulary

            problems = check_vocabulary(initial, self.kb.catalogue, "<initial>")
            if problems:
                raise InputError(problems)
            self._answers.update(initial.requirements)
            for key, value in initial.context.model_dump(exclude_defaults=True).items():
                self._answers[key] = value
            self._given = frozenset(self._answers)
            self._notes = initial.notes
        self._cache: dict[tuple[object, ...], Verdict] = {}
        self._lock = threading.Lock()  # prefetch() reads the generation from its thread
        self._generation = 0
        self._outcomes = Outcomes(self.kb, self.rules)
        self._likely: int | None = None
        self._cluster_values = cluster_values(self.rules)

    # -- the conversation ------------------------------------------------------------------------

    def next_question(self, *, exhaustive: bool = False) -> InterviewQuestion | None:
        """The most useful question now, or None when no remaining answer can change the top pick or stack.

        With `exhaustive` ("ask me more"), once nothing can change the answer the remaining
        questions still come, in catalogue order, until every one is asked.
        """
        if self._screen_due():
            return self.question(SCREEN)
        verdict = self._verdict()
        self._likely = len(verdict.ranked) if self._likely is None else min(self._likely, len(verdict.ranked))
        if verdict.ranked:
            best, _score = verdict.ranked[0]
            return self.question(best.id, best)
        if exhaustive:
            rest = self.remaining()
            return self.question(rest[0]) if rest else None
        return None

    def answer(self, question_id: str, value: AnswerValue) -> None:
        """Record an answer, written exactly as in a requirements file ("must", "istio", ["deployment"], 12).

        The first question (`SCREEN`) is answered with the requirement ids that matter to the team:
        they count at `ASSUMED` importance until asked about, and the others are not asked about.
        """
        self._check(question_id, value)
        self._record(question_id)
        if question_id == SCREEN:
            picked = set(value) if isinstance(value, list | tuple) else set()  # checked above
            open_ids = self._open_ids()
            for req_id in open_ids:
                if req_id in picked:
                    self._answers[req_id] = ASSUMED
            self._assumed = frozenset(r for r in open_ids if r in picked)
            self._out = frozenset(r for r in open_ids if r not in picked)
            self._screen = [r for r in open_ids if r in picked]
            return
        self._answers[question_id] = list(value) if isinstance(value, (list, tuple)) else value

    def skip(self, question_id: str) -> None:
        """Don't care / don't know: the question is not asked again and states nothing.

        Skipping the first question (`SCREEN`) means every requirement is asked about in turn.
        """
        self._kind(question_id)
        self._record(question_id)
        if question_id != SCREEN:
            self._answers.pop(question_id, None)

    def back(self) -> str | None:
        """Undo the last answer or skip; the id it was for (asked again next), or None at the start."""
        if not self._undo:
            return None
        question_id, before = self._undo.pop()
        self._answers, self._history = before.answers, before.history
        self._assumed, self._out, self._screen = before.assumed, before.out, before.screen
        return question_id

    def requirements(self) -> Requirements:
        """The answers so far as a Requirements (what `wizard --save` writes)."""
        return self._requirements_of(self._answers)

    def _requirements_of(self, answers: dict[str, AnswerValue]) -> Requirements:
        reqs: dict[str, Importance] = {}
        context: dict[str, Any] = {}
        for key, value in answers.items():
            if key in self.kb.catalogue.contexts:
                context[key] = value
            else:
                reqs[key] = value  # type: ignore[assignment]  # checked by answer()
        ordered = {r: reqs[r] for r in self.kb.catalogue.ids if r in reqs}
        return Requirements(context=Context.model_validate(context), requirements=ordered, notes=self._notes)

    def recommendation(self) -> Recommendation:
        """The full Recommendation (with explanations and what-if) for the answers so far."""
        from ..api import recommend

        return recommend(self.requirements(), knowledge=self.kb, rules=self.rules, lang=self.lang)

    # -- where it stands -------------------------------------------------------------------------

    @property
    def asked(self) -> int:
        """Questions asked in this conversation (answers and skips; back takes one off)."""
        return len(self._history)

    @property
    def answered(self) -> list[str]:
        """The ids with an answer (a file's given ones first), in the order they were given."""
        ordered = [k for k in self._answers if k in self._given]
        ordered += [k for k in self._answers if k in self._assumed and k not in self._history]
        return ordered + [k for k in self._history if k in self._answers and k not in self._given]

    @property
    def history(self) -> list[str]:
        return list(self._history)

    def value(self, question_id: str) -> AnswerValue | None:
        """The answer given to a question, or None (skipped or not asked)."""
        if question_id == SCREEN:
            return list(self._screen) if self._screen is not None else None
        return self._answers.get(question_id)

    def likely_more(self) -> int:
        """How many more questions are likely, never more than the last time it was said.

        The estimate is the number of questions whose answer could still change the result; an
        answer can open new ones, so it is an estimate, and it is held from going up. Before the
        first question (`SCREEN`) is answered it is a bound: every question that could be asked.
        """
        if self._screen_due():
            return 1 + len(self.remaining())
        if self._likely is None:
            self._likely = len(self._verdict().ranked)
        return self._likely

    def could_change(self) -> bool:
        """Whether some single remaining answer would still change the top pick or the stack."""
        return self._screen_due() or bool(self._verdict().ranked)

    def remaining(self) -> list[str]:
        """Every id not yet asked that could be asked now (requirements in catalogue order, then context).

        A requirement left out in the first question is not among them; one picked there is, until
        its importance is asked.
        """
        return self._remaining_of(self._answers, set(self._history), self._assumed, self._out)

    def _remaining_of(self, answers: dict[str, AnswerValue], history: set[str],
                      assumed: frozenset[str], out: frozenset[str]) -> list[str]:
        done = history | out | (set(answers) - assumed)
        return [i for i in self._candidate_ids(answers) if i not in done]

    def _open_ids(self) -> list[str]:
        """Requirements with no answer yet and not left out: what the first question lists."""
        return [i for i in self.kb.catalogue.ids if i not in self._answers and i not in self._out]

    def _screen_due(self) -> bool:
        """Whether the first question comes now: not asked yet, and its answer could change something."""
        if SCREEN in self._history or len(self._open_ids()) < 2:
            return False
        if not any(v in IMPORTANCES for v in self._answers.values()):
            return True  # nothing wanted yet: any requirement picked sets the ranking
        ids = set(self.kb.catalogue.ids)
        return any(c.id in ids for c, _s in self._verdict().ranked)

    def question(self, question_id: str, candidate: Candidate | None = None) -> InterviewQuestion:
        """The question for an id, with its texts in the interview's language."""
        kind = self._kind(question_id)
        cat = self.kb.catalogue
        if question_id == SCREEN:
            ids = self._screen_ids() if self._screen is None else [*self._screen, *self._out]
            ids = [i for i in cat.ids if i in ids]
            return InterviewQuestion(
                id=SCREEN, kind="multi", text=t("interview_screen", self.lang),
                help=t("interview_screen_help", self.lang), why=self._screen_why(ids),
                choices=tuple(ids), labels=tuple(pick(cat.requirement(i).title, self.lang) for i in ids),
                sections=tuple(pick(cat.group(cat.requirement(i).group).title, self.lang) for i in ids))
        if kind == "importance":
            req = cat.requirement(question_id)
            text = t("wizard_how_important", self.lang, title=pick(req.title, self.lang))
            help_text = pick(req.help, self.lang) or pick(req.definition, self.lang)
            choices: tuple[str, ...] = IMPORTANCES + (("avoid",) if question_id in AVOIDABLE else ())
        else:
            spec = cat.contexts[question_id]
            text, help_text = pick(spec.title, self.lang), pick(spec.help, self.lang)
            choices = tuple(spec.values)
        if candidate is None:
            verdict = self._verdict()
            candidate = next((c for c, _s in verdict.ranked if c.id == question_id), None)
        return InterviewQuestion(id=question_id, kind=kind, text=text, help=help_text,
                                 why=self._why(question_id, candidate), choices=choices)

    def _screen_ids(self) -> list[str]:
        """What the first question lists: every open requirement while nothing is stated; once
        something is (a file given with --from), only those whose answer could still change the top
        pick or the stack. Picking one of the others would change nothing, so it is not offered
        (and, like any requirement not picked, not asked about)."""
        open_ids = self._open_ids()
        if not any(v in IMPORTANCES for v in self._answers.values()):
            return open_ids
        ranked = {c.id for c, _s in self._verdict().ranked}
        return [i for i in open_ids if i in ranked]

    def _screen_why(self, ids: list[str]) -> str:
        if not any(v in IMPORTANCES for v in self._answers.values()):
            return t("interview_screen_why_first", self.lang)
        ranked = {c.id for c, _s in self._verdict().ranked}
        listed = sum(i in ranked for i in ids)
        return t("interview_screen_why", self.lang, count=listed, left=len(self._open_ids()) - listed)

    # -- checks ----------------------------------------------------------------------------------

    def _kind(self, question_id: str) -> QuestionKind:
        cat = self.kb.catalogue
        if question_id == SCREEN:
            return "multi"
        if question_id in cat.contexts:
            spec = cat.contexts[question_id]
            return "integer" if spec.integer else "multi" if spec.multi else "choice"
        if question_id in cat.ids:
            return "importance"
        import difflib

        close = difflib.get_close_matches(question_id, [*cat.ids, *cat.contexts], n=1)
        raise InputError([Problem("<interview>", question_id, f"unknown question id {question_id!r}",
                                  f"did you mean {close[0]!r}?" if close else "use a requirement id or context key")])

    def _check(self, question_id: str, value: object) -> None:
        kind = self._kind(question_id)
        problem: str | None = None
        if question_id == SCREEN:
            if not isinstance(value, (list, tuple)) or not set(value) <= set(self.kb.catalogue.ids):
                problem = f"{value!r} is not a list of requirement ids"
        elif kind == "importance" and value not in (*IMPORTANCES, "avoid"):
            problem = f"{value!r} is not an importance; use one of: must, high, medium, nice, avoid"
        elif kind == "choice":
            allowed = self.kb.catalogue.contexts[question_id].values
            if value not in allowed:
                problem = f"{value!r} is not allowed; use one of: {', '.join(allowed)}"
        elif kind == "multi":
            allowed = self.kb.catalogue.contexts[question_id].values
            if not isinstance(value, (list, tuple)) or not set(value) <= set(allowed):
                problem = f"{value!r} is not a list of: {', '.join(allowed)}"
        elif kind == "integer" and (not isinstance(value, int) or isinstance(value, bool)
                                    or not 1 <= value <= MAX_CLUSTERS):
            problem = f"{value!r} is not a whole number from 1 to {MAX_CLUSTERS}"
        if problem:
            raise InputError([Problem("<interview>", question_id, problem, "answer with a value from `choices`")])

    def _record(self, question_id: str) -> None:
        """Before an answer or skip is stored: what back() needs to restore the state before it."""
        self._undo.append((question_id, _State(dict(self._answers), list(self._history), self._assumed,
                                               self._out, self._screen)))
        if question_id in self._history:
            self._history.remove(question_id)  # answered again from the review: it moves to the end
        self._history.append(question_id)

    # -- which question ----------------------------------------------------------------------------

    def _candidate_ids(self, answers: dict[str, AnswerValue]) -> list[str]:
        cat = self.kb.catalogue
        wanted = {k for k, v in answers.items() if v in IMPORTANCES}
        out = list(cat.ids)
        for key in cat.contexts:
            needs = CONTEXT_NEEDS.get(key)
            if needs is not None and not needs & wanted:
                continue
            if key == "clusters" and not any(cat.groups_by_requirement.get(r) == "delivery" for r in wanted):
                continue
            if key == "workload_kinds" and not (
                    workload_support_differs(self.kb)
                    and any(cat.groups_by_requirement.get(r) in WORKLOAD_GROUPS for r in wanted)):
                continue
            out.append(key)
        return out

    def _answers_for(self, question_id: str) -> tuple[AnswerValue, ...]:
        kind = self._kind(question_id)
        if kind == "importance":
            return IMPORTANCES + (("avoid",) if question_id in AVOIDABLE else ())
        if kind == "integer":
            return self._cluster_values
        values = self.kb.catalogue.contexts[question_id].values
        # A list answer is judged by each single value; combinations are left to the review.
        return tuple([v] for v in values) if kind == "multi" else tuple(values)

    def _verdict(self) -> Verdict:
        key = (state_key(self._answers), frozenset(self._history), self._assumed, self._out)
        found = self._cache.get(key)
        if found is None:
            found = self._evaluate()
            if len(self._cache) > 256:
                self._cache.clear()
            self._cache[key] = found
        return found

    def prefetch(self, question_id: str) -> threading.Thread:
        """Rank, in the background, what each answer to this question leads to, while it is read.

        The next question then comes without waiting for the engine. It stops after the answer it
        is ranking once the question is answered or another prefetch starts.
        """
        answers, history = dict(self._answers), set(self._history) | {question_id}
        assumed, out = self._assumed, self._out
        steps = len(self._undo)
        with self._lock:
            self._generation += 1
            generation = self._generation

        def work() -> None:
            # A question answered at once (typed ahead, or scripted) needs no look-ahead: a newer
            # prefetch by then makes this one stop before it starts.
            time.sleep(PREFETCH_DELAY)
            if question_id == SCREEN:
                return  # its answers are subsets of the requirements: too many to rank ahead
            for value in self._answers_for(question_id):
                # Once the question is answered (or a newer one prefetched), the look-ahead is moot.
                if self._generation != generation or len(self._undo) != steps:
                    return
                self._fill({**answers, question_id: stored(value)}, history, assumed, out)

        thread = threading.Thread(target=work, name="interview-prefetch", daemon=True)
        thread.start()
        return thread  # to wait for it; a conversation need not

    def _fill(self, answers: dict[str, AnswerValue], history: set[str], assumed: frozenset[str],
              out: frozenset[str]) -> None:
        """Rank what these answers lead to, and each single further answer, where not known yet."""
        self._outcomes.fill(answers, self._requirements_of(answers), self._pending(answers, history, assumed, out))

    def _pending(self, answers: dict[str, AnswerValue], history: set[str], assumed: frozenset[str],
                 out: frozenset[str]) -> list[tuple[str, AnswerValue]]:
        return [(question_id, value) for question_id in self._remaining_of(answers, history, assumed, out)
                for value in self._answers_for(question_id)]

    def _evaluate(self) -> Verdict:
        history = set(self._history)
        pending = self._pending(self._answers, history, self._assumed, self._out)
        known = self._outcomes.fill(self._answers, self.requirements(), pending)
        return rank_questions(known, pending)

    def _why(self, question_id: str, candidate: Candidate | None) -> str:
        current = self._verdict().current
        return why(self.kb, self.lang, question_id, candidate, current, bool(self._answers))
