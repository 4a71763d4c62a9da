"""Store backends behind one small interface, chosen by a selector string.

``memory`` is rdflib in process, the reference for correctness. Other
backends (``oxigraph:PATH``, ``sparql:URL``) implement the same two methods,
so every command runs unchanged on each.
"""
from __future__ import annotations

import re
import weakref
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Mapping

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


_TOKENS = re.compile(r'''("""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^>\s]*>|\#[^\n]*|[{}]|\bWHERE\b)''', re.I)


def inject_values(query: str, bindings: Mapping[str, Identifier]) -> str:
    """Bind variables with a ``VALUES`` block opening the query's outermost WHERE group.

    Used by the backends that take query text only (Oxigraph's substitutions
    require projected variables; the SPARQL protocol has no bindings). Each
    value is one RDF term written by rdflib's escaping serializer, never query
    text, so a value such as ``x" } DELETE WHERE {`` is just a string.
    Named queries use their parameters in the outermost group, where this and
    rdflib's pre-binding give the same answers.
    """
    if not bindings:
        return query
    block = " ".join(f"VALUES ?{name} {{ {term.n3()} }}" for name, term in sorted(bindings.items()))
    depth, seen_where, first_brace = 0, False, None
    for m in _TOKENS.finditer(query):
        tok = m.group(0)
        if tok.upper() == "WHERE" and depth == 0:
            seen_where = True
        elif tok == "{":
            if depth == 0 and (seen_where or first_brace is None):
                first_brace = m.end()
                if seen_where:
                    break
            depth += 1
        elif tok == "}":
            depth -= 1
    if first_brace is None:
        raise JobarchError("cannot find the query's WHERE group to bind parameters into")
    return f"{query[:first_brace]} {block} {query[first_brace:]}"


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

    def close(self) -> None:
        """Release what the backend holds (Oxigraph's lock on its directory); the handle is unusable after."""

    def query_task(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> tuple[Callable[[], QueryResult], str]:
        """The query as a task for a worker process, and how to start that process (see ``query.run_with_timeout``).

        By default the worker is forked and queries this very handle (an
        in-memory store exists nowhere else).
        """
        return partial(self.query, sparql, bindings), "fork"

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


SELECTORS = "memory, oxigraph:PATH (embedded, on disk), sparql:URL (a SPARQL 1.1 endpoint)"


_opened: "weakref.WeakSet[Store]" = weakref.WeakSet()


def close_stores() -> None:
    """Close every store opened so far (the CLI does this when a command ends, even on error)."""
    for store in list(_opened):
        store.close()


def open_store(selector: str = "memory", graph_store: str | None = None) -> Store:
    """Create the backend a selector names, the way OAK picks an adapter."""
    store = _open_store(selector, graph_store)
    _opened.add(store)
    return store


def _open_store(selector: str, graph_store: str | None) -> Store:
    kind, _, argument = selector.partition(":")
    if kind == "memory" and not argument:
        return MemoryStore()
    if kind == "oxigraph":
        from .store_oxigraph import open_oxigraph
        return open_oxigraph(argument)
    if kind == "sparql" and argument:
        from .store_sparql import open_sparql
        return open_sparql(argument, graph_store)
    raise JobarchError(f"unknown store selector {selector!r}", hint=f"use one of: {SELECTORS}")
