"""`recommender check`, the command a pre-commit hook runs on every commit, as a fresh process:
one good file and every example at once, against `recommend --no-what-if` on the same file and
a bare interpreter (Python with pydantic and PyYAML imported). The commands run interleaved so a
machine whose speed drifts slows all of them alike.

Run: .venv/bin/python bench/check.py [runs]
"""

from __future__ import annotations

import sys
from pathlib import Path

from _timing import compile_package, interleaved_medians

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE = EXAMPLES / "canary-on-istio.yaml"


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    compile_package()
    files = len(list(EXAMPLES.glob("*.yaml")))
    commands = {
        "bare": [sys.executable, "-c", "import pydantic, yaml\nfrom pydantic import BaseModel\n"
                 "class M(BaseModel):\n    x: int = 1\nM(x=2)"],
        "check one": [sys.executable, "-m", "recommender", "check", "-q", str(EXAMPLE)],
        "check all": [sys.executable, "-m", "recommender", "check", "-q", str(EXAMPLES)],
        "recommend": [sys.executable, "-m", "recommender", "recommend", str(EXAMPLE), "--format", "json",
                      "--no-what-if"],
    }
    bare, one, every, rec = interleaved_medians(commands, runs)
    print(f"bare python + pydantic + yaml    {bare:7.1f} ms  (median of {runs}, interleaved)")
    print(f"check, one file                  {one:7.1f} ms  ({one - bare:+.1f} ms over bare)")
    print(f"check, {files} example files          {every:7.1f} ms  ({(every - one) / max(files - 1, 1):.1f} ms "
          f"per further file)")
    print(f"recommend --no-what-if, one file {rec:7.1f} ms  (check saves {rec - one:.1f} ms)")


if __name__ == "__main__":
    main()
