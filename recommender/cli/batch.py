"""Many requirement files, one report each: in this process, or spread over worker processes.

Each file is read, ranked and rendered where it is processed; results come back in input order,
so the caller writes them exactly as a one-by-one run would.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..interrupts import ctrl_c_held, ignore_ctrl_c

if TYPE_CHECKING:
    from ..dsl.model import RuleBase
    from ..errors import Problem
    from ..knowledge import KnowledgeBase

# Starting a worker costs about one cold start (~0.3 s); below this many files one process wins.
PARALLEL_FROM = 32


@dataclass(frozen=True)
class Job:
    """What every file of a batch shares: where the knowledge and rules are, and how to report."""

    knowledge: Path | None
    rules: Path | None
    lang: str
    what_if: bool
    format: str
    envelope: bool  # JSON gathered into one document: return the envelope, not rendered text
    width: int
    color: bool
    evidence: bool
    full: bool = False  # the table and SVG: every panel, not just the pick's and the runner-up's


@dataclass
class FileResult:
    path: Path
    problems: list[Problem] = field(default_factory=list)  # the file could not be ranked
    top: str | None = None
    top_name: str | None = None
    score: float | None = None
    no_fit: bool = False
    verdict: str | None = None  # the pick's: recommended, or partial (a must met only in part)
    confidence: str | None = None  # high, medium or low
    text: str | None = None
    envelope: dict[str, Any] | None = None


def default_jobs(files: int) -> int:
    """All the cores this process may use, for batches large enough to repay starting workers."""
    if files < PARALLEL_FROM:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def run_file(path: Path, job: Job, kb: KnowledgeBase, rules: RuleBase) -> FileResult:
    from ..api import load_requirements, recommend
    from ..errors import InputError
    from ..render import render

    try:
        requirements = load_requirements(path, knowledge=kb)
        rec = recommend(requirements, knowledge=kb, rules=rules, lang=job.lang, what_if=job.what_if)
    except InputError as exc:
        return FileResult(path, problems=list(exc.problems))
    top = rec.top
    result = FileResult(path, top=top.tool if top else None, top_name=top.name if top else None,
                        score=top.score if top else None, no_fit=rec.no_fit is not None,
                        verdict=top.verdict if top else None,
                        confidence=rec.confidence.level if rec.confidence else None)
    if job.envelope:
        from ..render.jsonout import envelope

        result.envelope = envelope(rec, str(path))
    else:
        result.text = render(rec, job.format, source=str(path), width=job.width, color=job.color,
                             knowledge=kb, evidence=job.evidence, full=job.full)
    return result


def run_batch(paths: list[Path], job: Job, jobs: int) -> Iterator[FileResult]:
    """Each file's result, in input order. Stopping the iteration (or Ctrl-C) stops the workers."""
    from ..api import get_knowledge, get_rules

    if jobs <= 1 or len(paths) < 2:
        kb = get_knowledge(job.knowledge)
        rules = get_rules(job.rules, job.knowledge)
        for path in paths:
            yield run_file(path, job, kb, rules)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # spawn, not fork: a forked child would inherit the rule engine's state and any live thread.
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(paths)), mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_start, initargs=(job,))
    done = 0
    try:
        chunk = max(1, min(16, len(paths) // (jobs * 8)))
        # Workers start here, with Ctrl-C held until each one ignores it: one arriving while a worker
        # is still starting would otherwise print that worker's traceback.
        with ctrl_c_held():
            results = pool.map(_worker_run, paths, chunksize=chunk)
        for result in results:
            yield result
            done += 1
    except BrokenProcessPool:
        from ..errors import WorkerDied

        # Results come in input order, so the first file without one was being worked on (or waited
        # behind the one that was): name it, and how many were left unfinished.
        raise WorkerDied(f"a worker process died while working on {paths[done]} or a file after it "
                          f"({len(paths) - done} file(s) unfinished, {done} done); run again with -j 1 "
                          "to see which file") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# A worker process's own knowledge and rules, loaded once when it starts (process state, not
# shared: each worker is a separate interpreter).
_worker: dict[str, Any] = {}


def _worker_start(job: Job) -> None:
    from ..api import get_knowledge, get_rules

    ignore_ctrl_c()
    _worker.update(job=job, kb=get_knowledge(job.knowledge), rules=get_rules(job.rules, job.knowledge))


def _worker_run(path: Path) -> FileResult:
    return run_file(path, _worker["job"], _worker["kb"], _worker["rules"])
