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


def backend_names_outside_store(package: Path) -> list[str]:
    """Where code outside ``store/`` names a backend: imports one, writes a selector string (``"oxigraph"``,
    ``"sparql:…"``) or constructs an Oxigraph ``Store(`` itself; scratch stores come from ``scratch_store()``."""
    from jobarch.store import backends

    kinds = {b.kind for b in backends()}
    offenders = []
    for path in package.rglob("*.py"):
        if path.is_relative_to(package / "store"):
            continue
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(package)
        for name in ("OxigraphStore", "SparqlStore", "MemoryStore", "store.oxigraph", "store.sparql", "store.memory"):
            if name in text:
                offenders.append(f"{where}: {name}")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                kind, colon, _ = node.value.partition(":")
                if colon and kind in kinds:  # "oxigraph:PATH", "sparql:URL" written into code
                    offenders.append(f"{where}:{node.lineno}: selector {node.value!r}")
            elif isinstance(node, ast.Call):
                called = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if called == "Store":
                    offenders.append(f"{where}:{node.lineno}: Store() built outside the store layer")
                elif called == "open_store" and node.args and isinstance(node.args[0], ast.Constant):
                    offenders.append(f"{where}:{node.lineno}: selector {node.args[0].value!r}")
    return offenders


def test_only_the_store_layer_names_a_backend():
    """A backend is chosen by its selector through the registry; nobody outside jobarch.store names one."""
    offenders = backend_names_outside_store(PACKAGE)
    assert not offenders, offenders


def test_a_planted_backend_name_is_caught(tmp_path):
    package = tmp_path / "jobarch"
    (package / "io").mkdir(parents=True)
    (package / "io" / "clean.py").write_text("def f(open_store):\n    return open_store(SELECTOR)\n")
    assert backend_names_outside_store(package) == []
    (package / "io" / "planted.py").write_text(
        'import pyoxigraph as ox\n\ndef f(open_store):\n    return open_store("oxigraph"), ox.Store()\n'
    )
    found = backend_names_outside_store(package)
    assert any("'oxigraph'" in f for f in found) and any("Store()" in f for f in found), found


def test_the_checker_sees_an_upward_import(tmp_path, graph):
    """The checks above can fail: an import from core to the CLI is caught."""
    assert "jobarch.core.errors" in graph and layer("jobarch.cli") == "cli"
    assert LAYERS.index(layer("jobarch.cli.read")) > LAYERS.index(layer("jobarch.core.errors"))
    fake = PACKAGE / "core" / "errors.py"
    tree = imports_of(fake)
    assert all(layer(m) == "core" for m in tree)
