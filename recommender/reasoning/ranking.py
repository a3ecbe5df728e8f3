"""Rule firings -> a ranked, explained Recommendation.

Nothing here invents a reason: every line comes from a firing, its text from the rule's
template and its evidence from the facts the rule matched. This module adds the firings up,
orders the tools and picks the stack the rules suggested for the winner.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..dsl.model import SEVERITIES, RuleBase
from ..knowledge import KnowledgeBase
from ..models import (
    Cover,
    Exclusion,
    Explanation,
    ExplanationKind,
    NoFit,
    Recommendation,
    Requirements,
    Risk,
    StackPart,
    ToolResult,
    Verdict,
)
from ..strings import pick
from .engine import Firing
from .wording import Resolved, Wording

MATURITY_ORDER = {"graduated": 0, "incubating": 1, "sandbox": 2, "none": 3, "archived": 4}
ROLE_LAYER = {"gitops_engine": "delivery", "progressive_delivery": "progressive", "workflow_engine": "workflows",
              "event_engine": "workflows", "workload_controller": "workloads", "quality_gates": "quality"}


@dataclass(slots=True)
class _Line:
    """An explanation line while a tool's tally settles; it becomes an Explanation only in a full
    report (what-if re-runs need the points, not thousands of output objects)."""

    rule: str
    kind: ExplanationKind
    requirement: str | None
    component: str | None
    level: str | None
    text: str
    evidence: list[str]
    points: float = 0.0


class Prepared(NamedTuple):
    """A firing a ranking reads: its effect type, its fields and (but for a stack effect) its
    resolved text and evidence."""

    firing: Firing
    etype: str
    fields: dict[str, Any]
    resolved: Resolved | None


@dataclass
class _Tally:
    lines: list[tuple[float, _Line]] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)
    covers: list[Cover] = field(default_factory=list)
    partials: dict[str, str] = field(default_factory=dict)  # must -> the first reason it is met only in part
    keeps: set[str] = field(default_factory=set)  # layers the team already runs this tool for


class Ranker(Wording):
    """Adds up the firings per tool, orders the tools and picks the stack; its words (names, titles,
    each effect's text) come from Wording, which the explanations use on their own."""

    def __init__(self, kb: KnowledgeBase, rules: RuleBase, evidence: dict[str, list[str]], lang: str,
                 *, texts: bool = True, stacks: bool = False) -> None:
        super().__init__(kb, rules, evidence, lang, texts=texts)
        self.stacks = texts or stacks  # the interview compares stacks too, without the texts

    # --- ranking ----------------------------------------------------------------------------
    def rank(self, requirements: Requirements, firings: list[Firing]) -> Recommendation:
        return self.rank_prepared(requirements, self.prepare(firings))

    def prepare(self, firings: list[Firing]) -> list[Prepared]:
        """The firings a ranking reads, each with its effect's fields and text resolved: the part
        of ranking that depends on one firing alone (what-if replays reuse it across variants)."""
        out = []
        for firing in firings:
            one = self.prepare_one(firing)
            if one is not None:
                out.append(one)
        return out

    def prepare_one(self, firing: Firing) -> Prepared | None:
        etype = self.effects[firing.rule][firing.effect].type
        if etype == "derive" or (not self.texts and etype in ("miss", "note")) or (
                not self.stacks and etype == "stack"):
            return None
        fields = self.fields(firing)
        # A stack effect is resolved only for the winner, once it is known.
        return Prepared(firing, etype, fields, None if etype == "stack" else self.resolve(firing, fields))

    def rank_prepared(self, requirements: Requirements, prepared: list[Prepared]) -> Recommendation:
        weights = self.rules.parameters.importance_weights
        positive_weight = sum(weights[i] for i in requirements.requirements.values() if i != "avoid")
        scale = 100.0 / positive_weight if positive_weight else 0.0
        tallies: dict[str, _Tally] = {t.tool: _Tally() for t in self.kb.tools}
        stack_firings: list[tuple[Firing, dict[str, Any]]] = []
        # Every firing is its own conclusion: the facts are a set (durable-rules refuses an identical
        # fact twice, and derived facts are deduplicated), so no match is reported twice; two gaps
        # (two workload kinds, two routers) are two conclusions even when the effect's fields agree.
        for firing, etype, fields, resolved in prepared:
            if resolved is None:  # a stack effect: only the winner's are read
                stack_firings.append((firing, fields))
                continue
            tool = str(resolved.fields.get("tool"))
            if tool not in tallies:
                continue
            tally = tallies[tool]
            req = resolved.fields.get("requirement")
            if etype in ("contribute", "miss", "note") or (etype == "risk" and "points" in resolved.fields):
                raw = _product(resolved.fields.get("points", 0)) if etype in ("contribute", "risk") else 0.0
                kind: ExplanationKind = "note" if etype == "note" else "misses" if etype == "miss" else \
                    "penalty" if raw < 0 else "meets" if req else "bonus"
                tally.lines.append((raw, _Line(resolved.rule, kind, str(req) if req else None,
                                               resolved.fields.get("component") or None,
                                               resolved.fields.get("level"), resolved.text, resolved.evidence)))
            if etype == "risk" and self.texts:  # a risk's points are a line above; what-if needs no more
                tally.risks.append(Risk(rule=resolved.rule, severity=resolved.fields["severity"],
                                        requirement=str(req) if req else None, text=resolved.text,
                                        evidence=resolved.evidence))
            elif etype == "exclude":
                tally.exclusions.append(Exclusion(rule=resolved.rule, requirement=str(req), text=resolved.text,
                                                  evidence=resolved.evidence))
            elif etype == "partial":
                tally.partials.setdefault(str(req), resolved.text)
            elif etype == "keep":
                tally.keeps.add(str(resolved.fields["layer"]))
                tally.lines.append((0.0, _Line(resolved.rule, "note", None, resolved.fields.get("component") or None,
                                               None, resolved.text, resolved.evidence)))
            elif etype == "cover":
                tally.covers.append(Cover(rule=resolved.rule, requirement=str(req), by=str(resolved.fields["by"]),
                                          text=resolved.text, evidence=resolved.evidence))
        musts = sorted(r for r, i in requirements.requirements.items() if i == "must")
        results = [self._result(tool, tally, scale, musts) for tool, tally in tallies.items()]
        self._release_outscored_keeps(results)
        results.sort(key=lambda r: (not r.candidate, self.kept_rank(r), -r.standing[0], -r.standing[1], -r.musts_met,
                                    MATURITY_ORDER.get(self.kb.tool(r.tool).project.cncf.maturity, 9), r.tool))
        for index, result in enumerate(results, start=1):
            result.rank = index
        winner = results[0] if results and results[0].candidate else None
        stack = self._stack(winner, [self.resolve(f, fields) for f, fields in stack_firings
                                     if fields.get("tool") == winner.tool]) if winner else []
        if winner:
            winner.verdict = "partial" if winner.partial_musts else "recommended"
            in_stack = {p.tool for p in stack}
            for result in results[1:]:
                # A partner in the winner's stack is deployed with it, but it is not a second pick;
                # a tool tied with the winner is as good a pick (only the tie-break put it second).
                result.in_stack = result.tool in in_stack
                tied = result.candidate and result.standing == winner.standing \
                    and self.kept_rank(result) == self.kept_rank(winner)
                if tied and result.verdict == "viable":
                    result.verdict = "partial" if result.partial_musts else "recommended"
        # What-if re-runs read only the exclusions; the no-fit summary is for a full report.
        no_fit = None if winner or not self.texts else self._no_fit(results, musts)
        return Recommendation(
            ranking=results, stack=stack, no_fit=no_fit, order_reason=self._order_reason(results),
            knowledge_revision=self.kb.manifest.revision, knowledge_as_of=self.kb.manifest.as_of.isoformat(),
            lang=self.lang, requirements=requirements)

    def kept_rank(self, result: ToolResult) -> int:
        return kept_rank(self.kb, result)

    def _release_outscored_keeps(self, results: list[ToolResult]) -> None:
        """A keep (rule context.incumbent_keeps) holds while no candidate leads the kept tool by more
        than a thin lead (confidence.thin). Its switching cost is in its score already (the points
        for what the team runs, the risk on every rival), so a rival still ahead by more than that
        is worth the move; a thin lead is not. Released keeps no longer order the tool first."""
        thin = self.rules.parameters.thin_lead
        best = max((r.before_cap for r in results if r.candidate), default=0.0)  # the lead before the cap
        for result in results:
            if result.keeps and result.candidate and round(best - result.before_cap, 1) > thin:
                result.keeps = []

    def _result(self, tool: str, tally: _Tally, scale: float, musts: list[str]) -> ToolResult:
        # A requirement is credited once: when two rules credit it (two partners covering the
        # same must), the best counts and the others stay as notes.
        best: dict[str, float] = {}
        for raw, line in tally.lines:
            if raw > 0 and line.requirement:
                best[line.requirement] = max(best.get(line.requirement, 0.0), raw)
        credited: set[str] = set()
        lines: list[tuple[float, _Line]] = []
        for raw, line in sorted(tally.lines, key=lambda p: -p[0]):
            if raw > 0 and line.requirement:
                if line.requirement in credited or raw < best[line.requirement]:
                    line.kind = "note"
                    raw = 0.0
                else:
                    credited.add(line.requirement)
            lines.append((raw, line))
        gains = [(raw, line) for raw, line in lines if raw >= 0]
        losses = [(raw, line) for raw, line in lines if raw < 0]
        total = 0.0
        explanations: list[_Line] = []
        for raw, line in sorted(gains, key=lambda p: (-p[0], p[1].requirement or "", p[1].rule)):
            line.points = round(raw * scale, 2)
            total += line.points
            explanations.append(line)
        for raw, line in sorted(losses, key=lambda p: (p[0], p[1].requirement or "", p[1].rule)):
            # A penalty never takes a score below zero: it is capped at what the tool has left.
            line.points = max(round(raw * scale, 2), -round(total, 2))
            total += line.points
            explanations.append(line)
        # Only bonuses (context, not requirements) can lift a total past 100. The cap comes last,
        # after the penalties, and is taken off the smallest bonuses, so the lines still add up.
        excess = round(total - 100.0, 2)
        beyond_cap: dict[str, float] = {}
        for line in sorted((e for e in explanations if e.kind == "bonus"), key=lambda e: e.points):
            if excess <= 0:
                break
            cut = min(line.points, excess)
            line.points = round(line.points - cut, 2)
            excess = round(excess - cut, 2)
            total -= cut
            beyond_cap[line.rule] = round(beyond_cap.get(line.rule, 0.0) + cut, 2)
        # Most decisive first: gains by points, then the lines worth nothing, then the losses
        # (a what-if ranking keeps no lines, so it needs no order).
        if self.texts:
            explanations.sort(key=lambda e: (0 if e.points > 0 else 2 if e.points < 0 else 1,
                                             -abs(e.points), e.requirement or "", e.rule))
        # A must a partner covers never fires its exclusion (exclude.must_unmet negates `covered`).
        standing = tally.exclusions
        failed = {e.requirement for e in standing}
        score = min(100.0, max(0.0, round(total, 1)))
        verdict: Verdict = "excluded" if standing else "viable" if score > 0 else "unsuited"
        because = ""
        if verdict == "unsuited":
            because = "archived" if self.kb.tool(tool).project.status == "archived" else \
                "nothing_met" if not any(e.points > 0 for e in explanations) else "risks_outweigh"
        # Built from validated rules and knowledge, thousands per report: not re-validated.
        final = [Explanation.model_construct(rule=e.rule, kind=e.kind, requirement=e.requirement,
                                             component=e.component, level=e.level, points=e.points, text=e.text,
                                             evidence=e.evidence) for e in explanations] if self.texts else []
        return ToolResult(
            tool=tool, name=self.name_of(tool), rank=0, score=score, verdict=verdict, explanations=final,
            risks=sorted(tally.risks, key=lambda r: (SEVERITIES.index(r.severity), r.rule)),
            exclusions=standing, covers=tally.covers, musts_met=len(musts) - len(failed), musts_total=len(musts),
            beyond_cap=beyond_cap, partial_musts=sorted(r for r in tally.partials if r not in failed),
            unsuited_because=because, keeps=sorted(tally.keeps))

    def _stack(self, winner: ToolResult, effects: list[Resolved]) -> list[StackPart]:
        parts: dict[tuple[str, str], StackPart] = {}
        partners_covering = {c.by for c in winner.covers}
        # A partner's component already in the stack takes over a requirement from one of the
        # winner's (`replaces`): (the winner's component, that requirement).
        replaced: set[tuple[str, str]] = set()
        for resolved in effects:
            fields = resolved.fields
            if fields.get("tool") != winner.tool:
                continue
            owner = str(fields.get("owner") or winner.tool)
            if owner != winner.tool and fields.get("only_if_covering") and owner not in partners_covering:
                continue
            if fields.get("replaces") and fields.get("requirement"):
                replaced.add((str(fields["replaces"]), str(fields["requirement"])))
            component = str(fields["component"])
            key = (owner, component)
            part = parts.get(key)
            if part is None:
                comp = self.kb.tool(owner).component(component)
                layer = ROLE_LAYER.get(comp.role, str(fields["layer"]))
                part = StackPart(tool=owner, component=component, name=comp.name, layer=layer,
                                 layer_title=pick(self.kb.catalogue.group(layer).layer, self.lang),
                                 text=resolved.text, evidence=list(resolved.evidence))
                parts[key] = part
            req = fields.get("requirement")
            # Governance (graduated-only, project health) is a property of the project, not a
            # capability a component covers in the deployment.
            if req and req not in part.requirements and fields.get("layer") != "governance":
                part.requirements.append(str(req))
            if resolved.rule not in part.rules:
                part.rules.append(resolved.rule)
            if fields.get("managed"):
                part.managed = str(fields["managed"])
        # A replaced component stays only for the requirements nobody took over; with none left it
        # goes, even a controller that was in the stack for its own sake.
        for component, req in replaced:
            part = parts.get((winner.tool, component))
            if part is not None and req in part.requirements:
                part.requirements.remove(req)
        for component in {component for component, _req in replaced}:
            part = parts.get((winner.tool, component))
            if part is not None and not part.requirements:
                del parts[(winner.tool, component)]
        order = [g.id for g in self.kb.catalogue.groups]
        # Read as a deployment: the GitOps engine first, then the layers on top of it.
        return sorted(parts.values(), key=lambda p: (order.index(p.layer) if p.layer in order else 99,
                                                     p.tool != winner.tool, p.name))

    def _no_fit(self, results: list[ToolResult], musts: list[str]) -> NoFit:
        # Only a tool a must keeps out can be let in by relaxing one; an unsuited tool meets them all.
        failing = {r.tool: sorted(e.requirement for e in r.exclusions) for r in results if r.verdict == "excluded"}
        if not failing:
            return NoFit(text=self.message("no_fit_nothing_scores"), failing={}, relaxations=[], conflicts=[])
        smallest = min((len(v) for v in failing.values()), default=0)
        relaxations = sorted({tuple(v) for v in failing.values() if len(v) == smallest})
        # The excluded tools that meet each must: a pair conflicts when each is met by some tool
        # but no tool meets both. Sets keep this quadratic in musts with a small constant.
        meets = {m: frozenset(t for t, f in failing.items() if m not in f) for m in musts}
        conflicts = [[a, b] for a, b in itertools.combinations(musts, 2)
                     if meets[a] and meets[b] and not meets[a] & meets[b]]
        options = "; ".join(
            self.message("relax_option_estimate", musts=", ".join(self.req_title(m) for m in relax),
                         tool=", ".join(self.name_of(t) for t, f in failing.items() if tuple(f) == relax))
            for relax in relaxations)
        return NoFit(text=self.message("no_fit", options=options), failing=failing,
                     relaxations=[list(r) for r in relaxations], conflicts=conflicts)

    def _order_reason(self, results: list[ToolResult]) -> str:
        """Only the single-candidate case; with two or more, explain.decisive says what split them."""
        live = [r for r in results if r.candidate]
        if len(live) != 1:
            return ""
        unsuited = any(r.verdict == "unsuited" for r in results)
        return self.message("order_single_scores" if unsuited else "order_single")


def kept_rank(kb: KnowledgeBase, result: ToolResult) -> int:
    """Where the layers a tool is kept for come in the deployment (the engine first): a team
    that runs Flux and Argo Rollouts keeps Flux as its engine and borrows the controller."""
    order = [g.id for g in kb.catalogue.groups]
    return min((order.index(layer) for layer in result.keeps if layer in order), default=len(order))


def top_pick(ranking: list[ToolResult]) -> str | None:
    """The top of a ranking in a word: None for no fit, "a|b" for a tie only the tie-break settles."""
    live = [r for r in ranking if r.candidate]
    if not live:
        return None
    if len(live) > 1 and live[1].standing == live[0].standing and live[1].keeps == live[0].keeps:
        return f"{live[0].tool}|{live[1].tool}"
    return live[0].tool


def _product(points: Any) -> float:
    if isinstance(points, list):
        out = 1.0
        for p in points:
            out *= float(p)
        return out
    return float(points)
