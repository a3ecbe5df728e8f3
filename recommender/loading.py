"""Loading the knowledge and rule bases, cached by their files' content: each is read, checked and
compiled once per content, whoever asks (the library, the renderers, the commands)."""

from __future__ import annotations

import hashlib
import threading
from functools import lru_cache
from pathlib import Path

from .diskcache import cached
from .dsl.load import load_rules
from .dsl.model import RuleBase
from .knowledge import KnowledgeBase, load_knowledge
from .resources import bundled_dir


# Loaded bases are frozen models, so sharing them between calls and threads is safe. The caches
# are keyed by the directories' content, so an edited file is never served stale.
@lru_cache(maxsize=16)
def _cached_knowledge(directory: str, digest: str) -> KnowledgeBase:
    return cached(KnowledgeBase, f"knowledge-{digest[:24]}", lambda: load_knowledge(directory))


# Rules are validated against the knowledge base's catalogue, so they are cached per (rules
# content, knowledge content); the knowledge digest covers catalogue.yaml.
_RULES: dict[tuple[str, str, str], RuleBase] = {}
_RULES_LOCK = threading.Lock()


def _cached_rules(directory: str, digest: str, kb: KnowledgeBase) -> RuleBase:
    key = (directory, digest, kb.digest)
    with _RULES_LOCK:
        found = _RULES.get(key)
    if found is None:
        name = hashlib.sha256(f"{digest}{kb.digest}".encode()).hexdigest()[:24]
        found = cached(RuleBase, f"rules-{name}", lambda: load_rules(directory, kb.catalogue))
        with _RULES_LOCK:
            if len(_RULES) >= 16:
                _RULES.pop(next(iter(_RULES)))
            _RULES[key] = found
    return found


_STAT_DIGESTS: dict[tuple[object, ...], str] = {}
_STAT_LOCK = threading.Lock()


def _content_key(value: Path | str | None, name: str) -> tuple[str, str]:
    """A key that changes whenever a YAML file in the directory changes.

    The files are hashed only when their stat signature (name, size, mtime, inode) changes, so a
    warm call costs a few stat calls, not reading every file.
    """
    root = bundled_dir(name) if value is None else Path(value).resolve()
    paths = sorted(root.glob("*.yaml")) if root.is_dir() else []
    signature: list[object] = [str(root)]
    for path in paths:
        try:
            st = path.stat()
            signature.append((path.name, st.st_size, st.st_mtime_ns, st.st_ino))
        except OSError:
            signature.append((path.name, None))
    key = tuple(signature)
    with _STAT_LOCK:
        known = _STAT_DIGESTS.get(key)
    if known is None:
        digest = hashlib.sha256()
        for path in paths:
            try:
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
            except OSError:
                digest.update(path.name.encode() + b"\0unreadable")
        known = digest.hexdigest()
        with _STAT_LOCK:
            if len(_STAT_DIGESTS) > 64:
                _STAT_DIGESTS.clear()
            _STAT_DIGESTS[key] = known
    return str(root), known


def get_knowledge(knowledge: KnowledgeBase | Path | str | None = None) -> KnowledgeBase:
    if isinstance(knowledge, KnowledgeBase):
        return knowledge
    return _cached_knowledge(*_content_key(knowledge, "knowledge"))


def get_rules(rules: RuleBase | Path | str | None = None,
              knowledge: KnowledgeBase | Path | str | None = None) -> RuleBase:
    if isinstance(rules, RuleBase):
        return rules
    return _cached_rules(*_content_key(rules, "rules"), get_knowledge(knowledge))
