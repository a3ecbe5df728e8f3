"""Renderers lay out a Recommendation; they never compute a score."""

from __future__ import annotations

import datetime as dt
import io

from ..knowledge import KnowledgeBase
from ..models import Recommendation

FORMATS = ("table", "json", "markdown", "adr", "html", "svg")
EXTENSIONS = {"table": "txt", "json": "json", "markdown": "md", "adr": "md", "html": "html", "svg": "svg"}


def render(rec: Recommendation, fmt: str, *, source: str | None = None, width: int = 100, color: bool = False,
           knowledge: KnowledgeBase | None = None, evidence: bool = False, today: dt.date | None = None) -> str:
    """The report in one format, as text. `knowledge` gives requirement titles (default: bundled)."""
    if fmt == "json":
        from .jsonout import render_json

        return render_json(rec, source)
    if fmt in ("markdown", "adr"):
        from ..api import get_knowledge
        from .markdown import render_adr, render_markdown

        kb = knowledge or get_knowledge()
        return render_markdown(rec, kb, source) if fmt == "markdown" else render_adr(rec, kb, source, today)
    if fmt in ("table", "html", "svg"):
        from rich.console import Console

        from ..api import get_knowledge
        from .table import render_report
        from .titles import requirement_title

        kb = knowledge or get_knowledge()

        buffer = io.StringIO()
        record = fmt != "table"
        console = Console(file=buffer, width=width, force_terminal=color or record,
                          color_system="truecolor" if record else ("standard" if color else None),
                          highlight=False, record=record, legacy_windows=False)
        render_report(rec, console, evidence=evidence, title=lambda r: requirement_title(kb, r, rec.lang))
        if fmt == "html":
            return console.export_html(inline_styles=True)
        if fmt == "svg":
            # A fixed id keeps the SVG byte-identical for the same report.
            return console.export_svg(title="recommender", unique_id="recommender")
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
