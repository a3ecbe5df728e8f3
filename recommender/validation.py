"""Turn pydantic validation errors into Problems that name the line and the field."""

from __future__ import annotations

import difflib
import re
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem
from .yamlio import YamlDoc

M = TypeVar("M", bound=BaseModel)


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model whose fields are expected at `loc`, following nested, optional, list and dict fields."""
    current = model
    for step in loc:
        field = next((f for n, f in current.model_fields.items() if step in (n, f.alias)), None) \
            if isinstance(step, str) else None
        if field is None:
            continue  # a list index or a dict key: the element's model is the one already found
        inner = _inner_model(field.annotation)
        if inner is None:
            return None
        current = inner
    return current


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _fix_for(error: Any, loc: tuple[Any, ...], model: type[BaseModel] | None = None) -> str:
    """The fix for one error at `loc`, its place inside `model` (validator steps left out)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        close = difflib.get_close_matches(str(error.get("input", "")).strip().lower(), options, n=1, cutoff=0.5)
        if close:
            return f"did you mean {close[0]!r}? use one of: {', '.join(options)}"
        return f"use one of: {', '.join(options) or ctx.get('expected', '')}"
    if kind == "list_type" and loc and isinstance(loc[-1], str) and isinstance(error.get("input"), (str, int)):
        return f"write a list: `{loc[-1]}: [{error['input']}]`"
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1]) if model is not None else None
        if parent is not None and loc and isinstance(loc[-1], str):
            names = [f.alias or n for n, f in parent.model_fields.items()]  # as written in the file
            close = difflib.get_close_matches(loc[-1], names, n=1)
            if close:
                return f"did you mean {close[0]!r}?"
            return f"remove it; the fields here are: {', '.join(names)}"
        return "remove this field or check its spelling"
    if kind == "missing":
        return "add this field"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return "give a value of the type named"
    return ""


def problems_from(exc: ValidationError, doc: YamlDoc, prefix: tuple[str | int, ...] = (),
                  model: type[BaseModel] | None = None) -> list[Problem]:
    problems = []
    for error in exc.errors():
        own = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        problems.append(Problem(doc.file, doc.where((*prefix, *own)) or "top level", error["msg"],
                                _fix_for(error, own, model)))
    return problems


def validate(model: type[M], doc: YamlDoc) -> M:
    """Validate a parsed document against a model, raising an InputError with every problem."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, doc, model=model)) from None
