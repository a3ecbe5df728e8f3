"""Cold start: `recommender recommend EXAMPLE --format json` as a fresh process, against a bare
interpreter importing the unavoidable libraries (target: at most 2x).

Run: .venv/bin/python bench/cold_start.py [runs]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "canary-on-istio.yaml"


def wall(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, check=True, capture_output=True)  # warm the OS file cache
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    bare = wall([sys.executable, "-c", "import durable.lang, pydantic, yaml, rich"], runs)
    ours = wall([sys.executable, "-m", "recommender", "recommend", str(EXAMPLE), "--format", "json"], runs)
    lean = wall([sys.executable, "-m", "recommender", "recommend", str(EXAMPLE), "--format", "json",
                 "--no-what-if"], runs)
    print(f"bare imports                 {bare:7.1f} ms")
    print(f"recommend --format json      {ours:7.1f} ms  ratio {ours / bare:.2f} (target 2.00)")
    print(f"  without what-if            {lean:7.1f} ms  ratio {lean / bare:.2f}")


if __name__ == "__main__":
    main()
