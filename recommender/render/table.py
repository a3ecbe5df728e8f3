"""The terminal report (rich): ranking with score bars, explanations, risks, stack, no-fit."""

from __future__ import annotations

from collections.abc import Callable

from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..models import Recommendation, ToolResult
from ..strings import t
from .lines import line_texts
from .titles import source
from .verdicts import STYLE, verdict_text

_VERDICT_STYLE = STYLE
_SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "dim"}
_KIND_MARK = {"meets": "+", "bonus": "+", "penalty": "-", "misses": "x", "note": "·"}


def _bar(score: float, width: int = 20) -> Text:
    filled = round(score / 100 * width)
    return Text("█" * filled + "░" * (width - filled), style="green" if score >= 60 else "yellow")


def ranking_table(rec: Recommendation, *, compact: bool = False) -> Table:
    """The ranking; `compact` draws it without its outer frame, to save screen lines."""
    lang = rec.lang
    table = Table(title=t("ranking", lang), expand=False, box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD,
                  show_edge=not compact)
    table.add_column("#", justify="right")
    table.add_column(t("tool", lang))
    table.add_column(t("score", lang), justify="right")
    # The bar keeps its width: a narrow terminal wraps the verdict ("unsuited (archived)") instead.
    table.add_column("", no_wrap=True, min_width=20)
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


def tool_panel(r: ToolResult, lang: str = "en") -> Panel:
    """Every line of one tool, wrapped to the width (evidence goes below the panel: a URL is never wrapped)."""
    lines: list[Text] = []
    for e, text in zip(r.explanations, line_texts(r, lang), strict=True):
        points = f"{e.points:+.1f}" if e.points else ""
        lines.append(_line(f" {_KIND_MARK[e.kind]} {points:>6}  ", "", text, e.rule))
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


def stack_lines(rec: Recommendation, title: Callable[[str], str] = str) -> Group:
    """The stack to deploy, one screen line per part: component, layer, then what it covers (cut short)."""
    lines = [Text(t("suggested_stack", rec.lang), style="bold underline")]
    for p in rec.stack:
        line = Text(" • ", no_wrap=True, overflow="ellipsis")
        line.append(p.name, style="bold")
        managed = f", {t('managed_by', rec.lang, platform=p.managed)}" if p.managed else ""
        line.append(f" ({p.layer_title}{managed}): ", style="dim")
        line.append(", ".join(title(r) for r in p.requirements))
        lines.append(line)
    return Group(*lines)


def stack_table(rec: Recommendation, title: Callable[[str], str] = str) -> Table:
    lang = rec.lang
    table = Table(title=t("suggested_stack", lang), expand=False)
    for key in ("layer", "component", "from", "covers"):
        table.add_column(t(key, lang))
    for p in rec.stack:
        table.add_row(escape(p.layer_title), escape(p.name), escape(source(p, lang)),
                      escape(", ".join(title(r) for r in p.requirements)))
    return table


def answer_line(rec: Recommendation, title: Callable[[str], str] = str) -> str:
    """The answer in one sentence (Recommendation.answer), first and last on the screen."""
    return rec.answer(title)


# The default report's budget: the pick's and the runner-up's panels show this many lines each,
# one screen line per explanation, so every bundled example fits 40 lines at 80 columns.
_PICK_LINES, _RUNNER_UP_LINES, _WHAT_IF_CHANGES = 5, 4, 3


def _compact_lines(r: ToolResult, lang: str, limit: int) -> list[Text]:
    """A panel's lines, one screen line each, the most telling first: for the pick what scored,
    for the others why they are not first and what keeps them out."""
    def one(prefix: str, style: str, text: str) -> Text:
        line = Text(prefix, style=style, no_wrap=True, overflow="ellipsis")
        line.append(text, style="")
        return line

    excluded = [one(f" ✗ {t('excluded_line', lang)}: ", "bold red", x.text) for x in r.exclusions]
    why_not = [one(f" ? {t('why_not_first', lang)}: ", "magenta", w.text) for w in r.why_not]
    risks = [one(f" ! {t('risk_line', lang)} ({t('level_' + k.severity, lang)}): ", _SEVERITY_STYLE[k.severity],
                 k.text) for k in r.risks_beyond_lines]
    covers = [one(f" ↪ {t('covered_line', lang)}: ", "cyan", c.text) for c in r.covers]
    ordered = sorted(zip(r.explanations, line_texts(r, lang), strict=True), key=lambda p: -abs(p[0].points))
    scored = [one(f" {_KIND_MARK[e.kind]} {f'{e.points:+.1f}' if e.points else '':>6}  ", "", text)
              for e, text in ordered]
    if r.candidate and not r.why_not:
        # The pick: its two biggest reasons, then its risks (an expert names them before the rest).
        lines = [*scored[:2], *risks, *covers, *scored[2:]]
    else:
        lines = [*excluded, *why_not, *risks, *covers, *scored]
    if len(lines) > limit:
        hidden = len(lines) - (limit - 1)
        lines = [*lines[:limit - 1], Text(t("more_lines", lang, count=hidden), style="dim")]
    return lines


def _panel(r: ToolResult, body: list[Text], lang: str) -> Panel:
    title = Text(f"{r.rank}. {r.name} — {r.score:.1f} ({verdict_text(r, lang)})",
                 style=_VERDICT_STYLE[r.verdict])
    return Panel(Group(*body) if body else Text(t("nothing_applies", lang)), title=title, title_align="left")


def _evidence_lines(urls: list[str], color: bool) -> list[Text]:
    """Evidence URLs, each on its own line that is never wrapped; a link where the terminal has them."""
    from rich.style import Style

    return [Text(f"   {url}", style=Style(color="cyan", link=url) if color else Style(dim=True),
                 no_wrap=True, overflow="ignore") for url in urls]


def _print_evidence(console: Console, r: ToolResult, lang: str) -> None:
    # Outside the panel: a URL inside a box would be cut or wrapped at the border.
    sources: list[list[str]] = [e.evidence for e in r.explanations] + [x.evidence for x in r.exclusions] + \
        [k.evidence for k in r.risks_beyond_lines] + [c.evidence for c in r.covers]
    urls = list(dict.fromkeys(u for found in sources for u in found))
    if urls:
        console.print(Text(t("evidence_for", lang, tool=r.name), style="dim"))
        for line in _evidence_lines(urls, console.is_terminal and console.color_system is not None):
            console.print(line, soft_wrap=True, crop=False)


def render_report(rec: Recommendation, console: Console, *, evidence: bool = False,
                  title: Callable[[str], str] = str, full: bool = False) -> None:
    """The report. By default one screen: the answer first and last, the ranking, the stack, what
    would change the answer and the panels of the pick and the runner-up; `full` shows every panel
    in full. `title` names a requirement id in the stack table (default: the id)."""
    lang = rec.lang
    answer = Text(answer_line(rec, title), style="bold")
    console.print(answer)
    if rec.requirements.notes:
        if full:
            console.print(Panel(Text(rec.requirements.notes), title=t("notes", lang), title_align="left"))
        else:
            console.print(Text(f"{t('notes', lang)}: {rec.requirements.notes}", style="dim", no_wrap=True,
                               overflow="ellipsis"))
    console.print(ranking_table(rec, compact=not full))
    if rec.order_reason:
        console.print(Text(rec.order_reason, style="bold"))
    if rec.no_fit:
        console.print(Panel(Text(rec.no_fit.text), title=t("no_fit", lang), style="red", title_align="left"))
    if rec.stack:
        console.print(stack_table(rec, title) if full else stack_lines(rec, title))
    if rec.sensitivity:
        changes = rec.sensitivity.changes if full else rec.sensitivity.changes[:_WHAT_IF_CHANGES]
        what_if = [Text(rec.sensitivity.text)] + [Text(f" • {c.text}") for c in changes]
        if len(changes) < len(rec.sensitivity.changes):
            what_if.append(Text(t("more_lines", lang, count=len(rec.sensitivity.changes) - len(changes)),
                                style="dim"))
        if full:
            console.print(Panel(Group(*what_if), title=t("what_if", lang), title_align="left"))
        else:
            console.print(Text(t("what_if", lang), style="bold underline"))
            console.print(Group(*what_if))
    if rec.confidence:
        style = {"high": "green", "medium": "yellow", "low": "red"}[rec.confidence.level]
        confidence = Text(f"{t('confidence', lang)}: {t('level_' + rec.confidence.level, lang)}. ",
                          style=f"bold {style}")
        confidence.append(" ".join(rec.confidence.reasons), style="")
        console.print(confidence)
    if full:
        for r in rec.ranking:
            console.print(tool_panel(r, lang))
            if evidence:
                _print_evidence(console, r, lang)
    else:
        shown = rec.ranking[:2]
        for index, r in enumerate(shown):
            console.print(_panel(r, _compact_lines(r, lang, _PICK_LINES if index == 0 else _RUNNER_UP_LINES),
                                 lang))
            if evidence:
                _print_evidence(console, r, lang)
        if len(rec.ranking) > len(shown):
            console.print(Text(t("more_panels", lang, count=len(rec.ranking) - len(shown)), style="dim"))
    console.print(Text(t("footer", lang, revision=rec.knowledge_revision, as_of=rec.knowledge_as_of), style="dim"))
    console.print(answer)
