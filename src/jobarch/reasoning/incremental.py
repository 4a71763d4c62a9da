"""Reasoning inside a persistent store: no rdflib parse, refreshed only when a file changed.

The store knows what each file asserts (the Oxigraph backend keeps it beside
its default graph). Here the fast rules run over the store's triples read as N-Triples text, one
string per term: Oxigraph writes the text in Rust, Python strings hash once
and compare by identity once interned, and only the triples whose predicate a
rule reads or writes are kept. The data-level entailments go back into the
store as a *derived graph* with the file versions they follow from, so that
an unchanged architecture costs nothing the next time.

What this needs from a store is the small :class:`DerivedGraphStore`
protocol; the store keeps a derived graph honest on its own (it drops it when
a file loses a triple, and journals what files gained), and the state of this
module (which file versions, which engine, the rules' other derivations) goes
through the store's get/put/remove state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from rdflib import URIRef

from ..core.namespaces import INFERRED_GRAPH_IRI, ONTOLOGY_IRI, PREFIXES
from ..core.state import State
from ..graph.terms import graph_of, ntriples_to_rdflib, rdflib_to_ntriples, to_ox
from ..graph.triples import Triple
from . import Inference, choose_engine
from .entailments import NTRIPLES_TERMS, data_entailments, data_resources, is_data_entailment, owlrl_closure
from .rules import gc_paused, infer_fast

STATE = "inferences"  # which file versions and engine the derived graph follows from
REST = "inferences-rest"  # what the rules derived that is not a data entailment, for the next incremental run


class DerivedGraphStore(Protocol):
    """What in-store reasoning needs from a store."""

    @property
    def state(self) -> State: ...

    def file_stamps(self) -> dict[str, str]: ...
    def ntriples_of(self, graph_iri: str) -> Iterator[Triple]: ...
    def triple_count(self, graph_iri: str) -> int: ...
    def turtle_of(self, graph_iri: str) -> str: ...
    def write_derived(self, graph_iri: str, add: Iterable[Triple], remove: Iterable[Triple] | None = None) -> None: ...
    def journal(self) -> set[Triple] | None: ...


def inferences_fresh(state: State, stamps: dict[str, str], engine: str) -> bool:
    """Whether the stored inferences follow from exactly these file versions, by an acceptable engine."""
    previous = state.get(STATE) or {}
    return bool(previous) and previous.get("files") == stamps and engine in ("auto", previous.get("engine"))


def refresh_inferences(
    store: DerivedGraphStore, engine: str = "auto", force: bool = False, read_back: bool = True
) -> Inference | None:
    """Bring the inferences inside a synced store up to date with its files, and return them.

    With no file changed since the last run (and the same engine, or
    ``auto``), the stored inferences are returned as they are. When the files
    only gained triples since the fast rules last ran, only what follows from
    those triples is derived (the rules are monotone: the earlier derivations
    still hold). Anything else recomputes from the store. ``read_back=False``
    skips reading up-to-date inferences out of the store (and returns None)
    for a caller that only needs them to be there.
    """
    stamps = store.file_stamps()
    previous: dict[str, Any] = store.state.get(STATE) or {}
    with gc_paused():
        if not force and inferences_fresh(store.state, stamps, engine):
            if not read_back:
                return None
            inferred = set(store.ntriples_of(INFERRED_GRAPH_IRI))
            return _inference(
                store,
                inferred,
                previous.get("data_triples", 0),
                previous["engine"],
                "up to date: no file changed since the last run",
            )
        ontology = set(store.ntriples_of(ONTOLOGY_IRI))
        rdf_ontology = set(ntriples_to_rdflib(ontology))
        data_files = [uri for uri in stamps if uri != ONTOLOGY_IRI]
        count = sum(store.triple_count(uri) for uri in data_files)
        choice = choose_engine(engine, count, graph_of(rdf_ontology), convert=lambda term: str(to_ox(term)))
        record = {"files": stamps, "engine": choice.engine, "data_triples": count}
        if choice.rules is not None:
            added = store.journal() if not force and previous.get("engine") == "rules" else None
            rest = {tuple(t) for t in store.state.get(REST) or ()}
            old = set() if added is None else set(store.ntriples_of(INFERRED_GRAPH_IRI))
            known = old | rest if added is not None else set()
            derived, resources = _rules(store, data_files, ontology, choice.rules, known, added)
            inferred = {t for t in derived if is_data_entailment(t, resources, NTRIPLES_TERMS)}
            if added is not None:
                store.write_derived(INFERRED_GRAPH_IRI, inferred - old, remove=old - inferred)
                note = f"incremental: {len(added):,} added data triples, {len(inferred - old):,} new inferences"
            else:
                store.write_derived(INFERRED_GRAPH_IRI, inferred)
                note = choice.note
            store.state.put(REST, sorted(derived - inferred))
        else:  # owlrl works on rdflib terms
            data = set(ntriples_to_rdflib(t for uri in data_files for t in store.ntriples_of(uri)))
            entailed = data_entailments(owlrl_closure(data, rdf_ontology), data, rdf_ontology)
            inferred = {rdflib_to_ntriples(t) for t in entailed}
            store.write_derived(INFERRED_GRAPH_IRI, inferred)
            store.state.remove(REST)
            note = choice.note
        store.state.put(STATE, record)
    return _inference(store, inferred, count, choice.engine, note)


def _rules(
    store: DerivedGraphStore, files: list[str], ontology: set, rules, known: set, added: set | None
) -> tuple[set, set]:
    """Everything the rules derive, and the data's resources.

    With ``added``: ``known`` plus what follows from ``added``.

    Each file's triples are read once: what the rules need is kept, and the
    resources the data describes are collected on the way.
    """
    relevant = rules.reads() | rules.writes()
    kept: set = set()
    interned: dict[str, str] = {}
    share = interned.setdefault  # one string per term: less memory, and set lookups that end at identity

    def stream():
        for uri in files:
            for s, p, o in store.ntriples_of(uri):
                triple = (share(s, s), share(p, p), share(o, o))
                if p in relevant:
                    kept.add(triple)
                yield triple

    resources = data_resources(stream(), ontology, NTRIPLES_TERMS)
    if added is None:
        return infer_fast(kept, ontology, rules), resources
    # what was derived and has since been written into the files is data now, not an inference
    return (known - kept) | infer_fast(kept, ontology, rules, known=known, added=added), resources


def _inference(store: DerivedGraphStore, triples: set, data_triples: int, engine: str, note: str) -> Inference:
    by_predicate = Counter({URIRef(p[1:-1]): n for p, n in Counter(p for _, p, _ in triples).items()})
    return Inference(
        triples,
        data_triples,
        by_predicate,
        engine,
        note,
        list(PREFIXES.items()),
        lambda ts: graph_of(ntriples_to_rdflib(ts)),
        lambda: store.turtle_of(INFERRED_GRAPH_IRI),
    )
