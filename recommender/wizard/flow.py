"""`recommender wizard`: the conversation loop, the result with "ask me more" and the review, then
saving and exporting. Files are written only at the very end, so Ctrl-C anywhere writes nothing."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final

from ..interview import Interview
from .terminal import AFTER_DONE, AFTER_MORE, AFTER_REVIEW, Nav, TerminalUI, free_name, path_problem, ui_text

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output
    from rich.console import Console

    from ..models import Recommendation

EXIT_OK, EXIT_INPUT, EXIT_INTERRUPTED = 0, 2, 130

EXPORT_SUFFIX: Final[Mapping[str, str]] = {"table": "txt", "json": "json", "markdown": "md", "adr": "md",
                                           "html": "html"}


def go_back(iv: Interview, ui: TerminalUI) -> None:
    """Undo the last answer; asked again, its prompt starts on it."""
    if iv.history:
        last = iv.history[-1]
        ui.undone[last] = iv.value(last)
    iv.back()


def converse(iv: Interview, ui: TerminalUI, show: Callable[[Recommendation], None]) -> Recommendation:
    """Ask until nothing left can change the answer, show it, and offer more questions or a review.

    Returns the Recommendation the user accepted.
    """
    more = False
    while True:
        question = iv.next_question(exhaustive=more)
        if question is not None:
            answer = ui.ask(question, more=more)
            if answer is Nav.BACK:
                go_back(iv, ui)
            elif answer is Nav.SKIP:
                iv.skip(question.id)
            else:
                iv.answer(question.id, answer)  # type: ignore[arg-type]  # a value the prompt offered
            continue
        if not any(i != "avoid" for i in iv.requirements().requirements.values()):
            # Nothing wanted means nothing to rank: say so and ask the last question again.
            ui.console.print(f"[yellow]{ui.t('nothing_stated')}[/]")
            if iv.back() is None:
                more = True
            continue
        ui.console.print(f"[dim]{ui.t('working')}[/]")
        rec = iv.recommendation()
        show(rec)
        options = [(AFTER_DONE, ui.t("after_done"))]
        if iv.remaining():
            options.append((AFTER_MORE, ui.t("after_more", count=len(iv.remaining()))))
        options.append((AFTER_REVIEW, ui.t("after_review")))
        action = ui.choose(ui.t("after_result"), options)
        if action == AFTER_DONE:
            return rec
        if action == AFTER_MORE:
            more = True
            continue
        while (picked := ui.review()) is not None:
            if picked is Nav.BACK:
                go_back(iv, ui)
                break
            question = iv.question(str(picked))
            answer = ui.ask(question, more=True)
            if answer is Nav.SKIP:
                iv.skip(question.id)
            elif answer is not Nav.BACK:
                iv.answer(question.id, answer)  # type: ignore[arg-type]


def _formats() -> tuple[str, ...]:
    from .. import render as render_module

    return tuple(render_module.FORMATS)  # read at run time: formats are added independently


def _show(rec: Recommendation, console: Console) -> None:
    from ..render import render

    # The same report as batch mode, sized and coloured for this terminal.
    console.file.write(render(rec, "table", width=console.width, color=console.is_terminal))
    console.file.flush()


def run(args: argparse.Namespace, *, input: Input | None = None, output: Output | None = None,
        console: Console | None = None) -> int:
    """The wizard with injectable terminal I/O (tests pass a pipe input and a dummy output)."""
    from rich.console import Console as RichConsole

    lang: str = getattr(args, "lang", None) or "en"
    console = console or RichConsole(highlight=False)
    written: list[Path] = []
    try:
        return _run(args, lang, console, input, output, written)
    except (KeyboardInterrupt, EOFError):
        # Every file is written atomically at the very end, so an interrupt leaves nothing behind.
        message = ui_text("cancelled_after", lang, paths=", ".join(map(str, written))) if written \
            else ui_text("cancelled", lang)
        sys.stderr.write(f"\n{message}\n")
        return EXIT_INTERRUPTED
    except Exception as exc:
        from ..errors import InputError

        if isinstance(exc, InputError):
            sys.stderr.write(f"recommender: {len(exc.problems)} problem(s):\n{exc}\n")
            return EXIT_INPUT
        raise


def _run(args: argparse.Namespace, lang: str, console: Console, input: Input | None, output: Output | None,
         written: list[Path]) -> int:
    from ..api import get_knowledge, get_rules, load_requirements
    from ..cli.common import write_atomic
    from ..errors import InputError, Problem
    from ..requirements_io import dump_requirements

    save: Path | None = getattr(args, "save", None)
    force: bool = bool(getattr(args, "force", False))
    if save is not None and (problem := path_problem(save, force, "en")):
        # Refuse before the first question rather than after the last one.
        raise InputError([Problem.of(str(save), "--save", "cannot_write", reason=problem,
                                     reason_ko=path_problem(save, force, "ko") or problem)])
    kb = get_knowledge(getattr(args, "knowledge", None))
    rules = get_rules(getattr(args, "rules", None), kb)  # a broken rules directory fails now, not at the end
    from_file: Path | None = getattr(args, "from_file", None)
    initial = load_requirements(from_file, knowledge=kb) if from_file is not None else None

    iv = Interview(knowledge=kb, rules=rules, lang=lang, initial=initial)
    ui = TerminalUI(iv, lang, console, input=input, output=output)
    rec = converse(iv, ui, lambda found: _show(found, console))
    requirements = iv.requirements()

    if save is None and ui.confirm(ui.t("save_confirm"), default=True):
        save = ui.path(ui.t("save_path"), free_name("requirements", "yaml"), force)
    formats = _formats()
    export = ui.choose(ui.t("export"), [("", ui.t("export_none")),
                                        *((f, f"{f} (.{EXPORT_SUFFIX.get(f, f)})") for f in formats)])
    export_path = None
    if export:
        export_path = ui.path(ui.t("export_path", fmt=export),
                              free_name("recommendation", EXPORT_SUFFIX.get(export, export)), force)

    # Nothing is written until every question is answered, so Ctrl-C anywhere above writes nothing.
    from ..render import render

    if save is not None:
        # In the wizard's language: the person who answered edits this file next.
        write_atomic(save, dump_requirements(requirements, kb.catalogue, lang=lang,
                                             header=ui.t("saved_header", path=save)), force=force)
        written.append(save)
        console.print(ui.t("saved", path=save), highlight=False, markup=False)
    if export and export_path is not None:
        write_atomic(export_path, render(rec, export, source=str(save) if save else None), force=force)
        written.append(export_path)
        console.print(ui.t("exported", fmt=export, path=export_path), highlight=False, markup=False)
    return EXIT_OK


def main(args: argparse.Namespace) -> int:
    """Entry point from `recommender wizard`."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        sys.stderr.write(ui_text("not_tty", getattr(args, "lang", None) or "en") + "\n")
        return EXIT_INPUT
    return run(args)
