"""The fast embedded backend: Oxigraph on disk (``oxigraph:PATH``, and the default cache), or in memory (``oxigraph:``).

Files are parsed by Oxigraph (in Rust). Every triple is kept once in the
store's default graph, which Oxigraph answers far faster than a union of
named graphs; what each file asserts is kept beside it (:mod:`.sources`), so
a later command reloads only files whose bytes changed, by difference.

On disk the store is a directory of generations (:mod:`.generations`): a
command on unchanged files opens the current generation read-only, parses
nothing and never waits; a command that must change the store writes a new
generation while others keep reading theirs. Derived graphs (the OWL-RL
inferences) are sources too: when a file loses a triple they are dropped
(stale is worse than absent); when files only gain triples, they stay and the
additions are journalled for the reasoner to catch up from.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from ..core.errors import JobarchError, Location
from ..core.files import content_stamp, read_bytes
from ..core.files import digest as content_digest
from ..core.namespaces import ONTOLOGY_IRI, PREFIX_IRIS
from ..core.resources import ontology_path
from ..core.state import DirectoryState
from ..graph.canonical import match_blank_nodes, rename
from ..graph.sources import file_format, graph_iri, oxigraph_syntax_error, parse_file
from ..graph.terms import from_ox, to_ox, triple_from_ox
from ..graph.triples import Triple, join_triple, split_line
from ..reasoning.incremental import inferences_fresh, refresh_inferences
from .base import QueryResult, State, Store, SyncReport, Values
from .bindings import Binding, inject_values
from .generations import Generation, Generations, NothingToWrite
from .sources import ENTRIES, SHARED, Blobs, Content, Sources

_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG}
JOURNAL = "journal"  # state: {"added": [lines]} since the derived sources were written; absent when unknown
CHANGES = "changes"  # state: recent syncs, each the fingerprints before and after and the subjects touched
KEEP_CHANGES = 16
COMPACT_SHARE = 0.2  # compact the store after a write that changed more than this share of its triples
BULK_BYTES = 32 * 1024 * 1024  # a Turtle or N-Triples file this large streams into the store (see _bulk_load)
BULK_BATCH = 100_000  # quads per step of a streamed load


def stat_key(path: Path) -> list[int]:
    """What changes whenever a file's bytes may have: size, times (ctime cannot be set back, as ``cp -p`` and
    ``rsync -a`` set mtime back) and identity. An equal key means unchanged; a different one is checked by content."""
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


@dataclass
class Plan:
    """What a sync must do: the sources to (re)load, those to drop, and stamps to refresh."""

    load: dict[str, tuple[Path, str, list[int]]] = field(default_factory=dict)  # name -> (path, digest, stat key)
    drop: list[str] = field(default_factory=list)
    restamp: dict[str, list[int]] = field(default_factory=dict)
    unchanged: list[Path] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.load or self.drop)


class OxigraphStore(Store):
    """pyoxigraph, on disk as generations (when given a path) or in memory; or, given ``database``, a query-only
    handle on one generation's database (what a query worker opens)."""

    keeps_sources = True

    def __init__(
        self,
        path: Path | None = None,
        notice: Callable[[str], None] | None = None,
        *,
        database: str | None = None,
    ):
        super().__init__()
        self.path = Path(path) if path else None
        self.selector = f"oxigraph:{path or database or ''}"
        self.generations = Generations(self.path) if self.path else None
        self.notice = notice or (lambda message: print(message, file=sys.stderr, flush=True))
        self.generation: Generation | None = None
        self._reading = contextlib.ExitStack()
        if database is not None:
            self._db: Any = ox.Store.read_only(database)
        else:
            self._db = None if self.path else ox.Store()
        self._writable = self.path is None and database is None  # on disk: only while a sync writes a generation
        self.sources = Sources(self.state, Blobs(None))
        if self.generations is not None:
            self.generations.check_ownership()

    # ------------------------------------------------------------------ opening
    def _open_read(self) -> None:
        """Open the current generation read-only, holding it against deletion until close()."""
        assert self.generations is not None
        self._reading.close()
        self._reading = contextlib.ExitStack()
        generation = self._reading.enter_context(self.generations.reading())
        if generation is None:
            self._reading.close()
            raise JobarchError(
                "the store has no data yet",
                Location(self.path) if self.path else None,
                hint="run a command with --data (or jobarch load) to fill it",
            )
        self._attach(generation, ox.Store.read_only(str(generation.db)))

    def _attach(self, generation: Generation, db: Any) -> None:
        self.generation, self._db = generation, db
        self.state = DirectoryState(generation.state)
        self.sources = Sources(self.state, Blobs(generation.state / "blobs"))

    def _current_sources(self) -> Sources:
        """The sources of the current generation, read without opening the database."""
        if self.generations is None:
            return self.sources
        generation = self.generations.current()
        if generation is None:
            return Sources(State(), Blobs(None))
        state = DirectoryState(generation.state)
        return Sources(state, Blobs(generation.state / "blobs"))

    # ------------------------------------------------------------------ syncing
    def sync(self, files: Sequence[Path], *, reason: str | None = None) -> SyncReport:
        """Bring the store in line with the files (and, with ``reason``, their inferences).

        Only what changed is loaded; on unchanged files nothing is parsed.
        """
        wanted = {graph_iri(p): p for p in files}
        wanted[ONTOLOGY_IRI] = ontology_path()
        current = self._current_sources()
        plan = self._plan(current, wanted)
        stale_inferences = bool(reason) and not inferences_fresh(current.state, self._digests(current), reason or "")
        report = SyncReport(unchanged=list(plan.unchanged))
        if self.generations is None:
            if plan or stale_inferences:
                plan = self._rebuild_if_needed(plan, wanted)
                report = self._apply(plan, reason)
        elif plan or stale_inferences or self.generations.current() is None:
            try:
                with self.generations.writing(self.notice) as generation:
                    db = ox.Store(str(generation.db))
                    try:
                        self._attach(generation, db)
                        self._writable = True
                        plan = self._plan(self.sources, wanted)  # another process may have synced while we waited
                        if not plan and not stale_inferences:  # it did: the current generation is complete
                            raise NothingToWrite
                        plan = self._rebuild_if_needed(plan, wanted)
                        before = sum(int(e.get("triples", 0)) for e in self.sources.entries.values())
                        report = self._apply(plan, reason)
                        self._db.flush()
                        if report.changed_triples > COMPACT_SHARE * max(before, 1):
                            self._db.optimize()  # compacted once now, every later read is faster
                    finally:
                        self._writable = False
                        self._db = None
                        del db  # the last reference: RocksDB closes before the generation becomes current
            except OSError as exc:
                raise JobarchError(
                    f"cannot write the Oxigraph store: {exc}",
                    Location(self.path) if self.path else None,
                    hint="check the permissions and free space of the store's directory",
                ) from None
        elif plan.restamp:
            for name, key in plan.restamp.items():
                current.entries[name]["stamp"] = key
            current.state.put("sources", current.entries)
        if self.generations is not None:
            self._open_read()
        if report.failures:
            raise report.failures[0]  # the first broken file, in file order
        if reason and report.inference is None:
            report.inference = refresh_inferences(self, reason)  # up to date: reads the stored inferences back
        return report

    def _plan(self, sources: Sources, wanted: dict[str, Path]) -> Plan:
        plan = Plan()
        for name, path in wanted.items():
            entry = sources.entries.get(name)
            key = stat_key(path)
            if entry is not None and entry.get("stamp") == key:
                plan.unchanged.append(path)
                continue
            digest = content_stamp(path)
            if entry is not None and entry.get("content") == digest:
                plan.unchanged.append(path)
                plan.restamp[name] = key
            else:
                plan.load[name] = (path, digest, key)
        plan.drop = sorted(
            n for n, e in sources.entries.items() if e.get("kind") in ("file", "ontology") and n not in wanted
        )
        return plan

    def _rebuild_if_needed(self, plan: Plan, wanted: dict[str, Path]) -> Plan:
        """A streamed (bulk) file's triples are not counted against the other files', so no change can be applied
        by difference once one is held or comes in; and a store that holds triples but lost its record of whose
        they are (a damaged state) would get every blank node twice. The store is then emptied and every file
        loaded afresh."""
        if not self.sources.entries:
            held = next(iter(self._db.quads_for_pattern(None, None, None, None)), None) is not None
            if not held:
                return plan
            self._db.clear()
            return self._plan(self.sources, wanted)
        bulk_held = any(e.get("streamed") for e in self.sources.entries.values())
        bulk_coming = any(_is_bulk(path) for path, _, _ in plan.load.values())
        if not (plan.load or plan.drop) or not (bulk_held or bulk_coming):
            return plan
        self._db.clear()
        for name in (ENTRIES, SHARED, JOURNAL, CHANGES):
            self.state.remove(name)
        self.sources = Sources(self.state, self.sources.blobs)
        return self._plan(self.sources, wanted)

    def _bulk_load(self, name: str, path: Path, digest: str, key: list[int]) -> None:
        """Stream a large file through Oxigraph's parser into the store, a batch at a time, writing what it asserts
        as a compressed blob on the way: memory stays flat whatever the file's size."""
        fmt = _OX_FORMATS[file_format(path) or "turtle"]
        quads = ox.parse(path=str(path), format=fmt, base_iri=graph_iri(path))
        count = 0

        def chunks() -> Iterator[bytes]:
            nonlocal count
            while True:
                try:
                    batch = list(itertools.islice(quads, BULK_BATCH))
                except SyntaxError as exc:
                    raise oxigraph_syntax_error(path, exc) from None
                if not batch:
                    return
                self._db.bulk_extend(batch)
                count += len(batch)
                yield bytes(ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b"")

        kind = "ontology" if name == ONTOLOGY_IRI else "file"
        self.sources.record_stream(name, chunks(), kind=kind, streamed=True, stamp=key, content=digest)
        self.sources.entries[name]["triples"] = count

    def _apply(self, plan: Plan, reason: str | None) -> SyncReport:
        """Make the store (open for writing) what the plan says, then refresh inferences if asked."""
        sources = self.sources
        report = SyncReport(unchanged=list(plan.unchanged))
        fingerprint_before = self.fingerprint()
        derived = [n for n, e in sources.entries.items() if e.get("kind") == "derived"]
        journal = self.state.get(JOURNAL) if derived else None
        only_additions, added_lines, touched, streamed = True, set[str](), set[str](), False
        for name in plan.drop:
            old = sources.content(name)
            self._remove_lines(sources.release(old.triples), sources.release(old.quads))
            touched |= _subjects(old.triples)
            sources.drop(name)
            report.removed.append(name)
            only_additions = False
        cold = not sources.entries  # nothing loaded yet: the counts can be kept in Python, no lookups
        seen: set[str] = set()
        for name in [n for n, (path, _, _) in plan.load.items() if _is_bulk(path)]:
            path, digest, key = plan.load.pop(name)
            self._bulk_load(name, path, digest, key)  # a broken file raises: the new generation is discarded
            report.loaded.append(path)
            report.changed_triples += self.sources.entries[name]["triples"]
            streamed = True
        for name, (path, digest, key) in plan.load.items():
            try:
                new = _parse(path)
            except JobarchError as exc:  # the other files still load; this one keeps its last good version
                report.failures.append(exc)
                continue
            kind = "ontology" if name == ONTOLOGY_IRI else "file"
            if name in sources.entries:
                old = sources.content(name)
                new = _keep_blank_labels(old, new)
                removed, added = old.triples - new.triples, new.triples - old.triples
                self._remove_lines(sources.release(removed), sources.release(old.quads - new.quads))
                self._add_lines(
                    sources.claim(added, self._present), sources.claim(new.quads - old.quads, self._present)
                )
                only_additions = only_additions and not removed and old.quads <= new.quads
                added_lines |= added
                touched |= _subjects(removed) | _subjects(added)
            else:
                if cold:  # nothing to look up in the store: count against what this sync loaded so far
                    sources.claim(new.triples, seen.intersection)
                    seen |= new.triples
                    self._add_lines(new.triples, new.quads)
                else:
                    self._add_lines(sources.claim(new.triples, self._present), sources.claim(new.quads, self._present))
                added_lines |= new.triples
                touched |= _subjects(new.triples)
            sources.record(name, new, kind=kind, stamp=key, content=digest)
            report.loaded.append(path)
            report.changed_triples += len(new.triples)
        for name, key in plan.restamp.items():
            sources.entries[name]["stamp"] = key
        if derived and (report.loaded or report.removed):
            if only_additions and isinstance(journal, dict):
                self.state.put(JOURNAL, {"added": sorted(set(journal["added"]) | added_lines)})
            else:
                for name in derived:  # computed from triples that are gone
                    old = sources.content(name)
                    self._remove_lines(sources.release(old.triples), sources.release(old.quads))
                    sources.drop(name)
                self.state.remove(JOURNAL)
        sources.save()
        if streamed:  # a streamed file's subjects are not listed, so what changed is unknown
            self.state.remove(CHANGES)
        elif report.loaded or report.removed:
            self._log_change(fingerprint_before, touched)
        if reason and not report.failures:
            report.inference = refresh_inferences(self, reason)
        return report

    def _present(self, lines: list[str]) -> set[str]:
        """Which of these triples the store holds already (another source asserts them)."""
        if not lines:
            return set()
        quads = ox.parse("".join(f"{line} .\n" for line in lines).encode("utf-8"), ox.RdfFormat.N_QUADS)
        return {line for line, quad in zip(lines, quads, strict=True) if quad in self._db}

    def _add_lines(self, triples: Iterable[str], quads: Iterable[str]) -> None:
        text = "".join(f"{line} .\n" for line in triples) + "".join(f"{line} .\n" for line in quads)
        if text:
            self._db.bulk_extend(ox.parse(text.encode("utf-8"), ox.RdfFormat.N_QUADS))  # keeps blank-node labels

    def _remove_lines(self, triples: Iterable[str], quads: Iterable[str]) -> None:
        text = "".join(f"{line} .\n" for line in triples) + "".join(f"{line} .\n" for line in quads)
        for quad in ox.parse(text.encode("utf-8"), ox.RdfFormat.N_QUADS) if text else ():
            self._db.remove(quad)

    def _log_change(self, before: str, touched: set[str]) -> None:
        log = list(self.state.get(CHANGES) or [])[-(KEEP_CHANGES - 1) :]
        log.append({"from": before, "to": self.fingerprint(), "subjects": sorted(touched)})
        self.state.put(CHANGES, log)

    # ------------------------------------------------------------------ what derived state needs
    def _digests(self, sources: Sources) -> dict[str, str]:
        return {n: e["blob"] for n, e in sorted(sources.entries.items()) if e.get("kind") in ("file", "ontology")}

    def file_stamps(self) -> dict[str, str]:
        """Which versions of the files (and the ontology) the store holds: source name -> digest of its triples."""
        return self._digests(self.sources)

    def fingerprint(self) -> str:
        """One digest for everything the store holds; equal fingerprints, equal data."""
        entries = sorted((n, e["blob"]) for n, e in self.sources.entries.items())
        return content_digest(json.dumps(entries).encode("utf-8"))

    def changes_since(self, fingerprint: str) -> set[str] | None:
        """The subjects (N-Triples terms) whose triples changed since the store had ``fingerprint``; None if unknown."""
        at, touched = self.fingerprint(), set[str]()
        log = {entry["to"]: entry for entry in self.state.get(CHANGES) or []}
        for _ in range(len(log) + 1):
            if at == fingerprint:
                return touched
            entry = log.get(at)
            if entry is None:
                return None
            touched |= set(entry["subjects"])
            at = entry["from"]
        return None

    def architecture_triples(self) -> Iterator[Triple]:
        """The triples of the files, read from what each file asserts (no query, no ontology, no inferences)."""
        seen: set[str] = set()
        for name, entry in sorted(self.sources.entries.items()):
            if entry.get("kind") == "file":
                lines = self.sources.content(name).triples - seen
                seen |= lines
                for line in sorted(lines):
                    yield split_line(line)

    def ntriples_of(self, name: str) -> Iterator[Triple]:
        """What one source asserts, as N-Triples strings (one string per term, as Oxigraph writes it)."""
        return self.sources.triples(name)

    def source_lines(self, name: str) -> set[str]:
        """What one source asserts, as N-Triples lines without the final dot (empty for an unknown source)."""
        return self.sources.content(name).triples if name in self.sources.entries else set()

    def holds_derived(self) -> bool:
        """Whether derived sources (a --reason run's inferences) share the default graph with the files."""
        return any(e.get("kind") == "derived" for e in self.sources.entries.values())

    def triple_count(self, name: str) -> int:
        entry = self.sources.entries.get(name)
        return int(entry["triples"]) if entry else 0

    def turtle_of(self, name: str) -> str:
        lines = "".join(f"{line} .\n" for line in sorted(self.sources.content(name).triples))
        triples = ox.parse(lines.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
        return bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS) or b"").decode("utf-8")

    def write_derived(self, name: str, add: Iterable[Triple], remove: Iterable[Triple] | None = None) -> None:
        """Write a derived source (replace it, or with ``remove`` update it) and restart the journal."""
        if not self._writable:
            raise JobarchError("derived graphs are written while the store is being synced")
        sources = self.sources
        old = sources.content(name) if name in sources.entries else Content()
        lines = {join_triple(t) for t in add}
        triples = lines if remove is None else (old.triples - {join_triple(t) for t in remove}) | lines
        new = Content(triples, {f"{line} <{name}>" for line in triples})  # also in its own named graph, to be asked for
        self._remove_lines(sources.release(old.triples - new.triples), sources.release(old.quads - new.quads))
        self._add_lines(
            sources.claim(new.triples - old.triples, self._present), sources.claim(new.quads - old.quads, self._present)
        )
        sources.record(name, new, kind="derived")
        sources.save()
        self.state.put(JOURNAL, {"added": []})

    def journal(self) -> set[Triple] | None:
        """What the files gained since the derived sources were written; None when something else changed."""
        journal = self.state.get(JOURNAL)
        if not isinstance(journal, dict):
            return None
        return {split_line(line) for line in journal["added"]}

    def __len__(self) -> int:
        return len(self._db)

    # ------------------------------------------------------------------ querying
    def _run(self, sparql: str, bindings: Mapping[str, Binding]) -> Any:
        if self._db is None:
            raise JobarchError("the Oxigraph store is closed")
        try:
            return self._db.query(inject_values(sparql, bindings))
        except SyntaxError as exc:
            raise JobarchError(f"syntax error in SPARQL: {exc}") from None
        except OSError as exc:
            raise JobarchError(f"Oxigraph failed: {exc}") from None

    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult:
        return result_from_ox(self._run(sparql, bindings or {}))

    def construct(self, sparql: str, **bindings: Binding) -> list[Triple]:
        return [(str(t.subject), str(t.predicate), str(t.object)) for t in self._run(sparql, bindings)]

    def values(self, sparql: str, **bindings: Binding) -> Values:
        result = self._run(sparql, bindings)
        names = [v.value for v in result.variables]
        return Values(names, [tuple(None if t is None else t.value for t in solution) for solution in result])

    def insert(self, triples: Iterable[Triple]) -> None:
        if self.path is not None or not self._writable:
            super().insert(triples)  # on disk or read-only, a store holds the files only: it refuses
        self._add_lines((join_triple(t) for t in triples), ())

    def close(self) -> None:
        self._db = None if self.path else self._db  # the last reference: RocksDB closes
        self._reading.close()

    def reader(self) -> tuple[Callable[[], Store], str]:
        """On disk: a worker opens this process's generation read-only (it never changes). It is started from a
        fork server, never forked from this process, whose RocksDB threads may hold locks a copy would wait on."""
        if self.generation is None:
            return super().reader()
        return partial(open_read_only, str(self.generation.db)), "forkserver"


def _is_bulk(path: Path) -> bool:
    return file_format(path) in ("turtle", "nt") and path.stat().st_size >= BULK_BYTES


def _parse(path: Path) -> Content:
    """A file's triples (and TriG's named-graph quads) as N-Triples lines written by Oxigraph."""
    fmt = file_format(path)
    data = read_bytes(path)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        parse_file(path)  # names the line and column of the bad byte
    if fmt in _OX_FORMATS:
        try:
            quads = list(ox.parse(data, _OX_FORMATS[fmt], base_iri=graph_iri(path)))
        except SyntaxError as exc:
            raise oxigraph_syntax_error(path, exc) from None
    else:  # JSON-LD: through rdflib, which refuses remote contexts
        quads = [ox.Quad(*(to_ox(t) for t in triple)) for triple in parse_file(path)]  # type: ignore[arg-type]
    default = [q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    named = [q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)]
    triples = _lines(default) | _lines([ox.Quad(q.subject, q.predicate, q.object) for q in named])
    return Content(triples, _lines(named))


def _lines(quads: list[Any]) -> set[str]:
    if not quads:
        return set()
    text = bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8")
    return {line[:-2] for line in text.split("\n") if line}


def _keep_blank_labels(old: Content, new: Content) -> Content:
    """Give a reloaded file's blank nodes their old labels where they say the same (so unchanged triples stay
    equal, and an edit that only adds stays an addition)."""
    old_triples = [split_line(line) for line in old.triples]
    new_triples = [split_line(line) for line in new.triples]
    renaming = match_blank_nodes(old_triples, new_triples)
    if not renaming:
        return new
    back = {fresh: previous for previous, fresh in renaming.items()}
    return Content({join_triple(t) for t in rename(new_triples, back)}, new.quads)


def _subjects(lines: Iterable[str]) -> set[str]:
    return {line.split(" ", 1)[0] for line in lines if not line.startswith("_:")}


def open_read_only(path: str) -> OxigraphStore:
    """A query-only handle on one generation's database (in a worker process)."""
    return OxigraphStore(database=path)


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


def open_cache(argument: str = "", cache_dir: Path | None = None, **_options: object) -> OxigraphStore:
    """The default store: an Oxigraph store in the architecture's cache directory (see ``jobarch cache info``)."""
    if argument or cache_dir is None:
        raise JobarchError(
            "the cache store takes no argument: its place follows jobarch.toml", hint="use --store cache"
        )
    return OxigraphStore(cache_dir)
