"""Where the bundled rules/ and knowledge/ live, installed or in a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled_dir(name: str) -> Path:
    """The directory of bundled data `name` ("rules" or "knowledge")."""
    try:
        found = Path(str(resources.files(f"recommender.{name}_data")))
        if (found / ("manifest.yaml" if name == "knowledge" else "scoring.yaml")).is_file():
            return found
    except (ModuleNotFoundError, TypeError):
        pass
    # A source checkout without an install: the top-level folders beside the package.
    return Path(__file__).resolve().parent.parent / name
