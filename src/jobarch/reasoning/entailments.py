"""What counts as an inference about the data, and owlrl's closure (the reference engine).

owlrl computes the full closure, which includes its own bookkeeping: every
resource ``owl:sameAs`` itself, ``rdf:type owl:Thing``/``rdfs:Resource``,
datatype typing of literals, and consequences about the ontology's own
classes and properties. The *data-level entailments* are the new triples
whose subject is a resource of the curators' files, minus that bookkeeping.
Both engines are compared on them, over rdflib terms or N-Triples strings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from rdflib import Literal
from rdflib.namespace import OWL, RDF, RDFS

from ..graph.terms import graph_of

_BOOKKEEPING_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}


class Terms(NamedTuple):
    """The few terms the data-entailment rule names, in one term type (rdflib's, or N-Triples strings)."""

    rdf_type: object
    same_as: object
    bookkeeping: frozenset
    is_literal: Callable[[object], bool]


RDFLIB_TERMS = Terms(RDF.type, OWL.sameAs, frozenset(_BOOKKEEPING_TYPES), lambda t: isinstance(t, Literal))
NTRIPLES_TERMS = Terms(
    RDF.type.n3(),
    OWL.sameAs.n3(),
    frozenset(t.n3() for t in _BOOKKEEPING_TYPES),
    lambda t: isinstance(t, str) and t[0] == '"',
)  # IRIs as <...>, the form Oxigraph writes too


def is_data_entailment(triple: tuple, data_resources: set, terms: Terms = RDFLIB_TERMS) -> bool:
    """The rule for what counts as an inference about the data (see the module docstring)."""
    s, p, o = triple
    if terms.is_literal(s) or s not in data_resources:
        return False
    if p == terms.same_as and s == o:
        return False
    return not (p == terms.rdf_type and o in terms.bookkeeping)


def owlrl_closure(data, ontology) -> set:
    """Everything owlrl's OWL-RL closure of data + ontology contains (the reference implementation)."""
    import owlrl  # the reference engine, imported only when it runs

    graph = graph_of(set(data) | set(ontology))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    return set(graph)


def data_entailments(closure: set, data, ontology, terms: Terms = RDFLIB_TERMS) -> set:
    """The triples of a closure that count as inferences about the data: what both engines are compared on."""
    data, ontology = set(data), set(ontology)
    resources = data_resources(data, ontology, terms)
    return {t for t in closure if t not in data and is_data_entailment(t, resources, terms)}


def data_resources(data, ontology, terms: Terms = RDFLIB_TERMS) -> set:
    """The resources the data describes: its subjects and non-literal objects, minus the vocabulary it uses."""
    rdf_type, is_literal = terms.rdf_type, terms.is_literal
    resources, vocabulary = set(), {s for s, _, _ in ontology}
    for s, p, o in data:
        resources.add(s)
        vocabulary.add(p)
        if p == rdf_type:
            vocabulary.add(o)
        elif not is_literal(o):
            resources.add(o)
    return resources - vocabulary
