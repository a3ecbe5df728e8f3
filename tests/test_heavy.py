"""Heavy but valid input stays bounded by design: the no-fit search builds its candidates from what
the tools fail, and its answers match an exhaustive search where that is cheap. Untimed: the
figures are bench/heavy.py's."""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest
from conftest import EXAMPLES

from recommender import Requirements, load_requirements, recommend
from recommender.api import get_knowledge, get_rules
from recommender.reasoning.ranking import Ranker
from recommender.reasoning.variants import Outcome, outcomes
from recommender.reasoning.what_if import relaxation_candidates, sensitivity

KB, RULES = get_knowledge(), get_rules()


def _small_no_fit_cases(count: int, seed: int = 7) -> list[Requirements]:
    rng = random.Random(seed)
    ids = list(KB.catalogue.ids)
    cases: list[Requirements] = []
    while len(cases) < count:
        musts = rng.sample(ids, rng.randint(3, 6))
        req = Requirements(requirements=dict.fromkeys(musts, "must"))  # type: ignore[arg-type]
        if recommend(req, what_if=False).top is None and any(r.verdict == "excluded"
                                                             for r in recommend(req, what_if=False).ranking):
            cases.append(req)
    return cases


def _exhaustive_smallest(req: Requirements) -> int | None:
    musts = sorted(req.requirements)
    for size in range(1, len(musts) + 1):
        subsets = list(itertools.combinations(musts, size))
        variants = [req.model_copy(update={"requirements": {**req.requirements, **dict.fromkeys(s, "high")}})
                    for s in subsets]
        if any(o.top is not None for o in outcomes(variants, KB, RULES)):
            return size
    return None


@pytest.mark.parametrize("req", _small_no_fit_cases(12), ids=lambda r: "+".join(sorted(r.requirements)))
def test_the_smallest_relaxation_found_is_the_smallest_there_is(req: Requirements) -> None:
    rec = recommend(req)
    assert rec.sensitivity is not None
    found = rec.sensitivity.relaxations_for_fit
    smallest = _exhaustive_smallest(req)
    if smallest is None:
        assert found == []
        return
    assert found, "an exhaustive search finds a relaxation the bounded one missed"
    assert {len(r) for r in found} == {smallest}
    relaxed = [req.model_copy(update={"requirements": {**req.requirements, **dict.fromkeys(r, "high")}})
               for r in found]
    assert all(o.top is not None for o in outcomes(relaxed, KB, RULES))


def test_candidates_grow_with_the_musts_not_with_their_subsets() -> None:
    tools = [t.tool for t in KB.tools]
    musts = [f"m{i}" for i in range(40)]
    failing = {t: frozenset(musts[i::4]) for i, t in enumerate(tools)}
    single = {m: Outcome(None, {t: f - {m} for t, f in failing.items()}) for m in musts}
    candidates = relaxation_candidates(failing, single)
    assert len(candidates) <= (len(musts) + 1) * len(tools)
    assert len({len(c) for c in candidates}) >= 1


def test_every_requirement_at_must_gets_an_answer_with_a_way_out() -> None:
    req = Requirements(requirements=dict.fromkeys(KB.catalogue.ids, "must"))  # type: ignore[arg-type]
    rec = recommend(req)
    assert rec.top is None and rec.no_fit is not None and rec.sensitivity is not None
    assert rec.sensitivity.relaxations_for_fit
    assert "other combinations are not tried" in rec.sensitivity.text


def test_every_requirement_at_high_says_how_many_changes_it_left_unchecked() -> None:
    req = Requirements(requirements=dict.fromkeys(KB.catalogue.ids, "high"))  # type: ignore[arg-type]
    rec = recommend(req)
    assert rec.sensitivity is not None
    # Every change the base run can answer is checked; the cap holds the engine re-runs.
    cap, steps = RULES.parameters.what_if_cap(len(KB.catalogue.ids)), 2 * len(KB.catalogue.ids)
    assert cap < rec.sensitivity.runs < steps
    assert f"{steps - rec.sensitivity.runs} of {steps} single changes were not checked" in rec.sensitivity.text


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_cheap_no_fit_analysis_answers_as_the_full_one(path: object) -> None:
    req = load_requirements(path)  # type: ignore[arg-type]
    for variant in (req, req.model_copy(update={"requirements": {**req.requirements,
                                                                 "non_kubernetes_targets": "must"}})):
        rec = recommend(variant, what_if=False)
        ranker = Ranker(KB, RULES, {}, "en", texts=False)

        def run_all(vs: list[Requirements]) -> list[Outcome]:
            return outcomes(vs, KB, RULES)

        from recommender.reasoning.variants import failing_musts

        cheap = sensitivity(variant, rec, ranker, run_all, lambda vs: failing_musts(vs, KB, RULES))
        full = sensitivity(variant, rec, ranker, run_all, None)
        assert cheap.relaxations_for_fit == full.relaxations_for_fit
        assert [(c.requirement, c.importance_to, c.new_top) for c in cheap.changes] == \
            [(c.requirement, c.importance_to, c.new_top) for c in full.changes]


def test_many_variants_are_ranked_in_sessions_of_bounded_size_with_the_same_outcomes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An engine session's memory grows with its worlds: variants go in sessions of at most
    WORLDS_PER_SESSION worlds, and each is ranked exactly as it is alone."""
    from recommender.reasoning import variants as module

    base = load_requirements(EXAMPLES / "gitops-platform-team.yaml")
    many = [base.model_copy(update={"requirements": {**base.requirements, req_id: "must"}})
            for req_id in get_knowledge().catalogue.ids[:25]]
    sessions: list[int] = []
    evaluate = module.evaluate

    def counting(rules: Any, facts: list[dict[str, Any]]) -> Any:
        sessions.append(len({f["w"] for f in facts if "w" in f}))
        return evaluate(rules, facts)

    monkeypatch.setattr(module, "evaluate", counting)
    together = module.outcomes(many, get_knowledge(), get_rules(None, get_knowledge()))
    assert sessions == [10, 10, 5] and max(sessions) == module.WORLDS_PER_SESSION
    alone = [module.outcomes([variant], get_knowledge(), get_rules(None, get_knowledge()))[0] for variant in many]
    assert together == alone


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_a_file_of_ordinary_length_gets_every_change_re_run(path: object) -> None:
    """The what-if budget shortens only long files: the bundled examples (up to 11 requirements)
    keep every single change."""
    req = load_requirements(path)  # type: ignore[arg-type]
    rec = recommend(req)
    assert rec.sensitivity is not None and "were not re-run" not in rec.sensitivity.text
    assert RULES.parameters.what_if_cap(len(req.requirements)) >= 2 * len(req.requirements)
