"""The one place that talks to durable-rules.

durable-rules' Host starts timer threads that dispatch concurrently with callers and crash the
process with several live sessions, so this module keeps one host per process with the timers
disabled, registers each compiled ruleset once, and serialises every call with a lock (the C
engine holds the GIL anyway, so threads lose nothing). Each evaluation has its own session id,
and its state is deleted afterwards: evaluations never see each other.
"""

from __future__ import annotations

import copy
import functools
import itertools
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..dsl.compile import Bindings, compile_stage, field_getter
from ..dsl.model import START_KIND, START_RULE, RuleBase
from ..errors import EngineError
from .facts import KnownFact, encode_body


class Firing(NamedTuple):
    """One rule firing: the rule, its effect index and the facts each alias matched.

    A named tuple: a report makes thousands, and a tuple is the cheapest immutable record."""

    rule: str
    effect: int
    bindings: Bindings


# durable-rules files each fact of a session under the 32-bit FNV-1a hash of its id, and refuses
# one whose hash is already filed as "already observed", whatever its content. Left to itself it
# makes the id from a hash of the content, so two different facts collide with odds of about
# n^2 / 2^33: 2% for a session of 14,000 facts. Facts are therefore given ids "0", "1", ...,
# whose hashes are all distinct below ID_LIMIT, where the first pair collides ("40189").
ID_LIMIT = 797_186


@dataclass
class _Evaluation:
    firings: list[Firing] = field(default_factory=list)
    derived: list[dict[str, Any]] = field(default_factory=list)
    seen: set[tuple[tuple[str, Any], ...]] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    ids: Iterator[int] = field(default_factory=itertools.count)
    refused: bool = False  # durable-rules took a fact for one it had seen (see ID_LIMIT)


class _Runtime:
    """The process's single durable-rules host and the evaluations running on it."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.host: Any = None
        self.sync_action: Any = None
        self.registered: set[str] = set()
        self.live: dict[str, _Evaluation] = {}
        self.counter = itertools.count(1)

    def ensure_host(self) -> Any:
        if self.host is None:
            from durable import engine as durable_engine

            class QuietHost(durable_engine.Host):  # type: ignore[misc]
                def _run(self) -> None:
                    """No timer threads: this library never uses durable timers."""

            class SyncAction(durable_engine.Promise):  # type: ignore[misc]
                """An action as durable-rules runs it, without the reference cycle of its Promise.

                durable's Promise.run defines a self-referencing timeout closure on every call (for
                async actions); it kept each action's context and decoded facts alive until the
                cyclic garbage collector came by, which then walked them over and over. These
                actions are synchronous.
                """

                def run(self, c: Any, complete: Any) -> None:
                    try:
                        self._func(c)
                    except BaseException as error:  # as durable does: the session records it
                        c.s.exception = f"exception caught {error}"
                    complete(None)

            self.sync_action = SyncAction
            self.host = QuietHost()
        return self.host

    def action(self, func: Any) -> Any:
        self.ensure_host()
        return self.sync_action(func)


_RUNTIME = _Runtime()


def _make_action(rule_id: str, effect_types: list[str],
                 derive_getters: dict[int, list[tuple[str, Callable[[Bindings], Any]]]]) -> Any:
    def action(c: Any) -> None:
        evaluation = _RUNTIME.live.get(c.s.sid)
        if evaluation is None:  # not ours: a stale session
            return
        try:
            derived: list[dict[str, Any]] = []  # this batch's new conclusions
            # Rules fire in batches (`cap`): one action call carries every match ready so far,
            # which saves durable-rules' per-action round trip for each of them.
            for frame in c.m:
                # The raw dict, fresh from durable's JSON decoding of this batch and never reused by
                # it (its Content wrappers would cost a call per field). Its keys are the rule's
                # aliases: durable unwraps a frame only for an alias `m`, which rules may not use.
                bindings: Bindings = frame._d
                for index, etype in enumerate(effect_types):
                    if etype == "derive":
                        fact = {k: get(bindings) for k, get in derive_getters[index]}
                        key = tuple(sorted(fact.items()))
                        if key in evaluation.seen:
                            # Derived facts form a set: the same conclusion twice is asserted once,
                            # but each derivation is a firing (a what-if replay counts a fact's support).
                            evaluation.firings.append(Firing(rule_id, index, bindings))
                            continue
                        evaluation.seen.add(key)
                        fact = KnownFact(fact)  # later stages assert it again: encoded once
                        evaluation.derived.append(fact)
                        derived.append(fact)
                    evaluation.firings.append(Firing(rule_id, index, bindings))
            if derived:
                # One call for the whole batch; Closure.assert_fact would make one per fact.
                _assert_text(c._ruleset, _facts_json(c.s.sid, evaluation, derived))
        except Exception as exc:
            if type(exc).__name__ == "MessageObservedException":
                evaluation.refused = True
            evaluation.errors.append(f"rule {rule_id}: {type(exc).__name__}: {str(exc)[:200]}")

    return action


def _facts_json(sid: str, evaluation: _Evaluation, facts: list[dict[str, Any]]) -> str:
    """Facts as durable-rules' JSON, each with the session and its own id; knowledge facts bring
    their encoding with them (facts.KnownFact)."""
    stamp = f'"sid":"{sid}","id":"'
    parts = []
    for fact in facts:
        body = fact.body() if isinstance(fact, KnownFact) else encode_body(fact)
        parts.append(f'{{{body},{stamp}{_fact_id(evaluation)}"}}')
    return f"[{','.join(parts)}]"


def _assert_text(ruleset: Any, text: str) -> Any:
    """durable-rules' Ruleset.assert_facts for facts already encoded (it would json.dumps them)."""
    import durable_rules_engine

    return ruleset._handle_result(durable_rules_engine.assert_facts(ruleset._handle, text), text)


def _fact_id(evaluation: _Evaluation) -> str:
    number = next(evaluation.ids)
    if number >= ID_LIMIT:
        raise EngineError(f"one evaluation asserts more than {ID_LIMIT:,} facts, more than the rule engine can "
                          "keep apart; use a smaller knowledge base or fewer requirements")
    return str(number)


def _stage_name(rules: RuleBase, stage: int) -> str:
    return f"rb_{rules.digest}_s{stage}"


def _register(rules: RuleBase) -> None:
    if _stage_name(rules, rules.stages[0]) in _RUNTIME.registered:
        return
    host = _RUNTIME.ensure_host()
    for stage in rules.stages:
        # Every kind asserted into this stage needs a rule that matches it: the kinds its rules
        # match, and every kind its actions derive (durable-rules refuses an unmatched fact and
        # then crashes when the half-stored session is deleted).
        kinds = sorted(rules.stage_kinds(stage) | rules.stage_derived(stage))
        definition = compile_stage(rules.rules, stage, kinds)
        for rule in rules.rules:
            if rule.stage != stage:
                continue
            effects = rule.effects()
            derive_getters = {i: [(k, field_getter(v)) for k, v in e.fields.items()]
                              for i, e in enumerate(effects) if e.type == "derive"}
            definition[rule.id]["run"] = _RUNTIME.action(
                _make_action(rule.id, [e.type for e in effects], derive_getters))
        for name, body in definition.items():
            if name.startswith("__sink."):
                body["run"] = _RUNTIME.action(_never)
        definition[START_RULE]["run"] = _RUNTIME.action(_started)
        # Host deletes `run` from the dict it is given.
        host.register_rulesets({_stage_name(rules, stage): copy.copy(definition)})
    _RUNTIME.registered.add(_stage_name(rules, rules.stages[0]))


def _started(c: Any) -> None:
    """Runs once per session so durable-rules initialises its action context (see rules.py)."""


def _never(c: Any) -> None:  # pragma: no cover - sinks never complete
    raise AssertionError("sink rule fired")


def evaluate(rules: RuleBase, facts: list[dict[str, Any]]) -> tuple[list[Firing], list[dict[str, Any]]]:
    """Run every stage over the facts; return the firings in order and all derived facts."""
    with _RUNTIME.lock:
        _register(rules)
        # durable-rules files its own state record per session under "sid-<session>"; should that
        # hash meet one of the fact ids (odds of about n / 2^32), a fresh session id clears it.
        for _attempt in range(2):
            evaluation = _evaluate_once(rules, facts)
            if not evaluation.refused:
                if evaluation.errors:
                    raise EngineError("; ".join(evaluation.errors))
                return evaluation.firings, evaluation.derived
        raise EngineError("durable-rules refused a fact as one it had already seen, twice in a row")


def _evaluate_once(rules: RuleBase, facts: list[dict[str, Any]]) -> _Evaluation:
    from durable.engine import MessageObservedException

    host = _RUNTIME.host
    sid = f"e{next(_RUNTIME.counter)}"
    evaluation = _Evaluation()
    # Every stage asserts the base facts again: each is encoded once, on first use.
    facts = [f if isinstance(f, KnownFact) else KnownFact(f) for f in facts]
    _RUNTIME.live[sid] = evaluation
    try:
        for stage in rules.stages:
            name = _stage_name(rules, stage)
            # A negated pattern only sees facts asserted before its match (durable-rules does not
            # retract a match), so the kinds this stage negates go in first, then derived facts.
            # Only the kinds this stage's rules match go in; the rest would cost time for nothing.
            kinds, negated = rules.stage_kinds(stage), rules.stage_negated(stage)
            ordered = (*evaluation.derived, *facts)
            rank = rules.negation_rank(stage)  # and among them, a rule's negated kinds before its matched ones
            selected = sorted((f for f in ordered if f["kind"] in negated), key=lambda f: rank[f["kind"]]) + \
                [f for f in ordered if f["kind"] in kinds and f["kind"] not in negated]
            present = {f["kind"] for f in selected}
            if not any(needs <= present for needs in rules.stage_needs(stage)):
                continue  # every rule here lacks a fact kind it must match: none can fire
            # Encoded before the try, which deletes the session: none exists yet if this fails.
            text = _facts_json(sid, evaluation, [{"kind": START_KIND}, *selected])
            try:
                ruleset = host.get_ruleset(name)
                state = host._handle_function(ruleset, functools.partial(_assert_text, ruleset), text, None)
            except MessageObservedException:
                evaluation.refused = True
                return evaluation
            finally:
                host.delete_state(name, sid)
            if isinstance(state, dict) and state.get("exception"):
                evaluation.errors.append(str(state["exception"])[:500])
            if evaluation.errors:
                return evaluation
    finally:
        del _RUNTIME.live[sid]
    return evaluation
