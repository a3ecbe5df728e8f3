"""The argument parser: every command and option, help in English or Korean, and argparse's own
messages translated. Each command names its handler (`set_defaults(handler=...)`), imported only
when it runs."""

from __future__ import annotations

import argparse
import functools
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NoReturn

from .common import (
    EXIT_INPUT,
    default_lang,
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
    rec.set_defaults(handler=".recommend:cmd_recommend")

    chk = parser_for(sub.add_parser, "check", help=h["check"], description=h["check_description"])
    chk.add_argument("files", nargs="+", type=Path, help=h["files"])
    chk.add_argument("-q", "--quiet", action="store_true", help=h["quiet"])
    chk.add_argument("--lang", choices=["en", "ko"], help=h["lang"])
    chk.add_argument("--knowledge", type=Path, help=h["knowledge"])
    chk.set_defaults(handler=".check:cmd_check")

    exp = parser_for(sub.add_parser, "explain", help=h["explain"])
    exp.add_argument("file", type=Path, help=h["file"])
    exp.add_argument("--tool", required=True, type=str.lower, help=h["tool"])
    exp.add_argument("--width", type=int, default=None, help=h["width_explain"])
    exp.add_argument("--lang", choices=["en", "ko"], help=h["lang"])
    _data_options(exp, h)
    exp.set_defaults(handler=".explain:cmd_explain")

    schema = parser_for(sub.add_parser, "schema", help=h["schema"])
    schema.add_argument("--report", action="store_true", help=h["schema_report"])
    schema.set_defaults(handler=".schema:cmd_schema")
    comp = parser_for(sub.add_parser, "completion", help=h["completion"])
    comp.add_argument("shell", choices=["bash", "zsh", "fish"], help=h["completion_shell"])
    comp.set_defaults(handler=".completion:cmd_completion")

    wiz = parser_for(sub.add_parser, "wizard", help=h["wizard"])
    wiz.add_argument("--save", type=Path, help=h["save"])
    wiz.add_argument("--from", dest="from_file", type=Path, help=h["from_file"])
    wiz.add_argument("--lang", choices=["en", "ko"], help=h["lang_wizard"])
    wiz.add_argument("--force", action="store_true", help=h["force_save"])
    _data_options(wiz, h)
    wiz.set_defaults(handler="..wizard:main")  # questionary is imported only when it runs

    kb = parser_for(sub.add_parser, "kb", help=h["kb"])
    kb.set_defaults(handler=".kb:cmd_kb")
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
