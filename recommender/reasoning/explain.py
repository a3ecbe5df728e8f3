"""Explanations beyond HOW: why not, what decided the order, how sure (what would change the
answer is what_if.py).

Everything here is computed from the rule results; the sentences are message templates from the
rules' parameters, so they translate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from typing import Literal

from ..knowledge import KnowledgeBase
from ..models import (
    Confidence,
    Decisive,
    Factor,
    Recommendation,
    ToolResult,
    WhyNot,
)
from ..strings import pick
from .ranking import kept_rank
from .wording import Wording


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


def _avoided(rec: Recommendation) -> frozenset[str]:
    return frozenset(r for r, i in rec.requirements.requirements.items() if i == "avoid")


def add_why_not(rec: Recommendation, words: Wording, limit: int = 3) -> None:
    top = rec.top
    if top is None:
        return
    winner = points_by_requirement(top)
    avoided = _avoided(rec)
    for result in rec.ranking:
        if result is top:
            continue
        mine = points_by_requirement(result)
        gaps = sorted(((winner.get(k, 0.0) - mine.get(k, 0.0), k) for k in set(winner) | set(mine)),
                      key=lambda p: (-p[0], p[1]))
        result.why_not = [
            WhyNot(requirement=k, winner_points=round(winner.get(k, 0.0), 2), tool_points=round(mine.get(k, 0.0), 2),
                   difference=round(d, 2),
                   text=words.message("why_not_line", requirement=_label(words, k, top, result, avoided=avoided),
                                       winner=top.name,
                                       tool=result.name, winner_points=f"{winner.get(k, 0.0):+.1f}",
                                       tool_points=f"{mine.get(k, 0.0):+.1f}"))
            for d, k in [g for g in gaps if _shows(g[0])][:limit]]


def _label(words: Wording, key: str, *results: ToolResult, avoided: Collection[str] = ()) -> str:
    """A requirement's title (marked when the team wants it avoided: the tool that leads on it
    brings less of it), or for a line without one (a bonus, a penalty) its text's lead."""
    if key in words.kb.catalogue.ids:
        title = words.req_title(key)
        return words.message("avoided_label", title=title) if key in avoided else title
    for result in results:
        for line in result.explanations:
            if line.rule == key:  # the lead of its text, without a full stop: lists add their own
                return line.text.split(":")[0].rstrip(". ")
    return key


def decisive(rec: Recommendation, words: Wording, limit: int = 3) -> Decisive | None:
    live = [r for r in rec.ranking if r.candidate]
    if len(live) < 2:
        return None
    first, second = live[0], live[1]
    a, b = points_by_requirement(first), points_by_requirement(second)
    if kept_rank(words.kb, first) < kept_rank(words.kb, second) and first.standing <= second.standing:
        return _kept(first, second, a, b, words, limit, _avoided(rec))
    # A keep that gave way: the runner-up is kept by a `keep` rule, yet holds no layer now.
    switch = not second.keeps and any(e.type == "keep" for line in second.explanations
                                      for e in words.effects.get(line.rule, ()))
    at_cap = first.score == second.score and first.standing != second.standing
    if at_cap:  # both at 100: the order comes from the totals before the cap, so compare those
        for points, result in ((a, first), (b, second)):
            for rule, cut in result.beyond_cap.items():
                points[rule] += cut
    diffs = sorted(((a.get(k, 0.0) - b.get(k, 0.0), k) for k in set(a) | set(b)), key=lambda p: (-p[0], p[1]))
    factors = [Factor(requirement=k, difference=round(d, 2)) for d, k in [p for p in diffs if _shows(p[0])][:limit]]
    labels = ", ".join(_label(words, f.requirement, first, second, avoided=_avoided(rec)) for f in factors)
    if switch:  # the runner-up's keep gave way: say that the lead is worth the move
        margin = round(first.before_cap - second.before_cap, 1)
        text = words.message("order_switch", first=first.name, second=second.name, margin=f"{margin:.1f}",
                              thin=f"{words.messages.thin_lead:g}", factors=labels)
        return Decisive(first=first.tool, second=second.tool, margin=margin, factors=factors, text=text)
    if at_cap:
        margin = round(first.standing[1] - second.standing[1], 1)
        text = words.message("order_beyond_cap", first=first.name, second=second.name, margin=f"{margin:.1f}",
                              factors=labels)
        return Decisive(first=first.tool, second=second.tool, margin=margin, factors=factors, text=text)
    margin = round(first.score - second.score, 1)
    if margin == 0:
        text = words.message("order_tie", first=first.name, second=second.name)
    else:
        text = words.message("order_margin", first=first.name, second=second.name, margin=f"{margin:.1f}",
                              factors=labels)
    return Decisive(first=first.tool, second=second.tool, margin=margin, factors=factors, text=text)


def _kept(first: ToolResult, second: ToolResult, a: dict[str, float], b: dict[str, float], words: Wording,
          limit: int, avoided: Collection[str]) -> Decisive:
    """The pick is first because the team already runs it (rule context.incumbent_keeps), although
    the runner-up scores as much or more: say so, and where the runner-up would gain."""
    for points, result in ((a, first), (b, second)):  # at the cap, the totals before it
        for rule, cut in result.beyond_cap.items():
            points[rule] += cut
    diffs = sorted(((b.get(k, 0.0) - a.get(k, 0.0), k) for k in set(a) | set(b)), key=lambda p: (-p[0], p[1]))
    factors = [Factor(requirement=k, difference=round(-d, 2)) for d, k in [p for p in diffs if _shows(p[0])][:limit]]
    labels = ", ".join(_label(words, f.requirement, first, second, avoided=avoided) for f in factors)
    layers = ", ".join(pick(words.kb.catalogue.group(layer).layer, words.lang) for layer in first.keeps)
    behind = round(second.before_cap - first.before_cap, 1)
    margin = round(first.score - second.score, 1)
    if behind > 0:
        text = words.message("order_kept", first=first.name, second=second.name, layers=layers,
                              margin=f"{behind:.1f}", factors=labels,
                              thin=f"{words.messages.thin_lead:g}")
    else:
        text = words.message("order_kept_level", first=first.name, second=second.name, layers=layers)
    return Decisive(first=first.tool, second=second.tool, margin=margin, factors=factors, text=text)


def archived_best(rec: Recommendation, words: Wording) -> str:
    """When an archived project would have matched best, the sentence that says so, names the
    maintained pick and what it lacks against it; "" otherwise."""
    top = rec.top
    if top is None:
        return ""
    for result in rec.ranking:
        if result.verdict == "excluded" or words.kb.tool(result.tool).project.status != "archived":
            continue
        # Its score had it not been archived: every line but the one without a requirement that
        # took the score (the archived penalty is the project's, not a requirement's).
        before = round(sum(e.points for e in result.explanations if e.points > 0 or e.requirement), 1)
        if before <= top.score:
            continue
        mine, theirs = points_by_requirement(top), points_by_requirement(result)
        missing = [k for k in sorted(theirs, key=lambda k: mine.get(k, 0.0) - theirs[k])
                   if k in words.kb.catalogue.ids and _shows(theirs[k] - mine.get(k, 0.0))][:3]
        if missing:
            return words.message("order_archived_best", archived=result.name, before=f"{before:.1f}", top=top.name,
                                  missing=", ".join(words.req_title(k) for k in missing))
    return ""


def confidence(rec: Recommendation, words: Wording, today: dt.date | None = None) -> Confidence:
    today = today or dt.date.today()
    manifest = words.kb.manifest
    limits = words.messages.confidence
    thin, moderate = words.messages.thin_lead, limits.get("moderate", 10.0)
    age = (today - manifest.as_of).days
    stale = age > manifest.stale_after_days
    top = rec.top
    live = [r for r in rec.ranking if r.candidate]
    # The lead is the score difference the ranking shows between the pick and the next tool.
    following = next((r for r in rec.ranking if r is not top), None)
    # (at the cap, the lead before it, which the decisive line states).
    margin = rec.decisive.margin if rec.decisive and top and rec.decisive.first == top.tool else \
        round(top.score - following.score, 1) if top and following else (top.score if top else 0.0)
    kept = bool(top and len(live) > 1 and kept_rank(words.kb, top) < kept_rank(words.kb, live[1])
                and top.standing <= live[1].standing)
    flagged: list[str] = []
    if top:
        tool = words.kb.tool(top.tool)
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
        reasons.append(words.message("confidence_nothing_scores" if nothing_scores else "confidence_no_fit"))
    elif len(live) == 1:
        reasons.append(words.message("confidence_only_candidate", first=top.name))
    elif kept:
        behind = live[1].before_cap - top.before_cap
        reasons.append(words.message("confidence_kept", first=top.name, second=live[1].name,
                                      margin=f"{max(behind, 0.0):.1f}"))
        capped = True
    else:
        lead = round(top.score - live[1].score, 1)
        if top.standing == live[1].standing:
            reasons.append(words.message("confidence_tie"))
            low = True
        elif lead < thin and top.score != live[1].score:
            reasons.append(words.message("confidence_thin_margin", margin=f"{lead:.1f}"))
            low = True
        elif lead < moderate:
            key = "confidence_moderate_margin"
            if top.score == live[1].score:  # both at the cap: what orders them is beyond it
                lead = round(top.standing[1] - live[1].standing[1], 1)
                key = "confidence_beyond_cap"
            reasons.append(words.message(key if lead >= thin else "confidence_thin_margin", margin=f"{lead:.1f}"))
            capped = True
        split = _outside_requirements(rec, words) if lead >= thin or top.score == live[1].score else None
        if split is not None:
            req_margin, factors, first, second = split
            capped = True
            if req_margin <= -thin:
                reasons.append(words.message("confidence_context_overturns", first=first, second=second,
                                              req_margin=f"{-req_margin:.1f}", factors=factors))
            elif abs(req_margin) < 0.05:
                reasons.append(words.message("confidence_context_ties", first=first, second=second, factors=factors))
            else:
                reasons.append(words.message("confidence_context_decides", first=first, second=second,
                                              req_margin=f"{abs(req_margin):.1f}", factors=factors))
    if top is not None and top.partial_musts:
        if musts and set(top.partial_musts) >= set(musts):
            reasons.append(words.message("confidence_no_full_fit", first=top.name))
            low = True
        else:
            reasons.append(words.message("confidence_partial", first=top.name,
                                          musts=", ".join(words.req_title(m) for m in top.partial_musts)))
            capped = True
    # What lowers the level besides the lead, in a few words for the answer line: a reader who
    # sees "low (82.5-point lead)" there should not have to find the reason further down.
    causes = []
    if stated < limits.get("few_requirements", 3.0):
        reasons.append(words.message("confidence_few_requirements", stated=stated))
        causes.append(words.message("cause_few_requirements", stated=stated))
    if flagged:
        reasons.append(words.message("confidence_flagged", claims=", ".join(flagged)))
        causes.append(words.message("cause_flagged"))
        capped = True
    if stale:
        reasons.append(words.message("confidence_stale", days=age))
        causes.append(words.message("cause_stale", days=age))
    if rec.sensitivity and not rec.sensitivity.robust and top is not None:
        reasons.append(words.message("confidence_fragile", count=len(rec.sensitivity.changes)))
        causes.append(words.message("cause_fragile", count=len(rec.sensitivity.changes)))
        capped = True
    level: Literal["high", "medium", "low"] = "low" if low else "medium" if capped else "high"
    if not reasons:
        reasons.append(words.message("confidence_clear", margin=f"{margin:.1f}", stated=stated))
    return Confidence(level=level, margin=margin, stated=stated, flagged_claims=flagged, knowledge_age_days=age,
                      stale=stale, reasons=reasons, causes=causes)


def _outside_requirements(rec: Recommendation, words: Wording) -> tuple[float, str, str, str] | None:
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
    ids = set(words.kb.catalogue.ids)
    keys = set(a) | set(b)
    req_margin = round(sum(a.get(k, 0.0) - b.get(k, 0.0) for k in keys if k in ids), 1)
    outside = sorted(((a.get(k, 0.0) - b.get(k, 0.0), k) for k in keys if k not in ids), key=lambda p: (-p[0], p[1]))
    factors = [_label(words, k, first, second) for d, k in outside if _shows(d)]
    if req_margin >= 3 or not factors:
        return None
    return req_margin, ", ".join(factors), first.name, second.name
