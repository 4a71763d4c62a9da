"""The architecture as linked data: every resource's IRI dereferences on the server, in HTML or RDF.

The server maps its paths onto a base IRI (``serve --base-iri``; by default
the namespace of the architecture's own IRI): ``GET /level/M2`` is the
resource ``<base>level/M2``, and when the server runs at the data's own origin
the request path *is* the IRI's path. A browser is sent (303) to the page
that explains the resource (a profile, focus, family, function, level or
skill page); an RDF client gets the resource's own triples in the type it
asks for (Turtle, JSON-LD, N-Triples, RDF/XML), with ``Vary: Accept`` and a
``schema:url`` naming the human page.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

from rdflib import Graph, URIRef

from .. import api
from ..core.namespaces import JA, SCHEMA, SKOS
from .protocol import negotiate

#: What a resource page answers, best first for a browser.
RESOURCE_TYPES = {
    "text/html": "html",
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}

#: Resource class -> the route of its human page, keyed by its code.
PAGES = {
    JA.JobProfile: "/profiles/",
    JA.Focus: "/foci/",
    JA.JobFamily: "/families/",
    JA.Function: "/functions/",
    JA.Level: "/levels/",
}


def page_of(kind: dict[str, Any]) -> str | None:
    """The path of the page that explains a resource of this kind (None: the generic resource page)."""
    for type_, route in PAGES.items():
        if type_ in kind["types"] and kind.get("code") is not None:
            return route + quote(str(kind["code"]), safe="")
    if JA.Skill in kind["types"] and kind.get("label") is not None:
        return "/skills?name=" + quote(str(kind["label"]))
    return None


def wanted_type(request: Any) -> str | None:
    """The media type to answer (``?format=`` first, then Accept), or None for 406."""
    return negotiate(request.headers.get("accept", ""), RESOURCE_TYPES, request.query_params.get("format"))


def rdf_response(store: api.Store, iri: URIRef, media_type: str, page_url: str) -> Any:
    """A resource's triples in the negotiated RDF type, naming its human page."""
    from starlette.responses import PlainTextResponse, Response

    graph: Graph = api.resource_graph(store, iri)
    if not len(graph):
        return PlainTextResponse(f"404: nothing is said of <{iri}>\n", 404)
    graph.add((iri, SCHEMA.url, URIRef(page_url)))
    return Response(
        api.serialize_graph(graph, RESOURCE_TYPES[media_type]), media_type=media_type, headers={"Vary": "Accept"}
    )


def not_acceptable() -> Any:
    from starlette.responses import PlainTextResponse

    return PlainTextResponse("406: resources are available as " + ", ".join(RESOURCE_TYPES) + "\n", 406)


#: What no IRI may hold (RFC 3987: spaces, controls, <>"{}|^`\\), and what a path's undecodable bytes became.
_NOT_IN_IRIS = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f\ufffd]')


def iri_for_path(base: str, path: str) -> URIRef | None:
    """The IRI a request path names: the path under the base, whether or not it repeats the base's own path;
    None when the decoded path could not be part of an IRI (``%20``, ``%00``, ``%3E``, a byte that is not UTF-8),
    so that it is simply not found."""
    base_path = urlsplit(base).path
    relative = path[len(base_path) :] if base_path != "/" and path.startswith(base_path) else path.lstrip("/")
    if _NOT_IN_IRIS.search(relative):
        return None
    return URIRef(base + relative)


def label_of(graph: Graph, iri: URIRef) -> str:
    label = graph.value(iri, SKOS.prefLabel)
    return str(label) if label is not None else str(iri)


__all__ = ["PAGES", "RESOURCE_TYPES", "iri_for_path", "not_acceptable", "page_of", "rdf_response", "wanted_type"]


def resource_rows(graph: Graph, iri: URIRef) -> list[tuple[str, str, bool]]:
    """A resource's statements as (property, value, value is a link) rows for the generic resource page."""
    rows = []
    for p, o in sorted(graph.predicate_objects(iri), key=lambda po: (str(po[0]), str(po[1]))):
        prop = graph.namespace_manager.normalizeUri(p) if isinstance(p, URIRef) else str(p)
        rows.append((prop, str(o), isinstance(o, URIRef)))
    return rows
