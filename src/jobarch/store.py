"""Store backends behind one small interface, chosen by a selector string.

``memory`` is rdflib in process, the reference for correctness. Other
backends (``oxigraph:PATH``, ``sparql:URL``) implement the same two methods,
so every command runs unchanged on each.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Mapping

from rdflib import Graph
from rdflib.term import Identifier, Node, Variable

from .errors import JobarchError
from .load import Architecture


@dataclass
class QueryResult:
    """A backend-neutral query answer: rows of rdflib terms, a graph, or a boolean."""

    kind: str  # "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE"
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    graph: Graph | None = None
    boolean: bool | None = None

    def dicts(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.vars, row)) for row in self.rows]


class Store(ABC):
    """What every backend offers: load an architecture, answer a SPARQL query."""

    selector: str = ""
    architecture: Architecture | None = None

    @abstractmethod
    def load(self, architecture: Architecture) -> None:
        """Make the architecture's triples (all named graphs) queryable."""

    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        """Answer a read-only query over the union of all graphs, with pre-bound variables."""

    def select(self, sparql: str, **bindings: Identifier) -> list[dict[str, Node | None]]:
        """Run a SELECT with keyword bindings and return rows as dicts."""
        return self.query(sparql, bindings).dicts()


class MemoryStore(Store):
    """rdflib's in-memory dataset: no server, the reference implementation."""

    selector = "memory"

    def load(self, architecture: Architecture) -> None:
        self.architecture = architecture

    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        if self.architecture is None:
            raise JobarchError("no architecture loaded in the memory store")
        init = {Variable(k): v for k, v in (bindings or {}).items()}
        result = self.architecture.dataset.query(sparql, initBindings=init)
        if result.type == "SELECT":
            names = [str(v) for v in result.vars]
            return QueryResult("SELECT", names, [tuple(row) for row in result])
        if result.type == "ASK":
            return QueryResult("ASK", boolean=bool(result.askAnswer))
        graph = Graph()
        for triple in result.graph:
            graph.add(triple)
        return QueryResult(result.type, graph=graph)


def open_store(selector: str = "memory") -> Store:
    """Create the backend a selector names (``memory`` for now; more in later releases)."""
    kind, _, _arg = selector.partition(":")
    if kind == "memory":
        return MemoryStore()
    raise JobarchError(
        f"unknown store selector {selector!r}",
        hint="use 'memory'",
    )
