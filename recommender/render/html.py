"""A standalone HTML report to share and print: headings, tables, real links, no external assets."""

from __future__ import annotations

from html import escape

from ..knowledge import KnowledgeBase
from ..models import Recommendation, ToolResult
from ..strings import t
from .lines import line_texts
from .table import answer_line
from .titles import requirement_title
from .titles import source as part_source  # `source` names the input file here
from .verdicts import verdict_text

# Inline, so the file works offline and in a mail attachment. Tables and long URLs wrap instead
# of pushing the page sideways on a phone; print drops the colours and keeps rows whole.
_CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans KR","Malgun Gothic",sans-serif;
color:#1b1f23;background:#fff}
main{max-width:64rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.6rem;margin:0 0 .75rem}
h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}
h3{font-size:1.05rem;margin:1.25rem 0 .25rem}
main{overflow-wrap:break-word}
:lang(ko) main{word-break:keep-all}
a{overflow-wrap:anywhere}
.answer{font-size:1.1rem;font-weight:600;background:#eef6ee;border-left:4px solid #2da44e;padding:.75rem 1rem;
margin:0 0 1rem}
.answer.none{background:#fff1f0;border-color:#cf222e}
blockquote{margin:0 0 1rem;padding:.25rem 1rem;border-left:4px solid #d0d7de;color:#57606a}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.num,th.num{text-align:right;white-space:nowrap}
.bar{display:inline-block;height:.6rem;background:#2da44e;border-radius:2px;vertical-align:middle}
.bar.low{background:#bf8700}
.meter{width:8rem}
.recommended{color:#1a7f37;font-weight:600}.partial{color:#9a6700;font-weight:600}.viable{color:#9a6700}.unsuited{color:#57606a}.excluded{color:#cf222e}
ul.lines{padding-left:1.25rem}
ul.lines li{margin:.2rem 0}
.pts{font-variant-numeric:tabular-nums;font-weight:600;white-space:nowrap}
.rule{color:#57606a;font-size:.85em}
a{color:#0969da}
footer{margin-top:2rem;color:#57606a;font-size:.9rem}
@media (max-width:40rem){
main{padding:1rem .75rem 2rem}
.meter{display:none}
th,td{padding:.3rem .35rem}
body{font-size:15px}
table.stack thead{display:none}
table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
table.stack tr{border:1px solid #d0d7de;margin-bottom:.5rem}
table.stack td{border:0;padding:.15rem .5rem;overflow-wrap:anywhere}
table.stack td::before{content:attr(data-label) ": ";color:#57606a}
}
@media print{
body{font-size:10.5pt;color:#000}
main{max-width:none;padding:0}
.answer{background:none;border:1px solid #000}
.bar{background:#555!important;-webkit-print-color-adjust:exact;print-color-adjust:exact}
a{color:#000}
tr,li,.answer{break-inside:avoid}
h2,h3{break-after:avoid}
}
""".strip()


def _label(url: str) -> str:
    """A link's visible text: the site and the page, without the middle of a long path."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    steps = [s for s in parts.path.split("/") if s]
    if len(steps) <= 2:
        return parts.netloc + "/" + "/".join(steps)
    return f"{parts.netloc}/{steps[0]}/…/{steps[-1]}"


def _links(urls: list[str]) -> str:
    shown = [u for u in urls if u.startswith(("https://", "http://"))]
    return " · ".join(f'<a href="{escape(u)}" title="{escape(u)}">{escape(_label(u))}</a>' for u in shown)


def _tool(r: ToolResult, lang: str) -> list[str]:
    verdict = verdict_text(r, lang)
    out = [f'<section id="tool-{escape(r.tool)}">',
           f'<h3>{r.rank}. {escape(r.name)} — {r.score:.1f} (<span class="{r.verdict}">{escape(verdict)}</span>)</h3>',
           '<ul class="lines">']

    def item(label: str, text: str, rule: str, urls: list[str]) -> None:
        links = _links(urls)
        out.append(f'<li><span class="pts">{escape(label)}</span> {escape(text)} '
                   f'<span class="rule">{escape(rule)}</span>' + (f"<br>{links}" if links else "") + "</li>")

    for e, text in zip(r.explanations, line_texts(r, lang), strict=True):
        item(f"{e.points:+.1f}" if e.points else "±0", text, e.rule, e.evidence)
    for x in r.exclusions:
        item(t("excluded_line", lang) + ":", x.text, x.rule, x.evidence)
    for c in r.covers:
        item(t("covered_line", lang) + ":", c.text, c.rule, c.evidence)
    for k in r.risks_beyond_lines:
        item(f"{t('risk_line', lang)} ({t('level_' + k.severity, lang)}):", k.text, k.rule, k.evidence)
    for w in r.why_not:
        item(t("why_not_first", lang) + ":", w.text, "", [])
    if not (r.explanations or r.exclusions or r.covers or r.risks_beyond_lines or r.why_not):
        out.append(f"<li>{escape(t('nothing_applies', lang))}</li>")
    out += ["</ul>", "</section>"]
    return out


def render_html(rec: Recommendation, kb: KnowledgeBase, source: str | None = None) -> str:
    lang = rec.lang
    title = t("md_title", lang) + (f": {source}" if source else "")
    answer = answer_line(rec, lambda r: requirement_title(kb, r, lang))
    out = ["<!doctype html>", f'<html lang="{escape(lang)}">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<meta name="generator" content="recommender">',
           f"<title>{escape(title)}</title>", f"<style>\n{_CSS}\n</style>", "</head>", "<body>", "<main>",
           f"<h1>{escape(title)}</h1>",
           f'<p class="answer{"" if rec.top else " none"}">{escape(answer)}</p>']
    if rec.requirements.notes:
        out.append(f"<blockquote>{escape(rec.requirements.notes)}</blockquote>")
    heads = "".join(f"<th>{escape(t(k, lang))}</th>" for k in ("tool", "score"))
    out += [f"<h2>{escape(t('ranking', lang))}</h2>", "<table>",
            f'<thead><tr><th class="num">#</th>{heads}<th class="meter"></th><th>{escape(t("verdict", lang))}</th>'
            f"<th>{escape(t('musts_met', lang))}</th></tr></thead>", "<tbody>"]
    for r in rec.ranking:
        bar = f'<span class="bar{"" if r.score >= 60 else " low"}" style="width:{r.score:.0f}%"></span>'
        out.append(f'<tr><td class="num">{r.rank}</td><td><a href="#tool-{escape(r.tool)}">{escape(r.name)}</a></td>'
                   f'<td class="num">{r.score:.1f}</td><td class="meter">{bar}</td>'
                   f'<td class="{r.verdict}">{escape(verdict_text(r, lang))}</td>'
                   f'<td class="num">{r.musts_met}/{r.musts_total}</td></tr>')
    out += ["</tbody>", "</table>"]
    if rec.order_reason:
        out.append(f"<p>{escape(rec.order_reason)}</p>")
    if rec.no_fit:
        out += [f"<h2>{escape(t('no_fit', lang))}</h2>", f"<p>{escape(rec.no_fit.text)}</p>"]
    if rec.stack:
        labels = [escape(t(k, lang)) for k in ("layer", "component", "from", "covers")]
        heads = "".join(f"<th>{label}</th>" for label in labels)
        out += [f"<h2>{escape(t('suggested_stack', lang))}</h2>", '<table class="stack">',
                f"<thead><tr>{heads}</tr></thead>",
                "<tbody>"]
        for p in rec.stack:
            covers = ", ".join(requirement_title(kb, r, lang) for r in p.requirements)
            name = escape(p.name)
            first = next((u for u in p.evidence if u.startswith(("https://", "http://"))), None)
            if first:
                name = f'<a href="{escape(first)}">{name}</a>'
            cells = (escape(p.layer_title), name, escape(part_source(p, lang)), escape(covers))
            row = "".join(f'<td data-label="{label}">{cell}</td>' for label, cell in zip(labels, cells, strict=True))
            out.append(f"<tr>{row}</tr>")
        out += ["</tbody>", "</table>"]
    if rec.sensitivity:
        out += [f"<h2>{escape(t('what_if', lang))}</h2>", f"<p>{escape(rec.sensitivity.text)}</p>"]
        if rec.sensitivity.changes:
            out += ["<ul>", *(f"<li>{escape(c.text)}</li>" for c in rec.sensitivity.changes), "</ul>"]
    if rec.confidence:
        level = t("level_" + rec.confidence.level, lang)
        out += [f"<h2>{escape(t('confidence', lang))}: {escape(level)}</h2>",
                f"<p>{escape(' '.join(rec.confidence.reasons))}</p>"]
    out.append(f"<h2>{escape(t('html_details', lang))}</h2>")
    for r in rec.ranking:
        out += _tool(r, lang)
    out += [f"<footer>{escape(t('md_knowledge', lang, revision=rec.knowledge_revision, as_of=rec.knowledge_as_of))}"
            "</footer>", "</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
