"""SHACL validation a curator can act on.

The shapes in ``shapes/`` run through pyshacl over the union of all files plus
the ontology. Each result comes back as a :class:`Finding` that knows the file
and line its focus node is defined at.

Two things make this fast enough for large architectures:

* pyshacl hands each SPARQL constraint to rdflib as text, once per focus node,
  and rdflib parses it every time; the architecture's store
  (:class:`jobarch.graph.planner.PreparedQueryMemory`) parses each text once and plans
  it with the focus node bound.
* ``only`` restricts validation to the nodes defined in some files plus the
  nodes that reference them (the ``--changed`` workflow). Blank nodes are
  skolemised to IRIs for the run so they can be focus nodes too, then mapped
  back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import pyshacl
from pyshacl.graph_abstraction import DataGraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ..core.errors import JobarchError, Location
from ..core.resources import resource_dir
from ..graph.architecture import Architecture
from ..graph.planner import SkolemView
from ..graph.terms import skolem as _skolem
from ..graph.terms import unskolem as _unskolem
from .findings import Finding, ValidationReport


class _Validator(pyshacl.Validator):
    """pyshacl's validator, with the focus-node filter as a set (pyshacl keeps a list: quadratic on large runs)."""

    def make_executor(self):
        executor = super().make_executor()
        if executor.focus_nodes:
            executor.focus_nodes = frozenset(executor.focus_nodes)  # type: ignore[assignment]
        return executor


@cache
def shapes_graph() -> Graph:
    """All shape files of ``shapes/`` as one graph."""
    graph = Graph()
    for path in sorted(resource_dir("shapes").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def data_graph(arch: Architecture) -> Graph:
    """The union of all files and the ontology with blank nodes seen as IRIs: a view, not a copy."""
    view = SkolemView(arch.dataset)
    graph = Graph(store=view)
    view.graph = graph
    graph.namespace_manager = arch.dataset.namespace_manager
    return graph


def focus_nodes_for(arch: Architecture, files: Iterable[Path]) -> set[Node]:
    """The nodes defined in ``files`` and every node that references one of them."""
    wanted = {p.resolve() for p in files}
    defined: set[Node] = set()
    for path in arch.files:
        if path.resolve() in wanted:
            defined.update(arch.graph_of(path).subjects(unique=True))
    referencing: set[Node] = set()
    for node in defined:
        referencing.update(arch.dataset.subjects(None, node, unique=True))
    return defined | referencing


def validate(arch: Architecture, only: Sequence[Path] | None = None) -> ValidationReport:
    """Validate the architecture, or only what ``only`` (a list of its files) defines and what references it."""
    if only is not None:
        known = {p.resolve() for p in arch.files}
        for path in only:
            if Path(path).resolve() not in known:
                raise JobarchError(
                    "not one of the architecture's files",
                    Location(Path(path)),
                    hint="pass files that are inside the --data paths",
                )
    focus = None
    if only is None:
        graph: Graph = arch.dataset  # the union of all files, validated in place
    else:
        focus = sorted(str(_skolem(n)) for n in focus_nodes_for(arch, only))
        if not focus:
            return ValidationReport([], Graph(), focus_limited=True)
        graph = data_graph(arch)  # blank nodes as IRIs, so that they can be focus nodes
    validator = _Validator(
        DataGraph.from_rdflib(graph),
        shacl_graph=shapes_graph(),
        options={
            "inference": "none",
            "advanced": False,
            "inplace": True,  # the graph is ours and throwaway; cloning it would lose the query cache
            "focus_nodes": focus,
            "allow_warnings": True,
        },
    )
    _conforms, report, _text = validator.run()
    return ValidationReport(_findings(arch, report), report, focus_limited=focus is not None)


def _findings(arch: Architecture, report: Graph) -> list[Finding]:
    data = arch.dataset
    shapes = shapes_graph()
    findings: dict[tuple, Finding] = {}
    for result in report.objects(None, SH.result):
        focus = _unskolem(report.value(result, SH.focusNode))
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1].lower()
        messages = [str(m) for m in report.objects(result, SH.resultMessage)]
        path = report.value(result, SH.resultPath)
        value = _unskolem(report.value(result, SH.value))
        shape = report.value(result, SH.sourceShape)
        component = str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        label = describe_node(arch, focus)
        finding = Finding(
            severity=severity,
            message=_best_message(messages, component, path, value, data).replace("{$this}", label),
            focus=focus,
            focus_label=label,
            path=_curie(data, path) if isinstance(path, URIRef) else None,
            value=value,
            shape=_shape_label(shapes, shape),
            component=component,
            location=arch.locate(focus) if focus is not None else None,
        )
        # one message per node and shape, even when several constraint components fail together
        findings.setdefault((finding.focus, finding.shape, finding.path, finding.severity, finding.message), finding)
    return sorted(findings.values(), key=lambda f: f.sort_key)


def _best_message(messages: list[str], component: str, path, value, data: Graph) -> str:
    """Our sh:message where the shape has one; pyshacl's generic text otherwise."""
    ours = [
        m
        for m in messages
        if not m.startswith(("Node ", "Value ", "Less than", "More than", "Focus node", "Results ("))
    ]
    text = ours[0] if ours else (messages[0] if messages else component)
    if value is not None and "{?value}" in text:
        text = text.replace("{?value}", _curie(data, value) if isinstance(value, URIRef) else str(value))
    return text


def _curie(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.curie(node, generate=False)
        except (ValueError, KeyError):
            return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    return "[]"


def describe_node(arch: Architecture, node: Node | None) -> str:
    """A node as a curator writes it: a prefixed name, or ``owner ja:pred []`` for a blank node."""
    if node is None:
        return "?"
    if isinstance(node, BNode):
        parent = next(iter(arch.dataset.subject_predicates(node)), None)
        if parent is None:
            return "[]"
        return f"{describe_node(arch, parent[0])} {_curie(arch.dataset, parent[1])} []"
    return _curie(arch.dataset, node)


def _shape_label(shapes: Graph, shape: Node | None) -> str:
    if isinstance(shape, URIRef):
        return _curie(shapes, shape)
    if shape is None:
        return "?"
    owner = next(iter(shapes.subjects(SH.property, shape)), None)
    path = shapes.value(shape, SH.path)
    owner_label = _curie(shapes, owner) if isinstance(owner, URIRef) else "[]"
    return f"{owner_label}/{_curie(shapes, path)}" if isinstance(path, URIRef) else owner_label
