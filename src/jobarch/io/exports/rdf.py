"""``export rdf``: the whole architecture (not the ontology) as Turtle, N-Triples, JSON-LD or RDF/XML."""

from __future__ import annotations

from rdflib import Graph

from ...core.namespaces import ONTOLOGY_IRI, PREFIX_IRIS
from ...graph.serialize import serialize_graph
from ...graph.turtle import canonical_turtle
from ...query import with_standard_prefixes
from ...store import Store

DESCRIPTION = "the whole architecture as RDF (--rdf-format turtle, nt, json-ld or xml)"
SERIALIZATIONS = ("turtle", "nt", "json-ld", "xml")


def export(store: Store, rdf_format: str = "turtle") -> str:
    query = with_standard_prefixes(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <{ONTOLOGY_IRI}>) }}"
    )
    graph = store.query(query).graph or Graph()
    if rdf_format == "turtle":
        return canonical_turtle(graph, PREFIX_IRIS)
    if rdf_format == "nt":
        return "".join(sorted(line + "\n" for line in graph.serialize(format="nt").splitlines() if line.strip()))
    return serialize_graph(graph, rdf_format)
