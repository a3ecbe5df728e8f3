"""Scale: synthetic knowledge bases of 4, 16, 64 and 256 tools (every capability decided) and 45
stated requirements; time per recommendation should grow at most linearly with tools x
requirements, and 64 tools stay within 50 ms.

Each size also prints durable-rules' own floor: the same number of facts and rule firings through
the cheapest rules there are. Its cost per fact is the engine's, not ours: when it grows with the
session's size, no rule set on this engine can grow linearly.

Run: .venv/bin/python bench/scale.py
"""

from __future__ import annotations

import gc
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from recommender import Requirements, recommend
from recommender.api import get_knowledge, get_rules
from recommender.reasoning.engine import evaluate
from recommender.reasoning.facts import build_facts
from recommender.resources import bundled_dir


def synthetic(directory: Path, tools: int) -> Path:
    """Copies of the bundled tool files under new ids, until there are `tools` of them."""
    target = directory / f"kb-{tools}"
    target.mkdir()
    source = bundled_dir("knowledge")
    for name in ("manifest.yaml", "catalogue.yaml"):
        shutil.copy(source / name, target / name)
    originals = [yaml.safe_load(p.read_text()) for p in sorted(source.glob("*.yaml"))
                 if p.name not in ("manifest.yaml", "catalogue.yaml")]
    for n in range(tools):
        data = dict(originals[n % len(originals)])
        data["tool"] = f"{data['tool']}-{n}"
        data["name"] = f"{data['name']} {n}"
        data["integrations"] = []  # pairings name real tool ids
        (target / f"{data['tool']}.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return target


def engine_floor(facts: list[dict[str, Any]], matches: int) -> float:
    """ms for durable-rules alone to take the same facts and fire as often, through the cheapest
    rules there are: one per fact kind, matching a single fact, with an action that does nothing.
    The real rules join facts and derive more, so this is a floor no rule set on this engine beats.
    Measured with the cyclic collector off: its time is reported on its own."""
    from durable import engine as durable_engine

    class QuietHost(durable_engine.Host):  # type: ignore[misc]
        def _run(self) -> None:  # no timer threads, as in recommender.reasoning.engine
            pass

    host = QuietHost()
    kinds = sorted({f["kind"] for f in facts})
    copies = max(1, round(matches / len(facts)))  # as many rule firings as the real evaluation makes
    definition = {f"r_{k}_{n}": {"all": [{"a": {"kind": k}}], "cap": 100_000, "run": lambda c: None}
                  for k in kinds for n in range(copies)}
    name = f"floor{len(facts)}"
    host.register_rulesets({name: definition})
    samples = []
    gc.disable()
    try:
        for run in range(5):
            # Ids as recommender.reasoning.engine gives them: durable-rules' own would collide at this size.
            batch = [{**f, "sid": f"s{run}", "id": str(n)} for n, f in enumerate(facts)]
            start = time.perf_counter()
            host.assert_facts(name, batch)
            samples.append((time.perf_counter() - start) * 1000)
            host.delete_state(name, f"s{run}")
    finally:
        gc.enable()
    return statistics.median(samples)


def main() -> None:
    catalogue = get_knowledge().catalogue
    ids = catalogue.ids
    importance = ["high", "medium", "nice"]
    requirements = Requirements(requirements={i: importance[n % 3] for n, i in enumerate(ids)})  # type: ignore[misc]
    stated = len(requirements.requirements)
    print(f"{stated} stated requirements")
    base = None
    floor_base = None  # durable-rules' own cost per fact at 4 tools
    gc_ms = [0.0]
    started = [0.0]

    def watch_gc(phase: str, _info: dict[str, Any]) -> None:  # observes the collector, changes nothing
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            gc_ms[0] += (time.perf_counter() - started[0]) * 1000

    with tempfile.TemporaryDirectory() as tmp:
        for tools in (4, 16, 64, 256):
            directory = synthetic(Path(tmp), tools)
            kb, rules = get_knowledge(directory), get_rules(None, directory)
            samples: list[tuple[float, float]] = []  # (ms, of which cyclic GC) per round
            rounds = 5 if tools >= 64 else 21
            for _ in range(rounds):  # warm up: caches, and a machine that has been idle
                recommend(requirements, knowledge=kb, rules=rules, what_if=False)
            gc.callbacks.append(watch_gc)
            for _ in range(rounds):
                gc_ms[0] = 0.0
                start = time.perf_counter()
                recommend(requirements, knowledge=kb, rules=rules, what_if=False)
                samples.append(((time.perf_counter() - start) * 1000, gc_ms[0]))
            gc.callbacks.remove(watch_gc)
            ms, collecting = sorted(samples)[rounds // 2]  # the median round, with its own GC time
            per_cell = ms / (tools * stated) * 1000
            base = base or per_cell
            note = f"  target 50 ms, ratio {ms / 50:.2f}" if tools == 64 else ""
            print(f"{tools:4d} tools  {ms:8.1f} ms  {per_cell:6.2f} us per tool x requirement "
                  f"(x{per_cell / base:.2f} of 4 tools){note}")
            facts, _evidence = build_facts(requirements, kb, rules)
            firings, derived = evaluate(rules, facts)
            matches = sum(1 for f in firings if f.effect == 0)  # one Firing per effect of a match
            floor = engine_floor(facts + derived, matches)
            rest = (ms - collecting - floor) / (tools * stated) * 1000
            per_fact = floor / (len(facts) + len(derived)) * 1000
            floor_base = floor_base or per_fact
            print(f"           of which cyclic GC {collecting:6.1f} ms; durable-rules floor for its "
                  f"{len(facts) + len(derived)} facts and {matches} rule firings {floor:6.1f} ms "
                  f"({per_fact:.1f} us per fact, x{per_fact / floor_base:.2f} of 4 tools); "
                  f"the rest {rest:5.1f} us per tool x requirement")

if __name__ == "__main__":
    main()
