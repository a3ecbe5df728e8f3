"""The library's front door: recommend() and load_requirements()."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .catalogue import Catalogue
from .dsl.model import RuleBase
from .errors import InputError, Problem
from .knowledge import KnowledgeBase
from .loading import get_knowledge as get_knowledge
from .loading import get_rules as get_rules
from .models import Context, Recommendation, Requirements
from .reasoning.engine import evaluate
from .reasoning.explain import add_why_not, archived_best, confidence, decisive
from .reasoning.facts import build_facts
from .reasoning.ranking import Ranker
from .reasoning.variants import Base, failing_musts, outcomes, replayed
from .reasoning.what_if import relax_options, sensitivity
from .strings import LANGS
from .validation import pydantic_problem, validate
from .yamlio import load_yaml

# Gateway API implementations the traffic_router list does not name: the controllers drive them all
# through the Gateway API, which is what the catalogue's help tells users to choose.
GATEWAY_API_IMPLEMENTATIONS = frozenset({
    "cilium", "envoy-gateway", "envoy", "kgateway", "nginx-gateway-fabric", "nginx-gateway", "gke-gateway",
    "gke", "haproxy", "haproxy-ingress", "emissary", "easegress", "wso2-apk", "airlock", "azure-agc",
})


def _context_problem(file: str, where: str, key: str, value: str, allowed: list[str]) -> Problem:
    """An unknown context value, with the most useful fix (a suggestion, or the allowed values)."""
    params = {"key": key, "value": repr(value), "values": ", ".join(allowed)}
    if key == "platform" and value.strip().lower() == "gitlab":
        # Older files listed GitLab as a platform; it hosts code and pipelines, not clusters.
        return Problem.of(file, where, "unknown_context_value", fix="gitlab_not_a_platform", **params)
    if key == "traffic_router" and value.strip().lower() in GATEWAY_API_IMPLEMENTATIONS and "gateway-api" in allowed:
        return Problem.of(file, where, "unknown_context_value", fix="gateway_api", raw=value, **params)
    close = difflib.get_close_matches(value.strip().lower(), allowed, n=1)
    if close:
        return Problem.of(file, where, "unknown_context_value", fix="did_you_mean_allowed", x=repr(close[0]), **params)
    return Problem.of(file, where, "unknown_context_value", **params)


def check_vocabulary(requirements: Requirements, catalogue: Catalogue, file: str = "<requirements>",
                     where: dict[tuple[str, ...], str] | None = None) -> list[Problem]:
    """Requirement ids and context values checked against the catalogue, with suggestions."""
    where = where or {}
    problems = []
    ids = catalogue.ids
    for req_id in requirements.requirements:
        if req_id not in ids:
            close = difflib.get_close_matches(req_id, ids, n=1)
            place = where.get(("requirements", req_id), f"requirements.{req_id}")
            if req_id in catalogue.contexts or req_id in Context.model_fields:
                found = Problem.of(file, place, "unknown_requirement", fix="context_key", id=repr(req_id), key=req_id)
            elif close:
                found = Problem.of(file, place, "unknown_requirement", fix="did_you_mean", id=repr(req_id),
                                   x=repr(close[0]))
            else:
                found = Problem.of(file, place, "unknown_requirement", id=repr(req_id))
            problems.append(found)
    context = requirements.context
    for key, spec in catalogue.contexts.items():
        if not spec.values:
            continue
        raw = getattr(context, key, None)
        values = raw if isinstance(raw, list) else [] if raw is None else [raw]
        for value in values:
            if not isinstance(value, str):
                continue  # the type check reports it
            if value not in spec.values:
                problems.append(_context_problem(file, where.get(("context", key), f"context.{key}"), key, value,
                                                 spec.values))
    return problems


def _shown(value: object, limit: int = 40) -> str:
    """A value for a message, short and never failing (a huge int has no repr past 4,300 digits)."""
    try:
        text = repr(value)
    except ValueError:
        return f"<a {type(value).__name__} too large to show>"
    return text if len(text) <= limit else f"{text[:limit - 3]}..."


def check_something_stated(requirements: Requirements, file: str) -> list[Problem]:
    """A ranking needs at least one requirement to want: without one every score is 0."""
    if any(i != "avoid" for i in requirements.requirements.values()):
        return []
    return [Problem.of(file, "requirements", "nothing_wanted")]


def load_requirements(path: Path | str, *, knowledge: KnowledgeBase | Path | str | None = None) -> Requirements:
    """Read and validate a requirements YAML file; every problem is reported at once."""
    path = Path(path)
    doc = load_yaml(path, strict=False)
    file = str(path)
    if doc.data is None:
        raise InputError([Problem.of(file, "", "empty_file")])
    if not isinstance(doc.data, dict):
        raise InputError([Problem.of(file, "line 1", "top_not_mapping", kind=type(doc.data).__name__)])
    if "version" in doc.data and (type(doc.data["version"]) is not int or doc.data["version"] != 1):
        raise InputError([Problem.of(file, doc.where(("version",)), "unsupported_version",
                                     version=_shown(doc.data["version"]))])
    catalogue = get_knowledge(knowledge).catalogue
    problems: list[Problem] = list(doc.problems)
    for key in doc.data:
        if key not in Requirements.model_fields:
            close = difflib.get_close_matches(str(key), list(Requirements.model_fields), n=1)
            problems.append(Problem.of(file, doc.where((key,)), "unknown_top_field", key=repr(key),
                                       **({"fix": "did_you_mean", "x": repr(close[0])} if close else {})))
    # The vocabulary is checked on the raw data too, so one run reports every problem.
    raw_reqs = doc.data.get("requirements")
    raw_context = doc.data.get("context")
    context_values: dict[str, Any] = {}
    if isinstance(raw_context, dict):
        context_values = {k: v for k, v in raw_context.items() if k in Context.model_fields
                          and isinstance(v, (str, list))}
    probe = Requirements.model_construct(
        requirements={k: v for k, v in raw_reqs.items() if isinstance(k, str)} if isinstance(raw_reqs, dict) else {},
        # Every field given: a default factory left to model_construct costs an inspect.signature call.
        context=Context.model_construct(None, **{"already_using": [], "workload_kinds": [], **context_values}))
    lines = {tuple(str(p) for p in k): doc.where(k) for k in doc.lines}
    problems += check_vocabulary(probe, catalogue, file, lines)
    try:
        requirements = validate(Requirements, doc)
    except InputError as exc:
        # A context key under requirements: is reported once, as misplaced, not also for its value.
        misplaced = {f"requirements.{k}" for k in (raw_reqs if isinstance(raw_reqs, dict) else {})
                     if k in Context.model_fields}
        problems += [p for p in exc.problems if ("Extra inputs" not in p.message or not p.where.startswith("line")
                     or "." in p.where.split(", ", 1)[-1]) and p.where.split(", ", 1)[-1] not in misplaced]
        raise InputError(_by_line(problems)) from None
    problems += check_something_stated(requirements, file)
    if problems:
        raise InputError(_by_line(problems))
    return requirements


def _by_line(problems: list[Problem]) -> list[Problem]:
    """Problems in file order, so a reader can fix them top to bottom."""
    def line(p: Problem) -> int:
        found = re.match(r"line (\d+)", p.where)
        return int(found.group(1)) if found else 0

    return sorted(problems, key=line)


def recommend(requirements: Requirements | dict[str, object], *,
              knowledge: KnowledgeBase | Path | str | None = None,
              rules: RuleBase | Path | str | None = None, lang: str = "en",
              what_if: bool = True, today: dt.date | None = None) -> Recommendation:
    """Rank the tools in the knowledge base against the requirements, with explanations.

    `knowledge` and `rules` may be directories (custom knowledge, e.g. an added tool) or loaded
    bases; the bundled ones are used by default. `what_if` re-runs the engine with each stated
    requirement one step lower and higher to report what would change the top pick. `today`
    dates the staleness check (default: the current date). Deterministic and thread-safe.
    """
    if lang not in LANGS:
        raise InputError([Problem.of("<recommend>", "lang", "unsupported_language", lang=repr(lang),
                                     values=", ".join(LANGS))])
    if not isinstance(requirements, Requirements):
        try:
            requirements = Requirements.model_validate(requirements)
        except ValidationError as exc:
            raise InputError([pydantic_problem("<requirements>", ".".join(str(p) for p in e["loc"]), e, fix=False)
                              for e in exc.errors()]) from None
    kb = get_knowledge(knowledge)
    rule_base = get_rules(rules, knowledge)
    problems = check_vocabulary(requirements, kb.catalogue) + check_something_stated(requirements, "<requirements>")
    if problems:
        raise InputError(problems)
    facts, evidence = build_facts(requirements, kb, rule_base)
    firings, _derived = evaluate(rule_base, facts)
    ranker = Ranker(kb, rule_base, evidence, lang)
    rec = ranker.rank(requirements, firings)
    add_why_not(rec, ranker)
    rec.decisive = decisive(rec, ranker)
    if rec.decisive:
        rec.order_reason = rec.decisive.text
    if what_if:
        base = Base(requirements, firings)  # steps the rules see only as new weights need no re-run
        rec.sensitivity = sensitivity(requirements, rec, ranker, lambda variants: outcomes(variants, kb, rule_base),
                                      lambda variants: failing_musts(variants, kb, rule_base),
                                      lambda variants: replayed(variants, base, kb, rule_base))
        if rec.no_fit is not None and rec.sensitivity.relaxations_for_fit:
            # The re-runs know what a relaxation really gives (a stack may then lead); say that,
            # rather than the estimate from the exclusions alone.
            rec.no_fit.relaxations = rec.sensitivity.relaxations_for_fit
            rec.no_fit.text = ranker.message("no_fit", options=relax_options(
                ranker, rec.sensitivity.relaxations_for_fit, rec.sensitivity.leaders_after_relaxing))
    rec.confidence = confidence(rec, ranker, today)
    archived = archived_best(rec, ranker)
    if archived:
        rec.order_reason = f"{archived} {rec.order_reason}".strip()
    rec.confidence._lang = lang  # so str() words the level in the language of the reasons
    return rec

