"""Batch: 1,000 generated requirement files to JSON reports through the CLI (target: 10 s).

Run: .venv/bin/python bench/batch.py [count]
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from recommender.api import get_knowledge

IMPORTANCE = ["must", "high", "medium", "nice"]


def generate(directory: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    catalogue = get_knowledge().catalogue
    ids = [r.id for r in catalogue.requirements if r.group != "governance"]
    for n in range(count):
        reqs = {i: rng.choice(IMPORTANCE[1:]) for i in rng.sample(ids, rng.randint(3, 9))}
        reqs[rng.choice(["gitops_sync", "canary", "in_place_update"])] = "must"
        context = {"traffic_router": rng.choice(catalogue.contexts["traffic_router"].values),
                   "metrics_provider": rng.choice(catalogue.contexts["metrics_provider"].values)}
        (directory / f"team-{n:04d}.yaml").write_text(yaml.safe_dump(
            {"version": 1, "context": context, "requirements": reqs}, sort_keys=False))


def run(inputs: Path, out: Path, extra: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "recommender", "recommend", str(inputs), "--format", "json",
                    "-o", str(out), *extra], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "in"
        inputs.mkdir()
        generate(inputs, count)
        full = run(inputs, Path(tmp) / "out-full", [])
        lean = run(inputs, Path(tmp) / "out-lean", ["--no-what-if"])
        written = len(list((Path(tmp) / "out-full").glob("*.json")))
    print(f"{count} files, with what-if     {full:6.2f} s  target 10 s  ratio {full / 10:.2f}  ({written} reports)")
    print(f"{count} files, --no-what-if     {lean:6.2f} s  target 10 s  ratio {lean / 10:.2f}")


if __name__ == "__main__":
    main()
