"""Requirements + knowledge -> the flat facts the rules match."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from ..dsl.kinds import CONTEXT_SCOPED_KINDS, fact
from ..dsl.model import Parameters, RuleBase
from ..knowledge import KnowledgeBase
from ..models import Context, Requirements

Fact = dict[str, Any]


class KnownFact(dict[str, Any]):
    """A knowledge fact that keeps its JSON. Every evaluation asserts the same knowledge facts,
    and encoding them anew was a tenth of a recommendation's time. Never changed once made."""

    __slots__ = ("_body",)

    def __init__(self, fields: Mapping[str, Any]) -> None:
        super().__init__(fields)
        self._body: str | None = None

    def body(self) -> str:
        # On first use: a one-off run asserts only the facts its requirements need. Two threads
        # may both encode it; they write the same text.
        if self._body is None:
            self._body = encode_body(self)
        return self._body


# One encoder, made once: json.dumps with options builds a new one on every call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def encode_body(fact: Mapping[str, Any]) -> str:
    """A fact's JSON without its braces, so the engine can add a session and an id around it."""
    if any(isinstance(v, float) and "e" in repr(v) and "." not in repr(v) for v in fact.values()):
        # durable-rules reads no exponent without a fraction ("1e-05" as a weight): the fact would
        # match nothing, silently. Written "1.0e-05", it reads the same number.
        return ",".join(f"{_ENCODER.encode(k)}:{_number(v) if isinstance(v, float) else _ENCODER.encode(v)}"
                        for k, v in fact.items())
    return _ENCODER.encode(fact)[1:-1]


def _number(value: float) -> str:
    text = _ENCODER.encode(value)
    return text.replace("e", ".0e", 1) if "e" in text and "." not in text else text


class KnowledgeFacts:
    """The facts a knowledge base contributes, independent of any team's requirements."""

    def __init__(self, kb: KnowledgeBase, params: Parameters) -> None:
        self.static: list[Fact] = []
        self.caps: dict[str, list[Fact]] = {}  # requirement id -> one cap fact per tool
        self.evidence: dict[str, list[str]] = {}
        groups = kb.catalogue.groups_by_requirement
        facts, evidence = self.static, self.evidence
        pairings: dict[tuple[str, str, str, str], list[str]] = {}
        for tool in kb.tools:
            ref = f"{tool.tool}/project"
            evidence[ref] = [str(u) for u in tool.project.evidence]
            facts.append(fact("project", tool=tool.tool, status=tool.project.status,
                              maturity=tool.project.cncf.maturity, ev=ref))
            for comp in tool.components:
                ref = f"{tool.tool}/component/{comp.id}"
                evidence[ref] = [str(u) for u in comp.evidence]
                facts.append(fact("component", tool=tool.tool, component=comp.id, role=comp.role,
                                  status=comp.status, ev=ref))
                for dim, table in sorted(comp.supports.items()):
                    ref = f"{tool.tool}/component/{comp.id}/{dim}"
                    evidence[ref] = [str(u) for u in table.evidence]
                    for value, support in sorted(table.values.items()):
                        facts.append(fact("support", tool=tool.tool, component=comp.id, dim=dim, value=value,
                                          level=support.level, ev=ref))
                        facts += [fact("support_req", tool=tool.tool, component=comp.id, dim=dim, value=value,
                                       req=req_id, level=level, ev=ref)
                                  for req_id, level in sorted(support.per_requirement.items())]
                        facts += [fact("support_stable", tool=tool.tool, component=comp.id, dim=dim, value=value,
                                       req=req_id, ev=ref) for req_id in sorted(support.stable_for)]
            # The core: the components that do something natively. What they do, the default
            # install brings; a companion or plugin is a separate install a team can leave out.
            core = {c.component for c in tool.capabilities.values() if c.level == "native"}
            for req_id, claim in sorted(tool.capabilities.items()):
                ref = f"{tool.tool}/cap/{req_id}"
                evidence[ref] = [str(u) for u in claim.evidence]
                self.caps.setdefault(req_id, []).append(fact(
                    "cap", tool=tool.tool, req=req_id, level=claim.level,
                    factor=params.level_factors[claim.level], component=claim.component or "",
                    maturity=claim.maturity, claim=claim.claim, met=claim.level != "none",
                    strong=claim.level in ("native", "companion"),
                    bundled=claim.level in ("native", "partial") and claim.component in core and not claim.opt_in,
                    group=groups[req_id], ev=ref))
            for integ in tool.integrations:
                urls = [str(u) for u in integ.evidence]
                # A documented pairing holds both ways unless it is one-way; each fact names the
                # partner component it brings. Both tools' files may record it: one fact, with the
                # evidence of both.
                ways = [(tool.tool, integ.with_, integ.partner_components)]
                if not integ.one_way:
                    ways.append((integ.with_, tool.tool, integ.components))
                for a, b, comps in ways:
                    for comp_id in comps:
                        pairings.setdefault((a, b, comp_id, integ.maturity), []).extend(urls)
            for entry in tool.platforms:
                ref = f"{tool.tool}/platform/{entry.platform}"
                evidence[ref] = [str(u) for u in entry.evidence]
                facts.append(fact("platform", tool=tool.tool, platform=entry.platform,
                                  component=entry.component, ev=ref))
        for (a, b, comp_id, maturity), urls in sorted(pairings.items()):
            ref = f"pairing/{a}/{b}/{comp_id}/{maturity}"
            evidence[ref] = list(dict.fromkeys(urls))
            facts.append(fact("integration", tool=a, component=comp_id, maturity=maturity, ev=ref,
                              **{"with": b}))
        self.static = [KnownFact(f) for f in _unique(self.static)]
        self.caps = {req: [KnownFact(f) for f in facts] for req, facts in self.caps.items()}


_CACHE: dict[tuple[str, str], KnowledgeFacts] = {}
_CACHE_LOCK = threading.Lock()


def knowledge_facts(kb: KnowledgeBase, rules: RuleBase) -> KnowledgeFacts:
    """Cached per (knowledge content, rules content): both are immutable once loaded."""
    key = (kb.digest, rules.digest)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is None:
            if len(_CACHE) >= 16:
                _CACHE.pop(next(iter(_CACHE)))
            cached = _CACHE[key] = KnowledgeFacts(kb, rules.parameters)
        return cached


def build_facts(requirements: Requirements, kb: KnowledgeBase,
                rules: RuleBase) -> tuple[list[Fact], dict[str, list[str]]]:
    """The base facts, and an evidence index: `ev` reference -> URLs."""
    shared, evidence = shared_facts(requirements.requirements, requirements.context, kb, rules)
    return requirement_facts(requirements, kb, rules) + shared, evidence


def requirement_facts(requirements: Requirements, kb: KnowledgeBase, rules: RuleBase) -> list[Fact]:
    """The facts built from the requirements themselves (the kinds in fact_kinds.VARIANT_KINDS)."""
    params = rules.parameters
    groups = kb.catalogue.groups_by_requirement
    facts: list[Fact] = []
    for req_id, importance in sorted(requirements.requirements.items()):
        facts.append(fact("req", req=req_id, importance=importance, weight=params.importance_weights[importance],
                          group=groups[req_id], positive=importance != "avoid", must=importance == "must"))
    # The attainable weight, so a rule can scale a penalty to what is at stake.
    facts.append(fact("totals", weight=sum(params.importance_weights[i]
                                           for i in requirements.requirements.values() if i != "avoid")))
    return facts


def shared_facts(req_ids: Iterable[str], context: Context, kb: KnowledgeBase,
                 rules: RuleBase) -> tuple[list[Fact], dict[str, list[str]]]:
    """The knowledge and context facts for requirements with these ids, and the evidence index.

    Capability facts go in for these requirements and for the capabilities a rule names
    literally (a canary controller without metric analysis is flagged even when nobody asked
    about analysis); support facts only for the team's context values. The rules are checked to
    match no others (rules.check_rule), and every fact costs engine time.
    """
    known = knowledge_facts(kb, rules)
    # The router table's `none` row too: a rule may conclude that the team runs no router at all.
    given: set[tuple[str, Any]] = {("traffic_router", "none")}
    for key in ("traffic_router", "metrics_provider", "workload_kinds"):
        value = getattr(context, key)
        given.update((key, v) for v in (value if isinstance(value, list) else [value]) if v is not None)
    facts = [f for f in known.static if f["kind"] not in CONTEXT_SCOPED_KINDS or (f["dim"], f["value"]) in given]
    for req_id in sorted(set(req_ids) | rules.literal_caps):
        facts += known.caps.get(req_id, [])
    for key in ("traffic_router", "metrics_provider", "platform"):
        value = getattr(context, key)
        if value is not None:
            facts.append(fact("ctx", key=key, value=value))
    for key in ("already_using", "workload_kinds"):
        for value in sorted(set(getattr(context, key))):
            facts.append(fact("ctx", key=key, value=value))
    if context.clusters is not None:
        facts.append(fact("ctx", key="clusters", value=context.clusters))
    return facts, known.evidence


def _unique(facts: list[Fact]) -> list[Fact]:
    """Asserting an identical fact twice is an error in durable-rules; keep the first."""
    seen: set[tuple[tuple[str, Any], ...]] = set()
    out = []
    for one in facts:
        key = tuple(sorted(one.items()))
        if key not in seen:
            seen.add(key)
            out.append(one)
    return out
