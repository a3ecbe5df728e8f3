"""Renderers lay out a Recommendation; they never compute a score."""

from __future__ import annotations

import io

from ..models import Recommendation

FORMATS = ("table", "json")


def render(rec: Recommendation, fmt: str, *, source: str | None = None, width: int = 100,
           color: bool = False) -> str:
    """The report in one format, as text."""
    if fmt == "json":
        from .jsonout import render_json

        return render_json(rec, source)
    if fmt == "table":
        from rich.console import Console

        from .table import render_report

        buffer = io.StringIO()
        console = Console(file=buffer, width=width, force_terminal=color, color_system="standard" if color else None,
                          highlight=False)
        render_report(rec, console)
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
