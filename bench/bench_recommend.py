"""Warm-library timing: median time of one full recommendation on the bundled knowledge base.

Run: .venv/bin/python bench/bench_recommend.py
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from recommender import load_requirements, recommend

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TARGET_MS = 5.0


def main() -> None:
    cases = [load_requirements(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    for case in cases:  # warm the caches and the compiled rulesets
        recommend(case)
    samples = []
    for _ in range(30):
        for case in cases:
            start = time.perf_counter()
            recommend(case)
            samples.append((time.perf_counter() - start) * 1000)
    median = statistics.median(samples)
    print(f"warm recommendation: median {median:.2f} ms over {len(samples)} runs "
          f"(target {TARGET_MS} ms, ratio {median / TARGET_MS:.2f})")


if __name__ == "__main__":
    main()
