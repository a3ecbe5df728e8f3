"""Heavy but valid input: 5, 10, ... all requirements at `must` (with and without every context key
set), and every requirement at `high` / `medium`, each as a fresh `recommender recommend FILE
--format json` process. Prints wall time, peak RSS and the growth ratio per step (targets: 1 s and
150 MB on the project's 2-core machine, and growth polynomial in the number of musts, never 2^n),
plus the floor (bare imports and one pydantic model validated) to compare machines by.

Run: .venv/bin/python bench/heavy.py
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

CONTEXT = {"traffic_router": "istio", "metrics_provider": "prometheus", "platform": "aws-eks",
           "already_using": ["argo-cd", "flux", "flagger", "argo-rollouts", "openkruise", "helm"],
           "workload_kinds": ["deployment", "statefulset", "daemonset", "cloneset", "job"], "clusters": 300}


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and the peak RSS in MB of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, check=False, capture_output=True, env=env)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest so far: a smaller child leaves it unchanged.
    return elapsed, max(peak, before) / 1024


def peak_of(cmd: list[str], env: dict[str, str]) -> float:
    """Peak RSS of one run, read with GNU time where present (getrusage keeps the maximum of all)."""
    if Path("/usr/bin/time").exists():
        out = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], check=False, capture_output=True, text=True,
                             env=env)
        return int(out.stderr.strip().splitlines()[-1]) / 1024
    return run(cmd, env)[1]


def main() -> None:
    from recommender.api import get_knowledge

    ids = get_knowledge().catalogue.ids
    work = Path(tempfile.mkdtemp(prefix="heavy-"))
    env = {**os.environ, "RECOMMENDER_CACHE_DIR": str(work / "cache")}  # a private, warm cache
    floor_cmd = [sys.executable, "-c", "import durable.lang, pydantic, yaml, rich\n"
                 "from pydantic import BaseModel\nclass M(BaseModel):\n    x: int = 1\nM(x=2)"]
    cases: list[tuple[str, dict[str, object]]] = []
    for n in [*range(5, len(ids), 5), len(ids)]:
        for with_context in (False, True):
            doc: dict[str, object] = {"version": 1, "requirements": dict.fromkeys(ids[:n], "must")}
            if with_context:
                doc["context"] = CONTEXT
            cases.append((f"{n:2d} musts{' + context' if with_context else ''}", doc))
    for level in ("high", "medium"):
        cases.append((f"all {len(ids)} {level} + context",
                       {"version": 1, "context": CONTEXT, "requirements": dict.fromkeys(ids, level)}))
    run([sys.executable, "-m", "recommender", "recommend", "--help"], env)  # warm the disk cache
    floor = statistics.median(run(floor_cmd, env)[0] for _ in range(3))
    print(f"floor (bare imports + one pydantic model): {floor * 1000:.0f} ms; targets 1000 ms and 150 MB")
    print(f"{'case':28} {'time ms':>8} {'peak MB':>8} {'x floor':>8} {'growth':>7}")
    previous: dict[bool, float] = {}
    for name, doc in cases:
        path = work / f"{name.replace(' ', '_').replace('+', '')}.yaml"
        path.write_text(yaml.safe_dump(doc))
        cmd = [sys.executable, "-m", "recommender", "recommend", str(path), "--format", "json"]
        elapsed = statistics.median(run(cmd, env)[0] for _ in range(3))
        peak = peak_of(cmd, env)
        key = "context" in name
        growth = f"{elapsed / previous[key]:.2f}" if key in previous and "musts" in name else "-"
        if "musts" in name:
            previous[key] = elapsed
        print(f"{name:28} {elapsed * 1000:8.0f} {peak:8.1f} {elapsed / floor:8.2f} {growth:>7}")


if __name__ == "__main__":
    main()
