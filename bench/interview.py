"""The adaptive interview answered by requirement files as an oracle.

For each file (the bundled examples, then generated profiles with context), the interview is run
and every question is answered from the file (skip where the file says nothing; the first question,
which requirements matter, with the ones the file states). Printed: how often
the interview's top pick equals the full file's top pick (target >= 95%), the median and maximum
number of questions (targets <= 8 and <= 20), the time to choose one question, and the cases whose
top pick differs.

Run: .venv/bin/python bench/interview.py [profiles] [seed]     (default: 200 profiles, seed 18)
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from recommender import Interview, Requirements, load_requirements, recommend
from recommender.api import get_knowledge
from recommender.interview import SCREEN
from recommender.reasoning.ranking import top_pick

ROOT = Path(__file__).resolve().parent.parent
IMPORTANCES = ["must", "high", "medium", "nice"]
PROGRESSIVE = {"canary", "blue_green", "ab_testing", "traffic_shaping_mesh", "metric_analysis_rollback"}


def profiles(count: int, seed: int) -> Iterator[tuple[str, Requirements]]:
    """Realistic teams: most want GitOps sync; 3 to 9 other requirements; context that fits them."""
    rng = random.Random(seed)
    catalogue = get_knowledge().catalogue
    ids = catalogue.ids
    contexts = catalogue.contexts
    for n in range(count):
        reqs: dict[str, Any] = {}
        if rng.random() < 0.8:
            reqs["gitops_sync"] = rng.choice(["must", "must", "high"])
        for req_id in rng.sample(ids, rng.randint(3, 9)):
            reqs.setdefault(req_id, rng.choices(IMPORTANCES, weights=[2, 3, 3, 2])[0])
        context: dict[str, Any] = {}
        if any(r in PROGRESSIVE for r in reqs):
            if rng.random() < 0.8:
                context["traffic_router"] = rng.choice(contexts["traffic_router"].values)
            if rng.random() < 0.6:
                context["metrics_provider"] = rng.choice(contexts["metrics_provider"].values)
            if rng.random() < 0.5:
                context["workload_kinds"] = sorted(rng.sample(contexts["workload_kinds"].values, rng.randint(1, 2)))
        if rng.random() < 0.6:
            context["platform"] = rng.choice(contexts["platform"].values)
        if rng.random() < 0.4:
            context["already_using"] = sorted(rng.sample(contexts["already_using"].values, rng.randint(1, 2)))
        if "multi_cluster" in reqs and rng.random() < 0.7:
            context["clusters"] = rng.choice([2, 5, 12, 40, 300])
        yield f"profile-{n:03d}", Requirements.model_validate({"requirements": reqs, "context": context})


def converse(requirements: Requirements, reading: float = 0.0) -> tuple[str | None, int, list[float], list[str]]:
    """The interview's top pick, the questions asked, the seconds to choose the next question after
    each answer (a skip costs nothing: its re-runs are known), the ids asked.

    With `reading` > 0, each question is prefetched and answered after that many seconds, as the
    wizard does while a person reads it.
    """
    iv = Interview()
    given = {**requirements.requirements, **requirements.context.model_dump(exclude_defaults=True)}
    seconds: list[float] = []
    asked: list[str] = []
    answered = True  # the first question counts as after an answer
    while True:
        start = time.perf_counter()
        question = iv.next_question()
        if answered:
            seconds.append(time.perf_counter() - start)
        if question is None:
            break
        asked.append(question.id)
        answered = question.id in given or question.id == SCREEN
        if reading and answered:
            iv.prefetch(question.id)
            time.sleep(reading)
        if question.id == SCREEN:
            iv.answer(SCREEN, [i for i in question.choices if i in requirements.requirements])
        elif answered:
            iv.answer(question.id, given[question.id])
        else:
            iv.skip(question.id)
    stated = iv.requirements()
    wanted = any(i != "avoid" for i in stated.requirements.values())
    pick = top_pick(recommend(stated, what_if=False).ranking) if wanted else None
    return pick, len(asked), seconds, asked


def figures(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (f"median {1000 * statistics.median(ordered):.0f} ms, p95 {1000 * p95:.0f} ms, "
            f"max {1000 * ordered[-1]:.0f} ms over {len(ordered)}")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 18
    cases = [(p.name, load_requirements(p)) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    cases += list(profiles(count, seed))
    agree = 0
    questions: list[int] = []
    seconds: list[float] = []
    differ: list[str] = []
    start = time.perf_counter()
    for done, (name, requirements) in enumerate(cases, start=1):
        if done % 25 == 0:
            print(f"  {done}/{len(cases)}...", file=sys.stderr, flush=True)
        full = top_pick(recommend(requirements, what_if=False).ranking)
        got, n, took, asked = converse(requirements)
        questions.append(n)
        seconds += took
        if got == full:
            agree += 1
        else:
            differ.append(f"  {name}: file {full}, interview {got} after {n} questions ({', '.join(asked)})")
    total = len(cases)
    print(f"cases: {total} ({total - count} examples + {count} generated, seed {seed}); "
          f"{time.perf_counter() - start:.0f} s in all")
    print(f"top pick agrees with the full file: {agree}/{total} = {100 * agree / total:.1f}%  (target >= 95%)")
    print(f"questions asked: median {statistics.median(questions):g}, max {max(questions)}  "
          f"(targets <= 8 and <= 20); mean {statistics.mean(questions):.1f}")
    print(f"waiting for the next question after an answer: {figures(seconds)} (after a skip: none, the "
          "re-runs of the state before still hold)")
    reading = 2.0
    felt = [s for _name, requirements in cases[:total - count] for s in converse(requirements, reading)[2]]
    print(f"the same on the examples with the wizard's prefetch and {reading:g} s to read each answered "
          f"question: {figures(felt)}")
    print(f"cases that differ: {len(differ)}")
    print("\n".join(differ))


if __name__ == "__main__":
    main()
