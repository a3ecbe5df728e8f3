"""Warm library: median time of one full recommendation on the bundled knowledge base, with and
without the what-if analysis (target: 6 ms with what-if; the plain figure is printed for scale).

Run: .venv/bin/python bench/bench_recommend.py
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from recommender import load_requirements, recommend

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def median_ms(cases: list[object], what_if: bool, rounds: int = 20) -> float:
    samples = []
    for _ in range(rounds):
        for case in cases:
            start = time.perf_counter()
            recommend(case, what_if=what_if)  # type: ignore[arg-type]
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    cases: list[object] = [load_requirements(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    for case in cases:  # warm the caches and the compiled rulesets
        recommend(case)  # type: ignore[arg-type]
    plain = median_ms(cases, False)
    print(f"{'recommendation with explanations':34} median {plain:7.2f} ms")
    value, target = median_ms(cases, True), 6.0
    print(f"{'with what-if analysis':34} median {value:7.2f} ms  target {target:5.1f} ms  ratio {value / target:.2f}"
          f"  ({value / plain:.1f}x the plain recommendation)")


if __name__ == "__main__":
    main()
