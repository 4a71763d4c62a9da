"""Validation results as curators and tools see them, whatever engine found them.

Both engines (pyshacl, and the compiled queries of the fast engine) hand
their raw results to the functions here, so that a finding's message, label,
place and the W3C report built from it are decided in one place: the two
engines give the same findings, and each gives them in the same order every run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..core.errors import Location
from ..core.namespaces import RDF, SH
from ..graph.architecture import first_parent

if TYPE_CHECKING:
    from ..graph.architecture import Architecture

SEVERITIES = ("info", "warning", "violation")  # ascending
_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


@dataclass(frozen=True)
class Finding:
    """One validation result, placed in the curator's file."""

    severity: str  # "violation", "warning" or "info"
    message: str
    focus: Node
    focus_label: str
    path: str | None
    value: Node | None
    shape: str
    component: str
    location: Location | None
    source_shape: Node | None = field(default=None, compare=False, repr=False)
    result_path: URIRef | None = field(default=None, compare=False, repr=False)

    @classmethod
    def make(
        cls,
        arch: Architecture,
        *,
        severity: str,
        message: str,
        focus: Node,
        path: URIRef | None,
        value: Node | None,
        shape: str,
        source_shape: Node | None,
        component: str,
    ) -> Finding:
        """A finding with its message finished for people, its node labelled and placed as ``arch`` says."""
        focus_label = describe_node(arch, focus)
        if "{$this}" in message:
            message = message.replace("{$this}", focus_label)
        if value is not None and "{?value}" in message:
            shown = str(value) if isinstance(value, Literal) else describe_node(arch, value)
            message = message.replace("{?value}", shown)
        return cls(
            severity=severity,
            message=message,
            focus=focus,
            focus_label=focus_label,
            path=curie(arch.dataset, path) if isinstance(path, URIRef) else None,
            value=value,
            shape=shape,
            component=component,
            location=arch.locate(focus) if focus is not None else None,
            source_shape=source_shape,
            result_path=path,
        )

    @property
    def sort_key(self) -> tuple:
        loc = self.location
        where = (str(loc.path) if loc else "~", loc.line or 0 if loc else 0)
        value = "" if self.value is None or isinstance(self.value, BNode) else str(self.value)
        return (*where, self.focus_label, self.shape, self.message, self.severity, self.component, value)


@dataclass
class ValidationReport:
    findings: list[Finding]
    focus_limited: bool = False
    notes: list[str] = field(default_factory=list)  # said to the user, e.g. why the fast engine was not used
    files: list[Path] = field(default_factory=list)  # the files validated

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "violation" for f in self.findings)

    def counts(self) -> dict[str, int]:
        return {sev: sum(1 for f in self.findings if f.severity == sev) for sev in reversed(SEVERITIES)}

    def at_or_above(self, severity: str) -> list[Finding]:
        floor = SEVERITIES.index(severity)
        return [f for f in self.findings if SEVERITIES.index(f.severity) >= floor]

    @property
    def report_graph(self) -> Graph:
        """The W3C SHACL validation report of these findings."""
        graph = Graph()
        graph.bind("sh", SH)
        report = BNode()
        graph.add((report, SH.conforms, Literal(self.conforms)))
        graph.add((report, RDF.type, SH.ValidationReport))
        for f in self.findings:
            result = BNode()
            graph.add((report, SH.result, result))
            graph.add((result, RDF.type, SH.ValidationResult))
            graph.add((result, SH.focusNode, f.focus))
            graph.add((result, SH.resultSeverity, SH[f.severity.capitalize()]))
            graph.add((result, SH.sourceConstraintComponent, SH[f.component]))
            graph.add((result, SH.resultMessage, Literal(f.message)))
            if f.source_shape is not None:
                graph.add((result, SH.sourceShape, f.source_shape))
            if f.result_path is not None:
                graph.add((result, SH.resultPath, f.result_path))
            if f.value is not None:
                graph.add((result, SH.value, f.value))
        return graph


def collapse(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per node, shape, path, severity and message, in file order.

    Several constraint components often fail together for one node (a wrong
    count and a wrong class); the curator needs the message once. Which
    component is kept is decided by name, so it never depends on the order
    an engine produced them in.
    """
    best: dict[tuple, Finding] = {}
    for f in findings:
        key = (f.focus, f.shape, f.path, f.severity, f.message)
        if key not in best or _rank(f) < _rank(best[key]):
            best[key] = f
    return sorted(best.values(), key=lambda f: f.sort_key)


def _rank(f: Finding) -> tuple:
    return (f.component, "" if f.value is None or isinstance(f.value, BNode) else str(f.value))


def sparql_message(template: str, variables: Mapping[str, Node]) -> str:
    """A SHACL-SPARQL message: ``{?var}`` and ``{$var}`` replaced by the term's string; unbound ones kept."""
    return _PLACEHOLDER.sub(lambda m: str(variables[m.group(1)]) if m.group(1) in variables else m.group(0), template)


def template_pattern(template: str) -> re.Pattern:
    """A regular expression matching the messages a template gives once its variables are filled in."""
    parts = _PLACEHOLDER.split(template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else "(?:.*?)" for i, p in enumerate(parts)) + r"\Z", re.S)


def curie(graph: Graph, node: Node) -> str:
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
        parent = first_parent(arch.dataset, node)
        if parent is None:
            return "[]"
        return f"{describe_node(arch, parent[0])} {curie(arch.dataset, parent[1])} []"
    return curie(arch.dataset, node)


def shape_label(shapes: Graph, shape: Node | None) -> str:
    """A shape as the shapes files name it: ``jash:Shape``, or ``jash:Shape/path`` for its property shapes."""
    if isinstance(shape, URIRef):
        return curie(shapes, shape)
    if shape is None:
        return "?"
    owner = next(iter(shapes.subjects(SH.property, shape)), None)
    path = shapes.value(shape, SH.path)
    owner_label = curie(shapes, owner) if isinstance(owner, URIRef) else "[]"
    return f"{owner_label}/{curie(shapes, path)}" if isinstance(path, URIRef) else owner_label
