"""How, why not, decisive factors, what-if and confidence, checked against re-runs."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import EXAMPLES, run

from recommender import Requirements, load_requirements, recommend


def test_what_if_claims_hold_when_re_run() -> None:
    for path in sorted(EXAMPLES.glob("*.yaml")):
        base = load_requirements(path)
        rec = recommend(base)
        assert rec.sensitivity is not None
        for change in rec.sensitivity.changes:
            variant = dict(base.requirements)
            if change.importance_to == "dropped":
                del variant[change.requirement]
            else:
                variant[change.requirement] = change.importance_to  # type: ignore[assignment]
            again = recommend(base.model_copy(update={"requirements": variant}), what_if=False)
            assert (again.top.tool if again.top else None) == change.new_top, (path.name, change)
        assert rec.sensitivity.robust == (rec.sensitivity.changes == [])


def test_a_close_call_reports_the_change_that_flips_it() -> None:
    # Argo leads on the web UI alone; as a nice-to-have, Flux's SOPS support takes over.
    rec = run({"gitops_sync": "must", "web_ui": "medium", "sops_secrets": "medium"})
    assert rec.top is not None and rec.sensitivity is not None
    flips = {(c.requirement, c.importance_to): c.new_top for c in rec.sensitivity.changes}
    assert flips, "a tie-breaking requirement should be sensitive"
    for (req, to), new_top in flips.items():
        assert new_top != rec.top.tool
        assert req in {"web_ui", "sops_secrets"}
        assert to in {"nice", "high", "dropped"}


def test_a_tie_is_reported_as_a_tie_not_as_a_robust_pick() -> None:
    # Argo CD and Flux both meet these natively: only the tie-break orders them.
    tie = run({"gitops_sync": "must", "helm": "high", "kustomize": "high"})
    assert tie.sensitivity is not None and tie.ranking[0].standing == tie.ranking[1].standing
    text = tie.sensitivity.text
    assert text.startswith("Tied:") and "Argo" in text and "Flux" in text and "Robust" not in text
    # A change that breaks the tie is named as such.
    broken = run({"gitops_sync": "must", "helm": "high", "kustomize": "high", "web_ui": "nice"})
    assert broken.sensitivity is not None and not broken.sensitivity.text.startswith("Tied")


def test_no_fit_lists_the_smallest_relaxations_that_give_a_fit() -> None:
    rec = run({"cncf_graduated_only": "must", "in_place_update": "must", "gitops_sync": "high"})
    assert rec.top is None and rec.sensitivity is not None
    assert sorted(rec.sensitivity.relaxations_for_fit) == [["cncf_graduated_only"], ["in_place_update"]]
    for relax in rec.sensitivity.relaxations_for_fit:
        variant = {**rec.requirements.requirements, **{m: "high" for m in relax}}
        assert recommend(Requirements(requirements=variant), what_if=False).top is not None  # type: ignore[arg-type]


def test_why_not_names_where_the_runner_up_lost() -> None:
    rec = run({"gitops_sync": "must", "web_ui": "must", "sso": "high"})
    assert rec.top is not None and rec.top.tool == "argo"
    flux = next(r for r in rec.ranking if r.tool == "flux")
    assert flux.why_not and flux.why_not[0].requirement in {"web_ui", "sso"}
    assert all(w.difference > 0 for w in flux.why_not)
    assert rec.decisive is not None and rec.decisive.first == "argo"
    total = sum(f.difference for f in rec.decisive.factors)
    assert abs(total - rec.decisive.margin) < 0.2


def test_confidence_reflects_margin_and_stale_knowledge() -> None:
    reqs = {"gitops_sync": "must", "web_ui": "must", "sso": "high", "multi_tenancy_rbac": "high",
            "app_templating_many_apps": "high", "workflow_dag_orchestration": "high"}
    fresh = recommend(Requirements(requirements=reqs), today=dt.date(2026, 12, 1))  # type: ignore[arg-type]
    assert fresh.confidence is not None and fresh.confidence.level == "high"
    old = recommend(Requirements(requirements=reqs), today=dt.date(2027, 12, 1))  # type: ignore[arg-type]
    assert old.confidence is not None and old.confidence.stale and old.confidence.level == "low"
    thin = run({"gitops_sync": "must"})
    assert thin.confidence is not None and thin.confidence.level == "low"


def test_a_lead_that_only_the_context_gives_is_not_a_clear_one() -> None:
    # Argo CD and Flux both meet these natively: the team's running Argo CD is the only difference.
    reqs = {"gitops_sync": "must", "drift_self_heal": "high", "multi_cluster": "high"}
    tied = run(reqs, {"already_using": ["argo-cd"]})
    assert tied.top is not None and tied.top.tool == "argo" and tied.confidence is not None
    assert tied.confidence.level == "medium"
    assert any(r.startswith("On the stated requirements alone, Argo and Flux tie")
               and "The team already runs Argo CD" in r for r in tied.confidence.reasons)
    # Without the context the same requirements are an honest tie, said as such.
    plain = run(reqs)
    assert plain.confidence is not None and not any("outside them" in r for r in plain.confidence.reasons)
    # When the requirements favour the runner-up, the report says the context overturns them.
    overturned = run({**reqs, "cli_first_lightweight": "medium"}, {"already_using": ["argo-cd"]})
    assert overturned.top is not None and overturned.top.tool == "argo" and overturned.confidence is not None
    assert any(r.startswith("On the stated requirements alone Flux would lead by")
               for r in overturned.confidence.reasons)
    assert overturned.confidence.level != "high"
    # A lead the requirements give stays clear.
    clear = run({"gitops_sync": "must", "web_ui": "must", "sso": "high", "multi_tenancy_rbac": "high"},
                {"already_using": ["argo-cd"]})
    assert clear.confidence is not None and not any("outside them" in r or "overturn" in r
                                                      for r in clear.confidence.reasons)


def test_a_tie_recommends_both_and_why_not_shows_only_visible_differences() -> None:
    tie = run({"gitops_sync": "must", "helm": "high"})
    assert [(r.tool, r.verdict) for r in tie.ranking[:2]] == [("argo", "recommended"), ("flux", "recommended")]
    # At the cap the running Argo CD's bonus is cut to a hundredth of a point: not a reason to show.
    capped = run({"sso": "must", "multi_tenancy_rbac": "high", "web_ui": "high"}, {"already_using": ["argo-cd"]})
    flux = next(r for r in capped.ranking if r.tool == "flux")
    assert flux.why_not and all(f"{w.winner_points:+.1f}" != f"{w.tool_points:+.1f}" for w in flux.why_not)
    assert flux.verdict == "viable"  # behind on requirements: not tied


def test_why_this_question_names_the_tools_an_answer_separates() -> None:
    from recommender.api import get_knowledge
    from recommender.reasoning.explain import separates

    kb = get_knowledge()
    text = separates("in_place_update", kb)
    assert "OpenKruise (native)" in text and "none" in text
    levels = {t.capabilities["in_place_update"].level for t in kb.tools}
    assert len(levels) > 1
    assert "이 질문" in separates("in_place_update", kb, "ko")


def test_a_change_that_only_ties_the_top_is_reported() -> None:
    rec = run({"gitops_sync": "must", "web_ui": "nice"})
    assert rec.sensitivity is not None and not rec.sensitivity.robust
    ties = [c for c in rec.sensitivity.changes if c.tie_with]
    assert [(c.requirement, c.importance_to) for c in ties] == [("web_ui", "dropped")]
    again = run({"gitops_sync": "must"})
    live = [r for r in again.ranking if r.verdict != "excluded"]
    assert live[0].score == live[1].score and {live[0].tool, live[1].tool} == {ties[0].new_top, ties[0].tie_with}


def test_near_misses_follow_the_joins_and_the_negations() -> None:
    """A near miss is matched with its joins: a pattern that other facts of its kind would fit,
    but not the ones the earlier patterns bound, is where the match stops. A rule that matches
    fully but whose `none:` pattern finds a fact is listed as stopped by it."""
    from recommender.api import get_knowledge, get_rules, load_requirements
    from recommender.reasoning.facts import build_facts
    from recommender.reasoning.trace import trace

    kb = get_knowledge()
    rules = get_rules(None, kb)
    istio = load_requirements(EXAMPLES / "canary-on-istio.yaml")
    near = {n.rule: n for n in trace(istio, kb, rules, "argo").near}
    stop = near["risk.beta_feature"]
    assert not stop.blocked and stop.unmatched == ["cap: kind=cap, req=$req.req, met=True, maturity=beta"]
    facts = build_facts(istio, kb, rules)[0]
    beta = [f for f in facts if f["kind"] == "cap" and f["tool"] == "argo" and f["met"] and f["maturity"] == "beta"]
    assert beta and not {f["req"] for f in beta} & set(istio.requirements)  # only the join rules them out
    blocked = {n.rule: n for n in trace(istio, kb, rules, "argo").near if n.blocked}
    assert blocked["pd.workload_unserved"].unmatched[0].startswith("none: kind=pd_serves")
    # and the trace's fired rules are still exactly the engine's
    assert "pd.workload_unserved" not in {f.rule for f in trace(istio, kb, rules, "argo").fired}


def test_explain_says_how_near_misses_are_found(capsys: pytest.CaptureFixture[str]) -> None:
    from recommender.cli.main import main

    assert main(["explain", str(EXAMPLES / "canary-on-istio.yaml"), "--tool", "argo", "--width", "200"]) == 0
    out = capsys.readouterr().out
    assert "with their joins and `none:` negations" in out and "stopped by a fact it must not see" in out


def test_explain_opens_with_where_the_tool_stands(capsys: pytest.CaptureFixture[str]) -> None:
    # The trace is for one tool: its first line gives the rank, score and verdict the report shows.
    from recommender import load_requirements, recommend
    from recommender.cli.main import main

    example = EXAMPLES / "canary-on-istio.yaml"
    flux = next(r for r in recommend(load_requirements(example), what_if=False).ranking if r.tool == "flux")
    assert main(["explain", str(example), "--tool", "flux", "--width", "200"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == f"Flux ranks {flux.rank} of 4: {flux.score:.1f} points, {flux.verdict}. The rules behind it:"


def test_a_deciding_requirement_the_team_avoids_is_named_as_one_to_avoid() -> None:
    """'decided mostly by: Web UI' read as if the team wanted a UI; it wants none, and the pick
    leads because it brings none."""
    rec = run({"gitops_sync": "must", "web_ui": "avoid", "sops_secrets": "high"})
    assert rec.decisive is not None and rec.top is not None
    assert "web_ui" in [f.requirement for f in rec.decisive.factors]
    assert "Web UI (to avoid)" in rec.decisive.text
    runner_up = rec.ranking[1]
    assert any(w.requirement == "web_ui" and w.text.startswith("Web UI (to avoid):") for w in runner_up.why_not)
    ko = run({"gitops_sync": "must", "web_ui": "avoid", "sops_secrets": "high"}, lang="ko")
    assert ko.decisive is not None and "(회피)" in ko.decisive.text
    wanted = run({"gitops_sync": "must", "web_ui": "high", "sops_secrets": "high"})
    assert wanted.decisive is not None and "to avoid" not in wanted.decisive.text
