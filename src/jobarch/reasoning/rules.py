"""The fast reasoning path: the OWL-RL rules the ontology actually uses, applied semi-naively.

owlrl re-derives everything from the whole graph on every round. Here the
ontology is read once into rules (subclass and subproperty, domain and range,
inverse, symmetric and transitive properties, property chains, equivalent
classes and properties), and the data is closed to a fixpoint where each round
joins only the triples that are new. The result is compared with owlrl's
data-level entailments (see :func:`jobarch.reasoning.is_data_entailment`).

An axiom kind these rules do not cover (owl:sameAs, functional properties,
restrictions, ...) makes :func:`compile_rules` refuse, so that the caller falls
back to owlrl instead of silently inferring less.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from rdflib import Graph
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from ..core.errors import JobarchError
from ..graph.terms import graph_of

SUPPORTED = {
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.inverseOf,
    OWL.propertyChainAxiom,
    OWL.equivalentClass,
    OWL.equivalentProperty,
}
UNSUPPORTED_PREDICATES = {
    OWL.sameAs,
    OWL.hasKey,
    OWL.someValuesFrom,
    OWL.allValuesFrom,
    OWL.hasValue,
    OWL.onProperty,
    OWL.unionOf,
    OWL.intersectionOf,
    OWL.complementOf,
    OWL.oneOf,
    OWL.maxCardinality,
    OWL.maxQualifiedCardinality,
    OWL.propertyDisjointWith,
    OWL.disjointWith,
}
UNSUPPORTED_TYPES = {
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.IrreflexiveProperty,
    OWL.AsymmetricProperty,
    OWL.AllDisjointClasses,
    OWL.AllDifferent,
    OWL.Restriction,
}


@dataclass
class Rules:
    superclasses: dict = field(default_factory=lambda: defaultdict(set))  # class -> all superclasses
    superproperties: dict = field(default_factory=lambda: defaultdict(set))  # property -> all superproperties
    domains: dict = field(default_factory=lambda: defaultdict(set))
    ranges: dict = field(default_factory=lambda: defaultdict(set))
    inverses: dict = field(default_factory=lambda: defaultdict(set))
    symmetric: set = field(default_factory=set)
    transitive: set = field(default_factory=set)
    chains: list = field(default_factory=list)  # (result property, [p1, p2])
    rdf_type: object = RDF.type

    def reads(self) -> set:
        """The predicates some rule reads (a triple with any other predicate starts no derivation)."""
        return (
            set(self.superproperties)
            | set(self.domains)
            | set(self.ranges)
            | set(self.inverses)
            | self.symmetric
            | self.transitive
            | {p for _, chain in self.chains for p in chain}
            | {self.rdf_type}
        )

    def writes(self) -> set:
        """The predicates a rule can derive (a triple with any other predicate is never derived again)."""
        return (
            {sup for sups in self.superproperties.values() for sup in sups}
            | {i for invs in self.inverses.values() for i in invs}
            | self.symmetric
            | self.transitive
            | {result for result, _ in self.chains}
            | {self.rdf_type}
        )

    def map(self, convert) -> Rules:
        """The same rules over another term type (Oxigraph's terms hash and compare in Rust)."""
        terms = lambda xs: {convert(x) for x in xs}  # noqa: E731
        table = lambda d: defaultdict(set, {convert(k): terms(v) for k, v in d.items()})  # noqa: E731
        return Rules(
            table(self.superclasses),
            table(self.superproperties),
            table(self.domains),
            table(self.ranges),
            table(self.inverses),
            terms(self.symmetric),
            terms(self.transitive),
            [(convert(r), [convert(p) for p in chain]) for r, chain in self.chains],
            convert(self.rdf_type),
        )


def _closure(pairs: dict) -> dict:
    closed = defaultdict(set)
    for start in list(pairs):
        seen, stack = set(), [start]
        while stack:
            node = stack.pop()
            for nxt in pairs.get(node, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        closed[start] = seen
    return closed


def compile_rules(ontology: Graph) -> Rules:
    """The rules an ontology implies, or JobarchError naming the first axiom they cannot honour."""
    for p in UNSUPPORTED_PREDICATES:
        if (None, p, None) in ontology:
            raise JobarchError(
                f"the fast reasoner does not support {ontology.namespace_manager.normalizeUri(p)} axioms"
            )
    for t in UNSUPPORTED_TYPES:
        if (None, RDF.type, t) in ontology:
            raise JobarchError(f"the fast reasoner does not support {ontology.namespace_manager.normalizeUri(t)}")
    sub_class, sub_prop = defaultdict(set), defaultdict(set)
    for s, o in ontology.subject_objects(RDFS.subClassOf):
        sub_class[s].add(o)
    for s, o in ontology.subject_objects(OWL.equivalentClass):
        sub_class[s].add(o)
        sub_class[o].add(s)
    for s, o in ontology.subject_objects(RDFS.subPropertyOf):
        sub_prop[s].add(o)
    for s, o in ontology.subject_objects(OWL.equivalentProperty):
        sub_prop[s].add(o)
        sub_prop[o].add(s)
    rules = Rules()
    rules.superclasses = _closure(sub_class)
    rules.superproperties = _closure(sub_prop)
    for s, o in ontology.subject_objects(RDFS.domain):
        rules.domains[s].add(o)
    for s, o in ontology.subject_objects(RDFS.range):
        rules.ranges[s].add(o)
    for s, o in ontology.subject_objects(OWL.inverseOf):
        rules.inverses[s].add(o)
        rules.inverses[o].add(s)
    rules.symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
    rules.transitive = set(ontology.subjects(RDF.type, OWL.TransitiveProperty))
    for prop, head in ontology.subject_objects(OWL.propertyChainAxiom):
        chain = list(Collection(ontology, head))
        if len(chain) != 2:
            raise JobarchError("the fast reasoner supports property chains of two properties only")
        rules.chains.append((prop, chain))
    return rules


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector: building sets of millions of tuples
    otherwise triggers full collections that rescan them all (they hold no cycles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def infer_fast(data, ontology, rules: Rules | None = None, known=(), added=None) -> set:
    """All triples the rules derive from data + ontology (graphs or sets of triples), to a fixpoint.

    Each round joins only what is new.

    Only what a rule can read or write is indexed: triples whose predicate no
    rule mentions can neither start a derivation nor be derived again, so
    they are never copied, hashed or joined.

    Incrementally: when ``data`` grew by the triples ``added`` and ``known``
    is what was derived before they came, the rules are monotone, so the old
    derivations still hold and only what follows from ``added`` is new: the
    fixpoint starts from ``added`` alone and returns just those triples.
    """
    if rules is None:
        rules = compile_rules(ontology if isinstance(ontology, Graph) else graph_of(ontology))
    first_link, second_link = defaultdict(list), defaultdict(list)
    for result, (p1, p2) in rules.chains:
        first_link[p1].append((result, p2))
        second_link[p2].append((result, p1))
    superclasses, superproperties = rules.superclasses, rules.superproperties
    domains, ranges, inverses = rules.domains, rules.ranges, rules.inverses
    symmetric, transitive, rdf_type = rules.symmetric, rules.transitive, rules.rdf_type
    is_type = {rdf_type}  # set membership hashes first: no slow term comparison for other predicates
    reads, writes = rules.reads(), rules.writes()
    forward = transitive | {p2 for _, (_, p2) in rules.chains}  # joined from the subject: p -> s -> {o}
    backward = transitive | {p1 for _, (p1, _) in rules.chains}  # joined from the object: p -> o -> {s}
    with gc_paused():
        readable, facts = set(), set()
        for source in (data, ontology, known):
            for t in source:
                if t[1] in reads:
                    readable.add(t)
                if t[1] in writes:
                    facts.add(t)
        delta = readable if added is None else {t for t in added if t[1] in reads}
        by_p_s: dict = {p: defaultdict(set) for p in forward}
        by_p_o: dict = {p: defaultdict(set) for p in backward}

        def index(triples) -> None:
            for s, p, o in triples:
                if p in by_p_s:
                    by_p_s[p][s].add(o)
                if p in by_p_o:
                    by_p_o[p][o].add(s)

        index(readable)
        derived: set = set()
        while delta:
            new: set = set()
            add = new.add
            for s, p, o in delta:
                if p in is_type:
                    for sup in superclasses.get(o, ()):
                        add((s, rdf_type, sup))
                    continue
                for sup in superproperties.get(p, ()):
                    add((s, sup, o))
                for cls in domains.get(p, ()):
                    add((s, rdf_type, cls))
                # like owlrl, reason over generalised triples (a literal may stand as a subject on the way);
                # such triples are dropped at the end, with the rest of owlrl's bookkeeping
                for cls in ranges.get(p, ()):
                    add((o, rdf_type, cls))
                for inv in inverses.get(p, ()):
                    add((o, inv, s))
                if p in symmetric:
                    add((o, p, s))
                if p in transitive:
                    for nxt in by_p_s[p].get(o, ()):
                        add((s, p, nxt))
                    for prev in by_p_o[p].get(s, ()):
                        add((prev, p, o))
                for result, p2 in first_link.get(p, ()):
                    for z in by_p_s[p2].get(o, ()):
                        add((s, result, z))
                for result, p1 in second_link.get(p, ()):
                    for x in by_p_o[p1].get(s, ()):
                        add((x, result, o))
            new -= facts
            index(new)
            facts |= new
            derived |= new
            delta = {t for t in new if t[1] in reads}
    return derived
