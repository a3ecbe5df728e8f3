"""The `recommender` command: parses arguments, hands them to the command's module, reports
errors. No logic of its own.

Exit codes: 0 done; 2 bad input or usage; 3 no tool fits (with --fail-on-no-fit);
4 the saved decision changed (with --compare); 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from importlib import import_module
from typing import NoReturn

from .common import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, default_lang
from .parser import build_parser, help_lang


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
        # Each command names its handler (parser.py); its module is imported only when it runs.
        module, _, function = args.handler.partition(":")
        handler: Callable[[argparse.Namespace], int] = getattr(import_module(module, __package__), function)
        return handler(args)
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
