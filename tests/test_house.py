"""The package layout (docs/design.md) holds: floors import downwards only, with no cycles.

Read from the source with ast, imports inside functions included (they hide a
dependency, they do not remove it) and those under `if TYPE_CHECKING:` left out.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "minihelm"


def _modules() -> dict[str, Path]:
    out = {}
    for f in sorted(SRC.rglob("*.py")):
        parts = list(f.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = f
    return out


MODULES = _modules()


def _targets(name: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """Our modules an import statement in module `name` loads (the longest known prefix)."""
    if isinstance(node, ast.Import):
        wanted = [a.name for a in node.names]
    else:
        base = name.split(".")
        if node.level:
            if MODULES[name].name != "__init__.py":
                base = base[:-1]
            base = base[: len(base) - node.level + 1]
            mod = ".".join(base + ([node.module] if node.module else []))
        else:
            mod = node.module or ""
        wanted = [mod] + [f"{mod}.{a.name}" for a in node.names]
    found = set()
    for m in wanted:
        while m and m not in MODULES:
            m = m.rpartition(".")[0]
        if m.startswith("minihelm") and m != name and not name.startswith(m + "."):
            found.add(m)
    return found


def _imports(name: str) -> set[str]:
    deps: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for n in node.orelse:
                visit(n)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            deps.update(_targets(name, node))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(MODULES[name].read_text()))
    return deps


GRAPH = {name: _imports(name) for name in MODULES}


def _package(name: str) -> str:
    return ".".join(name.split(".")[:2])


def _acyclic(graph: dict[str, set[str]]) -> None:
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as e:
        pytest.fail(f"import cycle: {' -> '.join(e.args[1])}")


def test_few_modules_sit_directly_in_the_package() -> None:
    top = [m for m in MODULES if m.count(".") == 1 and MODULES[m].name != "__init__.py"
           and not m.endswith("__main__")]
    assert len(top) <= 10, top


def test_no_module_imports_itself_back() -> None:
    _acyclic(GRAPH)


def test_no_package_imports_itself_back() -> None:
    packages: dict[str, set[str]] = {}
    for name, deps in GRAPH.items():
        if name == "minihelm":
            continue
        packages.setdefault(_package(name), set()).update(
            _package(d) for d in deps if d != "minihelm" and _package(d) != _package(name))
    _acyclic(packages)


def test_only_the_cli_knows_the_cli() -> None:
    up = [f"{a} -> {d}" for a, deps in GRAPH.items() for d in deps
          if d.startswith("minihelm.cli") and not a.startswith(("minihelm.cli", "minihelm.__main__"))]
    assert up == []


def test_no_reach_into_another_packages_private_module() -> None:
    reaches = [f"{a} -> {d}" for a, deps in GRAPH.items() for d in deps
               if d.count(".") >= 2 and d.rsplit(".", 1)[1].startswith("_")
               and not d.endswith("__init__") and _package(a) != _package(d)]
    assert reaches == []


def test_the_graph_is_read() -> None:
    # the checks above would pass on an empty graph: make sure real edges are seen
    assert "minihelm.chart.loader" in GRAPH["minihelm.render.pipeline"]
    assert "minihelm.cli.replay" in GRAPH["minihelm.cli.launch"]  # an import inside a function
