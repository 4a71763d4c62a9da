"""``export rdf``: the architecture's own triples (not the ontology, not inferences) as Turtle, N-Triples, JSON-LD
or RDF/XML, the same bytes for the same architecture in every format."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.term import Node

from ...core.namespaces import PREFIX_IRIS
from ...graph.serialize import SERIALIZATIONS, serialize_graph
from ...graph.terms import from_ox
from ...graph.turtle import blank_labels, canonical_turtle_from
from ...store import Store

DESCRIPTION = "the whole architecture as RDF (--rdf-format turtle, nt, json-ld or xml)"


def export(store: Store, rdf_format: str = "turtle") -> str:
    lines = "".join(f"{s} {p} {o} .\n" for s, p, o in store.architecture_triples())
    triples = [(q.subject, q.predicate, q.object) for q in ox.parse(lines.encode("utf-8"), ox.RdfFormat.N_TRIPLES)]
    if rdf_format == "turtle":
        return canonical_turtle_from(triples, PREFIX_IRIS)
    labels = blank_labels(triples)  # content-derived: a blank node has the same name on every run

    def name(term: Any) -> Any:
        return ox.BlankNode(labels[term]) if isinstance(term, ox.BlankNode) else term

    stable = sorted(((name(s), name(p), name(o)) for s, p, o in triples), key=lambda t: tuple(map(str, t)))
    if rdf_format == "nt":
        return "".join(f"{s} {p} {o} .\n" for s, p, o in stable)
    if rdf_format not in SERIALIZATIONS:
        raise ValueError(rdf_format)
    graph = Graph()  # rdflib keeps insertion order: sorted triples, stable output
    graph.addN((_rdflib(s), _rdflib(p), _rdflib(o), graph) for s, p, o in stable)
    return serialize_graph(graph, rdf_format)


def _rdflib(term: Any) -> Node:
    node = BNode(term.value) if isinstance(term, ox.BlankNode) else from_ox(term)
    assert node is not None
    return node
