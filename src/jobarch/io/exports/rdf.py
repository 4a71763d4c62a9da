"""``export rdf``: the architecture's own triples (not the ontology, not inferences) as Turtle, N-Triples, JSON-LD
or RDF/XML, the same bytes for the same architecture in every format."""

from __future__ import annotations

from ...graph.serialize import serialize_triples
from ...store import Store

DESCRIPTION = "the whole architecture as RDF (--rdf-format turtle, nt, json-ld or xml)"


def export(store: Store, rdf_format: str = "turtle") -> str:
    return serialize_triples(store.architecture_triples(), rdf_format)
