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


def _fix_for(error: Any, loc: tuple[Any, ...], model: type[BaseModel] | None = None) -> tuple[str, dict[str, str]]:
    """The specific fix for one error at `loc` (a code in problems.yaml and its values), its place
    inside `model` (validator steps left out); ("", {}) for the message's own fix."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        close = difflib.get_close_matches(str(error.get("input", "")).strip().lower(), options, n=1, cutoff=0.5)
        values = ", ".join(options) or str(ctx.get("expected", ""))
        if close:
            return "did_you_mean_use", {"x": repr(close[0]), "values": values}
        return "use_one_of", {"values": values}
    if kind == "list_type" and loc and isinstance(loc[-1], str) and isinstance(error.get("input"), (str, int)):
        return "write_list", {"example": f"`{loc[-1]}: [{error['input']}]`"}
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1]) if model is not None else None
        if parent is not None and loc and isinstance(loc[-1], str):
            names = [f.alias or n for n, f in parent.model_fields.items()]  # as written in the file
            close = difflib.get_close_matches(loc[-1], names, n=1)
            if close:
                return "did_you_mean", {"x": repr(close[0])}
            return "fields_here", {"values": ", ".join(names)}
    return "", {}


def pydantic_problem(file: str, where: str, error: Any, *, fix: bool = True, loc: tuple[Any, ...] = (),
                     model: type[BaseModel] | None = None) -> Problem:
    """One pydantic error as a Problem: coded by pydantic's error type where problems.yaml has it,
    so it reads in Korean too; the English is pydantic's own message."""
    from . import problem_catalogue

    kind = error.get("type", "")
    code = f"pydantic.{kind}"
    if code not in problem_catalogue.catalogue()["messages"]:
        return Problem(file, where, error["msg"], "give a value of the type named" if fix and (
            kind.endswith("_type") or kind.endswith("_parsing")) else "")
    ctx = error.get("ctx") or {}
    # Pydantic lists choices as "'a', 'b' or 'c'": the English "or" has no place in a Korean sentence.
    params = {"pydantic": error["msg"], "expected": str(ctx.get("expected", "")).replace("' or '", "', '"),
              "ge": str(ctx.get("ge", "")), "le": str(ctx.get("le", "")), "values": str(ctx.get("expected", ""))}
    fix_code, fix_params = _fix_for(error, loc, model) if fix else ("", {})
    found = Problem.of(file, where, code, fix=fix_code, **{**params, **fix_params})
    return found if fix else Problem(found.file, found.where, found.message, "", found.code, found.params)


def problems_from(exc: ValidationError, doc: YamlDoc, prefix: tuple[str | int, ...] = (),
                  model: type[BaseModel] | None = None) -> list[Problem]:
    problems = []
    for error in exc.errors():
        own = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        problems.append(pydantic_problem(doc.file, doc.where((*prefix, *own)) or "top level", error,
                                         loc=own, model=model))
    return problems


def validate(model: type[M], doc: YamlDoc) -> M:
    """Validate a parsed document against a model, raising an InputError with every problem."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, doc, model=model)) from None
