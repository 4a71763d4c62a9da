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
from typing import NamedTuple

import owlrl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .load import Architecture
from .rules import graph_of
from .namespaces import ONTOLOGY_IRI, PREFIXES

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
    to_rdflib: object = None  # converts a triple of another term type (Oxigraph's) for serialising
    _graph: Graph | None = field(default=None, repr=False)

    @property
    def graph(self) -> Graph:
        """The inferred triples as a graph, built when first asked for (serialising needs it; counting does not)."""
        if self._graph is None:
            self._graph = graph_of(self.triples if self.to_rdflib is None else map(self.to_rdflib, self.triples))
            for prefix, ns in self.namespaces:
                self._graph.bind(prefix, ns, override=False)
        return self._graph

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
    """The few terms the data-entailment rule names, in one term type (rdflib's or Oxigraph's)."""
    rdf_type: object
    same_as: object
    bookkeeping: frozenset
    literal: type


RDFLIB_TERMS = Terms(RDF.type, OWL.sameAs, frozenset(_BOOKKEEPING_TYPES), Literal)


def is_data_entailment(triple, data_resources: set, terms: Terms = RDFLIB_TERMS) -> bool:
    """The rule for what counts as an inference about the data (see the module docstring)."""
    s, p, o = triple
    if isinstance(s, terms.literal) or s not in data_resources:
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
    rdf_type, literal = terms.rdf_type, terms.literal
    vocabulary = {s for s, _, _ in ontology} | {o for _, p, o in data if p == rdf_type} | {p for _, p, _ in data}
    resources = ({s for s, _, _ in data} | {o for _, _, o in data if not isinstance(o, literal)}) - vocabulary
    return {t for t in closure if t not in data and is_data_entailment(t, resources, terms)}


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


def refresh_inferences(store, files, engine: str = "auto", force: bool = False) -> Inference:
    """Bring the inferences inside an Oxigraph store up to date with the files, and return them.

    The store parses each file once (unchanged files are not read again) and
    drops its inferences whenever a file changes; when no file changed since
    the last run, the stored inferences are returned as they are. The fast
    rules run on Oxigraph's own terms, which hash and compare in Rust, without
    building an rdflib graph; owlrl (small architectures, or ``--engine
    owlrl``) gets the same triples converted to rdflib terms.
    """
    import pyoxigraph as ox

    from .errors import JobarchError
    from .rules import compile_rules, gc_paused, infer_fast
    from .store_oxigraph import from_ox, to_ox
    store.sync(files)
    stamps = store.file_stamps()
    to_rdflib = lambda t: (from_ox(t[0]), from_ox(t[1]), from_ox(t[2]))  # noqa: E731
    with gc_paused():
        data = set().union(*(store.triples_of(uri) for uri in stamps if uri != ONTOLOGY_IRI))
        previous = store.inferred_from() or {}
        if not force and previous.get("files") == stamps and engine in ("auto", previous.get("engine")):
            inferred = store.triples_of(previous["graph"])
            return _ox_inference(inferred, data, previous["engine"], "up to date: no file changed since the last run", to_rdflib)
        ontology = store.triples_of(ONTOLOGY_IRI)
        rdf_ontology = graph_of(map(to_rdflib, ontology))
        chosen, note, inferred = engine, "", None
        if engine == "auto":
            chosen = "rules" if len(data) > AUTO_THRESHOLD else "owlrl"
        if chosen == "rules":
            try:
                rules = compile_rules(rdf_ontology).map(to_ox)
                terms = Terms(to_ox(RDF.type), to_ox(OWL.sameAs), frozenset(map(to_ox, _BOOKKEEPING_TYPES)), ox.Literal)
                inferred = data_entailments(infer_fast(data, ontology, rules), data, ontology, terms)
            except JobarchError as exc:
                if engine == "rules":
                    raise
                chosen, note = "owlrl", f"fell back to owlrl: {exc.message}"
        if inferred is None:
            rdf_data = set(map(to_rdflib, data))
            closure = owlrl_closure(rdf_data, set(rdf_ontology))
            inferred = {tuple(map(to_ox, t)) for t in data_entailments(closure, rdf_data, set(rdf_ontology))}
        store.put_inferences(str(INFERRED_GRAPH), inferred, stamps, chosen)
    return _ox_inference(inferred, data, chosen, note, to_rdflib)


def _ox_inference(inferred: set, data: set, engine: str, note: str, to_rdflib) -> Inference:
    from .store_oxigraph import from_ox
    by_predicate = Counter({from_ox(p): n for p, n in Counter(p for _, p, _ in inferred).items()})
    return Inference(inferred, len(data), by_predicate, engine, note, list(PREFIXES.items()), to_rdflib)
