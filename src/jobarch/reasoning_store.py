"""Reasoning inside the Oxigraph store: no rdflib parse, refreshed only when a file changed.

The store holds every file as its own graph and drops its inferences when a
file changes (see :meth:`OxigraphStore.sync`). Here the fast rules run over
the store's triples read as N-Triples text, one string per term: Oxigraph
writes the text in Rust, Python strings hash once and compare by identity
once interned, and only the triples whose predicate a rule reads or writes
are kept. The data-level entailments go back into the store's inferred graph
with the file versions they follow from, so that an unchanged architecture
costs nothing the next time.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from rdflib import Graph, URIRef

from .errors import JobarchError
from .namespaces import ONTOLOGY_IRI, PREFIXES
from .reasoning import (AUTO_THRESHOLD, INFERRED_GRAPH, NTRIPLES_TERMS, Inference, data_entailments, data_resources,
                        is_data_entailment, owlrl_closure)
from .rules import compile_rules, gc_paused, graph_of, infer_fast
from .store_oxigraph import OxigraphStore, from_ox, parse_ntriples, to_ox


def rdflib_triples(triples: Iterable[tuple[str, str, str]]) -> list[tuple]:
    """N-Triples-string triples as rdflib terms, blank-node labels kept (rdflib's own parser would rename them)."""
    return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in parse_ntriples(triples)]


def ntriples_graph(triples: Iterable[tuple[str, str, str]]) -> Graph:
    return graph_of(rdflib_triples(triples))


def as_ntriples(triple) -> tuple[str, str, str]:
    """An rdflib triple as the strings Oxigraph writes for its terms."""
    return tuple(str(to_ox(term)) for term in triple)


def refresh_inferences(store: OxigraphStore, files, engine: str = "auto", force: bool = False,
                       read_back: bool = True) -> Inference | None:
    """Bring the inferences inside an Oxigraph store up to date with the files, and return them.

    ``engine`` as in :func:`jobarch.reasoning.infer`. With no file changed
    since the last run (and the same engine, or ``auto``), the stored
    inferences are returned as they are. When the files only gained triples
    since the fast rules last ran, only what follows from those triples is
    derived (the rules are monotone: the earlier derivations still hold).
    Anything else recomputes from the store. ``read_back=False`` skips
    reading up-to-date inferences out of the store (and returns None) for a
    caller that only needs them to be there.
    """
    store.sync(files)
    stamps = store.file_stamps()
    graph = str(INFERRED_GRAPH)
    previous = store.inferred_from() or {}
    with gc_paused():
        if not force and previous.get("files") == stamps and engine in ("auto", previous.get("engine")):
            if not read_back:
                return None
            inferred = set(store.ntriples_of(previous["graph"]))
            return _inference(store, inferred, previous.get("data_triples", 0), previous["engine"],
                              "up to date: no file changed since the last run")
        ontology = set(store.ntriples_of(ONTOLOGY_IRI))
        rdf_ontology = set(rdflib_triples(ontology))
        data_files = [uri for uri in stamps if uri != ONTOLOGY_IRI]
        count = sum(store.triple_count(uri) for uri in data_files)
        chosen, note, inferred = engine, "", None
        if engine == "auto":
            chosen = "rules" if count > AUTO_THRESHOLD else "owlrl"
        if chosen == "rules":
            try:
                rules = compile_rules(graph_of(rdf_ontology)).map(lambda term: str(to_ox(term)))
            except JobarchError as exc:
                if engine == "rules":
                    raise
                chosen, note = "owlrl", f"fell back to owlrl: {exc.message}"
            else:
                added = None if force or previous.get("engine") != "rules" else store.pending_additions()
                old = set() if added is None else set(store.ntriples_of(graph))
                derived, resources = _rules(store, data_files, ontology, rules, old | store.inferred_rest(), added)
                inferred = {t for t in derived if is_data_entailment(t, resources, NTRIPLES_TERMS)}
                record = {"files": stamps, "engine": chosen, "data_triples": count}
                if added is not None:
                    store.put_inferences(graph, inferred - old, record, derived - inferred, remove=old - inferred)
                    return _inference(store, inferred, count, chosen,
                                      f"incremental: {len(added):,} added data triples, {len(inferred - old):,} new inferences")
                store.put_inferences(graph, inferred, record, derived - inferred)
        if inferred is None:  # owlrl works on rdflib terms
            data = set(rdflib_triples(t for uri in data_files for t in store.ntriples_of(uri)))
            inferred = set(map(as_ntriples, data_entailments(owlrl_closure(data, rdf_ontology), data, rdf_ontology)))
            store.put_inferences(graph, inferred, {"files": stamps, "engine": chosen, "data_triples": count})
    return _inference(store, inferred, count, chosen, note)


def _rules(store: OxigraphStore, files: list[str], ontology: set, rules, known: set, added: set | None) -> tuple[set, set]:
    """Everything the rules derive (with ``added``: ``known`` plus what follows from ``added``), and the data's resources.

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


def _inference(store: OxigraphStore, triples: set, data_triples: int, engine: str, note: str) -> Inference:
    by_predicate = Counter({URIRef(p[1:-1]): n for p, n in Counter(p for _, p, _ in triples).items()})
    return Inference(triples, data_triples, by_predicate, engine, note, list(PREFIXES.items()), ntriples_graph,
                     lambda: store.turtle_of(str(INFERRED_GRAPH)))
