"""Renderers lay out a Recommendation; they never compute a score."""

from __future__ import annotations

import datetime as dt
import io

from ..knowledge import KnowledgeBase
from ..models import Recommendation

FORMATS = ("table", "json", "markdown", "adr", "html", "svg")
EXTENSIONS = {"table": "txt", "json": "json", "markdown": "md", "adr": "md", "html": "html", "svg": "svg"}
# The format an output file's extension asks for; an ADR is Markdown too, so it is chosen with --format adr.
FORMAT_OF_EXTENSION = {".txt": "table", ".json": "json", ".md": "markdown", ".markdown": "markdown",
                       ".html": "html", ".htm": "html", ".svg": "svg"}


def format_for(output: str | None, explicit: str | None) -> str:
    """The format for a report: the explicit one, else the output file's extension, else the table.

    Raises ValueError when the extension contradicts the explicit format.
    """
    from pathlib import PurePath

    inferred = FORMAT_OF_EXTENSION.get(PurePath(output).suffix.lower()) if output else None
    if explicit is None:
        return inferred or "table"
    if inferred is not None and inferred != explicit and not (explicit == "adr" and inferred == "markdown"):
        raise ValueError(inferred)
    return explicit


def render(rec: Recommendation, format: str = "table", *, lang: str | None = None,
           source: str | None = None, width: int = 100, color: bool = False,
           knowledge: KnowledgeBase | None = None, evidence: bool = False, today: dt.date | None = None,
           full: bool = False) -> str:
    """The report in one format ("table", "json", "markdown", "adr", "html" or "svg"), as text.

    `lang` ("en" or "ko") defaults to the language `rec` was made in; another language ranks the
    same requirements again in it, with `knowledge` (a recommendation's texts are written when it
    is made). `knowledge` also gives requirement titles (default: bundled). The table and SVG fit
    one screen unless `full`; `evidence` adds the evidence URLs.
    """
    fmt = format
    if lang is not None and lang != rec.lang:
        # A report's texts are written when it is ranked: another language is a new ranking, the one
        # thing here that calls back into the library.
        from ..api import recommend

        rec = recommend(rec.requirements, knowledge=knowledge, lang=lang, today=today,
                        what_if=rec.sensitivity is not None)
    if fmt == "json":
        from .jsonout import render_json

        return render_json(rec, source)
    if fmt in ("markdown", "adr"):
        from ..loading import get_knowledge
        from .markdown import render_adr, render_markdown

        kb = knowledge or get_knowledge()
        return render_markdown(rec, kb, source) if fmt == "markdown" else render_adr(rec, kb, source, today)
    if fmt == "html":
        from ..loading import get_knowledge
        from .html import render_html

        return render_html(rec, knowledge or get_knowledge(), source)
    if fmt in ("table", "svg"):
        from rich.console import Console

        from ..loading import get_knowledge
        from .table import render_report
        from .titles import requirement_title

        kb = knowledge or get_knowledge()

        buffer = io.StringIO()
        record = fmt != "table"
        console = Console(file=buffer, width=width, force_terminal=color or record,
                          color_system="truecolor" if record else ("standard" if color else None),
                          highlight=False, record=record, legacy_windows=False)
        render_report(rec, console, evidence=evidence, title=lambda r: requirement_title(kb, r, rec.lang), full=full)
        if fmt == "svg":
            # A fixed id keeps the SVG byte-identical for the same report.
            return console.export_svg(title="recommender", unique_id="recommender")
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
