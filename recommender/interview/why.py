"""Why a question is asked now: which tools its answers decide between, and how they differ.

The texts quote the knowledge base (each tool's claim for the requirement) and what the re-runs found
(which answer leads to which top pick), in the interview's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..strings import pick, t

if TYPE_CHECKING:
    from ..knowledge import KnowledgeBase
    from ..reasoning.variants import PickAndStack as Outcome
    from .outcomes import Candidate


def why(kb: KnowledgeBase, lang: str, question_id: str, candidate: Candidate | None, current: Outcome,
        anything_answered: bool) -> str:
    """Why `question_id` is asked, given the outcome now and each answer's (`candidate`)."""
    if candidate is None:
        return t("interview_why_nothing", lang)
    tools = _tools([current[0], *(o[0] for o in candidate.outcomes)])
    names = [kb.tool(tool).name for tool in tools]
    no_fit = any(o[0] is None for o in candidate.outcomes) and current[0] is not None
    if len(tools) >= 2:
        if question_id in kb.catalogue.ids:
            details = " · ".join(_claim_line(kb, lang, question_id, tool) for tool in tools)
            text = t("interview_why_between", lang, tools=_join(names, lang), details=details)
        else:
            text = t("interview_why_between_context", lang, tools=_join(names, lang),
                     details=_values_line(kb, lang, candidate, tools))
    elif tools and current[0] is None and not anything_answered:
        text = t("interview_why_first", lang, tools=_join(names, lang))
    elif parts := sorted({p for o in candidate.outcomes if o[0] == current[0] for p in o[1]} ^ set(current[1])):
        components = [_component_name(kb, part) for part in parts]
        text = t("interview_why_stack", lang, tool=names[0], components=_join(components, lang))
    elif no_fit:
        details = _claim_line(kb, lang, question_id, tools[0]) if question_id in kb.catalogue.ids else ""
        return t("interview_why_no_fit_only", lang, details=details).rstrip(": ")
    else:
        text = t("interview_why_nothing", lang)
    if no_fit:
        text = f"{text} {t('interview_why_no_fit', lang)}"
    return text


def _values_line(kb: KnowledgeBase, lang: str, candidate: Candidate, tools: list[str]) -> str:
    """For a context key: which answers lead to which tool, as the re-runs found ("Flux: azure-aks, gke")."""
    by_tool: dict[str, list[str]] = {}
    for value, outcome in zip(candidate.answers, candidate.outcomes, strict=True):
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        by_tool.setdefault(outcome[0] or "", []).append(shown)
    parts = []
    for tool in [*tools, ""]:
        values = by_tool.get(tool)
        if not values:
            continue
        more = t("interview_more_values", lang, count=len(values) - 4) if len(values) > 4 else ""
        name = kb.tool(tool).name if tool else t("interview_no_fit_short", lang)
        parts.append(f"{name}: {', '.join(values[:4])}{more}")
    return " · ".join(parts)


def _claim_line(kb: KnowledgeBase, lang: str, req_id: str, tool_id: str) -> str:
    tool = kb.tool(tool_id)
    claim = tool.capabilities[req_id]
    note = _first_sentence(pick(claim.note, lang))
    level = t(f"cap_level_{claim.level}", lang)
    return f"{tool.name} ({level}): {note}" if note else f"{tool.name} ({level})"


def _component_name(kb: KnowledgeBase, part: str) -> str:
    tool_id, _slash, component = part.partition("/")
    try:
        return kb.tool(tool_id).component(component).name
    except KeyError:
        return part


def _tools(picks: Iterable[str | None]) -> list[str]:
    """The tools named by top picks ("a|b" names two), in first-seen order."""
    out: list[str] = []
    for found in picks:
        for tool in (found or "").split("|"):
            if tool and tool not in out:
                out.append(tool)
    return out


def _join(names: Sequence[str], lang: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    joined = f"{', '.join(names[:-1])}{t('interview_and', lang)}{names[-1]}"
    if lang == "ko":
        from ..korean import particles  # 와/과 agrees with the name before it

        return particles(joined)
    return joined


def _first_sentence(text: str) -> str:
    for end in (". ", "다. "):
        cut = text.find(end)
        if cut > 0:
            return text[:cut + len(end) - 1]
    return text
