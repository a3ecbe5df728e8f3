"""The tools a team already runs around the recommender: `check` (hooks, editors, CI), the
pre-commit hook, shell completion, and `--compare` in a scheduled CI job. Each is exercised
through its real consumer: bash, fish, zsh, pre-commit, and the commands the CI files run."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, ROOT

from recommender.cli.main import main

BAD = ROOT / "tests" / "data" / "bad"
BIN = Path(sys.executable).parent
GOOD = EXAMPLES / "canary-on-istio.yaml"


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "LANG": "C.UTF-8", **extra}


# --- check -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(BAD.glob("*")), ids=lambda p: p.name)
def test_check_reports_exactly_what_recommend_reports(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    recommend_code = main(["recommend", str(path), "--no-what-if"])
    recommend_err = capsys.readouterr().err
    check_code = main(["check", str(path)])
    captured = capsys.readouterr()
    assert (check_code, captured.err) == (recommend_code, recommend_err) and check_code == 2
    assert captured.out == ""


def test_check_passes_good_files_and_directories(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(GOOD), str(EXAMPLES)]) == 0
    count = 1 + len(list(EXAMPLES.glob("*.yaml")))
    assert capsys.readouterr().out == f"{count} requirements file(s) checked: no problems.\n"
    assert main(["check", "-q", str(EXAMPLES)]) == 0
    assert capsys.readouterr().out == ""


def test_check_reports_every_bad_file_among_good_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text("requirements:\n  canery: must\n")
    second.write_text("requirements:\n  canary: sometimes\n")
    assert main(["check", str(first), str(GOOD), str(second), "--lang", "ko"]) == 2
    err = capsys.readouterr().err
    assert f"{first}: 2행" in err and "혹시 'canary'" in err and str(second) in err and str(GOOD) not in err


def test_check_never_loads_the_rules_or_the_rule_engine(tmp_path: Path) -> None:
    # A fresh interpreter, so nothing another test imported counts; rules that cannot load would
    # fail any command that reads them.
    broken_rules = tmp_path / "rules"
    broken_rules.mkdir()
    (broken_rules / "x.yaml").write_text("not: [valid\n")
    code = ("import sys\nfrom recommender import api\nfrom recommender.cli.main import main\n"
            "def refuse(*a, **k):\n    raise AssertionError('rules loaded')\n"
            "api.get_rules = refuse\napi.load_rules = refuse\n"
            f"rc = main(['check', '-q', {str(EXAMPLES)!r}])\n"
            "print(rc, sorted(m for m in sys.modules if m.startswith('durable')))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["0", "[]"], done.stderr


# --- pre-commit ----------------------------------------------------------------------------------

def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "recommender-check")
    assert hook["language"] == "python" and hook["entry"].split()[:2] == ["recommender", "check"]
    pattern = re.compile(hook["files"])
    for name in ("cd-requirements.yaml", "platform/cd-requirements.yml", "team.cd-requirements.yaml",
                 "cd-requirements/payments.yaml"):
        assert pattern.search(name), name
    for name in ("requirements.yaml", "charts/app/requirements.yaml", "values.yaml", "cd-requirements.json"):
        assert not pattern.search(name), name


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args], cwd=cwd,
                   check=True, capture_output=True, timeout=120)


@pytest.mark.slow
def test_pre_commit_hook_fails_the_bad_file_only(tmp_path: Path) -> None:
    """pre-commit builds the hook's environment from a committed copy of this repository, named in
    a .pre-commit-config.yaml as the README shows (its dependencies come from the package registry),
    and runs it on a project's files. The second run reuses that environment, as a user's does."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to test the pre-commit hook")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.split("\0")
    hook_repo = tmp_path / "hook-repo"
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (hook_repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, hook_repo / name)
    _git(hook_repo, "init", "-q")
    _git(hook_repo, "add", "-A")
    _git(hook_repo, "commit", "-q", "-m", "snapshot for pre-commit")
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, check=True, capture_output=True,
                         text=True).stdout.strip()

    project = tmp_path / "project"
    (project / "cd-requirements").mkdir(parents=True)
    shutil.copy(GOOD, project / "cd-requirements" / "good.yaml")
    (project / "cd-requirements" / "bad.yaml").write_text("requirements:\n  canery: must\n")
    (project / "values.yaml").write_text("requirements:\n  not_ours: must\n")  # not a requirements file
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo.as_uri()}\n    rev: {rev}\n    hooks:\n      - id: recommender-check\n")
    _git(project, "init", "-q")
    _git(project, "add", "-A")

    env = _env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))

    def run_hook(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(BIN / "pre-commit"), "run", "--files", *files], cwd=project, env=env,
                              capture_output=True, text=True, timeout=900)

    failed = run_hook("cd-requirements/good.yaml", "cd-requirements/bad.yaml", "values.yaml")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout and "exit code: 2" in failed.stdout
    assert "cd-requirements/bad.yaml: line 2, requirements.canery: unknown requirement id 'canery'" in failed.stdout
    assert "did you mean 'canary'?" in failed.stdout
    assert "good.yaml" not in failed.stdout.split("exit code: 2", 1)[1] and "not_ours" not in failed.stdout

    passed = run_hook("cd-requirements/good.yaml", "values.yaml")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


# --- completion ----------------------------------------------------------------------------------

def _bash_complete(tmp_path: Path, *words: str) -> list[str]:
    script = (f"source <({shlex.quote(str(BIN / 'recommender'))} completion bash) || exit 9\n"
              f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})\n"
              "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\nCOMP_LINE=\"${COMP_WORDS[*]}\"\n"
              "COMP_POINT=${#COMP_LINE}\nCOMPREPLY=()\n_shtab_recommender\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=_env(), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line]


def test_bash_completion_in_a_real_bash(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_text("requirements: {canary: must}\n")
    (tmp_path / "knowledge-copy").mkdir()
    assert {"recommend", "check", "explain", "schema", "completion", "wizard", "kb"} <= set(
        _bash_complete(tmp_path, "recommender", ""))
    assert _bash_complete(tmp_path, "recommender", "ch") == ["check"]
    assert set(_bash_complete(tmp_path, "recommender", "recommend", "--fo")) == {"--format", "--force"}
    assert "--compare" in _bash_complete(tmp_path, "recommender", "recommend", "--c")
    assert _bash_complete(tmp_path, "recommender", "recommend", "x.yaml", "--format", "") == [
        "table", "json", "markdown", "adr", "html", "svg"]
    assert _bash_complete(tmp_path, "recommender", "check", "x.yaml", "--lang", "") == ["en", "ko"]
    assert _bash_complete(tmp_path, "recommender", "explain", "x.yaml", "--tool", "") == [
        "argo", "flux", "keptn", "openkruise"]
    assert _bash_complete(tmp_path, "recommender", "kb", "show", "fl") == ["flux"]
    assert _bash_complete(tmp_path, "recommender", "recommend", "te") == ["team.yaml"]
    assert _bash_complete(tmp_path, "recommender", "recommend", "--knowledge", "kn") == ["knowledge-copy"]
    assert _bash_complete(tmp_path, "recommender", "completion", "") == ["bash", "zsh", "fish"]


def test_the_tool_option_still_accepts_tools_from_custom_knowledge(capsys: pytest.CaptureFixture[str]) -> None:
    # Completion lists the bundled tools; parsing must not turn that list into a restriction.
    from recommender.cli.main import build_parser

    assert main(["completion", "bash"]) == 0
    capsys.readouterr()
    args = build_parser().parse_args(["explain", "x.yaml", "--tool", "Spinnaker"])
    assert args.tool == "spinnaker"


def test_fish_completion_in_a_real_fish(tmp_path: Path) -> None:
    if shutil.which("fish") is None:
        pytest.skip("fish is not installed (.ci/run installs it)")
    (tmp_path / "team.yaml").write_text("requirements: {canary: must}\n")

    def complete(line: str) -> list[str]:
        done = subprocess.run(["fish", "--no-config", "-c", f"recommender completion fish | source; "
                               f"complete -C {shlex.quote(line)}"], cwd=tmp_path, env=_env(),
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return [row.split("\t")[0] for row in done.stdout.splitlines()]

    assert {"recommend", "check", "completion", "kb"} <= set(complete("recommender "))
    assert complete("recommender recommend x.yaml --format ") == ["table", "json", "markdown", "adr", "html", "svg"]
    assert complete("recommender explain x.yaml --tool ") == ["argo", "flux", "keptn", "openkruise"]
    assert complete("recommender check --lang ") == ["en", "ko"]
    assert "team.yaml" in complete("recommender recommend te")


def test_zsh_completion_loads_in_a_real_zsh(tmp_path: Path) -> None:
    if shutil.which("zsh") is None:
        pytest.skip("zsh is not installed (.ci/run installs it)")
    script = tmp_path / "_recommender"
    script.write_text(subprocess.run([str(BIN / "recommender"), "completion", "zsh"], capture_output=True,
                                     text=True, check=True, timeout=60).stdout)
    done = subprocess.run(["zsh", "-f", "-c", f"fpath=({tmp_path} $fpath); autoload -U compinit; "
                           "compinit -u -D; print -r -- $_comps[recommender]"],
                          env=_env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "_recommender", done.stdout + done.stderr
    text = script.read_text()
    assert "markdown" in text and "openkruise" in text and "_files" in text


# --- compare -------------------------------------------------------------------------------------

def _save(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    saved = tmp_path / "saved.json"
    assert main(["recommend", str(path), "--format", "json", "-o", str(saved)]) == 0
    capsys.readouterr()
    return saved


def test_compare_unchanged_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = _save(GOOD, tmp_path, capsys)
    assert main(["recommend", str(GOOD), "--compare", str(saved)]) == 0
    out = capsys.readouterr().out
    assert out == (f"Unchanged since {saved}: pick Argo, stack Argo CD + Argo Rollouts, the verdicts of all 4 "
                   "tools as saved.\n")


def test_compare_names_the_changed_decision_and_knowledge_facts(tmp_path: Path, knowledge_copy: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    saved = _save(GOOD, tmp_path, capsys)
    argo = knowledge_copy / "argo.yaml"
    argo.write_text(argo.read_text().replace("  status: active\n  license:", "  status: archived\n  license:", 1))
    flux = knowledge_copy / "flux.yaml"
    flux.write_text(flux.read_text().replace("\n  canary:\n    level: companion\n",
                                             "\n  canary:\n    level: plugin\n", 1))
    manifest = knowledge_copy / "manifest.yaml"
    revision = yaml.safe_load(manifest.read_text())["revision"]
    manifest.write_text(manifest.read_text().replace(revision, "2099.01.01-1"))

    assert main(["recommend", str(GOOD), "--compare", str(saved), "--knowledge", str(knowledge_copy)]) == 4
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Changed since {saved}:"
    assert "- pick: Argo → Flux" in out
    assert "- verdict of Argo: recommended → unsuited" in out
    assert any(line.startswith("- stack: Argo CD + Argo Rollouts → ") and "Flagger" in line for line in out)
    facts = out[out.index("Knowledge facts that changed:") + 1:]
    assert f"- knowledge revision: {revision} → 2099.01.01-1" in facts
    assert "- Argo is now archived" in facts
    assert "- Flux, Canary releases: companion (flagger) → plugin (flagger)" in facts

    assert main(["recommend", str(GOOD), "--compare", str(saved), "--knowledge", str(knowledge_copy),
                 "--lang", "ko"]) == 4
    assert "- Argo: 이제 archived 상태" in capsys.readouterr().out


def test_compare_only_facts_changed_exits_0_and_says_so(tmp_path: Path, knowledge_copy: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    saved = _save(GOOD, tmp_path, capsys)
    manifest = knowledge_copy / "manifest.yaml"
    revision = yaml.safe_load(manifest.read_text())["revision"]
    manifest.write_text(manifest.read_text().replace(revision, "2099.01.01-1"))
    assert main(["recommend", str(GOOD), "--compare", str(saved), "--knowledge", str(knowledge_copy)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Unchanged since") and f"knowledge revision: {revision} → 2099.01.01-1" in out


def test_compare_says_when_the_requirements_file_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = _save(GOOD, tmp_path, capsys)
    edited = tmp_path / "edited.yaml"
    edited.write_text("requirements:\n  gitops_sync: must\n  image_update_automation: must\n")
    assert main(["recommend", str(edited), "--compare", str(saved)]) == 4
    out = capsys.readouterr().out
    assert out.endswith("The requirements file no longer says what the saved report's input says: part of the "
                        "change comes from the file, not the knowledge.\n")
    assert "Knowledge facts that changed:" not in out


def test_compare_names_a_partial_fit_as_the_pick(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Argo Rollouts rolls out Deployments, not StatefulSets: a canary must is met in part, and the
    # pick is Argo as a partial fit, in the saved report and now.
    partial = tmp_path / "partial.yaml"
    partial.write_text("context:\n  workload_kinds: [deployment, statefulset]\n  traffic_router: istio\n"
                       "requirements:\n  gitops_sync: must\n  canary: must\n  web_ui: high\n  sso: high\n")
    saved = _save(partial, tmp_path, capsys)
    assert json.loads(saved.read_text())["ranking"][0]["verdict"] == "partial"
    assert main(["recommend", str(partial), "--compare", str(saved)]) == 0
    assert capsys.readouterr().out.startswith(f"Unchanged since {saved}: pick Argo, ")


@pytest.mark.parametrize(("content", "expected"), [
    ("{not json", "line 1, column 2: not valid JSON"),
    ('{"schema_version": 7}', "schema_version: not a recommender JSON report"),
    ('{"schema_version": 1, "ranking": [{"tool": "argo"}], "stack": []}', "ranking: missing or malformed"),
    ('[1, 2]', "not a recommender JSON report"),
])
def test_compare_bad_saved_report_exits_2(tmp_path: Path, content: str, expected: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "saved.json"
    saved.write_text(content)
    assert main(["recommend", str(GOOD), "--compare", str(saved)]) == 2
    err = capsys.readouterr().err
    assert f"{saved}: " in err and expected in err and "fix:" in err


def test_compare_takes_one_requirements_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = _save(GOOD, tmp_path, capsys)
    assert main(["recommend", str(GOOD), str(GOOD), "--compare", str(saved)]) == 2
    assert "needs one requirements file, got 2" in capsys.readouterr().err
    assert main(["recommend", str(GOOD), "--compare", str(tmp_path / "missing.json")]) == 2
    assert "missing.json: file not found" in capsys.readouterr().err


def test_compare_reads_the_matching_report_of_a_batch_document(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "all.json"
    other = EXAMPLES / "ml-batch-team.yaml"
    assert main(["recommend", str(GOOD), str(other), "--format", "json", "-o", str(saved)]) == 0
    capsys.readouterr()
    assert main(["recommend", str(other), "--compare", str(saved)]) == 0
    assert capsys.readouterr().out.startswith("Unchanged since")


# --- the CI examples -----------------------------------------------------------------------------

def _ci_commands() -> dict[str, list[str]]:
    github = yaml.safe_load((EXAMPLES / "ci" / "github-actions.yml").read_text())
    gitlab = yaml.safe_load((EXAMPLES / "ci" / "gitlab-ci.yml").read_text())
    triggers = github.get("on", github.get(True))  # YAML 1.1 reads a bare `on` as true
    assert len(triggers["schedule"][0]["cron"].split()) == 5 and triggers["schedule"][0]["cron"].split()[4] != "*"
    steps = github["jobs"]["recheck"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    job = gitlab["recheck-cd-decision"]
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in job["rules"]
    return {"github": [s["run"] for s in steps if "run" in s], "gitlab": list(job["script"])}


def test_ci_examples_run_the_compare_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each CI file's recommender command, run as its shell would in a repository laid out as the
    files' comments say: exit 0 while the saved decision holds, 4 once it no longer does."""
    shutil.copy(GOOD, tmp_path / "cd-requirements.yaml")
    assert main(["recommend", str(tmp_path / "cd-requirements.yaml"), "--format", "json", "-o",
                 str(tmp_path / "cd-requirements.json")]) == 0
    capsys.readouterr()
    saved = json.loads((tmp_path / "cd-requirements.json").read_text())
    changed = json.loads(json.dumps(saved))
    changed["ranking"][0]["verdict"] = "viable"
    for system, commands in _ci_commands().items():
        ours = [c for c in commands if c.startswith("recommender ")]
        assert ours == ["recommender recommend cd-requirements.yaml --compare cd-requirements.json"], system
        (tmp_path / "cd-requirements.json").write_text(json.dumps(saved))
        held = subprocess.run(["bash", "-c", ours[0]], cwd=tmp_path, env=_env(), capture_output=True, text=True,
                              timeout=120)
        assert held.returncode == 0, (system, held.stdout, held.stderr)
        (tmp_path / "cd-requirements.json").write_text(json.dumps(changed))
        moved = subprocess.run(["bash", "-c", ours[0]], cwd=tmp_path, env=_env(), capture_output=True, text=True,
                               timeout=120)
        assert moved.returncode == 4 and "verdict of Argo: viable → recommended" in moved.stdout, system
