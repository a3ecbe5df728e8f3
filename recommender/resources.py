"""Where the bundled rules/ and knowledge/ live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The directory of bundled data `name` ("rules" or "knowledge").

    An installed wheel carries them as recommender/<name>_data; a source checkout (or an editable
    install) has them as top-level folders beside the package.
    """
    installed = _PACKAGE / f"{name}_data"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name
