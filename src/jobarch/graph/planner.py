"""An rdflib in-memory store that answers SPARQL itself, planning each query with its bindings.

rdflib asks a store to answer a query before using its own processor. This
store parses each distinct query text once (pyshacl sends the same constraint
text for every focus node) and applies SHACL-style pre-binding: bound values
are put into the triple patterns before rdflib plans the join order, so a
query starts from the bound node instead of scanning.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from types import MethodType

from rdflib import BNode, Graph, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import reorderTriples
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.processor import SPARQLResult
from rdflib.plugins.sparql.sparql import Query
from rdflib.plugins.stores.memory import Memory
from rdflib.store import Store

from .terms import skolem, unskolem


def _answer(graph: Graph, query, initBindings):  # noqa: N803 - rdflib's name
    """Evaluate a query on ``graph`` with parse caching and pre-binding (shared by the stores below)."""
    try:
        prepared = _prepared(query) if isinstance(query, str) else query
    except Exception:  # e.g. a prefix only initNs declares: rdflib's own processor handles it
        raise NotImplementedError from None
    if not isinstance(prepared, Query):
        raise NotImplementedError
    if initBindings:
        prepared = _pre_bind(prepared, {Variable(k): v for k, v in initBindings.items()})
    return SPARQLResult(evalQuery(graph, prepared, initBindings or {}))


class SkolemView(Store):
    """A read-only view of a graph in which every blank node appears as an IRI (``urn:jobarch:bnode:ID``).

    pyshacl only accepts IRIs as requested focus nodes; this view lets a
    validation focus on blank nodes without copying the architecture.
    """

    context_aware = True  # pyshacl wraps data graphs in a Dataset; every context sees the same union
    graph_aware = True

    def __init__(self, inner: Graph):
        super().__init__()
        self.inner = inner
        self.graph: Graph | None = None

    def triples(self, pattern, context=None):
        s, p, o = pattern
        for triple in self.inner.triples((unskolem(s), p, unskolem(o))):
            yield (skolem(triple[0]), triple[1], skolem(triple[2])), iter(())

    def __len__(self, context=None) -> int:
        return len(self.inner)

    def contexts(self, triple=None):
        return iter(())

    def query(self, query, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803 - rdflib's names
        if self.graph is None or kwargs:
            raise NotImplementedError
        return _answer(self.graph, query, initBindings)

    def add(self, triple, context=None, quoted=False):
        raise TypeError("a SkolemView is read-only")

    def add_graph(self, graph) -> None:
        """Graphs are the inner dataset's business; nothing to record here."""


class PreparedQueryMemory(Memory):
    """rdflib's in-memory store, answering SPARQL itself: each distinct text is parsed once.

    rdflib asks a store to answer a query before using its own processor, so
    every query on the architecture passes here: pyshacl's constraints (the
    same text once per focus node) and jobarch's own queries alike.
    """

    graph: Graph | None = None

    def query(self, query, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803 - rdflib's names
        if self.graph is None or kwargs:
            raise NotImplementedError
        return _answer(self.graph, query, initBindings)


#: rdflib's SPARQL parser (pyparsing) is not thread-safe: two threads parsing at once fail at random inside
#: pyparsing (seen as a TypeError under a server's concurrent pages). Every parse of a query holds this.
SPARQL_PARSER_LOCK = threading.RLock()


@lru_cache(maxsize=512)
def _prepared(text: str) -> Query:
    with SPARQL_PARSER_LOCK:
        return prepareQuery(text)


def _pre_bind(query: Query, bindings: dict) -> Query:
    """SHACL's pre-binding: put the bound values into the query, then re-plan its triple patterns.

    rdflib plans the join order of a pattern before it knows the bindings, so
    a query like "another node with the same label as ``$this``" would first
    scan every label; with the value substituted, the planner starts from it.
    Projections keep the variable: its value still comes from the bindings.
    Blank nodes are not substituted: in a pattern they would act as variables.
    """
    bindings = {k: v for k, v in bindings.items() if not isinstance(v, BNode)}
    if not bindings:
        return query

    def rebuild(node):
        if isinstance(node, Variable):
            return bindings.get(node, node)
        if isinstance(node, CompValue):
            copy = type(node)(node.name)
            copy.__dict__.update(node.__dict__)
            evalfn = node.__dict__.get("_evalfn")
            if isinstance(evalfn, MethodType):  # expressions evaluate through a method bound to themselves
                copy._evalfn = MethodType(evalfn.__func__, copy)
            for key, value in node.items():
                copy[key] = value if key in ("PV", "_vars", "var") else rebuild(value)
            if node.name == "BGP":
                copy["triples"] = reorderTriples(copy["triples"])
            return copy
        if isinstance(node, (list, tuple)):
            return type(node)(rebuild(item) for item in node)
        return node

    return Query(query.prologue, rebuild(query.algebra))
