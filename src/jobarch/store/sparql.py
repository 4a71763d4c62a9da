"""A remote backend: any SPARQL 1.1 endpoint (``sparql:URL``), over the SPARQL 1.1 Protocol.

Queries go out as ``POST application/sparql-query``; files are loaded into
named graphs with the Graph Store Protocol (``PUT ?graph=``). The endpoint must
answer queries over the union of its named graphs (Oxigraph:
``--union-default-graph``; Fuseki: ``tdb:unionDefaultGraph``).

The protocol has no bindings, so parameters travel as a ``VALUES`` block (see
:func:`jobarch.store.base.inject_values`).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..core.errors import JobarchError
from ..core.namespaces import INFERRED_GRAPH_IRI, ONTOLOGY_IRI
from ..core.resources import ontology_path
from ..graph.architecture import load
from ..graph.sources import graph_iri
from ..graph.terms import from_ox
from ..reasoning import infer_architecture
from .base import Binding, QueryResult, Store, SyncReport, inject_values


class SparqlStore(Store):
    def __init__(self, endpoint: str, graph_store: str | None = None, timeout: float = 60.0, load: bool = False):
        super().__init__()
        self.loading = load
        parsed = urllib.parse.urlparse(endpoint)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise JobarchError(
                f"not an http(s) SPARQL endpoint: {endpoint!r}", hint="use sparql:http://host:port/query"
            )
        self.endpoint = endpoint
        self.graph_store = graph_store or re.sub(r"/(query|sparql)/?$", "/store", endpoint)
        self.selector = f"sparql:{endpoint}"
        self.timeout = timeout

    def _request(self, url: str, data: bytes | None, headers: dict, method: str = "POST") -> bytes:
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip()[:500]
            raise JobarchError(f"the SPARQL endpoint answered {exc.code} {exc.reason}: {body}", hint=url) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise JobarchError(
                f"cannot reach the SPARQL endpoint {url}: {reason}",
                hint="is the server running, and is the URL its query endpoint?",
            ) from None

    # ------------------------------------------------------------------ loading
    def put_graph(self, name: str, turtle: bytes) -> None:
        url = f"{self.graph_store}?graph={urllib.parse.quote(name, safe='')}"
        self._request(url, turtle, {"Content-Type": "text/turtle"}, method="PUT")

    def sync(self, files: Sequence[Path], *, reason: str | None = None) -> SyncReport:
        """Opened to load (``jobarch load``): PUT every file's graph and the ontology. Otherwise the endpoint is
        read as it is: it is shared, and another process (or person) loaded it; only inferences asked for are PUT."""
        files = list(files)
        report = SyncReport()
        arch = load(files) if self.loading or reason else None  # rdflib writes each file's graph as Turtle
        if self.loading and arch is not None:
            for path in files:
                self.put_graph(graph_iri(path), arch.graph_of(path).serialize(format="turtle").encode("utf-8"))
                report.loaded.append(path)
            self.put_graph(ONTOLOGY_IRI, Path(ontology_path()).read_bytes())
        else:
            report.unchanged = files
        if reason and arch is not None:
            report.inference = infer_architecture(arch, reason)
            self.put_graph(INFERRED_GRAPH_IRI, report.inference.graph.serialize(format="turtle").encode("utf-8"))
        return report

    # ------------------------------------------------------------------ querying
    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult:
        text = inject_values(sparql, bindings or {})
        accept = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
        body = self._request(
            self.endpoint,
            text.encode("utf-8"),
            {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept},
        )
        if body.lstrip().startswith(b"{"):
            return _solutions(body)
        graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
        return QueryResult("CONSTRUCT", graph=graph)


def _solutions(body: bytes) -> QueryResult:
    """A SELECT or ASK answer in SPARQL Results JSON, read (and checked) by Oxigraph's parser."""
    try:
        answer = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise JobarchError(f"the SPARQL endpoint sent results that do not parse: {exc}") from None
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(answer))
    names = [v.value for v in answer.variables]
    rows = [tuple(from_ox(solution[n]) for n in names) for solution in answer]
    return QueryResult("SELECT", names, rows)


def open_sparql(argument: str, graph_store: str | None = None, load: bool = False, **_options: object) -> SparqlStore:
    return SparqlStore(argument, graph_store, load=load)
