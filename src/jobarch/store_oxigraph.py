"""The fast embedded backend: an Oxigraph store on disk (``oxigraph:PATH``).

Files are parsed by Oxigraph (in Rust), each into its own named graph, and a
manifest of their sizes and modification times is kept beside the data: the
next command reloads only the files that changed and drops the ones that went
away, so a large architecture is parsed once, not on every command.
"""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Mapping

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from .blank_nodes import match_blank_nodes, rename
from .errors import JobarchError, Location
from .load import RDF_FORMATS, Architecture, parse_file, read_text
from .namespaces import ONTOLOGY_IRI
from .resources import ontology_path
from .store import QueryResult, Store, inject_values

MANIFEST = "jobarch-manifest.json"
INFERRED_STAMP = "jobarch-inferred.json"
INFERRED_REST = "jobarch-inferred-rest.json"
PENDING_ADDITIONS = "jobarch-added.json"
LOAD_THREADS = 4  # measured best on 2 cores: the bulk loader waits on I/O part of the time
_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG}


def to_ox(term: Identifier):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise TypeError(f"cannot convert {term!r}")


def from_ox(term) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))
    raise JobarchError(f"unsupported term from Oxigraph: {term!r}")


@dataclass
class SyncReport:
    loaded: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


class OxigraphStore(Store):
    """pyoxigraph on disk (or in memory when no path is given)."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else None
        self.selector = f"oxigraph:{path}" if path else "oxigraph:"
        try:
            if self.path:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
            else:
                self._store = ox.Store()
        except OSError as exc:
            raise JobarchError(f"cannot open the Oxigraph store: {exc}", Location(self.path) if self.path else None,
                               hint="another jobarch process may hold it open; wait for it or use another path") from None

    # ------------------------------------------------------------------ loading
    def _manifest(self) -> dict:
        if self.path and (self.path / MANIFEST).is_file():
            return json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
        return getattr(self, "_memory_manifest", {})

    def _save_manifest(self, manifest: dict) -> None:
        if self.path:
            from .writer import atomic_write
            atomic_write(self.path / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
        else:
            self._memory_manifest = manifest

    def sync(self, files: list[Path]) -> SyncReport:
        """Bring the store in line with the files: load new and changed ones, drop removed ones.

        Changed files load in a few threads: Oxigraph's bulk loader releases
        the GIL and costs a fixed few milliseconds per call, so files overlap.
        The manifest records every file that did load, even when another fails.
        """
        report = SyncReport()
        manifest = self._manifest()
        before = dict(manifest)
        track = self.inferred_from() is not None  # with inferences, an edit that only adds can be followed incrementally
        wanted = {p.resolve().as_uri(): p for p in files}
        wanted[ONTOLOGY_IRI] = ontology_path()
        for uri in sorted(set(manifest) - set(wanted)):
            self._store.remove_graph(ox.NamedNode(uri))
            del manifest[uri]
            report.removed.append(uri)
        stale = {}
        for uri, path in wanted.items():
            stat = path.stat()
            stamp = [stat.st_mtime_ns, stat.st_size]
            if manifest.get(uri) == stamp:
                report.unchanged.append(path)
            else:
                manifest.pop(uri, None)
                stale[uri] = (path, stamp)

        def reload(uri: str):
            """Load one file; with inferences to keep, also what it gained (None: it lost something)."""
            graph = ox.NamedNode(uri)
            old = list(self.ntriples_of(uri)) if track and uri in before else []
            self._store.remove_graph(graph)  # also clears what an interrupted earlier load left
            self._load_file(stale[uri][0], graph)
            if not track:
                return None
            new = set(self.ntriples_of(uri))
            renaming = match_blank_nodes(old, new)  # the reload gave the blank nodes new labels
            kept = None if renaming is None else rename(old, renaming)
            if kept is None or not kept <= new:
                return None
            return new - kept, renaming

        failures, added, renamings, only_additions = [], set(), {}, not report.removed
        with ThreadPoolExecutor(max_workers=LOAD_THREADS) as pool:
            for uri, future in [(uri, pool.submit(reload, uri)) for uri in stale]:
                if future.exception() is None:
                    manifest[uri] = stale[uri][1]
                    report.loaded.append(stale[uri][0])
                    gained = future.result()
                    only_additions = only_additions and gained is not None
                    if gained is not None:
                        added |= gained[0]
                        renamings.update(gained[1])
                else:
                    failures.append(future.exception())
        if report.loaded or report.removed:
            self._dirty = True
            if track and only_additions and not failures:
                self._rename_in_inferences(renamings)
                self._note_additions(added)  # what was inferred still holds; the next refresh adds what follows
            else:
                self.drop_inferences()  # computed from triples that are gone: stale is worse than absent
        self._store.flush() if self.path else None
        self._save_manifest(manifest)
        if failures:
            raise failures[0]  # the first broken file, in file order
        return report

    def _load_file(self, path: Path, graph) -> None:
        fmt = RDF_FORMATS.get(path.suffix.lower())
        text = read_text(path)  # names the line of a non-UTF-8 byte, as the memory store does
        if fmt in _OX_FORMATS:
            try:
                self._store.bulk_load(text.encode("utf-8"), _OX_FORMATS[fmt], base_iri=path.resolve().as_uri(), to_graph=graph)
                return
            except SyntaxError:
                parse_file(path, text)  # rdflib's message names path:line:col the same way everywhere
                raise JobarchError("Oxigraph could not parse this file", Location(path)) from None
        self._add_rdflib_graph(parse_file(path, text), graph)  # JSON-LD: through rdflib

    def _add_rdflib_graph(self, rdf: Graph, graph) -> None:
        self._dirty = True
        self._store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in rdf)

    def load(self, architecture: Architecture) -> None:
        """Load an already parsed architecture: its files, plus graphs that are not files (inferences)."""
        self.architecture = architecture
        self.sync(architecture.files)
        file_graphs = {p.resolve().as_uri() for p in architecture.files} | {ONTOLOGY_IRI}
        for graph in architecture.dataset.graphs():
            name = str(graph.identifier)
            if name not in file_graphs and len(graph) and isinstance(graph.identifier, URIRef):
                self._store.remove_graph(ox.NamedNode(name))
                self._add_rdflib_graph(graph, ox.NamedNode(name))

    def add_graph(self, name: URIRef, graph: Graph) -> None:
        self._dirty = True
        self._store.remove_graph(ox.NamedNode(str(name)))
        self._add_rdflib_graph(graph, ox.NamedNode(str(name)))

    # ------------------------------------------------------------------ inferences
    def file_stamps(self) -> dict:
        """Which file versions the store holds (graph IRI -> [mtime_ns, size])."""
        return dict(self._manifest())

    def ntriples_of(self, graph_iri: str):
        """One graph's triples as (subject, predicate, object) N-Triples strings, written by Oxigraph in Rust.

        Subjects and predicates hold no space and a line ends in " .", so a
        split is a parse; equal terms give equal strings.
        """
        text = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph_iri)).decode("utf-8")
        for line in text.splitlines():
            s, p, rest = line.split(" ", 2)
            yield s, p, rest[:-2]

    def _quads(self, triples, graph) -> list:
        return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in parse_ntriples(triples)]

    def triple_count(self, graph_iri: str) -> int:
        result = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}")
        return int(next(iter(result))[0].value)

    def turtle_of(self, graph_iri: str) -> str:
        from .namespaces import PREFIX_IRIS
        return self._store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.NamedNode(graph_iri), prefixes=PREFIX_IRIS).decode("utf-8")

    def inferred_from(self) -> dict | None:
        """The file stamps the stored inferences were computed from, or None when there are none."""
        return self._read_side(INFERRED_STAMP)

    def put_inferences(self, graph_iri: str, triples, record: dict, rest=(), remove=None) -> None:
        """Write the inferred graph and remember which file versions it follows from.

        ``rest`` is what the rules derived that is not a data entailment (kept
        aside, for an incremental refresh to join with). With ``remove``, the
        graph is updated in place: ``triples`` are added and ``remove`` taken
        out; without it, the graph is replaced.
        They go through Oxigraph's parser, not its bulk loader (which would
        rename blank nodes), so an inference about a blank node of a file
        stays about that node.
        """
        graph = ox.NamedNode(graph_iri)
        self._dirty = True
        if remove is None:
            self._store.remove_graph(graph)
        else:
            for quad in self._quads(remove, graph):
                self._store.remove(quad)
        self._store.bulk_extend(self._quads(triples, graph))
        self._write_side(INFERRED_STAMP, {**record, "graph": graph_iri})
        self._write_side(INFERRED_REST, sorted(rest))
        self._write_side(PENDING_ADDITIONS, None)
        self._store.flush() if self.path else None

    def inferred_rest(self) -> set:
        return {tuple(t) for t in self._read_side(INFERRED_REST) or ()}

    def pending_additions(self) -> set | None:
        """Triples added since the inferences were computed, when nothing was taken away; else None."""
        pending = self._read_side(PENDING_ADDITIONS)
        return None if pending is None else {tuple(t) for t in pending}

    def _rename_in_inferences(self, renaming: dict[str, str]) -> None:
        """Follow reloaded blank nodes to their new labels in the inferred graph and its side files."""
        if not renaming:
            return
        graph = ox.NamedNode(self.inferred_from()["graph"])
        self._dirty = True
        moved = {t for t in self.ntriples_of(graph.value) if t[0] in renaming or t[2] in renaming}
        for quad in self._quads(moved, graph):
            self._store.remove(quad)
        self._store.bulk_extend(self._quads(rename(moved, renaming), graph))
        self._write_side(INFERRED_REST, sorted(rename(self.inferred_rest(), renaming)))
        pending = self.pending_additions()
        if pending is not None:
            self._write_side(PENDING_ADDITIONS, sorted(rename(pending, renaming)))

    def _note_additions(self, added: set) -> None:
        self._write_side(PENDING_ADDITIONS, sorted((self.pending_additions() or set()) | added))

    def drop_inferences(self) -> None:
        stamp = self.inferred_from()
        if stamp is None:
            return
        self._dirty = True
        self._store.remove_graph(ox.NamedNode(stamp["graph"]))
        for name in (INFERRED_STAMP, INFERRED_REST, PENDING_ADDITIONS):
            self._write_side(name, None)

    def _read_side(self, name: str):
        if self.path is None:
            return getattr(self, "_side", {}).get(name)
        path = self.path / name
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def _write_side(self, name: str, value) -> None:
        """A small JSON file beside the store (None removes it); in memory for a store without a path."""
        if self.path is None:
            self._side = {**getattr(self, "_side", {}), name: value}
        elif value is None:
            (self.path / name).unlink(missing_ok=True)
        else:
            from .writer import atomic_write
            atomic_write(self.path / name, json.dumps(value, separators=(",", ":"), sort_keys=True))

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
            self._store.flush() if self.path else None
            self._store = None  # the last reference: RocksDB closes and releases its lock

    def query_task(self, sparql: str, bindings: Mapping[str, Identifier] | None = None):
        """On disk: a worker opens the directory read-only. It is started from a fork server, never
        forked from this process, whose RocksDB threads may hold locks a forked copy would wait on forever."""
        if self.path is None:
            return super().query_task(sparql, bindings)
        if getattr(self, "_dirty", False):  # let RocksDB finish compacting what this process wrote, so
            self._store.flush()             # a read-only view does not meet files it is about to delete
            self._store.optimize()
            self._dirty = False
        return partial(_query_read_only, str(self.path), sparql, dict(bindings or {})), "forkserver"


def _query_read_only(path: str, sparql: str, bindings: dict, attempts: int = 3) -> QueryResult:
    import time
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


def parse_ntriples(triples):
    """Triples of N-Triples strings as Oxigraph triples; its parser keeps blank-node labels (its bulk loader would not)."""
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in triples).encode("utf-8")
    return ox.parse(text, ox.RdfFormat.N_TRIPLES)


def result_from_ox(result) -> QueryResult:
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [tuple(from_ox(solution[name]) for name in names) for solution in result]
        return QueryResult("SELECT", names, rows)
    graph = Graph()
    for triple in result:
        graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
    return QueryResult("CONSTRUCT", graph=graph)


def open_oxigraph(argument: str) -> OxigraphStore:
    return OxigraphStore(Path(argument) if argument else None)


