"""The fast embedded backend: an Oxigraph store on disk (``oxigraph:PATH``), or in memory (``oxigraph:``).

Files are parsed by Oxigraph (in Rust), each into its own named graph, and a
manifest of their content digests is kept as store state: the next command
reloads only the files whose bytes changed and drops the ones that went away,
so a large architecture is parsed once, not on every command.

A *derived graph* (the OWL-RL inferences) is kept honest here without knowing
what it holds: when a file loses a triple the derived graphs are dropped
(stale is worse than absent); when files only gain triples, the derived
graphs stay, their blank nodes follow the reloaded files' new labels, and the
additions are journalled for whoever derives them to catch up from.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Identifier

from ..core.errors import JobarchError, Location
from ..core.files import atomic_write, content_stamp, read_text
from ..core.namespaces import ONTOLOGY_IRI, PREFIX_IRIS
from ..core.resources import ontology_path
from ..graph.blank_nodes import match_blank_nodes, rename
from ..graph.sources import file_format, graph_iri, parse_file
from ..graph.terms import Triple, from_ox, parse_ntriples, to_ox, triple_from_ox
from ..reasoning.incremental import refresh_inferences
from .base import QueryResult, State, Store, SyncReport, inject_values

LOAD_THREADS = 4  # measured best on 2 cores: the bulk loader waits on I/O part of the time
_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG}
MANIFEST = "files"  # state: graph IRI -> content digest of the file it was loaded from
DERIVED = "derived"  # state: the derived graphs kept in step with the files
JOURNAL = "journal"  # state: what the files gained since the derived graphs were written, or null


class DirectoryState(State):
    """State as small JSON files beside the store's data (``jobarch-NAME.json``), written atomically."""

    def __init__(self, directory: Path):
        super().__init__()
        self.directory = directory

    def _path(self, name: str) -> Path:
        return self.directory / f"jobarch-{name}.json"

    def get(self, name: str) -> Any:
        path = self._path(name)
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def put(self, name: str, value: Any) -> None:
        atomic_write(self._path(name), json.dumps(value, separators=(",", ":"), sort_keys=True))

    def remove(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)


class OxigraphStore(Store):
    """pyoxigraph on disk (or in memory when no path is given)."""

    def __init__(self, path: Path | None = None):
        super().__init__()
        self.path = Path(path) if path else None
        self.selector = f"oxigraph:{path}" if path else "oxigraph:"
        self._dirty = False
        try:
            if self.path:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store: Any = ox.Store(str(self.path))
                self.state = DirectoryState(self.path)
            else:
                self._store = ox.Store()
        except OSError as exc:
            raise JobarchError(
                f"cannot open the Oxigraph store: {exc}",
                Location(self.path) if self.path else None,
                hint="another jobarch process may hold it open; wait for it or use another path",
            ) from None

    # ------------------------------------------------------------------ loading
    def sync(self, files: Sequence[Path], *, reason: str | None = None) -> SyncReport:
        """Bring the store in line with the files: load new and changed ones, drop removed ones.

        Changed files load in a few threads: Oxigraph's bulk loader releases
        the GIL and costs a fixed few milliseconds per call, so files overlap.
        The manifest records every file that did load, even when another fails.
        """
        report = SyncReport()
        manifest: dict[str, str] = dict(self.state.get(MANIFEST) or {})
        before = dict(manifest)
        track = bool(self.state.get(DERIVED))  # with derived graphs, an edit that only adds can be followed
        wanted = {graph_iri(p): p for p in files}
        wanted[ONTOLOGY_IRI] = ontology_path()
        for uri in sorted(set(manifest) - set(wanted)):
            self._store.remove_graph(ox.NamedNode(uri))
            del manifest[uri]
            report.removed.append(uri)
        stale: dict[str, tuple[Path, str]] = {}
        for uri, path in wanted.items():
            stamp = content_stamp(path)
            if manifest.get(uri) == stamp:
                report.unchanged.append(path)
            else:
                manifest.pop(uri, None)
                stale[uri] = (path, stamp)

        def reload(uri: str) -> tuple[set[Triple], dict[str, str]] | None:
            """Load one file; with derived graphs to keep, also what it gained (None: it lost something)."""
            graph = ox.NamedNode(uri)
            old = list(self.ntriples_of(uri)) if track and uri in before else []
            self._store.remove_graph(graph)  # also clears what an interrupted earlier load left
            self._load_file(stale[uri][0], graph)
            if not track:
                return None
            new = set(self.ntriples_of(uri))
            renaming = match_blank_nodes(old, new)  # the reload gave the blank nodes new labels
            if renaming is None:
                return None
            kept = rename(old, renaming)
            return (new - kept, renaming) if kept <= new else None

        failures: list[BaseException] = []
        added: set[Triple] = set()
        renamings: dict[str, str] = {}
        only_additions = not report.removed
        with ThreadPoolExecutor(max_workers=LOAD_THREADS) as pool:
            for uri, future in [(uri, pool.submit(reload, uri)) for uri in stale]:
                error = future.exception()
                if error is None:
                    manifest[uri] = stale[uri][1]
                    report.loaded.append(stale[uri][0])
                    gained = future.result()
                    only_additions = only_additions and gained is not None
                    if gained is not None:
                        added |= gained[0]
                        renamings.update(gained[1])
                else:
                    failures.append(error)
        if report.loaded or report.removed:
            self._dirty = True
            if track and only_additions and not failures:
                self._follow_additions(added, renamings)
            else:
                self._drop_derived()  # computed from triples that are gone
        if self.path:
            self._store.flush()
        self.state.put(MANIFEST, manifest)
        if failures:
            raise failures[0]  # the first broken file, in file order
        if reason:
            report.inference = refresh_inferences(self, reason)
        return report

    def _load_file(self, path: Path, graph: Any) -> None:
        fmt = file_format(path)
        text = read_text(path)  # bounded; names the line of a non-UTF-8 byte, as the memory store does
        if fmt in _OX_FORMATS:
            try:
                self._store.bulk_load(text.encode("utf-8"), _OX_FORMATS[fmt], base_iri=graph_iri(path), to_graph=graph)
                return
            except SyntaxError:
                parse_file(path, text)  # rdflib's message names path:line:col the same way everywhere
                raise JobarchError("Oxigraph could not parse this file", Location(path)) from None
        self._add_rdflib_graph(parse_file(path, text), graph)  # JSON-LD: through rdflib

    def _add_rdflib_graph(self, rdf: Graph, graph: Any) -> None:
        self._dirty = True
        self._store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in rdf)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ derived graphs
    def file_stamps(self) -> dict[str, str]:
        """Which file versions the store holds (graph IRI -> content digest)."""
        return dict(self.state.get(MANIFEST) or {})

    def ntriples_of(self, graph_iri: str) -> Iterator[Triple]:
        """One graph's triples as (subject, predicate, object) N-Triples strings, written by Oxigraph in Rust.

        Subjects and predicates hold no space and a line ends in " .", so a
        split is a parse; equal terms give equal strings.
        """
        text = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph_iri)).decode("utf-8")
        for line in text.splitlines():
            s, p, rest = line.split(" ", 2)
            yield s, p, rest[:-2]

    def triple_count(self, graph_iri: str) -> int:
        result = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}")
        return int(next(iter(result))[0].value)

    def turtle_of(self, graph_iri: str) -> str:
        return self._store.dump(
            format=ox.RdfFormat.TURTLE, from_graph=ox.NamedNode(graph_iri), prefixes=PREFIX_IRIS
        ).decode("utf-8")

    def write_derived(self, graph_iri: str, add: Iterable[Triple], remove: Iterable[Triple] | None = None) -> None:
        """Write a derived graph (replace it, or with ``remove`` update it in place) and restart the journal.

        The triples go through Oxigraph's parser, not its bulk loader (which
        would rename blank nodes), so a triple about a blank node of a file
        stays about that node.
        """
        graph = ox.NamedNode(graph_iri)
        self._dirty = True
        if remove is None:
            self._store.remove_graph(graph)
        else:
            for quad in self._quads(remove, graph):
                self._store.remove(quad)
        self._store.bulk_extend(self._quads(add, graph))
        derived = sorted(set(self.state.get(DERIVED) or []) | {graph_iri})
        self.state.put(DERIVED, derived)
        self.state.put(JOURNAL, {"added": [], "renaming": {}})
        if self.path:
            self._store.flush()

    def journal(self) -> tuple[set[Triple] | None, dict[str, str]]:
        """What the files gained since the derived graphs were written, and how their blank nodes were renamed;
        None when something else changed (or nothing was derived)."""
        journal = self.state.get(JOURNAL)
        if not isinstance(journal, dict):
            return None, {}
        return {tuple(t) for t in journal["added"]}, dict(journal["renaming"])

    def _quads(self, triples: Iterable[Triple], graph: Any) -> list[Any]:
        return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in parse_ntriples(triples)]

    def _follow_additions(self, added: set[Triple], renaming: dict[str, str]) -> None:
        """The files only gained triples: derived graphs stay (relabelled), the additions are journalled."""
        for derived in self.state.get(DERIVED) or []:
            graph = ox.NamedNode(derived)
            moved = {t for t in self.ntriples_of(derived) if t[0] in renaming or t[2] in renaming}
            for quad in self._quads(moved, graph):
                self._store.remove(quad)
            self._store.bulk_extend(self._quads(rename(moved, renaming), graph))
        previous, earlier = self.journal()
        if previous is None:
            self._drop_derived()
            return
        composed = {**renaming, **{old: renaming.get(new, new) for old, new in earlier.items()}}
        self.state.put(JOURNAL, {"added": sorted(rename(previous, renaming) | added), "renaming": composed})

    def _drop_derived(self) -> None:
        for derived in self.state.get(DERIVED) or []:
            self._store.remove_graph(ox.NamedNode(derived))
        self.state.remove(DERIVED)
        self.state.remove(JOURNAL)

    def __len__(self) -> int:
        return len(self._store)

    # ------------------------------------------------------------------ querying
    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        try:
            result = self._store.query(inject_values(sparql, bindings or {}), use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise JobarchError(f"syntax error in SPARQL: {exc}") from None
        except OSError as exc:
            raise JobarchError(f"Oxigraph failed: {exc}") from None
        return result_from_ox(result)

    def close(self) -> None:
        if self._store is not None:
            if self.path:
                self._store.flush()
            self._store = None  # the last reference: RocksDB closes and releases its lock

    def query_task(
        self, sparql: str, bindings: Mapping[str, Identifier] | None = None
    ) -> tuple[Callable[[], QueryResult], str]:
        """On disk: a worker opens the directory read-only. It is started from a fork server, never
        forked from this process, whose RocksDB threads may hold locks a forked copy would wait on forever."""
        if self.path is None:
            return super().query_task(sparql, bindings)
        if self._dirty:  # let RocksDB finish compacting what this process wrote, so
            self._store.flush()  # a read-only view does not meet files it is about to delete
            self._store.optimize()
            self._dirty = False
        return partial(_query_read_only, str(self.path), sparql, dict(bindings or {})), "forkserver"


def _query_read_only(path: str, sparql: str, bindings: dict, attempts: int = 3) -> QueryResult:
    for attempt in range(attempts):
        store = object.__new__(OxigraphStore)
        store.path, store.selector = Path(path), f"oxigraph:{path}"
        try:
            store._store = ox.Store.read_only(path)
            return store.query(sparql, bindings)
        except (OSError, RuntimeError, JobarchError) as exc:  # a file compacted away under a read-only view: look again
            if "No such file" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.2)
    raise AssertionError("unreachable")


def result_from_ox(result: Any) -> QueryResult:
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [tuple(from_ox(solution[name]) for name in names) for solution in result]
        return QueryResult("SELECT", names, rows)
    graph = Graph()
    graph.addN((*triple_from_ox(t), graph) for t in result)
    return QueryResult("CONSTRUCT", graph=graph)


def open_oxigraph(argument: str = "", **_options: object) -> OxigraphStore:
    return OxigraphStore(Path(argument) if argument else None)
