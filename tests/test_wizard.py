"""The wizard: the adaptive interview through a pipe, and real conversations in a pseudo-terminal."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

from recommender.api import get_knowledge, load_requirements, recommend
from recommender.catalogue import Catalogue
from recommender.cli.parser import build_parser
from recommender.interview import SCREEN, Interview
from recommender.models import Requirements
from recommender.requirements_io import dump_requirements
from recommender.wizard import main, run

ENTER, UP, DOWN, LEFT, SPACE, CTRL_C = "\r", "\x1b[A", "\x1b[B", "\x1b[D", " ", "\x03"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return get_knowledge().catalogue


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


def skips_to_stop(initial: Requirements | None = None, answers: dict[str, object] | None = None) -> list[str]:
    """The questions the interview asks when every one is skipped (Enter on each prompt)."""
    iv = Interview(initial=initial)
    for key, value in (answers or {}).items():
        iv.answer(key, value)  # type: ignore[arg-type]
    asked = []
    while (q := iv.next_question()) is not None:
        asked.append(q.id)
        iv.skip(q.id)
    return asked


def skips_until_stop(iv: Interview, *, exhaustive: bool = False) -> list[str]:
    asked = []
    while (q := iv.next_question(exhaustive=exhaustive)) is not None:
        asked.append(q.id)
        iv.skip(q.id)
    return asked


EXAMPLE = EXAMPLES / "canary-on-istio.yaml"


@pytest.fixture(scope="module")
def from_example() -> list[str]:
    return skips_to_stop(load_requirements(EXAMPLE))


def test_from_file_asks_only_what_can_change_it_then_saves(wizard: Drive, from_example: list[str],
                                                           tmp_path: Path) -> None:
    given = load_requirements(EXAMPLE)
    assert not set(from_example) & set(given.requirements)  # the file's answers are not asked again
    # each question skipped, the result: done, export: no
    s = wizard(ENTER * len(from_example) + ENTER + ENTER, "--from", str(EXAMPLE), "--save", "again.yaml")
    assert s.rc == 0, s.err
    assert load_requirements(tmp_path / "again.yaml") == given
    assert "Your answer decides between" in " ".join(s.out.split())  # each question says why it is asked
    assert s.out.count("Ranking the tools") == 1 and f"1. {recommend(given).ranking[0].name}" in s.out


def test_one_enter_short_is_a_cancel_not_a_result(wizard: Drive, from_example: list[str], tmp_path: Path) -> None:
    s = wizard(ENTER * (len(from_example) + 1), "--from", str(EXAMPLE), "--save", "out.yaml")
    assert s.rc == 130 and "cancelled, nothing written" in s.err
    assert not (tmp_path / "out.yaml").exists()


def test_ask_me_more_continues_with_the_rest(wizard: Drive, from_example: list[str], tmp_path: Path) -> None:
    iv = Interview(initial=load_requirements(EXAMPLE))
    skips_until_stop(iv)
    assert iv.remaining() and iv.next_question() is None
    more = iv.next_question(exhaustive=True)
    assert more is not None and more.kind in ("importance", "choice")
    iv.answer(more.id, more.choices[0])
    rest = skips_until_stop(iv, exhaustive=True)
    keys = (ENTER * len(from_example)
            + DOWN + ENTER  # the result: ask me more
            + UP * len(more.choices) + ENTER  # the first further question: from "don't care" up to the first choice
            + ENTER * len(rest)  # the others skipped; then the result again
            + ENTER + ENTER)  # done; export: no
    s = wizard(keys, "--from", str(EXAMPLE), "--save", "more.yaml")
    assert s.rc == 0, s.err
    assert load_requirements(tmp_path / "more.yaml") == iv.requirements()
    assert s.out.count("Ranking the tools") == 2  # the result after the stop, and after the further answers


def test_back_restores_the_answer_and_review_changes_one(wizard: Drive, tmp_path: Path) -> None:
    iv = Interview()
    iv.skip(SCREEN)  # Enter on the first question with nothing picked: each requirement in turn
    first = iv.next_question()
    assert first is not None and first.kind == "importance"
    iv.answer(first.id, "must")
    after = skips_until_stop(iv)
    iv.answer(first.id, "high")  # the review's change: the interview then asks what that opens
    opened = skips_until_stop(iv)
    keys = (ENTER  # which requirements matter: none picked, so one by one
            + UP * len(first.choices) + ENTER  # the first of them: from "don't care" up to must
            + LEFT  # the second: back to the first, which starts on must
            + ENTER  # must again
            + ENTER * len(after)  # everything else skipped: the result
            + DOWN * 2 + ENTER  # review
            + DOWN + ENTER  # the only answered row (the first question), starting on must
            + DOWN + ENTER  # must -> high
            + ENTER  # review: show the recommendation
            + ENTER * len(opened)
            + ENTER + ENTER)  # the result: done; export: no
    s = wizard(keys, "--save", "out.yaml")
    assert s.rc == 0, s.err
    assert load_requirements(tmp_path / "out.yaml").requirements == {first.id: "high"}


def test_empty_checkbox_answer_is_not_echoed_as_done(wizard: Drive, tmp_path: Path) -> None:
    given = Requirements(requirements={"gitops_sync": "must", "canary": "must"})
    (tmp_path / "given.yaml").write_text(dump_requirements(given, get_knowledge().catalogue), encoding="utf-8")
    asked = skips_until_stop(Interview(initial=given))
    kinds = get_knowledge().catalogue.contexts
    multi = next(i for i, q in enumerate(asked) if q in kinds and kinds[q].multi)
    s = wizard(ENTER * multi + ENTER + CTRL_C, "--from", "given.yaml")
    assert s.rc == 130
    echoed = [line for line in s.out.splitlines() if "asked · likely" in line]
    # echoed as a skip, as the review would say it, not as questionary's "done"
    assert echoed and echoed[-1].rstrip().endswith("skip / not sure") and "done" not in echoed[-1]


def test_ctrl_c_exits_130_and_writes_nothing(wizard: Drive, from_example: list[str], tmp_path: Path) -> None:
    s = wizard(ENTER * 2 + CTRL_C, "--from", str(EXAMPLE), "--save", "out.yaml")
    assert s.rc == 130 and "cancelled, nothing written" in s.err
    # even at the very last prompt (after the report), nothing has been written yet
    s = wizard(ENTER * (len(from_example) + 1) + CTRL_C, "--from", str(EXAMPLE), "--save", "out.yaml")
    assert s.rc == 130 and "Ranking" in s.out and "cancelled, nothing written" in s.err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_korean(wizard: Drive, from_example: list[str]) -> None:
    s = wizard(ENTER * len(from_example) + CTRL_C, "--from", str(EXAMPLE), "--lang", "ko")
    assert s.rc == 130
    flat = " ".join(s.out.split())
    assert "정해집니다" in flat and "Your answer" not in flat
    assert "취소" in s.err


def test_a_korean_run_saves_its_file_with_korean_comments(wizard: Drive, from_example: list[str],
                                                          tmp_path: Path) -> None:
    """The person who answered in Korean edits the saved file next: its header and each line's
    title are in Korean, and it reads back as the same requirements."""
    s = wizard(ENTER * len(from_example) + ENTER + ENTER, "--from", str(EXAMPLE), "--save", "다시.yaml",
               "--lang", "ko")
    assert s.rc == 0, s.err
    saved = (tmp_path / "다시.yaml").read_text(encoding="utf-8")
    assert saved.startswith("# `recommender wizard`가 작성한 요구사항입니다.")
    catalogue = get_knowledge().catalogue
    for req_id in load_requirements(EXAMPLE).requirements:
        line = next(line for line in saved.splitlines() if line.strip().startswith(f"{req_id}:"))
        assert line.endswith(f"# {catalogue.requirement(req_id).title['ko']}"), line
    assert "Requirements written" not in saved
    assert load_requirements(tmp_path / "다시.yaml") == load_requirements(EXAMPLE)


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
    code = "import sys, recommender.wizard, recommender.cli.main; print('questionary' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "False"


def test_prompts_share_one_set_of_default_key_bindings() -> None:
    # Each prompt_toolkit Application built the whole default key-binding set (two per question);
    # once the wizard's terminal is set up, two Applications get the same one.
    from prompt_toolkit.application import Application
    from rich.console import Console

    from recommender.wizard.terminal import TerminalUI

    TerminalUI(Interview(), "en", Console(file=io.StringIO()))
    assert Application()._default_bindings is Application()._default_bindings


# --------------------------------------------------------------------------------------------
# The real command in a pseudo-terminal
# --------------------------------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def test_real_wizard_in_a_pty_adaptive_conversation_more_and_back(tmp_path: Path) -> None:
    """From nothing: pick GitOps sync in the first question, back at the second, Enter (its
    answer kept), then Enter (skip) on every prompt until the result; ask me more; Enter through
    the rest (GitOps sync keeps the medium it was counted at); review; done. At 80 columns."""
    pexpect = pytest.importorskip("pexpect")
    saved = tmp_path / "saved.yaml"
    # No cursor-position requests: pexpect's terminal never answers them, and waiting costs seconds.
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", PYTHONPATH=str(ROOT))
    child = pexpect.spawn(sys.executable, ["-m", "recommender", "wizard", "--save", str(saved)],
                          cwd=str(tmp_path), env=env, encoding="utf-8", timeout=60, dimensions=(50, 80))
    child.delaybeforesend = None
    seen: list[str] = []
    # A live prompt, told from the echo of an answered one by its hint; a redraw of the same prompt
    # shows the same count, so keys go only to a prompt not yet answered.
    ansi = r"(?:\x1b\[[0-9;?]*[A-Za-z]|\s)*"
    live = (rf"(?:\[(\d+) asked · (?:likely \d+ more|\d+ left)\]|\[first\] Which matter to your team\?)"
            rf"{ansi}\((?:↑↓ and Enter; ←|Space toggles|a number)")
    now = rf"Now\?{ansi}\(↑↓ and Enter\)"
    plan = [SPACE + ENTER, LEFT, ENTER]  # pick the first requirement; back at the second; kept
    last: str | None = None
    results = 0
    before_result = 0  # questions until the first result
    try:
        while True:
            found = child.expect([live, now, rf"or show the recommendation{ansi}\(↑↓",
                                  rf"Export the report too\?{ansi}\(", pexpect.EOF])
            seen.append(child.before + (child.after if isinstance(child.after, str) else ""))
            if found == 0:
                marker = f"{child.match.group(1)}:{len(plan)}"
                if marker == last:
                    continue  # a redraw
                last = marker
                before_result += not results
                child.send(plan.pop(0) if plan else ENTER)
            elif found == 1:
                results += 1
                last = None
                # first: ask me more; then (nothing left to ask) review; then done
                child.send({1: DOWN + ENTER, 2: DOWN + ENTER}.get(results, ENTER))
            elif found in (2, 3):
                child.send(ENTER)  # show the recommendation; no export
            else:
                break
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    assert load_requirements(saved).requirements == {"gitops_sync": "medium"}
    assert before_result <= 8  # the first question, back, and what could change the answer
    text = ANSI.sub("", "".join(seen))
    flat = " ".join(text.split())
    # The yes/no style question after the result is shown whole at 80 columns.
    assert "No single answer to the questions left can change this top pick or its stack. Now?" in flat
    assert "(Y/n)" not in flat and "(Use arrow keys)" not in flat
    figures = [(int(a), int(m)) for a, m in re.findall(r"\[(\d+) asked · likely (\d+) more\]", flat)]
    likely = [m for _a, m in figures]
    assert likely == sorted(likely, reverse=True), likely  # "likely N more" never goes up
    left = [int(n) for n in re.findall(r"\[\d+ asked · (\d+) left\]", flat)]
    assert left and left == sorted(left, reverse=True), left  # nor "N left" after "ask me more"
    # the first question lists the requirements under their group headings
    assert figures and "Which of these matter to your team?" in flat and "── Delivery model and GitOps" in flat
    # The review lists what was answered, not every question as "don't care".
    start = flat.index("Review your answers")
    review = flat[start:flat.index("Ranking the tools", start)]
    assert "GitOps sync from Git — how important?: medium" in review and "don't care" not in review


def test_pty_korean_prompts(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", PYTHONPATH=str(ROOT))
    iv = Interview(initial=load_requirements(EXAMPLE))
    count = 0
    while (q := iv.next_question()) is not None:
        iv.skip(q.id)
        count += 1
    child = pexpect.spawn(sys.executable, ["-m", "recommender", "wizard", "--from", str(EXAMPLE), "--lang", "ko"],
                          cwd=str(tmp_path), env=env, encoding="utf-8", timeout=60, dimensions=(50, 80))
    child.delaybeforesend = None
    seen = []
    try:
        for _ in range(count):
            child.expect(r"더\]|중요한 것은\?")  # a question, or the first one (which requirements)
            seen.append(child.before)
            child.send(ENTER)
        child.expect("다음은")
        child.send(ENTER)  # done
        child.expect("저장할까요")
        seen.append(child.before + child.after)
        child.send(DOWN + ENTER)  # 아니오
        child.expect("내보낼까요")
        seen.append(child.before + child.after)
        child.send(ENTER)
        child.expect(pexpect.EOF)
        seen.append(child.before)
    finally:
        child.close()
    assert child.exitstatus == 0
    flat = " ".join(ANSI.sub("", "".join(seen)).split())
    for english in ("(Y/n)", "(y/N)", "(Use arrow keys)", " No", " Yes", " done"):
        # a whole word: product names such as Notation stay English in Korean texts
        found = re.search(re.escape(english) + r"(?!\w)", flat)
        assert found is None, flat[max(0, found.start() - 200):found.start() + 60]
    assert "아니오" in flat
