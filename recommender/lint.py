"""`kb lint`: everything wrong or stale in a knowledge and rules directory, as a list of findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .dsl.load import load_rules
from .dsl.model import RuleBase
from .errors import InputError
from .knowledge import KnowledgeBase, load_knowledge
from .strings import missing_translations as strings_missing


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" or "warning"
    text: str


def stale_claims(kb: KnowledgeBase, today: dt.date) -> list[str]:
    """Every dated fact older than the manifest's stale_after_days."""
    limit = dt.timedelta(days=kb.manifest.stale_after_days)
    out = []
    for tool in kb.tools:
        dated = [(f"{tool.tool}: project", tool.project.checked)]
        dated += [(f"{tool.tool}: component {c.id}", c.checked) for c in tool.components]
        dated += [(f"{tool.tool}: capability {k}", c.checked) for k, c in tool.capabilities.items()]
        dated += [(f"{tool.tool}: integration with {i.with_}", i.checked) for i in tool.integrations]
        out += [f"{name} checked {date.isoformat()}, more than {limit.days} days ago"
                for name, date in dated if today - date > limit]
    return out


def stale_releases(kb: KnowledgeBase) -> list[str]:
    """Every latest_release older than release_stale_after_days before the knowledge's as-of date.

    Archived projects and archived or end-of-life components release nothing more by design.
    """
    as_of, limit = kb.manifest.as_of, kb.manifest.release_stale_after_days
    out = []
    for tool in kb.tools:
        if tool.project.status == "archived":
            continue
        released = [(f"{tool.tool}: project", tool.project.latest_release)]
        released += [(f"{tool.tool}: component {c.id}", c.latest_release) for c in tool.components
                     if c.status not in ("archived", "eol")]
        for name, release in released:
            if release is not None and (as_of - release.date).days > limit:
                out.append(f"{name} latest_release {release.version} of {release.date.isoformat()} is "
                           f"{(as_of - release.date).days} days older than the as-of date {as_of.isoformat()} "
                           f"(limit {limit}): check the project's releases for a newer one")
    return out


def moved_evidence(kb: KnowledgeBase) -> list[str]:
    """Every evidence URL that points into docs known to have moved (manifest moved_locations)."""
    moved = kb.manifest.moved_locations
    out = []
    for tool in kb.tools:
        cited: list[tuple[str, list[str]]] = [(f"{tool.tool}: project", tool.project.evidence)]
        for comp in tool.components:
            cited.append((f"{tool.tool}: component {comp.id}", comp.evidence))
            cited += [(f"{tool.tool}: {comp.id}.supports.{dim}", table.evidence)
                      for dim, table in comp.supports.items()]
        cited += [(f"{tool.tool}: capability {k}", c.evidence) for k, c in tool.capabilities.items()]
        cited += [(f"{tool.tool}: integration with {i.with_}", i.evidence) for i in tool.integrations]
        cited += [(f"{tool.tool}: platform {e.platform}", e.evidence) for e in tool.platforms]
        for name, urls in cited:
            for url in urls:
                for loc in moved:
                    if url.startswith(loc.from_) and not url.startswith(loc.to):
                        since = f" in {loc.since}" if loc.since else ""
                        out.append(f"{name} cites {url}, docs that moved{since}: cite the page under {loc.to}")
    return out


LANGUAGES = ("en", "ko")


def missing_translations(kb: KnowledgeBase, rule_base: RuleBase | None) -> list[str]:
    """Every user-facing text that lacks one of the languages the reports speak."""
    out: list[str] = []

    def check(where: str, text: Mapping[str, str]) -> None:
        for lang in LANGUAGES:
            if not text.get(lang):
                out.append(f"missing {lang} translation: {where}")

    cat = kb.catalogue
    for group in cat.groups:
        for name in ("title", "layer", "gate", "help"):
            check(f"catalogue group {group.id}.{name}", getattr(group, name))
    for req in cat.requirements:
        for name in ("title", "definition", "help"):
            check(f"catalogue requirement {req.id}.{name}", getattr(req, name))
    for key, ctx in cat.contexts.items():
        check(f"catalogue context {key}.title", ctx.title)
        check(f"catalogue context {key}.help", ctx.help)
    for tool in kb.tools:
        check(f"{tool.tool}: summary", tool.summary)
        for n, note in enumerate(tool.project.notes):
            check(f"{tool.tool}: project.notes[{n}]", note)
        for comp in tool.components:
            if comp.note:
                check(f"{tool.tool}: component {comp.id}.note", comp.note)
            for dim, table in comp.supports.items():
                for value, support in table.values.items():
                    if support.note:
                        check(f"{tool.tool}: {comp.id}.supports.{dim}.{value}.note", support.note)
        for cap_id, claim in tool.capabilities.items():
            check(f"{tool.tool}: capabilities.{cap_id}.note", claim.note)
        for integ in tool.integrations:
            check(f"{tool.tool}: integration with {integ.with_}", integ.note)
        for entry in tool.platforms:
            check(f"{tool.tool}: platform {entry.platform}", entry.note)
    if rule_base is not None:
        for rule in rule_base.rules:
            check(f"rule {rule.id} description", rule.description)
            for n, effect in enumerate(rule.effects()):
                if effect.type != "derive":
                    check(f"rule {rule.id} effect {n + 1} ({effect.type}) text", effect.text)
        params = rule_base.parameters
        for table_name in ("level_names", "severity_names", "messages"):
            for key, text in getattr(params, table_name).items():
                check(f"rules parameters {table_name}.{key}", text)
    out += [f"missing {where}" for where in strings_missing()]
    return out


def lint(knowledge: Path | str | None = None, rules: Path | str | None = None,
         today: dt.date | None = None) -> list[Finding]:
    today = today or dt.date.today()
    findings: list[Finding] = []
    try:
        kb = load_knowledge(knowledge)
    except InputError as exc:
        return [Finding("error", str(p)) for p in exc.problems]
    rule_base = None
    try:
        rule_base = load_rules(rules, kb.catalogue)
    except InputError as exc:
        findings += [Finding("error", str(p)) for p in exc.problems]
    findings += [Finding("error", text) for text in missing_translations(kb, rule_base)]
    findings += [Finding("warning", f"stale: {s}") for s in stale_claims(kb, today)]
    findings += [Finding("warning", f"stale release: {s}") for s in stale_releases(kb)]
    findings += [Finding("warning", f"moved: {s}") for s in moved_evidence(kb)]
    for tool in kb.tools:
        for cap_id, claim in tool.capabilities.items():
            if claim.claim != "official":
                findings.append(Finding("warning", f"{tool.tool}: capability {cap_id} is {claim.claim}"))
    return findings
