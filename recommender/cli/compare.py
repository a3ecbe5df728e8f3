"""`recommender recommend FILE --compare SAVED.json`: does a saved decision still hold? (exit 4 if not)"""

from __future__ import annotations

import argparse
import sys

from .common import (
    EXIT_OK,
    default_lang,
    expand_inputs,
)


def cmd_compare(args: argparse.Namespace) -> int:
    """`recommend FILE --compare SAVED.json`: exit 0 while the saved decision holds, 4 when it changed."""
    from ..api import get_knowledge, get_rules, load_requirements, recommend
    from ..compare import compare, load_saved_report, render_comparison
    from ..errors import InputError, Problem
    from .common import EXIT_CHANGED

    inputs = expand_inputs(args.files)
    if len(inputs) != 1:
        raise InputError([Problem.of("--compare", "", "compare_needs_one_file", count=len(inputs))])
    path = inputs[0]
    saved = load_saved_report(args.compare, source=str(path))
    lang = default_lang(args.lang)
    kb = get_knowledge(args.knowledge)
    rules = get_rules(args.rules, args.knowledge)
    requirements = load_requirements(path, knowledge=kb)
    # The what-if re-runs change no verdict, pick or stack: skipped, so a CI check stays quick.
    current = recommend(requirements, knowledge=kb, rules=rules, lang=lang, what_if=False)
    comparison = compare(saved, current, kb, saved_path=str(args.compare))
    sys.stdout.write(render_comparison(comparison, lang))
    return EXIT_CHANGED if comparison.changed else EXIT_OK
