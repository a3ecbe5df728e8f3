"""`recommender check`: validate requirements files without ranking them (hooks, editors, CI)."""

from __future__ import annotations

import argparse
import sys

from .common import (
    EXIT_INPUT,
    EXIT_OK,
    default_lang,
    expand_inputs,
)


def cmd_check(args: argparse.Namespace) -> int:
    """Validate requirements files without ranking them: the messages and exit 2 of `recommend`.

    Only the knowledge base's catalogue is needed, so the rules are never loaded and the rule
    engine never started: a hook runs this on every commit."""
    from ..api import get_knowledge, load_requirements
    from ..errors import InputError
    from ..strings import t

    lang = default_lang(args.lang)
    kb = get_knowledge(args.knowledge)
    inputs = expand_inputs(args.files)
    failed = 0
    for path in inputs:
        try:
            load_requirements(path, knowledge=kb)
        except InputError as exc:
            failed += 1
            sys.stderr.write(f"recommender: {t('problems', lang, count=len(exc.problems))}:\n{exc.render(lang)}\n")
    if failed:
        return EXIT_INPUT
    if not args.quiet:
        sys.stdout.write(t("check_ok", lang, count=len(inputs)) + "\n")
    return EXIT_OK
