"""The engine really reasons: every rule fires somewhere, and facts change outcomes."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES, order, result, run

from recommender import Requirements, load_requirements, recommend
from recommender.api import get_knowledge, get_rules
from recommender.reasoning.engine import evaluate
from recommender.reasoning.facts import build_facts

# Requirement sets that, between them, exercise every rule.
COVERAGE_CASES: list[tuple[dict[str, str], dict[str, object]]] = [
    ({"gitops_sync": "must", "canary": "high", "metric_analysis_rollback": "high", "ab_testing": "nice"},
     {"traffic_router": "aws-alb", "metrics_provider": "newrelic", "workload_kinds": ["statefulset", "daemonset"],
      "already_using": ["argo-cd", "openkruise"]}),
    ({"canary": "must", "slo_quality_gates": "high"},
     {"traffic_router": "linkerd", "metrics_provider": "dynatrace", "workload_kinds": ["deployment"]}),
    ({"canary": "high"}, {"traffic_router": "istio", "metrics_provider": "prometheus"}),
    ({"canary": "high", "ab_testing": "high"}, {}),  # no router named
    ({"cncf_graduated_only": "must", "in_place_update": "must", "web_ui": "avoid", "dora_observability": "nice"}, {}),
    ({"gitops_sync": "must", "in_place_update": "must", "image_update_automation": "high", "sso": "high",
      "multi_stage_promotion": "high", "web_ui": "must"}, {}),
    ({"slo_quality_gates": "must", "dora_observability": "high", "active_project_health": "must"}, {}),
    ({"cncf_graduated_only": "high", "in_place_update": "must", "gitops_sync": "must"}, {}),
    ({"gitops_sync": "must", "web_ui": "high", "stateful_progressive_delivery": "medium"}, {"platform": "openshift"}),
    ({"gitops_sync": "must", "web_ui": "avoid", "advanced_statefulset": "nice"}, {}),
    # Router support narrowed per requirement: A/B on Traefik in part, A/B without a router not at all.
    ({"ab_testing": "high", "canary": "medium", "blue_green": "nice"}, {"traffic_router": "traefik"}),
    ({"ab_testing": "high", "traffic_shaping_mesh": "nice", "canary": "must"}, {"traffic_router": "none"}),
    # Musts in the team's context: controllers that serve none, some or part of its workload kinds,
    # routers a controller cannot drive or use for the must, metrics it reaches only in part.
    ({"gitops_sync": "must", "canary": "must"}, {"workload_kinds": ["statefulset"], "traffic_router": "nginx"}),
    ({"gitops_sync": "must", "canary": "must"}, {"workload_kinds": ["deployment", "statefulset"]}),
    ({"gitops_sync": "must", "canary": "must"}, {"workload_kinds": ["daemonset"], "traffic_router": "istio"}),
    ({"gitops_sync": "must", "canary": "must"}, {"traffic_router": "alibaba-alb"}),
    ({"gitops_sync": "must", "ab_testing": "must"}, {"traffic_router": "none"}),
    ({"canary": "high", "metric_analysis_rollback": "must"}, {"metrics_provider": "dynatrace"}),
    ({"gitops_sync": "must", "ab_testing": "must", "traffic_shaping_mesh": "avoid"}, {}),
    # What the team already runs and how many clusters.
    ({"gitops_sync": "must", "canary": "high"},
     {"already_using": ["flux", "argo-rollouts"], "traffic_router": "istio"}),
    ({"gitops_sync": "must", "helm": "high"}, {"clusters": 300}),
]


def test_no_match_is_reported_twice() -> None:
    # The ranking counts every firing as its own conclusion; that holds because the facts form a
    # set (durable-rules refuses an identical fact, derived facts are deduplicated).
    kb, rules = get_knowledge(), get_rules()
    cases = [Requirements(requirements=r, context=c) for r, c in COVERAGE_CASES]  # type: ignore[arg-type]
    cases += [load_requirements(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    for case in cases:
        facts, _evidence = build_facts(case, kb, rules)
        firings, _derived = evaluate(rules, facts)
        keys = [(f.rule, f.effect, tuple(sorted((a, tuple(sorted(b.items()))) for a, b in f.bindings.items())))
                for f in firings]
        assert len(keys) == len(set(keys)), case


def _fnv1a32(text: str) -> int:
    value = 0x811C9DC5
    for byte in text.encode():
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return value


def test_fact_ids_keep_apart_in_the_engine_up_to_the_limit() -> None:
    # durable-rules files a fact under the 32-bit FNV-1a hash of its id: the ids the engine hands
    # out ("0", "1", ...) must hash apart for as many facts as one evaluation may assert.
    from recommender.reasoning.engine import ID_LIMIT

    assert len({_fnv1a32(str(n)) for n in range(ID_LIMIT)}) == ID_LIMIT
    assert _fnv1a32("40189") == _fnv1a32(str(ID_LIMIT))  # the first pair that would collide


def test_a_fact_refused_as_already_seen_is_retried_once_then_reported(monkeypatch: Any) -> None:
    import pytest

    import recommender.reasoning.engine as engine
    from recommender import EngineError

    kb, rules = get_knowledge(), get_rules()
    case = Requirements(requirements={"canary": "high", "gitops_sync": "must"})  # type: ignore[dict-item]
    facts, _evidence = build_facts(case, kb, rules)

    def run() -> list[tuple[str, int, dict[str, dict[str, Any]]]]:  # without the session's ids
        return [(f.rule, f.effect, {a: {k: v for k, v in b.items() if k not in ("sid", "id")}
                                    for a, b in f.bindings.items()}) for f in evaluate(rules, facts)[0]]

    expected = run()
    real = engine._fact_id
    attempts: list[int] = []

    def colliding(evaluation: Any) -> str:  # two distinct facts whose ids hash alike, as before ids were given
        number = int(real(evaluation))
        if number == 0:
            attempts.append(0)
        if number in (1, 2) and len(attempts) <= colliding_attempts:
            return {1: "40189", 2: "797186"}[number]  # different ids, one 32-bit hash
        return str(number)

    monkeypatch.setattr(engine, "_fact_id", colliding)
    colliding_attempts = 1  # the first attempt collides, the retry (a new session) does not
    assert run() == expected and len(attempts) == 2
    attempts.clear()
    colliding_attempts = 2
    with pytest.raises(EngineError, match="already seen"):
        evaluate(rules, facts)


def test_an_evaluation_past_the_id_limit_is_refused_clearly(monkeypatch: Any) -> None:
    import pytest

    import recommender.reasoning.engine as engine
    from recommender import EngineError

    monkeypatch.setattr(engine, "ID_LIMIT", 10)
    with pytest.raises(EngineError, match="more than 10 facts"):
        recommend(Requirements(requirements={"canary": "high"}), what_if=False)  # type: ignore[dict-item]


def fired_rules(knowledge: Path | None = None, cases: list[Requirements] | None = None) -> set[str]:
    kb, rules = get_knowledge(knowledge), get_rules(None, knowledge)
    fired: set[str] = set()
    if cases is None:
        cases = [Requirements(requirements=r, context=c) for r, c in COVERAGE_CASES]  # type: ignore[arg-type]
        cases += [load_requirements(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    for req in cases:
        facts, _ = build_facts(req, kb, rules)
        firings, _ = evaluate(rules, facts)
        fired |= {f.rule for f in firings}
    return fired


def edit_tool(knowledge: Path, tool: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = knowledge / f"{tool}.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def test_every_rule_fires_in_some_case(knowledge_copy: Path) -> None:
    all_rules = {r.id for r in get_rules().rules}
    fired = fired_rules()
    # Three rules guard against facts the bundled knowledge does not hold today (a project in
    # maintenance mode, a vendor-only claim, a rollout controller that cannot read a metrics
    # provider while meeting metric analysis); they must fire once such facts appear.

    def maintenance_and_vendor_claim(data: dict[str, Any]) -> None:
        data["project"]["status"] = "maintenance"
        data["capabilities"]["canary"]["claim"] = "vendor_claimed"

    def no_cloudwatch(data: dict[str, Any]) -> None:
        rollouts = next(c for c in data["components"] if c["id"] == "argo-rollouts")
        rollouts["supports"]["metrics_provider"]["values"]["cloudwatch"] = "none"

    edit_tool(knowledge_copy, "openkruise", maintenance_and_vendor_claim)
    edit_tool(knowledge_copy, "argo", no_cloudwatch)
    edited = fired_rules(knowledge_copy, [Requirements(
        requirements={"canary": "high", "metric_analysis_rollback": "high"},
        context={"metrics_provider": "cloudwatch"})])  # type: ignore[arg-type]
    edited |= fired_rules(knowledge_copy, [Requirements(
        requirements={"canary": "high", "metric_analysis_rollback": "must"},
        context={"metrics_provider": "cloudwatch"})])  # type: ignore[arg-type]
    assert {"risk.maintenance_project", "risk.vendor_claimed", "pd.metrics_gap_penalty",
            "exclude.must_metrics_gap"} <= edited
    assert all_rules - fired - edited == set()


def test_changing_one_knowledge_level_changes_the_ranking(knowledge_copy: Path) -> None:
    reqs = {"gitops_sync": "must", "canary": "must"}
    context = {"traffic_router": "istio"}
    before = run(reqs, context, knowledge=knowledge_copy)
    assert result(before, "flux").verdict != "excluded"
    path = knowledge_copy / "flux.yaml"
    data = yaml.safe_load(path.read_text())
    data["capabilities"]["gitops_sync"].update(level="none")
    del data["capabilities"]["gitops_sync"]["component"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    after = run(reqs, context, knowledge=knowledge_copy)
    flux = result(after, "flux")
    assert flux.verdict == "excluded"  # no GA partner brings a GitOps engine to Flux
    assert [x.requirement for x in flux.exclusions] == ["gitops_sync"]
    assert order(after) != order(before)


def test_a_requirement_raised_above_an_unsupported_router_is_priced_by_its_own_level(knowledge_copy: Path) -> None:
    # Flagger drives no traffic router on plain Kubernetes networking, yet its deployment-strategies
    # page lists Blue/Green on "Kubernetes CNI": the knowledge raises blue_green on `none`. The same
    # mechanism for a traffic-based requirement must lift the router-gap charge for that requirement.
    reqs, context = {"gitops_sync": "must", "canary": "high", "ab_testing": "medium"}, {"traffic_router": "none"}
    before = result(run(reqs, context, knowledge=knowledge_copy), "flux")
    charged = {e.requirement for e in before.explanations if e.points < 0 and e.rule.startswith("pd.router_")}
    assert charged == {"canary", "ab_testing"}
    path = knowledge_copy / "flux.yaml"
    data = yaml.safe_load(path.read_text())
    flagger = next(c for c in data["components"] if c["id"] == "flagger")
    flagger["supports"]["traffic_router"]["values"]["none"]["per_requirement"]["canary"] = "supported"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    after = result(run(reqs, context, knowledge=knowledge_copy), "flux")
    charged = {e.requirement for e in after.explanations if e.points < 0 and e.rule.startswith("pd.router_")}
    assert charged == {"ab_testing"}
    assert after.score > before.score
    # The controller still cannot drive the router, so the risk stays for what needs one.
    assert any(r.rule == "pd.router_unsupported" for r in after.risks)


def test_explanation_points_sum_to_the_score() -> None:
    for reqs, context in COVERAGE_CASES:
        rec = run(reqs, context)
        for r in rec.ranking:
            assert abs(sum(e.points for e in r.explanations) - r.score) < 0.1, (r.tool, reqs)


def test_every_explanation_cites_a_rule_and_meets_lines_cite_evidence() -> None:
    rule_ids = {r.id for r in get_rules().rules}
    rec = run({"gitops_sync": "must", "canary": "high", "in_place_update": "nice"})
    for r in rec.ranking:
        for e in r.explanations:
            assert e.rule in rule_ids
            if e.kind == "meets":
                assert e.evidence and all(u.startswith("https://") for u in e.evidence)


def test_same_input_gives_identical_output() -> None:
    reqs, context = COVERAGE_CASES[0]
    first = run(reqs, context).model_dump_json()
    assert all(run(reqs, context).model_dump_json() == first for _ in range(5))


@pytest.mark.slow
def test_threads_see_only_their_own_recommendation() -> None:
    cases = [Requirements(requirements=r, context=c) for r, c in COVERAGE_CASES]  # type: ignore[arg-type]
    expected = [recommend(c, what_if=False).model_dump_json() for c in cases]
    threads_before = threading.active_count()
    mismatches: list[int] = []
    errors: list[BaseException] = []

    start = threading.Barrier(8)

    def worker(offset: int) -> None:
        try:
            start.wait()  # all eight overlap from the first recommendation on
            for i in range(40):
                index = (i + offset) % len(cases)
                if recommend(cases[index], what_if=False).model_dump_json() != expected[index]:
                    mismatches.append(index)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and mismatches == []
    assert threading.active_count() == threads_before


def test_a_failing_rule_action_is_reported_not_swallowed(monkeypatch: Any) -> None:
    import pytest

    import recommender.reasoning.engine as engine
    from recommender import EngineError

    class Broken(set[Any]):
        def __contains__(self, key: object) -> bool:
            raise RuntimeError("disk on fire")

    real = engine._Evaluation

    def broken() -> Any:  # an evaluation whose derived-fact set fails inside every deriving action
        evaluation = real()
        evaluation.seen = Broken()
        return evaluation

    # durable-rules swallows exceptions raised inside actions; the engine must surface them.
    monkeypatch.setattr(engine, "_Evaluation", broken)
    with pytest.raises(EngineError, match=r"pd\.need.*disk on fire"):
        recommend(Requirements(requirements={"canary": "high"}), what_if=False)  # type: ignore[dict-item]
    monkeypatch.undo()
    assert recommend(Requirements(requirements={"canary": "high"}), what_if=False).top is not None  # type: ignore[dict-item]


def test_disk_cache_serves_the_same_knowledge_and_survives_corruption(tmp_path: Path,
                                                                      monkeypatch: Any) -> None:
    from recommender.diskcache import cached
    from recommender.knowledge import KnowledgeBase, load_knowledge

    monkeypatch.setenv("RECOMMENDER_CACHE_DIR", str(tmp_path))
    built = cached(KnowledgeBase, "k", load_knowledge)
    entry = next(tmp_path.glob("k-*.pickle"))
    again = cached(KnowledgeBase, "k", lambda: (_ for _ in ()).throw(AssertionError("not from cache")))
    assert again == built
    entry.write_bytes(b"garbage")
    assert cached(KnowledgeBase, "k", load_knowledge) == built  # rebuilt, not a crash
    monkeypatch.setenv("RECOMMENDER_CACHE_DIR", "off")
    assert cached(KnowledgeBase, "k2", load_knowledge) == built and not list(tmp_path.glob("k2-*"))


# Under valgrind: one session in which none of the base's own rules fires (the case that freed
# garbage pointers before the engine made an action run in every session), then one real
# recommendation. Without the start rule, valgrind reports an invalid free inside the engine here.
_QUIET_SESSION = """
from recommender.dsl.model import Parameters, Rule, RuleBase
from recommender.reasoning.engine import evaluate

params = Parameters.model_validate({"importance_weights": {"nice": 1}, "level_factors": {"native": 1},
                                    "level_names": {}})


def one_rule(rule_id, importance):
    rule = Rule.model_validate({"id": rule_id, "description": "x",
                                "when": [{"req": {"kind": "req", "importance": importance}}],
                                "then": [{"note": {"tool": "argo", "text": {"en": "{req.req}"}}}]})
    return RuleBase(directory="t", parameters=params, rules=(rule,), files={rule_id: "t"}, digest=rule_id)


fact = {"kind": "req", "req": "canary", "importance": "nice", "weight": 1.0, "group": "progressive",
        "positive": True, "must": False}
assert evaluate(one_rule("t.never", "must"), [fact])[0] == []  # a session in which no rule fires
print(len(evaluate(one_rule("t.fires", "nice"), [fact])[0]))  # then one in which one does
"""


@pytest.mark.slow
def test_no_memory_errors_inside_the_rule_engine(tmp_path: Path) -> None:
    """durable-rules frees an uninitialised pointer when a session in which no action ran is
    deleted; the engine makes an action run in every session. valgrind proves it stays fixed.

    Without the fix this script can die with SIGSEGV, and under valgrind it always shows the
    invalid free in deleteStateNode (checked by taking the start fact out of the engine). It loads
    no knowledge: under valgrind, Python and pydantic starting up cost most of the time already."""
    import shutil
    import subprocess
    import sys

    if shutil.which("valgrind") is None:
        pytest.skip("valgrind is not installed")
    env = {**os.environ, "PYTHONMALLOC": "malloc"}
    command = [sys.executable, "-c", _QUIET_SESSION]
    plain = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert plain.returncode == 0 and plain.stdout == "1\n", plain.stderr[-2000:]
    done = subprocess.run(["valgrind", "-q", *command], capture_output=True, text=True, timeout=600, env=env,
                          cwd=tmp_path)
    assert done.returncode == 0 and done.stdout == plain.stdout, done.stderr[-2000:]
    # CPython itself trips a few known valgrind warnings; none may come from the rule engine.
    assert "durable_rules_engine" not in done.stderr, done.stderr[-4000:]


def test_disk_cache_ignores_a_directory_others_can_write(tmp_path: Path, monkeypatch: Any) -> None:
    import pickle

    from recommender.diskcache import cached
    from recommender.knowledge import KnowledgeBase, load_knowledge

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("RECOMMENDER_CACHE_DIR", str(shared))
    planted = shared / "k-0.1.0-x.pickle"
    planted.write_bytes(pickle.dumps("not a knowledge base"))
    built = cached(KnowledgeBase, "k", load_knowledge)
    assert isinstance(built, KnowledgeBase)
    assert list(shared.glob("k-*.pickle")) == [planted]  # nothing written where others can write


def _reqs_matched(condition: dict[str, object], digest: str) -> list[str]:
    """The requirements a one-rule base matches when `condition` sits beside a join on `totals`:
    of canary (weight 3, progressive) and web_ui (weight 1, delivery), the join keeps canary."""
    from recommender.dsl.model import Rule, RuleBase
    rule = Rule.model_validate({
        "id": f"t.{digest}", "description": "x",
        "when": [{"a": {"kind": "totals"}}, {"r": {"kind": "req", **condition, "weight": "$a.weight"}}],
        "then": [{"note": {"tool": "argo", "text": {"en": "{r.req}"}}}]})
    base = get_rules()
    rules = RuleBase(directory="t", parameters=base.parameters, rules=(rule,), files={rule.id: "t"}, digest=digest)
    facts = [{"kind": "totals", "weight": 3.0},
             {"kind": "req", "req": "canary", "importance": "high", "weight": 3.0, "group": "progressive",
              "positive": True, "must": False},
             {"kind": "req", "req": "web_ui", "importance": "nice", "weight": 1.0, "group": "delivery",
              "positive": True, "must": False}]
    firings, _ = evaluate(rules, facts)
    return [f.bindings["r"]["req"] for f in firings]


def test_a_join_after_an_in_list_is_enforced() -> None:
    """durable-rules drops a join condition that follows an `$or` in one pattern; the compiler
    puts joins first. Two worlds of the same team must not see each other's requirements."""
    assert _reqs_matched({"req": {"in": ["canary", "web_ui"]}}, "tjoin") == ["canary"]


def test_a_join_beside_a_not_in_list_is_enforced() -> None:
    """The same for a `not_in` (several `$neq` tests): the join beside it must still hold."""
    assert _reqs_matched({"group": {"not_in": ["governance", "workflows"]}}, "tjoinnotin") == ["canary"]


def test_a_recommendation_leaves_no_garbage_cycles() -> None:
    """Everything a recommendation allocates is freed by reference counting when it ends; the
    cyclic collector has nothing to find (durable's own action wrapper made a cycle per action,
    which kept the decoded facts alive and made the collector walk them again and again)."""
    import gc

    requirements = load_requirements(EXAMPLES / "canary-on-istio.yaml")
    recommend(requirements)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        recommend(requirements)
        found = gc.collect()
        kinds = sorted({type(o).__name__ for o in gc.garbage})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert found == 0, kinds


def test_knowledge_facts_encoded_once_match_the_facts_and_reason_alike() -> None:
    # Knowledge facts carry their JSON (facts.KnownFact) so each evaluation need not encode them;
    # the engine must reach the same conclusions as from the plain facts.
    from recommender.reasoning.facts import KnownFact

    kb, rules = get_knowledge(), get_rules()
    requirements, context = COVERAGE_CASES[0]
    facts, _evidence = build_facts(Requirements(requirements=requirements, context=context),  # type: ignore[arg-type]
                                   kb, rules)
    known = [f for f in facts if isinstance(f, KnownFact)]
    assert len(known) > len(facts) // 2
    assert all(json.loads("{" + f.body() + "}") == dict(f) for f in known)
    firings, derived = evaluate(rules, facts)
    plain_firings, plain_derived = evaluate(rules, [dict(f) for f in facts])
    def matched(found: list[Any]) -> list[Any]:  # each evaluation runs in a session of its own
        return [(f.rule, f.effect, {a: {k: v for k, v in b.items() if k != "sid"} for a, b in f.bindings.items()})
                for f in found]

    assert matched(firings) == matched(plain_firings)
    assert derived == plain_derived


def test_conclusions_do_not_depend_on_the_order_facts_come_in() -> None:
    # durable-rules never retracts a match when a negated fact arrives after it, so the engine
    # asserts the kinds a stage negates first. Knowledge and requirement facts in reverse order
    # must reach the same conclusions; before, a team avoiding what OpenKruise itself brings was
    # charged twice when Argo CD's capability fact came first (stack.partner_avoid's `none:`).
    from recommender.reasoning.ranking import Ranker

    kb, rules = get_knowledge(), get_rules()
    avoiding = ({"targeted_pod_ops": "must", "active_project_health": "must", "vendor_support": "avoid",
                 "gitops_sync": "must"}, {})
    for requirements, context in [*COVERAGE_CASES, avoiding]:
        team = Requirements(requirements=requirements, context=context)  # type: ignore[arg-type]
        facts, evidence = build_facts(team, kb, rules)

        def conclusions(given: list[Any], team: Requirements = team, evidence: Any = evidence) -> tuple[Any, ...]:
            firings, derived = evaluate(rules, given)
            ranking = Ranker(kb, rules, evidence, "en").rank(team, firings).ranking
            lines = {r.tool: sorted((e.rule, e.requirement or "", e.points) for e in r.explanations) for r in ranking}
            return (sorted(json.dumps(d, sort_keys=True) for d in derived),
                    [(r.tool, r.score, r.verdict) for r in ranking], lines)

        assert conclusions(facts) == conclusions(facts[::-1]), requirements
    rec = run(avoiding[0])
    assert [e.rule for e in result(rec, "openkruise").explanations if e.requirement == "vendor_support"] == \
        ["score.avoid"]


def test_every_base_fact_is_made_to_its_kinds_schema() -> None:
    """The facts builder and the rule checker read one schema (fact_kinds.BASE_KINDS): every fact
    the builder asserts for the examples has exactly its kind's fields, and a fact that does not
    cannot be made."""
    from recommender.api import get_knowledge, get_rules, load_requirements
    from recommender.dsl.kinds import BASE_KINDS, fact
    from recommender.reasoning.facts import build_facts

    kb = get_knowledge()
    rules = get_rules(None, kb)
    seen: set[str] = set()
    for example in sorted(EXAMPLES.glob("*.yaml")):
        facts, _evidence = build_facts(load_requirements(example), kb, rules)
        for made in facts:
            assert set(made) == {"kind", *BASE_KINDS[made["kind"]]}, made
            seen.add(made["kind"])
    assert len(seen) >= len(BASE_KINDS) - 1  # the examples exercise every kind but the rarest
    with pytest.raises(ValueError, match="missing \\['value'\\]"):
        fact("ctx", key="platform")


def _base(*rules: dict[str, Any], digest: str) -> Any:
    from recommender.dsl.model import Parameters, Rule, RuleBase

    params = Parameters.model_validate({"importance_weights": {"nice": 1}, "level_factors": {"native": 1},
                                        "level_names": {}})
    built = tuple(Rule.model_validate({"description": "x", **r}) for r in rules)
    return RuleBase(directory="t", parameters=params, rules=built, files={r.id: "t.yaml" for r in built},
                    digest=digest)


def test_a_negation_sees_its_facts_even_when_the_stage_negates_the_kind_it_matches() -> None:
    """A match is not undone by a negated fact that comes after it. Negated kinds go in first; when
    a stage also negates the kind a rule matches (here `req`), the rule's own negated kind (`ctx`)
    must still go in before it, or the rule fires although the team named a router."""
    unless_router = {"id": "t.unless_router", "when": [{"req": {"kind": "req", "req": "canary"}},
                                                      {"none": {"kind": "ctx", "key": "traffic_router"}}],
                     "then": [{"note": {"tool": "argo", "text": {"en": "no router"}}}]}
    negates_req = {"id": "t.negates_req", "when": [{"c": {"kind": "ctx", "key": "platform"}},
                                                   {"none": {"kind": "req", "req": "helm"}}],
                   "then": [{"note": {"tool": "argo", "text": {"en": "no helm"}}}]}
    rules = _base(unless_router, negates_req, digest="t-negation-order")
    assert rules.negation_rank(1)["ctx"] < rules.negation_rank(1)["req"]
    req = {"kind": "req", "req": "canary", "importance": "nice", "weight": 1.0, "group": "progressive",
           "positive": True, "must": False}
    router = {"kind": "ctx", "key": "traffic_router", "value": "istio"}
    assert [f.rule for f in evaluate(rules, [req, router])[0]] == []
    assert [f.rule for f in evaluate(rules, [req])[0]] == ["t.unless_router"]


def test_the_checker_refuses_a_derived_base_fact_and_negations_no_order_can_serve() -> None:
    from recommender.dsl.check import check_strata

    copies_req = _base({"id": "t.copy", "when": [{"c": {"kind": "ctx", "key": "clusters"}}],
                        "then": [{"derive": {"kind": "req", "req": "web_ui"}}]}, digest="t-copy")
    problems = check_strata(list(copies_req.rules), copies_req.files)
    assert any("derives kind 'req', a base kind" in p.message for p in problems)
    one = {"id": "t.one", "when": [{"r": {"kind": "req"}}, {"none": {"kind": "ctx"}}],
           "then": [{"note": {"tool": "argo", "text": {"en": "x"}}}]}
    other = {"id": "t.other", "when": [{"c": {"kind": "ctx"}}, {"none": {"kind": "req"}}],
             "then": [{"note": {"tool": "argo", "text": {"en": "x"}}}]}
    cyclic = _base(one, other, digest="t-cycle")
    assert any("negates kinds (ctx, req)" in p.message for p in check_strata(list(cyclic.rules), cyclic.files))
    assert check_strata(list(_base(one, digest="t-one").rules), {"t.one": "t.yaml"}) == []


@pytest.mark.parametrize("weight", [1.0, 1e-05, 1e20, 1.5e-07])
def test_a_number_python_writes_with_an_exponent_reaches_the_rules(weight: float) -> None:
    """durable-rules reads no exponent without a fraction: a weight of 0.00001 ("1e-05") matched
    nothing, silently, and every tool came out unsuited."""
    rules = _base({"id": "t.any_nice", "when": [{"req": {"kind": "req", "importance": "nice"}}],
                   "then": [{"note": {"tool": "argo", "text": {"en": "x"}}}]}, digest="t-exponent")
    fact = {"kind": "req", "req": "canary", "importance": "nice", "weight": weight, "group": "progressive",
            "positive": True, "must": False}
    firings = evaluate(rules, [fact])[0]
    assert [f.bindings["req"]["weight"] for f in firings] == [weight]
