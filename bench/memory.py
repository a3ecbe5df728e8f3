"""Memory: peak RSS of a CLI run (target 120 MB), and RSS and thread count over many library
recommendations (target: flat within a few MB).

Run: .venv/bin/python bench/memory.py [count]
"""

from __future__ import annotations

import resource
import subprocess
import sys
import threading
from pathlib import Path

from recommender import load_requirements, recommend

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    subprocess.run([sys.executable, "-m", "recommender", "recommend", str(ROOT / "examples" / "canary-on-istio.yaml"),
                    "--format", "json"], check=True, capture_output=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"CLI run peak RSS         {peak:7.1f} MB  target 120 MB  ratio {peak / 120:.2f}")
    cases = [load_requirements(p) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    for case in cases:
        recommend(case, what_if=False)
    start_rss, start_threads = rss_mb(), threading.active_count()
    checkpoints = []
    for n in range(1, count + 1):
        recommend(cases[n % len(cases)], what_if=False)
        if n % (count // 5) == 0:
            checkpoints.append(f"{n}: {rss_mb():.1f} MB")
    growth = rss_mb() - start_rss
    print(f"{count} recommendations: RSS {start_rss:.1f} MB -> {rss_mb():.1f} MB (growth {growth:+.1f} MB); "
          f"threads {start_threads} -> {threading.active_count()}")
    print("  " + ", ".join(checkpoints))


if __name__ == "__main__":
    main()
