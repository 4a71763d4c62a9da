"""The one small interface every store backend implements.

A store is brought up to date with the architecture's files (and, on
request, their OWL-RL inferences) by :meth:`Store.sync`, and answers
read-only SPARQL over the union of its graphs with :meth:`Store.query`.
Callers never ask which backend they hold; where a backend offers more (a
derived graph kept in step with the files, a worker that can open the store
on its own), the caller tests for the capability, the way OAK's interfaces do.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rdflib import Graph, URIRef
from rdflib.term import Node

from ..core.errors import JobarchError
from ..core.files import digest as content_digest
from ..core.state import State
from ..graph.triples import Triple
from .bindings import Binding

if TYPE_CHECKING:
    from ..reasoning import Inference


T = TypeVar("T")


@dataclass
class QueryResult:
    """A backend-neutral query answer: rows of rdflib terms, a graph, or a boolean."""

    kind: str  # "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE"
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    graph: Graph | None = None
    boolean: bool | None = None

    def dicts(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.vars, row, strict=True)) for row in self.rows]

    def in_reader_languages(self) -> QueryResult:
        """The answer of one of jobarch's own queries with each text in the reader's languages where the data has
        several (:func:`core.languages.prefer`): a title in two languages is one row, not two."""
        from ..core.languages import prefer

        if self.kind != "SELECT":
            return self
        return QueryResult(self.kind, self.vars, [tuple(row.values()) for row in prefer(self.dicts())])


@dataclass
class Values:
    """A SELECT answer as plain strings: variable names and rows of lexical values (None where unbound)."""

    vars: list[str]
    rows: list[tuple[str | None, ...]]

    def column(self, name: str) -> int:
        return self.vars.index(name)


@dataclass
class SyncReport:
    """What :meth:`Store.sync` did: files (re)loaded, left as they were, dropped; inferences when asked for."""

    loaded: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    inference: Inference | None = None
    failures: list[Exception] = field(default_factory=list)  # files that could not be read (the rest did load)
    changed_triples: int = 0  # how many triples the (re)loaded files hold


class Store(ABC):
    """What every backend offers: sync with the files, answer a SPARQL query, keep small state."""

    selector: str = ""

    def __init__(self) -> None:
        self.state: State = State()

    @abstractmethod
    def sync(self, files: Sequence[Path], *, reason: str | None = None) -> SyncReport:
        """Make the files' triples (one named graph per file, plus the ontology) queryable, loading only what changed.

        With ``reason`` (an engine name: auto, owlrl or rules), the OWL-RL
        inferences follow in their own graph, recomputed only when needed.
        """

    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult:
        """Answer a read-only query over the union of all graphs, with pre-bound variables."""

    def close(self) -> None:  # noqa: B027 - a backend that holds nothing has nothing to release
        """Release what the backend holds (a lock on its directory); the handle is unusable after."""

    def reader(self) -> tuple[Callable[[], Store], str]:
        """How a query worker process (see :mod:`jobarch.query.workers`) gets a store to query: a function it
        calls once, and the multiprocessing start method. By default the worker is forked and queries this
        very handle (an in-memory store exists nowhere else)."""
        return partial(_same_store, self), "fork"

    keeps_sources = False  # True when the backend records what each file asserts (see source_lines)

    def source_lines(self, name: str) -> set[str]:
        """What one file (named by its graph IRI) asserts, as N-Triples lines without the final dot.

        Only backends that keep sources answer; others raise NotImplementedError.
        """
        raise NotImplementedError(f"{type(self).__name__} does not keep what each file asserts")

    def insert(self, triples: Iterable[Triple]) -> None:
        """Add triples that come from no file (a scratch store's content, see :func:`jobarch.store.scratch_store`).

        Backends that hold only the architecture's files refuse."""
        raise JobarchError(f"{type(self).__name__} holds only the architecture's files", hint="use scratch_store()")

    def fingerprint(self) -> str | None:
        """A digest of everything the store holds, equal exactly when the data is: what derived views (the search
        index, a page's cached parts) are keyed on. None when the backend cannot tell (a shared SPARQL server that
        another process loads): such views are then kept for a short while only."""
        return None

    #: Whether :meth:`fingerprint` changes with any change of the data (an embedded store's does); a SPARQL
    #: server's follows what ``jobarch load`` recorded, and a long-lived reader (the server) also re-reads in time.
    fingerprint_exact = True

    def holds_derived(self) -> bool:
        """Whether derived triples (a --reason run's inferences) share the default graph with the files."""
        return False

    def select(self, sparql: str, **bindings: Binding) -> list[dict[str, Node | None]]:
        """Run one of jobarch's own SELECTs with keyword bindings and return rows as dicts, each text in the
        reader's language where it has several (:func:`core.languages.prefer`; a user's query goes through
        :meth:`query` and gets every row)."""
        from ..core.languages import prefer

        return prefer(self.query(sparql, bindings).dicts())

    def architecture_triples(self) -> Iterator[tuple[str, str, str]]:
        """The triples of the architecture's files (not the ontology, not derived graphs), as N-Triples strings:
        what ``export rdf`` writes. Stores that keep each file in a named graph answer with one query."""
        from ..core.namespaces import ONTOLOGY_IRI
        from ..core.resources import bundled_query
        from ..graph.terms import rdflib_to_ntriples

        result = self.query(bundled_query("internal", "architecture_triples"), {"ontology": URIRef(ONTOLOGY_IRI)})
        for s, p, o in result.rows:
            if s is not None and p is not None and o is not None:
                yield rdflib_to_ntriples((s, p, o))

    def construct(self, sparql: str, **bindings: Binding) -> list[tuple[str, str, str]]:
        """Run a CONSTRUCT and return its triples as N-Triples strings: for exports of hundreds of thousands of
        triples, which are written from strings and never need rdflib terms."""
        from ..graph.terms import rdflib_to_ntriples

        graph = self.query(sparql, bindings).graph
        return [] if graph is None else [rdflib_to_ntriples(t) for t in graph]

    def values(self, sparql: str, **bindings: Binding) -> Values:
        """Run a SELECT and keep only each term's lexical value (an IRI's text, a literal's form): for the queries
        that read thousands of rows to build derived state, where making rdflib terms would cost more than the query."""
        result = self.query(sparql, bindings)
        return Values(result.vars, [tuple(None if t is None else str(t) for t in row) for row in result.rows])

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


#: What a store keeps for one SPARQL server is beside the cache (inside it, the embedded store would take it for
#: someone else's directory): ``<cache>.sparql-<digest of the endpoint>``.
SERVER_STATE = ".sparql-"


def server_state_dir(cache_dir: Path, endpoint: str) -> Path:
    """Where derived state of the server at ``endpoint`` is kept for the architecture cached in ``cache_dir``."""
    return cache_dir.parent / f"{cache_dir.name}{SERVER_STATE}{content_digest(endpoint.encode('utf-8'))[:16]}"


def server_state_dirs(cache_dir: Path, everything: bool = False) -> list[Path]:
    """The servers' state kept beside this cache (``everything``: beside every cache in its directory)."""
    return sorted(cache_dir.parent.glob(f"{'*' if everything else cache_dir.name}{SERVER_STATE}*"))


def saved_state(store: Store, name: str, version: int) -> tuple[str | None, dict | None]:
    """Derived state kept beside a store's data (profile facts, the search index): the store's fingerprint (None
    for a store that cannot say what its data is; nothing is kept then) and what ``version`` of the code saved
    under ``name``, for whatever fingerprint it was (a caller may update it rather than start again)."""
    fingerprint = store.fingerprint()
    if fingerprint is None:
        return None, None
    saved = store.state.get(name)
    return fingerprint, saved if isinstance(saved, dict) and saved.get("version") == version else None


def save_state(store: Store, name: str, version: int, fingerprint: str, value: dict) -> None:
    """Keep ``value`` as the derived state ``name`` of the data with this fingerprint (see :func:`saved_state`)."""
    store.state.put(name, {**value, "version": version, "fingerprint": fingerprint})


def kept(
    store: Store,
    name: str,
    version: int,
    compute: Callable[[], T],
    encode: Callable[[T], dict] = lambda value: {"value": value},
    decode: Callable[[dict], T] = lambda saved: saved["value"],
) -> T:
    """A view derived from the whole of the data (the search index, the language coverage), read back from the
    store's state while the data is what it was computed from, else computed and kept (JSON through ``encode``)."""
    now, saved = saved_state(store, name, version)
    if saved is not None and saved.get("fingerprint") == now:
        return decode(saved)
    value = compute()
    if now is not None:
        save_state(store, name, version, now, encode(value))
    return value


def _same_store(store: Store) -> Store:
    return store
