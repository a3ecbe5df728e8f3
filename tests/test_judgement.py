"""The team's situation decides: workloads, router, tools already in use, platform and what the
report claims about them. Each scenario names the public source whose statement it encodes."""

from __future__ import annotations

from conftest import order, result, run

from recommender import recommend


def rules_of(rec, tool: str) -> set[str]:  # type: ignore[no-untyped-def]
    found = result(rec, tool)
    return {e.rule for e in found.explanations} | {r.rule for r in found.risks} | {e.rule for e in found.exclusions}


def test_a_daemonset_team_does_not_get_a_controller_that_cannot_roll_daemonsets() -> None:
    # Argo Rollouts has no DaemonSet support (argo-rollouts#1457 open); Flagger's Canary targetRef may
    # be a DaemonSet (docs.flagger.app, "How it works"). Argo CD with Flagger is documented
    # (Flagger: "works with Argo CD"). So Argo Rollouts cannot meet a canary must here: Argo keeps
    # its engine and borrows Flagger, Flux fits with its own controller.
    rec = run({"gitops_sync": "must", "canary": "must"}, {"workload_kinds": ["daemonset"], "traffic_router": "istio"})
    assert order(rec)[0] == "flux"
    argo = result(rec, "argo")
    assert argo.verdict != "excluded" and "pd.workload_partner_cost" in rules_of(rec, "argo")
    assert "pd.workload_gap_penalty" not in rules_of(rec, "argo")


def test_a_must_no_controller_of_the_family_can_serve_excludes_the_tool() -> None:
    # Flagger does not roll out StatefulSets (flagger#410, open since 2020) and no Flux pairing with
    # Kruise Rollouts is documented: for a StatefulSet-only team a canary must is unmet by Flux.
    rec = run({"gitops_sync": "must", "canary": "must"}, {"workload_kinds": ["statefulset"], "traffic_router": "nginx"})
    flux = result(rec, "flux")
    assert flux.verdict == "excluded"
    assert any(e.rule == "exclude.must_workloads_unserved" and e.requirement == "canary" for e in flux.exclusions)


def test_a_controller_serving_some_kinds_meets_the_must_in_part_and_the_pick_is_a_partial_fit() -> None:
    # Argo Rollouts rolls out Deployment-style workloads, not StatefulSets (argo-rollouts#1635):
    # a team with both meets a canary must only in part, which the verdict and confidence say.
    rec = run({"gitops_sync": "must", "canary": "must", "web_ui": "high", "sso": "high"},
              {"workload_kinds": ["deployment", "statefulset"], "traffic_router": "istio"})
    argo = result(rec, "argo")
    assert argo.partial_musts == ["canary"]
    assert rec.top is not None and rec.top.tool == "argo" and rec.top.verdict == "partial"
    assert rec.confidence is not None and rec.confidence.level in ("medium", "low")
    assert any("only in part" in r for r in rec.confidence.reasons)


def test_avoiding_mesh_traffic_shaping_means_no_router_for_canaries() -> None:
    # Flagger: "Without a router there is no canary, only blue-green" (deployment-strategies docs:
    # Blue/Green on Kubernetes CNI); Argo Rollouts approximates canary weights by replica ratios
    # without a router (argo-rollouts docs, traffic management). Avoiding mesh traffic shaping with
    # no router named is the same as traffic_router: none.
    avoid = run({"gitops_sync": "must", "canary": "high", "traffic_shaping_mesh": "avoid"})
    stated = run({"gitops_sync": "must", "canary": "high"}, {"traffic_router": "none"})
    for rec in (avoid, stated):
        assert "pd.router_unsupported" in rules_of(rec, "flux")
    assert order(avoid)[0] == "argo"


def test_an_avoid_that_removes_what_a_must_needs_is_named_as_a_conflict() -> None:
    # A/B testing routes by header or cookie, which needs an L7 router (Argo Rollouts and Flagger
    # docs); avoiding traffic shaping leaves none, so an A/B must conflicts with it.
    rec = run({"gitops_sync": "must", "ab_testing": "must", "traffic_shaping_mesh": "avoid"})
    conflicts = [r for t in ("argo", "flux") for r in result(rec, t).risks if r.rule == "pd.no_router_conflict"]
    assert conflicts and all("Conflict" in r.text for r in conflicts)
    assert all(result(rec, t).verdict == "excluded" for t in ("argo", "flux"))


def test_a_team_on_aks_already_running_argo_cd_keeps_it() -> None:
    # AKS offers Flux v2 as a cluster extension (learn.microsoft.com, "GitOps with Flux v2"), but a
    # team that runs Argo CD keeps it: the offer does not pay for the migration, and the report says
    # what switching would cost.
    reqs = {"gitops_sync": "must", "helm": "high", "kustomize": "high", "sops_secrets": "medium"}
    rec = run(reqs, {"platform": "azure-aks", "already_using": ["argo-cd"]})
    assert order(rec)[0] == "argo"
    assert result(rec, "argo").keeps == ["delivery"]
    assert "context.switch_cost" in {r.rule for r in result(rec, "flux").risks}
    assert rec.decisive is not None and "The team already runs Argo CD" in rec.decisive.text
    assert rec.confidence is not None and rec.confidence.level != "high"


def test_a_must_the_incumbent_cannot_meet_overturns_it() -> None:
    # Flagger cannot roll out StatefulSets (flagger#410); Kruise Rollouts can, documented with Argo
    # CD (openkruise.io, Kruise Rollouts with Argo CD). A Flux team whose canary must covers
    # StatefulSets has to change, and the exclusion names that must.
    rec = run({"gitops_sync": "must", "canary": "must"},
              {"already_using": ["flux"], "workload_kinds": ["statefulset"], "traffic_router": "nginx"})
    assert order(rec)[0] != "flux"
    flux = result(rec, "flux")
    assert flux.keeps == ["delivery"] and flux.verdict == "excluded"
    assert [e.requirement for e in flux.exclusions] == ["canary"]


def test_a_platform_offer_for_a_layer_nobody_asked_for_adds_nothing() -> None:
    # AKS's managed offer is the Flux GitOps engine (learn.microsoft.com, "GitOps with Flux v2"):
    # a team asking only for canaries and metric analysis gets nothing from it.
    rec = run({"canary": "must", "metric_analysis_rollback": "high"},
              {"platform": "azure-aks", "traffic_router": "istio"})
    assert "context.platform_ships_it" not in rules_of(rec, "flux")
    needed = run({"gitops_sync": "must", "canary": "high"}, {"platform": "azure-aks", "traffic_router": "istio"})
    assert "context.platform_ships_it" in rules_of(needed, "flux")


def test_the_confidence_lead_is_the_difference_the_ranking_shows() -> None:
    # With one candidate there is no lead over a runner-up to quote: the line says it is the only one.
    rec = run({"gitops_sync": "must", "in_place_update": "high", "workflow_dag_orchestration": "must"})
    assert rec.top is not None
    assert [r.tool for r in rec.ranking if r.candidate] == [rec.top.tool]
    assert rec.confidence is not None
    assert rec.confidence.margin == round(rec.top.score - rec.ranking[1].score, 1)
    assert any("Only" in reason for reason in rec.confidence.reasons)
    assert not any("Clear lead" in reason for reason in rec.confidence.reasons)


def test_an_archived_best_match_is_named_with_what_the_maintained_pick_lacks() -> None:
    # Keptn was archived by the CNCF in 2025 (cncf/toc); its SLO quality gates and DORA metrics were
    # its strength (keptn.sh docs). The report says Keptn would match best, and what Argo lacks.
    rec = run({"slo_quality_gates": "high", "dora_observability": "high", "pre_post_deploy_tasks": "high"})
    assert rec.top is not None and rec.top.tool != "keptn"
    assert "Keptn would match these requirements best" in rec.order_reason
    keptn = result(rec, "keptn")
    assert keptn.verdict == "unsuited" and keptn.unsuited_because == "archived"


def test_a_flux_team_running_argo_rollouts_keeps_both() -> None:
    # Argo Rollouts FAQ: it does not depend on Argo CD and works with other GitOps tools such as Flux.
    # A team running Flux and Argo Rollouts keeps its engine and its controller: no Flagger.
    rec = run({"gitops_sync": "must", "canary": "high", "metric_analysis_rollback": "high"},
              {"already_using": ["flux", "argo-rollouts"], "traffic_router": "istio"})
    assert order(rec)[0] == "flux"
    components = {p.component for p in rec.stack}
    assert "argo-rollouts" in components and "flagger" not in components
    assert result(rec, "argo").in_stack and result(rec, "argo").verdict != "recommended"


def test_hundreds_of_small_clusters_and_a_handful_of_large_ones_get_different_answers() -> None:
    # Flux runs in every cluster and pulls (fluxcd.io, installation and air-gapped guides); Argo CD
    # pushes from one control plane that shards its application controller by cluster (Argo CD
    # operator manual, high availability), and its pull agent argocd-agent is not GA
    # (argoproj-labs/argocd-agent). Same requirements: a fleet of 300 clusters and one of 4.
    reqs = {"gitops_sync": "must", "helm": "high", "kustomize": "high", "web_ui": "medium"}
    fleet = run(reqs, {"clusters": 300})
    few = run(reqs, {"clusters": 4})
    assert order(fleet)[0] == "flux" and order(few)[0] == "argo"
    assert "fleet.hub_at_scale" in {r.rule for r in result(fleet, "argo").risks}
    assert "fleet.pull_per_cluster" in rules_of(fleet, "flux")
    assert not {"fleet.hub_at_scale", "fleet.pull_per_cluster"} & (rules_of(few, "argo") | rules_of(few, "flux"))


def test_two_tools_at_the_cap_are_ordered_by_context_not_reported_as_a_tie() -> None:
    # Both engines meet every stated requirement natively; the fleet size separates them, and the
    # report says what ordered them rather than calling it a tie.
    rec = run({"gitops_sync": "must", "helm": "high", "kustomize": "high"}, {"clusters": 300})
    assert rec.decisive is not None and rec.decisive.first == "flux"
    assert "tie" not in rec.decisive.text and "Fleet of 300 clusters" in rec.decisive.text
    assert rec.sensitivity is not None and "tie" not in rec.sensitivity.text.lower()
    # The lead before the cap is not called "a moderate lead" as if the scores differed.
    assert rec.confidence is not None and rec.confidence.reasons[0].startswith("Both reach the 100 cap")


def test_a_rival_ahead_by_more_than_a_thin_lead_moves_a_team_off_its_tool() -> None:
    # Authentik moved from Flux to Argo CD for its built-in UI (goauthentik.io blog, 2023-12-21,
    # "Five lessons from choosing infrastructure tooling"). Flux's score counts what switching costs
    # (context.already_running_component); Argo CD still leads by more than a thin lead, so the keep
    # gives way and the order reason says why.
    rec = run({"gitops_sync": "must", "web_ui": "high", "app_templating_many_apps": "medium"},
              {"already_using": ["flux"]})
    assert order(rec)[:2] == ["argo", "flux"]
    flux = result(rec, "flux")
    assert flux.keeps == [] and "context.incumbent_keeps" in rules_of(rec, "flux")
    assert "context.already_running_component" in rules_of(rec, "flux")
    assert rec.top is not None and rec.top.score - flux.score > 3  # confidence.thin
    assert rec.decisive is not None and "which the team already runs" in rec.decisive.text
    assert "context.switch_cost" in {r.rule for r in rec.top.risks}


def test_a_thin_lead_does_not_move_a_team_off_its_tool() -> None:
    # The same team, but the rival leads by no more than a thin lead: an expert does not migrate.
    rec = run({"gitops_sync": "must", "sops_secrets": "high", "web_ui": "nice"}, {"already_using": ["argo-cd"]})
    argo, flux = result(rec, "argo"), result(rec, "flux")
    assert 0 < flux.score - argo.score <= 3
    assert order(rec)[0] == "argo" and argo.keeps == ["delivery"]
    assert rec.decisive is not None and "stays first" in rec.decisive.text and "thin lead" in rec.decisive.text


def test_a_platform_offer_does_not_pay_for_a_migration() -> None:
    # AKS ships Flux as a cluster extension (learn.microsoft.com, "GitOps with Flux v2"): that makes
    # Flux cheaper to adopt, but not cheaper to migrate to from the Argo CD a team already runs.
    reqs = {"gitops_sync": "must", "helm": "high", "kustomize": "high", "sops_secrets": "medium"}
    fresh = run(reqs, {"platform": "azure-aks"})
    assert "context.platform_ships_it" in rules_of(fresh, "flux")
    running = run(reqs, {"platform": "azure-aks", "already_using": ["argo-cd"]})
    assert "context.platform_ships_it" not in rules_of(running, "flux")
    assert order(running)[0] == "argo"


def test_a_tool_kept_for_two_layers_says_which_in_each_line() -> None:
    # Flux serves the delivery engine and, with its notification controller, event triggers: each
    # keep is its own conclusion, and its line names its layer rather than repeating the other.
    rec = run({"gitops_sync": "must", "image_update_automation": "high", "event_driven_triggers": "medium"},
              {"already_using": ["flux"]})
    flux = result(rec, "flux")
    kept = [e.text for e in flux.explanations if e.rule == "context.incumbent_keeps"]
    assert sorted(flux.keeps) == ["delivery", "workflows"] and len(set(kept)) == len(kept) == 2
    assert any("GitOps delivery engine" in text for text in kept)


def test_a_pick_the_platform_offers_managed_says_so_in_the_stack() -> None:
    """Audit (UK MoJ on EKS): the platform's managed offer counted for Argo CD, yet the stack read as
    a self-run Argo CD. The stack part now names the platform that offers it, in every format."""
    from recommender.render import render

    rec = recommend({"requirements": {"gitops_sync": "must", "web_ui": "high", "sso": "high"},
                     "context": {"platform": "aws-eks"}})
    engine = next(p for p in rec.stack if p.component == "argo-cd")
    assert rec.top is not None and rec.top.tool == "argo" and engine.managed == "aws-eks"
    assert "context.platform_ships_it" in engine.rules
    assert "offered managed by aws-eks" in render(rec, "table", width=200)
    assert "argo (offered managed by aws-eks)" in render(rec, "markdown")
    assert "argo (offered managed by aws-eks)" in render(rec, "html")
    plain = recommend({"requirements": {"gitops_sync": "must", "web_ui": "high", "sso": "high"}})
    assert all(p.managed == "" for p in plain.stack)
    runs_flux = recommend({"requirements": {"gitops_sync": "must", "web_ui": "high", "sso": "high"},
                           "context": {"platform": "aws-eks", "already_using": ["flux"]}})
    assert all(p.managed == "" for p in runs_flux.stack)  # no offer for a tool that replaces the team's
