"""The formats other tools consume: MADR 4.0 as published, Markdown a linter accepts, and a JSON
report that validates against the schema `recommender schema --report` publishes."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import EXAMPLES, ROOT

from recommender import load_requirements, recommend
from recommender.cli.main import main
from recommender.render import render
from recommender.strings import t

MADR = Path(__file__).parent / "data" / "madr" / "adr-template.md"
TODAY = dt.date(2026, 11, 26)
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
# The ADR's section headings by strings.yaml key: Korean headings are mapped back to English
# through them, so both languages are held to the template's structure.
HEADING_KEYS = ("adr_context", "adr_drivers", "adr_options", "adr_outcome", "adr_consequences", "adr_confirmation",
                "adr_pros_cons", "adr_more")


def _front_matter(text: str) -> tuple[list[str], str]:
    found = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert found, "no front matter"
    block = found.group(1)
    keys = [m.group(1) for m in re.finditer(r"^([A-Za-z][\w-]*):", block, re.M)]
    return keys, text[found.end():]


def _headings(body: str) -> list[tuple[int, str]]:
    out = []
    fenced = False
    for line in body.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        found = None if fenced else re.match(r"(#{1,6}) (.+?)\s*$", line)
        if found:
            out.append((len(found.group(1)), found.group(2)))
    return out


def _bullets_under(body: str, heading: str) -> list[str]:
    section = body.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [line[2:] for line in section.splitlines() if line.startswith("* ")]


def _structure(headings: list[tuple[int, str]], options: set[str] | None) -> list[tuple[int, str]]:
    """Headings with the title and option names as placeholders, a run of options as one.

    `options` None: the template, whose placeholders are written in braces."""
    shape: list[tuple[int, str]] = []
    in_pros_cons = False
    for level, name in headings:
        if level == 1:
            name = "<title>"
        elif level == 2:
            in_pros_cons = name == "Pros and Cons of the Options"
        elif in_pros_cons and level == 3 and (name in options if options is not None else name.startswith("{")):
            name = "<option>"
        if shape and shape[-1] == (level, name) == (3, "<option>"):
            continue
        shape.append((level, name))
    return shape


def _template() -> tuple[list[str], list[tuple[int, str]]]:
    keys, body = _front_matter(MADR.read_text(encoding="utf-8"))
    return keys, _structure(_headings(body), None)


def test_the_vendored_template_is_madr_4() -> None:
    keys, shape = _template()
    assert keys == ["status", "date", "decision-makers", "consulted", "informed"]
    assert (3, "Confirmation") in shape and (2, "Pros and Cons of the Options") in shape
    assert (MADR.parent / "LICENSE.MIT").read_text().startswith("MIT License")


@pytest.mark.parametrize(("example", "lang"), [(p, "en") for p in EXAMPLE_FILES]
                         + [(EXAMPLES / "canary-on-istio.yaml", "ko"),
                            (EXAMPLES / "no-fit-graduated-in-place.yaml", "ko")],
                         ids=lambda v: v.name if isinstance(v, Path) else v)
def test_adr_has_madr_front_matter_and_headings(example: Path, lang: str) -> None:
    rec = recommend(load_requirements(example), lang=lang, today=TODAY)
    text = render(rec, "adr", source=f"examples/{example.name}", today=TODAY)
    keys, body = _front_matter(text)
    template_keys, template_shape = _template()
    assert keys == template_keys
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["date"] == TODAY and front["status"] in ("proposed", "undecided")
    assert all(front[k] for k in ("decision-makers", "consulted", "informed"))

    english = {t(k, lang): t(k, "en") for k in HEADING_KEYS}
    headings = [(level, english.get(name, name)) for level, name in _headings(body)]
    options = _bullets_under(body, t("adr_options", lang))
    assert sorted(options) == sorted(r.name for r in rec.ranking)
    assert _structure(headings, set(options)) == template_shape
    # Each considered option has its pros-and-cons section, in the same order.
    pros_cons = body.split(f"\n## {t('adr_pros_cons', lang)}\n", 1)[1].split("\n## ", 1)[0]
    assert [name for level, name in _headings(pros_cons) if level == 3] == options


def test_adr_confirmation_names_the_compare_command() -> None:
    rec = recommend(load_requirements(EXAMPLES / "canary-on-istio.yaml"), today=TODAY)
    text = render(rec, "adr", source="decisions/cd-requirements.yaml", today=TODAY)
    section = text.split("### Confirmation\n", 1)[1].split("\n## ", 1)[0]
    assert "`recommender recommend decisions/cd-requirements.yaml --compare decisions/cd-requirements.json`" \
        in section
    assert "exits 4" in section
    spaced = render(rec, "adr", source="team decisions/cd.yaml", today=TODAY)
    assert "`recommender recommend 'team decisions/cd.yaml' --compare 'team decisions/cd.json'`" in spaced


def _lint(paths: list[Path], *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pymarkdown", "--config", str(ROOT / ".pymarkdown.json"),
                           "--strict-config", *extra, "scan", *map(str, paths)],
                          capture_output=True, text=True, timeout=300)


def test_markdown_and_adr_pass_pymarkdownlnt(tmp_path: Path) -> None:
    written = []
    for example in EXAMPLE_FILES:
        for lang in ("en", "ko"):
            rec = recommend(load_requirements(example), lang=lang, today=TODAY)
            for fmt in ("markdown", "adr"):
                path = tmp_path / f"{example.stem}.{lang}.{fmt}.md"
                path.write_text(render(rec, fmt, source=str(example.relative_to(ROOT)), today=TODAY),
                                encoding="utf-8")
                written.append(path)
    done = _lint(written)
    assert done.returncode == 0, done.stdout + done.stderr
    # The linter, with this configuration, does fail what it should: the front matter needs the
    # extension the configuration turns on, and other HTML than <details> is refused.
    adr = next(p for p in written if p.name.endswith(".en.adr.md"))
    without_front_matter = _lint([adr], "--set", "extensions.front-matter.enabled=$!False")
    assert without_front_matter.returncode == 1
    bad = tmp_path / "bad.md"
    bad.write_text("# Title\n\n<b>bold</b>\n\n\nText.\n", encoding="utf-8")
    refused = _lint([bad])
    assert refused.returncode == 1 and "MD033" in refused.stdout and "MD012" in refused.stdout


def _report_schema(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert main(["schema", "--report"]) == 0
    schema: dict[str, object] = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def test_every_example_report_validates_against_the_published_schema(capsys: pytest.CaptureFixture[str]) -> None:
    validator = jsonschema.Draft202012Validator(_report_schema(capsys))
    for example in EXAMPLE_FILES:
        for lang in ("en", "ko"):
            assert main(["recommend", str(example), "--format", "json", "--lang", lang]) == 0
            report = json.loads(capsys.readouterr().out)
            errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(report)]
            assert not errors, (example.name, lang, errors[:5])
    # Several files in one document: the batch shape.
    assert main(["recommend", *map(str, EXAMPLE_FILES[:3]), "--format", "json"]) == 0
    validator.validate(json.loads(capsys.readouterr().out))


def test_the_report_schema_refuses_what_is_not_a_report(capsys: pytest.CaptureFixture[str]) -> None:
    validator = jsonschema.Draft202012Validator(_report_schema(capsys))
    assert main(["recommend", str(EXAMPLES / "canary-on-istio.yaml"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    validator.validate(report)
    for damage in ("verdict", "extra key", "schema_version", "score"):
        broken = copy.deepcopy(report)
        if damage == "verdict":
            broken["ranking"][0]["verdict"] = "great"
        elif damage == "extra key":
            broken["surprise"] = 1
        elif damage == "schema_version":
            broken["schema_version"] = 2
        else:
            broken["ranking"][1]["score"] = "high"
        assert not validator.is_valid(broken), damage


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_a_bonus_the_cap_cut_says_by_how_much(fmt: str) -> None:
    # EKS manages Argo CD (context.platform_ships_it): Argo meets everything natively, so the cap
    # takes that bonus off and its line shows +0.0; the line says what the cap cut, once.
    rec = recommend({"requirements": {"gitops_sync": "must", "web_ui": "high", "multi_cluster": "high"},
                     "context": {"platform": "aws-eks"}}, what_if=False)
    argo = next(r for r in rec.ranking if r.tool == "argo")
    cut = argo.beyond_cap["context.platform_ships_it"]
    assert argo.score == 100.0 and cut > 10
    out = render(rec, fmt, width=200) if fmt == "table" else render(rec, fmt)
    assert out.count(f"(+{cut:.1f} beyond the 100 cap)") == 1


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_adr_outcome_counts_musts_only_when_there_are_some(lang: str) -> None:
    def outcome(requirements: dict[str, str]) -> str:
        rec = recommend({"requirements": requirements}, lang=lang, what_if=False, today=TODAY)
        text = render(rec, "adr", today=TODAY)
        return next(line for line in text.splitlines() if line.startswith(("Chosen option:", "선택:")))

    assert "of 0 musts" not in outcome({"gitops_sync": "high"}) and "0개 중" not in outcome({"gitops_sync": "high"})
    assert ("meets 1 of 1 musts" if lang == "en" else "1개 중 1개") in outcome({"gitops_sync": "must"})
