"""`recommender explain FILE --tool T`: the rules that fired for one tool, and the near misses."""

from __future__ import annotations

import argparse

from .common import (
    EXIT_OK,
    default_lang,
)


def cmd_explain(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.markup import escape

    from ..api import get_knowledge, get_rules, load_requirements, recommend
    from ..errors import InputError, Problem
    from ..reasoning.trace import trace
    from ..render.verdicts import verdict_text
    from ..strings import t

    kb = get_knowledge(args.knowledge)
    rules = get_rules(args.rules, args.knowledge)
    if args.tool not in {t.tool for t in kb.tools}:
        raise InputError([Problem.of("--tool", "", "unknown_tool", tool=repr(args.tool),
                                     values=", ".join(t.tool for t in kb.tools))])
    lang = default_lang(args.lang)
    requirements = load_requirements(args.file, knowledge=kb)
    report = trace(requirements, kb, rules, args.tool, lang)
    console = Console(highlight=False, width=args.width)
    # Where the trace lands: the tool's rank, score and verdict, as the report gives them.
    rec = recommend(requirements, knowledge=kb, rules=rules, lang=lang, what_if=False)
    found = next(r for r in rec.ranking if r.tool == args.tool)
    console.print(t("explain_standing", lang, tool=found.name, rank=found.rank, count=len(rec.ranking),
                    score=f"{found.score:.1f}", verdict=verdict_text(found, lang)))
    console.print(f"[bold]{escape(t('explain_fired', lang, tool=args.tool))}[/] ({len(report.fired)})")
    for item in report.fired:
        console.print(f"  [cyan]{escape(item.rule)}[/] — {escape(item.description)}")
        for alias, fact in item.bindings.items():
            shown = ", ".join(f"{k}={v}" for k, v in fact.items() if k not in ("sid", "id", "ev"))
            console.print(f"      {escape(alias)}: {escape(shown)}")
    console.print(f"[bold]{escape(t('explain_near', lang, tool=args.tool))}[/] ({len(report.near)})")
    console.print(f"[dim]{escape(t('explain_near_how', lang))}[/]")
    for near in report.near:
        console.print(f"  [yellow]{escape(near.rule)}[/] — {escape(near.description)}")
        label = t("explain_blocked" if near.blocked else "explain_unmatched", lang)
        console.print(f"      {escape(label)}: {escape('; '.join(near.unmatched))}")
    return EXIT_OK
