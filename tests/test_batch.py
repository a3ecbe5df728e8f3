"""Batch mode: every format, several files, the JSON contract, escaping and interruption."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLES

from recommender import Requirements, load_requirements, recommend
from recommender.api import get_knowledge
from recommender.cli.main import main
from recommender.render import FORMATS, render

SNAPSHOTS = Path(__file__).parent / "snapshots"
TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize("fmt", ["table", "markdown", "adr", "json", "html", "svg"])
def test_report_snapshots(fmt: str) -> None:
    rec = recommend(load_requirements(EXAMPLES / "ecommerce-in-place.yaml"), today=TODAY)
    text = render(rec, fmt, source="examples/ecommerce-in-place.yaml", width=100, today=TODAY)
    check_snapshot(SNAPSHOTS / f"ecommerce-in-place.{fmt}", text)


def check_snapshot(snapshot: Path, text: str) -> None:
    """A missing snapshot fails like a changed one: only UPDATE_SNAPSHOTS=1 writes them, so a
    renamed or deleted snapshot cannot pass by recording whatever the code now prints."""
    if os.environ.get("UPDATE_SNAPSHOTS"):
        snapshot.write_text(text, encoding="utf-8")
    assert snapshot.exists(), f"{snapshot.name} is missing: run UPDATE_SNAPSHOTS=1 pytest to record it, then review it"
    assert text == snapshot.read_text(encoding="utf-8"), f"run UPDATE_SNAPSHOTS=1 pytest to accept {snapshot.name}"


def test_a_missing_snapshot_fails_and_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UPDATE_SNAPSHOTS", raising=False)
    snapshot = tmp_path / "report.table"
    with pytest.raises(AssertionError, match="missing"):
        check_snapshot(snapshot, "a report")
    assert not snapshot.exists()
    monkeypatch.setenv("UPDATE_SNAPSHOTS", "1")
    check_snapshot(snapshot, "a report")
    assert snapshot.read_text(encoding="utf-8") == "a report"


def test_json_contract_shape() -> None:
    rec = recommend(load_requirements(EXAMPLES / "canary-on-istio.yaml"), today=TODAY)
    data = json.loads(render(rec, "json", source="x.yaml"))
    assert set(data) == {"schema_version", "recommender_version", "knowledge_revision", "knowledge_as_of", "source",
                         "input", "ranking", "stack", "no_fit", "order_reason", "lang", "decisive", "sensitivity",
                         "confidence"}
    assert data["schema_version"] == 1
    tool = data["ranking"][0]
    assert set(tool) == {"tool", "name", "rank", "score", "verdict", "explanations", "risks", "exclusions", "covers",
                         "musts_met", "musts_total", "why_not", "beyond_cap", "partial_musts", "in_stack",
                         "unsuited_because", "keeps"}
    assert set(tool["explanations"][0]) == {"rule", "kind", "requirement", "component", "level", "points", "text",
                                            "evidence"}
    assert set(data["stack"][0]) == {"tool", "component", "name", "layer", "layer_title", "requirements", "rules",
                                     "text", "evidence", "managed"}
    assert set(data["sensitivity"]) == {"robust", "changes", "runs", "relaxations_for_fit",
                                       "leaders_after_relaxing", "text"}
    assert set(data["confidence"]) == {"level", "margin", "stated", "flagged_claims", "knowledge_age_days", "stale",
                                       "reasons", "causes"}
    assert set(data["input"]) == {"version", "context", "requirements", "notes"}


def test_every_format_renders_every_example() -> None:
    kb = get_knowledge()
    for path in sorted(EXAMPLES.glob("*.yaml")):
        rec = recommend(load_requirements(path), what_if=False)
        for fmt in FORMATS:
            assert render(rec, fmt, knowledge=kb).strip()


def test_the_decision_record_title_says_why_nothing_was_chosen() -> None:
    # A failed must and a requirement nobody covers are different dead ends; the title tells which.
    musts = recommend(Requirements(requirements={"cncf_graduated_only": "must", "in_place_update": "must"}),
                      what_if=False)
    nothing = recommend(Requirements(requirements={"non_kubernetes_targets": "high"}), what_if=False)
    assert "# No CD tool meets every must yet" in render(musts, "adr")
    assert "# No CD tool considered covers these requirements" in render(nothing, "adr")
    assert "status: undecided" in render(nothing, "adr")


HOSTILE = "[bold red]x[/] <script>alert(1)</script> *em* [a](http://evil) | # h ![i](x)"


@pytest.mark.parametrize("fmt", ["table", "markdown", "adr", "html"])
def test_user_text_is_rendered_literally(fmt: str) -> None:
    rec = recommend(Requirements(requirements={"gitops_sync": "must"}, notes=HOSTILE), what_if=False)
    text = render(rec, fmt)
    if fmt == "table":
        assert "[bold red]x[/]" in text
    elif fmt == "html":
        assert "<script>" not in text and "&lt;script&gt;" in text
    else:
        assert "<script>" not in text and "\\<script\\>" in text
        assert "](http://evil)" not in text.replace("\\](http://evil)", "")


def test_several_files_and_a_directory_write_one_report_each(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "reports"
    assert main(["recommend", str(EXAMPLES), "--format", "markdown", "-o", str(out), "--no-what-if"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{p.stem}.md" for p in EXAMPLES.glob("*.yaml"))
    captured = capsys.readouterr()
    assert "Summary" in captured.out + captured.err
    # Running again without --force refuses to overwrite and keeps the reports.
    before = (out / names[0]).read_text()
    assert main(["recommend", str(EXAMPLES), "--format", "markdown", "-o", str(out), "--no-what-if"]) == 2
    assert (out / names[0]).read_text() == before


def test_several_files_to_json_is_one_document_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(EXAMPLES / "canary-on-istio.yaml"), str(EXAMPLES / "ml-batch-team.yaml")]
    assert main(["recommend", *files, "--format", "json", "--no-what-if"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["source"] for r in data["results"]] == files
    assert [s["file"] for s in data["summary"]] == files


def test_the_summary_says_each_picks_confidence_and_a_partial_fit(capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch over many teams is read from its summary: a pick that meets a must only in part, or
    rests on a thin lead, must show there, not only in the file's own report."""
    partial, clear = EXAMPLES / "slo-quality-gates.yaml", EXAMPLES / "ecommerce-in-place.yaml"
    no_fit = EXAMPLES / "no-fit-graduated-in-place.yaml"
    assert main(["recommend", str(partial), str(clear), str(no_fit), "--format", "json", "--no-what-if"]) == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    wanted = {str(p): recommend(load_requirements(p), what_if=False) for p in (partial, clear, no_fit)}
    for row in summary:
        rec = wanted[row["file"]]
        assert row["verdict"] == (rec.top.verdict if rec.top else None)
        assert row["confidence"] == rec.confidence.level
    assert [row["verdict"] for row in summary] == ["partial", "recommended", None]
    monkeypatch.setenv("COLUMNS", "250")  # each path on one line of the summary table
    assert main(["recommend", str(partial), str(clear), str(no_fit), "--format", "markdown", "--no-what-if"]) == 0
    table = capsys.readouterr().err
    lines = {path: next(line for line in table.splitlines() if path.name in line) for path in (partial, clear, no_fit)}
    assert "(partial fit)" in lines[partial] and wanted[str(partial)].confidence.level in lines[partial]
    assert "(partial fit)" not in lines[clear] and "high" in lines[clear]
    assert "No fit" in lines[no_fit]


def test_one_bad_file_among_many_is_reported_and_the_rest_still_run(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("requirements:\n  canery: must\n")
    out = tmp_path / "out"
    code = main(["recommend", str(bad), str(EXAMPLES / "ml-batch-team.yaml"), "-o", str(out), "--format", "json"])
    assert code == 2
    assert (out / "ml-batch-team.json").exists() and not (out / "bad.json").exists()
    assert "canery" in capsys.readouterr().err


def test_interrupted_batch_keeps_finished_reports_and_names_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import recommender.api as api

    real = api.recommend
    calls = {"n": 0}

    def interrupt_second(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "recommend", interrupt_second)
    out = tmp_path / "out"
    files = [str(EXAMPLES / "canary-on-istio.yaml"), str(EXAMPLES / "ml-batch-team.yaml")]
    assert main(["recommend", *files, "-o", str(out), "--format", "json"]) == 130
    assert sorted(p.name for p in out.iterdir()) == ["canary-on-istio.json"]
    err = capsys.readouterr().err
    assert "not written" in err and "ml-batch-team.yaml" in err


@contextlib.contextmanager
def _terminal_ctrl_c() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt, as at a terminal, even when the tests run where it is
    ignored (a background job of a script)."""
    import signal

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _another_thread() -> Iterator[None]:
    """A live second thread, as a progress bar has: a SIGINT to the process may be handed to it."""
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _ctrl_c_on_create(monkeypatch: pytest.MonkeyPatch, on_call: int) -> None:
    """Send this process a SIGINT right after the on_call-th temporary report file is created: before
    write_atomic could guard it, unless Ctrl-C is held."""
    import signal
    import tempfile

    real = tempfile.mkstemp
    calls = {"n": 0}

    def create(*args: object, **kwargs: object) -> tuple[int, str]:
        created = real(*args, **kwargs)  # type: ignore[call-overload]
        calls["n"] += kwargs.get("suffix") == ".tmp"  # reports, not the knowledge cache
        if calls["n"] == on_call and kwargs.get("suffix") == ".tmp":
            os.kill(os.getpid(), signal.SIGINT)
        return created  # type: ignore[no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", create)


@pytest.mark.parametrize("threads", ["one thread", "two threads"])
def test_ctrl_c_while_a_report_is_being_written_leaves_it_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               threads: str) -> None:
    from recommender.cli.common import write_atomic

    _ctrl_c_on_create(monkeypatch, 1)
    report = tmp_path / "report.json"
    others = _another_thread() if threads == "two threads" else contextlib.nullcontext()
    with _terminal_ctrl_c(), others, pytest.raises(KeyboardInterrupt):  # held, not swallowed
        write_atomic(report, "{}\n", force=False)
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    assert report.read_text(encoding="utf-8") == "{}\n"


def test_a_report_written_when_ctrl_c_comes_is_listed_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    names = ["canary-on-istio", "ml-batch-team", "slo-quality-gates"]
    out = tmp_path / "out"
    _ctrl_c_on_create(monkeypatch, 2)
    with _terminal_ctrl_c(), _another_thread():
        code = main(["recommend", *(str(EXAMPLES / f"{n}.yaml") for n in names), "-o", str(out), "--format", "json",
                     "-j", "1", "--no-what-if"])
    assert code == 130
    assert sorted(p.name for p in out.iterdir()) == ["canary-on-istio.json", "ml-batch-team.json"]
    err = capsys.readouterr().err
    written, not_written = err.split("written: ", 1)[1], err.split("not written: ", 1)[1]
    assert "ml-batch-team.json" in written and "ml-batch-team" not in not_written
    assert "slo-quality-gates.yaml" in not_written


def test_schema_lists_the_vocabulary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    ids = set(schema["properties"]["requirements"]["properties"])
    assert ids == set(get_knowledge().catalogue.ids)
    for path in EXAMPLES.glob("*.yaml"):
        assert set(load_requirements(path).requirements) <= ids


def test_explain_shows_fired_rules_with_their_facts_and_near_misses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(EXAMPLES / "canary-on-istio.yaml"), "--tool", "openkruise"]) == 0
    out = capsys.readouterr().out
    assert "pd.no_analysis" in out and "metric_analysis_rollback" in out
    assert "came close" in out
    assert main(["explain", str(EXAMPLES / "canary-on-istio.yaml"), "--tool", "nope"]) == 2


def test_lang_ko_translates_rule_texts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", str(EXAMPLES / "canary-on-istio.yaml"), "--format", "json", "--lang", "ko",
                 "--no-what-if"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lang"] == "ko"
    assert any("충족" in e["text"] for e in data["ranking"][0]["explanations"])


@pytest.mark.parametrize("full", [False, True])
def test_korean_table_snapshot_stays_aligned(full: bool) -> None:
    from rich.cells import cell_len

    rec = recommend(load_requirements(EXAMPLES / "ecommerce-in-place.yaml"), today=TODAY, lang="ko")
    text = render(rec, "table", width=100, full=full)
    check_snapshot(SNAPSHOTS / f"ecommerce-in-place.ko{'.full' if full else ''}.table", text)
    # Every line of a table or panel is as wide on screen as its border: Hangul counts two cells.
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line[:1] and line[0] in "┏┃┡│└╭╰┗":
            if line[0] in "┏╭" and blocks[-1]:  # a box right below another one
                blocks.append([])
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    assert len(blocks) >= 2 and any("추천" in line for b in blocks for line in b)
    for block in blocks:
        assert len({cell_len(line) for line in block}) == 1, block[0]


def _mixed_batch(directory: Path, copies: int) -> Path:
    """The examples several times over, plus one file with a typo."""
    directory.mkdir()
    for n in range(copies):
        for path in sorted(EXAMPLES.glob("*.yaml")):
            (directory / f"{n:02d}-{path.name}").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (directory / "zz-bad.yaml").write_text("requirements:\n  canery: must\n", encoding="utf-8")
    return directory


def test_worker_processes_write_exactly_what_one_process_writes(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    inputs = _mixed_batch(tmp_path / "in", 2)
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        assert main(["recommend", str(inputs), "--format", "json", "-o", str(out), "-j", jobs]) == 2
        err = capsys.readouterr().err
        assert "canery" in err and "Traceback" not in err
        outputs[jobs] = {p.name: p.read_bytes() for p in out.iterdir()}
        document = tmp_path / f"all-{jobs}.json"
        assert main(["recommend", str(inputs), "--format", "json", "-o", str(document), "-j", jobs,
                     "--no-what-if"]) == 2
        capsys.readouterr()
        assert not document.exists()  # one output file holds all or nothing
    assert len(outputs["1"]) == len(list(inputs.iterdir())) - 1
    assert outputs["1"] == outputs["2"]


def test_a_parallel_batch_really_runs_in_worker_processes() -> None:
    import multiprocessing

    from recommender.cli.batch import Job, run_batch

    job = Job(knowledge=None, rules=None, lang="en", what_if=False, format="json", envelope=True, width=100,
              color=False, evidence=False)
    paths = sorted(EXAMPLES.glob("*.yaml"))
    results = run_batch(paths, job, jobs=2)
    first = next(results)
    assert len(multiprocessing.active_children()) == 2
    assert [first.path, *(r.path for r in results)] == paths
    assert multiprocessing.active_children() == []  # the pool is shut down when the batch ends


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads a worker's memory map (Linux)")
def test_a_worker_that_dies_fails_the_batch_with_a_clear_error_and_leaves_no_process() -> None:
    import multiprocessing
    import os
    import signal
    import threading
    import time

    from recommender.cli.batch import Job, run_batch
    from recommender.errors import EngineError

    job = Job(knowledge=None, rules=None, lang="en", what_if=False, format="json", envelope=True, width=100,
              color=False, evidence=False)
    paths = sorted(EXAMPLES.glob("*.yaml")) * 4
    killed: list[int] = []

    def loading_the_rules(pid: int) -> bool:
        try:
            return "durable_rules_engine" in Path(f"/proc/{pid}/maps").read_text()
        except OSError:
            return False

    def kill_a_worker() -> None:
        # Once a worker is up and loading the rules, before it can send a result: a worker killed in
        # the middle of sending one can hang ProcessPoolExecutor itself (a CPython limit no batch
        # code can undo), so the test stays clear of that moment.
        deadline = time.monotonic() + 60
        while not killed and time.monotonic() < deadline:
            for child in multiprocessing.active_children():
                if child.pid is not None and loading_the_rules(child.pid):
                    os.kill(child.pid, signal.SIGKILL)  # as the kernel's OOM killer would
                    killed.append(child.pid)
                    break
            time.sleep(0.001)

    killer = threading.Thread(target=kill_a_worker)
    killer.start()
    try:
        with pytest.raises(EngineError, match=r"a worker process died while working on .*\.yaml.*run again with -j 1"):
            list(run_batch(paths, job, jobs=2))
    finally:
        killer.join()
    assert killed
    assert multiprocessing.active_children() == []


def test_jobs_must_be_a_positive_number(capsys: pytest.CaptureFixture[str]) -> None:
    from recommender.cli import batch
    from recommender.cli import parser as cli

    assert cli.PARALLEL_FROM == batch.PARALLEL_FROM
    for value in ("0", "two"):
        with pytest.raises(SystemExit) as stop:
            main(["recommend", str(EXAMPLES), "-j", value])
        assert stop.value.code == 2
        assert "--jobs" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(__import__("signal"), "pthread_sigmask"), reason="POSIX signal masks")
def test_a_worker_drops_a_ctrl_c_that_arrived_while_it_was_starting() -> None:
    import subprocess
    import sys

    # Workers start with Ctrl-C held (inherited from run_batch); one that arrived meanwhile must vanish,
    # not raise a KeyboardInterrupt with a traceback once the worker lets signals in.
    code = ("import os, signal\n"
            "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})\n"
            "os.kill(os.getpid(), signal.SIGINT)\n"
            "from recommender.interrupts import ignore_ctrl_c\n"
            "ignore_ctrl_c()\n"
            "print(signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, set()))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "False\n", "")


def test_worker_processes_start_while_ctrl_c_is_held(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    import recommender.cli.batch as batch

    started_inside: list[int] = []
    real = batch.ctrl_c_held

    @contextlib.contextmanager
    def watching() -> Iterator[None]:
        with real():
            yield
            started_inside.append(len(multiprocessing.active_children()))

    monkeypatch.setattr(batch, "ctrl_c_held", watching)
    job = batch.Job(knowledge=None, rules=None, lang="en", what_if=False, format="json", envelope=True, width=100,
                    color=False, evidence=False)
    paths = sorted(EXAMPLES.glob("*.yaml"))
    assert [r.path for r in batch.run_batch(paths, job, jobs=2)] == paths
    assert started_inside == [2]  # both workers began life with the parent's Ctrl-C held


def test_ctrl_c_stops_a_parallel_batch_cleanly(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    inputs = _mixed_batch(tmp_path / "in", 8)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "recommender", "recommend", str(inputs), "--format", "json",
                             "-o", str(out), "-j", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True,
                            # as at a terminal, even when the tests run where SIGINT is ignored
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out.exists() and any(out.glob("*.json"))):
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: to every process of the group
    _stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "not written" in stderr and "Traceback" not in stderr
    assert not list(out.glob(".*.tmp"))  # no half-written report left behind


def test_a_dead_worker_ends_the_run_with_exit_2_and_names_the_file(monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    # The kill itself is exercised above; here, what the command makes of it.
    from recommender.cli import batch
    from recommender.errors import WorkerDied

    def dies(paths: list[Path], job: object, jobs: int) -> Iterator[object]:
        raise WorkerDied(f"a worker process died while working on {paths[0]} or a file after it")
        yield  # pragma: no cover

    monkeypatch.setattr(batch, "run_batch", dies)
    assert main(["recommend", str(EXAMPLES / "canary-on-istio.yaml"), "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert "canary-on-istio.yaml" in err and "Traceback" not in err
