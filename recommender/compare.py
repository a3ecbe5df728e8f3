"""Does a saved decision still hold? A saved JSON report compared with today's re-run.

The decision is the pick, the stack and every tool's verdict; a change there is what a scheduled
CI job must flag (exit 4). The knowledge facts behind it are reported beside: the revision, each
tool's archived status, and the capability levels the saved explanations relied on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, Problem
from .knowledge import KnowledgeBase
from .models import CANDIDATE_VERDICTS, Recommendation

ARCHIVED_RULE = "risk.archived_project"  # rules/governance.yaml: fires for every archived project


@dataclass(frozen=True)
class Change:
    """One thing that differs: `key` says what (strings.yaml key), `subject` whose, then the values."""

    key: str
    subject: str
    before: str
    after: str


@dataclass
class Comparison:
    saved_path: str
    decision: list[Change] = field(default_factory=list)  # pick, stack, verdicts: exit 4 when any
    facts: list[Change] = field(default_factory=list)  # knowledge facts the saved report relied on
    requirements_changed: bool = False  # the file no longer says what the saved report's input said
    pick: str = ""
    stack: str = ""
    tools: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.decision)


def load_saved_report(path: Path, source: str | None = None) -> dict[str, Any]:
    """A report saved with `--format json`: one envelope, or the one for `source` in a batch document."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([Problem.of(file, "", "file_not_found")]) from None
    except IsADirectoryError:
        raise InputError([Problem.of(file, "", "is_directory", fix="name_saved_report")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem.of(file, "", "unreadable", reason=exc.__class__.__name__)]) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError([Problem.of(file, f"line {exc.lineno}, column {exc.colno}", "not_json",
                                     problem=exc.msg)]) from None
    if isinstance(doc, dict) and isinstance(doc.get("results"), list):
        results = [r for r in doc["results"] if isinstance(r, dict)]
        matching = [r for r in results if source is not None and r.get("source") == source]
        if len(results) == 1:
            doc = results[0]
        elif len(matching) == 1:
            doc = matching[0]
        else:
            raise InputError([Problem.of(file, "results", "no_single_report", source=source)])
    if not isinstance(doc, dict) or doc.get("schema_version") != 1:
        raise InputError([Problem.of(file, "schema_version", "not_a_report")])
    ranking = doc.get("ranking")
    if not isinstance(ranking, list) or not all(
            isinstance(r, dict) and isinstance(r.get("tool"), str) and isinstance(r.get("verdict"), str)
            for r in ranking):
        raise InputError([Problem.of(file, "ranking", "report_malformed")])
    if not isinstance(doc.get("stack"), list) or not all(isinstance(p, dict) for p in doc["stack"]):
        raise InputError([Problem.of(file, "stack", "report_malformed")])
    return doc


def _pick(report: dict[str, Any]) -> str | None:
    ranking = report["ranking"]
    return str(ranking[0]["tool"]) if ranking and ranking[0]["verdict"] in CANDIDATE_VERDICTS else None


def _names(report: dict[str, Any]) -> dict[str, str]:
    return {r["tool"]: str(r.get("name") or r["tool"]) for r in report["ranking"]}


def _stack(report: dict[str, Any]) -> list[str]:
    return [str(p.get("name") or p.get("component")) for p in report["stack"]]


def _levels(report: dict[str, Any]) -> dict[tuple[str, str], tuple[str, str]]:
    """(tool, requirement) -> (level, component) as the report's explanations state them."""
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for r in report["ranking"]:
        for e in r.get("explanations") or []:
            if isinstance(e, dict) and e.get("requirement") and e.get("level"):
                seen.setdefault((r["tool"], e["requirement"]), (str(e["level"]), str(e.get("component") or "")))
    return seen


def _archived(report: dict[str, Any]) -> set[str]:
    found = set()
    for r in report["ranking"]:
        lines = [*(r.get("risks") or []), *(r.get("exclusions") or []), *(r.get("explanations") or [])]
        if any(isinstance(x, dict) and x.get("rule") == ARCHIVED_RULE for x in lines):
            found.add(r["tool"])
    return found


def compare(saved: dict[str, Any], current: Recommendation, kb: KnowledgeBase,
            saved_path: str = "<saved>") -> Comparison:
    """What differs between a saved report and today's recommendation for the same requirements."""
    from .render.jsonout import envelope
    from .render.titles import requirement_title
    from .strings import t

    lang = current.lang
    now = envelope(current)
    names = {**_names(saved), **_names(now)}
    none = t("compare_none", lang)
    out = Comparison(saved_path=saved_path)

    before_pick, after_pick = _pick(saved), _pick(now)
    if before_pick != after_pick:
        out.decision.append(Change("compare_pick", "", names.get(before_pick or "", none),
                                   names.get(after_pick or "", none)))
    before_stack, after_stack = _stack(saved), _stack(now)
    if before_stack != after_stack:
        out.decision.append(Change("compare_stack", "", " + ".join(before_stack) or none,
                                   " + ".join(after_stack) or none))
    before_verdicts = {r["tool"]: r["verdict"] for r in saved["ranking"]}
    after_verdicts = {r["tool"]: r["verdict"] for r in now["ranking"]}
    for tool in sorted(set(before_verdicts) | set(after_verdicts)):
        before, after = before_verdicts.get(tool), after_verdicts.get(tool)
        if before != after:
            out.decision.append(Change("compare_verdict", names.get(tool, tool),
                                       t(f"verdict_{before}", lang) if before else none,
                                       t(f"verdict_{after}", lang) if after else none))

    if saved.get("knowledge_revision") != kb.manifest.revision:
        out.facts.append(Change("compare_revision", "", str(saved.get("knowledge_revision")), kb.manifest.revision))
    tools = {entry.tool: entry for entry in kb.tools}
    was_archived = _archived(saved)
    for tool in sorted(before_verdicts):
        if tool not in tools:
            out.facts.append(Change("compare_tool_gone", names.get(tool, tool), "", ""))
            continue
        is_archived = tools[tool].project.status == "archived"
        if is_archived != (tool in was_archived):
            out.facts.append(Change("compare_archived_now" if is_archived else "compare_archived_no_longer",
                                    names.get(tool, tool), "", ""))
    now_levels = _levels(now)
    for (tool, req), (level, component) in sorted(_levels(saved).items()):
        if tool not in tools:
            continue
        found = now_levels.get((tool, req))
        if found is None:  # today's report does not state it (the tool misses it now): ask the knowledge
            claim = tools[tool].capabilities.get(req)
            found = (claim.level, claim.component or "") if claim else ("none", "")
        if found != (level, component):
            out.facts.append(Change("compare_level", f"{names.get(tool, tool)}, {requirement_title(kb, req, lang)}",
                                    _level(level, component, lang), _level(*found, lang)))

    out.requirements_changed = saved.get("input") != now["input"]
    out.pick = names.get(after_pick or "", none)
    out.stack = " + ".join(after_stack) or none
    out.tools = len(after_verdicts)
    return out


def _level(level: str, component: str, lang: str) -> str:
    from .strings import t

    try:
        shown = t(f"cap_level_{level}", lang)
    except KeyError:
        shown = level
    return f"{shown} ({component})" if component else shown


def render_comparison(comparison: Comparison, lang: str) -> str:
    """The short report: what changed in the decision, then the knowledge facts behind it."""
    from .strings import t

    saved = comparison.saved_path
    if comparison.changed:
        lines = [t("compare_changed", lang, saved=saved)]
    else:
        lines = [t("compare_unchanged", lang, saved=saved, pick=comparison.pick, stack=comparison.stack,
                   count=comparison.tools)]
    lines += [f"- {_change_text(c, lang)}" for c in comparison.decision]
    if comparison.facts:
        lines.append(t("compare_facts", lang))
        lines += [f"- {_change_text(c, lang)}" for c in comparison.facts]
    elif comparison.changed:
        lines.append(t("compare_no_facts", lang))
    if comparison.requirements_changed:
        lines.append(t("compare_requirements", lang))
    return "\n".join(lines) + "\n"


def _change_text(change: Change, lang: str) -> str:
    from .strings import t

    return t(change.key, lang, subject=change.subject, before=change.before, after=change.after)
