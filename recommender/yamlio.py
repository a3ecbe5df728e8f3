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
        raise InputError([Problem.of(name, "", "file_not_found")])
    if path.is_dir():
        raise InputError([Problem.of(name, "", "is_directory")])
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError([Problem.of(name, "", "file_too_large", size=f"{size:,}", limit=f"{limit:,}")])
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem.of(name, "", "unreadable", reason=exc.strerror)]) from None
    if b"\x00" in raw:
        raise InputError([Problem.of(name, "", "binary")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([Problem.of(name, f"byte {exc.start}", "not_utf8")]) from None
    return text


# PyYAML's words for the common mistakes, each with its own code (and Korean) in problems.yaml.
YAML_PROBLEMS = {
    "mapping values are not allowed here": "yaml_mapping_values",
    "mapping values are not allowed in this context": "yaml_mapping_values",
    "did not find expected key": "yaml_expected_key",
    "did not find expected '-' indicator": "yaml_expected_dash",
    "did not find expected ',' or ']'": "yaml_expected_close",
    "did not find expected ',' or '}'": "yaml_expected_close",
    "could not find expected ':'": "yaml_expected_colon",
    "found unexpected end of stream": "yaml_unclosed",
    "found undefined alias": "yaml_undefined_alias",
    "found unknown escape character": "yaml_unknown_escape",
    "found character that cannot start any token": "yaml_bad_start",
}


def _syntax_problem(file: str, where: str, problem: str) -> Problem:
    return Problem.of(file, where, YAML_PROBLEMS.get(problem, "yaml_syntax"), problem=problem, close=problem[-2:-1])


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
            raise InputError([Problem.of(file, f"line {tab[0]}, column {tab[1]}", "yaml_tab")]) from None
        raise InputError([_syntax_problem(file, where, problem)]) from None
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow (a control character): name its line and column.
        before = text[:exc.position]
        where = f"line {before.count(chr(10)) + 1}, column {len(before) - before.rfind(chr(10))}"
        raise InputError([Problem.of(file, where, "yaml_bad_character", char=repr(exc.character))]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem.of(file, "", "yaml_error", error=exc)]) from None
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
            problems.append(Problem.of(file, f"line {line}", "too_many_nodes", count=f"{MAX_NODES:,}"))
        return _SPENT
    if depth > MAX_DEPTH:
        problems.append(Problem.of(file, f"line {line}", "too_deep", depth=MAX_DEPTH))
        budget[0] = -2
        return None
    if node.tag not in _STANDARD_TAGS:
        problems.append(Problem.of(file, f"line {line}", "tag_not_allowed", tag=repr(node.tag)))
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if budget[0] < 0:
                break  # the size problem is reported once; the rest is not read
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(Problem.of(file, f"line {key_node.start_mark.line + 1}", "merge_keys"))
                continue
            key = _build(key_node, path, lines, problems, file, budget, depth + 1, loader, sizes)
            if key is _SPENT:
                break
            if isinstance(key, (dict, list)):
                problems.append(Problem.of(file, f"line {key_node.start_mark.line + 1}", "key_not_plain"))
                continue
            key_line = key_node.start_mark.line + 1
            if key in out:
                first = lines.get((*path, key), "?")
                problems.append(Problem.of(file, f"line {key_line}", "duplicate_key", key=repr(key), first=first))
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
        problems.append(Problem.of(file, f"line {line}, column {node.start_mark.column + 1}", "unreadable_value",
                                   value=repr(shown), kind=kind, reason=str(exc)[:80]))
        return None
