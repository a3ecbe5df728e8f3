"""Requirement titles and a stack part's source, for the human-readable formats (JSON keeps the ids)."""

from __future__ import annotations

from ..knowledge import KnowledgeBase
from ..models import StackPart
from ..strings import pick, t


def requirement_title(kb: KnowledgeBase, req_id: str, lang: str) -> str:
    try:
        return pick(kb.catalogue.requirement(req_id).title, lang)
    except KeyError:
        return req_id


def source(part: StackPart, lang: str) -> str:
    """Where a stack part comes from: its project, and the platform that offers it managed."""
    return f"{part.tool} ({t('managed_by', lang, platform=part.managed)})" if part.managed else part.tool
