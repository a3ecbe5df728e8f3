"""The wizard: the question flow as a state machine, the questionary side through a pipe, and
one run of the real command in a pseudo-terminal."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

from recommender.api import get_knowledge, load_requirements, recommend
from recommender.catalogue import Catalogue
from recommender.cli import build_parser
from recommender.models import Requirements
from recommender.requirements_io import dump_requirements
from recommender.wizard import FOLLOW_UPS, Flow, Question, main, run

ENTER, UP, DOWN, LEFT, SPACE, CTRL_C = "\r", "\x1b[A", "\x1b[B", "\x1b[D", " ", "\x03"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return get_knowledge().catalogue


def n_reqs(catalogue: Catalogue, group: str) -> int:
    return sum(r.group == group for r in catalogue.requirements)


def answer_all(flow: Flow, answers: dict[str, object] | None = None) -> list[str]:
    """Answer every question in order (given answers, else the default); the keys asked."""
    asked: list[str] = []
    answers = answers or {}
    while (q := flow.current()) is not None:
        asked.append(q.key)
        flow.answer(q, answers.get(q.key, flow.value(q)))  # type: ignore[arg-type]
    return asked


# --------------------------------------------------------------------------------------------
# The flow, without a terminal
# --------------------------------------------------------------------------------------------


def test_defaults_open_delivery_with_gitops_high(catalogue: Catalogue) -> None:
    flow = Flow(catalogue)
    asked = answer_all(flow)
    assert asked[0] == "gate:delivery"
    assert [k for k in asked if k.startswith("gate:")] == [f"gate:{g.id}" for g in catalogue.groups]
    assert not any(k.startswith("req:") and catalogue.requirement(k[4:]).group != "delivery" for k in asked)
    # platform and already_using are asked once, at the end; no follow-up is triggered.
    assert asked[-2:] == ["ctx:platform", "ctx:already_using"]
    assert "ctx:traffic_router" not in asked and "ctx:clusters" not in asked
    assert flow.requirements() == Requirements(requirements={"gitops_sync": "high"})


def test_closed_gate_hides_details_and_drops_their_answers(catalogue: Catalogue) -> None:
    flow = Flow(catalogue)
    asked = answer_all(flow, {"gate:delivery": False, "gate:progressive": True, "req:canary": "must"})
    assert not any(k.startswith("req:") and k[4:] in {r.id for r in catalogue.requirements if r.group == "delivery"}
                   for k in asked)
    assert "ctx:traffic_router" in asked and "ctx:metrics_provider" in asked and "ctx:workload_kinds" in asked
    assert flow.requirements().requirements == {"canary": "must"}  # the default gitops_sync: high is gone


def test_follow_ups_come_from_answers(catalogue: Catalogue) -> None:
    flow = Flow(catalogue)
    asked = answer_all(flow, {"req:multi_cluster": "high", "ctx:clusters": 40,
                              "gate:progressive": True, "req:metric_analysis_rollback": "must",
                              "ctx:metrics_provider": "datadog"})
    assert asked[asked.index("req:multi_cluster") + 1] == "ctx:clusters"
    # analysis needs the metrics provider but not the traffic router
    assert "ctx:metrics_provider" in asked and "ctx:traffic_router" not in asked
    assert "ctx:workload_kinds" in asked  # progressive delivery matters
    req = flow.requirements()
    assert req.context.clusters == 40 and req.context.metrics_provider == "datadog"
    # don't care on the trigger hides the follow-up and its answer
    flow.edit(Question("importance", "multi_cluster", "delivery"))
    flow.answer(Question("importance", "multi_cluster", "delivery"), None)
    assert flow.current() is None and flow.requirements().context.clusters is None
    assert {f.context for f in FOLLOW_UPS} == set(catalogue.contexts)


def test_back_reasks_previous_question_with_its_answer(catalogue: Catalogue) -> None:
    flow = Flow(catalogue)
    assert not flow.can_go_back
    gate = flow.current()
    assert gate is not None
    flow.answer(gate, True)
    q = flow.current()
    assert q is not None and q.key == "req:gitops_sync"
    flow.answer(q, "must")
    assert flow.back() == q and flow.current() == q and flow.value(q) == "must"
    assert flow.back() == gate and flow.current() == gate
    flow.answer(gate, False)  # closing the gate skips its details
    nxt = flow.current()
    assert nxt is not None and nxt.key == "gate:progressive"


def test_invalid_answers_are_refused(catalogue: Catalogue) -> None:
    flow = Flow(catalogue)
    with pytest.raises(ValueError):
        flow.answer(Question("importance", "canary", "progressive"), "avoid")  # not avoidable
    with pytest.raises(ValueError):
        flow.answer(Question("choice", "traffic_router", "progressive"), "nginx-plus")
    with pytest.raises(ValueError):
        flow.answer(Question("integer", "clusters", "delivery"), 0)
    flow.answer(Question("importance", "web_ui", "delivery"), "avoid")


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_starting_from_a_file_and_accepting_everything_keeps_it(example: Path, catalogue: Catalogue) -> None:
    initial = load_requirements(example)
    flow = Flow(catalogue, initial)
    answer_all(flow)
    assert flow.requirements() == initial


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_saved_yaml_round_trips(example: Path, catalogue: Catalogue, tmp_path: Path) -> None:
    initial = load_requirements(example)
    saved = tmp_path / "saved.yaml"
    saved.write_text(dump_requirements(initial, catalogue, header="test"), encoding="utf-8")
    assert load_requirements(saved) == initial


def test_dump_quotes_values_yaml_would_retype(tmp_path: Path) -> None:
    req = Requirements(requirements={"canary": "must"}, notes="yes: really\nsecond line")
    path = tmp_path / "r.yaml"
    path.write_text(dump_requirements(req), encoding="utf-8")
    assert load_requirements(path) == req


def test_catalogue_has_help_for_every_question_in_both_languages(catalogue: Catalogue) -> None:
    for g in catalogue.groups:
        assert g.gate.get("en") and g.gate.get("ko") and g.help.get("en") and g.help.get("ko"), g.id
    for r in catalogue.requirements:
        assert r.help.get("en") and r.help.get("ko") and r.definition.get("ko"), r.id
    for key, c in catalogue.contexts.items():
        assert c.help.get("en") and c.help.get("ko"), key


# --------------------------------------------------------------------------------------------
# The terminal side, through prompt_toolkit's pipe input
# --------------------------------------------------------------------------------------------


class Session:
    def __init__(self, rc: int, out: str, err: str) -> None:
        self.rc, self.out, self.err = rc, out, err


Drive = Callable[..., Session]  # drive(keys, *wizard_arguments) -> Session


@pytest.fixture
def wizard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Drive:
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput
    from rich.console import Console

    monkeypatch.chdir(tmp_path)

    def drive(keys: str, *argv: str) -> Session:
        args = build_parser().parse_args(["wizard", *argv])
        buffer = io.StringIO()
        with create_pipe_input() as pipe:
            pipe.send_text(keys)
            pipe.close()  # running out of keys ends the run with EOF instead of hanging
            rc = run(args, input=pipe, output=DummyOutput(), console=Console(file=buffer, width=120))
        return Session(rc, buffer.getvalue(), capsys.readouterr().err)

    return drive


def top_tool(path: Path) -> str:
    rec = recommend(load_requirements(path))
    assert rec.top is not None
    return rec.top.tool


def test_defaults_all_the_way_reach_a_result_and_save(wizard: Drive, catalogue: Catalogue, tmp_path: Path) -> None:
    # gate + delivery details, the other gates, platform and already_using, review, save?, path, export?
    prompts = 1 + n_reqs(catalogue, "delivery") + (len(catalogue.groups) - 1) + 2 + 1 + 1 + 1 + 1
    s = wizard(ENTER * prompts)
    assert s.rc == 0, s.err
    assert "Ranking" in s.out and "Suggested stack" in s.out
    saved = tmp_path / "requirements.yaml"
    assert load_requirements(saved) == Requirements(requirements={"gitops_sync": "high"})
    assert "recommender recommend requirements.yaml" in s.out
    assert top_tool(saved) == "argo"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["requirements.yaml"]


def test_one_enter_short_is_a_cancel_not_a_result(wizard: Drive, catalogue: Catalogue, tmp_path: Path) -> None:
    prompts = 1 + n_reqs(catalogue, "delivery") + (len(catalogue.groups) - 1) + 2 + 1 + 1 + 1 + 1
    s = wizard(ENTER * (prompts - 1))
    assert s.rc == 130 and "cancelled, nothing written" in s.err
    assert list(tmp_path.iterdir()) == []


def test_closed_gate_details_are_not_asked(wizard: Drive, catalogue: Catalogue, tmp_path: Path) -> None:
    # delivery: No; the other gates: default No; platform, already_using; review: show. Nothing
    # is wanted, so the wizard says so and stays on the review screen; then Ctrl-C.
    keys = DOWN + ENTER + ENTER * (len(catalogue.groups) - 1) + ENTER * 2 + ENTER + CTRL_C
    s = wizard(keys, "--save", "out.yaml")
    assert s.rc == 130, s.err
    assert not (tmp_path / "out.yaml").exists()
    assert "nothing to rank" in " ".join(s.out.split())
    delivery_help = [r.help["en"] for r in catalogue.requirements if r.group == "delivery"]
    flat = " ".join(s.out.split())
    assert catalogue.group("delivery").help["en"] in flat  # the gate was shown...
    assert not any(h in flat for h in delivery_help)  # ...its details were not


def test_back_by_arrow_by_choice_and_by_typing(wizard: Drive, catalogue: Catalogue, tmp_path: Path) -> None:
    delivery = [r.id for r in catalogue.requirements if r.group == "delivery"]
    assert delivery[:5] == ["gitops_sync", "drift_self_heal", "web_ui", "cli_first_lightweight", "multi_cluster"]
    keys = (DOWN + ENTER  # delivery gate: No
            + LEFT  # progressive gate: ← goes back to the delivery gate, which now starts on No
            + UP + ENTER  # Yes
            + UP + ENTER  # gitops_sync: high -> must
            + DOWN + ENTER  # drift_self_heal: from "don't care" down to "← Back"
            + ENTER  # gitops_sync again, starting on its answer (must)
            + ENTER * 3  # drift_self_heal, web_ui, cli_first_lightweight: don't care
            + UP * 3 + ENTER  # multi_cluster: high, which opens the clusters question
            + "<" + ENTER  # clusters: < goes back
            + ENTER  # multi_cluster again (high)
            + "12" + ENTER  # clusters
            + ENTER * (len(delivery) - 5)
            + ENTER * (len(catalogue.groups) - 1)  # the other gates
            + UP + ENTER  # platform: "skip" up to the last platform
            + LEFT  # already_using: ← (also in a checkbox) back to platform, which starts on its answer
            + UP + ENTER  # the platform before it
            + SPACE + ENTER  # already_using: the first tool
            + ENTER + ENTER)  # review, export
    s = wizard(keys, "--save", "out.yaml")
    assert s.rc == 0, s.err
    saved = load_requirements(tmp_path / "out.yaml")
    assert saved.requirements == {"gitops_sync": "must", "multi_cluster": "high"}
    platforms, tools = catalogue.contexts["platform"].values, catalogue.contexts["already_using"].values
    assert saved.context.model_dump(exclude_defaults=True) == {
        "clusters": 12, "platform": platforms[-2], "already_using": [tools[0]]}


def test_review_edit_opens_a_group_and_its_follow_ups(wizard: Drive, catalogue: Catalogue, tmp_path: Path) -> None:
    routers = catalogue.contexts["traffic_router"].values
    keys = (ENTER * (1 + n_reqs(catalogue, "delivery") + len(catalogue.groups) - 1 + 2)  # defaults to the review
            + DOWN * (1 + n_reqs(catalogue, "delivery") + 1) + ENTER  # review: the progressive gate
            + UP + ENTER  # Yes
            + UP * 4 + ENTER  # canary: "don't care" up to must
            + ENTER * (n_reqs(catalogue, "progressive") - 1)
            + UP * (len(routers) - routers.index("istio")) + ENTER  # traffic_router: from "skip" up to istio
            + ENTER  # metrics_provider: skip
            + ENTER  # workload_kinds: none
            + ENTER  # review: show the recommendation
            + ENTER)  # export: no
    s = wizard(keys, "--save", "out.yaml")
    assert s.rc == 0, s.err
    saved = load_requirements(tmp_path / "out.yaml")
    assert saved.requirements == {"gitops_sync": "high", "canary": "must"}
    assert saved.context.traffic_router == "istio" and saved.context.metrics_provider is None
    assert "Argo Rollouts" in s.out or "Flagger" in s.out  # the report has a progressive layer
    expected = recommend(saved)
    assert expected.top is not None and f"1. {expected.top.name}" in s.out


def test_ctrl_c_exits_130_and_writes_nothing(wizard: Drive, catalogue: Catalogue, tmp_path: Path) -> None:
    s = wizard(ENTER * 3 + CTRL_C, "--save", "out.yaml")
    assert s.rc == 130 and "cancelled, nothing written" in s.err
    # even at the very last prompt (after the report), nothing has been written yet
    everything = ENTER * (1 + n_reqs(catalogue, "delivery") + len(catalogue.groups) - 1 + 2 + 1)
    s = wizard(everything + CTRL_C, "--save", "out.yaml")
    assert s.rc == 130 and "Ranking" in s.out and "cancelled, nothing written" in s.err
    assert list(tmp_path.iterdir()) == []


def test_from_file_gives_defaults_and_export(wizard: Drive, catalogue: Catalogue, tmp_path: Path) -> None:
    from recommender.render import FORMATS

    example = EXAMPLES / "canary-on-istio.yaml"
    flow = Flow(catalogue, load_requirements(example))
    prompts = len(answer_all(flow)) + 1  # every prompt starts on the file's answer; then the review
    # export: the formats are read from the renderer at run time; pick json by its place in the list
    keys = ENTER * prompts + DOWN * (1 + FORMATS.index("json")) + ENTER + ENTER
    s = wizard(keys, "--from", str(example), "--save", "again.yaml")
    assert s.rc == 0, s.err
    assert load_requirements(tmp_path / "again.yaml") == load_requirements(example)
    report = json.loads((tmp_path / "recommendation.json").read_text(encoding="utf-8"))
    assert report["ranking"][0]["tool"] == top_tool(example)


def test_korean(wizard: Drive, catalogue: Catalogue) -> None:
    s = wizard(DOWN + ENTER + CTRL_C, "--lang", "ko")
    assert s.rc == 130
    assert catalogue.group("delivery").title["ko"] in s.out
    assert catalogue.group("progressive").help["ko"] in " ".join(s.out.split())
    assert "취소" in s.err


def test_bad_inputs_exit_2(wizard: Drive, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("requirements:\n  canery: must\n", encoding="utf-8")
    s = wizard("", "--from", str(bad))
    assert s.rc == 2 and "did you mean 'canary'" in s.err
    (tmp_path / "taken.yaml").write_text("x", encoding="utf-8")
    s = wizard("", "--save", "taken.yaml")
    assert s.rc == 2 and "taken.yaml exists" in s.err and "--force" in s.err


def test_not_a_terminal_points_to_batch_mode(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(build_parser().parse_args(["wizard"])) == 2
    assert "recommender recommend FILE" in capsys.readouterr().err


def test_wizard_module_does_not_import_questionary_up_front() -> None:
    code = "import sys, recommender.wizard, recommender.cli; print('questionary' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "False"


# --------------------------------------------------------------------------------------------
# The real command in a pseudo-terminal
# --------------------------------------------------------------------------------------------


def test_real_wizard_in_a_pty_saves_a_file_batch_mode_agrees(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    example = EXAMPLES / "canary-on-istio.yaml"
    saved = tmp_path / "saved.yaml"
    # No cursor-position requests: pexpect's terminal never answers them, and waiting costs seconds.
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", PYTHONPATH=str(ROOT))
    child = pexpect.spawn(sys.executable, ["-m", "recommender", "wizard", "--from", str(example), "--save", str(saved)],
                          cwd=str(tmp_path), env=env, encoding="utf-8", timeout=30, dimensions=(50, 120))
    child.delaybeforesend = None
    try:
        # Every prompt starts on the file's answer, so Enter throughout keeps them. A prompt may be
        # drawn more than once; a surplus Enter is then read by the next prompt, which is harmless here.
        while child.expect([r"left\]", "Review your answers", "Export the report", pexpect.EOF]) != 3:
            child.send(ENTER)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    assert load_requirements(saved) == load_requirements(example)
    batch = subprocess.run([sys.executable, "-m", "recommender", "recommend", str(saved), "--format", "json"],
                           capture_output=True, text=True, timeout=60, check=True, cwd=str(tmp_path))
    top = json.loads(batch.stdout)["ranking"][0]["tool"]
    assert top == top_tool(example)
