"""Rules as data (rules/*.yaml): read, named sets and points resolved, checked, and made a RuleBase."""

from __future__ import annotations

import difflib
import hashlib
from pathlib import Path
from typing import Any

from ..catalogue import Catalogue
from ..errors import InputError, Problem
from ..resources import bundled_dir
from ..validation import validate
from ..yamlio import load_yaml
from .check import check_rule, check_strata
from .model import Parameters, Rule, RuleBase, RuleFile


def load_rules(directory: Path | str | None = None, catalogue: Catalogue | None = None) -> RuleBase:
    """Load and validate a rules directory (the bundled one by default)."""
    root = Path(directory) if directory is not None else bundled_dir("rules")
    if not root.is_dir():
        raise InputError([Problem(str(root), "", "rules directory not found",
                                  "pass a directory holding parameters.yaml and rule files")])
    problems: list[Problem] = []
    params_path = root / "parameters.yaml"
    parameters = None
    if not params_path.is_file():
        problems.append(Problem(str(params_path), "", "missing", "copy parameters.yaml from the bundled rules"))
    else:
        try:
            parameters = validate(Parameters, load_yaml(params_path))
        except InputError as exc:
            problems += exc.problems
    rules: list[Rule] = []
    files: dict[str, str] = {}
    places: dict[str, str] = {}
    digest = hashlib.sha256()
    for path in sorted(root.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        if path.name == "parameters.yaml":
            continue
        try:
            doc = load_yaml(path)
            rule_file = validate(RuleFile, doc)
        except InputError as exc:
            problems += exc.problems
            continue
        for index, rule in enumerate(rule_file.rules):
            if parameters is not None:
                rule, unknown = resolve_names(rule, parameters)
                problems += [Problem(str(path), doc.where(("rules", index, *where)) + f" ({rule.id})", msg, fix)
                             for where, msg, fix in unknown]
            if rule.id in files:
                problems.append(Problem(str(path), doc.where(("rules", index, "id")),
                                        f"rule id {rule.id!r} also in {files[rule.id]}", "give each rule its own id"))
                continue
            files[rule.id] = str(path)
            places[rule.id] = doc.where(("rules", index)) + f" ({rule.id})"
            rules.append(rule)
    derived_fields: dict[str, set[str]] = {}
    for rule in rules:
        for effect in rule.effects():
            if effect.type == "derive" and isinstance(effect.fields.get("kind"), str):
                derived_fields.setdefault(effect.fields["kind"], {"kind"}).update(effect.fields)
    for rule in rules:
        problems += [Problem(files[rule.id], places[rule.id], msg, fix)
                     for msg, fix in check_rule(rule, catalogue, derived_fields)]
    if not rules:
        problems.append(Problem(str(root), "", "no rules found", "add rule files with a `rules:` list"))
    problems += check_strata(rules, files)
    if problems:
        raise InputError(problems)
    assert parameters is not None
    if catalogue is not None:
        digest.update(catalogue.model_dump_json().encode())
    return RuleBase(directory=str(root), parameters=parameters, rules=tuple(rules), files=files,
                    digest=digest.hexdigest()[:16])


def resolve_names(rule: Rule, parameters: Parameters) -> tuple[Rule, list[tuple[tuple[Any, ...], str, str]]]:
    """The rule with its `$set.NAME` and `$points.NAME` references replaced by the values
    parameters.yaml gives them, and a problem (its path in the rule, message, fix) for each name it
    does not define. The rest of the library (checker, compiler, trace) sees only plain values."""
    problems: list[tuple[tuple[Any, ...], str, str]] = []

    def named(value: Any, prefix: str, table: dict[str, Any], path: tuple[Any, ...]) -> tuple[bool, Any]:
        if not (isinstance(value, str) and value.startswith(f"${prefix}.")):
            return False, value
        name = value[len(prefix) + 2:]
        if name in table:
            return True, table[name]
        section = "sets" if prefix == "set" else prefix
        close = difflib.get_close_matches(name, list(table), n=1)
        known = f"did you mean {close[0]!r}?" if close else \
            "use one of: " + (", ".join(sorted(table)) or f"(none: `{section}:` is empty)")
        problems.append((path, f"{value!r} names no {prefix} in parameters.yaml",
                         f"{known} Or define it under `{section}:` in parameters.yaml"))
        return True, value

    def values(operand: Any, path: tuple[Any, ...]) -> Any:
        """An `in:` / `not_in:` operand: a named set, or a list whose named sets are spliced in."""
        found, value = named(operand, "set", parameters.sets, path)
        if found:
            return list(value) if isinstance(value, list) else value
        if not isinstance(operand, list):
            return operand
        out: list[Any] = []
        for n, item in enumerate(operand):
            found, value = named(item, "set", parameters.sets, (*path, n))
            out += value if found and isinstance(value, list) else [value]
        return out

    def misplaced(value: Any, path: tuple[Any, ...]) -> None:
        """A name where it means nothing: it would reach the engine as an unbound alias."""
        for n, item in enumerate(value) if isinstance(value, list) else [(None, value)]:
            if isinstance(item, str) and item.startswith(("$set.", "$points.")):
                problems.append(((*path, n) if n is not None else path, f"{item!r} cannot stand here",
                                 "a $set.NAME goes in an `in:` or `not_in:` list; a $points.NAME in `points`"))

    when: list[dict[str, dict[str, Any]]] = []
    for index, (alias, pattern) in enumerate(rule.patterns()):
        for field, value in pattern.items():
            for op, operand in value.items() if isinstance(value, dict) else [(None, value)]:
                if op not in ("in", "not_in"):
                    misplaced(operand, ("when", index, alias, field, *([op] if op else [])))
        resolved = {field: {op: values(operand, ("when", index, alias, field, op)) if op in ("in", "not_in")
                            else operand for op, operand in value.items()} if isinstance(value, dict) else value
                    for field, value in pattern.items()}
        when.append({alias: resolved})
    then: list[dict[str, Any]] = []
    for index, item in enumerate(rule.then):
        (etype, body), = item.items()
        for field, value in body.items():
            if field != "points":
                misplaced(value, ("then", index, etype, field))
        points = body.get("points")
        if points is not None:
            path = ("then", index, etype, "points")
            misplaced([p if isinstance(p, str) and p.startswith("$set.") else None
                       for p in (points if isinstance(points, list) else [points])], path)
            if isinstance(points, list):
                body = {**body, "points": [named(p, "points", parameters.points, (*path, n))[1]
                                           for n, p in enumerate(points)]}
            else:
                body = {**body, "points": named(points, "points", parameters.points, path)[1]}
        then.append({etype: body})
    if when == rule.when and then == rule.then:
        return rule, problems
    return Rule(id=rule.id, description=rule.description, stage=rule.stage, when=when, then=then), problems
