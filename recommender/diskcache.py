"""A disk cache of validated knowledge and rules, so a fresh process skips YAML parsing and
validation. Entries are keyed by the files' content and the package version; a corrupt or
unreadable entry is ignored and rebuilt. RECOMMENDER_CACHE_DIR sets the place; "off" disables it.

Entries are pickles of the validated models: unpickling skips pydantic's schema building and
validation, which is most of a cold start. The cache lives in the user's own cache directory,
written atomically with owner-only permissions, and is read only from there.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from .version import __version__

M = TypeVar("M", bound=BaseModel)


def cache_dir() -> Path | None:
    setting = os.environ.get("RECOMMENDER_CACHE_DIR", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "recommender"


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The package's code, by file size and time: a pickle from other code is never loaded."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        with contextlib.suppress(OSError):
            st = path.stat()
            digest.update(f"{path.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def cached(model: type[M], key: str, build: Callable[[], M]) -> M:
    """The model stored under `key`, or `build()` stored there for next time."""
    directory = cache_dir()
    if directory is None:
        return build()
    path = directory / f"{key}-{__version__}-{_code_digest()}.pickle"
    if _trusted(directory):
        try:
            loaded = pickle.loads(path.read_bytes())
            if isinstance(loaded, model):
                return loaded
        except Exception:  # any unreadable or foreign entry is rebuilt
            pass
    value = build()
    with contextlib.suppress(OSError):
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(directory):
            return value
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        _prune(directory, key, path)
    return value


def _trusted(directory: Path) -> bool:
    """Only a directory this user owns and nobody else can write to is used: a pickle runs code."""
    try:
        st = directory.stat()
    except OSError:
        return False
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _prune(directory: Path, key: str, keep: Path, max_age_days: int = 30) -> None:
    """Drop this key's entries for other versions or code, and any entry unused for a month."""
    now = time.time()
    for entry in directory.glob("*.pickle"):
        if entry == keep:
            continue
        with contextlib.suppress(OSError):
            if entry.name.startswith(f"{key}-") or now - entry.stat().st_atime > max_age_days * 86400:
                entry.unlink()
