"""What the process benchmarks share: timing one fresh process, and compiling the package first
(as `pip install` does, so an editable install does not recompile on every run)."""

from __future__ import annotations

import compileall
import subprocess
import time
from pathlib import Path


def once(cmd: list[str]) -> float:
    """Milliseconds for one run of the command."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return (time.perf_counter() - start) * 1000


def compile_package() -> None:
    import recommender

    compileall.compile_dir(Path(recommender.__file__).parent, quiet=1)


def interleaved_medians(commands: dict[str, list[str]], runs: int) -> list[float]:
    """The median milliseconds of each command, run in turn `runs` times after one warm-up each, so
    a machine whose speed drifts slows them all alike."""
    import statistics

    for cmd in commands.values():
        once(cmd)  # warm the OS file cache and the knowledge cache
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            samples[name].append(once(cmd))
    return [statistics.median(samples[name]) for name in commands]
