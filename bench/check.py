"""`recommender check`, the command a pre-commit hook runs on every commit, as a fresh process:
one good file and every example at once, against `recommend --no-what-if` on the same file and
a bare interpreter (Python with pydantic and PyYAML imported). The commands run interleaved so a
machine whose speed drifts slows all of them alike.

Run: .venv/bin/python bench/check.py [runs]
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE = EXAMPLES / "canary-on-istio.yaml"


def once(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    import recommender

    compileall.compile_dir(Path(recommender.__file__).parent, quiet=1)
    files = len(list(EXAMPLES.glob("*.yaml")))
    commands = {
        "bare": [sys.executable, "-c", "import pydantic, yaml\nfrom pydantic import BaseModel\n"
                 "class M(BaseModel):\n    x: int = 1\nM(x=2)"],
        "check one": [sys.executable, "-m", "recommender", "check", "-q", str(EXAMPLE)],
        "check all": [sys.executable, "-m", "recommender", "check", "-q", str(EXAMPLES)],
        "recommend": [sys.executable, "-m", "recommender", "recommend", str(EXAMPLE), "--format", "json",
                      "--no-what-if"],
    }
    for cmd in commands.values():
        once(cmd)  # warm the OS file cache and the knowledge cache
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            samples[name].append(once(cmd))
    bare, one, every, rec = (statistics.median(samples[name]) for name in commands)
    print(f"bare python + pydantic + yaml    {bare:7.1f} ms  (median of {runs}, interleaved)")
    print(f"check, one file                  {one:7.1f} ms  ({one - bare:+.1f} ms over bare)")
    print(f"check, {files} example files          {every:7.1f} ms  ({(every - one) / max(files - 1, 1):.1f} ms "
          f"per further file)")
    print(f"recommend --no-what-if, one file {rec:7.1f} ms  (check saves {rec - one:.1f} ms)")


if __name__ == "__main__":
    main()
