"""Scenarios written from the projects' own public guidance, not from the engine's output.

Each test names the source whose statement it encodes.
"""

from __future__ import annotations

from conftest import losses, order, result, run

from recommender import Recommendation


def test_ui_sso_multi_tenant_platform_prefers_argo() -> None:
    # Flux FAQ: "Flux does not provide a UI of its own"; Argo CD docs list a web UI, SSO
    # (OIDC, SAML, LDAP...), multi-tenancy with projects and RBAC, and ApplicationSets.
    rec = run({"gitops_sync": "must", "web_ui": "must", "sso": "high", "multi_tenancy_rbac": "high",
               "app_templating_many_apps": "medium"})
    assert order(rec)[0] == "argo"
    assert [p.component for p in rec.stack] == ["argo-cd"]


def test_cli_first_oci_sops_image_automation_prefers_flux() -> None:
    # Flux docs: SOPS decryption in kustomize-controller, OCIRepository and Bucket sources,
    # image-automation controllers (GA in v2.7), modular controllers with no UI or server.
    rec = run({"gitops_sync": "must", "cli_first_lightweight": "high", "oci_source": "high",
               "bucket_source": "medium", "sops_secrets": "high", "image_update_automation": "high"})
    assert order(rec)[0] == "flux"
    flux = result(rec, "flux")
    assert {e.requirement for e in flux.explanations if e.kind == "meets"} >= {"sops_secrets", "bucket_source"}


def test_in_place_updates_with_gitops_is_a_stack_of_openkruise_and_argo_cd() -> None:
    # openkruise.io "GitOps with Kruise" documents Argo CD driving CloneSets; OpenKruise is not a
    # GitOps engine, and no Argo or Flux component updates pods in place.
    rec = run({"gitops_sync": "must", "in_place_update": "must", "sidecar_management": "high"})
    parts = {(p.tool, p.component) for p in rec.stack}
    assert ("argo", "argo-cd") in parts
    assert any(tool == "openkruise" for tool, _ in parts)
    # One pick; the partner is deployed with it, shown as in the stack, not as a second pick.
    assert rec.top is not None and rec.top.verdict == "recommended"
    partner = result(rec, "argo" if rec.top.tool == "openkruise" else "openkruise")
    assert partner.verdict != "recommended" and partner.in_stack
    # Flux has no documented pairing with OpenKruise, so it cannot cover in-place updates.
    assert result(rec, "flux").verdict == "excluded"


def test_graduated_only_with_in_place_updates_has_no_fit_and_names_the_way_out() -> None:
    # CNCF landscape: only Argo and Flux are graduated; only OpenKruise updates pods in place.
    rec = run({"cncf_graduated_only": "must", "in_place_update": "must"})
    assert rec.no_fit is not None
    assert all(r.verdict == "excluded" for r in rec.ranking)
    assert sorted(rec.no_fit.relaxations) == [["cncf_graduated_only"], ["in_place_update"]]
    assert rec.no_fit.conflicts == [["cncf_graduated_only", "in_place_update"]]
    assert rec.stack == []


def test_archived_keptn_is_never_recommended_for_slo_gates_over_maintained_tools() -> None:
    # cncf/toc#1584: Keptn archived 2025-09-03. Argo Rollouts analysis and Flagger checks gate
    # releases on metrics.
    rec = run({"slo_quality_gates": "must", "pre_post_deploy_tasks": "high"})
    keptn = result(rec, "keptn")
    assert order(rec)[0] != "keptn"
    assert any(r.severity == "high" and r.rule == "risk.archived_project" for r in keptn.risks)
    # "Do not adopt it for new work": never a pick, not even a viable one, though the report
    # still shows what it would have met.
    assert keptn.score == 0 and keptn.verdict == "unsuited"
    assert any(e.kind == "meets" and e.requirement == "slo_quality_gates" for e in keptn.explanations)


def test_project_health_must_excludes_archived_keptn() -> None:
    rec = run({"slo_quality_gates": "must", "active_project_health": "must"})
    keptn = result(rec, "keptn")
    assert keptn.verdict == "excluded"
    assert any(x.requirement == "active_project_health" for x in keptn.exclusions)


def test_canary_on_aws_alb_prefers_argo_rollouts_over_flagger() -> None:
    # Argo Rollouts README: AWS ALB traffic routing is stable. Flagger's router factory has no ALB.
    # Argo Rollouts' FAQ: a standalone project that does not need Argo CD, so Flux can run it too,
    # at the cost of a second family; a new team takes Argo CD and Argo Rollouts together.
    reqs = {"gitops_sync": "must", "canary": "must", "metric_analysis_rollback": "high"}
    rec = run(reqs, {"traffic_router": "aws-alb", "metrics_provider": "prometheus"})
    assert order(rec)[:2] == ["argo", "flux"]
    flux = result(rec, "flux")
    assert any(e.rule == "pd.router_partner_cost" and e.requirement == "canary" and e.points < 0
               for e in flux.explanations)
    assert not any(e.rule == "pd.router_gap_penalty" for e in flux.explanations)
    assert any(p.component == "argo-rollouts" for p in rec.stack)
    # A team already on Flux keeps it and adds Argo Rollouts, rather than switching engines.
    shop = run(reqs, {"traffic_router": "aws-alb", "metrics_provider": "prometheus", "already_using": ["flux"]})
    assert order(shop)[0] == "flux"
    assert {(p.tool, p.component) for p in shop.stack} == {("flux", "flux"), ("argo", "argo-rollouts")}


def test_flux_team_wanting_canaries_on_istio_keeps_flux_and_adds_flagger() -> None:
    # Flagger is the Flux family's progressive-delivery operator and supports Istio.
    rec = run({"gitops_sync": "must", "canary": "must", "metric_analysis_rollback": "high"},
              {"traffic_router": "istio", "metrics_provider": "prometheus", "already_using": ["flux"]})
    assert order(rec)[0] == "flux"
    assert [p.component for p in rec.stack] == ["flux", "flagger"]


def test_workflow_and_ml_pipelines_prefer_argo_workflows() -> None:
    # Argo Workflows README: container-native DAG/steps engine for CI, ML and batch; Flux has none.
    rec = run({"workflow_dag_orchestration": "must", "ml_pipelines": "high", "event_driven_triggers": "high"})
    assert order(rec)[0] == "argo"
    assert {"argo-workflows", "argo-events"} <= {p.component for p in rec.stack}
    assert result(rec, "flux").verdict == "excluded"


def test_kruise_rollouts_has_no_metric_analysis() -> None:
    # openkruise/rollouts: the analysis step is a `// todo` stub; rollouts#16 open since 2022.
    rec = run({"canary": "must", "metric_analysis_rollback": "must"})
    kruise = result(rec, "openkruise")
    assert kruise.verdict == "excluded"
    assert [x.requirement for x in kruise.exclusions] == ["metric_analysis_rollback"]


def test_statefulset_canaries_penalise_argo_rollouts_and_flagger() -> None:
    # argo-rollouts#1635 and flagger#410: no StatefulSet support.
    # Kruise Rollouts, documented with Argo CD, rolls out StatefulSets in batches: Argo keeps its
    # engine and borrows that controller, at the cost of a second family. No Flux-Kruise pairing is
    # documented, so Flux keeps the penalty for a controller that cannot roll them out.
    rec = run({"canary": "high"}, {"workload_kinds": ["statefulset"]})
    rules = {tool: {e.rule for e in result(rec, tool).explanations} for tool in ("argo", "flux")}
    assert "pd.workload_partner_cost" in rules["argo"] and "pd.workload_gap_penalty" not in rules["argo"]
    assert "pd.workload_gap_penalty" in rules["flux"]
    assert not any(e.rule == "pd.workload_gap_penalty" for e in result(rec, "openkruise").explanations)


def test_on_aks_flux_leads_when_both_engines_meet_everything() -> None:
    # learn.microsoft.com "GitOps with Flux v2" (AKS / Arc): the cluster extension installs and
    # manages Flux. Argo CD meets these requirements too, so both reach the 100 cap, and the
    # platform that ships Flux must still decide rather than the alphabetical tie-break.
    rec = run({"gitops_sync": "must", "multi_cluster": "high", "helm": "high"}, {"platform": "azure-aks"})
    flux, argo = result(rec, "flux"), result(rec, "argo")
    assert flux.score == argo.score == 100.0
    assert order(rec)[0] == "flux" and flux.verdict == "recommended"
    assert set(flux.beyond_cap) == {"context.platform_ships_it"} and argo.beyond_cap == {}
    assert rec.decisive is not None and rec.decisive.margin == round(sum(flux.beyond_cap.values()), 1) > 0
    assert [f.requirement for f in rec.decisive.factors] == ["context.platform_ships_it"]
    assert "azure-aks" in rec.order_reason and "tie" not in rec.order_reason


def test_a_team_already_running_argo_cd_keeps_it_when_flux_meets_everything_too() -> None:
    # Both engines meet these natively; what the team already runs carries over (manifests,
    # skills, operations), so the one in use leads instead of the alphabetical tie-break.
    reqs = {"gitops_sync": "must", "helm": "high", "kustomize": "high"}
    assert order(run(reqs, {"already_using": ["flux"]}))[0] == "flux"
    assert order(run(reqs, {"already_using": ["argo-cd"]}))[0] == "argo"
    tie = run(reqs)
    assert result(tie, "flux").standing == result(tie, "argo").standing  # nothing separates them
    assert tie.decisive is not None and "tie" in tie.decisive.text


def test_canary_on_gateway_api_prefers_the_controller_that_drives_it_natively() -> None:
    # Flagger's router package has gatewayapi v1/v1beta1 providers; Argo Rollouts reaches the
    # Gateway API only through the argoproj-labs plugin (argo-rollouts docs, traffic-management
    # plugins). Both meet canary and analysis; the partial router support must cost Argo points.
    rec = run({"canary": "must", "metric_analysis_rollback": "must", "gitops_sync": "high"},
              {"traffic_router": "gateway-api", "metrics_provider": "prometheus"})
    assert order(rec)[0] == "flux"
    argo = result(rec, "argo")
    assert any(e.rule == "pd.router_partial_penalty" and e.requirement == "canary" and e.points < 0
               for e in argo.explanations)
    assert not any(e.rule == "pd.router_partial_penalty" for e in result(rec, "flux").explanations)


def test_at_the_cap_the_factor_is_what_really_differs_not_a_bonus_both_have() -> None:
    # The team runs both engines, so both get the same "already runs it" bonus and both reach 100.
    # Argo Rollouts reaches the Gateway API only through a plugin (a penalty on canary): that, not
    # the shared bonus, is what puts Flux first, and the report must say so.
    rec = run({"gitops_sync": "must", "canary": "high", "helm": "high"},
              {"already_using": ["argo-cd", "flux"], "traffic_router": "gateway-api"})
    flux, argo = result(rec, "flux"), result(rec, "argo")
    assert flux.score == argo.score == 100.0 and order(rec)[0] == "flux"
    assert rec.decisive is not None and [f.requirement for f in rec.decisive.factors] == ["canary"]
    assert rec.decisive.margin == round(sum(flux.beyond_cap.values()) - sum(argo.beyond_cap.values()), 1) > 3
    assert rec.confidence is not None and rec.confidence.margin == rec.decisive.margin


def test_a_partner_already_in_the_stack_serves_what_the_tool_meets_only_in_part() -> None:
    # Alibaba Cloud ACK ships OpenKruise and Argo CD (ACK One GitOps). OpenKruise is paired with
    # Argo CD for in-place updates; its WorkloadSpread/UnitedDeployment meet large-scale rollout
    # natively, where Argo Rollouts meets it only in part, so an expert deploys no Argo Rollouts.
    rec = run({"in_place_update": "must", "large_scale_workloads": "high", "gitops_sync": "high"},
              {"platform": "alibaba-ack"})
    parts = {p.component: p for p in rec.stack}
    assert set(parts) == {"argo-cd", "kruise"}
    assert "large_scale_workloads" in parts["kruise"].requirements
    # One pick; the partner is deployed with it, shown as in the stack, not as a second pick.
    assert rec.top is not None and rec.top.verdict == "recommended"
    partner = result(rec, "argo" if rec.top.tool == "openkruise" else "openkruise")
    assert partner.verdict != "recommended" and partner.in_stack


def test_a_partner_controller_rolls_out_what_the_tools_own_cannot() -> None:
    # Argo Rollouts rolls out Rollout (Deployment-style) workloads only (argo-rollouts#1635 asks for
    # StatefulSets); Kruise Rollouts, documented with Argo CD, rolls out StatefulSets in batches. A
    # team that runs only StatefulSets gets Kruise Rollouts for its canaries, not two controllers.
    reqs = {"gitops_sync": "must", "canary": "must", "stateful_progressive_delivery": "must"}
    ctx = {"already_using": ["argo-cd"], "traffic_router": "nginx", "metrics_provider": "prometheus"}
    only = run(reqs, {**ctx, "workload_kinds": ["statefulset"]})
    assert order(only)[0] == "argo"
    parts = {p.component: p for p in only.stack}
    assert set(parts) == {"argo-cd", "kruise_rollouts"}
    assert set(parts["kruise_rollouts"].requirements) == {"canary", "stateful_progressive_delivery"}
    # With Deployments too, Argo Rollouts keeps rolling those out.
    mixed = run(reqs, {**ctx, "workload_kinds": ["deployment", "statefulset"]})
    assert {p.component for p in mixed.stack} == {"argo-cd", "argo-rollouts", "kruise_rollouts"}


def test_deploying_to_vms_only_is_no_fit_rather_than_a_pick_at_zero() -> None:
    # Argo CD, Flux, Flagger and OpenKruise all act on Kubernetes API objects only; none deploys to
    # VMs or serverless. Recommending one of them at 0 points would be a tie-break, not advice.
    rec = run({"non_kubernetes_targets": "high"})
    assert rec.top is None and rec.stack == []
    assert {r.verdict for r in rec.ranking} == {"unsuited"}
    assert rec.no_fit is not None
    assert rec.no_fit.failing == {} and rec.no_fit.relaxations == []
    assert "scores 0" in rec.no_fit.text
    assert rec.confidence is not None and rec.confidence.level == "low"
    assert rec.sensitivity is not None and "No tool scores above 0" in rec.sensitivity.text


def test_a_tool_with_nothing_to_show_is_unsuited_not_viable() -> None:
    # Keptn does no canary (its docs: it adds tasks and evaluations to what others deploy) and is
    # archived (cncf/toc#1584), so its partial web UI is outweighed by the archive penalty.
    rec = run({"canary": "high", "web_ui": "nice"})
    keptn = result(rec, "keptn")
    assert keptn.score == 0 and keptn.verdict == "unsuited"
    assert order(rec)[-1] == "keptn"
    assert [r.verdict for r in rec.ranking[:3]] == ["recommended", "viable", "viable"]


def test_the_only_tool_that_scores_is_said_to_be_the_only_one() -> None:
    # openkruise.io: in-place update and sidecar management are OpenKruise's own; no Argo, Flux or
    # Keptn component updates pods in place.
    rec = run({"in_place_update": "high", "sidecar_management": "nice"})
    assert order(rec)[0] == "openkruise"
    assert {r.verdict for r in rec.ranking[1:]} == {"unsuited"}
    assert rec.decisive is None
    assert rec.order_reason.startswith("Only one tool has anything to show")


def test_a_team_that_wants_no_ui_gets_flux_and_no_stack_sneaks_argo_cds_ui_back_in() -> None:
    # Flux FAQ: Flux has no UI of its own (the Flux Operator's is a separate install); Argo CD's
    # default install serves a web UI. openkruise.io documents GitOps for Kruise through Argo CD.
    rec = run({"gitops_sync": "must", "web_ui": "avoid", "advanced_statefulset": "nice"})
    assert order(rec)[0] == "flux"
    flux, argo, kruise = result(rec, "flux"), result(rec, "argo"), result(rec, "openkruise")
    assert not [e for e in flux.explanations if e.requirement == "web_ui" and e.points != 0]
    assert any(e.rule == "score.avoid_optional" for e in flux.explanations)
    assert any(e.rule == "score.avoid" and e.points < 0 for e in argo.explanations)
    # OpenKruise meets GitOps only through Argo CD, so its stack brings Argo CD's UI with it.
    assert any(e.rule == "stack.partner_avoid" and e.points < 0 for e in kruise.explanations)
    assert kruise.score < flux.score


def test_avoiding_an_opt_in_component_costs_nothing_and_a_default_one_costs() -> None:
    # fluxcd.io optional components: the image automation controllers are extras that flux
    # bootstrap leaves out. OpenKruise's SidecarSet runs in kruise-manager, installed by default.
    rec = run({"gitops_sync": "high", "image_update_automation": "avoid", "sidecar_management": "avoid"})
    flux, kruise = result(rec, "flux"), result(rec, "openkruise")
    assert not [e for e in flux.explanations if e.points < 0]
    assert [e.requirement for e in kruise.explanations if e.rule == "score.avoid"] == ["sidecar_management"]


def test_slo_gates_on_dynatrace_prefer_the_controller_that_queries_it_natively() -> None:
    # Flagger's metrics docs list a dynatrace provider; Argo Rollouts analysis reaches Dynatrace
    # only through its generic web provider. A gate is only as good as the metrics it can read.
    rec = run({"slo_quality_gates": "must", "pre_post_deploy_tasks": "high"}, {"metrics_provider": "dynatrace"})
    assert order(rec)[0] == "flux"
    argo = result(rec, "argo")
    assert any(e.rule == "pd.metrics_partial_penalty" and e.requirement == "slo_quality_gates"
               for e in argo.explanations)


def test_canary_without_a_router_is_not_something_flagger_does() -> None:
    # Flagger FAQ: outside a mesh, Flagger "can orchestrate Blue/Green style deployments with
    # Kubernetes L4 networking"; its canary shifts weight through a mesh, ingress or Gateway API.
    # Argo Rollouts approximates canary weights by replica ratio, and Kruise Rollouts runs
    # multi-batch canaries, both without a router.
    rec = run({"canary": "must", "gitops_sync": "high"}, {"traffic_router": "none"})
    assert order(rec)[0] == "argo"
    flux = result(rec, "flux")
    assert any(r.rule == "pd.router_unsupported" for r in flux.risks)
    # Flux keeps a canary only by running Argo Rollouts, which its FAQ says needs no Argo CD.
    assert any(e.rule == "pd.router_partner_cost" and e.requirement == "canary" and e.points < 0
               for e in flux.explanations)
    assert not any(e.rule in ("pd.router_partial_penalty", "pd.router_gap_penalty") for e in flux.explanations)
    assert not losses(rec, "openkruise", "pd.router_")


def test_blue_green_switches_a_service_so_the_router_raises_no_concern() -> None:
    # Argo Rollouts' BlueGreen strategy switches Service selectors, and Flagger's kubernetes
    # provider switches the ClusterIP Service: neither needs a mesh or ingress for blue-green.
    rec = run({"blue_green": "must", "gitops_sync": "high"}, {"traffic_router": "none"})
    for tool in rec.ranking:
        assert not any(r.rule.startswith("pd.router_") for r in tool.risks), tool.tool
        assert not any(e.rule.startswith("pd.router_") for e in tool.explanations), tool.tool
    # With a canary in the same team, the router matters again.
    canary = run({"blue_green": "must", "canary": "high", "gitops_sync": "high"}, {"traffic_router": "none"})
    assert any(r.rule == "pd.router_unsupported" for r in result(canary, "flux").risks)


def test_ab_testing_is_priced_by_what_the_router_does_for_headers() -> None:
    # Flagger's deployment-strategies page lists Traefik for canary but not for A/B testing; Argo
    # Rollouts' Traefik router leaves SetHeaderRoute empty. Both can reach Traefik's Gateway API
    # (Flagger's gatewayapi provider, the argoproj-labs plugin), so A/B is possible only in part.
    # Weighted canary through Traefik works fully for both.
    rec = run({"ab_testing": "high", "canary": "high"}, {"traffic_router": "traefik"})
    for tool in ("argo", "flux"):
        lines = result(rec, tool).explanations
        assert [(e.rule, e.requirement) for e in lines if e.points < 0 and e.rule.startswith("pd.router")] == \
            [("pd.router_req_partial", "ab_testing")], tool


def test_without_a_router_there_is_no_header_routing_nor_exact_weights() -> None:
    # Argo Rollouts' traffic-management page: without a mesh or ingress, routing by header is not
    # possible and replica counts are the only way to split traffic. Kruise Rollouts' multi-batch
    # release follows the replica share. The canary itself works for both.
    rec = run({"ab_testing": "high", "traffic_shaping_mesh": "high", "canary": "high"}, {"traffic_router": "none"})
    for tool in ("argo", "openkruise"):
        penalised = losses(rec, tool)
        assert penalised >= {("pd.router_req_none", "ab_testing"), ("pd.router_req_none", "traffic_shaping_mesh")}
        assert not any(r == "canary" for _rule, r in penalised), tool


def test_tenants_syncing_with_their_own_rbac_prefer_flux() -> None:
    # Flux's multi-tenancy lockdown applies each tenant's Kustomizations as that tenant's
    # ServiceAccount; Argo CD's sync impersonation is a beta feature (v3.5.0), off by default, and
    # its docs call AppProjects alone not secure enough. Both meet multi-tenancy as such.
    rec = run({"gitops_sync": "must", "multi_tenancy_rbac": "must", "least_privilege_sync": "must",
               "multi_cluster": "high"})
    assert order(rec)[0] == "flux"
    argo = result(rec, "argo")
    assert any(r.rule == "risk.beta_feature" and r.requirement == "least_privilege_sync" for r in argo.risks)
    assert argo.verdict == "viable"  # beta still meets the must


def test_canaries_on_gloo_go_to_the_controller_that_drives_that_gloo() -> None:
    # Flagger's deployment-strategies page lists Gloo Edge for canary, A/B and blue-green, with a
    # Gloo tutorial; Argo Rollouts has no Gloo Edge integration (argo-rollouts#620). For Gloo
    # Platform it is the reverse: Argo Rollouts has the argoproj-labs glooplatform plugin (on its
    # alpha plugin system) and Flagger's Gloo Platform provider is an open work in progress.
    edge = run({"canary": "must", "ab_testing": "high", "gitops_sync": "high"}, {"traffic_router": "gloo-edge"})
    assert order(edge)[0] == "flux"
    assert "flagger" in {p.component for p in edge.stack}
    # Argo CD can still run Flagger (Flagger's README: usable with Argo; Argo CD checks its
    # Canaries' health), at the cost of a second family.
    assert any(e.rule == "pd.router_partner_cost" and e.requirement == "canary" and e.points < 0
               for e in result(edge, "argo").explanations)
    assert not losses(edge, "flux", "pd.router")
    # A team already on Argo CD keeps it and runs Flagger; Argo Rollouts' alpha header routing
    # is then not what serves A/B, so it is no risk of this stack.
    shop = run({"canary": "must", "ab_testing": "high", "gitops_sync": "must"},
               {"traffic_router": "gloo-edge", "already_using": ["argo-cd"]})
    assert order(shop)[0] == "argo"
    assert {(p.tool, p.component) for p in shop.stack} == {("argo", "argo-cd"), ("flux", "flagger")}
    assert not any(r.rule == "risk.alpha_feature" for r in result(shop, "argo").risks)
    platform = run({"canary": "must", "gitops_sync": "high"}, {"traffic_router": "gloo-platform"})
    assert order(platform)[0] == "argo"
    assert any(e.rule == "pd.router_partial_penalty" and e.requirement == "canary" and e.points < 0
               for e in result(platform, "argo").explanations)
    assert any(r.rule == "pd.router_unsupported" for r in result(platform, "flux").risks)


def test_a_tool_that_meets_nothing_itself_does_not_ride_on_its_partner() -> None:
    # OpenKruise's docs pair it with Argo CD for GitOps, and Keptn's with Argo CD or Flux: the pair
    # is worth deploying for what OpenKruise or Keptn add. Asked for GitOps alone, neither adds
    # anything, so pairing is no way around the must: the answer is simply Argo CD or Flux. Nor
    # does OpenKruise deliver to many clusters: its maintainers point to Argo CD (kruise#1437).
    rec = run({"gitops_sync": "must", "drift_self_heal": "high", "multi_cluster": "high"})
    for tool in ("openkruise", "keptn"):
        assert result(rec, tool).verdict == "excluded", tool
        assert result(rec, tool).score == 0.0, tool
        assert not result(rec, tool).covers, tool
    # With something of its own to add, OpenKruise is covered by Argo CD again.
    rec = run({"gitops_sync": "must", "in_place_update": "must"})
    kruise = result(rec, "openkruise")
    assert kruise.verdict == "recommended" and [c.by for c in kruise.covers] == ["argo"]


def test_canaries_on_ambassador_go_to_argo_rollouts_without_header_routing() -> None:
    # Argo Rollouts has a built-in Ambassador router that weights a '-canary' Mapping; its
    # SetHeaderRoute does nothing and the validator refuses header routes with it. Flagger's router
    # package has no Ambassador or Emissary router (flagger#142 open).
    rec = run({"canary": "must", "ab_testing": "high", "gitops_sync": "high"}, {"traffic_router": "ambassador"})
    assert order(rec)[0] == "argo"
    assert losses(rec, "argo", "pd.router") == {("pd.router_req_none", "ab_testing")}
    # Flux could run Argo Rollouts for the canary, but nobody routes headers on Ambassador.
    assert {("pd.router_partner_cost", "canary"), ("pd.router_gap_penalty", "ab_testing")} <= losses(rec, "flux")


def test_canaries_on_skipper_go_to_flagger_but_ab_tests_do_not_work_there() -> None:
    # Flagger's skipper provider sets backend weights on a canary Ingress; Skipper is listed for
    # canary only ("TODO: A/B testing" in its router). Argo Rollouts has no Skipper router, and
    # Skipper implements no Gateway API for its plugin (zalando/skipper#3021).
    rec = run({"canary": "must", "ab_testing": "high", "gitops_sync": "high"}, {"traffic_router": "skipper"})
    assert order(rec)[0] == "flux"
    assert losses(rec, "flux", "pd.router") == {("pd.router_req_none", "ab_testing")}
    assert any(r.rule == "pd.router_unsupported" for r in result(rec, "argo").risks)


def test_canaries_on_openshift_routes_go_to_argo_rollouts() -> None:
    # Red Hat OpenShift GitOps 1.13 made Argo Rollouts GA, with Route-based canaries through the
    # OpenShift Route plugin it installs. Flagger has no Route provider; a Route splits by weight
    # only, so header-based A/B is not possible there for anyone.
    rec = run({"canary": "must", "ab_testing": "nice", "gitops_sync": "high"},
              {"traffic_router": "openshift-route"})
    assert order(rec)[0] == "argo"
    assert losses(rec, "argo", "pd.router") == {("pd.router_req_none", "ab_testing")}
    assert any(r.rule == "pd.router_unsupported" for r in result(rec, "flux").risks)


def test_an_argo_cd_team_on_alibaba_alb_runs_kruise_rollouts() -> None:
    # Alibaba Cloud's ACK guides pair Argo CD with Kruise Rollouts, whose bundled Lua scripts drive
    # ALB Ingress; Argo Rollouts has no Alibaba ALB router. OpenKruise documents the Argo CD pairing.
    rec = run({"canary": "must", "gitops_sync": "must"},
              {"traffic_router": "alibaba-alb", "already_using": ["argo-cd"]})
    assert order(rec)[0] == "argo"
    assert {(p.tool, p.component) for p in rec.stack} == {("argo", "argo-cd"), ("openkruise", "kruise_rollouts")}
    assert any(e.rule == "pd.router_partner_cost" and e.requirement == "canary"
               for e in result(rec, "argo").explanations)


def test_keeping_deployments_as_they_are_counts_against_argo_rollouts_rollout_kind() -> None:
    # Argo Rollouts' migration guide: convert the Deployment to a Rollout, or reference it through
    # workloadRef scaled to zero. Flagger's Canary targets the Deployment as it is (running a
    # -primary copy); Kruise Rollouts is a bypass component on existing workloads.
    rec = run({"canary": "must", "keep_workload_manifests": "must"}, {"traffic_router": "istio"})
    argo, flux, kruise = (result(rec, t) for t in ("argo", "flux", "openkruise"))
    assert order(rec)[-2:] == ["argo", "keptn"]
    assert argo.verdict == "viable" and argo.score < min(flux.score, kruise.score)
    assert any(e.requirement == "keep_workload_manifests" and e.level == "partial" for e in argo.explanations)
    assert result(rec, "keptn").verdict == "excluded"


def test_ab_tests_on_nginx_are_no_alpha_risk_for_argo_rollouts() -> None:
    # Argo Rollouts' NGINX page: header-based canaries go through canary-by-header in
    # additionalIngressAnnotations, an NGINX feature; its alpha setHeaderRoute is for Istio, ALB
    # and APISIX. Elsewhere A/B through Argo Rollouts stays an alpha risk.
    reqs = {"canary": "must", "ab_testing": "high", "gitops_sync": "must"}
    nginx = result(run(reqs, {"traffic_router": "nginx"}), "argo")
    assert not any(r.rule == "risk.alpha_feature" for r in nginx.risks)
    istio = result(run(reqs, {"traffic_router": "istio"}), "argo")
    assert any(r.rule == "risk.alpha_feature" and r.requirement == "ab_testing" for r in istio.risks)


def test_a_partner_controller_takes_over_only_a_rollout_it_can_run_whole() -> None:
    # The partner's controller replaces the tool's only where it serves the team's whole rollout:
    # Argo Rollouts' header routes on ALB are alpha (its README), it rolls out no DaemonSets
    # (argo-rollouts#1457), and Kruise Rollouts has no metric analysis (rollouts#16).
    alpha_ab = run({"gitops_sync": "must", "canary": "high", "ab_testing": "high"},
                   {"traffic_router": "aws-alb", "already_using": ["flux"]})
    assert {("pd.router_partner_cost", "canary"), ("pd.router_gap_penalty", "ab_testing")} <= losses(alpha_ab, "flux")
    daemons = run({"gitops_sync": "must", "canary": "high"},
                  {"traffic_router": "aws-alb", "workload_kinds": ["daemonset"], "already_using": ["flux"]})
    assert not any(e.rule == "pd.router_partner_cost" for e in result(daemons, "flux").explanations)
    analysis = run({"gitops_sync": "must", "canary": "high", "metric_analysis_rollback": "must"},
                   {"traffic_router": "alibaba-alb", "already_using": ["argo-cd"]})
    assert not any(p.component == "kruise_rollouts" for p in analysis.stack)
    assert not any(e.rule == "pd.router_partner_cost" for e in result(analysis, "argo").explanations)


def test_a_feature_the_router_cannot_use_is_no_maturity_risk_on_top() -> None:
    # On Ambassador Argo Rollouts routes no headers at all (pd.router_req_none costs that); its
    # alpha header routing is then no further risk.
    rec = run({"gitops_sync": "must", "canary": "high", "ab_testing": "high"}, {"traffic_router": "ambassador"})
    argo = result(rec, "argo")
    assert any(e.rule == "pd.router_req_none" and e.requirement == "ab_testing" for e in argo.explanations)
    assert not any(r.rule == "risk.alpha_feature" for r in argo.risks)
    assert order(rec)[0] == "argo"


def _points(rec: Recommendation, tool: str, requirement: str) -> float:
    return sum(e.points for e in result(rec, tool).explanations if e.requirement == requirement)


def test_charts_that_need_real_helm_releases_prefer_flux() -> None:
    # Argo CD docs (user-guide/helm.md): Helm "is only used to inflate charts with helm template",
    # the lifecycle is Argo CD's, lookup is unsupported and test hooks have no equivalent. Flux's
    # helm-controller docs: it performs Helm actions itself, "including Helm tests, rollbacks".
    rec = run({"gitops_sync": "must", "helm": "high", "helm_release_fidelity": "high"})
    assert order(rec)[0] == "flux"
    assert 0 < _points(rec, "argo", "helm_release_fidelity") < _points(rec, "flux", "helm_release_fidelity")
    # Plain Helm charts alone do not separate them: both deploy charts.
    assert _points(rec, "argo", "helm") == _points(rec, "flux", "helm")


def test_edge_clusters_that_pull_their_own_state_prefer_flux() -> None:
    # Flux docs: Flux runs in each cluster, with an air-gapped installation guide
    # (installation/configuration/air-gapped.md). argocd-agent's README (argoproj-labs): agents
    # connect out to a hub and cope with intermittent connections, but it is before 1.0 (v0.9.0).
    rec = run({"gitops_sync": "must", "edge_pull_agents": "must", "multi_cluster": "high"})
    assert order(rec)[0] == "flux"
    argo = result(rec, "argo")
    assert argo.verdict != "excluded"
    assert {e.component for e in argo.explanations if e.requirement == "edge_pull_agents" and e.kind == "meets"} \
        == {"argocd-agent"}
    assert any(r.rule == "risk.beta_feature" and r.requirement == "edge_pull_agents" for r in argo.risks)


def test_staged_rollout_across_clusters_prefers_argo_cd_progressive_syncs() -> None:
    # Argo CD feature-maturity.md: AppSet Progressive Syncs and the Source Hydrator are Beta, both off
    # by default. Flux has no controller that gates one group of clusters on another's health.
    rec = run({"gitops_sync": "must", "multi_cluster": "high", "staged_fleet_rollout": "high",
               "rendered_manifests": "medium"})
    assert order(rec)[0] == "argo"
    argo = result(rec, "argo")
    assert {r.requirement for r in argo.risks if r.rule == "risk.beta_feature"} >= {"staged_fleet_rollout",
                                                                                     "rendered_manifests"}
    assert 0 < _points(rec, "flux", "staged_fleet_rollout") < _points(rec, "argo", "staged_fleet_rollout")


def test_verifying_signed_sources_prefers_flux() -> None:
    # Flux source-controller specs: OCIRepository and OCI HelmChart verification with cosign or
    # Notation, GitRepository verification with OpenPGP. Argo CD source-integrity.md: Git GnuPG
    # verification is the only supported method.
    rec = run({"gitops_sync": "must", "artifact_verification": "must", "oci_source": "high"})
    assert order(rec)[0] == "flux"
    assert result(rec, "argo").verdict != "excluded"  # Argo CD meets the must in part (signed commits)
    assert 0 < _points(rec, "argo", "artifact_verification") < _points(rec, "flux", "artifact_verification")


def test_ordering_infrastructure_before_apps_prefers_flux_depends_on() -> None:
    # Flux Kustomization/HelmRelease `dependsOn` waits for readiness; Argo CD orders by sync waves
    # and app of apps (health.md: the Application health check must be restored for that).
    rec = run({"gitops_sync": "must", "dependency_ordering": "high"})
    assert order(rec)[0] == "flux"
    assert 0 < _points(rec, "argo", "dependency_ordering") < _points(rec, "flux", "dependency_ordering")
