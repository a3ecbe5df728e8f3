"""Explanations beyond HOW: why not, what decided the order, what would change it, how sure.

Everything here is computed from the rule results (and, for what-if, from re-running the
engine); the sentences are message templates from the rules' parameters, so they translate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Literal

from ..knowledge import KnowledgeBase
from ..models import (
    Confidence,
    Decisive,
    Factor,
    Recommendation,
    Requirements,
    Sensitivity,
    ToolResult,
    WhatIf,
    WhyNot,
)
from ..strings import pick
from .ranking import Ranker, top_pick
from .variants import Outcome

RELAX = {"must": "high", "high": "medium", "medium": "nice", "nice": "dropped", "avoid": "dropped"}
RAISE = {"nice": "medium", "medium": "high", "high": "must"}

# The outcomes of several variants at once (variants.outcomes), and the musts each tool fails in
# each of them from the verdict rules alone (variants.failing_musts).
Outcomes = Callable[[list[Requirements]], "list[Outcome]"]
Failing = Callable[[list[Requirements]], "list[dict[str, frozenset[str]]]"]


def points_by_requirement(result: ToolResult) -> dict[str, float]:
    """A tool's points per requirement (lines without a requirement are grouped by rule)."""
    out: dict[str, float] = defaultdict(float)
    for line in result.explanations:
        out[line.requirement or line.rule] += line.points
    return out


def separates(req_id: str, kb: KnowledgeBase, lang: str = "en") -> str:
    """WHY a question is asked: which tools its answer separates, by their level for it."""
    from ..strings import t

    by_level: dict[str, list[str]] = defaultdict(list)
    for tool in kb.tools:
        by_level[tool.capabilities[req_id].level].append(tool.name)
    order = ("native", "companion", "plugin", "partial", "none")
    groups = [f"{', '.join(by_level[level])} ({t('cap_level_' + level, lang)})" for level in order if by_level[level]]
    if len(groups) == 1:
        return t("separates_none", lang)
    return t("separates", lang, groups=" · ".join(groups))


def _shows(difference: float) -> bool:
    """A difference worth naming: one the report's one-decimal figures can show (the cap can
    leave a bonus a hundredth of a point, which would read "+0.0 vs +0.0")."""
    return round(difference, 1) > 0


def add_why_not(rec: Recommendation, ranker: Ranker, limit: int = 3) -> None:
    top = rec.top
    if top is None:
        return
    winner = points_by_requirement(top)
    for result in rec.ranking:
        if result is top:
            continue
        mine = points_by_requirement(result)
        gaps = sorted(((winner.get(k, 0.0) - mine.get(k, 0.0), k) for k in set(winner) | set(mine)),
                      key=lambda p: (-p[0], p[1]))
        result.why_not = [
            WhyNot(requirement=k, winner_points=round(winner.get(k, 0.0), 2), tool_points=round(mine.get(k, 0.0), 2),
                   difference=round(d, 2),
                   text=ranker.message("why_not_line", requirement=_label(ranker, k, top, result), winner=top.name,
                                       tool=result.name, winner_points=f"{winner.get(k, 0.0):+.1f}",
                                       tool_points=f"{mine.get(k, 0.0):+.1f}"))
            for d, k in [g for g in gaps if _shows(g[0])][:limit]]


def _label(ranker: Ranker, key: str, *results: ToolResult) -> str:
    """A requirement's title, or for a line without one (a bonus, a penalty) its text's lead."""
    if key in ranker.kb.catalogue.ids:
        return ranker.req_title(key)
    for result in results:
        for line in result.explanations:
            if line.rule == key:  # the lead of its text, without a full stop: lists add their own
                return line.text.split(":")[0].rstrip(". ")
    return key


def decisive(rec: Recommendation, ranker: Ranker, limit: int = 3) -> Decisive | None:
    live = [r for r in rec.ranking if r.candidate]
    if len(live) < 2:
        return None
    first, second = live[0], live[1]
    a, b = points_by_requirement(first), points_by_requirement(second)
    if ranker.kept_rank(first) < ranker.kept_rank(second) and first.standing <= second.standing:
        return _kept(first, second, a, b, ranker, limit)
    at_cap = first.score == second.score and first.standing != second.standing
    if at_cap:  # both at 100: the order comes from the totals before the cap, so compare those
        for points, result in ((a, first), (b, second)):
            for rule, cut in result.beyond_cap.items():
                points[rule] += cut
    diffs = sorted(((a.get(k, 0.0) - b.get(k, 0.0), k) for k in set(a) | set(b)), key=lambda p: (-p[0], p[1]))
    factors = [Factor(requirement=k, difference=round(d, 2)) for d, k in [p for p in diffs if _shows(p[0])][:limit]]
    labels = ", ".join(_label(ranker, f.requirement, first, second) for f in factors)
    if at_cap:
        margin = round(first.standing[1] - second.standing[1], 1)
        text = ranker.message("order_beyond_cap", first=first.name, second=second.name, margin=f"{margin:.1f}",
                              factors=labels)
        return Decisive(first=first.tool, second=second.tool, margin=margin, factors=factors, text=text)
    margin = round(first.score - second.score, 1)
    if margin == 0:
        text = ranker.message("order_tie", first=first.name, second=second.name)
    else:
        text = ranker.message("order_margin", first=first.name, second=second.name, margin=f"{margin:.1f}",
                              factors=labels)
    return Decisive(first=first.tool, second=second.tool, margin=margin, factors=factors, text=text)


def _kept(first: ToolResult, second: ToolResult, a: dict[str, float], b: dict[str, float], ranker: Ranker,
          limit: int) -> Decisive:
    """The pick is first because the team already runs it (rule context.incumbent_keeps), although
    the runner-up scores as much or more: say so, and where the runner-up would gain."""
    for points, result in ((a, first), (b, second)):  # at the cap, the totals before it
        for rule, cut in result.beyond_cap.items():
            points[rule] += cut
    diffs = sorted(((b.get(k, 0.0) - a.get(k, 0.0), k) for k in set(a) | set(b)), key=lambda p: (-p[0], p[1]))
    factors = [Factor(requirement=k, difference=round(-d, 2)) for d, k in [p for p in diffs if _shows(p[0])][:limit]]
    labels = ", ".join(_label(ranker, f.requirement, first, second) for f in factors)
    layers = ", ".join(pick(ranker.kb.catalogue.group(layer).layer, ranker.lang) for layer in first.keeps)
    behind = round(_total(second) - _total(first), 1)
    margin = round(first.score - second.score, 1)
    if behind > 0:
        text = ranker.message("order_kept", first=first.name, second=second.name, layers=layers,
                              margin=f"{behind:.1f}", factors=labels)
    else:
        text = ranker.message("order_kept_level", first=first.name, second=second.name, layers=layers)
    return Decisive(first=first.tool, second=second.tool, margin=margin, factors=factors, text=text)


def _total(result: ToolResult) -> float:
    """A tool's points before the 100 cap took any off."""
    return round(sum(e.points for e in result.explanations) + sum(result.beyond_cap.values()), 1)


def archived_best(rec: Recommendation, ranker: Ranker) -> str:
    """When an archived project would have matched best, the sentence that says so, names the
    maintained pick and what it lacks against it; "" otherwise."""
    top = rec.top
    if top is None:
        return ""
    for result in rec.ranking:
        if result.verdict == "excluded" or ranker.kb.tool(result.tool).project.status != "archived":
            continue
        # Its score had it not been archived: every line but the one without a requirement that
        # took the score (the archived penalty is the project's, not a requirement's).
        before = round(sum(e.points for e in result.explanations if e.points > 0 or e.requirement), 1)
        if before <= top.score:
            continue
        mine, theirs = points_by_requirement(top), points_by_requirement(result)
        missing = [k for k in sorted(theirs, key=lambda k: mine.get(k, 0.0) - theirs[k])
                   if k in ranker.kb.catalogue.ids and _shows(theirs[k] - mine.get(k, 0.0))][:3]
        if missing:
            return ranker.message("order_archived_best", archived=result.name, before=f"{before:.1f}", top=top.name,
                                  missing=", ".join(ranker.req_title(k) for k in missing))
    return ""


def sensitivity(requirements: Requirements, rec: Recommendation, ranker: Ranker, outcomes: Outcomes,
                failing: Failing | None = None) -> Sensitivity:
    """Re-run the engine with each stated requirement one step lower and one step higher.

    With `failing`, a no-fit in which every tool is excluded by a must is analysed cheaply: a
    variant can only give a fit by lifting an exclusion, so only the musts some tool fails are
    relaxed, and each variant is first asked which musts it still fails (verdict rules alone);
    scores are computed only where some tool fails none. This rests on the rules never excluding
    a tool for relaxing a must, which the bundled rules keep (a test compares both ways).
    """
    current = rec.top.tool if rec.top else None
    excluded = {r.tool: frozenset(e.requirement for e in r.exclusions) for r in rec.ranking
                if r.verdict == "excluded"}
    pruned = failing is not None and current is None and len(excluded) == len(rec.ranking) > 0
    confirm = _confirmer(outcomes, failing if pruned else None, len(rec.ranking))
    outcome = top_pick(rec.ranking)  # as outcomes() reports each variant's
    steps: list[tuple[str, str, str]] = []
    variants: list[Requirements] = []
    for req_id, importance in sorted(requirements.requirements.items()):
        for target in (RELAX.get(importance), RAISE.get(importance)):
            if target is None:
                continue
            if pruned and not (importance == "must" and any(req_id in f for f in excluded.values())):
                continue  # no fit either way: only lifting an exclusion could give one
            variant = dict(requirements.requirements)
            if target == "dropped":
                del variant[req_id]
            else:
                variant[req_id] = target  # type: ignore[assignment]
            steps.append((req_id, importance, target))
            variants.append(requirements.model_copy(update={"requirements": variant}))
    # The cost bound: a file stating every requirement has ~90 single changes. Those that touch a
    # must (they can exclude or admit a tool) go first, then the largest changes of weight.
    weights: dict[str, float] = {str(k): v for k, v in ranker.rules.parameters.importance_weights.items()}
    cap = ranker.rules.parameters.what_if_max_runs
    order = sorted(range(len(steps)), key=lambda i: (
        "must" not in steps[i][1:], -abs(weights.get(steps[i][2], 0.0) - weights.get(steps[i][1], 0.0)), i))
    kept = sorted(order[:cap])
    left_out = [steps[i] for i in order[cap:]]
    steps, variants = [steps[i] for i in kept], [variants[i] for i in kept]
    runs = len(variants)
    changes: list[WhatIf] = []
    found = confirm(variants) if variants else []
    for (req_id, old, new), result in zip(steps, found, strict=True):
        if result.top == outcome:
            continue
        new_top, _, tie = (result.top or "").partition("|")
        changes.append(WhatIf(requirement=req_id, importance_from=old, importance_to=new,
                              new_top=new_top or None, tie_with=tie or None,
                              text=_what_if_text(ranker, req_id, old, new, result.top)))
    relaxations: list[list[str]] = []
    leaders: list[str] = []
    searched = 0
    if current is None and any(i == "must" for i in requirements.requirements.values()):
        single = {req_id: result for (req_id, old, new), result in zip(steps, found, strict=True)
                  if old == "must" and new == "high"}
        relaxations, leaders, searched = _smallest_relaxations(requirements, excluded, single, confirm)
        runs += searched
    robust = not changes
    if current is None and relaxations:
        text = ranker.message("what_if_no_fit", options=relax_options(ranker, relaxations, leaders),
                              searched=searched)
    elif current is None and any(i == "must" for i in requirements.requirements.values()):
        text = ranker.message("what_if_no_relaxation", runs=runs)
    elif current is None:  # no must to relax: nothing scores at all
        text = ranker.message("what_if_nothing_scores", count=len(changes), runs=runs)
    elif outcome and "|" in outcome:  # a tie only the tie-break settles: say so, not "robust (first)"
        first, second = (ranker.name_of(t) for t in outcome.split("|", 1))
        text = ranker.message("what_if_tie_robust" if robust else "what_if_tie_fragile", first=first,
                              second=second, count=len(changes), runs=runs)
    elif robust:
        text = ranker.message("what_if_robust", runs=runs, top=ranker.name_of(current))
    else:
        text = ranker.message("what_if_fragile", count=len(changes), runs=runs, top=ranker.name_of(current))
    if left_out:
        total = sum(weights[i] for i in requirements.requirements.values() if i != "avoid")
        delta = max(abs(weights.get(new, 0.0) - weights.get(old, 0.0)) for _r, old, new in left_out)
        text += " " + ranker.message("what_if_capped", skipped=len(left_out), steps=len(left_out) + len(steps),
                                     cap=cap, delta=f"{delta:g}", total=f"{total:g}",
                                     musts=sum(new == "must" for _r, _old, new in left_out))
    return Sensitivity(robust=robust, changes=changes, runs=runs, relaxations_for_fit=relaxations,
                       leaders_after_relaxing=leaders, text=text)


def relaxation_candidates(failing: dict[str, frozenset[str]],
                          single: dict[str, Outcome]) -> list[frozenset[str]]:
    """Sets of musts whose relaxation could give a fit, smallest first, found without a search over
    subsets: each excluded tool's failing musts, and for every must relaxed alone (the what-if
    re-runs), that must plus what each tool still fails then. Relaxing one must can let a partner
    in (a governance must that kept it out), so the second kind can be smaller than the first.

    At most (musts + 1) x tools candidates, so the cost grows with the number of musts, never
    with the number of their subsets."""
    found: set[frozenset[str]] = {f for f in failing.values() if f}
    for must, result in single.items():
        if result.top is not None:
            found.add(frozenset({must}))
        found.update(frozenset({must}) | f for f in result.failing.values())
    return sorted(found, key=lambda s: (len(s), sorted(s)))


def _confirmer(outcomes: Outcomes, failing: Failing | None, tools: int) -> Outcomes:
    """outcomes(), or with `failing` the same answers for variants that cannot fit: the verdict
    rules first, and the full scoring rules only for the variants where some tool fails no must."""
    if failing is None:
        return outcomes

    def confirm(variants: list[Requirements]) -> list[Outcome]:
        fails = failing(variants)
        open_ = [i for i, f in enumerate(fails) if len(f) < tools]
        scored = dict(zip(open_, outcomes([variants[i] for i in open_]), strict=True)) if open_ else {}
        return [scored.get(i) or Outcome(None, f) for i, f in enumerate(fails)]

    return confirm


def _smallest_relaxations(requirements: Requirements, failing: dict[str, frozenset[str]],
                          single: dict[str, Outcome], outcomes: Outcomes) -> tuple[list[list[str]], list[str], int]:
    """The smallest candidate relaxations that the engine confirms give a fit, and their leaders.

    Candidates are checked size by size, so only the sizes up to the first that works are run."""
    candidates = relaxation_candidates(failing, single)
    searched = 0
    for size in sorted({len(c) for c in candidates}):
        group = [c for c in candidates if len(c) == size]
        if size == 1:  # the what-if re-runs already relaxed each must alone
            results = [single[next(iter(c))].top if next(iter(c)) in single else None for c in group]
        else:
            searched += len(group)
            relaxed = [requirements.model_copy(update={"requirements": {**requirements.requirements,
                                                                        **dict.fromkeys(subset, "high")}})
                       for subset in group]
            results = [o.top for o in outcomes(relaxed)]
        hits = [(sorted(c), top) for c, top in zip(group, results, strict=True) if top is not None]
        if hits:
            return [h[0] for h in hits], [str(h[1]).partition("|")[0] for h in hits], searched
    return [], [], searched


def relax_options(ranker: Ranker, relaxations: list[list[str]], leaders: list[str]) -> str:
    """'relax A + B (then X leads); relax C (then Y leads)', from re-runs of the engine."""
    return "; ".join(ranker.message("relax_option", musts=" + ".join(ranker.req_title(m) for m in subset),
                                    tool=ranker.name_of(leader))
                     for subset, leader in zip(relaxations, leaders, strict=True)) or "-"


def _what_if_text(ranker: Ranker, req_id: str, old: str, new: str, new_top: str | None) -> str:
    names = {k: pick(v, ranker.lang) for k, v in ranker.messages.messages.items() if k.startswith("importance_")}
    values = {"requirement": ranker.req_title(req_id), "from": names.get(f"importance_{old}", old),
              "to": names.get(f"importance_{new}", new), "top": ""}
    if new_top is None:
        return ranker.message("what_if_change_no_fit", **values)
    if "|" in new_top:  # a tie that only the tie-break (musts met, maturity, name) settles
        first, second = new_top.split("|", 1)
        key = "what_if_change_tie_dropped" if new == "dropped" else "what_if_change_tie"
        return ranker.message(key, **values, first=ranker.name_of(first), second=ranker.name_of(second))
    values["top"] = ranker.name_of(new_top)
    key = "what_if_change_dropped" if new == "dropped" else "what_if_change"
    return ranker.message(key, **values)


def confidence(rec: Recommendation, ranker: Ranker, today: dt.date | None = None) -> Confidence:
    today = today or dt.date.today()
    manifest = ranker.kb.manifest
    limits = ranker.rules.parameters.confidence
    thin, moderate = limits.get("thin", 3.0), limits.get("moderate", 10.0)
    age = (today - manifest.as_of).days
    stale = age > manifest.stale_after_days
    top = rec.top
    live = [r for r in rec.ranking if r.candidate]
    # The lead is the score difference the ranking shows between the pick and the next tool.
    following = next((r for r in rec.ranking if r is not top), None)
    # (at the cap, the lead before it, which the decisive line states).
    margin = rec.decisive.margin if rec.decisive and top and rec.decisive.first == top.tool else \
        round(top.score - following.score, 1) if top and following else (top.score if top else 0.0)
    kept = bool(top and len(live) > 1 and ranker.kept_rank(top) < ranker.kept_rank(live[1])
                and top.standing <= live[1].standing)
    flagged: list[str] = []
    if top:
        tool = ranker.kb.tool(top.tool)
        for line in top.explanations:
            if line.kind == "meets" and line.requirement and line.requirement in tool.capabilities:
                claim = tool.capabilities[line.requirement]
                if claim.claim != "official" and line.component == claim.component:
                    flagged.append(f"{top.tool}: {line.requirement} ({claim.claim})")
    stated = len(rec.requirements.requirements)
    musts = [r for r, i in rec.requirements.requirements.items() if i == "must"]
    reasons = []
    low = top is None or stale or stated < limits.get("few_requirements", 3.0)
    capped = False  # at most medium
    if top is None:
        nothing_scores = rec.no_fit is not None and rec.no_fit.nothing_scores
        reasons.append(ranker.message("confidence_nothing_scores" if nothing_scores else "confidence_no_fit"))
    elif len(live) == 1:
        reasons.append(ranker.message("confidence_only_candidate", first=top.name))
    elif kept:
        behind = _total(live[1]) - _total(top)
        reasons.append(ranker.message("confidence_kept", first=top.name, second=live[1].name,
                                      margin=f"{max(behind, 0.0):.1f}"))
        capped = True
    else:
        lead = round(top.score - live[1].score, 1)
        if top.standing == live[1].standing:
            reasons.append(ranker.message("confidence_tie"))
            low = True
        elif lead < thin and top.score != live[1].score:
            reasons.append(ranker.message("confidence_thin_margin", margin=f"{lead:.1f}"))
            low = True
        elif lead < moderate:
            if top.score == live[1].score:  # both at the cap: what orders them is beyond it
                lead = round(top.standing[1] - live[1].standing[1], 1)
            reasons.append(ranker.message("confidence_moderate_margin" if lead >= thin else "confidence_thin_margin",
                                          margin=f"{lead:.1f}"))
            capped = True
        split = _outside_requirements(rec, ranker) if lead >= thin or top.score == live[1].score else None
        if split is not None:
            req_margin, factors, first, second = split
            capped = True
            if req_margin <= -thin:
                reasons.append(ranker.message("confidence_context_overturns", first=first, second=second,
                                              req_margin=f"{-req_margin:.1f}", factors=factors))
            elif abs(req_margin) < 0.05:
                reasons.append(ranker.message("confidence_context_ties", first=first, second=second, factors=factors))
            else:
                reasons.append(ranker.message("confidence_context_decides", first=first, second=second,
                                              req_margin=f"{abs(req_margin):.1f}", factors=factors))
    if top is not None and top.partial_musts:
        if musts and set(top.partial_musts) >= set(musts):
            reasons.append(ranker.message("confidence_no_full_fit", first=top.name))
            low = True
        else:
            reasons.append(ranker.message("confidence_partial", first=top.name,
                                          musts=", ".join(ranker.req_title(m) for m in top.partial_musts)))
            capped = True
    if stated < limits.get("few_requirements", 3.0):
        reasons.append(ranker.message("confidence_few_requirements", stated=stated))
    if flagged:
        reasons.append(ranker.message("confidence_flagged", claims=", ".join(flagged)))
        capped = True
    if stale:
        reasons.append(ranker.message("confidence_stale", days=age))
    if rec.sensitivity and not rec.sensitivity.robust and top is not None:
        reasons.append(ranker.message("confidence_fragile", count=len(rec.sensitivity.changes)))
        capped = True
    level: Literal["high", "medium", "low"] = "low" if low else "medium" if capped else "high"
    if not reasons:
        reasons.append(ranker.message("confidence_clear", margin=f"{margin:.1f}", stated=stated))
    return Confidence(level=level, margin=margin, stated=stated, flagged_claims=flagged, knowledge_age_days=age,
                      stale=stale, reasons=reasons)


def _outside_requirements(rec: Recommendation, ranker: Ranker) -> tuple[float, str, str, str] | None:
    """When the stated requirements alone (nearly) tie the top two or favour the runner-up, and
    the lead comes from lines outside them (the team's platform, what it already runs, a project
    risk): the requirement margin, those lines' labels and the two names. None otherwise."""
    live = [r for r in rec.ranking if r.candidate]
    if len(live) < 2:
        return None
    first, second = live[0], live[1]
    a, b = points_by_requirement(first), points_by_requirement(second)
    for points, result in ((a, first), (b, second)):  # at the cap, the totals before it
        for rule, cut in result.beyond_cap.items():
            points[rule] += cut
    ids = set(ranker.kb.catalogue.ids)
    keys = set(a) | set(b)
    req_margin = round(sum(a.get(k, 0.0) - b.get(k, 0.0) for k in keys if k in ids), 1)
    outside = sorted(((a.get(k, 0.0) - b.get(k, 0.0), k) for k in keys if k not in ids), key=lambda p: (-p[0], p[1]))
    factors = [_label(ranker, k, first, second) for d, k in outside if _shows(d)]
    if req_margin >= 3 or not factors:
        return None
    return req_margin, ", ".join(factors), first.name, second.name
