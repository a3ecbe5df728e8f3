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


def report_schema() -> dict[str, Any]:
    """The JSON Schema of `recommend --format json`: one report (the envelope), or, for several
    files, a document with every report and a summary. Derived from the models the envelope dumps,
    so it cannot drift from them; `tests/test_formats.py` validates every example's report."""
    from .models import Recommendation
    from .render.jsonout import SCHEMA_VERSION

    model = Recommendation.model_json_schema(mode="serialization", ref_template="#/$defs/{model}")
    fields: dict[str, Any] = model["properties"]
    defs: dict[str, Any] = model.get("$defs", {})
    envelope_fields: dict[str, Any] = {
        "schema_version": {"const": SCHEMA_VERSION, "description": "bumped on any breaking change"},
        "recommender_version": {"type": "string"},
        "knowledge_revision": fields["knowledge_revision"],
        "knowledge_as_of": fields["knowledge_as_of"],
        "source": {"type": ["string", "null"], "description": "the requirements file, when read from one"},
        "input": fields["requirements"],
        **{name: fields[name] for name in ("ranking", "stack", "no_fit", "order_reason", "decisive",
                                           "sensitivity", "confidence", "lang")},
    }
    defs["Report"] = {"type": "object", "title": "one report", "additionalProperties": False,
                      "required": list(envelope_fields), "properties": envelope_fields}
    defs["Batch"] = {
        "type": "object", "title": "several reports in one document", "additionalProperties": False,
        "required": ["schema_version", "results", "summary"],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "results": {"type": "array", "items": {"$ref": "#/$defs/Report"}},
            "summary": {"type": "array", "items": {
                "type": "object", "additionalProperties": False,
                "required": ["file", "top", "score", "no_fit", "verdict", "confidence", "problems"],
                "properties": {"file": {"type": "string"}, "top": {"type": ["string", "null"]},
                               "score": {"type": ["number", "null"]}, "no_fit": {"type": ["boolean", "null"]},
                               "verdict": {"enum": ["recommended", "partial", None]},
                               "confidence": {"enum": ["high", "medium", "low", None]},
                               "problems": {"type": "array", "items": {"type": "string"}}}}},
        },
    }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "recommender JSON report (recommend --format json)",
            "oneOf": [{"$ref": "#/$defs/Report"}, {"$ref": "#/$defs/Batch"}], "$defs": defs}
