"""Rule test cases as data (tests/rules/*.yaml, in the style of OPA's YAML test cases).

Each case gives a small requirements input (as in a requirements file), optionally a knowledge
fixture, and what one rule must do with it: the tools it fires for and not for (as `explain`'s trace
reports them), whether it fires at all, the facts it derives, the points of its score lines. How to
write one: tests/rules/README.md.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from recommender import KnowledgeBase, Recommendation, Requirements, RuleBase, recommend
from recommender.api import check_vocabulary, get_knowledge, get_rules
from recommender.dsl.compile import field_getter
from recommender.reasoning.engine import Firing, evaluate
from recommender.reasoning.facts import build_facts
from recommender.reasoning.trace import fired_for, trace
from recommender.resources import bundled_dir

CASES = Path(__file__).parent / "rules"
MIN_COVERAGE = 0.8  # share of the rules, by id, that some case shows firing


class RuleCase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    name: str = Field(min_length=1)
    input: dict[str, Any]  # a requirements file's content: requirements, context
    # A knowledge directory, relative to the case file (default: the bundled knowledge), and edits
    # to its tool files: {tool: {dotted.path: value}}; a list of components is indexed by id.
    knowledge: str | None = None
    knowledge_changes: dict[str, dict[str, Any]] = Field(default_factory=dict)
    fires_for: list[str] = Field(default_factory=list)
    not_fires_for: list[str] = Field(default_factory=list)
    fires: bool | None = None  # for a rule whose firings name no tool (it derives a shared fact)
    derives: list[dict[str, Any]] = Field(default_factory=list)  # each a subset of a derived fact
    points: dict[str, float] = Field(default_factory=dict)  # tool -> sum of the rule's score lines

    def shows_firing(self) -> bool:
        return bool(self.fires_for or self.fires or self.derives or any(self.points.values()))


@dataclass(frozen=True)
class Located:
    file: Path
    index: int
    case: RuleCase

    @property
    def id(self) -> str:
        return f"{self.file.stem}:{self.case.rule}:{self.index}"


def load_cases(directory: Path = CASES) -> list[Located]:
    found: list[Located] = []
    for path in sorted(directory.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(doc, dict) or set(doc) != {"cases"} or not isinstance(doc["cases"], list):
            raise ValueError(f"{path}: a case file holds one key, `cases:`, a list of cases")
        for index, raw in enumerate(doc["cases"]):
            try:
                found.append(Located(path, index, RuleCase.model_validate(raw)))
            except ValidationError as exc:
                raise ValueError(f"{path}: case {index + 1}: {exc}") from None
    return found


def _edit(data: Any, dotted: str, value: Any) -> None:
    keys = dotted.split(".")
    for key in keys[:-1]:
        data = next(x for x in data if x.get("id") == key) if isinstance(data, list) else data[key]
    data[keys[-1]] = value


_EDITED: dict[str, KnowledgeBase] = {}  # cases that make the same changes share one copy


def knowledge_for(located: Located, scratch: Path) -> KnowledgeBase:
    case = located.case
    source = (located.file.parent / case.knowledge) if case.knowledge else None
    if not case.knowledge_changes:
        return get_knowledge(source)
    key = json.dumps([str(source), case.knowledge_changes], sort_keys=True)
    if key in _EDITED:
        return _EDITED[key]
    target = scratch / "knowledge"
    shutil.copytree(source or bundled_dir("knowledge"), target)
    for tool, changes in case.knowledge_changes.items():
        path = target / f"{tool}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for dotted, value in changes.items():
            _edit(data, dotted, value)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    _EDITED[key] = get_knowledge(target)
    return _EDITED[key]


class _Run:
    """One input's evaluation, shared by the cases that give the same input (most inputs serve
    several rules), each part computed when a case first asks for it."""

    def __init__(self, requirements: Requirements, kb: KnowledgeBase, rules: RuleBase) -> None:
        self.requirements, self.kb, self.rules = requirements, kb, rules
        self._fired: dict[str, set[str]] = {}
        self._firings: list[Firing] | None = None
        self._rec: Recommendation | None = None

    def fired(self, tool: str) -> set[str]:
        """The rules that fired for a tool, as `recommender explain FILE TOOL` lists them."""
        if tool not in self._fired:
            self._fired[tool] = fired_for(self.rules, self.firings(), tool)
        return self._fired[tool]

    def firings(self) -> list[Firing]:
        if self._firings is None:
            facts, _evidence = build_facts(self.requirements, self.kb, self.rules)
            self._firings, _derived = evaluate(self.rules, facts)
        return self._firings

    def recommendation(self) -> Recommendation:
        if self._rec is None:
            self._rec = recommend(self.requirements, knowledge=self.kb, rules=self.rules, what_if=False)
        return self._rec


_RUNS: dict[tuple[str, str, str], _Run] = {}


def _run(requirements: Requirements, kb: KnowledgeBase, rules: RuleBase) -> _Run:
    key = (requirements.model_dump_json(), kb.digest, rules.digest)
    if key not in _RUNS:
        _RUNS[key] = _Run(requirements, kb, rules)
    return _RUNS[key]


def failures(located: Located, scratch: Path, rules_dir: Path | None = None) -> list[str]:
    """What the case expects and the rules do not do; empty when the case passes."""
    case = located.case
    kb = knowledge_for(located, scratch)
    rules: RuleBase = get_rules(rules_dir, kb)
    requirements = Requirements.model_validate(case.input)
    problems = check_vocabulary(requirements, kb.catalogue, str(located.file))
    assert not problems, "\n".join(str(p) for p in problems)
    if case.rule not in {r.id for r in rules.rules}:
        return [f"no rule {case.rule!r} in the rules (deleted or renamed?)"]
    tools = {t.tool for t in kb.tools}
    named = {*case.fires_for, *case.not_fires_for, *case.points}
    assert named <= tools, f"unknown tools {sorted(named - tools)}; the knowledge has {sorted(tools)}"
    out: list[str] = []
    run = _run(requirements, kb, rules)
    fired = {tool: run.fired(tool) for tool in {*case.fires_for, *case.not_fires_for}}
    out += [f"does not fire for {tool}" for tool in case.fires_for if case.rule not in fired[tool]]
    out += [f"fires for {tool}" for tool in case.not_fires_for if case.rule in fired[tool]]
    if case.fires is not None or case.derives:
        own = [f for f in run.firings() if f.rule == case.rule]
        if case.fires is not None and bool(own) != case.fires:
            out.append("fires" if own else "does not fire")
        effects = rules.effects_by_rule[case.rule]
        made = [{k: field_getter(v)(f.bindings) for k, v in effects[f.effect].fields.items()}
                for f in own if effects[f.effect].type == "derive"]
        out += [f"derives no fact like {want} (derived: {made})" for want in case.derives
                if not any(all(fact.get(k) == v for k, v in want.items()) for fact in made)]
    if case.points:
        rec = run.recommendation()
        for tool, expected in case.points.items():
            result = next(r for r in rec.ranking if r.tool == tool)
            got = round(sum(e.points for e in result.explanations if e.rule == case.rule), 2)
            if abs(got - expected) > 0.01:
                out.append(f"gives {tool} {got} points, not {expected}")
    return out


ALL = load_cases()


@pytest.mark.parametrize("located", ALL, ids=[c.id for c in ALL])
def test_rule_case(located: Located, tmp_path: Path) -> None:
    found = failures(located, tmp_path)
    assert not found, f"{located.file.name}: {located.case.rule}: {located.case.name}: " + "; ".join(found)


def test_rule_cases_cover_most_rules(capsys: pytest.CaptureFixture[str]) -> None:
    rules = {r.id for r in get_rules().rules}
    shown = {c.case.rule for c in ALL if c.case.shows_firing()}
    covered = rules & shown
    with capsys.disabled():
        print(f"\nrule cases: {len(ALL)} cases cover {len(covered)} of {len(rules)} rules "
              f"({len(covered) / len(rules):.0%}); without a case: {', '.join(sorted(rules - covered)) or 'none'}")
    assert len(covered) >= MIN_COVERAGE * len(rules), f"rule cases cover {len(covered)}/{len(rules)} rules"
    # Every rule with a case has one that shows it firing: a case that only says "does not fire"
    # would pass for a deleted rule's replacement that never fires either.
    assert {c.case.rule for c in ALL} <= shown


def test_the_cases_see_the_rules_explain_lists() -> None:
    """The cases read firings per tool from one evaluation; `explain` traces one tool at a time."""
    for located in ALL[:: max(1, len(ALL) // 12)]:
        kb, rules = get_knowledge(), get_rules()
        requirements = Requirements.model_validate(located.case.input)
        run = _run(requirements, kb, rules)
        for tool in (t.tool for t in kb.tools):
            assert run.fired(tool) == {f.rule for f in trace(requirements, kb, rules, tool).fired}, located.id


def _case(rule: str) -> Located:
    return next(c for c in ALL if c.case.rule == rule and c.case.fires_for)


def test_a_case_fails_when_its_rule_is_deleted_or_its_condition_broken(tmp_path: Path) -> None:
    located = _case("score.avoid")
    rules = tmp_path / "rules"
    shutil.copytree(bundled_dir("rules"), rules)
    scoring = rules / "scoring.yaml"
    text = scoring.read_text(encoding="utf-8")
    # Broken: the rule no longer asks that the default install brings the capability.
    broken = "      - cap: {kind: cap, req: $avoided.req, met: true, bundled: true}\n"
    assert broken in text
    scoring.write_text(text.replace(broken, broken.replace(", bundled: true", ""), 1), encoding="utf-8")
    assert failures(located, tmp_path, rules) == ["fires for flux"]
    # Deleted: renamed away, as a deletion looks to its cases.
    scoring.write_text(text.replace("id: score.avoid\n", "id: score.avoid_gone\n", 1), encoding="utf-8")
    assert failures(located, tmp_path, rules) == ["no rule 'score.avoid' in the rules (deleted or renamed?)"]


def test_a_case_can_change_the_knowledge_it_runs_on(tmp_path: Path) -> None:
    """A knowledge fixture: a directory next to the case file, edited by `knowledge_changes`."""
    fixture = tmp_path / "cases" / "fixture"
    shutil.copytree(bundled_dir("knowledge"), fixture)
    case = RuleCase(rule="risk.maintenance_project", name="OpenKruise in maintenance mode",
                    input={"requirements": {"in_place_update": "high"}}, knowledge="fixture",
                    knowledge_changes={"openkruise": {"project.status": "maintenance"}},
                    fires_for=["openkruise"], not_fires_for=["argo"])
    located = Located(tmp_path / "cases" / "x.yaml", 0, case)
    (tmp_path / "scratch").mkdir()
    assert failures(located, tmp_path / "scratch") == []
    unchanged = Located(located.file, 0, case.model_copy(update={"knowledge_changes": {}}))
    assert failures(unchanged, tmp_path) == ["does not fire for openkruise"]
