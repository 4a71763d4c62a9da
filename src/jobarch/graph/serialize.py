"""A graph as text in a standard RDF syntax, with jobarch's prefixes: the same triples give the same bytes.

Every format is written from the triples' N-Triples text with blank nodes
named by content (:func:`jobarch.graph.canonical.blank_labels`), so an export,
a CONSTRUCT answer or a linked-data page is byte-stable across runs and
stores: Turtle in jobarch's canonical layout, N-Triples and RDF/XML in sorted
order (RDF/XML by Oxigraph's writer), JSON-LD compact with the prefixes as
its inline ``@context`` (nothing to fetch).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from ..core.errors import JobarchError
from ..core.namespaces import PREFIX_IRIS
from .canonical import blank_labels
from .terms import rdflib_to_ntriples
from .triples import Triple, split_line
from .turtle import canonical_turtle_from

#: Serialisations by short name, with their media types.
SERIALIZATIONS = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "xml": "application/rdf+xml",
}

_XML_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*$")


def serialize_triples(triples: Iterable[Triple], fmt: str, prefixes: dict[str, str] | None = None) -> str:
    """Triples (N-Triples text of each term) as Turtle, N-Triples, JSON-LD or RDF/XML."""
    if fmt not in SERIALIZATIONS:
        raise ValueError(f"unknown RDF format {fmt!r}; choose from {', '.join(SERIALIZATIONS)}")
    prefixes = PREFIX_IRIS if prefixes is None else prefixes
    triples = list(triples)
    if fmt == "turtle":
        return canonical_turtle_from(triples, prefixes)
    labels = blank_labels(triples)  # content-derived: a blank node has the same name on every run
    lines = sorted({f"{labels.get(s, s)} {p} {labels.get(o, o)} .\n" for s, p, o in triples})
    if fmt == "nt":
        return "".join(lines)
    if fmt == "json-ld":
        from .jsonld import jsonld_text

        return jsonld_text((split_line(line[:-3]) for line in lines), prefixes)
    unwritable = sorted({p for _, p, _ in triples if not _XML_LOCAL_NAME.search(p[1:-1])})
    if unwritable:
        raise JobarchError(
            f"RDF/XML cannot write the predicate {unwritable[0]}: an RDF/XML property must end in an XML name",
            hint="choose --rdf-format turtle, nt or json-ld, which write every IRI",
        )
    parsed = ox.parse("".join(lines).encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    return bytes(ox.serialize(parsed, format=ox.RdfFormat.RDF_XML, prefixes=prefixes) or b"").decode("utf-8")


def serialize_graph(graph: Any, fmt: str) -> str:
    """An rdflib graph (a CONSTRUCT answer, a page's triples) in one of :data:`SERIALIZATIONS`."""
    return serialize_triples((rdflib_to_ntriples(t) for t in graph), fmt)


__all__ = ["SERIALIZATIONS", "serialize_graph", "serialize_triples"]
