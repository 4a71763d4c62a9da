"""The layers of ARCHITECTURE.md hold in the code: imports only point down, nothing imports in a circle.

Every ``import`` in ``src/jobarch`` is read with ``ast`` (those inside
functions too), resolved to a module, and checked against the layer order.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

from tests.helpers import REPO

PACKAGE = REPO / "src" / "jobarch"
#: Lowest first: a module may import its own layer and the layers before it, never one after it.
LAYERS = ["core", "graph", "reasoning", "store", "query", "validation", "domain", "io", "present", "api", "web", "cli"]
FACES = {"jobarch", "jobarch.__main__"}  # the package's face may name anything it re-exports


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """The jobarch modules a file imports, resolved (relative imports included)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("jobarch")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("jobarch"):
                found.add(target)
                found |= {f"{target}.{alias.name}" for alias in node.names}
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    return {m for m in found if m in modules}


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for path in PACKAGE.rglob("*.py"):
        source = module_name(path)
        g.add_node(source)
        for target in imports_of(path):
            g.add_edge(source, target)
    return g


def test_every_module_sits_in_a_layer(graph):
    strays = sorted(m for m in graph if layer(m) is None and m not in FACES)
    assert not strays, f"modules outside the layers of ARCHITECTURE.md: {strays}"


def test_imports_only_point_down(graph):
    upward = []
    for source, target in graph.edges:
        if source in FACES or target in FACES:
            continue
        if LAYERS.index(layer(target)) > LAYERS.index(layer(source)):
            upward.append(f"{source} -> {target}")
    assert not upward, "imports from a lower layer to a higher one:\n" + "\n".join(sorted(upward))


def test_no_import_cycles(graph):
    cycles = [c for c in nx.simple_cycles(graph.subgraph(m for m in graph if m not in FACES)) if len(c) > 1]
    assert not cycles, f"modules that import each other in a circle: {cycles[:5]}"


def test_only_the_store_layer_names_a_backend():
    """A backend is chosen by its selector through the registry; nobody outside jobarch.store imports or names one."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.is_relative_to(PACKAGE / "store"):
            continue
        text = path.read_text(encoding="utf-8")
        for name in ("OxigraphStore", "SparqlStore", "MemoryStore", "store.oxigraph", "store.sparql", "store.memory"):
            if name in text:
                offenders.append(f"{path.relative_to(PACKAGE)}: {name}")
    assert not offenders, offenders


def test_the_checker_sees_an_upward_import(tmp_path, graph):
    """The checks above can fail: an import from core to the CLI is caught."""
    assert "jobarch.core.errors" in graph and layer("jobarch.cli") == "cli"
    assert LAYERS.index(layer("jobarch.cli.read")) > LAYERS.index(layer("jobarch.core.errors"))
    fake = PACKAGE / "core" / "errors.py"
    tree = imports_of(fake)
    assert all(layer(m) == "core" for m in tree)
