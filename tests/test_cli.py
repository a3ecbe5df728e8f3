"""The command line: exit codes, formats, kb commands, and that nothing is overwritten."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import EXAMPLES

from recommender.cli.main import main


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def cli(*args: str) -> Done:
    """The command run in this process, as `recommender ARGS` would run: its exit code and output.
    A process costs a second of start-up; the tests that need a real one use cli_process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return Done(code, out.getvalue(), err.getvalue())


def cli_process(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "recommender", *args], capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_runs_and_ranks_all_tools(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", str(example), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema_version"] == 1
    assert sorted(r["tool"] for r in data["ranking"]) == ["argo", "flux", "keptn", "openkruise"]
    for r in data["ranking"]:
        assert set(r) >= {"tool", "rank", "score", "verdict", "explanations", "risks"}
        for e in r["explanations"]:
            assert set(e) >= {"rule", "requirement", "points", "text", "evidence"}


def test_embed_example_runs() -> None:
    out = subprocess.run([sys.executable, str(EXAMPLES / "embed.py")], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert "1. " in out and "stack:" in out


def test_table_report_names_the_winner_and_stack() -> None:
    done = cli_process("recommend", str(EXAMPLES / "canary-on-istio.yaml"))
    assert done.returncode == 0, done.stderr
    assert "Ranking" in done.stdout and "Suggested stack" in done.stdout and "Argo Rollouts" in done.stdout
    assert "Traceback" not in done.stderr


def test_no_fit_exit_code_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(EXAMPLES / "no-fit-graduated-in-place.yaml")
    assert main(["recommend", path]) == 0
    assert main(["recommend", path, "--fail-on-no-fit"]) == 3
    assert "No fit" in capsys.readouterr().out


@pytest.mark.parametrize(("content", "expected"), [
    ("requirements:\n  canary: must\n  canary: high\n", "duplicate key 'canary'"),
    ("requirements:\n  canery: must\n", "did you mean 'canary'"),
    ("requirements:\n  canary: sometimes\n", "must', 'high', 'medium', 'nice' or 'avoid'"),
    ("requirements: [\n", "YAML syntax error"),
    ("", "the file is empty"),
    ("- canary\n", "not a mapping"),
    ("version: 2\nrequirements: {canary: must}\n", "unsupported version"),
    ("requirements: {canary: !!python/object:os.system x}\n", "is not allowed"),
    ("context: {traffic_router: istoi}\nrequirements: {canary: must}\n", "did you mean 'istio'"),
    ("context: {platforms: openshift}\nrequirements: {canary: must}\n", "did you mean 'platform'"),
    ("context: {mesh: istio}\nrequirements: {canary: must}\n", "the fields here are: traffic_router, "),
])
def test_bad_input_exits_2_with_file_and_place(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "reqs.yaml"
    path.write_text(content)
    done = cli("recommend", str(path))
    assert done.returncode == 2
    assert str(path) in done.stderr and expected in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_file_and_directory_exit_2(tmp_path: Path) -> None:
    for target in (tmp_path / "nope.yaml", tmp_path):
        done = cli_process("recommend", str(target))
        assert done.returncode == 2 and "Traceback" not in done.stderr


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "reqs.yaml"
    path.write_text("requirements:\n  canery: must\n  web_uii: high\n")
    done = cli("recommend", str(path))
    assert "canery" in done.stderr and "web_uii" in done.stderr and "line 2" in done.stderr


def test_output_file_is_never_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text("mine")
    example = str(EXAMPLES / "canary-on-istio.yaml")
    assert main(["recommend", example, "--format", "json", "-o", str(out)]) == 2
    assert out.read_text() == "mine"
    assert main(["recommend", example, "--format", "json", "-o", str(out), "--force"]) == 0
    assert json.loads(out.read_text())["ranking"]


def test_kb_lint_passes_on_the_bundled_knowledge() -> None:
    done = cli("kb", "lint")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "\n0 errors" in "\n" + done.stdout


def test_kb_lint_reports_a_missing_capability(knowledge_copy: Path) -> None:
    path = knowledge_copy / "flux.yaml"
    path.write_text(path.read_text().replace("\n  canary:\n", "\n  canary_x:\n", 1))
    done = cli("kb", "lint", "--knowledge", str(knowledge_copy))
    assert done.returncode == 2
    assert "capabilities.canary" in done.stdout and "canary_x" in done.stdout


def test_kb_lint_checks_levels_narrowed_per_requirement(knowledge_copy: Path) -> None:
    import yaml

    path = knowledge_copy / "flux.yaml"
    data = yaml.safe_load(path.read_text())
    routers = next(c for c in data["components"] if c["id"] == "flagger")["supports"]["traffic_router"]["values"]
    routers["istio"] = {"level": "supported", "per_requirement": {"ab_testingg": "partial", "canary": "supported"}}
    routers["aws-alb"] = {"level": "none", "per_requirement": {"canary": "none"}}
    routers["nginx"] = {"level": "supported", "stable_for": ["ab_testng"]}
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    done = cli("kb", "lint", "--knowledge", str(knowledge_copy))
    assert done.returncode == 2
    where = "components.flagger.supports.traffic_router"
    assert f"{where}.istio.per_requirement.ab_testingg" in done.stdout and "unknown requirement id" in done.stdout
    assert f"{where}.istio.per_requirement.canary" in done.stdout and "changes nothing" in done.stdout
    assert f"{where}.aws-alb.per_requirement.canary" in done.stdout and "changes nothing" in done.stdout
    assert f"{where}.nginx.stable_for" in done.stdout and "'ab_testng'" in done.stdout


def test_kb_lint_reports_old_releases_and_moved_doc_hosts(knowledge_copy: Path) -> None:
    import yaml

    path = knowledge_copy / "flux.yaml"
    data = yaml.safe_load(path.read_text())
    data["project"]["latest_release"]["date"] = "2026-01-02"
    data["capabilities"]["blue_green"]["evidence"].append("https://docs.flagger.app/usage/blue-green")
    data["capabilities"]["canary"]["evidence"].append("https://docs.flagger.app/main/usage/deployment-strategies")
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    done = cli("kb", "lint", "--knowledge", str(knowledge_copy))
    assert done.returncode == 0, done.stdout  # warnings: the facts still load
    text = " ".join(done.stdout.split())
    assert "stale release: flux: project latest_release" in text and "days older than the as-of date" in text
    assert "moved: flux: capability blue_green cites https://docs.flagger.app/usage/blue-green" in text
    assert "capability canary cites" not in text  # already under the new location
    # An archived project releases nothing more by design: its old release is no finding.
    assert "stale release: keptn" not in text


def test_a_gitlab_platform_points_to_already_using(tmp_path: Path) -> None:
    # GitLab hosts code and pipelines; clusters run elsewhere, so it left the platform vocabulary.
    path = tmp_path / "reqs.yaml"
    path.write_text("context:\n  platform: gitlab\nrequirements: {gitops_sync: must}\n")
    done = cli("recommend", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "unknown platform 'gitlab'" in done.stderr and "add `gitlab-ci` to `already_using`" in done.stderr
    korean = cli("recommend", str(path), "--lang", "ko")
    assert korean.returncode == 2 and "`already_using`에 `gitlab-ci`를 추가하세요" in korean.stderr


def test_kb_list_and_show() -> None:
    listing = subprocess.run([sys.executable, "-m", "recommender", "kb", "list"], capture_output=True, text=True,
                             timeout=120, env={**os.environ, "COLUMNS": "80"})
    assert listing.returncode == 0 and "archived" in listing.stdout and "graduated" in listing.stdout
    # At 80 columns every fact stays whole: no word broken across lines, nothing cut off.
    for fact in ("OpenKruise", "incubating", "keptn-v2.5.0", "2025-03-19", "Apache-2.0", "ControlPlane,"):
        assert fact in listing.stdout
    assert "…" not in listing.stdout and max(len(line) for line in listing.stdout.splitlines()) <= 80
    show = cli("kb", "show", "flux")
    assert show.returncode == 0 and "gitops_sync" in show.stdout and "https://" in show.stdout
    assert cli("kb", "show", "spinnaker").returncode == 2


def test_unknown_rule_reference_is_reported(tmp_path: Path) -> None:
    import shutil

    from recommender.resources import bundled_dir

    rules = tmp_path / "rules"
    shutil.copytree(bundled_dir("rules"), rules)
    (rules / "extra.yaml").write_text(
        "rules:\n  - id: extra.bad\n    description: names an unknown capability\n"
        "    when:\n      - r: {kind: req, req: canaryy}\n    then:\n"
        "      - note: {tool: argo, text: {en: hi}}\n")
    done = cli("kb", "lint", "--rules", str(rules))
    assert done.returncode == 2 and "canaryy" in done.stdout


def test_kb_lint_reports_a_missing_translation(knowledge_copy: Path, tmp_path: Path) -> None:
    import shutil

    from recommender.resources import bundled_dir

    rules = tmp_path / "rules"
    shutil.copytree(bundled_dir("rules"), rules)
    scoring = rules / "scoring.yaml"
    text = scoring.read_text()
    ko_line = next(line for line in text.splitlines() if line.strip().startswith("ko:"))
    scoring.write_text(text.replace(ko_line + "\n", "", 1))
    done = cli("kb", "lint", "--rules", str(rules))
    assert done.returncode == 2 and "missing ko translation: rule score.meets" in done.stdout
    import yaml

    path = knowledge_copy / "keptn.yaml"
    data = yaml.safe_load(path.read_text())
    data["capabilities"]["canary"]["note"] = {"en": "English only"}
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    done = cli("kb", "lint", "--knowledge", str(knowledge_copy))
    assert done.returncode == 2 and "missing ko translation: keptn: capabilities.canary.note" in done.stdout


def test_a_misspelt_field_deep_in_a_knowledge_file_gets_a_suggestion(knowledge_copy: Path) -> None:
    import yaml

    path = knowledge_copy / "keptn.yaml"
    data = yaml.safe_load(path.read_text())
    data["capabilities"]["canary"]["evidnce"] = data["capabilities"]["canary"].pop("evidence")
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    done = cli("kb", "lint", "--knowledge", str(knowledge_copy))
    assert done.returncode == 2 and "capabilities.canary.evidnce" in done.stdout + done.stderr
    assert "did you mean 'evidence'" in done.stdout + done.stderr


def test_a_suggested_field_name_is_the_one_to_write_in_the_file(knowledge_copy: Path) -> None:
    import yaml

    path = knowledge_copy / "flux.yaml"
    data = yaml.safe_load(path.read_text())
    data["integrations"][0]["wiht"] = data["integrations"][0].pop("with")
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    done = cli("kb", "lint", "--knowledge", str(knowledge_copy))
    assert done.returncode == 2 and "did you mean 'with'?" in done.stdout + done.stderr  # not the Python name with_


def test_problems_are_reported_in_korean_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "reqs.yaml"
    path.write_text("requirements:\n  canery: must\n  canary: sometimes\n  canary: high\n")
    done = subprocess.run([sys.executable, "-m", "recommender", "recommend", str(path), "--lang", "ko"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "문제 3건" in done.stderr  # unknown id, bad importance, duplicate key
    assert done.stderr.index("2행") < done.stderr.index("4행")
    assert "알 수 없는 요구사항 id 'canery'" in done.stderr and "혹시 'canary'인가요?" in done.stderr
    assert "중복된 키 'canary'" in done.stderr
    english = subprocess.run([sys.executable, "-m", "recommender", "recommend", str(path)], capture_output=True,
                             text=True, timeout=120, env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": ""})
    assert "unknown requirement id 'canery'" in english.stderr


def test_a_context_field_typo_is_answered_in_korean_too(tmp_path: Path) -> None:
    path = tmp_path / "reqs.yaml"
    path.write_text("context:\n  platforms: openshift\n  mesh: istio\nrequirements: {canary: must}\n")
    done = cli("recommend", str(path), "--lang", "ko")
    assert done.returncode == 2
    assert "혹시 'platform'인가요?" in done.stderr
    assert "지우세요. 여기에 쓸 수 있는 필드: traffic_router" in done.stderr


def test_cli_offers_exactly_the_formats_the_renderers_have() -> None:
    from recommender import render
    from recommender.cli import parser as cli

    assert cli.FORMATS == render.FORMATS


def test_korean_is_picked_up_from_the_locale() -> None:
    example = str(EXAMPLES / "canary-on-istio.yaml")
    env = {**os.environ, "LC_ALL": "", "LC_MESSAGES": "", "LANG": "ko_KR.UTF-8"}
    done = subprocess.run([sys.executable, "-m", "recommender", "recommend", example, "--no-what-if"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0 and "순위" in done.stdout and "권장 스택" in done.stdout
    english = subprocess.run([sys.executable, "-m", "recommender", "recommend", example, "--no-what-if",
                              "--lang", "en"], capture_output=True, text=True, timeout=120, env=env)
    assert "Ranking" in english.stdout and "순위" not in english.stdout


def test_a_file_that_wants_nothing_is_refused(tmp_path: Path) -> None:
    for content in ("requirements: {}\n", "requirements: {web_ui: avoid}\n"):
        path = tmp_path / "reqs.yaml"
        path.write_text(content)
        done = cli("recommend", str(path))
        assert done.returncode == 2 and "no requirement is stated" in done.stderr


def test_several_inputs_to_one_json_file_or_to_a_directory(tmp_path: Path) -> None:
    files = [str(EXAMPLES / "canary-on-istio.yaml"), str(EXAMPLES / "ml-batch-team.yaml")]
    combined = tmp_path / "all.json"
    assert main(["recommend", *files, "--format", "json", "-o", str(combined), "--no-what-if"]) == 0
    data = json.loads(combined.read_text())
    assert [s["top"] for s in data["summary"]] == ["argo", "argo"]
    assert all(isinstance(s["score"], float) for s in data["summary"])
    # A file name where a directory is needed is refused, not turned into a directory.
    assert main(["recommend", *files, "--format", "markdown", "-o", str(tmp_path / "x.md")]) == 2
    assert not (tmp_path / "x.md").exists()


def test_reports_are_written_with_ordinary_permissions(tmp_path: Path) -> None:
    out = tmp_path / "decision.md"
    previous = os.umask(0o022)
    try:
        assert main(["recommend", str(EXAMPLES / "canary-on-istio.yaml"), "--format", "adr", "-o", str(out),
                     "--no-what-if"]) == 0
    finally:
        os.umask(previous)
    assert out.stat().st_mode & 0o777 == 0o644


def test_library_refuses_an_unknown_language_and_reports_bad_values_as_input_errors() -> None:
    from recommender import InputError, Requirements, recommend

    with pytest.raises(InputError, match="unsupported language"):
        recommend(Requirements(requirements={"canary": "must"}), lang="fr")  # type: ignore[dict-item]
    with pytest.raises(InputError, match=r"requirements\.canary"):
        recommend({"requirements": {"canary": "sometimes"}})


@pytest.mark.parametrize("how", [["--lang", "ko"], ["--lang=ko"], []])
def test_help_speaks_korean_when_asked(how: list[str], capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8" if how else "ko_KR.UTF-8")
    monkeypatch.setenv("COLUMNS", "82")  # argparse's width is COLUMNS - 2
    with pytest.raises(SystemExit) as done:
        main(["recommend", *how, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("사용법: recommender recommend")
    assert "옵션:" in out and "출력 형식 (기본값: -o" in out and "이 도움말을 보여 주고 끝냅니다" in out
    assert "options:" not in out and "show this help" not in out
    # Hangul is two columns wide: argparse's own wrapping would run these lines past 80 columns.
    assert max(sum(2 if "\uac00" <= c <= "\ud7a3" else 1 for c in line) for line in out.splitlines()) <= 80


def test_help_is_english_by_default_and_every_text_has_a_korean_one(capsys: pytest.CaptureFixture[str],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(SystemExit):
        main(["kb", "show", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: recommender kb show") and "tool id, e.g. flux" in out
    texts = yaml.safe_load((Path(__import__("recommender").__file__).parent / "help.yaml").read_text("utf-8"))
    assert [key for key, t in texts.items() if not (t.get("en") and t.get("ko"))] == []


# One real command line per argparse error the CLI translates, with what argparse says in English.
ARGPARSE_ERRORS = [
    (["recommend"], "error_required", "the following arguments are required: files"),
    (["recommend", "x.yaml", "--bogus"], "error_unrecognized", "unrecognized arguments: --bogus"),
    (["recommend", "x.yaml", "--for", "json"], "error_ambiguous",
     "ambiguous option: --for could match --format, --force"),
    (["recommend", "x.yaml", "--format", "pdf"], "error_choice",
     "argument --format: invalid choice: 'pdf' (choose from "),
    (["recommend", "x.yaml", "-o"], "error_expected_one", "argument -o/--output: expected one argument"),
    (["recommend", "x.yaml", "-j", "a"], "error_not_whole", "argument -j/--jobs: 'a' is not a whole number"),
    (["recommend", "x.yaml", "-j", "0"], "error_below_one", "argument -j/--jobs: 0 is less than 1"),
    (["recommend", "x.yaml", "--width", "wide"], "error_invalid_value", "argument --width: invalid int value: 'wide'"),
]


@pytest.mark.parametrize(("argv", "key", "english"), ARGPARSE_ERRORS, ids=[c[1] for c in ARGPARSE_ERRORS])
def test_argparse_errors_speak_the_users_language(argv: list[str], key: str, english: str,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from recommender.cli.parser import _ARGPARSE_ERRORS
    from recommender.strings import help_texts

    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith(f"recommender: error: {english}")  # English: argparse's own words
    message = last.removeprefix("recommender: error: ")
    # The message is the one this pattern is for (a Python that rewords argparse fails here).
    matched = [k for pattern, k in _ARGPARSE_ERRORS if pattern.fullmatch(message)]
    assert matched[:1] == [key]
    with pytest.raises(SystemExit) as done:
        main(["--lang", "ko", *argv])
    assert done.value.code == 2
    korean = capsys.readouterr().err.splitlines()[-1]
    assert korean.startswith("recommender: 오류: ")
    template = help_texts("ko")[key]
    assert template.split("{", 1)[0] in korean and english not in korean


def test_top_level_lang_reaches_the_subcommand_unless_it_sets_its_own(capsys: pytest.CaptureFixture[str],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    path = str(EXAMPLES / "canary-on-istio.yaml")
    assert main(["--lang", "ko", "recommend", path, "--format", "json", "--no-what-if"]) == 0
    assert json.loads(capsys.readouterr().out)["lang"] == "ko"
    assert main(["--lang", "ko", "recommend", path, "--format", "json", "--no-what-if", "--lang", "en"]) == 0
    assert json.loads(capsys.readouterr().out)["lang"] == "en"
    assert main(["--lang", "ko", "recommend", str(EXAMPLES / "missing.yaml")]) == 2
    assert "문제" in capsys.readouterr().err  # input problems in Korean too
    with pytest.raises(SystemExit):
        main(["--lang", "ko", "--help"])
    assert capsys.readouterr().out.startswith("사용법: recommender")


def test_an_output_extension_that_names_no_format_is_refused(tmp_path: Path) -> None:
    # Without --format, -o's extension picks the format; report.pdf would have held a text table.
    target = tmp_path / "report.pdf"
    example = str(EXAMPLES / "canary-on-istio.yaml")
    done = cli("recommend", example, "-o", str(target))
    assert done.returncode == 2 and not target.exists()
    assert "the extension .pdf names no report format" in done.stderr and "give --format" in done.stderr
    assert cli("recommend", example, "-o", str(target), "--format", "json").returncode == 0
    assert json.loads(target.read_text())["ranking"]
