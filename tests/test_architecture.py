"""The layers of ARCHITECTURE.md hold in the code: imports only point down, nothing imports in a circle.

Every ``import`` in ``src/jobarch`` is read with ``ast`` (those inside
functions too), resolved to a module, and checked against the layer order.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import networkx as nx
import pytest

from tests.helpers import REPO

PACKAGE = REPO / "src" / "jobarch"
#: Lowest first: a module may import its own layer and the layers before it, never one after it.
LAYERS = ["core", "graph", "reasoning", "store", "query", "validation", "domain", "io", "present", "api", "web", "cli"]
FACES = {"jobarch", "jobarch.__main__"}  # the package's face may name anything it re-exports


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path = PACKAGE) -> set[str]:
    """The jobarch modules a file imports, resolved (relative imports included)."""
    name = module_name(path, root)
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
    modules = {module_name(p, root) for p in root.rglob("*.py")}
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


def test_imports_only_point_down():
    upward = upward_imports(PACKAGE)
    assert not upward, "imports from a lower layer to a higher one:\n" + "\n".join(upward)


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


def upward_imports(package: Path) -> list[str]:
    """Imports from a lower layer to a higher one, in the package at ``package``."""
    upward = []
    for path in package.rglob("*.py"):
        source = module_name(path, package)
        for target in imports_of(path, package):
            if source in FACES or target in FACES or layer(source) is None or layer(target) is None:
                continue
            if LAYERS.index(layer(target)) > LAYERS.index(layer(source)):
                upward.append(f"{source} -> {target}")
    return sorted(upward)


def test_the_checker_sees_an_upward_import(tmp_path):
    """The layer check can fail: a core module that imports the CLI is caught."""
    package = tmp_path / "jobarch"
    for name in ("core", "cli"):
        (package / name).mkdir(parents=True)
        (package / name / "__init__.py").write_text("")
    (package / "cli" / "main.py").write_text("from ..core import errors\n")
    (package / "core" / "errors.py").write_text("X = 1\n")
    assert upward_imports(package) == []
    (package / "core" / "errors.py").write_text("def f():\n    from ..cli import main\n")
    assert "jobarch.core.errors -> jobarch.cli.main" in upward_imports(package)


#: What the CLI and the server may take from below the facade besides ``present`` and ``core``: the registries
#: their option choices come from (ARCHITECTURE.md, "One facade").
REGISTRIES = {
    "store": {"selectors_help", "backends"},
    "validation": {"ENGINES", "SEVERITIES"},
    "reasoning": {"ENGINES"},
    "graph.serialize": {"SERIALIZATIONS"},
    "io.exports": {"EXPORTERS"},
    "io.imports": {"IMPORTERS"},
    "query": {"named_queries"},
}


def around_the_facade(package: Path) -> list[str]:
    """Names the CLI and the server import from below ``api`` other than ``present``, ``core`` and registries."""
    offenders = []
    for edge in ("cli", "web"):
        for path in (package / edge).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import) and any(a.name.startswith("jobarch.") for a in node.names):
                    offenders.append(f"{path.relative_to(package)}:{node.lineno}: import {node.names[0].name}")
                if not isinstance(node, ast.ImportFrom):
                    continue
                module = node.module or ""
                if node.level == 0:
                    if not module.startswith("jobarch."):
                        continue
                    module = module.removeprefix("jobarch.")
                elif node.level == 1:
                    continue  # its own layer
                if module.split(".")[0] in ("api", "present", "core", "cli", "web") or not module:
                    continue
                for alias in node.names:
                    if alias.name not in REGISTRIES.get(module, set()):
                        offenders.append(f"{path.relative_to(package)}:{node.lineno}: {module}.{alias.name}")
    return sorted(offenders)


def test_the_cli_and_the_server_go_through_the_facade():
    offenders = around_the_facade(PACKAGE)
    assert not offenders, "call api (or add the name to api) instead:\n" + "\n".join(offenders)


def test_a_planted_way_around_the_facade_is_caught(tmp_path):
    package = tmp_path / "jobarch"
    for edge in ("cli", "web"):
        (package / edge).mkdir(parents=True)
    (package / "cli" / "ok.py").write_text("from .. import api\nfrom ..io.exports import EXPORTERS\n")
    (package / "web" / "ok.py").write_text("from ..present.results import sparql_json\nfrom .site import Site\n")
    assert around_the_facade(package) == []
    (package / "web" / "planted.py").write_text("from ..domain.adjacency import AdjacencyIndex\n")
    (package / "cli" / "planted.py").write_text("from jobarch.store.oxigraph import open_cache\n")
    assert around_the_facade(package) == [
        "cli/planted.py:1: store.oxigraph.open_cache",
        "web/planted.py:1: domain.adjacency.AdjacencyIndex",
    ]


#: SPARQL that Python builds from other knowledge files: the shapes compiler turns SHACL (shapes/*.ttl) into queries.
GENERATES_SPARQL = {"validation/compiler.py"}
_SPARQL = re.compile(
    r"\b(SELECT|CONSTRUCT|DESCRIBE|ASK)\b.*?\bWHERE\s*\{|\b(INSERT|DELETE)\s+(DATA|WHERE)\b", re.I | re.S
)
_TURTLE = re.compile(r"\ba\s+(ja|sh|skos|owl|rdfs):[A-Z]\w*\s*[;.]|\bsh:(path|targetClass|property)\s")


def knowledge_in_code(package: Path) -> list[str]:
    """String literals (f-strings too, docstrings aside) that hold a SPARQL query or Turtle statements: knowledge
    that belongs in ``queries/``, ``shapes/``, ``ontology/`` or a template."""
    found = []
    for path in package.rglob("*.py"):
        where = path.relative_to(package).as_posix()
        if where in GENERATES_SPARQL:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        parts = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
        for node in ast.walk(tree):
            if id(node) in parts:
                continue
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                text = node.value
            else:
                continue
            if _SPARQL.search(text) or _TURTLE.search(text):
                found.append(f"{where}:{node.lineno}: {text[:60]!r}")
    return sorted(set(found))


def test_knowledge_lives_in_files():
    found = knowledge_in_code(PACKAGE)
    assert not found, "SPARQL or Turtle written in Python:\n" + "\n".join(found)


def test_planted_knowledge_in_code_is_caught(tmp_path):
    package = tmp_path / "jobarch"
    (package / "io").mkdir(parents=True)
    (package / "io" / "clean.py").write_text(
        '"""Run SELECT ?x WHERE { ?x ?p ?o } from queries/."""\nQUERY = internal("profiles")\n'
    )
    assert knowledge_in_code(package) == []
    (package / "io" / "planted.py").write_text(
        'def f(code):\n    q = f"SELECT ?p WHERE {{ ?p ja:code \\"{code}\\" }}"\n'
        '    t = f"<{code}> a ja:JobProfile ;\\n    ja:code \\"{code}\\" ."\n    return q, t\n'
    )
    found = knowledge_in_code(package)
    assert [f.split(":")[0:2] for f in found] == [["io/planted.py", "2"], ["io/planted.py", "3"]], found


#: Modules that write files of their own besides core (which writes results, see core/outputs.py and core/files.py):
#: the stores keep their data, the streamed Turtle writer spools to a temporary file its caller moves into place.
OWN_FILES = {"store", "graph/turtle.py"}
_WRITERS = {"write_text", "write_bytes", "fdopen", "mkstemp"}
_MOVERS = {"replace", "rename", "move"}  # os.replace, os.rename, shutil.move (str.replace is no writer)


def writes_outside_core(package: Path) -> list[str]:
    """Calls that write or move a file (``write_text``, ``open(…, "w")``, ``os.replace``…) outside ``core``."""
    found = []
    for path in package.rglob("*.py"):
        where = path.relative_to(package).as_posix()
        if where.startswith("core/") or where.split("/")[0] in OWN_FILES or where in OWN_FILES:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            called = getattr(node.func, "attr", getattr(node.func, "id", ""))
            mode = next((a.value for a in node.args[1:2] if isinstance(a, ast.Constant)), "")
            mode = next(
                (k.value.value for k in node.keywords if k.arg == "mode" and isinstance(k.value, ast.Constant)), mode
            )
            owner = getattr(getattr(node.func, "value", None), "id", "")
            moves = called in _MOVERS and owner in ("os", "shutil")
            if called in _WRITERS or moves or (called == "open" and isinstance(mode, str) and set(mode) & set("wax+")):
                found.append(f"{where}:{node.lineno}: {called}")
    return sorted(found)


def test_results_are_written_one_way():
    """ARCHITECTURE.md, "One way to write a result": through core.outputs (or core.files for jobarch's state)."""
    found = writes_outside_core(PACKAGE)
    assert not found, "write through core.outputs.write_output / output_directory:\n" + "\n".join(found)


def test_a_planted_direct_write_is_caught(tmp_path):
    package = tmp_path / "jobarch"
    (package / "io").mkdir(parents=True)
    (package / "io" / "clean.py").write_text("def f(path):\n    return open(path).read(), path.read_text()\n")
    assert writes_outside_core(package) == []
    (package / "io" / "planted.py").write_text(
        "def f(path, text):\n    path.write_text(text)\n    with open(path, 'a') as h:\n        h.write(text)\n"
    )
    assert writes_outside_core(package) == ["io/planted.py:2: write_text", "io/planted.py:3: open"]
