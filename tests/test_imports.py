"""The package's modules import one another in one direction: no import cycles, counting the imports
made inside functions (a cycle hidden in a function still ties two modules into one)."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "recommender"
# Cycles still known to exist, each to be removed by its own change. A listed cycle that no longer
# exists fails the test too, so the list only shrinks.
KNOWN_CYCLES: set[frozenset[str]] = set()


def _module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the package modules it imports, anywhere in its body (functions and
    TYPE_CHECKING blocks included)."""
    modules = {_module_name(p, package): p for p in package.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    source = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    source = node.module or ""
                # `from . import api` imports the module recommender.api; `from . import __version__`
                # imports the package itself.
                targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in modules else source for a in node.names]
            for target in targets:
                while target and target not in modules:  # `import recommender.render.table` and the like
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_finder_sees_a_cycle_through_a_function_level_import(tmp_path: Path) -> None:
    package = tmp_path / "recommender"
    package.mkdir()
    (package / "__init__.py").write_text("from .a import f\n__version__ = '1'\n")
    (package / "a.py").write_text("def f():\n    from .b import g\n    return g\n")
    (package / "b.py").write_text("def g():\n    from . import __version__\n    return __version__\n")
    (package / "c.py").write_text("from . import a\n")
    graph = import_graph(package)
    assert graph["recommender.c"] == {"recommender.a"}
    assert cycles(graph) == [["recommender", "recommender.a", "recommender.b"]]


def test_no_import_cycles_in_the_package() -> None:
    found = {frozenset(c) for c in cycles(import_graph())}
    unexpected = [sorted(c) for c in found - KNOWN_CYCLES]
    assert not unexpected, f"import cycles: {unexpected}; give the shared piece its own module"
    # A known cycle that is gone comes off the list.
    assert found >= KNOWN_CYCLES, f"no longer cycles, remove from KNOWN_CYCLES: {KNOWN_CYCLES - found}"
