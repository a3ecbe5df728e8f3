"""The terminal report (rich): ranking with score bars, explanations, risks, stack, no-fit."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..models import Recommendation, ToolResult
from ..strings import t
from .verdicts import STYLE, verdict_text

_VERDICT_STYLE = STYLE
_SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "dim"}
_KIND_MARK = {"meets": "+", "bonus": "+", "penalty": "-", "misses": "x", "note": "·"}


def _bar(score: float, width: int = 20) -> Text:
    filled = round(score / 100 * width)
    return Text("█" * filled + "░" * (width - filled), style="green" if score >= 60 else "yellow")


def ranking_table(rec: Recommendation) -> Table:
    lang = rec.lang
    table = Table(title=t("ranking", lang), expand=False)
    table.add_column("#", justify="right")
    table.add_column(t("tool", lang))
    table.add_column(t("score", lang), justify="right")
    table.add_column("")
    table.add_column(t("verdict", lang))
    table.add_column(t("musts_met", lang), justify="right")
    for r in rec.ranking:
        table.add_row(str(r.rank), escape(r.name), f"{r.score:.1f}", _bar(r.score),
                      Text(verdict_text(r, lang), style=_VERDICT_STYLE[r.verdict]),
                      f"{r.musts_met}/{r.musts_total}")
    return table


def _line(prefix: str, style: str, text: str, rule: str | None = None) -> Text:
    line = Text(prefix, style=style)
    line.append(text, style="")
    if rule:
        line.append(f"  [{rule}]", style="dim")
    return line


def tool_panel(r: ToolResult, lang: str = "en", *, evidence: bool = False) -> Panel:
    lines: list[Text] = []
    for e in r.explanations:
        points = f"{e.points:+.1f}" if e.points else ""
        lines.append(_line(f" {_KIND_MARK[e.kind]} {points:>6}  ", "", e.text, e.rule))
        if evidence:
            lines += [Text(f"            {url}", style="dim cyan") for url in e.evidence]
    for x in r.exclusions:
        lines.append(_line(f" ✗ {t('excluded_line', lang)}: ", "bold red", x.text, x.rule))
    for c in r.covers:
        lines.append(_line(f" ↪ {t('covered_line', lang)}: ", "cyan", c.text, c.rule))
    for k in r.risks_beyond_lines:
        lines.append(_line(f" ! {t('risk_line', lang)} ({t('level_' + k.severity, lang)}): ",
                           _SEVERITY_STYLE[k.severity], k.text, k.rule))
    for w in r.why_not:
        lines.append(_line(f" ? {t('why_not_first', lang)}: ", "magenta", w.text))
    title = Text(f"{r.rank}. {r.name} — {r.score:.1f} ({verdict_text(r, lang)})",
                 style=_VERDICT_STYLE[r.verdict])
    body = Group(*lines) if lines else Text(t("nothing_applies", lang))
    return Panel(body, title=title, title_align="left")


def stack_table(rec: Recommendation, title: Callable[[str], str] = str) -> Table:
    lang = rec.lang
    table = Table(title=t("suggested_stack", lang), expand=False)
    for key in ("layer", "component", "from", "covers"):
        table.add_column(t(key, lang))
    for p in rec.stack:
        table.add_row(escape(p.layer_title), escape(p.name), escape(p.tool),
                      escape(", ".join(title(r) for r in p.requirements)))
    return table


def render_report(rec: Recommendation, console: Console, *, evidence: bool = False,
                  title: Callable[[str], str] = str) -> None:
    """The whole report; `title` names a requirement id in the stack table (default: the id)."""
    lang = rec.lang
    if rec.requirements.notes:
        console.print(Panel(Text(rec.requirements.notes), title=t("notes", lang), title_align="left"))
    console.print(ranking_table(rec))
    if rec.order_reason:
        console.print(Text(rec.order_reason, style="bold"))
    if rec.no_fit:
        console.print(Panel(Text(rec.no_fit.text), title=t("no_fit", lang), style="red", title_align="left"))
    if rec.stack:
        console.print(stack_table(rec, title))
    if rec.sensitivity:
        what_if = [Text(rec.sensitivity.text)] + [Text(f" • {c.text}") for c in rec.sensitivity.changes]
        console.print(Panel(Group(*what_if), title=t("what_if", lang), title_align="left"))
    if rec.confidence:
        style = {"high": "green", "medium": "yellow", "low": "red"}[rec.confidence.level]
        confidence = Text(f"{t('confidence', lang)}: {t('level_' + rec.confidence.level, lang)}. ",
                          style=f"bold {style}")
        confidence.append(" ".join(rec.confidence.reasons), style="")
        console.print(confidence)
    for r in rec.ranking:
        console.print(tool_panel(r, lang, evidence=evidence))
    console.print(Text(t("footer", lang, revision=rec.knowledge_revision, as_of=rec.knowledge_as_of), style="dim"))
