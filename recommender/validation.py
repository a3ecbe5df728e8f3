"""Turn pydantic validation errors into Problems that name the line and the field."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem
from .yamlio import YamlDoc

M = TypeVar("M", bound=BaseModel)


def _fix_for(error: Any) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        return f"use one of: {ctx.get('expected', '')}"
    if kind == "extra_forbidden":
        return "remove this field or check its spelling"
    if kind == "missing":
        return "add this field"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return "give a value of the type named"
    return ""


def problems_from(exc: ValidationError, doc: YamlDoc, prefix: tuple[str | int, ...] = ()) -> list[Problem]:
    problems = []
    for error in exc.errors():
        loc = tuple(p for p in (*prefix, *error["loc"]) if not (isinstance(p, str) and p.startswith("function-")))
        problems.append(Problem(doc.file, doc.where(loc) or "top level", error["msg"], _fix_for(error)))
    return problems


def validate(model: type[M], doc: YamlDoc) -> M:
    """Validate a parsed document against a model, raising an InputError with every problem."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, doc)) from None
