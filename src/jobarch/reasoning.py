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
from dataclasses import dataclass, field
from typing import Callable, NamedTuple

import owlrl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .load import Architecture
from .rules import graph_of
from .namespaces import ONTOLOGY_IRI

INFERRED_GRAPH = URIRef("urn:jobarch:inferred")
_BOOKKEEPING_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}


AUTO_THRESHOLD = 20_000  # data triples above which `auto` picks the fast rules


@dataclass
class Inference:
    triples: set
    data_triples: int
    by_predicate: Counter
    engine: str = "owlrl"
    note: str = ""
    namespaces: list = field(default_factory=list)
    build_graph: Callable[[set], Graph] = graph_of  # triples of another term type bring their own
    turtle_source: Callable[[], str] | None = None  # a faster serialiser, when the triples live in a store
    _graph: Graph | None = field(default=None, repr=False)

    @property
    def graph(self) -> Graph:
        """The inferred triples as an rdflib graph, built when first asked for (counting does not need it)."""
        if self._graph is None:
            self._graph = self.build_graph(self.triples)
            for prefix, ns in self.namespaces:
                self._graph.bind(prefix, ns, override=False)
        return self._graph

    def turtle(self) -> str:
        return self.turtle_source() if self.turtle_source else self.graph.serialize(format="turtle")

    def summary(self) -> str:
        top = ", ".join(f"{_short(p)} {n:,}" for p, n in self.by_predicate.most_common(6))
        share = len(self.triples) / self.data_triples if self.data_triples else 0
        return (f"OWL-RL closure ({self.engine}) over {self.data_triples:,} data triples: {len(self.triples):,} new data triples "
                f"({share:.0%} of the data){': ' + top if top else ''}" + (f"\n{self.note}" if self.note else ""))


def _short(p: URIRef) -> str:
    for prefix, ns in (("ja:", "https://w3id.org/jobarch#"), ("rdf:", str(RDF)), ("skos:", "http://www.w3.org/2004/02/skos/core#")):
        if str(p).startswith(ns):
            return prefix + str(p)[len(ns):]
    return str(p)


class Terms(NamedTuple):
    """The few terms the data-entailment rule names, in one term type (rdflib's, or N-Triples strings)."""
    rdf_type: object
    same_as: object
    bookkeeping: frozenset
    is_literal: Callable[[object], bool]


RDFLIB_TERMS = Terms(RDF.type, OWL.sameAs, frozenset(_BOOKKEEPING_TYPES), lambda t: isinstance(t, Literal))
NTRIPLES_TERMS = Terms(RDF.type.n3(), OWL.sameAs.n3(), frozenset(t.n3() for t in _BOOKKEEPING_TYPES),
                       lambda t: t[0] == '"')  # IRIs as <...>, the form Oxigraph writes too


def is_data_entailment(triple, data_resources: set, terms: Terms = RDFLIB_TERMS) -> bool:
    """The rule for what counts as an inference about the data (see the module docstring)."""
    s, p, o = triple
    if terms.is_literal(s) or s not in data_resources:
        return False
    if p == terms.same_as and s == o:
        return False
    if p == terms.rdf_type and o in terms.bookkeeping:
        return False
    return True


def data_and_ontology(arch: Architecture) -> tuple[set, set]:
    """The curators' triples and the ontology's, as plain sets (fast to compare and join)."""
    data: set = set()
    for path in arch.files:
        data.update(arch.graph_of(path))
    return data, set(arch.dataset.graph(URIRef(ONTOLOGY_IRI)))


def owlrl_closure(data, ontology) -> set:
    """Everything owlrl's OWL-RL closure of data + ontology contains (the reference implementation)."""
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


def infer(arch: Architecture, engine: str = "auto") -> Inference:
    """The data-level entailments of the OWL-RL closure of ontology + data.

    ``engine``: ``owlrl`` (the reference), ``rules`` (the fast path of
    :mod:`jobarch.rules`), or ``auto`` (rules above AUTO_THRESHOLD data
    triples). The fast path refuses ontologies with axioms it does not
    support; ``auto`` then falls back to owlrl and says so.
    """
    from .errors import JobarchError
    from .rules import compile_rules, gc_paused, infer_fast
    with gc_paused():
        data, ontology = data_and_ontology(arch)
        chosen, note = engine, ""
        if engine == "auto":
            chosen = "rules" if len(data) > AUTO_THRESHOLD else "owlrl"
        closure = None
        if chosen == "rules":
            try:
                closure = infer_fast(data, ontology, compile_rules(graph_of(ontology)))  # only new triples
            except JobarchError as exc:
                if engine == "rules":
                    raise
                chosen, note = "owlrl", f"fell back to owlrl: {exc.message}"
        if closure is None:
            closure = owlrl_closure(data, ontology)
        inferred = data_entailments(closure, data, ontology)
    return Inference(inferred, len(data), Counter(p for _, p, _ in inferred), chosen, note, list(arch.dataset.namespaces()))


def add_inferences(arch: Architecture, inference: Inference) -> None:
    """Put inferred triples into the architecture's dataset as their own named graph."""
    target = arch.dataset.graph(INFERRED_GRAPH)
    target += inference.graph
