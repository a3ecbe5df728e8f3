"""The library as a caller meets it: the README's example type-checks strictly and runs, the types
it needs are exported, and results print as sentences."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import recommender
from recommender import load_requirements, recommend
from recommender.render import render

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## As a library", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found
    return found.group(1)


def test_readme_library_example_passes_mypy_strict_and_runs(tmp_path: Path) -> None:
    example = tmp_path / "readme_example.py"
    example.write_text(_readme_example(), encoding="utf-8")
    # A caller's own strict project; the library's modules are checked as an installed package's
    # are: their own errors are not the caller's (the repository's mypy run checks them).
    (tmp_path / "none.ini").write_text("[mypy]\n[mypy-recommender.*]\nignore_errors = True\n", encoding="utf-8")
    checked = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file",
                              str(tmp_path / "none.ini"), str(example)],
                             capture_output=True, text=True, timeout=300, cwd=tmp_path, check=False,
                             # As an installed package (py.typed) is seen: an editable install's import hook is not.
                             env={**os.environ, "MYPYPATH": str(ROOT)})
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ran = subprocess.run([sys.executable, str(example)], capture_output=True, text=True, timeout=120, check=False)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines()[0].startswith(("Recommended: ", "Tie: "))


def test_readme_interview_example_runs_and_asks_few_questions(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("The interview behind the wizard is a library feature too", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found
    scope: dict[str, object] = {}
    exec(compile(found.group(1), "README interview example", "exec"), scope)
    rec, iv = scope["rec"], scope["iv"]
    assert isinstance(rec, recommender.Recommendation) and isinstance(iv, recommender.Interview)
    # the first question picked both; each counts at medium unless its importance was asked
    assert set(rec.requirements.requirements) == {"gitops_sync", "web_ui"}
    assert iv.asked <= 8 and capsys.readouterr().out.startswith("Which of these matter")


def test_every_public_model_is_exported() -> None:
    from pydantic import BaseModel

    from recommender import models

    public = {name for name, value in vars(models).items()
              if isinstance(value, type) and issubclass(value, BaseModel) and not name.startswith("_")
              and value.__module__ == models.__name__}
    assert public <= set(recommender.__all__)
    assert {"Importance", "Verdict"} <= set(recommender.__all__)
    for name in ("Recommendation", "ToolResult"):
        assert (getattr(recommender, name).__doc__ or "").strip()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_results_print_as_sentences(lang: str) -> None:
    rec = recommend(load_requirements(EXAMPLES / "canary-on-istio.yaml"), lang=lang)
    assert rec.confidence and rec.sensitivity and rec.decisive and rec.top
    for shown in (str(rec), str(rec.confidence), str(rec.sensitivity), str(rec.decisive), str(rec.top),
                  str(rec.stack[0]), str(rec.top.explanations[0])):
        assert "=" not in shown.split(":", 1)[0] and "(" not in shown[:1], shown  # not a repr
        assert shown.rstrip().endswith((".", ")")) or lang == "ko", shown
    assert str(rec.confidence).startswith("Confidence: medium." if lang == "en" else "신뢰도: 중간.")
    assert str(rec.top) == f"1. {rec.top.name}: {rec.top.score:.1f} ({rec.top.verdict})"
    assert str(rec.decisive) == rec.order_reason


def test_render_takes_format_and_lang() -> None:
    rec = recommend(load_requirements(EXAMPLES / "canary-on-istio.yaml"), what_if=False)
    assert render(rec, format="json").startswith("{")
    korean = render(rec, format="markdown", lang="ko")
    assert korean.startswith("## CD 도구 추천") and "추천:" in korean
    assert render(rec, format="markdown") == render(rec, "markdown", lang="en")
