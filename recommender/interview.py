"""An adaptive interview: ask only what can still change the answer.

Like a consultation with an expert, each question is chosen because its answer could change the
advice. The first question (`SCREEN`) asks which requirements matter at all: the rest are not asked
about, and the ones picked count at medium until another importance could change the answer.
Then, for every requirement and context key not yet asked, the answers it could take are ranked
with the engine (as what-if variants, batched into one engine session by variants.picks_and_stacks), and
the question whose answers could move the top pick or the stack most comes next. The interview
stops when no single remaining answer changes the top pick or the stack: that is checked by
re-running those very variants, not estimated.

    iv = Interview()
    while (q := iv.next_question()) is not None:
        if q.id == SCREEN:
            iv.answer(q.id, ["gitops_sync", "web_ui"])   # which requirements matter
        else:
            iv.skip(q.id)                                # or iv.answer(q.id, "must"), ...
    rec = iv.recommendation()
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from .errors import InputError, Problem
from .models import Context, Importance, Requirements
from .strings import pick, t

if TYPE_CHECKING:
    from .knowledge import KnowledgeBase
    from .models import Recommendation
    from .rules import RuleBase
    from .variants import PickAndStack as Outcome

QuestionKind = Literal["importance", "choice", "multi", "integer"]
AnswerValue = str | int | list[str]

IMPORTANCES: Final[tuple[Importance, ...]] = ("must", "high", "medium", "nice")
# `avoid` is offered only where a team plausibly does not want the capability at all.
AVOIDABLE: Final = frozenset({"web_ui", "image_update_automation", "sidecar_management", "non_kubernetes_targets"})

# Context keys that only matter once a requirement they qualify is wanted: the router shifts the
# traffic and the metrics provider feeds the analysis of a progressive rollout. The cluster count
# matters once a delivery requirement is wanted (the fleet rules read it for any team that needs a
# delivery engine); other keys are always candidates.
CONTEXT_NEEDS: Final[dict[str, frozenset[str]]] = {
    "traffic_router": frozenset({"canary", "blue_green", "ab_testing", "traffic_shaping_mesh"}),
    "metrics_provider": frozenset({"canary", "blue_green", "ab_testing", "metric_analysis_rollback"}),
}
# Workload kinds matter once a progressive or workload requirement is wanted, and only when the
# tools' components support different kinds (checked against the knowledge base).
WORKLOAD_GROUPS: Final = frozenset({"progressive", "workloads"})
MAX_CLUSTERS: Final = 100_000
# The first question: which requirements matter at all. One answer settles every requirement the
# team leaves out (they are not asked about), as an expert first asks what the team needs and then
# drills into what could change the advice. Skipped, each requirement is asked about in turn.
SCREEN: Final = "requirements"
# A requirement picked there is counted at this importance until its own question is answered;
# that question comes only when another importance would change the top pick or the stack.
ASSUMED: Final[Importance] = "medium"
PREFETCH_DELAY: Final = 0.3  # seconds; far less than it takes to read a question


@dataclass(frozen=True)
class InterviewQuestion:
    """One question: `id` is a requirement id (answered with an importance) or a context key."""

    id: str
    kind: QuestionKind
    text: str
    help: str
    why: str
    choices: tuple[str, ...]  # the allowed values as written in a requirements file; () for a number
    labels: tuple[str, ...] = ()  # how each choice reads, where that is not the value itself
    sections: tuple[str, ...] = ()  # the heading each choice is listed under, where choices are grouped


@dataclass(frozen=True)
class _Candidate:
    id: str
    answers: tuple[AnswerValue, ...]
    outcomes: tuple[Outcome, ...]


@dataclass
class _Known:
    """Outcomes ranked for one set of answers: the current one and each single further answer's."""

    current: Outcome | None = None
    found: dict[tuple[str, object], Outcome] = field(default_factory=dict)
    busy: threading.Event | None = None  # set while a thread ranks them


@dataclass(frozen=True)
class _State:
    """Everything an answer changes, kept whole so back() restores it exactly."""

    answers: dict[str, AnswerValue]
    history: list[str]
    assumed: frozenset[str]  # picked in the first question, importance not asked yet
    out: frozenset[str]  # left out in the first question: not needed, not asked about
    screen: list[str] | None  # the answer to the first question


@dataclass(frozen=True)
class _Verdict:
    """The value of asking each remaining question, for one state of the answers."""

    current: Outcome
    ranked: tuple[tuple[_Candidate, tuple[int, int, int]], ...]  # changing candidates, most useful first


class Interview:
    """Ask the question whose answer could change the recommendation most, until none can.

    `knowledge`, `rules` and `lang` are taken as recommend() takes them. `initial` (a Requirements,
    e.g. a file given to `wizard --from`) counts as answered: only what could still change the
    answer is asked. One interview is one conversation: call it from one thread (prefetch() works beside it).
    """

    def __init__(self, *, knowledge: KnowledgeBase | Path | str | None = None,
                 rules: RuleBase | Path | str | None = None, lang: str = "en",
                 initial: Requirements | None = None) -> None:
        from .api import get_knowledge, get_rules
        from .strings import LANGS

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
            from .api import check_vocabulary

            problems = check_vocabulary(initial, self.kb.catalogue, "<initial>")
            if problems:
                raise InputError(problems)
            self._answers.update(initial.requirements)
            for key, value in initial.context.model_dump(exclude_defaults=True).items():
                self._answers[key] = value
            self._given = frozenset(self._answers)
            self._notes = initial.notes
        self._cache: dict[tuple[object, ...], _Verdict] = {}
        self._lock = threading.Lock()  # the outcome cache is shared with prefetch()
        self._generation = 0
        self._outcomes: dict[tuple[object, ...], _Known] = {}
        self._likely: int | None = None
        self._cluster_values = _cluster_values(self.rules)

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
        from .api import recommend

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

    def question(self, question_id: str, candidate: _Candidate | None = None) -> InterviewQuestion:
        """The question for an id, with its texts in the interview's language."""
        kind = self._kind(question_id)
        cat = self.kb.catalogue
        if question_id == SCREEN:
            ids = self._open_ids() if self._screen is None else [*self._screen, *self._out]
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

    def _screen_why(self, ids: list[str]) -> str:
        if not any(v in IMPORTANCES for v in self._answers.values()):
            return t("interview_screen_why_first", self.lang)
        ranked = {c.id for c, _s in self._verdict().ranked}
        return t("interview_screen_why", self.lang, count=sum(i in ranked for i in ids), total=len(ids))

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
                    _workload_support_differs(self.kb)
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

    def _verdict(self) -> _Verdict:
        key = (_state_key(self._answers), frozenset(self._history), self._assumed, self._out)
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
                self._fill({**answers, question_id: _stored(value)}, history, assumed, out)

        thread = threading.Thread(target=work, name="interview-prefetch", daemon=True)
        thread.start()
        return thread  # to wait for it; a conversation need not

    def _fill(self, answers: dict[str, AnswerValue], history: set[str], assumed: frozenset[str],
              out: frozenset[str]) -> _Known:
        """The outcomes of these answers and of each single further answer, ranked where not known yet.

        A skip changes no answer, so after one the re-runs of the state before still hold and
        nothing is ranked again. Safe from two threads: a state one thread is ranking is waited for.
        """
        from .variants import picks_and_stacks

        key = _state_key(answers)
        while True:
            with self._lock:
                known = self._outcomes.get(key)
                if known is None:
                    if len(self._outcomes) > 64:
                        self._outcomes.clear()
                    known = self._outcomes[key] = _Known()
                busy = known.busy
                if busy is None:
                    known.busy = threading.Event()
                    break
            busy.wait()
        try:
            base = self._requirements_of(answers)
            # Variants that share the context are ranked as worlds of one engine session.
            by_context: dict[str, list[tuple[tuple[str, object], Requirements]]] = {}
            for question_id in self._remaining_of(answers, history, assumed, out):
                for value in self._answers_for(question_id):
                    found_key = (question_id, _hashable(value))
                    if found_key not in known.found:
                        variant = _with(base, question_id, value, self.kb)
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

    def _evaluate(self) -> _Verdict:
        known = self._fill(self._answers, set(self._history), self._assumed, self._out)
        pending = [(question_id, value) for question_id in self.remaining()
                   for value in self._answers_for(question_id)]
        assert known.current is not None
        current = known.current
        results = {i: known.found[(q, _hashable(v))] for i, (q, v) in enumerate(pending)}
        per_question: dict[str, list[tuple[AnswerValue, Outcome]]] = {}
        for index, (question_id, value) in enumerate(pending):
            outcome = results[index]
            per_question.setdefault(question_id, []).append((value, outcome))
        ranked: list[tuple[_Candidate, tuple[int, int, int]]] = []
        order = {q: i for i, q in enumerate(per_question)}
        for question_id, pairs in per_question.items():
            tops = {o[0] for _v, o in pairs}
            top_changes = sum(o[0] != current[0] for _v, o in pairs)
            stack_changes = sum(o != current for _v, o in pairs)
            if not stack_changes:
                continue
            # Most distinct top picks first, then how many answers move the pick, then the stack.
            score = (len(tops | {current[0]}), top_changes, stack_changes)
            ranked.append((_Candidate(question_id, tuple(v for v, _o in pairs), tuple(o for _v, o in pairs)), score))
        ranked.sort(key=lambda item: (tuple(-s for s in item[1]), order[item[0].id]))
        return _Verdict(current=current, ranked=tuple(ranked))

    # -- why -----------------------------------------------------------------------------------------

    def _why(self, question_id: str, candidate: _Candidate | None) -> str:
        if candidate is None:
            return t("interview_why_nothing", self.lang)
        current = self._verdict().current
        tools = _tools([current[0], *(o[0] for o in candidate.outcomes)])
        names = [self.kb.tool(tool).name for tool in tools]
        no_fit = any(o[0] is None for o in candidate.outcomes) and current[0] is not None
        if len(tools) >= 2:
            if question_id in self.kb.catalogue.ids:
                details = " · ".join(self._claim_line(question_id, tool) for tool in tools)
                text = t("interview_why_between", self.lang, tools=_join(names, self.lang), details=details)
            else:
                text = t("interview_why_between_context", self.lang, tools=_join(names, self.lang),
                         details=self._values_line(candidate, tools))
        elif tools and current[0] is None and not self._answers:
            text = t("interview_why_first", self.lang, tools=_join(names, self.lang))
        elif parts := sorted({p for o in candidate.outcomes if o[0] == current[0] for p in o[1]} ^ set(current[1])):
            components = [self._component_name(part) for part in parts]
            text = t("interview_why_stack", self.lang, tool=names[0], components=_join(components, self.lang))
        elif no_fit:
            details = self._claim_line(question_id, tools[0]) if question_id in self.kb.catalogue.ids else ""
            return t("interview_why_no_fit_only", self.lang, details=details).rstrip(": ")
        else:
            text = t("interview_why_nothing", self.lang)
        if no_fit:
            text = f"{text} {t('interview_why_no_fit', self.lang)}"
        return text

    def _values_line(self, candidate: _Candidate, tools: list[str]) -> str:
        """For a context key: which answers lead to which tool, as the re-runs found ("Flux: azure-aks, gke")."""
        by_tool: dict[str, list[str]] = {}
        for value, outcome in zip(candidate.answers, candidate.outcomes, strict=True):
            shown = ", ".join(value) if isinstance(value, list) else str(value)
            by_tool.setdefault(outcome[0] or "", []).append(shown)
        parts = []
        for tool in [*tools, ""]:
            values = by_tool.get(tool)
            if not values:
                continue
            more = t("interview_more_values", self.lang, count=len(values) - 4) if len(values) > 4 else ""
            name = self.kb.tool(tool).name if tool else t("interview_no_fit_short", self.lang)
            parts.append(f"{name}: {', '.join(values[:4])}{more}")
        return " · ".join(parts)

    def _claim_line(self, req_id: str, tool_id: str) -> str:
        tool = self.kb.tool(tool_id)
        claim = tool.capabilities[req_id]
        note = _first_sentence(pick(claim.note, self.lang))
        level = t(f"cap_level_{claim.level}", self.lang)
        return f"{tool.name} ({level}): {note}" if note else f"{tool.name} ({level})"

    def _component_name(self, part: str) -> str:
        tool_id, _slash, component = part.partition("/")
        try:
            return self.kb.tool(tool_id).component(component).name
        except KeyError:
            return part


def _with(base: Requirements, question_id: str, value: AnswerValue, kb: KnowledgeBase) -> Requirements:
    if question_id in kb.catalogue.contexts:
        context = base.context.model_copy(update={question_id: value})
        return base.model_copy(update={"context": context})
    return base.model_copy(update={"requirements": {**base.requirements, question_id: value}})


def _state_key(answers: dict[str, AnswerValue]) -> tuple[object, ...]:
    return tuple(sorted((k, _hashable(v)) for k, v in answers.items()))


def _stored(value: AnswerValue) -> AnswerValue:
    """An answer as answer() stores it (a list for a multi-value context)."""
    return list(value) if isinstance(value, (list, tuple)) else value


def _hashable(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def _tools(picks: Iterable[str | None]) -> list[str]:
    """The tools named by top picks ("a|b" names two), in first-seen order."""
    out: list[str] = []
    for found in picks:
        for tool in (found or "").split("|"):
            if tool and tool not in out:
                out.append(tool)
    return out


def _join(names: Sequence[str], lang: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    joined = f"{', '.join(names[:-1])}{t('interview_and', lang)}{names[-1]}"
    if lang == "ko":
        from .korean import particles  # 와/과 agrees with the name before it

        return particles(joined)
    return joined


def _first_sentence(text: str) -> str:
    for end in (". ", "다. "):
        cut = text.find(end)
        if cut > 0:
            return text[:cut + len(end) - 1]
    return text


def _workload_support_differs(kb: KnowledgeBase) -> bool:
    """Whether the tools' components state different workload kinds (else the answer moves nothing)."""
    tables = set()
    for tool in kb.tools:
        for comp in tool.components:
            table = comp.supports.get("workload_kinds")
            if table is not None:
                tables.add(tuple(sorted((kind, value.level) for kind, value in table.values.items())))
    return len(tables) > 1


def _cluster_values(rules: RuleBase) -> tuple[int, ...]:
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
