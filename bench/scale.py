"""Scale: synthetic knowledge bases of 4, 16, 64 and 256 tools (every capability decided) and 45
stated requirements; time per recommendation should grow at most linearly with tools x
requirements, and 64 tools stay within 50 ms.

Run: .venv/bin/python bench/scale.py
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from recommender import Requirements, recommend
from recommender.api import get_knowledge
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


def main() -> None:
    catalogue = get_knowledge().catalogue
    ids = catalogue.ids
    importance = ["high", "medium", "nice"]
    requirements = Requirements(requirements={i: importance[n % 3] for n, i in enumerate(ids)})  # type: ignore[misc]
    stated = len(requirements.requirements)
    print(f"{stated} stated requirements")
    base = None
    with tempfile.TemporaryDirectory() as tmp:
        for tools in (4, 16, 64, 256):
            kb = synthetic(Path(tmp), tools)
            recommend(requirements, knowledge=kb, what_if=False)
            samples = []
            for _ in range(5 if tools >= 64 else 20):
                start = time.perf_counter()
                recommend(requirements, knowledge=kb, what_if=False)
                samples.append((time.perf_counter() - start) * 1000)
            ms = statistics.median(samples)
            per_cell = ms / (tools * stated) * 1000
            base = base or per_cell
            note = f"  target 50 ms, ratio {ms / 50:.2f}" if tools == 64 else ""
            print(f"{tools:4d} tools  {ms:8.1f} ms  {per_cell:6.2f} us per tool x requirement "
                  f"(x{per_cell / base:.2f} of 4 tools){note}")


if __name__ == "__main__":
    main()
