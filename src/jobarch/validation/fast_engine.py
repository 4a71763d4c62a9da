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
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from ..core.files import read_text
from ..core.resources import ontology_path
from ..graph.architecture import Architecture
from ..graph.sources import bind_declared_prefixes, graph_iri
from ..graph.terms import ntriples_to_rdflib, term_ntriples
from ..graph.triples import split_line
from ..query import internal
from ..store import Store, scratch_store
from ..store.bindings import into_where
from .compiler import SUBCLASSES, Check, batches, compile_shapes
from .findings import Finding, ValidationReport, collapse, shape_label, sparql_message
from .shapes import shapes_graph

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
QUERY_THREADS = 2  # Oxigraph answers queries outside the GIL: two run side by side on two cores


def validate_store(store: Store, files: Sequence[Path], only: Sequence[Path] | None = None) -> ValidationReport:
    """Validate what the store holds of ``files``; ``only`` limits it to those files' nodes and their referrers."""
    if store.holds_derived():
        scratch = scratch_store()
        scratch.sync(files)
        return validate_store(scratch, files, only)
    work = batches(compile_shapes(shapes_graph()))
    limit: FocusLimit | None = None
    if only is not None:
        limit = focus_nodes(store, files, only)
        if not limit.nodes:
            return ValidationReport([], focus_limited=True)
    focus = limit.nodes if limit is not None else None
    raw: list[tuple[Check, Node, Node | None, dict[str, Node]]] = []
    closures: dict[str, str] = {}

    def ready(query: str) -> str:
        """The query with this run's class closures filled in."""
        for cls in set(SUBCLASSES.findall(query)) - closures.keys():
            rows = store.query(internal("subclasses"), {"class": URIRef(cls)}).rows
            closures[cls] = " ".join(sorted({f"<{cls}>", *(row[0].n3() for row in rows if isinstance(row[0], URIRef))}))
        return SUBCLASSES.sub(lambda m: closures[m.group(1)], query)

    runs = [(batch, query) for batch in work for query in _limited(ready(batch.query), limit)]
    with ThreadPoolExecutor(max_workers=min(QUERY_THREADS, os.cpu_count() or 1)) as pool:
        results = list(pool.map(store.query, (query for _, query in runs)))
    seen: set[tuple] = set()
    for (batch, _), result in zip(runs, results, strict=True):
        for row in result.rows:
            if limit is not None:  # a check limited in two queries may answer a row twice
                if (id(batch), row) in seen:
                    continue
                seen.add((id(batch), row))
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
@dataclass
class FocusLimit:
    """The nodes a limited run reports on (N-Triples text), and what its blank nodes look like, so that a check
    that could have one as its focus reaches them (see :func:`restrict`)."""

    nodes: set[str]
    blank_classes: set[str] = field(default_factory=set)
    blank_subject_of: set[str] = field(default_factory=set)  # predicates a blank focus node is the subject of
    blank_object_of: set[str] = field(default_factory=set)  # predicates pointing at a blank focus node
    #: how the blank focus nodes are reached: a chain of predicates from an IRI -> those IRIs
    routes: dict[tuple[str, ...], set[str]] = field(default_factory=dict)
    orphans: bool = False  # a blank focus node no IRI reaches within two links


def focus_nodes(store: Store, files: Sequence[Path], limit: Iterable[Path]) -> FocusLimit:
    """The nodes defined in the ``limit`` files and every node of ``files`` referencing one (one pass over what
    the store keeps of each file; nothing is parsed)."""
    defined: set[str] = set()
    for path in limit:
        defined.update(line[: line.index(" ")] for line in store.source_lines(graph_iri(path)))
    referencing: set[str] = set()
    incoming: dict[str, set[tuple[str, str]]] = {}  # blank node -> (predicate, subject) pointing at it
    outgoing: dict[str, set[tuple[str, str]]] = {}  # blank node -> (predicate, object)
    for path in files:
        for line in store.source_lines(graph_iri(path)):
            subject = line[: line.index(" ")]
            obj = line[line.rindex(" ") + 1 :]  # the object, when it is a node
            if obj in defined:
                referencing.add(subject)
                if obj[0] == "_":
                    incoming.setdefault(obj, set()).add((line.split(" ", 2)[1], subject))
            if subject[0] == "_" and subject in defined:
                _, predicate, value = line.split(" ", 2)
                outgoing.setdefault(subject, set()).add((predicate, value))
    focus = FocusLimit(defined | referencing)
    # a blank node of another file that references this one's nodes: what holds it is not known here, but a
    # check that may target it (by its class, or a predicate pointing at it) must see it, so a second pass
    # finds those, only when there is such a node
    foreign = {n for n in referencing if n[0] == "_" and n not in defined}
    focus.orphans = bool(foreign)
    if foreign:
        for path in files:
            for line in store.source_lines(graph_iri(path)):
                subject, predicate, obj = line.split(" ", 2)
                if subject in foreign:
                    focus.blank_subject_of.add(predicate)
                    if predicate == _RDF_TYPE:
                        focus.blank_classes.add(obj)
                if obj in foreign:
                    focus.blank_object_of.add(predicate)
    for blank in (n for n in defined if n.startswith("_:")):
        for predicate, obj in outgoing.get(blank, ()):
            focus.blank_subject_of.add(predicate)
            if predicate == _RDF_TYPE:
                focus.blank_classes.add(obj)
        parents = incoming.get(blank, set())
        focus.orphans |= not parents
        for predicate, parent in parents:
            focus.blank_object_of.add(predicate)
            if not parent.startswith("_:"):
                focus.routes.setdefault((predicate,), set()).add(parent)
                continue
            grandparents = incoming.get(parent, set())
            for link, grandparent in grandparents:
                focus.routes.setdefault((link, predicate), set()).add(grandparent)
            focus.orphans |= not grandparents or any(g.startswith("_:") for _, g in grandparents)
    return focus


_SUBJECTS_OF = re.compile(r"\?this (<[^>]+>) \?targetObject")
_OBJECTS_OF = re.compile(r"\?targetSubject (<[^>]+>) \?this")


def _limited(query: str, limit: FocusLimit | None) -> list[str]:
    return [query] if limit is None else restrict(query, limit)


def restrict(query: str, focus: FocusLimit) -> list[str]:
    """A check as queries limited to the focus nodes (ten times faster than filtering a full run): the IRIs
    bound with ``VALUES ?this``.

    A blank node cannot stand in ``VALUES``: a check whose target may be a
    blank focus node (its target class is one of theirs, or the subjects or
    objects of a predicate they have) reaches them from the IRIs that hold
    them, one query per chain of links (a UNION of these makes Oxigraph's
    plans explode); if an IRI two links up does not reach every one, the check
    runs whole. The results are filtered to the focus nodes in every case."""
    values = "VALUES ?this { " + " ".join(sorted(n for n in focus.nodes if not n.startswith("_:"))) + " }"
    blank_target = (
        any(cls in query for cls in focus.blank_classes)
        or any(p in focus.blank_subject_of for p in _SUBJECTS_OF.findall(query))
        or any(p in focus.blank_object_of for p in _OBJECTS_OF.findall(query))
    )
    if not blank_target:
        return [_bind_this(query, values)]
    if focus.orphans:
        return [query]
    reached = []
    for chain, anchors in sorted(focus.routes.items()):
        bound = "VALUES ?jaAnchor { " + " ".join(sorted(anchors)) + " } "
        if len(chain) == 1:
            reached.append(_bind_this(query, f"{bound}?jaAnchor {chain[0]} ?this ."))
        else:
            reached.append(_bind_this(query, f"{bound}?jaAnchor {chain[0]} ?jaMiddle . ?jaMiddle {chain[1]} ?this ."))
    return [_bind_this(query, values), *reached]


_THIS_SUBQUERY = re.compile(r"SELECT \?this(?: \?\w+)* WHERE \{")  # counting subqueries; not the targets (DISTINCT)


def _bind_this(query: str, block: str) -> str:
    """``block`` (a pattern binding ?this) first in the query's WHERE group and in every subquery that projects
    ?this: Oxigraph does not push a binding into a subquery (a count per ?this would count every node)."""
    return into_where(_THIS_SUBQUERY.sub(lambda m: f"{m.group(0)} {block} ", query), block)


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
