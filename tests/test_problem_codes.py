"""Problems carry codes: each is written in every language from recommender/problems.yaml, filled
with the values it carries, never by matching its English text."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
from conftest import ROOT

from recommender.errors import Problem
from recommender.problem_catalogue import catalogue


def _placeholders(template: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(template) if name}


def _constructions() -> list[tuple[str, int, str, str, set[str] | None]]:
    """Every Problem.of(...) in the package: file, line, code, fix code, keyword names (None when
    it passes **values, checked at run time instead)."""
    found = []
    for path in sorted((ROOT / "recommender").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "of"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "Problem"):
                continue
            code = node.args[2]
            if not isinstance(code, ast.Constant):
                continue  # a code chosen at run time (a table of codes), checked below
            names = {k.arg for k in node.keywords if k.arg is not None}
            fix = next((k.value for k in node.keywords if k.arg == "fix"), None)
            fix_code = fix.value if isinstance(fix, ast.Constant) else ""
            spread = any(k.arg is None for k in node.keywords)
            found.append((str(path.relative_to(ROOT)), node.lineno, str(code.value), str(fix_code),
                          None if spread else names - {"fix"}))
    return found


def test_every_code_has_english_and_korean_and_every_construction_fills_its_placeholders() -> None:
    messages, fixes = catalogue()["messages"], catalogue()["fixes"]
    for entry in messages.values():
        assert entry.get("en") is not None and entry.get("ko"), entry
        assert ("fix_ko" in entry) == bool(entry.get("fix")) or entry.get("fix") == "", entry
    for entry in fixes.values():
        assert entry.get("en") and entry.get("ko"), entry
    used = _constructions()
    assert len(used) >= 40
    for file, line, code, fix_code, names in used:
        assert code in messages, f"{file}:{line}: unknown code {code!r}"
        assert not fix_code or fix_code in fixes, f"{file}:{line}: unknown fix {fix_code!r}"
        if names is None:
            continue
        entry = messages[code]
        needed = _placeholders(entry["en"]) | _placeholders(entry["ko"])
        if fix_code:
            needed |= _placeholders(fixes[fix_code]["en"]) | _placeholders(fixes[fix_code]["ko"])
        else:
            needed |= _placeholders(entry.get("fix", "")) | _placeholders(entry.get("fix_ko", ""))
        assert needed <= names, f"{file}:{line}: {code} needs {sorted(needed - names)}"


def test_yaml_problem_codes_exist() -> None:
    from recommender.yamlio import YAML_PROBLEMS

    assert set(YAML_PROBLEMS.values()) <= set(catalogue()["messages"])


def test_a_problem_reads_in_korean_from_its_code_not_its_english() -> None:
    found = Problem.of("team.yaml", "line 3, column 5", "duplicate_key", key="'canary'", first=2)
    assert found.message == "duplicate key 'canary' (first at line 2)"
    assert found.code == "duplicate_key" and dict(found.params) == {"key": "'canary'", "first": "2"}
    # The English text plays no part in the Korean: a problem with the same code and values but
    # other English words reads the same in Korean.
    reworded = Problem(found.file, found.where, "something else entirely", found.fix, found.code, found.params)
    assert reworded.render("ko") == found.render("ko")
    assert found.render("ko") == ("team.yaml: 3행, 5열: 중복된 키 'canary'가 있습니다 (처음 위치: 2행)\n"
                                  "  해결: 둘 중 하나만 남기세요. YAML은 조용히 마지막 값을 씁니다")
    assert Problem.of("a", "", "unknown_requirement", fix="did_you_mean", id="'canery'", x="'canary'").render("ko") \
        .endswith("해결: 혹시 'canary'인가요?")


def test_an_unknown_code_cannot_be_made() -> None:
    with pytest.raises(KeyError):
        Problem.of("a", "", "no_such_code")
    with pytest.raises(KeyError):
        Problem.of("a", "", "file_not_found", fix="no_such_fix")


def test_no_english_matching_is_left() -> None:
    package = ROOT / "recommender"
    assert not (package / "problem_texts.py").exists()
    assert "match:" not in (package / "problems.yaml").read_text(encoding="utf-8")
    assert Path(package / "problem_catalogue.py").read_text(encoding="utf-8").count("re.compile") == 1  # places
