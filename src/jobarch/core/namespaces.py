"""Every namespace and fixed IRI jobarch reads or writes, in one place."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

JA = Namespace("https://w3id.org/jobarch#")
ONTOLOGY_IRI = "https://w3id.org/jobarch"
SCHEMA = Namespace("https://schema.org/")
ESCO = Namespace("http://data.europa.eu/esco/model#")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
JASH = Namespace("https://w3id.org/jobarch/shapes#")

#: Graphs and identifiers jobarch mints for derived data, never for curators' data.
INFERRED_GRAPH_IRI = "urn:jobarch:inferred"
#: In a shared SPARQL server: which file each graph holds and the digest of its bytes (what ``load`` syncs by).
SOURCES_GRAPH_IRI = "urn:jobarch:sources"
#: A file's graph in a shared SPARQL server: its path relative to the architecture's root (see Settings.root).
FILE_GRAPH_PREFIX = "urn:jobarch:file:"
SKOLEM_PREFIX = "urn:jobarch:bnode:"
ADJACENCY_PREFIX = "urn:jobarch:adjacency:"

PREFIXES = {
    "ja": JA,
    "skos": SKOS,
    "prov": PROV,
    "dct": DCTERMS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "schema": SCHEMA,
    "esco": ESCO,
}

#: The same prefixes as plain strings, for writers (canonical Turtle, exports, imports).
PREFIX_IRIS = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def short_name(iri: str) -> str:
    """An IRI as a prefixed name when one of jobarch's prefixes covers it, for messages and summaries."""
    for prefix, ns in PREFIX_IRIS.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


__all__ = [
    "ADJACENCY_PREFIX",
    "DCTERMS",
    "ESCO",
    "FILE_GRAPH_PREFIX",
    "INFERRED_GRAPH_IRI",
    "JA",
    "JASH",
    "ONTOLOGY_IRI",
    "SOURCES_GRAPH_IRI",
    "OWL",
    "PREFIXES",
    "PREFIX_IRIS",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SEMAPV",
    "SH",
    "SKOLEM_PREFIX",
    "SKOS",
    "XSD",
    "short_name",
]
