"""What the command-line entry points share: exit codes, the language default, input expansion
and atomic writes. Its own module, so the commands and the wizard need not import the CLI."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

EXIT_OK, EXIT_INPUT, EXIT_NO_FIT, EXIT_CHANGED, EXIT_INTERRUPTED = 0, 2, 3, 4, 130


def write_atomic(path: Path, text: str, *, force: bool) -> None:
    """Write via a temporary file and rename, so a reader never sees half a report."""
    from ..errors import InputError, Problem
    from ..interrupts import ctrl_c_held

    if path.exists() and not force:
        raise InputError([Problem.of(str(path), "", "already_exists")])
    directory = path.parent if str(path.parent) else Path(".")
    # Ctrl-C held: a KeyboardInterrupt between mkstemp and the try would leave the temporary file behind.
    with ctrl_c_held():
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            # mkstemp creates the file owner-only; a report is an ordinary file, readable as the umask says.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def default_lang(explicit: str | None) -> str:
    """--lang, else Korean when LC_ALL / LC_MESSAGES / LANG asks for it, else English."""
    if explicit:
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def expand_inputs(paths: list[Path]) -> list[Path]:
    """Files as given; a directory stands for the .yaml/.yml files directly in it, sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
            if not found:
                from ..errors import InputError, Problem

                raise InputError([Problem.of(str(path), "", "no_yaml_in_directory")])
            out += found
        else:
            out.append(path)
    return out


