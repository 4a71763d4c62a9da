"""The namespaces jobarch reads and writes."""
from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

JA = Namespace("https://w3id.org/jobarch#")
ONTOLOGY_IRI = "https://w3id.org/jobarch"
SCHEMA = Namespace("https://schema.org/")
ESCO = Namespace("http://data.europa.eu/esco/model#")

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

__all__ = ["PREFIX_IRIS", "JA", "SCHEMA", "ESCO", "SKOS", "PROV", "DCTERMS", "RDF", "RDFS", "OWL", "XSD", "PREFIXES", "ONTOLOGY_IRI"]
