"""The JSON envelope: a versioned contract (schema_version bumps on any breaking change)."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_json

from .. import __version__
from ..models import Recommendation

SCHEMA_VERSION = 1


def envelope(rec: Recommendation, source: str | None = None) -> dict[str, Any]:
    body = rec.model_dump(mode="json")
    return {
        "schema_version": SCHEMA_VERSION,
        "recommender_version": __version__,
        "knowledge_revision": rec.knowledge_revision,
        "knowledge_as_of": rec.knowledge_as_of,
        "source": source,
        "input": body.pop("requirements"),
        "ranking": body.pop("ranking"),
        "stack": body.pop("stack"),
        "no_fit": body.pop("no_fit"),
        "order_reason": body.pop("order_reason"),
        "decisive": body.pop("decisive"),
        "sensitivity": body.pop("sensitivity"),
        "confidence": body.pop("confidence"),
        "lang": body.pop("lang"),
    }


def render_json(rec: Recommendation, source: str | None = None) -> str:
    # pydantic-core's encoder writes what json.dumps(indent=2, ensure_ascii=False) would, 8x faster.
    return to_json(envelope(rec, source), indent=2).decode() + "\n"
