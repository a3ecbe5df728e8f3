"""`recommender kb requirements`: the vocabulary a requirements file may use, in both languages."""

from __future__ import annotations

import pytest

from recommender.api import get_knowledge
from recommender.cli.main import main
from recommender.strings import pick


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_kb_requirements_lists_every_id_by_group_and_every_context_value(
        lang: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # one line per entry, so the checks can read lines
    assert main(["kb", "requirements", "--lang", lang]) == 0
    out = capsys.readouterr().out
    lines = [line.rstrip() for line in out.splitlines()]
    catalogue = get_knowledge().catalogue
    # Groups in catalogue order, each followed by its own ids.
    positions = [lines.index(pick(g.title, lang)) for g in catalogue.groups]
    assert positions == sorted(positions)
    for req in catalogue.requirements:
        line = next(line for line in lines if line.split(" ", 1)[0] == req.id)
        assert f"{pick(req.title, lang)}: {pick(req.definition, lang)}" in line
        group_at = positions[[g.id for g in catalogue.groups].index(req.group)]
        assert lines.index(line) > group_at
        later = [p for p in positions if p > group_at]
        assert not later or lines.index(line) < later[0]
    for key, spec in catalogue.contexts.items():
        line = next(line for line in lines if line.split(" ", 1)[0] == key)
        assert pick(spec.title, lang) in line
        assert all(value in line for value in spec.values)
    assert ("under `context:`" in out) if lang == "en" else ("`context:` 아래에" in out)


def test_kb_show_header_speaks_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "show", "argo", "--lang", "ko"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("Argo — CNCF 졸업(graduated), 상태: ") and "라이선스: Apache-2.0" in first
    assert main(["kb", "show", "argo", "--lang", "en"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Argo — CNCF graduated, active, Apache-2.0"
