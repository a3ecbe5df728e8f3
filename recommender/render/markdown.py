"""Markdown for a pull request, and a MADR 4.0 decision record a team can commit as it is."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from pathlib import PurePath

from ..knowledge import KnowledgeBase
from ..models import IMPORTANCE_ORDER, Recommendation, ToolResult
from ..strings import t
from .lines import line_texts
from .titles import requirement_title, source
from .verdicts import verdict_text

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~#!])")
_LINE_START = re.compile(r"^(\s*)(\d+(?=[.)])|)([-+>=.)])")


def md(text: str, *, starts_line: bool = False) -> str:
    """User or knowledge text made literal in Markdown: no emphasis, links, HTML, tables or
    headings; when it starts a line, no list or quote either."""
    flat = _SPECIAL.sub(r"\\\1", text.replace("\r", " ").replace("\n", " "))
    if not starts_line:
        return flat
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), flat)


def _code(text: str) -> str:
    """Text as one inline code span, whatever backticks it holds (CommonMark's fence rule)."""
    flat = text.replace("\r", " ").replace("\n", " ")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _links(urls: list[str]) -> str:
    return " ".join(f"[{n}]({u})" for n, u in enumerate(urls, start=1) if u.startswith("https://"))


def _ranking_table(rec: Recommendation) -> list[str]:
    lang = rec.lang
    head = " | ".join(t(k, lang) for k in ("tool", "score", "verdict", "musts_met"))
    lines = [f"| # | {head} |", "|---|---|---:|---|---:|"]
    for r in rec.ranking:
        lines.append(f"| {r.rank} | {md(r.name)} | {r.score:.1f} | {verdict_text(r, lang)} | "
                     f"{r.musts_met}/{r.musts_total} |")
    return lines


def _stack(rec: Recommendation, kb: KnowledgeBase) -> list[str]:
    if not rec.stack:
        return []
    head = " | ".join(t(k, rec.lang) for k in ("layer", "component", "from", "covers"))
    lines = [f"| {head} |", "|---|---|---|---|"]
    for p in rec.stack:
        covers = ", ".join(requirement_title(kb, r, rec.lang) for r in p.requirements)
        lines.append(f"| {md(p.layer_title)} | {md(p.name)} | {md(source(p, rec.lang))} | {md(covers)} |")
    return lines


def _tool_lines(r: ToolResult, lang: str) -> list[str]:
    out = []
    for e, text in zip(r.explanations, line_texts(r, lang), strict=True):
        points = f"{e.points:+.1f}" if e.points else "±0"
        out.append(f"- **{points}** {md(text)} `{e.rule}` {_links(e.evidence)}".rstrip())
    for x in r.exclusions:
        out.append(f"- **{t('excluded_line', lang)}**: {md(x.text)} `{x.rule}` {_links(x.evidence)}".rstrip())
    for c in r.covers:
        out.append(f"- **{t('covered_line', lang)}**: {md(c.text)} `{c.rule}`")
    for k in r.risks_beyond_lines:
        out.append(f"- **{t('risk_line', lang)} ({t('level_' + k.severity, lang)})**: {md(k.text)} `{k.rule}` "
                   f"{_links(k.evidence)}".rstrip())
    for w in r.why_not:
        out.append(f"- **{t('why_not_first', lang)}**: {md(w.text)}")
    return out


def render_markdown(rec: Recommendation, kb: KnowledgeBase, source: str | None = None) -> str:
    top = rec.top
    lang = rec.lang
    lines = [f"## {t('md_title', lang)}{f': `{md(source)}`' if source else ''}", ""]
    if rec.requirements.notes:
        lines += [f"> {md(rec.requirements.notes, starts_line=True)}", ""]
    if top:
        stack = " + ".join(md(p.name) for p in rec.stack) or md(top.name)
        lines += [f"**{t('md_recommended', lang, tool=md(top.name))}** ({top.score:.1f}/100). "
                  f"{t('md_deploy', lang, stack=stack)}", ""]
    if rec.no_fit:
        lines += [f"**{t('no_fit', lang)}.** {md(rec.no_fit.text)}", ""]
    if rec.order_reason:
        lines += [md(rec.order_reason, starts_line=True), ""]
    lines += [*_ranking_table(rec), ""]
    if rec.stack:
        lines += [f"### {t('suggested_stack', lang)}", "", *_stack(rec, kb), ""]
    if rec.sensitivity:
        lines += [f"### {t('what_if', lang)}", "", md(rec.sensitivity.text, starts_line=True), ""]
        if rec.sensitivity.changes:  # no empty list: two blank lines in a row fail Markdown linters
            lines += [f"- {md(c.text)}" for c in rec.sensitivity.changes] + [""]
    if rec.confidence:
        level = t("level_" + rec.confidence.level, lang)
        lines += [f"**{t('md_confidence', lang, level=level)}** " + " ".join(md(r) for r in rec.confidence.reasons),
                  ""]
    for r in rec.ranking:
        lines += [f"<details><summary>{r.rank}. {md(r.name)}: {r.score:.1f} ({verdict_text(r, lang)})"
                  "</summary>", ""]
        lines += [*_tool_lines(r, lang), "", "</details>", ""]
    lines.append("_" + t("md_knowledge", lang, revision=md(rec.knowledge_revision), as_of=rec.knowledge_as_of) + "_")
    return "\n".join(lines) + "\n"


def render_adr(rec: Recommendation, kb: KnowledgeBase, source: str | None = None,
               today: dt.date | None = None) -> str:
    """A MADR 4.0 record: front matter, context, drivers, options, outcome, consequences, pros/cons."""
    today = today or dt.date.today()
    lang = rec.lang
    top = rec.top
    good, bad, neutral = t("adr_good", lang), t("adr_bad", lang), t("adr_neutral", lang)
    if top:
        title = t("adr_title_chosen", lang, tool=top.name)
    else:  # no tool fails a must, yet none scores: "meets every must" would be vacuous
        title = t("adr_title_nothing_scores" if rec.no_fit and rec.no_fit.nothing_scores else "adr_title_none", lang)
    fill_in = t("adr_fill_in", lang)
    lines = ["---", f"status: {'proposed' if top else 'undecided'}", f"date: {today.isoformat()}",
             f"decision-makers: {fill_in}", f"consulted: {fill_in}", f"informed: {fill_in}", "---", "",
             f"# {md(title)}", "", f"## {t('adr_context', lang)}", ""]
    tools = ", ".join(md(r.name) for r in sorted(rec.ranking, key=lambda r: r.tool))
    lines.append(t("adr_question", lang, tools=tools))
    if rec.requirements.notes:
        lines += ["", md(rec.requirements.notes, starts_line=True)]
    context = rec.requirements.context.model_dump(exclude_none=True, exclude_defaults=True)
    if context:
        shown = {k: ", ".join(str(x) for x in v) if isinstance(v, list) else str(v) for k, v in context.items()}
        lines += ["", f"{t('adr_context_line', lang)}: "
                  + "; ".join(f"{md(k)}: {md(v)}" for k, v in shown.items()) + "."]
    lines += ["", f"## {t('adr_drivers', lang)}", ""]
    for importance in IMPORTANCE_ORDER:
        ids = sorted(k for k, v in rec.requirements.requirements.items() if v == importance)
        if ids:
            lines.append(f"* **{t('importance_' + importance, lang)}**: "
                         + ", ".join(md(requirement_title(kb, i, lang)) for i in ids))
    lines += ["", f"## {t('adr_options', lang)}", ""]
    lines += [f"* {md(r.name)}" for r in rec.ranking]
    lines += ["", f"## {t('adr_outcome', lang)}", ""]
    if top:
        stack = " + ".join(md(p.name) for p in rec.stack) or md(top.name)
        # Without a must, "meets 0 of 0 musts" says nothing: the sentence stops at the score.
        key = "adr_chosen" if top.musts_total else "adr_chosen_no_musts"
        lines.append(t(key, lang, tool=md(top.name), stack=stack, score=f"{top.score:.1f}",
                       met=top.musts_met, total=top.musts_total) + " " + md(rec.order_reason))
    elif rec.no_fit:
        lines.append(md(rec.no_fit.text, starts_line=True))
    lines += ["", f"### {t('adr_consequences', lang)}", ""]
    if top:
        lines += [f"* {good} {md(e.text)}" for e in top.explanations if e.points > 0][:5]
        lines += [f"* {bad} {md(k.text)}" for k in top.risks_beyond_lines]
        lines += [f"* {bad} {md(e.text)}" for e in top.explanations if e.kind in ("misses", "penalty")]
    else:  # MADR's section order is kept even when nothing is chosen yet
        lines.append(t("adr_no_consequences", lang))
    file = source or "requirements.yaml"
    saved = PurePath(file).with_suffix(".json").as_posix() if PurePath(file).name else "report.json"
    file, saved = shlex.quote(file), shlex.quote(saved)  # commands a reader can paste as they are
    lines += ["", f"### {t('adr_confirmation', lang)}", "",
              t("adr_confirmation_text", lang,
                save=_code(f"recommender recommend {file} --format json -o {saved}"),
                compare=_code(f"recommender recommend {file} --compare {saved}"))]
    lines += ["", f"## {t('adr_pros_cons', lang)}", ""]
    for r in rec.ranking:
        lines += [f"### {md(r.name)}", "",
                  t("adr_score", lang, score=f"{r.score:.1f}", verdict=verdict_text(r, lang)), ""]
        lines += [f"* {good} {md(e.text)} {_links(e.evidence)}".rstrip() for e in r.explanations if e.points > 0]
        lines += [f"* {neutral} {md(e.text)}" for e in r.explanations if e.kind == "note"]
        lines += [f"* {bad} {md(e.text)} {_links(e.evidence)}".rstrip()
                  for e in r.explanations if e.kind in ("misses", "penalty")]
        lines += [f"* {bad} {md(x.text)} {_links(x.evidence)}".rstrip() for x in r.exclusions]
        lines += [f"* {bad} {md(k.text)} {_links(k.evidence)}".rstrip() for k in r.risks_beyond_lines]
        lines.append("")
    lines += [f"## {t('adr_more', lang)}", ""]
    if rec.sensitivity:
        # A paragraph, not a heading: MADR's "More Information" has no subsections.
        lines += [f"**{t('what_if', lang)}**: " + md(rec.sensitivity.text), ""]
        if rec.sensitivity.changes:
            lines += [f"* {md(c.text)}" for c in rec.sensitivity.changes] + [""]
    if rec.confidence:
        level = t("level_" + rec.confidence.level, lang)
        lines += [t("md_confidence", lang, level=level) + " " + " ".join(md(r) for r in rec.confidence.reasons), ""]
    lines.append(t("adr_more_text", lang, revision=md(rec.knowledge_revision), as_of=rec.knowledge_as_of))
    return "\n".join(lines) + "\n"
