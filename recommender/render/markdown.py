"""Markdown for a pull request, and a MADR 4.0 decision record a team can commit as it is."""

from __future__ import annotations

import datetime as dt
import re

from ..catalogue import pick
from ..knowledge import KnowledgeBase
from ..models import IMPORTANCE_ORDER, Recommendation, ToolResult

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~#!])")
_LINE_START = re.compile(r"^(\s*)(\d+(?=[.)])|)([-+>=.)])")


def md(text: str) -> str:
    """User or knowledge text made literal in Markdown: no emphasis, links, HTML, tables or
    headings, and no list or quote when it starts a line."""
    flat = _SPECIAL.sub(r"\\\1", text.replace("\r", " ").replace("\n", " "))
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), flat)


def _req_title(kb: KnowledgeBase, req_id: str, lang: str) -> str:
    try:
        return pick(kb.catalogue.requirement(req_id).title, lang)
    except KeyError:
        return req_id


def _links(urls: list[str]) -> str:
    return " ".join(f"[{n}]({u})" for n, u in enumerate(urls, start=1) if u.startswith("https://"))


def _ranking_table(rec: Recommendation) -> list[str]:
    lines = ["| # | Tool | Score | Verdict | Musts met |", "|---|---|---:|---|---:|"]
    for r in rec.ranking:
        lines.append(f"| {r.rank} | {md(r.name)} | {r.score:.1f} | {r.verdict} | {r.musts_met}/{r.musts_total} |")
    return lines


def _stack(rec: Recommendation) -> list[str]:
    if not rec.stack:
        return []
    lines = ["| Layer | Component | From | Covers |", "|---|---|---|---|"]
    for p in rec.stack:
        lines.append(f"| {md(p.layer_title)} | {md(p.name)} | {md(p.tool)} | {md(', '.join(p.requirements))} |")
    return lines


def _tool_lines(r: ToolResult) -> list[str]:
    out = []
    for e in r.explanations:
        points = f"{e.points:+.1f}" if e.points else "±0"
        out.append(f"- **{points}** {md(e.text)} `{e.rule}` {_links(e.evidence)}".rstrip())
    for x in r.exclusions:
        out.append(f"- **excluded**: {md(x.text)} `{x.rule}` {_links(x.evidence)}".rstrip())
    for c in r.covers:
        out.append(f"- **covered by a partner**: {md(c.text)} `{c.rule}`")
    for k in r.risks:
        out.append(f"- **risk ({k.severity})**: {md(k.text)} `{k.rule}` {_links(k.evidence)}".rstrip())
    for w in r.why_not:
        out.append(f"- **why not first**: {md(w.text)}")
    return out


def render_markdown(rec: Recommendation, kb: KnowledgeBase, source: str | None = None) -> str:
    top = rec.top
    lines = [f"## CD tooling recommendation{f' for `{md(source)}`' if source else ''}", ""]
    if rec.requirements.notes:
        lines += [f"> {md(rec.requirements.notes)}", ""]
    if top:
        stack = " + ".join(md(p.name) for p in rec.stack) or md(top.name)
        lines += [f"**Recommended: {md(top.name)}** ({top.score:.1f}/100). Deploy: {stack}.", ""]
    if rec.no_fit:
        lines += [f"**No fit.** {md(rec.no_fit.text)}", ""]
    if rec.order_reason:
        lines += [md(rec.order_reason), ""]
    lines += [*_ranking_table(rec), ""]
    if rec.stack:
        lines += ["### Suggested stack", "", *_stack(rec), ""]
    if rec.sensitivity:
        lines += ["### What would change the answer", "", md(rec.sensitivity.text), ""]
        lines += [f"- {md(c.text)}" for c in rec.sensitivity.changes] + [""]
    if rec.confidence:
        lines += [f"**Confidence: {rec.confidence.level}.** " + " ".join(md(r) for r in rec.confidence.reasons), ""]
    for r in rec.ranking:
        lines += [f"<details><summary>{r.rank}. {md(r.name)}: {r.score:.1f} ({r.verdict})</summary>", ""]
        lines += [*_tool_lines(r), "", "</details>", ""]
    lines.append(f"_Knowledge {md(rec.knowledge_revision)}, facts as of {rec.knowledge_as_of}._")
    return "\n".join(lines) + "\n"


def render_adr(rec: Recommendation, kb: KnowledgeBase, source: str | None = None,
               today: dt.date | None = None) -> str:
    """A MADR 4.0 record: front matter, context, drivers, options, outcome, consequences, pros/cons."""
    today = today or dt.date.today()
    lang = rec.lang
    top = rec.top
    title = (f"Adopt {top.name} for continuous delivery" if top else "No CD tool meets every must yet")
    lines = ["---", f"status: {'proposed' if top else 'undecided'}", f"date: {today.isoformat()}",
             "deciders: (fill in)", "consulted: (fill in)", "informed: (fill in)", "---", "",
             f"# {md(title)}", "", "## Context and Problem Statement", ""]
    lines.append("Which continuous-delivery tooling should we adopt, among the CNCF projects "
                 + ", ".join(md(r.name) for r in sorted(rec.ranking, key=lambda r: r.tool))
                 + ", for the requirements below?")
    if rec.requirements.notes:
        lines += ["", md(rec.requirements.notes)]
    context = rec.requirements.context.model_dump(exclude_none=True, exclude_defaults=True)
    if context:
        lines += ["", "Context: " + "; ".join(f"{md(k)}: {md(str(v))}" for k, v in context.items()) + "."]
    lines += ["", "## Decision Drivers", ""]
    for importance in IMPORTANCE_ORDER:
        ids = sorted(k for k, v in rec.requirements.requirements.items() if v == importance)
        if ids:
            lines.append(f"* **{importance}**: " + ", ".join(md(_req_title(kb, i, lang)) for i in ids))
    lines += ["", "## Considered Options", ""]
    lines += [f"* {md(r.name)}" for r in rec.ranking]
    lines += ["", "## Decision Outcome", ""]
    if top:
        stack = " + ".join(md(p.name) for p in rec.stack) or md(top.name)
        lines.append(f"Chosen option: \"{md(top.name)}\", deployed as {stack}, because it scores "
                     f"{top.score:.1f}/100 and meets {top.musts_met} of {top.musts_total} musts. "
                     + md(rec.order_reason))
    elif rec.no_fit:
        lines.append(md(rec.no_fit.text))
    lines += ["", "### Consequences", ""]
    if top:
        good = [e for e in top.explanations if e.points > 0][:5]
        lines += [f"* Good, because {md(e.text)}" for e in good]
        lines += [f"* Bad, because {md(k.text)}" for k in top.risks]
        lines += [f"* Bad, because {md(e.text)}" for e in top.explanations if e.kind in ("misses", "penalty")]
    if rec.sensitivity:
        lines += ["", "### Confirmation", "", md(rec.sensitivity.text)]
        lines += [f"* {md(c.text)}" for c in rec.sensitivity.changes]
    if rec.confidence:
        lines += ["", f"Confidence: {rec.confidence.level}. " + " ".join(md(r) for r in rec.confidence.reasons)]
    lines += ["", "## Pros and Cons of the Options", ""]
    for r in rec.ranking:
        lines += [f"### {md(r.name)}", "", f"Score {r.score:.1f}/100, {r.verdict}.", ""]
        lines += [f"* Good, because {md(e.text)} {_links(e.evidence)}".rstrip()
                  for e in r.explanations if e.points > 0]
        lines += [f"* Neutral, because {md(e.text)}" for e in r.explanations if e.kind == "note"]
        lines += [f"* Bad, because {md(e.text)} {_links(e.evidence)}".rstrip()
                  for e in r.explanations if e.kind in ("misses", "penalty")]
        lines += [f"* Bad, because {md(x.text)} {_links(x.evidence)}".rstrip() for x in r.exclusions]
        lines += [f"* Bad, because {md(k.text)} {_links(k.evidence)}".rstrip() for k in r.risks]
        lines.append("")
    lines += ["## More Information", "",
              f"Generated by recommender from knowledge revision {md(rec.knowledge_revision)} "
              f"(facts as of {rec.knowledge_as_of}). Every line above names the evidence behind it; "
              "re-run `recommender recommend` on the requirements file to refresh this record."]
    return "\n".join(lines) + "\n"
