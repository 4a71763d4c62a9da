"""OWL-RL reasoning over the ontology plus the data, keeping only what it says about the data.

Two engines give the same data-level entailments (see
:mod:`jobarch.reasoning.entailments`): ``owlrl`` (the reference) and
``rules`` (:mod:`jobarch.reasoning.rules`, the ontology compiled to rules run
semi-naively). :func:`choose_engine` is the one place that picks between them
and falls back. Inferences are written to their own file or named graph,
never into the curators' files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, URIRef

from ..core.errors import JobarchError
from ..core.namespaces import INFERRED_GRAPH_IRI, ONTOLOGY_IRI, short_name
from ..graph.architecture import Architecture
from ..graph.terms import graph_of
from .entailments import data_entailments, owlrl_closure
from .rules import Rules, compile_rules, gc_paused, infer_fast

INFERRED_GRAPH = URIRef(INFERRED_GRAPH_IRI)
AUTO_THRESHOLD = 20_000  # data triples above which `auto` picks the fast rules
ENGINES = ("auto", "owlrl", "rules")


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
        top = ", ".join(f"{short_name(str(p))} {n:,}" for p, n in self.by_predicate.most_common(6))
        share = len(self.triples) / self.data_triples if self.data_triples else 0
        return (
            f"OWL-RL closure ({self.engine}) over {self.data_triples:,} data triples: "
            f"{len(self.triples):,} new data triples "
            f"({share:.0%} of the data){': ' + top if top else ''}" + (f"\n{self.note}" if self.note else "")
        )


@dataclass(frozen=True)
class EngineChoice:
    engine: str  # "rules" or "owlrl"
    rules: Rules | None
    note: str = ""


def choose_engine(
    engine: str, data_triples: int, ontology: Graph, convert: Callable[[Any], Any] | None = None
) -> EngineChoice:
    """Which engine runs: ``auto`` takes the rules above AUTO_THRESHOLD data triples; the rules refuse an
    ontology with axioms they do not cover, and then ``auto`` falls back to owlrl, saying so."""
    if engine not in ENGINES:
        raise JobarchError(f"unknown reasoning engine {engine!r}", hint="use one of: " + ", ".join(ENGINES))
    chosen = engine if engine != "auto" else ("rules" if data_triples > AUTO_THRESHOLD else "owlrl")
    if chosen == "owlrl":
        return EngineChoice("owlrl", None)
    try:
        rules = compile_rules(ontology)
    except JobarchError as exc:
        if engine == "rules":
            raise
        return EngineChoice("owlrl", None, f"fell back to owlrl: {exc.message}")
    return EngineChoice("rules", rules.map(convert) if convert else rules)


def infer(data: set, ontology: set, engine: str = "auto", namespaces: list | None = None) -> Inference:
    """The data-level entailments of the OWL-RL closure of ontology + data (sets of rdflib triples)."""
    with gc_paused():
        choice = choose_engine(engine, len(data), graph_of(ontology))
        if choice.rules is not None:
            closure = infer_fast(data, ontology, choice.rules)  # only new triples
        else:
            closure = owlrl_closure(data, ontology)
        inferred = data_entailments(closure, data, ontology)
    return Inference(
        inferred, len(data), Counter(p for _, p, _ in inferred), choice.engine, choice.note, list(namespaces or [])
    )


def data_and_ontology(arch: Architecture) -> tuple[set, set]:
    """The curators' triples and the ontology's, as plain sets (fast to compare and join)."""
    data: set = set()
    for path in arch.files:
        data.update(arch.graph_of(path))
    return data, set(arch.dataset.graph(URIRef(ONTOLOGY_IRI)))


def infer_architecture(arch: Architecture, engine: str = "auto") -> Inference:
    """The data-level entailments of an architecture loaded with rdflib."""
    data, ontology = data_and_ontology(arch)
    return infer(data, ontology, engine, list(arch.dataset.namespaces()))


__all__ = [
    "AUTO_THRESHOLD",
    "ENGINES",
    "INFERRED_GRAPH",
    "EngineChoice",
    "Inference",
    "choose_engine",
    "data_and_ontology",
    "infer",
    "infer_architecture",
]
