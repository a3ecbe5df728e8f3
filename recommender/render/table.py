"""The terminal report (rich): ranking with score bars, explanations, risks, stack, no-fit."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..models import Recommendation, ToolResult

_VERDICT_STYLE = {"recommended": "bold green", "viable": "yellow", "excluded": "red"}
_SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "dim"}
_KIND_MARK = {"meets": "+", "bonus": "+", "penalty": "-", "misses": "x", "note": "·"}


def _bar(score: float, width: int = 20) -> Text:
    filled = round(score / 100 * width)
    return Text("█" * filled + "░" * (width - filled), style="green" if score >= 60 else "yellow")


def ranking_table(rec: Recommendation) -> Table:
    table = Table(title="Ranking", expand=False)
    table.add_column("#", justify="right")
    table.add_column("Tool")
    table.add_column("Score", justify="right")
    table.add_column("")
    table.add_column("Verdict")
    table.add_column("Musts met", justify="right")
    for r in rec.ranking:
        table.add_row(str(r.rank), escape(r.name), f"{r.score:.1f}", _bar(r.score),
                      Text(r.verdict, style=_VERDICT_STYLE[r.verdict]), f"{r.musts_met}/{r.musts_total}")
    return table


def tool_panel(r: ToolResult, *, evidence: bool = False) -> Panel:
    lines: list[Text] = []
    for e in r.explanations:
        mark = _KIND_MARK[e.kind]
        points = f"{e.points:+.1f}" if e.points else "    "
        line = Text(f" {mark} {points:>6}  ")
        line.append(e.text)
        line.append(f"  [{e.rule}]", style="dim")
        lines.append(line)
        if evidence:
            lines += [Text(f"            {url}", style="dim cyan") for url in e.evidence]
    for x in r.exclusions:
        line = Text(" ✗ excluded: ", style="bold red")
        line.append(x.text)
        line.append(f"  [{x.rule}]", style="dim")
        lines.append(line)
    for c in r.covers:
        line = Text(" ↪ ", style="cyan")
        line.append(c.text)
        line.append(f"  [{c.rule}]", style="dim")
        lines.append(line)
    for k in r.risks:
        line = Text(f" ! {k.severity:<6} ", style=_SEVERITY_STYLE[k.severity])
        line.append(k.text)
        line.append(f"  [{k.rule}]", style="dim")
        lines.append(line)
    for w in r.why_not:
        line = Text(" ? why not first: ", style="magenta")
        line.append(w.text)
        lines.append(line)
    title = Text(f"{r.rank}. {r.name} — {r.score:.1f} ({r.verdict})", style=_VERDICT_STYLE[r.verdict])
    return Panel(Group(*lines) if lines else Text("nothing stated applies"), title=title, title_align="left")


def stack_table(rec: Recommendation) -> Table:
    table = Table(title="Suggested stack", expand=False)
    table.add_column("Layer")
    table.add_column("Component")
    table.add_column("From")
    table.add_column("Covers")
    for p in rec.stack:
        table.add_row(escape(p.layer_title), escape(p.name), escape(p.tool), escape(", ".join(p.requirements)))
    return table


def render_report(rec: Recommendation, console: Console, *, evidence: bool = False) -> None:
    if rec.requirements.notes:
        console.print(Panel(Text(rec.requirements.notes), title="Notes", title_align="left"))
    console.print(ranking_table(rec))
    if rec.order_reason:
        console.print(Text(rec.order_reason, style="bold"))
    if rec.no_fit:
        console.print(Panel(Text(rec.no_fit.text), title="No fit", style="red", title_align="left"))
    if rec.stack:
        console.print(stack_table(rec))
    if rec.sensitivity:
        what_if = [Text(rec.sensitivity.text)] + [Text(f" • {c.text}") for c in rec.sensitivity.changes]
        console.print(Panel(Group(*what_if), title="What would change the answer", title_align="left"))
    if rec.confidence:
        style = {"high": "green", "medium": "yellow", "low": "red"}[rec.confidence.level]
        confidence = Text(f"Confidence: {rec.confidence.level}. ", style=f"bold {style}")
        confidence.append(" ".join(rec.confidence.reasons), style="")
        console.print(confidence)
    for r in rec.ranking:
        console.print(tool_panel(r, evidence=evidence))
    console.print(Text(f"knowledge {rec.knowledge_revision}, facts as of {rec.knowledge_as_of}", style="dim"))
