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
from pathlib import Path

import pyshacl
from pyshacl.errors import ReportableRuntimeError
from pyshacl.graph_abstraction import DataGraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ..core.errors import JobarchError
from ..graph.architecture import Architecture
from ..graph.planner import SkolemView
from ..graph.terms import skolem as _skolem
from ..graph.terms import unskolem as _unskolem
from .findings import Finding, ValidationReport, collapse, curie, shape_label, template_pattern
from .shapes import shapes_graph


class _Validator(pyshacl.Validator):
    """pyshacl's validator, with the focus-node filter as a set (pyshacl keeps a list: quadratic on large runs)."""

    def make_executor(self):
        executor = super().make_executor()
        if executor.focus_nodes:
            executor.focus_nodes = frozenset(executor.focus_nodes)  # type: ignore[assignment]
        return executor


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
    focus = None
    if only is None:
        graph: Graph = arch.dataset  # the union of all files, validated in place
    else:
        focus = sorted(str(_skolem(n)) for n in focus_nodes_for(arch, only))
        if not focus:
            return ValidationReport([], focus_limited=True)
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
    try:
        _conforms, report, _text = validator.run()
    except ReportableRuntimeError as exc:  # e.g. sh:lessThanOrEquals on a blank node
        reason = exc.args[0] if exc.args else type(exc).__name__
        raise JobarchError(f"pyshacl cannot validate this data: {reason}", hint="use --engine fast") from None
    except TypeError:  # pyshacl compares an ill-typed literal ("abc"^^xsd:integer) with a number and fails
        raise _ill_typed(arch) from None
    return ValidationReport(_findings(arch, report), focus_limited=focus is not None)


def _ill_typed(arch: Architecture) -> JobarchError:
    """Name the first ill-typed literal (the likely cause) with its file and line."""
    for s, p, o in arch.dataset.triples((None, None, None)):
        if isinstance(o, Literal) and o.ill_typed:
            where = arch.locate(s)
            return JobarchError(
                f"pyshacl cannot compare the ill-typed literal {o.n3()} (of {curie(arch.dataset, p)})",
                where,
                hint="correct the literal, or use --engine fast, which reports it as a finding",
            )
    return JobarchError("pyshacl failed comparing two values", hint="use --engine fast")


def _findings(arch: Architecture, report: Graph) -> list[Finding]:
    shapes = shapes_graph()
    findings = []
    for result in report.objects(None, SH.result):
        focus = _unskolem(report.value(result, SH.focusNode))
        path = report.value(result, SH.resultPath)
        shape = report.value(result, SH.sourceShape)
        component = str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        messages = [str(m) for m in report.objects(result, SH.resultMessage)]
        findings.append(
            Finding.make(
                arch,
                severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1].lower(),
                message=_message(shapes, messages, shape, report.value(result, SH.sourceConstraint), component),
                focus=focus,
                path=path if isinstance(path, URIRef) else None,
                value=_unskolem(report.value(result, SH.value)),
                shape=shape_label(shapes, shape),
                source_shape=shape,
                component=component,
            )
        )
    return collapse(findings)


def _message(shapes: Graph, messages: list[str], shape: Node | None, constraint: Node | None, component: str) -> str:
    """The result message written from our own sh:message: the constraint's, else the shape's.

    pyshacl attaches both (filled in) to a SHACL-SPARQL result, and its own
    generic text where a shape has none; the first of our templates that one
    of the messages fills in is the message, as the fast engine chooses it.
    """
    templates = [*_templates(shapes, constraint), *_templates(shapes, shape)]
    for template in templates:
        pattern = template_pattern(template)
        filled = sorted(m for m in messages if pattern.match(m))
        if filled:
            return filled[0]
    return min(messages) if messages else component


def _templates(shapes: Graph, node: Node | None) -> list[str]:
    return sorted(str(m) for m in shapes.objects(node, SH.message)) if node is not None else []
