"""The reference backend: rdflib's in-memory dataset (``memory``), built afresh in each process.

Slow on large architectures (rdflib parses and plans in Python), but every
other backend is tested against it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from rdflib import Graph
from rdflib.term import Identifier

from ..core.errors import JobarchError
from ..core.files import content_stamp
from ..core.files import digest as content_digest
from ..graph.architecture import Architecture, load
from ..graph.planner import SPARQL_PARSER_LOCK
from ..graph.sources import graph_iri
from ..reasoning import INFERRED_GRAPH, infer_architecture
from .base import QueryResult, Store, SyncReport
from .bindings import Binding, inject_values


class MemoryStore(Store):
    """rdflib's in-memory dataset: no server, the reference implementation."""

    selector = "memory"

    def __init__(self, architecture: Architecture | None = None):
        super().__init__()
        self.architecture = architecture
        self._stamps: dict[str, str] = (
            {graph_iri(p): content_stamp(p) for p in architecture.files} if architecture is not None else {}
        )
        self._reasoned: str | None = None  # the engine whose inferences the dataset holds

    def sync(self, files: Sequence[Path], *, reason: str | None = None) -> SyncReport:
        files = list(files)
        report = SyncReport()
        stamps = {graph_iri(p): content_stamp(p) for p in files}
        if self.architecture is not None and stamps == self._stamps:
            report.unchanged = files
        else:
            self.architecture = load(files)
            self._stamps, self._reasoned = stamps, None
            report.loaded = files
        if reason:
            arch = self.architecture
            assert arch is not None
            report.inference = infer_architecture(arch, reason)
            target = arch.dataset.graph(INFERRED_GRAPH)
            target.remove((None, None, None))
            target += report.inference.graph
            self._reasoned = reason
        return report

    def holds_derived(self) -> bool:
        """Whether a reasoned sync left its inferences here (in their own graph, inside the union queries read)."""
        return self._reasoned is not None

    def fingerprint(self) -> str | None:
        """The files' stamps and the inferences held: the dataset changes only through :meth:`sync`."""
        if self.architecture is None:
            return None
        return content_digest(json.dumps([sorted(self._stamps.items()), self._reasoned]).encode("utf-8"))

    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult:
        if self.architecture is None:
            raise JobarchError("no architecture loaded in the memory store")
        single = {k: v for k, v in (bindings or {}).items() if isinstance(v, Identifier)}
        several = {k: v for k, v in (bindings or {}).items() if not isinstance(v, Identifier)}
        with SPARQL_PARSER_LOCK:  # rdflib parses the query inside; its parser is not thread-safe
            result = self.architecture.dataset.query(inject_values(sparql, several), initBindings=single)
        if result.type == "SELECT":
            names = [str(v) for v in result.vars or []]
            return QueryResult("SELECT", names, [tuple(row) for row in result])  # type: ignore[arg-type]
        if result.type == "ASK":
            return QueryResult("ASK", boolean=bool(result.askAnswer))
        graph = Graph()
        for triple in result.graph or ():
            graph.add(triple)
        return QueryResult(result.type, graph=graph)


def open_memory(argument: str = "", **_options: object) -> MemoryStore:
    if argument:
        raise JobarchError(f"the memory store takes no argument (got memory:{argument})", hint="use --store memory")
    return MemoryStore()
