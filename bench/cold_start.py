"""Cold start: `recommender recommend EXAMPLE --format json` as a fresh process, against a bare
interpreter importing the unavoidable libraries and validating one pydantic model, the floor
(target: at most 1.3x the floor).

The commands run interleaved (bare, ours, ours without what-if, bare, ...) so that a machine
whose speed drifts during the run slows all of them alike. The package's bytecode is compiled
first, as `pip install` does: with PYTHONDONTWRITEBYTECODE set (as on some CI machines) an
editable install would otherwise recompile every module on every run.

Run: .venv/bin/python bench/cold_start.py [runs]
"""

from __future__ import annotations

import sys
from pathlib import Path

from _timing import compile_package, interleaved_medians

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "canary-on-istio.yaml"


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    compile_package()
    commands = {
        "bare": [sys.executable, "-c", "import durable.lang, pydantic, yaml, rich"],
        # `import pydantic` is lazy: the bare line never loads what a first model needs.
        "models": [sys.executable, "-c", "import durable.lang, pydantic, yaml, rich\n"
                   "from pydantic import BaseModel, Field\nclass M(BaseModel):\n    x: int = Field(1)\nM(x=2)"],
        "ours": [sys.executable, "-m", "recommender", "recommend", str(EXAMPLE), "--format", "json"],
        "lean": [sys.executable, "-m", "recommender", "recommend", str(EXAMPLE), "--format", "json", "--no-what-if"],
    }
    bare, models, ours, lean = interleaved_medians(commands, runs)
    print(f"bare imports                 {bare:7.1f} ms  (median of {runs}, interleaved)")
    print(f"recommend --format json      {ours:7.1f} ms  ratio {ours / bare:.2f} to bare imports, "
          f"{ours / models:.2f} to the floor (target 1.30)")
    print(f"  without what-if            {lean:7.1f} ms  ratio {lean / bare:.2f} to bare imports, "
          f"{lean / models:.2f} to the floor")
    print(f"bare + one pydantic model    {models:7.1f} ms  (pydantic's model machinery: {models - bare:.1f} ms of the "
          f"{ours - bare:.1f} ms above bare)")


if __name__ == "__main__":
    main()
