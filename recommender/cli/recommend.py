"""`recommender recommend`: one file or many, in this process or in workers, to the screen, a file
or a directory; `--compare` checks a saved decision instead."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from .common import (
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_NO_FIT,
    EXIT_OK,
    default_lang,
    expand_inputs,
    write_atomic,
)


def cmd_recommend(args: argparse.Namespace) -> int:
    if args.compare is not None:
        from .compare import cmd_compare

        return cmd_compare(args)
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
            raise InputError([Problem.of(str(out_dir), "", "output_not_directory")])
        targets = [out_dir / f"{p.stem}.{EXTENSIONS[args.format]}" for p in inputs]
        existing = [t for t in targets if t.exists()]
        if existing and not args.force:
            raise InputError([Problem.of(str(t), "", "already_exists")
                              for t in existing])
        out_dir.mkdir(parents=True, exist_ok=True)
    to_terminal = args.output is None and sys.stdout.isatty()
    # The terminal's own width; files and pipes get --width or 100.
    width = args.width or (shutil.get_terminal_size((100, 24)).columns if to_terminal else 100)
    written: list[str] = []
    failed: list[str] = []
    summary: list[SummaryRow] = []
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
                summary.append(SummaryRow(str(path), None, None, None, None, error=True))
                json_summary.append({"file": str(path), "top": None, "score": None, "no_fit": None,
                                     "verdict": None, "confidence": None,
                                     "problems": [str(p) for p in exc.problems]})
                pending.remove(path)
                continue
            no_fit = no_fit or result.no_fit
            summary.append(SummaryRow(str(path), result.top_name, result.score, result.verdict, result.confidence))
            json_summary.append({"file": str(path), "top": result.top, "score": result.score,
                                 "no_fit": result.no_fit, "verdict": result.verdict,
                                 "confidence": result.confidence, "problems": []})
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
    suffix = args.output.suffix if output is not None else ""
    if args.format is None and suffix and suffix.lower() not in FORMAT_OF_EXTENSION:
        # A report.pdf would hold a text table: say so rather than write it.
        raise InputError([Problem.of(str(args.output), "-o", "unknown_extension", ext=suffix,
                                     values=" ".join(FORMAT_OF_EXTENSION))])
    try:
        return format_for(output, args.format)
    except ValueError as exc:
        # An ADR is Markdown: .md with --format adr is no contradiction (format_for allows it).
        wanted = ".md" if args.format == "adr" else next((e for e, f in FORMAT_OF_EXTENSION.items()
                                                          if f == args.format), None)
        raise InputError([Problem.of(str(args.output), "-o", "extension_format", ext=args.output.suffix,
                                     inferred=exc, given=args.format, wanted=wanted or "",
                                     fix="" if wanted else "drop_format")]) from None


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


class SummaryRow(NamedTuple):
    """One file's line in a batch's summary."""

    file: str
    top: str | None  # the pick's name; None for no fit (or an error)
    score: float | None
    verdict: str | None
    confidence: str | None
    error: bool = False


def _print_summary(rows: list[SummaryRow], lang: str, *, to_stderr: bool) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from ..strings import t

    table = Table(title=t("summary", lang))
    table.add_column(t("file", lang), overflow="fold")  # a path is how a reader finds the file: never cut
    for column in ("top_pick", "score", "confidence"):
        table.add_column(t(column, lang), no_wrap=True)
    for row in rows:
        if row.error:
            top = t("error", lang)
        elif row.top is None:
            top = t("no_fit", lang)
        else:  # a partial fit says so: a must is met only in part
            top = row.top if row.verdict != "partial" else f"{row.top} ({t('verdict_partial', lang)})"
        table.add_row(escape(row.file), escape(top), f"{row.score:.1f}" if row.score is not None else "",
                      t("level_" + row.confidence, lang) if row.confidence else "")
    Console(stderr=to_stderr, highlight=False).print(table)
