"""The default report answers on its first screen: the answer first and last, at most 40 lines at
80 columns; -o picks the format from the extension; evidence URLs are never wrapped."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES

from recommender import load_requirements, recommend
from recommender.cli.main import main
from recommender.render import render
from recommender.render.table import answer_line

TODAY = dt.date(2026, 11, 26)
_ANSI = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_default_report_fits_40_lines_at_80_columns_with_the_answer_first_and_last(path: Path, lang: str) -> None:
    from rich.cells import cell_len

    rec = recommend(load_requirements(path), lang=lang, today=TODAY)
    lines = render(rec, "table", width=80).splitlines()
    assert len(lines) <= 40, "\n".join(lines)
    assert max(cell_len(line) for line in lines) <= 80
    answer = answer_line(rec)
    # The answer may wrap; joined back, it is the first and the last thing on screen.
    head = " ".join(lines[:3])
    tail = " ".join(lines[-3:])
    first_words = answer.split()[:4]
    assert " ".join(first_words) in head and answer.split()[-1] in tail
    assert (rec.top.name in answer) if rec.top else rec.no_fit is not None
    # The pick's panel and the runner-up's, and no other.
    panels = [line.split("─ ", 1)[1] for line in lines if line.startswith("╭─")]
    assert [p.split(".")[0] for p in panels if p[:1].isdigit()] == ["1", "2"]


def test_full_shows_every_panel_and_every_line() -> None:
    rec = recommend(load_requirements(EXAMPLES / "gitops-platform-team.yaml"), today=TODAY)
    text = render(rec, "table", width=80, full=True)
    titles = [line.split("─ ", 1)[1] for line in text.splitlines() if line.startswith("╭─")]
    assert [p.split(".")[0] for p in titles if p[:1].isdigit()] == [str(r.rank) for r in rec.ranking]
    assert "--full" not in text  # nothing is held back
    assert len(text.splitlines()) > 100


def test_answer_line_names_pick_stack_confidence_and_lead() -> None:
    rec = recommend(load_requirements(EXAMPLES / "canary-on-istio.yaml"), today=TODAY)
    assert rec.top and rec.confidence and rec.decisive
    second = rec.ranking[1]
    stack = " + ".join(p.name for p in rec.stack)
    assert answer_line(rec) == (f"Recommended: {rec.top.name} — deploy {stack}. Confidence: {rec.confidence.level} "
                                f"({rec.top.score - second.score:.1f}-point lead over {second.name}).")
    ko = recommend(load_requirements(EXAMPLES / "canary-on-istio.yaml"), today=TODAY, lang="ko")
    assert answer_line(ko).startswith(f"추천: {rec.top.name} — ") and "신뢰도: " in answer_line(ko)


def test_answer_line_for_no_fit_and_for_the_only_fit() -> None:
    no_fit = recommend(load_requirements(EXAMPLES / "no-fit-graduated-in-place.yaml"), today=TODAY)
    assert no_fit.top is None and answer_line(no_fit).startswith("No fit: no tool meets every must")
    only = recommend(load_requirements(EXAMPLES / "ml-batch-team.yaml"), today=TODAY)
    assert not only.ranking[1].candidate
    assert answer_line(only).endswith("(the only tool that meets every must).")


def test_answer_line_at_the_cap_names_the_bonus_that_decides() -> None:
    # EKS offers Argo CD as a managed option: a context bonus the 100 cap cuts, which still decides.
    rec = recommend({"requirements": {"gitops_sync": "must"}, "context": {"platform": "aws-eks"}}, today=TODAY)
    first, second = rec.ranking[0], rec.ranking[1]
    assert first.score == second.score == 100 and first.standing[1] > second.standing[1]
    margin = first.standing[1] - second.standing[1]
    assert answer_line(rec).endswith(f"(tied with {second.name} at 100, ahead on {margin:.1f} bonus points beyond "
                                     "the cap; only 1 requirement(s) stated).")


def test_answer_line_gives_what_lowers_the_confidence_besides_the_lead() -> None:
    """A big lead with few requirements is low confidence: the answer line says why, where the
    reader sees the level, not only in the confidence section further down."""
    rec = recommend({"requirements": {"gitops_sync": "must", "web_ui": "high"}}, today=TODAY)
    assert rec.top and rec.confidence and rec.confidence.level == "low"
    assert answer_line(rec).endswith("-point lead over Flux; only 2 requirement(s) stated).")
    ko = recommend({"requirements": {"gitops_sync": "must", "web_ui": "high"}}, today=TODAY, lang="ko")
    assert answer_line(ko).endswith("; 요구사항 2개만 명시).")
    stale = recommend({"requirements": {"gitops_sync": "must", "web_ui": "high", "sso": "high"}},
                      today=TODAY + dt.timedelta(days=400))
    assert stale.confidence and stale.confidence.stale and "knowledge " in answer_line(stale)
    clear = recommend(load_requirements(EXAMPLES / "gitops-platform-team.yaml"), today=TODAY)
    assert clear.confidence and clear.confidence.causes == [] and ";" not in answer_line(clear)


def test_answer_line_says_a_tie_is_a_tie() -> None:
    # Two tools meeting exactly the same single requirement natively score alike.
    rec = recommend({"requirements": {"gitops_sync": "must", "helm": "high"}}, today=TODAY)
    first, second = rec.ranking[0], rec.ranking[1]
    assert first.standing == second.standing  # the premise: neither leads, not even beyond the cap
    assert answer_line(rec).startswith(f"Tie: {first.name} and {second.name} both score {first.score:.1f}")


@pytest.mark.parametrize(("name", "check"), [
    ("r.json", lambda text: json.loads(text)["schema_version"] == 1),
    ("r.md", lambda text: text.startswith("## ")),
    ("r.html", lambda text: text.startswith("<!doctype html>")),
    ("r.svg", lambda text: text.startswith("<svg")),
    ("r.txt", lambda text: text.startswith("Recommended: ")),
])
def test_output_format_follows_the_extension(tmp_path: Path, name: str, check: object) -> None:
    target = tmp_path / name
    assert main(["recommend", str(EXAMPLES / "canary-on-istio.yaml"), "-o", str(target), "--no-what-if"]) == 0
    assert check(target.read_text(encoding="utf-8"))  # type: ignore[operator]


def test_adr_is_chosen_with_format_and_may_go_to_md(tmp_path: Path) -> None:
    target = tmp_path / "decision.md"
    assert main(["recommend", str(EXAMPLES / "canary-on-istio.yaml"), "-o", str(target), "--format", "adr",
                 "--no-what-if"]) == 0
    assert target.read_text(encoding="utf-8").startswith("---\nstatus: proposed")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_extension_contradicting_format_is_exit_2(tmp_path: Path, lang: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "r.html"
    assert main(["recommend", str(EXAMPLES / "canary-on-istio.yaml"), "-o", str(target), "--format", "json",
                 "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert not target.exists()
    assert "r.html" in err and ".json" in err and "Traceback" not in err
    assert ("--format json was given" in err) if lang == "en" else ("확장자" in err and "해결" in err)


def test_terminal_report_uses_the_terminal_width(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from rich.cells import cell_len

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    for columns in ("80", "120"):
        monkeypatch.setenv("COLUMNS", columns)
        assert main(["recommend", str(EXAMPLES / "gitops-platform-team.yaml"), "--no-what-if"]) == 0
        lines = _ANSI.sub("", capsys.readouterr().out).splitlines()
        assert max(cell_len(line) for line in lines) == int(columns)  # the boxes span the terminal
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["recommend", str(EXAMPLES / "gitops-platform-team.yaml"), "--no-what-if", "--width", "100"]) == 0
    assert max(cell_len(line) for line in _ANSI.sub("", capsys.readouterr().out).splitlines()) == 100


def test_evidence_urls_are_never_wrapped(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / "ecommerce-in-place.yaml"
    rec = recommend(load_requirements(path), what_if=False)
    for full in (False, True):
        text = render(rec, "table", width=60, evidence=True, full=full)
        lines = text.splitlines()
        shown = rec.ranking if full else rec.ranking[:2]
        urls = {u for r in shown for found in [*(e.evidence for e in r.explanations),
                                                *(x.evidence for x in r.exclusions), *(c.evidence for c in r.covers)]
                for u in found}
        assert urls
        for url in urls:
            assert any(line.strip() == url for line in lines), url
    # In a terminal each URL is also a hyperlink (OSC 8).
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["recommend", str(path), "--no-what-if", "--evidence"]) == 0
    out = capsys.readouterr().out
    pick = rec.ranking[0].explanations[0].evidence[0]
    assert re.search(rf"\x1b\]8;id=\d+;{re.escape(pick)}\x1b\\", out)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_no_score_bar_is_cut_at_80_columns(lang: str) -> None:
    # At 80 columns the ranking is a column too wide with "unsuited (archived)": the verdict wraps,
    # the bar keeps its 20 cells (it was cut to "██…", even for 100.0).
    for example in sorted(EXAMPLES.glob("*.yaml")):
        out = render(recommend(load_requirements(example), lang=lang, what_if=False), "table", width=80)
        bars = [line for line in out.splitlines() if re.search(r"[█░]{5}", line)]
        assert len(bars) == 4, example.name
        assert all(len(re.search(r"[█░]+", line).group()) == 20 and "…" not in line for line in bars), example.name
