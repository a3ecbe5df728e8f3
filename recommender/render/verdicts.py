"""A tool's verdict as the reports show it: the verdict, and whether it is deployed in the pick's stack
or why it is unsuited although no must excludes it."""

from __future__ import annotations

from ..models import ToolResult
from ..strings import t

STYLE = {"recommended": "bold green", "partial": "bold yellow", "viable": "yellow", "unsuited": "dim",
         "excluded": "red"}


def verdict_text(result: ToolResult, lang: str) -> str:
    # A partner deployed with the pick is part of the answer, whatever it scores alone: that is what
    # the reader needs from the row (its musts-met column still shows what it fails alone).
    if result.in_stack:
        return t("in_stack", lang)
    text = t(f"verdict_{result.verdict}", lang)
    if result.verdict == "unsuited" and result.unsuited_because:
        text += f" ({t('unsuited_' + result.unsuited_because, lang)})"
    return text
