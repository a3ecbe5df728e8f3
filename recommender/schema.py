"""The JSON Schema of a requirements file, derived from the catalogue (the one vocabulary)."""

from __future__ import annotations

from typing import Any

from .catalogue import Catalogue
from .models import IMPORTANCE_ORDER
from .strings import pick


def requirements_schema(catalogue: Catalogue, lang: str = "en") -> dict[str, Any]:
    importance = {"enum": list(IMPORTANCE_ORDER),
                  "description": "must: excludes tools that cannot meet it; high, medium, nice: weights; "
                                 "avoid: tools that bring it lose points"}
    requirements = {
        r.id: {**importance, "title": pick(r.title, lang), "description": pick(r.definition, lang)}
        for r in catalogue.requirements
    }
    context: dict[str, Any] = {}
    for key, spec in catalogue.contexts.items():
        if spec.integer:
            context[key] = {"type": "integer", "minimum": 1, "title": pick(spec.title, lang)}
        elif spec.multi:
            context[key] = {"type": "array", "items": {"enum": spec.values}, "uniqueItems": True,
                            "title": pick(spec.title, lang)}
        else:
            context[key] = {"enum": spec.values, "title": pick(spec.title, lang)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "recommender requirements file",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "version": {"const": 1, "description": "file format version"},
            "context": {"type": "object", "additionalProperties": False, "properties": context,
                        "description": "not scored by itself, but the rules read it"},
            "requirements": {"type": "object", "additionalProperties": False, "properties": requirements},
            "notes": {"type": "string", "description": "free text carried into the report"},
        },
    }
