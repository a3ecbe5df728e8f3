"""`recommender schema`: the JSON Schema of a requirements file, or with --report of the JSON report."""

from __future__ import annotations

import argparse
import json
import sys

from .common import EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from ..schema import report_schema, requirements_schema

    if args.report:
        schema = report_schema()
    else:
        from ..api import get_knowledge

        schema = requirements_schema(get_knowledge().catalogue)
    sys.stdout.write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK
