"""The README's sample output is what the tool prints: regenerate it with
`UPDATE_README=1 .venv/bin/pytest tests/test_readme.py` after a change to the report or the knowledge."""

from __future__ import annotations

import os
import re
from pathlib import Path

from recommender import load_requirements, recommend
from recommender.api import get_knowledge
from recommender.render import render

ROOT = Path(__file__).resolve().parent.parent
_SAMPLE = re.compile(r"(<!-- sample: recommender recommend (?P<file>\S+) --width (?P<width>\d+) -->\n```\n)"
                     r"(?P<body>.*?)(```\n<!-- end of sample -->)", re.S)


def _sample(file: str, width: int) -> str:
    # Dated as of the knowledge, so the staleness check (confidence) does not drift with the calendar.
    kb = get_knowledge()
    rec = recommend(load_requirements(ROOT / file), today=kb.manifest.as_of)
    text = render(rec, "table", width=width, knowledge=kb)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def test_readme_sample_output_is_a_real_run() -> None:
    readme_path = ROOT / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    found = _SAMPLE.search(readme)
    assert found, "README.md lost its sample block"
    expected = _sample(found.group("file"), int(found.group("width")))
    if os.environ.get("UPDATE_README"):
        readme = readme[:found.start("body")] + expected + readme[found.end("body"):]
        readme_path.write_text(readme, encoding="utf-8")
        found = _SAMPLE.search(readme)
        assert found
    assert found.group("body") == expected, "run UPDATE_README=1 pytest tests/test_readme.py to refresh the sample"
    assert len(expected.splitlines()) <= 40
