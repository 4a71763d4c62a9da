"""OWL-RL reasoning over the ontology plus the data, keeping only what it says about the data.

owlrl computes the full closure, which includes its own bookkeeping: every
resource ``owl:sameAs`` itself, ``rdf:type owl:Thing``/``rdfs:Resource``,
datatype typing of literals, and consequences about the ontology's own
classes and properties. :func:`infer` returns only the *data-level
entailments*: new triples whose subject is a resource of the curators' files,
minus that bookkeeping. Those are written to their own file or named graph,
never into the curators' files.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import owlrl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .load import Architecture
from .namespaces import ONTOLOGY_IRI

INFERRED_GRAPH = URIRef("urn:jobarch:inferred")
_BOOKKEEPING_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}


@dataclass
class Inference:
    graph: Graph
    data_triples: int
    by_predicate: Counter

    def summary(self) -> str:
        top = ", ".join(f"{_short(p)} {n:,}" for p, n in self.by_predicate.most_common(6))
        share = len(self.graph) / self.data_triples if self.data_triples else 0
        return (f"OWL-RL closure over {self.data_triples:,} data triples: {len(self.graph):,} new data triples "
                f"({share:.0%} of the data){': ' + top if top else ''}")


def _short(p: URIRef) -> str:
    for prefix, ns in (("ja:", "https://w3id.org/jobarch#"), ("rdf:", str(RDF)), ("skos:", "http://www.w3.org/2004/02/skos/core#")):
        if str(p).startswith(ns):
            return prefix + str(p)[len(ns):]
    return str(p)


def is_data_entailment(triple, data_resources: set) -> bool:
    """The rule for what counts as an inference about the data (see the module docstring)."""
    s, p, o = triple
    if isinstance(s, Literal) or s not in data_resources:
        return False
    if p == OWL.sameAs and s == o:
        return False
    if p == RDF.type and o in _BOOKKEEPING_TYPES:
        return False
    return True


def infer(arch: Architecture) -> Inference:
    """The data-level entailments of owlrl's OWL-RL closure of ontology + data."""
    data = Graph()
    for path in arch.files:
        data += arch.graph_of(path)
    graph = Graph()
    graph += data
    graph += arch.dataset.graph(URIRef(ONTOLOGY_IRI))
    before = len(graph)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    ontology = arch.dataset.graph(URIRef(ONTOLOGY_IRI))
    vocabulary = set(ontology.subjects()) | set(data.objects(None, RDF.type)) | set(data.predicates())
    resources = (set(data.subjects()) | {o for o in data.objects() if not isinstance(o, Literal)}) - vocabulary
    inferred = Graph()
    for prefix, ns in arch.dataset.namespaces():
        inferred.bind(prefix, ns, override=False)
    if len(graph) > before:
        for triple in graph:
            if triple not in data and is_data_entailment(triple, resources):
                inferred.add(triple)
    return Inference(inferred, len(data), Counter(p for _, p, _ in inferred))


def add_inferences(arch: Architecture, inference: Inference) -> None:
    """Put inferred triples into the architecture's dataset as their own named graph."""
    target = arch.dataset.graph(INFERRED_GRAPH)
    target += inference.graph
