"""Hostile inputs: nothing crashes, nothing is lost.

Every file in tests/data/bad/ (hand-written h-*.yaml, generated g-*.yaml: see generate.py there)
must make `recommender recommend FILE -o out.json` exit 2 with a message on stderr that names the
file and a place, without a traceback, quickly, and without writing anything. Broken knowledge
and rules directories get the same treatment. Known library bugs are xfail(strict=True), so the
test starts failing (and the mark must go) the day they are fixed.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLES

from recommender.api import get_knowledge, get_rules, load_requirements
from recommender.cli.main import main
from recommender.errors import InputError
from recommender.resources import bundled_dir
from recommender.yamlio import MAX_BYTES

BAD = Path(__file__).resolve().parent / "data" / "bad"
CORPUS = sorted(BAD.glob("*.yaml"))
EXAMPLE = EXAMPLES / "canary-on-istio.yaml"
SECOND = 1.0  # budget for our own work on one bad file

# Problems about the file as a whole: there is no line or field to name.
WHOLE_FILE_MESSAGES = ("the file is empty", "is binary, not text", "bytes; the limit is")

_SCALAR_BUG = ("yamlio._build calls loader.construct_object() outside any error handling: a scalar that "
               "the standard YAML constructors cannot convert raises {exc} and the CLI prints a traceback")
# Files that crashed the library when this suite was written (fixed since; kept as regressions).
# Put a name back here (with the reason) to mark a newly found crash xfail(strict=True).
KNOWN_CRASHES: dict[str, str] = {}
FIXED_CRASHES = {
    "h-invalid-date-value.yaml": _SCALAR_BUG.format(exc="ValueError (month must be in 1..12)"),
    "h-invalid-date-notes.yaml": _SCALAR_BUG.format(exc="ValueError (day is out of range for month)"),
    "h-invalid-timestamp.yaml": _SCALAR_BUG.format(exc="ValueError (hour must be in 0..23)"),
    "h-tag-int-not-a-number.yaml": _SCALAR_BUG.format(exc="ValueError (invalid literal for int())"),
    "h-tag-float-word.yaml": _SCALAR_BUG.format(exc="ValueError (could not convert string to float)"),
    "h-tag-bool-maybe.yaml": _SCALAR_BUG.format(exc="KeyError ('maybe')"),
    "h-tag-timestamp-word.yaml": _SCALAR_BUG.format(exc="AttributeError ('NoneType' has no 'groupdict')"),
    "h-tag-map-on-scalar.yaml": _SCALAR_BUG.format(exc="yaml.constructor.ConstructorError"),
    "h-clusters-4400-digits.yaml": _SCALAR_BUG.format(
        exc="ValueError (Exceeds the limit (4300 digits) for integer string conversion)"),
    "h-version-huge-binary-int.yaml": (
        "api.load_requirements formats an unsupported version with {!r}; a 14400-bit integer "
        "(0b111...) raises ValueError (Exceeds the limit (4300 digits) for integer string conversion) "
        "and the CLI prints a traceback"),
}
# The parser's ReaderError (a non-printable character) is reported with an empty place: the
# message says 'in "<unicode string>", position N' instead of a line.
NO_LINE: dict[str, str] = {}
FIXED_NO_LINE = {name: ("yamlio.parse_yaml turns yaml.reader.ReaderError into a Problem with where=''; "
                  "the README promises the line (the error carries a character position)")
           for name in ("h-control-char-bell.yaml", "h-control-char-del.yaml", "h-control-char-ansi-escape.yaml")}


def _marked(paths: list[Path], bugs: dict[str, str]) -> list[object]:
    return [pytest.param(p, id=p.name, marks=pytest.mark.xfail(strict=True, reason=bugs[p.name]))
            if p.name in bugs else pytest.param(p, id=p.name) for p in paths]


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    """Load the bundled knowledge and rules once, so timings measure the bad file alone."""
    get_rules(None, get_knowledge())


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[object, str, str, float]:
    """main() in-process: (exit code or the traceback text, stdout, stderr, seconds)."""
    start = time.perf_counter()
    try:
        code: object = main(args)
    except SystemExit as exc:
        code = exc.code
    except BaseException:  # what a user would see as a traceback
        code = "Traceback (in-process)\n" + traceback.format_exc()
    elapsed = time.perf_counter() - start
    out, err = capsys.readouterr()
    return code, out, err, elapsed


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "recommender", *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd)


# --- the corpus itself -------------------------------------------------------------------------

def test_corpus_is_large_small_and_all_bad_files() -> None:
    assert len(CORPUS) >= 100
    total = sum(p.stat().st_size for p in CORPUS)
    assert total < 3_000_000
    assert all(p.stat().st_size < 64_000 for p in CORPUS)
    assert {p.name[:2] for p in CORPUS} == {"h-", "g-"}  # hand-written and generated
    assert not {*KNOWN_CRASHES, *FIXED_CRASHES, *NO_LINE, *FIXED_NO_LINE} - {p.name for p in CORPUS}


@pytest.mark.parametrize("path", _marked(CORPUS, KNOWN_CRASHES))
def test_bad_file_exits_2_fast_names_file_writes_nothing(path: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err, elapsed = run_main(["recommend", str(path), "-o", "out.json"], capsys)
    assert code == 2, f"exit {code!r}\n{err}"
    assert "Traceback" not in err
    assert str(path) in err
    assert elapsed < SECOND, f"{elapsed:.2f}s"
    assert list(tmp_path.iterdir()) == []  # no report, no temporary file
    assert out == ""


@pytest.mark.parametrize("path", _marked(CORPUS, {**KNOWN_CRASHES, **NO_LINE}))
def test_bad_file_message_names_a_place(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every problem names a line, a byte or a field, unless it is about the whole file."""
    with pytest.raises(InputError) as caught:
        load_requirements(path)
    problems = caught.value.problems
    assert problems
    code, _out, err, _elapsed = run_main(["recommend", str(path), "--no-what-if"], capsys)
    assert code == 2
    for problem in problems:
        assert problem.file == str(path)
        assert str(problem).splitlines()[0] in err
        if not any(m in problem.message for m in WHOLE_FILE_MESSAGES):
            assert problem.where, f"no place for: {problem}"


SUBPROCESS_SAMPLE = ["h-billion-laughs.yaml", "h-python-object-apply.yaml", "h-tabs-indentation.yaml",
                     "g-encoding-utf16le-nobom.yaml", "g-binary-random.yaml", "g-deep-flow-2000.yaml",
                     "h-wrong-context.yaml", "g-encoding-latin1.yaml", "h-empty.yaml", "g-bomb-mapping.yaml"]


@pytest.mark.parametrize("name", SUBPROCESS_SAMPLE)
def test_bad_file_via_subprocess(name: str, tmp_path: Path) -> None:
    path = BAD / name
    done = cli("recommend", str(path), "-o", "out.json", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert str(path) in done.stderr
    assert done.stdout == ""
    assert list(tmp_path.iterdir()) == []
    assert not Path("pwned").exists() and not (tmp_path / "pwned").exists()


def test_invalid_date_via_subprocess_has_no_traceback(tmp_path: Path) -> None:
    done = cli("recommend", str(BAD / "h-invalid-date-value.yaml"), cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_alias_bomb_reports_only_the_bomb() -> None:
    with pytest.raises(InputError) as caught:
        load_requirements(BAD / "h-billion-laughs.yaml")
    messages = [p.message for p in caught.value.problems]
    assert any("YAML nodes (an alias bomb?)" in m for m in messages)


def test_alias_bomb_reports_no_phantom_duplicate_keys() -> None:
    with pytest.raises(InputError) as caught:
        load_requirements(BAD / "h-billion-laughs.yaml")
    assert not [p for p in caught.value.problems if "duplicate key" in p.message]


def test_bad_input_never_touches_an_existing_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.json"
    out.write_text("precious")
    for name in ("h-duplicate-keys.yaml", "g-binary-random.yaml", "h-billion-laughs.yaml"):
        code, _o, err, _t = run_main(["recommend", str(BAD / name), "-o", str(out), "--force"], capsys)
        assert code == 2 and "Traceback" not in err
    assert out.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_one_bad_file_among_good_ones_writes_no_combined_output(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "all.json"
    code, _o, err, _t = run_main(["recommend", str(EXAMPLE), str(BAD / "h-tabs-indentation.yaml"),
                                  "--format", "json", "--no-what-if", "-o", str(out)], capsys)
    assert code == 2 and str(BAD / "h-tabs-indentation.yaml") in err
    assert not out.exists() or out.is_dir()


# --- huge files, generated at run time ---------------------------------------------------------

def _huge_cases() -> dict[str, Callable[[], bytes]]:
    filler = "".join(f"  # padding line {i:07d} to make the file large\n" for i in range(30_000))
    return {
        "comments": lambda: ("version: 1\nrequirements:\n  gitops_sync: must\n" + filler).encode(),
        "unknown-ids": lambda: ("requirements:\n" + "".join(f"  unknown_{i}: must\n" for i in range(70_000))).encode(),
        "one-line": lambda: b"notes: \"" + b"x" * (MAX_BYTES + 10) + b"\"\n",
        "binary": lambda: random.Random(7).randbytes(MAX_BYTES + 1),
        "bomb-plus-padding": lambda: (BAD / "h-billion-laughs.yaml").read_bytes() + filler.encode(),
    }


@pytest.mark.parametrize("name", list(_huge_cases()))
def test_huge_file_is_refused_fast(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in" / f"{name}.yaml"
    path.parent.mkdir()
    path.write_bytes(_huge_cases()[name]())
    assert path.stat().st_size > MAX_BYTES
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    code, _o, err, elapsed = run_main(["recommend", str(path), "-o", "out.json"], capsys)
    assert code == 2 and "Traceback" not in err
    assert str(path) in err and "the limit is" in err
    assert elapsed < SECOND
    assert list(work.iterdir()) == []


def test_huge_file_via_subprocess(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"requirements:\n" + b"  gitops_sync: must\n" * 60_000)
    done = cli("recommend", str(path), "-o", "out.json", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr and str(path) in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["huge.yaml"]


@pytest.mark.parametrize(("name", "content", "expected"), [
    # Just under the byte limit, over the node limit: refused by the node budget.
    ("nodes", "notes: [" + ",".join(["0"] * 250_000) + "]\n", "YAML nodes (an alias bomb?)"),
    # Just under both limits, every value wrong: every problem is reported.
    ("values", "requirements: {gitops_sync: must}\ncontext:\n  workload_kinds: ["
     + ",".join(["pods"] * 60_000) + "]\n", "unknown workload_kinds 'pods'"),
])
def test_worst_case_within_the_limits_stays_bounded(name: str, content: str, expected: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Files the size limit lets through still finish in bounded time (generous: these cost more
    than a second on slow machines; see docs/guarantees.md)."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(content)
    assert path.stat().st_size < MAX_BYTES
    code, _o, err, elapsed = run_main(["recommend", str(path), "--no-what-if"], capsys)
    assert code == 2 and "Traceback" not in err and expected in err
    assert elapsed < 10


# --- valid files that look hostile -------------------------------------------------------------

MARKUP = ("[bold red]boom[/] [link=https://evil.example]click[/link] <script>alert(1)</script> "
          "{tool} {0} %s $(rm -rf ~) **md** | pipe | ` `")


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "adr", "html", "svg"])
def test_markup_in_notes_is_valid_and_inert(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    path = tmp_path / "markup.yaml"
    path.write_text("version: 1\nnotes: " + json.dumps(MARKUP) + "\nrequirements:\n  gitops_sync: must\n"
                    "  canary: high\n", encoding="utf-8")
    assert load_requirements(path).notes == MARKUP
    out = tmp_path / f"report.{fmt}"
    code, _o, err, _t = run_main(["recommend", str(path), "--format", fmt, "--no-what-if", "-o", str(out)], capsys)
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        assert json.loads(text)["input"]["notes"] == MARKUP
    if fmt == "table":
        assert "[bold red]boom[/]" in text  # shown, not interpreted by rich
    if fmt in ("html", "svg"):
        assert "<script>" not in text and "&lt;script&gt;" in text
    if fmt == "html":
        assert 'href="https://evil.example"' not in text


def test_utf8_bom_with_valid_content_is_accepted(tmp_path: Path) -> None:
    """Decided per file: a UTF-8 byte-order mark is not a problem by itself."""
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfversion: 1\nrequirements:\n  gitops_sync: must\n")
    assert load_requirements(path).requirements == {"gitops_sync": "must"}
    assert (BAD / "h-utf8-bom-invalid-content.yaml").read_bytes().startswith(b"\xef\xbb\xbf")


# --- broken knowledge and rules directories ----------------------------------------------------

def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(bundled_dir(name), target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _drop_capability(kb: Path) -> Path:
    path = kb / "flux.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("\n  canary:\n"), text.index("\n  blue_green:\n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    return path


KNOWLEDGE_BREAKS: dict[str, Callable[[Path], Path]] = {
    "missing-capability": _drop_capability,
    "malformed-url": lambda kb: (_edit(kb / "flux.yaml", "https://fluxcd.io/flux/faq/", "htps//fluxcd io/faq"),
                                 kb / "flux.yaml")[1],
    "non-https-url": lambda kb: (_edit(kb / "flux.yaml", "https://fluxcd.io/flux/faq/", "http://fluxcd.io/flux/faq/"),
                                 kb / "flux.yaml")[1],
    "duplicate-tool-id": lambda kb: Path(shutil.copy(kb / "argo.yaml", kb / "zz-argo-again.yaml")),
    "invalid-yaml": lambda kb: (_edit(kb / "keptn.yaml", "\ncomponents:", "\ncomponents: [\n"), kb / "keptn.yaml")[1],
    "unknown-component": lambda kb: (_edit(kb / "flux.yaml", "component: flagger", "component: flaggerr"),
                                     kb / "flux.yaml")[1],
    "binary-tool-file": lambda kb: (kb / "extra.yaml").write_bytes(b"\x00\x01") and kb / "extra.yaml",
    "alias-bomb-tool-file": lambda kb: Path(shutil.copy(BAD / "h-billion-laughs.yaml", kb / "extra.yaml")),
    "missing-catalogue": lambda kb: ((kb / "catalogue.yaml").unlink(), kb / "catalogue.yaml")[1],
    "invalid-date": lambda kb: (_edit(kb / "flux.yaml", "checked: 2026-11-26", "checked: 2026-13-45"),
                                kb / "flux.yaml")[1],
}

FIXED_KNOWLEDGE_BUGS = {"invalid-date": _SCALAR_BUG.format(exc="ValueError (month must be in 1..12)")
                  + " (here from a knowledge file, in recommend and kb lint)"}

_RULE = ("rules:\n  - id: extra.bad\n    description: broken on purpose\n    when:\n{when}    then:\n{then}")


def _rule(when: str = "      - r: {kind: req, req: canary}\n",
          then: str = "      - note: {tool: argo, text: {en: hi}}\n") -> Callable[[Path], Path]:
    def write(rules: Path) -> Path:
        (rules / "extra.yaml").write_text(_RULE.format(when=when, then=then), encoding="utf-8")
        return rules / "extra.yaml"
    return write


RULE_BREAKS: dict[str, Callable[[Path], Path]] = {
    "unknown-capability": _rule(when="      - r: {kind: req, req: canaryy}\n"),
    "unbound-alias": _rule(then="      - note: {tool: $z.tool, text: {en: hi}}\n"),
    "unknown-effect": _rule(then="      - explode: {tool: argo, text: {en: hi}}\n"),
    "invalid-yaml": lambda rules: ((rules / "extra.yaml").write_text("rules: [\n"), rules / "extra.yaml")[1],
    "duplicate-rule-id": lambda rules: (_rule()(rules), _edit(rules / "extra.yaml", "extra.bad", "score.meets"),
                                        rules / "scoring.yaml")[2],
    "unknown-context-value": _rule(when="      - x: {kind: ctx, key: traffic_router, value: istoi}\n"),
    "two-effects-in-one-item": _rule(then="      - {note: {tool: argo, text: {en: a}}, miss: {tool: argo}}\n"),
    "effect-body-not-a-mapping": _rule(then="      - note: hello\n"),
    "effect-text-not-a-mapping": _rule(then="      - note: {tool: argo, text: 5}\n"),
    "operator-in-not-a-list": _rule(when="      - r: {kind: req, req: {in: 5}}\n"),
    "kind-is-a-list": _rule(when="      - r: {kind: [req]}\n"),
    "unknown-fact-field-in-effect": _rule(then="      - note: {tool: $r.nope, text: {en: hi}}\n"),
    "points-not-a-number": _rule(then="      - contribute: {tool: argo, points: lots, text: {en: hi}}\n"),
    "broken-text-template": _rule(then="      - note: {tool: argo, text: {en: '{tool'}}\n"),
    "derive-a-list": _rule(then="      - derive: {kind: flagged, tools: [argo, flux]}\n"),
    "unknown-risk-severity": _rule(then="      - risk: {tool: argo, severity: urgent, text: {en: hi}}\n"),
    # The facts builder asserts only the capabilities asked about and the support rows of the
    # team's context; a pattern reaching past them would silently never fire.
    "cap-without-requirement": _rule(when="      - r: {kind: cap, level: native}\n"),
    "support-not-from-context": _rule(when="      - r: {kind: support, dim: traffic_router, value: istio}\n"),
    # Names a rule takes from parameters.yaml: a set of values and a point factor.
    "unknown-set": _rule(when="      - r: {kind: req, req: {in: $set.trafic}}\n"),
    "unknown-points-parameter": _rule(then="      - contribute: {tool: argo, points: [$points.nope, $r.weight], "
                                           "text: {en: hi}}\n"),
    "alias-named-like-a-parameter-table": _rule(when="      - set: {kind: req, req: canary}\n"),
    "set-where-a-value-goes": _rule(when="      - r: {kind: req, req: $set.traffic}\n"),
    "points-name-outside-points": _rule(then="      - note: {tool: $points.avoided, text: {en: hi}}\n"),
    "set-in-points": _rule(then="      - contribute: {tool: argo, points: [$set.traffic], text: {en: hi}}\n"),
}
_EFFECTS_BUG = ("rules.Rule.effects() unpacks each `then` item and builds Effect() without validation; "
                "load_rules/check_rule call it unguarded, so {what} raises {exc}: traceback in recommend and kb lint")
_UNCHECKED = ("check_rule does not check {what}; kb lint reports 0 errors and `recommend` crashes at ranking "
              "time with {exc} (traceback)")

FIXED_RULE_BUGS = {
    "two-effects-in-one-item": _EFFECTS_BUG.format(what="a `then` item with two keys",
                                                   exc="ValueError (too many values to unpack)"),
    "effect-body-not-a-mapping": _EFFECTS_BUG.format(what="`- note: hello`",
                                                     exc="ValueError (dictionary update sequence)"),
    "effect-text-not-a-mapping": _EFFECTS_BUG.format(what="`text: 5`", exc="pydantic ValidationError"),
    "operator-in-not-a-list": "rules.check_rule iterates the operand of `in:`; `in: 5` raises TypeError "
                              "('int' object is not iterable): traceback in recommend and kb lint",
    "kind-is-a-list": "rules.check_rule looks `kind` up in fact_kinds.BASE_KINDS; `kind: [req]` raises TypeError "
                      "(unhashable type: 'list'): traceback in recommend and kb lint",
    "unknown-fact-field-in-effect": _UNCHECKED.format(what="that `$alias.field` names a field of the fact kind",
                                                      exc="KeyError ('nope') in ranking._value"),
    "points-not-a-number": _UNCHECKED.format(what="that `points` are numbers or references",
                                             exc="ValueError (could not convert string to float) in ranking._product"),
    "broken-text-template": _UNCHECKED.format(what="that text templates parse",
                                              exc="ValueError (expected '}' before end of string) in ranking.fill"),
}


def test_unknown_set_and_point_names_are_named_with_their_place_and_the_known_names(tmp_path: Path) -> None:
    from recommender import InputError, load_rules
    from recommender.api import get_knowledge

    rules = _copy(tmp_path, "rules")
    _rule(when="      - r: {kind: req, req: {in: [$set.trafic, blue_green]}}\n",
          then="      - contribute: {tool: argo, points: $points.nope, text: {en: hi}}\n")(rules)
    with pytest.raises(InputError) as caught:
        load_rules(rules, get_knowledge().catalogue)
    found = [(p.file, p.where, p.message, p.fix) for p in caught.value.problems]
    assert [(Path(f).name, w, m) for f, w, m, _fix in found] == [
        ("extra.yaml", "line 5, rules.0.when.0.r.req.in.0 (extra.bad)",
         "'$set.trafic' names no set in parameters.yaml"),
        ("extra.yaml", "line 7, rules.0.then.0.contribute.points (extra.bad)",
         "'$points.nope' names no points in parameters.yaml")]
    assert "traffic" in found[0][3] and "support_partial" in found[1][3]


def _check_dir_run(code: object, out: str, err: str, named: Path) -> None:
    assert code == 2, f"exit {code!r}\n{out}{err}"
    assert "Traceback" not in out + err
    assert str(named) in out + err


def _run_broken_dir(kind: str, breaks: dict[str, Callable[[Path], Path]], name: str, tmp_path: Path,
                    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A broken --knowledge or --rules directory: exit 2 naming the file, in recommend and kb lint."""
    monkeypatch.setenv("COLUMNS", "1000")  # kb lint prints through rich: no wrapped paths
    directory = _copy(tmp_path, kind)
    named = breaks[name](directory)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    code, out, err, _t = run_main(["recommend", str(EXAMPLE), f"--{kind}", str(directory), "--no-what-if",
                                   "-o", "out.json"], capsys)
    _check_dir_run(code, out, err, named)
    assert list(work.iterdir()) == []
    code, out, err, _t = run_main(["kb", "lint", f"--{kind}", str(directory)], capsys)
    _check_dir_run(code, out, err, named)


@pytest.mark.parametrize("name", list(KNOWLEDGE_BREAKS))
def test_broken_knowledge_dir(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    _run_broken_dir("knowledge", KNOWLEDGE_BREAKS, name, tmp_path, monkeypatch, capsys)


@pytest.mark.parametrize("name", list(RULE_BREAKS))
def test_broken_rules_dir(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    _run_broken_dir("rules", RULE_BREAKS, name, tmp_path, monkeypatch, capsys)


@pytest.mark.parametrize("kind", ["knowledge", "rules"])
def test_broken_dir_via_subprocess(kind: str, tmp_path: Path) -> None:
    base = _copy(tmp_path, kind)
    named = KNOWLEDGE_BREAKS["duplicate-tool-id"](base) if kind == "knowledge" else \
        RULE_BREAKS["unknown-effect"](base)
    done = cli("recommend", str(EXAMPLE), f"--{kind}", str(base), "-o", "out.json", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr and str(named) in done.stderr
    assert not (tmp_path / "out.json").exists()
    done = subprocess.run([sys.executable, "-m", "recommender", "kb", "lint", f"--{kind}", str(base)],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "1000"})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert str(named) in done.stdout


def test_lenient_values_are_refused_and_control_characters_in_notes_are_shown_not_sent(tmp_path: Path) -> None:
    from recommender import InputError, Requirements, load_requirements

    for content in ("version: true\nrequirements: {canary: must}\n",
                    "version: 1.0\nrequirements: {canary: must}\n",
                    "requirements: {canary: must}\ncontext: {clusters: true}\n"):
        path = tmp_path / "reqs.yaml"
        path.write_text(content)
        with pytest.raises(InputError):
            load_requirements(path)
    req = Requirements(requirements={"canary": "must"}, notes="a\x1b[31mred\x07\nnext")  # type: ignore[dict-item]
    assert req.notes == "a\\x1b[31mred\\x07\nnext"
