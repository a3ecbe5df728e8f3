"""Requirement titles for the human-readable formats (JSON keeps the ids)."""

from __future__ import annotations

from ..knowledge import KnowledgeBase
from ..strings import pick


def requirement_title(kb: KnowledgeBase, req_id: str, lang: str) -> str:
    try:
        return pick(kb.catalogue.requirement(req_id).title, lang)
    except KeyError:
        return req_id
