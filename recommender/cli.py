"""The `recommender` command: parses arguments, calls the library, renders. No logic of its own.

Exit codes: 0 done; 2 bad input or usage; 3 no tool meets the musts (with --fail-on-no-fit);
130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

EXIT_OK, EXIT_INPUT, EXIT_NO_FIT, EXIT_INTERRUPTED = 0, 2, 3, 130


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"recommender: error: {message}\n")
        raise SystemExit(EXIT_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="recommender", description=(
        "Recommend continuous-delivery tooling (Argo, Flux, Keptn, OpenKruise) for a team's "
        "requirements, with the reasons from a rule engine over a sourced knowledge base."))
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    rec = sub.add_parser("recommend", help="rank the tools for a requirements YAML file")
    rec.add_argument("files", nargs="+", type=Path, help="requirements YAML file(s)")
    rec.add_argument("--format", choices=["table", "json"], default="table", help="output format")
    rec.add_argument("-o", "--output", type=Path, help="write the report to this file instead of stdout")
    rec.add_argument("--force", action="store_true", help="overwrite an existing output file")
    rec.add_argument("--fail-on-no-fit", action="store_true", help="exit 3 when no tool meets the musts")
    rec.add_argument("--evidence", action="store_true", help="show evidence URLs under each line (table)")
    _data_options(rec)

    wiz = sub.add_parser("wizard", help="answer a few questions interactively and get a recommendation")
    wiz.add_argument("--save", type=Path, help="save the answers as a requirements YAML file without asking")
    wiz.add_argument("--from", dest="from_file", type=Path, help="start from an existing requirements file")
    wiz.add_argument("--lang", choices=["en", "ko"], help="language of the questions and the report")
    wiz.add_argument("--force", action="store_true", help="overwrite an existing --save file")
    _data_options(wiz)

    kb = sub.add_parser("kb", help="inspect and check the knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", parser_class=_Parser, required=True)
    _data_options(kb_sub.add_parser("list", help="list the tools and their project facts"))
    show = kb_sub.add_parser("show", help="every capability claim of one tool, with evidence")
    show.add_argument("tool")
    _data_options(show)
    _data_options(kb_sub.add_parser("lint", help="check knowledge and rules; exit 2 on errors"))
    kb_sub.add_parser("path", help="print the bundled knowledge and rules directories")
    return parser


def _data_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--knowledge", type=Path, help="a knowledge directory (default: the bundled one)")
    p.add_argument("--rules", type=Path, help="a rules directory (default: the bundled one)")


def write_atomic(path: Path, text: str, *, force: bool) -> None:
    """Write via a temporary file and rename, so a reader never sees half a report."""
    from .errors import InputError, Problem

    if path.exists() and not force:
        raise InputError([Problem(str(path), "", "already exists", "pass --force to overwrite it")])
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _console(file: object = None, width: int | None = None) -> object:
    from rich.console import Console

    return Console(file=file, width=width, highlight=False)  # type: ignore[arg-type]


def cmd_recommend(args: argparse.Namespace) -> int:
    import io

    from .api import get_knowledge, get_rules, load_requirements, recommend
    from .render.jsonout import render_json
    from .render.table import render_report

    kb = get_knowledge(args.knowledge)
    rules = get_rules(args.rules, args.knowledge)
    outputs: list[str] = []
    no_fit = False
    for path in args.files:
        requirements = load_requirements(path, knowledge=kb)
        rec = recommend(requirements, knowledge=kb, rules=rules)
        no_fit = no_fit or rec.no_fit is not None
        if args.format == "json":
            outputs.append(render_json(rec, str(path)))
        else:
            buffer = io.StringIO()
            from rich.console import Console

            console = Console(file=buffer, width=None if args.output is None else 120, highlight=False,
                              force_terminal=args.output is None and sys.stdout.isatty())
            if len(args.files) > 1:
                console.rule(str(path))
            render_report(rec, console, evidence=args.evidence)
            outputs.append(buffer.getvalue())
    text = "".join(outputs)
    if args.output:
        write_atomic(args.output, text, force=args.force)
    else:
        sys.stdout.write(text)
    return EXIT_NO_FIT if (no_fit and args.fail_on_no_fit) else EXIT_OK


def cmd_kb(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from .api import get_knowledge
    from .lint import lint
    from .resources import bundled_dir

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
    if args.kb_command == "list":
        table = Table(title=f"Knowledge {kb.manifest.revision} (as of {kb.manifest.as_of})")
        for column in ("Tool", "CNCF", "Status", "Latest release", "License", "Vendors"):
            table.add_column(column)
        for t in kb.tools:
            p = t.project
            release = f"{p.latest_release.version} ({p.latest_release.date})" if p.latest_release else "?"
            table.add_row(escape(t.name), p.cncf.maturity, p.status, escape(release), escape(p.license),
                          escape(", ".join(p.vendors)))
        console.print(table)
        return EXIT_OK
    try:
        tool = kb.tool(args.tool)
    except KeyError:
        from .errors import InputError, Problem

        raise InputError([Problem("kb show", "tool", f"unknown tool {args.tool!r}",
                                  f"use one of: {', '.join(t.tool for t in kb.tools)}")]) from None
    p = tool.project
    console.print(f"[bold]{escape(tool.name)}[/] — CNCF {p.cncf.maturity}, {p.status}, {escape(p.license)}")
    console.print(escape(tool.summary.get("en", "")))
    for note in p.notes:
        console.print(f"  · {escape(note)}")
    table = Table(show_lines=False)
    for column in ("Capability", "Level", "Component", "Note", "Evidence"):
        table.add_column(column, overflow="fold")
    for cap_id in kb.catalogue.ids:
        c = tool.capabilities[cap_id]
        flags = "" if c.maturity == "ga" else f" ({c.maturity})"
        flags += "" if c.claim == "official" else f" [{c.claim}]"
        table.add_row(cap_id, c.level + flags, escape(c.component or "—"), escape(c.note),
                      escape("\n".join(str(u) for u in c.evidence)))
    console.print(table)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from . import __version__

        print(f"recommender {__version__}")
        return EXIT_OK
    if args.command is None:
        parser.print_help()
        return EXIT_INPUT
    from .errors import EngineError, InputError

    try:
        if args.command == "recommend":
            return cmd_recommend(args)
        if args.command == "wizard":
            from .wizard import main as wizard_main  # questionary is imported only here

            return wizard_main(args)
        return cmd_kb(args)
    except InputError as exc:
        sys.stderr.write(f"recommender: {len(exc.problems)} problem(s):\n{exc}\n")
        return EXIT_INPUT
    except EngineError as exc:
        sys.stderr.write(f"recommender: the rule engine failed: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("recommender: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


def run() -> NoReturn:
    raise SystemExit(main())
