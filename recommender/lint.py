"""`kb lint`: everything wrong or stale in a knowledge and rules directory, as a list of findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .knowledge import KnowledgeBase, load_knowledge
from .rules import load_rules


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


def lint(knowledge: Path | str | None = None, rules: Path | str | None = None,
         today: dt.date | None = None) -> list[Finding]:
    today = today or dt.date.today()
    findings: list[Finding] = []
    try:
        kb = load_knowledge(knowledge)
    except InputError as exc:
        return [Finding("error", str(p)) for p in exc.problems]
    try:
        load_rules(rules, kb.catalogue)
    except InputError as exc:
        findings += [Finding("error", str(p)) for p in exc.problems]
    findings += [Finding("warning", f"stale: {s}") for s in stale_claims(kb, today)]
    for tool in kb.tools:
        for cap_id, claim in tool.capabilities.items():
            if claim.claim != "official":
                findings.append(Finding("warning", f"{tool.tool}: capability {cap_id} is {claim.claim}"))
    return findings
