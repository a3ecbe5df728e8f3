"""The `recommender` command: parses arguments, calls the library, renders. No logic of its own.

Exit codes: 0 done; 2 bad input or usage; 3 no tool fits (with --fail-on-no-fit);
4 the saved decision changed (with --compare); 130 interrupted.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NoReturn

from .common import (  # the commands, the wizard and the tests share them
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_NO_FIT,
    EXIT_OK,
    default_lang,
    expand_inputs,
    write_atomic,
)

PARALLEL_FROM = 32  # the same as recommender.cli.batch.PARALLEL_FROM (a test keeps them equal)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


# argparse's own error messages, as Python words them, and the help.yaml key of each one's text in
# the help's language (the English texts word them as argparse does). The first match wins;
# anything else is shown as argparse wrote it.
_ARGPARSE_ERRORS = (
    (re.compile(r"the following arguments are required: (?P<names>.+)"), "error_required"),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"), "error_unrecognized"),
    (re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<names>.+)"), "error_ambiguous"),
    (re.compile(r"argument (?P<option>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<names>.+)\)"),
     "error_choice"),
    (re.compile(r"argument (?P<option>\S+): expected one argument"), "error_expected_one"),
    (re.compile(r"argument (?P<option>\S+): (?P<value>'.*') is not a whole number"), "error_not_whole"),
    (re.compile(r"argument (?P<option>\S+): (?P<value>-?\d+) is less than 1"), "error_below_one"),
    (re.compile(r"argument (?P<option>\S+): invalid (?P<type>\S+) value: (?P<value>.+)"), "error_invalid_value"),
)


def translate_error(message: str, texts: dict[str, str]) -> str:
    """argparse's error message in the help's language (texts from help.yaml)."""
    for pattern, key in _ARGPARSE_ERRORS:
        found = pattern.fullmatch(message)
        if found:
            return texts[key].format(**found.groupdict())
    return message


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, texts: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._texts = texts or {}

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        if self._texts:
            message = translate_error(message, self._texts)
        sys.stderr.write(f"recommender: {self._texts.get('error', 'error')}: {message}\n")
        raise SystemExit(EXIT_INPUT)


# The same list as recommender.render.FORMATS (a test keeps them equal), without importing the
# renderers just to build --help.
FORMATS = ("table", "json", "markdown", "adr", "html", "svg")


class _Formatter(argparse.HelpFormatter):
    """argparse's own words (usage, section headings) in the help's language."""

    def __init__(self, prog: str, texts: dict[str, str]) -> None:
        super().__init__(prog)
        self._texts = texts

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, self._texts["usage"] if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        super().start_section(self._texts.get(heading, heading) if heading else heading)

    def _split_lines(self, text: str, width: int) -> list[str]:
        # argparse wraps by characters; Hangul takes two columns each, so wrap by columns.
        lines: list[str] = []
        for word in self._whitespace_matcher.sub(" ", text).strip().split(" "):
            if lines and _columns(lines[-1]) + 1 + _columns(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
        return lines


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    from ..strings import help_texts

    h = help_texts(lang)
    formatter = functools.partial(_Formatter, texts=h)

    def parser_for(adder: Callable[..., _Parser], *args: Any, **kwargs: Any) -> _Parser:
        made = adder(*args, formatter_class=formatter, add_help=False, texts=h, **kwargs)
        made.add_argument("-h", "--help", action="help", help=h["help"])
        return made

    parser = parser_for(_Parser, prog="recommender", description=h["description"])
    parser.add_argument("--version", action="store_true", help=h["version"])
    # Its own dest: a subcommand's --lang default (None) would overwrite a shared one.
    parser.add_argument("--lang", dest="top_lang", choices=["en", "ko"], help=h["lang_top"])
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    rec = parser_for(sub.add_parser, "recommend", help=h["recommend"], description=h["recommend_description"])
    rec.add_argument("files", nargs="+", type=Path, help=h["files"])
    rec.add_argument("--format", choices=FORMATS, default=None, help=h["format"])
    rec.add_argument("-o", "--output", type=Path, help=h["output"])
    rec.add_argument("--force", action="store_true", help=h["force"])
    rec.add_argument("--fail-on-no-fit", action="store_true", help=h["fail_on_no_fit"])
    rec.add_argument("--evidence", action="store_true", help=h["evidence"])
    rec.add_argument("--full", action="store_true", help=h["full"])
    rec.add_argument("--no-what-if", action="store_true", help=h["no_what_if"])
    rec.add_argument("--lang", choices=["en", "ko"], help=h["lang_report"])
    rec.add_argument("--width", type=int, default=None, help=h["width"])
    rec.add_argument("-j", "--jobs", type=_positive, default=None,
                     help=h["jobs"].format(parallel_from=PARALLEL_FROM))
    rec.add_argument("--compare", type=Path, metavar="SAVED.json", help=h["compare"])
    _data_options(rec, h)

    chk = parser_for(sub.add_parser, "check", help=h["check"], description=h["check_description"])
    chk.add_argument("files", nargs="+", type=Path, help=h["files"])
    chk.add_argument("-q", "--quiet", action="store_true", help=h["quiet"])
    chk.add_argument("--lang", choices=["en", "ko"], help=h["lang"])
    chk.add_argument("--knowledge", type=Path, help=h["knowledge"])

    exp = parser_for(sub.add_parser, "explain", help=h["explain"])
    exp.add_argument("file", type=Path, help=h["file"])
    exp.add_argument("--tool", required=True, type=str.lower, help=h["tool"])
    exp.add_argument("--width", type=int, default=None, help=h["width_explain"])
    exp.add_argument("--lang", choices=["en", "ko"], help=h["lang"])
    _data_options(exp, h)

    parser_for(sub.add_parser, "schema", help=h["schema"]).add_argument("--report", action="store_true",
                                                                        help=h["schema_report"])
    comp = parser_for(sub.add_parser, "completion", help=h["completion"])
    comp.add_argument("shell", choices=["bash", "zsh", "fish"], help=h["completion_shell"])

    wiz = parser_for(sub.add_parser, "wizard", help=h["wizard"])
    wiz.add_argument("--save", type=Path, help=h["save"])
    wiz.add_argument("--from", dest="from_file", type=Path, help=h["from_file"])
    wiz.add_argument("--lang", choices=["en", "ko"], help=h["lang_wizard"])
    wiz.add_argument("--force", action="store_true", help=h["force_save"])
    _data_options(wiz, h)

    kb = parser_for(sub.add_parser, "kb", help=h["kb"])
    kb_sub = kb.add_subparsers(dest="kb_command", parser_class=_Parser, required=True)
    listing = parser_for(kb_sub.add_parser, "list", help=h["kb_list"])
    listing.add_argument("--lang", choices=["en", "ko"], help=h["lang"])
    _data_options(listing, h)
    show = parser_for(kb_sub.add_parser, "show", help=h["kb_show"])
    show.add_argument("tool", type=str.lower, help=h["tool"])
    show.add_argument("--lang", choices=["en", "ko"], help=h["lang"])
    _data_options(show, h)
    vocabulary = parser_for(kb_sub.add_parser, "requirements", help=h["kb_requirements"])
    vocabulary.add_argument("--lang", choices=["en", "ko"], help=h["lang"])
    _data_options(vocabulary, h)
    _data_options(parser_for(kb_sub.add_parser, "lint", help=h["kb_lint"]), h)
    parser_for(kb_sub.add_parser, "path", help=h["kb_path"])
    return parser


def _data_options(p: argparse.ArgumentParser, h: dict[str, str]) -> None:
    p.add_argument("--knowledge", type=Path, help=h["knowledge"])
    p.add_argument("--rules", type=Path, help=h["rules"])


def help_lang(argv: list[str]) -> str:
    """The language for --help, read before parsing: --lang anywhere in argv, else the locale."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv) and argv[index + 1] in ("en", "ko"):
            return argv[index + 1]
        if arg in ("--lang=en", "--lang=ko"):
            return arg.partition("=")[2]
    return default_lang(None)


def cmd_recommend(args: argparse.Namespace) -> int:
    from ..api import get_knowledge, get_rules
    from ..errors import InputError
    from ..interrupts import ctrl_c_held
    from ..render import EXTENSIONS
    from .batch import Job, default_jobs, run_batch

    # Loaded up front so a broken knowledge or rules directory is reported before any file.
    get_knowledge(args.knowledge)
    get_rules(args.rules, args.knowledge)
    lang = default_lang(args.lang)
    inputs = expand_inputs(args.files)
    many = len(inputs) > 1
    args.format = _output_format(args, many)
    out_dir: Path | None = None
    # Several inputs as JSON into one .json file: one document with every result and a summary.
    one_json_file = many and args.format == "json" and args.output is not None and (
        args.output.suffix == ".json" or args.output.is_file())
    if many and args.output is not None and not one_json_file:
        from ..errors import Problem

        out_dir = args.output
        if (out_dir.exists() and not out_dir.is_dir()) or (not out_dir.exists() and out_dir.suffix):
            raise InputError([Problem(str(out_dir), "", "several inputs need a directory for -o, not a file",
                                      "give -o a directory (a new one is created)")])
        targets = [out_dir / f"{p.stem}.{EXTENSIONS[args.format]}" for p in inputs]
        existing = [t for t in targets if t.exists()]
        if existing and not args.force:
            raise InputError([Problem(str(t), "", "already exists", "pass --force to overwrite it")
                              for t in existing])
        out_dir.mkdir(parents=True, exist_ok=True)
    to_terminal = args.output is None and sys.stdout.isatty()
    # The terminal's own width; files and pipes get --width or 100.
    width = args.width or (shutil.get_terminal_size((100, 24)).columns if to_terminal else 100)
    written: list[str] = []
    failed: list[str] = []
    summary: list[tuple[str, str, str]] = []  # file, top or "no fit" or "error", score (display)
    json_summary: list[dict[str, object]] = []  # the same for machines: ids, numbers, problems
    documents: list[str] = []
    json_results: list[dict[str, object]] = []
    no_fit = False
    progress = _progress(len(inputs)) if many and sys.stderr.isatty() else None
    pending = list(inputs)
    gather_json = args.format == "json" and many and out_dir is None  # stdout or one .json file
    job = Job(knowledge=args.knowledge, rules=args.rules, lang=lang, what_if=not args.no_what_if,
              format=args.format, envelope=gather_json, width=width or 100, color=to_terminal,
              evidence=args.evidence, full=args.full)
    jobs = args.jobs or default_jobs(len(inputs))
    try:
        for result in run_batch(inputs, job, jobs):
            path = result.path
            if result.problems:
                from ..strings import t

                exc = InputError(result.problems)
                sys.stderr.write(f"recommender: {t('problems', lang, count=len(exc.problems))}:\n"
                                 f"{exc.render(lang)}\n")
                failed.append(str(path))
                summary.append((str(path), "error", ""))
                json_summary.append({"file": str(path), "top": None, "score": None, "no_fit": None,
                                     "problems": [str(p) for p in exc.problems]})
                pending.remove(path)
                continue
            no_fit = no_fit or result.no_fit
            summary.append((str(path), result.top_name or "no fit",
                            f"{result.score:.1f}" if result.score is not None else ""))
            json_summary.append({"file": str(path), "top": result.top, "score": result.score,
                                 "no_fit": result.no_fit, "problems": []})
            with ctrl_c_held():  # a report on disk is listed as written, whenever Ctrl-C comes
                if result.envelope is not None:
                    json_results.append(result.envelope)
                else:
                    text = result.text or ""
                    if out_dir is not None:
                        target = out_dir / f"{path.stem}.{EXTENSIONS[args.format]}"
                        write_atomic(target, text, force=args.force)
                        written.append(str(target))
                    elif many and args.format == "table":
                        documents.append(f"\n=== {path} ===\n{text}")
                    else:
                        documents.append(text)
                pending.remove(path)
            if progress:
                progress()
    except KeyboardInterrupt:
        sys.stderr.write("recommender: interrupted\n")
        if written:
            sys.stderr.write("written: " + ", ".join(written) + "\n")
        sys.stderr.write("not written: " + ", ".join(str(p) for p in pending) + "\n")
        return EXIT_INTERRUPTED
    if json_results:
        import json

        from ..render.jsonout import SCHEMA_VERSION

        documents.append(json.dumps({"schema_version": SCHEMA_VERSION, "results": json_results,
                                     "summary": json_summary},
                                    indent=2, ensure_ascii=False) + "\n")
    text = "".join(documents)
    if args.output is not None and out_dir is None:
        if not failed:  # one output file holds all or nothing
            write_atomic(args.output, text, force=args.force)
    elif text:
        sys.stdout.write(text)
    if many and args.format != "json":
        _print_summary(summary, lang, to_stderr=out_dir is None and args.format != "table")
    if failed:
        return EXIT_INPUT
    return EXIT_NO_FIT if (no_fit and args.fail_on_no_fit) else EXIT_OK


def _output_format(args: argparse.Namespace, many: bool) -> str:
    """--format, else the one -o's extension names (a single output file only), else table."""
    from ..errors import InputError, Problem
    from ..render import FORMAT_OF_EXTENSION, format_for

    # Several inputs write a directory, except into one .json file (one document with every result).
    output = (str(args.output) if args.output is not None and (not many or args.output.suffix.lower() == ".json")
              else None)
    try:
        return format_for(output, args.format)
    except ValueError as exc:
        # An ADR is Markdown: .md with --format adr is no contradiction (format_for allows it).
        wanted = ".md" if args.format == "adr" else next((e for e, f in FORMAT_OF_EXTENSION.items()
                                                          if f == args.format), None)
        message = f"the extension {args.output.suffix} means {exc}, but --format {args.format} was given"
        fix = f"name the file *{wanted} or drop --format" if wanted else "drop --format"
        raise InputError([Problem(str(args.output), "-o", message, fix)]) from None


def _progress(total: int) -> Callable[[], None]:
    """A progress bar on stderr (only when stderr is a terminal), advanced once per file."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress(BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=True)
    task = bar.add_task("files", total=total)
    bar.start()

    def step() -> None:
        bar.advance(task)
        if bar.finished:
            bar.stop()

    return step


def _print_summary(rows: list[tuple[str, str, str]], lang: str, *, to_stderr: bool) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from ..strings import t

    table = Table(title=t("summary", lang))
    for column in ("file", "top_pick", "score"):
        table.add_column(t(column, lang))
    for file, top, score in rows:
        table.add_row(escape(file), escape(t("error", lang) if top == "error" else top), score)
    Console(stderr=to_stderr, highlight=False).print(table)


def cmd_schema() -> int:
    import json

    from ..api import get_knowledge
    from ..schema import requirements_schema

    sys.stdout.write(json.dumps(requirements_schema(get_knowledge().catalogue), indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.markup import escape

    from ..api import get_knowledge, get_rules, load_requirements
    from ..errors import InputError, Problem
    from ..reasoning.trace import trace
    from ..strings import t

    kb = get_knowledge(args.knowledge)
    rules = get_rules(args.rules, args.knowledge)
    if args.tool not in {t.tool for t in kb.tools}:
        raise InputError([Problem("--tool", "", f"unknown tool {args.tool!r}",
                                  f"use one of: {', '.join(t.tool for t in kb.tools)}")])
    lang = default_lang(args.lang)
    report = trace(load_requirements(args.file, knowledge=kb), kb, rules, args.tool, lang)
    console = Console(highlight=False, width=args.width)
    console.print(f"[bold]{escape(t('explain_fired', lang, tool=args.tool))}[/] ({len(report.fired)})")
    for item in report.fired:
        console.print(f"  [cyan]{escape(item.rule)}[/] — {escape(item.description)}")
        for alias, fact in item.bindings.items():
            shown = ", ".join(f"{k}={v}" for k, v in fact.items() if k not in ("sid", "id", "ev"))
            console.print(f"      {escape(alias)}: {escape(shown)}")
    console.print(f"[bold]{escape(t('explain_near', lang, tool=args.tool))}[/] ({len(report.near)})")
    for near in report.near:
        console.print(f"  [yellow]{escape(near.rule)}[/] — {escape(near.description)}")
        console.print(f"      {escape(t('explain_unmatched', lang))}: {escape('; '.join(near.unmatched))}")
    return EXIT_OK


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

        raise InputError([Problem("kb show", "tool", f"unknown tool {args.tool!r}",
                                  f"use one of: {', '.join(t.tool for t in kb.tools)}")]) from None
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


def main(argv: list[str] | None = None) -> int:
    # pydantic looks up plugin entry points on first use (~20 ms); this command uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(help_lang(argv))
    args = parser.parse_args(argv)
    if getattr(args, "lang", None) is None and args.top_lang:  # `recommender --lang ko recommend ...`
        args.lang = args.top_lang
    if args.version:
        from .. import __version__

        print(f"recommender {__version__}")
        return EXIT_OK
    if args.command is None:
        parser.print_help()
        return EXIT_INPUT
    from ..errors import EngineError, InputError, WorkerDied

    try:
        if args.command == "recommend" and args.compare is not None:
            from .commands import cmd_compare

            return cmd_compare(args)
        if args.command == "recommend":
            return cmd_recommend(args)
        if args.command in ("check", "completion") or (args.command == "schema" and args.report):
            from . import commands

            if args.command == "check":
                return commands.cmd_check(args)
            return commands.cmd_completion(args, build_parser()) if args.command == "completion" \
                else commands.cmd_schema_report()
        if args.command == "schema":
            return cmd_schema()
        if args.command == "explain":
            return cmd_explain(args)
        if args.command == "wizard":
            from ..wizard import main as wizard_main  # questionary is imported only here

            return wizard_main(args)
        return cmd_kb(args)
    except InputError as exc:
        lang = default_lang(getattr(args, "lang", None))
        from ..strings import t

        sys.stderr.write(f"recommender: {t('problems', lang, count=len(exc.problems))}:\n{exc.render(lang)}\n")
        return EXIT_INPUT
    except WorkerDied as exc:  # the run cannot finish as asked: exit 2, as a bad input would
        sys.stderr.write(f"recommender: {exc}\n")
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
