"""`recommender kb`: list, show, requirements, lint and path of the knowledge base."""

from __future__ import annotations

import argparse
from typing import Any

from .common import (
    EXIT_INPUT,
    EXIT_OK,
    default_lang,
)


def cmd_kb(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from ..api import get_knowledge
    from ..lint import lint
    from ..resources import bundled_dir
    from ..strings import pick, t

    lang = default_lang(getattr(args, "lang", None))
    console = Console(highlight=False)
    if args.kb_command == "path":
        print(f"knowledge: {bundled_dir('knowledge')}\nrules: {bundled_dir('rules')}")
        return EXIT_OK
    if args.kb_command == "lint":
        findings = lint(args.knowledge, args.rules)
        for f in findings:
            console.print(f"[{'red' if f.severity == 'error' else 'yellow'}]{f.severity}[/]: {escape(f.text)}")
        errors = sum(f.severity == "error" for f in findings)
        console.print(f"{errors} errors, {len(findings) - errors} warnings")
        return EXIT_INPUT if errors else EXIT_OK
    kb = get_knowledge(args.knowledge)
    if args.kb_command == "requirements":
        _print_vocabulary(console, kb, lang)
        return EXIT_OK
    if args.kb_command == "list":
        table = Table(title=t("kb_title", lang, revision=kb.manifest.revision, as_of=kb.manifest.as_of))
        # Two short lines per cell rather than one long one, so an 80-column terminal breaks no word.
        table.add_column(t("tool", lang))
        table.add_column(f"{t('kb_cncf', lang)}\n{t('kb_status', lang)}")
        table.add_column(t("kb_release", lang))
        table.add_column(t("kb_license", lang))
        table.add_column(t("kb_vendors", lang), ratio=1)
        for entry in kb.tools:
            p = entry.project
            standing = p.cncf.maturity if p.status == p.cncf.maturity else f"{p.cncf.maturity}\n{p.status}"
            release = f"{p.latest_release.version}\n{p.latest_release.date}" if p.latest_release else "?"
            table.add_row(escape(entry.name), standing, escape(release), escape(p.license),
                          escape(", ".join(p.vendors)))
        console.print(table)
        return EXIT_OK
    try:
        tool = kb.tool(args.tool)
    except KeyError:
        from ..errors import InputError, Problem

        raise InputError([Problem.of("kb show", "tool", "unknown_tool", tool=repr(args.tool),
                                     values=", ".join(t.tool for t in kb.tools))]) from None
    p = tool.project
    header = t("kb_show_header", lang, maturity=t(f"cncf_{p.cncf.maturity}", lang),
               status=t(f"status_{p.status}", lang), license=p.license)
    console.print(f"[bold]{escape(tool.name)}[/] — {escape(header)}")
    console.print(escape(pick(tool.summary, lang)))
    for note in p.notes:
        console.print(f"  · {escape(pick(note, lang))}")
    table = Table(show_lines=False)
    for column in ("kb_capability", "kb_level", "component", "kb_note", "kb_evidence"):
        table.add_column(t(column, lang), overflow="fold")
    for cap_id in kb.catalogue.ids:
        c = tool.capabilities[cap_id]
        flags = "" if c.maturity == "ga" else f" ({c.maturity})"
        flags += "" if c.claim == "official" else f" [{c.claim}]"
        table.add_row(cap_id, c.level + flags, escape(c.component or "—"), escape(pick(c.note, lang)),
                      escape("\n".join(str(u) for u in c.evidence)))
    console.print(table)
    return EXIT_OK


def _print_vocabulary(console: Any, kb: Any, lang: str) -> None:
    """Every requirement id by group with its one-line definition, then the context keys and values."""
    from rich.markup import escape
    from rich.table import Table

    from ..strings import pick, t

    console.print(f"[bold]{escape(t('kb_requirements_title', lang))}[/]")
    for group in kb.catalogue.groups:
        table = Table(box=None, show_header=False, padding=(0, 1), title=pick(group.title, lang), title_justify="left",
                      title_style="bold underline", pad_edge=False)
        table.add_column(no_wrap=True, style="cyan")
        table.add_column(ratio=1, overflow="fold")
        for req in kb.catalogue.requirements:
            if req.group == group.id:
                table.add_row(req.id, f"[bold]{escape(pick(req.title, lang))}[/]: {escape(pick(req.definition, lang))}")
        console.print()
        console.print(table)
    console.print()
    console.print(f"[bold]{escape(t('kb_context_title', lang))}[/]")
    table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False)
    table.add_column(no_wrap=True, style="cyan")
    table.add_column(ratio=1, overflow="fold")
    for key, spec in kb.catalogue.contexts.items():
        if spec.integer:
            values = t("kb_context_integer", lang)
        else:
            values = ", ".join(spec.values)
            if spec.multi:
                values = t("kb_context_multi", lang, values=values, name=key, first=spec.values[0])
        table.add_row(key, f"[bold]{escape(pick(spec.title, lang))}[/]: {escape(values)}")
    console.print(table)
