"""A graph as text in a standard RDF syntax, with jobarch's prefixes (JSON-LD: as its compact inline @context)."""

from __future__ import annotations

from rdflib import Graph

from ..core.namespaces import PREFIX_IRIS

#: Serialisations by short name: rdflib's format names.
SERIALIZATIONS = {"turtle": "turtle", "nt": "nt", "json-ld": "json-ld", "xml": "xml"}


def serialize_graph(graph: Graph, fmt: str) -> str:
    """A graph as Turtle, N-Triples, RDF/XML or JSON-LD, with jobarch's prefixes."""
    for prefix, ns in PREFIX_IRIS.items():
        graph.bind(prefix, ns, override=False)
    if fmt == "json-ld":
        return graph.serialize(format="json-ld", context=dict(PREFIX_IRIS), auto_compact=True)
    return graph.serialize(format=SERIALIZATIONS.get(fmt, fmt))
