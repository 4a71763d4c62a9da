"""Validation on the warm Oxigraph store: the compiled shapes, run set-at-a-time, the same findings as pyshacl.

Nothing is parsed when the store is up to date: the checks of
:mod:`jobarch.validation.compiler` run as queries, and only the files that
hold a finding are read again, to place it at ``path:line`` (the store keeps
what each file asserts, so the nodes to place are found without rdflib).
Inferences a ``--reason`` run left in the store would change the answers
(pyshacl validates the files as written), so such a store is validated
through a scratch in-memory copy of the files instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rdflib import RDFS, BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from ..core.files import read_text
from ..core.resources import ontology_path
from ..graph.architecture import Architecture
from ..graph.sources import bind_declared_prefixes, graph_iri
from ..graph.terms import ntriples_to_rdflib, term_ntriples
from ..graph.triples import split_line
from ..store import Store, open_store
from .compiler import SUBCLASSES, Check, batches, compile_shapes
from .findings import Finding, ValidationReport, collapse, shape_label, sparql_message
from .shapes import shapes_graph

QUERY_THREADS = 2  # Oxigraph answers queries outside the GIL: two run side by side on two cores


def validate_store(store: Store, files: Sequence[Path], only: Sequence[Path] | None = None) -> ValidationReport:
    """Validate what the store holds of ``files``; ``only`` limits it to those files' nodes and their referrers."""
    if store.holds_derived():
        scratch = open_store("oxigraph")
        scratch.sync(files)
        return validate_store(scratch, files, only)
    work = batches(compile_shapes(shapes_graph()))
    focus: set[str] | None = None
    if only is not None:
        focus = focus_nodes(store, files, only)
        if not focus:
            return ValidationReport([], focus_limited=True)
    raw: list[tuple[Check, Node, Node | None, dict[str, Node]]] = []
    closures: dict[str, str] = {}

    def ready(query: str) -> str:
        """The query with this run's class closures filled in."""
        for cls in set(SUBCLASSES.findall(query)) - closures.keys():
            rows = store.query(f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>* <{cls}> }}").rows
            closures[cls] = " ".join(sorted({f"<{cls}>", *(row[0].n3() for row in rows if isinstance(row[0], URIRef))}))
        return SUBCLASSES.sub(lambda m: closures[m.group(1)], query)

    queries = [ready(batch.query) for batch in work]
    with ThreadPoolExecutor(max_workers=min(QUERY_THREADS, os.cpu_count() or 1)) as pool:
        results = list(pool.map(store.query, queries))
    for batch, result in zip(work, results, strict=True):
        for row in result.rows:
            bound = {name: term for name, term in zip(result.vars, row, strict=True) if term is not None}
            index = bound.pop("check", None)
            check = batch.checks[int(index) if isinstance(index, Literal) else 0]
            this = bound.get("this")
            if this is None or (focus is not None and term_ntriples(this) not in focus):
                continue
            value = (
                bound.get("value", this)
                if check.constraint is not None
                else this
                if check.value_is_focus
                else bound.get("value")
            )
            raw.append((check, this, value, bound))
    arch = _architecture_for(store, files, {n for _, this, value, _ in raw for n in (this, value) if n is not None})
    findings = [_finding(arch, *r) for r in raw]
    return ValidationReport(collapse(findings), focus_limited=focus is not None)


def _finding(arch: Architecture, check: Check, focus: Node, value: Node | None, bound: dict[str, Node]) -> Finding:
    message = check.messages[0] if check.messages else check.component
    if check.constraint is not None:  # SHACL-SPARQL fills its message from the row
        message = sparql_message(message, {**bound, "value": value} if value is not None else bound)
    return Finding.make(
        arch,
        severity=check.severity,
        message=message,
        focus=focus,
        path=check.path,
        value=value,
        shape=shape_label(shapes_graph(), check.shape),
        source_shape=check.shape,
        component=check.component,
    )


# ---------------------------------------------------------------- focus-limited runs
def focus_nodes(store: Store, files: Sequence[Path], limit: Iterable[Path]) -> set[str]:
    """The nodes (N-Triples text) defined in the ``limit`` files and every node of ``files`` referencing one.

    The checks still run over everything and their results are filtered to
    these nodes: restricting the queries' targets instead (``VALUES``, owner
    chains for blank nodes) made Oxigraph choose far worse plans (minutes
    instead of seconds at 10,000 profiles).
    """
    defined: set[str] = set()
    for path in limit:
        defined.update(line[: line.index(" ")] for line in store.source_lines(graph_iri(path)))
    referencing: set[str] = set()
    for path in files:
        for line in store.source_lines(graph_iri(path)):
            if line.rsplit(" ", 1)[-1] in defined:
                referencing.add(line[: line.index(" ")])
    return defined | referencing


# ---------------------------------------------------------------- placing findings
def _architecture_for(store: Store, files: Sequence[Path], nodes: set[Node]) -> Architecture:
    """An :class:`Architecture` of just the files that define or mention ``nodes``, from the store's content.

    Placing and labelling a node needs its file's triples and text; reading
    only those files keeps a run with a handful of findings as fast as one
    with none. Prefixes come from every file, as a full load binds them.
    """
    wanted = {term_ntriples(n) for n in nodes if isinstance(n, (URIRef, BNode))}
    dataset = Dataset(default_union=True)
    relevant: list[Path] = []
    texts: dict[Path, str] = {}
    heads: list[str] = []
    for path in files:
        name = graph_iri(path)
        lines = store.source_lines(name) if wanted else set()
        if wanted and any(_touches(line, wanted) for line in lines):
            relevant.append(path)
            graph = dataset.graph(URIRef(name))
            for s, p, o in ntriples_to_rdflib(split_line(line) for line in lines):
                if s is not None and p is not None and o is not None:
                    graph.add((s, p, o))
            texts[path] = read_text(path)
        heads.append(texts[path] if path in texts else (_head(path) if wanted else ""))
    bind_declared_prefixes(dataset, [*heads, _head(ontology_path())])  # as a full load binds them
    return Architecture(dataset=dataset, files=relevant, _texts=texts)


def _touches(line: str, wanted: set[str]) -> bool:
    subject = line[: line.index(" ")]
    return subject in wanted or line.rsplit(" ", 1)[-1] in wanted


def _head(path: Path) -> str:
    """The file's prefix declarations (they open a Turtle file; the rest is not read)."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            stripped = line.strip()
            if stripped and not stripped.startswith(("#", "@prefix", "@base", "PREFIX", "BASE", "prefix", "base")):
                break
            out.append(line)
    return "".join(out)
