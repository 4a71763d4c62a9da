"""The SPARQL 1.1 Protocol's result formats and content negotiation, for `jobarch serve`.

SELECT and ASK answer as SPARQL Results JSON (the default), XML, CSV or TSV;
CONSTRUCT and DESCRIBE as Turtle (the default), N-Triples, JSON-LD or RDF/XML.
"""

from __future__ import annotations

from .. import api
from ..present.results import render_result, sparql_csv, sparql_json, sparql_tsv, sparql_xml

RESULT_TYPES = {
    "table": {
        "application/sparql-results+json": "json",
        "application/sparql-results+xml": "xml",
        "text/csv": "csv",
        "text/tab-separated-values": "tsv",
        "application/json": "json",
    },
    "graph": {
        "text/turtle": "turtle",
        "application/n-triples": "nt",
        "application/ld+json": "json-ld",
        "application/rdf+xml": "xml",
    },
}
SHORT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/turtle",  # Turtle is N3 (SPARQLWrapper asks for n3)
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "html": "text/html",
}


def negotiate(accept: str, offered: dict[str, str], override: str | None = None) -> str | None:
    """The offered media type the client prefers (the first offered on a tie or no Accept), or None (406).

    ``override`` (a ``?format=`` short name or media type) wins, for links and
    tools that cannot set headers.
    """
    types = list(offered)
    if override:
        wanted = SHORT_NAMES.get(override.lower(), override.lower())
        return wanted if wanted in offered else None
    if not accept.strip():
        return types[0]
    best, best_q = None, 0.0
    for position, part in enumerate(accept.split(",")):
        media, *params = [x.strip() for x in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        media = media.lower()
        if media in ("*/*", ""):
            candidates = types[:1]
        elif media.endswith("/*"):
            candidates = [t for t in types if t.startswith(media[:-1])][:1]
        else:
            candidates = [t for t in types if t == media]
        specificity = 0 if media == "*/*" else (1 if media.endswith("/*") else 2)
        for candidate in candidates:
            score = q + specificity * 1e-3 - position * 1e-6
            if q > 0 and score > best_q:
                best, best_q = candidate, score
    return best


def serialize_result(result: api.QueryResult, media_type: str) -> str:
    """The result in the media type negotiated from RESULT_TYPES."""
    if result.graph is not None:
        return api.serialize_graph(result.graph, RESULT_TYPES["graph"][media_type])
    fmt = RESULT_TYPES["table"][media_type]
    if fmt == "json":
        return sparql_json(result)
    if fmt == "xml":
        return sparql_xml(result)
    if result.kind == "SELECT" and fmt in ("tsv", "csv"):
        return sparql_tsv(result) if fmt == "tsv" else sparql_csv(result)
    if result.kind == "ASK":
        return f"_askResult\n{str(result.boolean).lower()}\n"
    return render_result(result, fmt)
