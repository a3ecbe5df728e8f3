"""An explanation line's text as the human-readable formats show it."""

from __future__ import annotations

from ..models import ToolResult
from ..strings import t


def line_texts(result: ToolResult, lang: str) -> list[str]:
    """The text of each of the tool's explanation lines, in order. A bonus the 100 cap cut says by
    how much: at the cap it may be what orders two tools, though its line shows "+0.0"."""
    noted: set[str] = set()
    out = []
    for line in result.explanations:
        cut = result.beyond_cap.get(line.rule, 0.0) if line.kind == "bonus" else 0.0
        if round(cut, 1) > 0 and line.rule not in noted:  # the rule's cut, said once
            noted.add(line.rule)
            out.append(f"{line.text} {t('beyond_cap_note', lang, cut=f'{cut:.1f}')}")
        else:
            out.append(line.text)
    return out
