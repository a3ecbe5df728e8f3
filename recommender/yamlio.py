"""Safe YAML reading that remembers where every key stood, so errors can name the line.

PyYAML keeps the last of two duplicate keys silently and expands aliases without limit; both are
caught here. Only the standard YAML tags are accepted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

try:  # the C parser is several times faster where libyaml is present
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

MAX_BYTES = 1_000_000
MAX_NODES = 200_000
MAX_DEPTH = 64
_STANDARD_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

Locations = dict[tuple[str | int, ...], int]
_SPENT = object()  # returned once the node budget is spent: nothing more is read


class YamlDoc:
    """Parsed data plus the line of every key and item (1-based)."""

    def __init__(self, data: Any, lines: Locations, file: str, problems: list[Problem] | None = None) -> None:
        self.data = data
        self.lines = lines
        self.file = file
        # Problems found while reading that leave the rest readable (a duplicate key, a bad tag):
        # kept so one run can report them together with the problems found later.
        self.problems = problems or []

    def where(self, path: tuple[str | int, ...]) -> str:
        """The nearest known line for a field path, with the path itself."""
        dotted = ".".join(str(p) for p in path)
        probe = path
        while probe:
            if probe in self.lines:
                return f"line {self.lines[probe]}, {dotted}" if dotted else f"line {self.lines[probe]}"
            probe = probe[:-1]
        return dotted


def read_text(path: Path, *, limit: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file, turning every OS and encoding failure into an InputError."""
    name = str(path)
    if not path.exists():
        raise InputError([Problem(name, "", "file not found", "check the path")])
    if path.is_dir():
        raise InputError([Problem(name, "", "is a directory, not a file", "name a .yaml file")])
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError([Problem(name, "", f"file is {size:,} bytes; the limit is {limit:,}",
                                      "a requirements file is a few hundred lines at most")])
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(name, "", f"cannot be read ({exc.strerror})",
                                  "check the file's permissions")]) from None
    if b"\x00" in raw:
        raise InputError([Problem(name, "", "is binary, not text", "give a YAML text file")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(name, f"byte {exc.start}", "is not valid UTF-8",
                                  "save the file as UTF-8")]) from None
    return text


def parse_yaml(text: str, file: str, *, strict: bool = True) -> YamlDoc:
    """Parse one YAML document with duplicate-key, tag, depth and size checks.

    strict: raise on any problem; otherwise return the readable part with `doc.problems`.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = (exc.problem or str(exc)).strip()
        tab = _tab_near(text, mark.line) if mark else None
        if tab is not None:  # PyYAML only says "cannot start any token": a tab is the usual cause
            raise InputError([Problem(file, f"line {tab[0]}, column {tab[1]}",
                                      "a tab character; YAML indents with spaces",
                                      "replace the tab with spaces")]) from None
        raise InputError([Problem(file, where, f"YAML syntax error: {problem}",
                                  "fix the YAML at that place (indentation, quotes, colons)")]) from None
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow (a control character): name its line and column.
        before = text[:exc.position]
        where = f"line {before.count(chr(10)) + 1}, column {len(before) - before.rfind(chr(10))}"
        raise InputError([Problem(file, where, f"character {exc.character!r} is not allowed in YAML",
                                  "remove the control character or quote it as an escape")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(file, "", f"YAML error: {exc}", "fix the YAML")]) from None
    finally:
        loader.dispose()
    if node is None:
        return YamlDoc(None, {}, file)
    problems: list[Problem] = []
    lines: Locations = {}
    budget = [MAX_NODES]
    sizes: dict[int, int] = {}
    _size(node, sizes, 0)
    data = _build(node, (), lines, problems, file, budget, 0, loader, sizes)
    if problems and (strict or budget[0] < 0):
        raise InputError(problems)
    return YamlDoc(data, lines, file, problems)


def _tab_near(text: str, line: int) -> tuple[int, int] | None:
    """(line, column), 1-based, of a tab in the leading whitespace of the line PyYAML stopped at,
    or of the line before (it may stop just after the tab's line)."""
    lines = text.split("\n")
    for index in (line, line - 1):
        if 0 <= index < len(lines):
            stripped = lines[index].lstrip(" \t")
            lead = lines[index][:len(lines[index]) - len(stripped)]
            if "\t" in lead or (stripped.startswith(("-", "?")) and "\t" in stripped[:2]):
                return index + 1, lines[index].index("\t") + 1
    return None


def load_yaml(path: Path, *, strict: bool = True) -> YamlDoc:
    return parse_yaml(read_text(path), str(path), strict=strict)


def _size(node: yaml.Node, sizes: dict[int, int], depth: int) -> int:
    """How many nodes `node` expands to, aliases counted each time they are used. An alias is the
    same node object again, so each is counted once and its size reused: linear in the document,
    however far its aliases would expand (a billion laughs)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    total = 1
    if depth <= MAX_DEPTH:  # deeper is reported by _build; stop counting there
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                total += _size(key_node, sizes, depth + 1) + _size(value_node, sizes, depth + 1)
                if total > MAX_NODES:
                    break
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += _size(item, sizes, depth + 1)
                if total > MAX_NODES:
                    break
    sizes[id(node)] = total
    return total


def _build(node: yaml.Node, path: tuple[str | int, ...], lines: Locations,
           problems: list[Problem], file: str, budget: list[int], depth: int,
           loader: Any, sizes: dict[int, int] | None = None) -> Any:
    budget[0] -= 1
    line = node.start_mark.line + 1
    if sizes is not None and sizes.get(id(node), 0) > budget[0] + 1 and budget[0] >= 0:
        # This part alone expands past what is left: say so here rather than walk it to the end.
        budget[0] = -1
    if budget[0] < 0:
        if budget[0] == -1:
            problems.append(Problem(file, f"line {line}", f"more than {MAX_NODES:,} YAML nodes (an alias bomb?)",
                                    "remove the repeated anchors/aliases"))
        return _SPENT
    if depth > MAX_DEPTH:
        problems.append(Problem(file, f"line {line}", f"nested deeper than {MAX_DEPTH} levels",
                                "flatten the structure"))
        budget[0] = -2
        return None
    if node.tag not in _STANDARD_TAGS:
        problems.append(Problem(file, f"line {line}", f"tag {node.tag!r} is not allowed",
                                "remove the tag; only plain YAML values are read"))
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if budget[0] < 0:
                break  # the size problem is reported once; the rest is not read
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(Problem(file, f"line {key_node.start_mark.line + 1}",
                                        "merge keys (<<) are not supported", "write the keys out"))
                continue
            key = _build(key_node, path, lines, problems, file, budget, depth + 1, loader, sizes)
            if key is _SPENT:
                break
            if isinstance(key, (dict, list)):
                problems.append(Problem(file, f"line {key_node.start_mark.line + 1}",
                                        "a key must be a plain value", "use a plain word as key"))
                continue
            key_line = key_node.start_mark.line + 1
            if key in out:
                first = lines.get((*path, key), "?")
                problems.append(Problem(file, f"line {key_line}",
                                        f"duplicate key {key!r} (first at line {first})",
                                        "keep one of the two; YAML would silently use the last"))
                continue
            lines[(*path, key)] = key_line
            out[key] = _build(value_node, (*path, key), lines, problems, file, budget, depth + 1, loader, sizes)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            if budget[0] < 0:
                break
            lines[(*path, index)] = item.start_mark.line + 1
            items.append(_build(item, (*path, index), lines, problems, file, budget, depth + 1, loader, sizes))
        return items
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, KeyError, AttributeError, TypeError, OverflowError) as exc:
        # A value its tag cannot hold (2026-13-01 as a date, 4,400 digits as an int, !!bool maybe).
        kind = node.tag.rsplit(":", 1)[-1]
        shown = node.value if len(str(node.value)) <= 40 else f"{str(node.value)[:37]}..."
        problems.append(Problem(file, f"line {line}, column {node.start_mark.column + 1}",
                                f"{shown!r} cannot be read as a {kind} ({str(exc)[:80]})",
                                "quote the value to keep it as text, or correct it"))
        return None
