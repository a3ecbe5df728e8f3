"""Requirements + knowledge -> the flat facts the rules match."""

from __future__ import annotations

from typing import Any

from .knowledge import KnowledgeBase
from .models import Requirements
from .rules import Parameters

Fact = dict[str, Any]


def build_facts(requirements: Requirements, kb: KnowledgeBase,
                params: Parameters) -> tuple[list[Fact], dict[str, list[str]]]:
    """The base facts, and an evidence index: `ev` reference -> URLs.

    Every capability of every tool is a fact, stated or not: some rules reason about what a
    component lacks (a canary controller without metric analysis) even when nobody asked.
    """
    facts: list[Fact] = []
    evidence: dict[str, list[str]] = {}
    groups = {r.id: r.group for r in kb.catalogue.requirements}
    for req_id, importance in sorted(requirements.requirements.items()):
        facts.append({"kind": "req", "req": req_id, "importance": importance,
                      "weight": params.importance_weights[importance], "group": groups[req_id],
                      "positive": importance != "avoid", "must": importance == "must"})
    # The attainable weight, so a rule can scale a penalty to what is at stake.
    facts.append({"kind": "totals", "weight": sum(params.importance_weights[i]
                                                  for i in requirements.requirements.values() if i != "avoid")})
    for tool in kb.tools:
        ref = f"{tool.tool}/project"
        evidence[ref] = [str(u) for u in tool.project.evidence]
        facts.append({"kind": "project", "tool": tool.tool, "status": tool.project.status,
                      "maturity": tool.project.cncf.maturity, "ev": ref})
        for comp in tool.components:
            ref = f"{tool.tool}/component/{comp.id}"
            evidence[ref] = [str(u) for u in comp.evidence]
            facts.append({"kind": "component", "tool": tool.tool, "component": comp.id,
                          "role": comp.role, "status": comp.status, "ev": ref})
            for dim, table in sorted(comp.supports.items()):
                ref = f"{tool.tool}/component/{comp.id}/{dim}"
                evidence[ref] = [str(u) for u in table.evidence]
                for value, support in sorted(table.values.items()):
                    facts.append({"kind": "support", "tool": tool.tool, "component": comp.id, "dim": dim,
                                  "value": value, "level": support.level, "note": support.note, "ev": ref})
        for req_id, claim in sorted(tool.capabilities.items()):
            ref = f"{tool.tool}/cap/{req_id}"
            evidence[ref] = [str(u) for u in claim.evidence]
            facts.append({"kind": "cap", "tool": tool.tool, "req": req_id, "level": claim.level,
                          "factor": params.level_factors[claim.level], "component": claim.component or "",
                          "maturity": claim.maturity, "claim": claim.claim, "met": claim.level != "none",
                          "strong": claim.level in ("native", "companion"), "group": groups[req_id], "ev": ref})
        for integ in tool.integrations:
            ref = f"{tool.tool}/integration/{integ.with_}"
            evidence[ref] = [str(u) for u in integ.evidence]
            # A documented pairing holds both ways; each fact names the partner component it brings.
            for comp_id in integ.partner_components:
                facts.append({"kind": "integration", "tool": tool.tool, "with": integ.with_,
                              "component": comp_id, "maturity": integ.maturity, "ev": ref})
            for comp_id in integ.components:
                facts.append({"kind": "integration", "tool": integ.with_, "with": tool.tool,
                              "component": comp_id, "maturity": integ.maturity, "ev": ref})
        for entry in tool.platforms:
            ref = f"{tool.tool}/platform/{entry.platform}"
            evidence[ref] = [str(u) for u in entry.evidence]
            facts.append({"kind": "platform", "tool": tool.tool, "platform": entry.platform,
                          "component": entry.component, "ev": ref})
    context = requirements.context
    for key in ("traffic_router", "metrics_provider", "platform"):
        value = getattr(context, key)
        if value is not None:
            facts.append({"kind": "ctx", "key": key, "value": value})
    for key in ("already_using", "workload_kinds"):
        for value in sorted(set(getattr(context, key))):
            facts.append({"kind": "ctx", "key": key, "value": value})
    if context.clusters is not None:
        facts.append({"kind": "ctx", "key": "clusters", "value": context.clusters})
    return _unique(facts), evidence


def _unique(facts: list[Fact]) -> list[Fact]:
    """Asserting an identical fact twice is an error in durable-rules; keep the first."""
    seen: set[tuple[tuple[str, Any], ...]] = set()
    out = []
    for fact in facts:
        key = tuple(sorted(fact.items()))
        if key not in seen:
            seen.add(key)
            out.append(fact)
    return out
