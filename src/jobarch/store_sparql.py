"""A remote backend: any SPARQL 1.1 endpoint (``sparql:URL``), over the SPARQL 1.1 Protocol.

Queries go out as ``POST application/sparql-query``; files are loaded into
named graphs with the Graph Store Protocol (``PUT ?graph=``). The endpoint must
answer queries over the union of its named graphs (Oxigraph:
``--union-default-graph``; Fuseki: ``tdb:unionDefaultGraph``).

The protocol has no bindings, so parameters travel as a ``VALUES`` block (see
:func:`jobarch.store.inject_values`).
"""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from .errors import JobarchError
from .load import Architecture
from .namespaces import ONTOLOGY_IRI
from .resources import ontology_path
from .store import QueryResult, Store, inject_values

class SparqlStore(Store):
    def __init__(self, endpoint: str, graph_store: str | None = None, timeout: float = 60.0):
        parsed = urllib.parse.urlparse(endpoint)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise JobarchError(f"not an http(s) SPARQL endpoint: {endpoint!r}", hint="use sparql:http://host:port/query")
        self.endpoint = endpoint
        self.graph_store = graph_store or re.sub(r"/(query|sparql)/?$", "/store", endpoint)
        self.selector = f"sparql:{endpoint}"
        self.timeout = timeout

    def _request(self, url: str, data: bytes | None, headers: dict, method: str = "POST") -> bytes:
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - http(s) checked
                return response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace").strip()[:500]
            raise JobarchError(f"the SPARQL endpoint answered {exc.code} {exc.reason}: {body}", hint=url) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise JobarchError(f"cannot reach the SPARQL endpoint {url}: {reason}",
                               hint="is the server running, and is the URL its query endpoint?") from None

    # ------------------------------------------------------------------ loading
    def put_graph(self, name: str, turtle: bytes) -> None:
        url = f"{self.graph_store}?graph={urllib.parse.quote(name, safe='')}"
        self._request(url, turtle, {"Content-Type": "text/turtle"}, method="PUT")

    def load(self, architecture: Architecture) -> None:
        self.architecture = architecture
        for path in architecture.files:
            self.put_graph(path.resolve().as_uri(), architecture.graph_of(path).serialize(format="turtle").encode("utf-8"))
        self.put_graph(ONTOLOGY_IRI, Path(ontology_path()).read_bytes())
        for graph in architecture.dataset.graphs():
            name = str(graph.identifier)
            if name.startswith("urn:jobarch:") and len(graph):
                self.put_graph(name, graph.serialize(format="turtle").encode("utf-8"))

    # ------------------------------------------------------------------ querying
    def query(self, sparql: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        text = inject_values(sparql, bindings or {})
        accept = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
        body = self._request(self.endpoint, text.encode("utf-8"),
                             {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept})
        if body.lstrip().startswith(b"{"):
            return _from_json(json.loads(body))
        graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
        return QueryResult("CONSTRUCT", graph=graph)


def _term(value: dict) -> Identifier:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        datatype = None
    return Literal(value["value"], datatype=URIRef(datatype) if datatype else None)


def _from_json(doc: dict) -> QueryResult:
    if "boolean" in doc:
        return QueryResult("ASK", boolean=bool(doc["boolean"]))
    names = doc["head"].get("vars", [])
    rows = [tuple(_term(b[n]) if n in b else None for n in names) for b in doc["results"]["bindings"]]
    return QueryResult("SELECT", names, rows)


def open_sparql(argument: str, graph_store: str | None = None) -> SparqlStore:
    return SparqlStore(argument, graph_store)
