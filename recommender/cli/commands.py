"""The commands that fit the tools a team already runs: check (hooks, editors, CI), completion,
the report schema, and --compare. Thin layers over the library, like the rest of the CLI."""

from __future__ import annotations

import argparse
import json
import sys


def cmd_check(args: argparse.Namespace) -> int:
    """Validate requirements files without ranking them: the messages and exit 2 of `recommend`.

    Only the knowledge base's catalogue is needed, so the rules are never loaded and the rule
    engine never started: a hook runs this on every commit."""
    from ..api import get_knowledge, load_requirements
    from ..errors import InputError
    from ..strings import t
    from .common import EXIT_INPUT, EXIT_OK, default_lang, expand_inputs

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


def cmd_compare(args: argparse.Namespace) -> int:
    """`recommend FILE --compare SAVED.json`: exit 0 while the saved decision holds, 4 when it changed."""
    from ..api import get_knowledge, get_rules, load_requirements, recommend
    from ..compare import compare, load_saved_report, render_comparison
    from ..errors import InputError, Problem
    from .common import EXIT_CHANGED, EXIT_OK, default_lang, expand_inputs

    inputs = expand_inputs(args.files)
    if len(inputs) != 1:
        raise InputError([Problem("--compare", "", f"needs one requirements file, got {len(inputs)}",
                                  "compare each file with its own saved report")])
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


def cmd_schema_report() -> int:
    from ..schema import report_schema
    from .common import EXIT_OK

    sys.stdout.write(json.dumps(report_schema(), indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def cmd_completion(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """The completion script for the CLI's own parser, which the CLI hands in."""
    from .common import EXIT_OK
    from .completion import completion_script

    sys.stdout.write(completion_script(parser, args.shell))
    return EXIT_OK
