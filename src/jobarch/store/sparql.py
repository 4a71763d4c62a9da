"""A remote backend: any SPARQL 1.1 endpoint (``sparql:URL``), over the SPARQL 1.1 Protocol.

Files are loaded into named graphs with the Graph Store Protocol (``PUT
?graph=``), each named by its path relative to the architecture's root
(``urn:jobarch:file:data/x.ttl``), so that every checkout names them alike. A
metadata graph (``urn:jobarch:sources``) keeps each graph's file digest:
``load`` uploads the files that changed, deletes the graphs of files that are
gone, and says what it did. The endpoint must answer queries over the union of
its named graphs; the first query checks, and says which flag to set when it
does not.

Queries go out as the server accepts them (see :mod:`.protocol`); the protocol
has no bindings, so parameters travel as a ``VALUES`` block (see
:func:`jobarch.store.bindings.inject_values`).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..core.errors import JobarchError
from ..core.files import content_stamp, digest
from ..core.lexical import scan_sparql
from ..core.namespaces import FILE_GRAPH_PREFIX, INFERRED_GRAPH_IRI, JA, ONTOLOGY_IRI, SOURCES_GRAPH_IRI
from ..core.resources import bundled_query, ontology_path
from ..core.state import DirectoryState
from ..graph.architecture import load
from ..graph.sources import graph_iri
from ..graph.terms import from_ox
from ..reasoning import infer_architecture
from .base import QueryResult, Store, SyncReport, server_state_dir
from .bindings import Binding, inject_values

FINGERPRINT_FRESH = 0.5  # seconds the server's fingerprint is trusted before it is asked again
IDLE_CONNECTIONS = 8  # connections kept open to a server (a server's pages ask from a few threads at once)
UNION_FLAGS = (
    "Oxigraph: start it with --union-default-graph; Fuseki: set tdb2:unionDefaultGraph true on the dataset; "
    "Virtuoso answers over every graph unless a default graph is named"
)


DIGEST = str(JA.sourceDigest)


class SparqlStore(Store):
    def __init__(
        self,
        endpoint: str,
        graph_store: str | None = None,
        timeout: float = 60.0,
        load: bool = False,
        root: Path | None = None,
        cache_dir: Path | None = None,
    ):
        super().__init__()
        self.loading = load
        self.root = root
        self._union_checked = False
        self._how: str | None = None  # how the server takes queries (see protocol())
        self._idle: dict[tuple, list[http.client.HTTPConnection]] = {}  # kept open, per process and server
        self._pool_lock = threading.Lock()
        parsed = urllib.parse.urlparse(endpoint)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise JobarchError(
                f"not an http(s) SPARQL endpoint: {endpoint!r}", hint="use sparql:http://host:port/query"
            )
        self.endpoint = endpoint
        self._graph_store_given = graph_store is not None
        self.graph_store = graph_store or re.sub(r"/(query|sparql)/?$", "/store", endpoint)
        self.server = ""  # the Server header of the last answer (Virtuoso takes graphs at another path)
        self.selector = f"sparql:{endpoint}"
        self.timeout = timeout
        self._fingerprint: tuple[float, str | None] | None = None  # (when asked, the answer)
        if cache_dir is not None:  # derived views (profile facts, the search index) kept per server
            self.state = DirectoryState(server_state_dir(Path(cache_dir), endpoint))

    def _request(
        self, url: str, data: bytes | None, headers: dict, method: str = "POST", timeout: float | None = None
    ) -> tuple[bytes, str]:
        """The answer's bytes and media type; credentials from the environment (see :func:`credentials`). The
        connection is kept open for the next request of the same thread (a page asks about a dozen questions);
        through a proxy, or when the server redirects, each request goes through urllib instead."""
        headers = {**headers, **credentials()}
        parts = urllib.parse.urlsplit(url)
        if urllib.request.getproxies() and not urllib.request.proxy_bypass(parts.hostname or ""):
            return self._request_once(url, data, headers, method, timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for attempt in (1, 2):
            connection = self._take(parts)
            connection.timeout = timeout or self.timeout
            try:
                if connection.sock is not None:
                    connection.sock.settimeout(connection.timeout)
                connection.request(method, target, body=data, headers=headers)
                response = connection.getresponse()
                body = response.read()
            except (TimeoutError, http.client.IncompleteRead) as exc:
                connection.close()
                raise _unreachable(url, exc) from None
            except (OSError, http.client.HTTPException) as exc:
                connection.close()  # a connection kept open that the server closed: once more on a new one
                if attempt == 2:
                    raise _unreachable(url, exc) from None
                continue
            self.server = response.getheader("Server", "") or self.server
            if (response.getheader("Connection") or "").lower() == "close":
                connection.close()
            else:
                self._give(parts, connection)
            if 300 <= response.status < 400:
                return self._request_once(url, data, headers, method, timeout)
            if response.status >= 400:
                raise _refused(url, response.status, response.reason, body)
            kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
            return body, kind
        raise _unreachable(url, OSError("no answer"))

    def _take(self, parts: urllib.parse.SplitResult) -> http.client.HTTPConnection:
        """An idle connection to the server, else a new one (a connection is never shared across a fork)."""
        with self._pool_lock:
            idle = self._idle.setdefault((os.getpid(), parts.scheme, parts.netloc), [])
            if idle:
                return idle.pop()
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        return kind(parts.netloc, timeout=self.timeout)

    def _give(self, parts: urllib.parse.SplitResult, connection: http.client.HTTPConnection) -> None:
        """A connection whose answer was read whole, kept for the next request (a few at most)."""
        with self._pool_lock:
            idle = self._idle.setdefault((os.getpid(), parts.scheme, parts.netloc), [])
            if len(idle) < IDLE_CONNECTIONS:
                idle.append(connection)
                return
        connection.close()

    def _request_once(
        self, url: str, data: bytes | None, headers: dict, method: str, timeout: float | None
    ) -> tuple[bytes, str]:
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
                self.server = response.headers.get("Server", "") or self.server
                kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                return bytes(response.read()), kind
        except urllib.error.HTTPError as exc:
            raise _refused(url, exc.code, exc.reason, exc.read()) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise _unreachable(url, exc) from None

    def _send(self, text: str, accept: str, how: str, timeout: float | None = None) -> tuple[bytes, str]:
        """One query the way ``how`` says: the body as application/sparql-query, an HTML form, or a GET."""
        encoded = urllib.parse.urlencode({"query": text})
        if how == "direct":
            headers = {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept}
            return self._request(self.endpoint, text.encode("utf-8"), headers, timeout=timeout)
        if how == "form":
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
            return self._request(self.endpoint, encoded.encode("ascii"), headers, timeout=timeout)
        separator = "&" if "?" in self.endpoint else "?"
        return self._request(self.endpoint + separator + encoded, None, {"Accept": accept}, "GET", timeout)

    def protocol(self) -> str:
        """How this server takes queries, found once and kept beside the cache: a form POST (every server of the
        SPARQL 1.1 Protocol takes one), else a direct POST, else a GET. A direct POST first cost every command
        against Virtuoso 7, which never answers one, the probe's whole timeout."""
        if self._how is None:
            known = self.state.get(PROTOCOL_STATE)
            if isinstance(known, dict) and known.get("how") in WAYS:
                self._how, self.server = known["how"], known.get("server", "")
                self._graph_store_at(self.server)
                return self._how
            problems = []
            for how in WAYS:
                try:
                    self._send("ASK {}", RESULTS, how, timeout=min(self.timeout, PROBE_TIMEOUT))
                except JobarchError as exc:
                    problems.append(f"{how}: {exc.message}")
                    continue
                self._how = "form" if self.server.startswith("Virtuoso") else how  # Virtuoso 7: forms, always
                self._graph_store_at(self.server)
                self.state.put(PROTOCOL_STATE, {"how": self._how, "server": self.server})
                break
            else:
                raise JobarchError(
                    f"the SPARQL endpoint {self.endpoint} answered no query: " + "; ".join(problems),
                    hint="is the URL its query endpoint (Oxigraph /query, Fuseki /DATASET/sparql, Virtuoso /sparql)?",
                )
        return self._how

    def _graph_store_at(self, server: str) -> None:
        if server.startswith("Virtuoso") and not self._graph_store_given:  # Virtuoso takes graphs at its own path
            self.graph_store = re.sub(r"/sparql/?$", "/sparql-graph-crud", self.endpoint)

    def check_union(self) -> None:
        """Refuse a server that answers its default graph without the named graphs the files are loaded into:
        every query would find nothing, silently."""
        named = self._ask(bundled_query("internal", "named_graphs_hold_data"))
        if named and not self._ask(bundled_query("internal", "default_graph_holds_data")):
            raise JobarchError(
                f"the SPARQL server {self.endpoint} answers queries over its default graph only, without the named "
                "graphs jobarch loads each file into: every question would find nothing",
                hint=UNION_FLAGS,
            )
        self._union_checked = True

    def _ask(self, text: str) -> bool:
        body, kind = self._send(text, RESULTS, self.protocol())
        return bool(_answer(body, kind, ask=True).boolean)

    # ------------------------------------------------------------------ loading
    def put_graph(self, name: str, turtle: bytes) -> None:
        url = f"{self.graph_store}?graph={urllib.parse.quote(name, safe='')}"
        self._request(url, turtle, {"Content-Type": "text/turtle"}, method="PUT")

    def delete_graph(self, name: str) -> None:
        url = f"{self.graph_store}?graph={urllib.parse.quote(name, safe='')}"
        try:
            self._request(url, None, {}, method="DELETE")
        except JobarchError as exc:
            if " 404 " not in exc.message:  # already gone is what was wanted
                raise

    def graph_name(self, path: Path) -> str:
        """A file's graph: its path relative to the architecture's root (its absolute path outside the root)."""
        resolved = path.resolve()
        root = (self.root or Path.cwd()).resolve()
        if not resolved.is_relative_to(root):
            return graph_iri(path)
        return FILE_GRAPH_PREFIX + urllib.parse.quote(resolved.relative_to(root).as_posix(), safe="/")

    def loaded_digests(self) -> dict[str, str]:
        """What the server holds, by graph: the digest of the file each graph was loaded from."""
        rows = self.query(bundled_query("internal", "loaded_sources"))
        return {str(g): str(d) for g, d in rows.rows if g is not None and d is not None}

    def sync(self, files: Sequence[Path], *, reason: str | None = None) -> SyncReport:
        """Opened to load (``jobarch load``): upload the files whose bytes changed since the last load, delete the
        graphs of files that are gone, and keep the ontology and the digests current. Otherwise the endpoint is
        read as it is: it is shared, and another process (or person) loaded it; only inferences asked for are PUT."""
        files = list(files)
        report = SyncReport()
        if not self.loading:
            report.unchanged = files
            if reason:
                report.inference = infer_architecture(load(files), reason)
                self._put_inferences(report.inference.graph)
            return report
        held = self.loaded_digests()
        wanted = {self.graph_name(path): (path, content_stamp(path)) for path in files}
        changed = [path for name, (path, digest) in wanted.items() if held.get(name) != digest]
        for name in sorted(set(held) - set(wanted) - {ONTOLOGY_IRI}):
            self.delete_graph(name)
            report.removed.append(name.removeprefix(FILE_GRAPH_PREFIX))
        if changed:
            arch = load(changed)  # rdflib writes each file's graph as Turtle
            for path in changed:
                self.put_graph(self.graph_name(path), arch.graph_of(path).serialize(format="turtle").encode("utf-8"))
                report.loaded.append(path)
        report.unchanged = [path for path in files if path not in changed]
        ontology = Path(ontology_path()).read_bytes()
        if held.get(ONTOLOGY_IRI) != digest(ontology):
            self.put_graph(ONTOLOGY_IRI, ontology)
        if changed or report.removed or held.get(ONTOLOGY_IRI) != digest(ontology):
            sources = {name: stamp for name, (_, stamp) in wanted.items()}
            self._put_sources({**sources, ONTOLOGY_IRI: digest(ontology)})
        if reason:
            report.inference = infer_architecture(load(files), reason)
            self._put_inferences(report.inference.graph)
        self.check_union()  # loaded into graphs the server's queries would never see: say so now
        return report

    def _put_inferences(self, graph: Graph) -> None:
        body = graph.serialize(format="turtle").encode("utf-8")
        self.put_graph(INFERRED_GRAPH_IRI, body)
        self._put_sources({**self.loaded_digests(), INFERRED_GRAPH_IRI: digest(body)})

    def _put_sources(self, sources: Mapping[str, str]) -> None:
        """Record what each graph was loaded from (its digest): what ``load`` compares with, and the server's
        fingerprint."""
        triples = [ox.Triple(ox.NamedNode(n), ox.NamedNode(DIGEST), ox.Literal(d)) for n, d in sorted(sources.items())]
        self._request(
            f"{self.graph_store}?graph={urllib.parse.quote(SOURCES_GRAPH_IRI, safe='')}",
            ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
            {"Content-Type": "application/n-triples"},
            method="PUT",
        )
        self._fingerprint = None

    fingerprint_exact = False  # data put on the server by other means than `jobarch load` does not change it

    def fingerprint(self) -> str | None:
        """The server's data as ``load`` left it: a digest of every graph's recorded file digest (None when no
        jobarch ``load`` filled it: then nothing derived is kept). Asked again after FINGERPRINT_FRESH seconds,
        so that a load by another process is seen that soon by every replica."""
        now = time.monotonic()
        if self._fingerprint is not None and now - self._fingerprint[0] < FINGERPRINT_FRESH:
            return self._fingerprint[1]
        held = self.loaded_digests()
        value = digest(json.dumps([self.endpoint, sorted(held.items())]).encode("utf-8")) if held else None
        self._fingerprint = (now, value)
        return value

    # ------------------------------------------------------------------ querying
    def query(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> QueryResult:
        if not self._union_checked:
            self.check_union()
        text = inject_values(sparql, bindings or {})
        forms = scan_sparql(text).keywords("CONSTRUCT", "DESCRIBE", "ASK", "SELECT")
        graph = bool(forms & {"CONSTRUCT", "DESCRIBE"})
        body, kind = self._send(text, GRAPHS if graph else RESULTS, self.protocol())
        return _answer(body, kind, graph, ask=forms == {"ASK"})


WAYS = ("form", "direct", "get")
PROTOCOL_STATE = "protocol"  # state: how the server takes queries, and its Server header
PROBE_TIMEOUT = 10.0  # seconds a way of asking is given on first use
RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
GRAPHS = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
RDF_KINDS = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


def _refused(url: str, status: int, reason: str, body: bytes) -> JobarchError:
    text = body.decode("utf-8", "replace").strip()[:500]
    return JobarchError(f"the SPARQL endpoint answered {status} {reason}: {text}", hint=url)


def _unreachable(url: str, exc: BaseException) -> JobarchError:
    reason = getattr(exc, "reason", exc)
    return JobarchError(
        f"cannot reach the SPARQL endpoint {url}: {reason or type(exc).__name__}",
        hint="is the server running, and is the URL its query endpoint?",
    )


def credentials() -> dict[str, str]:
    """An Authorization header from the environment: ``JOBARCH_SPARQL_TOKEN`` (bearer), else
    ``JOBARCH_SPARQL_USER`` and ``JOBARCH_SPARQL_PASSWORD`` (basic). Never from the command line (it would show in
    the process list) nor from a file in the repository."""
    token = os.environ.get("JOBARCH_SPARQL_TOKEN")
    if token:
        return {"Authorization": f"Bearer {token}"}
    user = os.environ.get("JOBARCH_SPARQL_USER")
    if user:
        pair = f"{user}:{os.environ.get('JOBARCH_SPARQL_PASSWORD', '')}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
    return {}


def _answer(body: bytes, kind: str, graph: bool = False, ask: bool = False) -> QueryResult:
    """An answer by the media type the server gave (a server may answer a CONSTRUCT in any RDF syntax, and a
    SELECT in JSON or XML). Virtuoso 7 answers ASK as a one-row SELECT of ``__ASK_RETVAL``: read as the boolean."""
    if kind in RDF_KINDS or (graph and kind not in ("application/sparql-results+json", "application/json")):
        parsed = Graph().parse(data=body.decode("utf-8"), format=RDF_KINDS.get(kind, "turtle"))
        return QueryResult("CONSTRUCT", graph=parsed)
    if kind == "application/sparql-results+xml" or body.lstrip().startswith(b"<"):
        result = _solutions(body, ox.QueryResultsFormat.XML)
    else:
        result = _solutions(body, ox.QueryResultsFormat.JSON)
    if ask and result.kind == "SELECT" and result.vars == ["__ASK_RETVAL"]:
        return QueryResult("ASK", boolean=bool(result.rows) and str(result.rows[0][0]) not in ("0", "false"))
    return result


def _solutions(body: bytes, syntax: ox.QueryResultsFormat) -> QueryResult:
    """A SELECT or ASK answer in SPARQL Results JSON or XML, read (and checked) by Oxigraph's parser."""
    if syntax == ox.QueryResultsFormat.JSON and b'"bnode"' in body:
        body = _portable_blank_nodes(body)
    try:
        answer = ox.parse_query_results(body, syntax)
    except (SyntaxError, ValueError) as exc:
        raise JobarchError(f"the SPARQL endpoint sent results that do not parse: {exc}") from None
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(answer))
    names = [v.value for v in answer.variables]
    rows = [tuple(from_ox(solution[n]) for n in names) for solution in answer]
    return QueryResult("SELECT", names, rows)


def _portable_blank_nodes(body: bytes) -> bytes:
    """A JSON answer whose blank node labels any parser takes: Virtuoso writes ``nodeID://b10006``, which is not a
    blank node label. Each label becomes a digest of itself, so equal labels stay equal within the answer."""
    answer = json.loads(body)
    for row in answer.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "bnode" and not _BLANK_LABEL.fullmatch(term.get("value", "")):
                term["value"] = "b" + digest(term["value"].encode("utf-8"))
    return json.dumps(answer).encode("utf-8")


_BLANK_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def open_sparql(
    argument: str,
    graph_store: str | None = None,
    load: bool = False,
    root: Path | None = None,
    cache_dir: Path | None = None,
    **_options: object,
) -> SparqlStore:
    return SparqlStore(argument, graph_store, load=load, root=root, cache_dir=cache_dir)
