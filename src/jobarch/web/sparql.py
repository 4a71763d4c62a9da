"""``/sparql``: the SPARQL 1.1 Protocol's query operation, read-only, never blocking the server.

A query is read (a POST body is cut off at :data:`MAX_QUERY_BYTES` while it
arrives, never buffered whole), then vetted (updates, ``SERVICE`` and ``FROM``
are refused) and run on the server's query workers
(:mod:`jobarch.query.workers`), both under the time limit: the event loop
never parses a query, it only waits, so pages and other queries keep answering; a query
past its time limit, or whose client hung up, is stopped; when every worker
is busy and the queue is full the answer is 503 with ``Retry-After``. The
answer's size is capped in rows and bytes where it is computed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from rdflib import URIRef

from .. import api
from ..core.errors import JobarchError, QueryLimitError
from ..core.i18n import _
from .protocol import RESULT_TYPES, negotiate, serialize_result
from .site import remembered

MAX_QUERY_BYTES = 100_000
ROWS_ON_PAGE = 500  # an answer's rows shown on a page; the downloads carry them all
FILE_EXTENSIONS = {  # a downloaded answer's file name ends as its kind's files usually do
    "application/sparql-results+json": "srj",
    "application/json": "json",
    "application/sparql-results+xml": "srx",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdf",
}
RETRY_AFTER = "2"
INFERENCES_ON = ("on", "true", "1", "yes")


def sparql_endpoint(
    workers: api.QueryWorkers,
    timeout: float,
    limits: api.AnswerLimits,
    form: Callable[..., Any],
    base: str = "",
    inferred: Callable[[], tuple[api.QueryWorkers | None, str | None]] | None = None,
) -> Any:
    """The ``/sparql`` handler; ``form(**context)`` renders the HTML query form, with an answer or an error when
    the form asked for one (``format=html``: the answer on the page, not a download).

    ``?inferences=on`` runs the query over the architecture with its OWL-RL inferences, on the workers
    ``inferred()`` gives (with the reason they are not there yet: they are prepared in the background on first
    ask, and until then the answer is 503 with ``Retry-After``)."""
    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response

    def text(status: int, message: str, hint: str | None = None, headers: dict | None = None) -> Response:
        return PlainTextResponse(message + "\n" + (f"hint: {hint}\n" if hint else ""), status, headers=headers)

    async def endpoint(request: Request) -> Response:
        query = await _query_text(request)
        with_inferences = request.query_params.get("inferences", "") in INFERENCES_ON and inferred is not None
        if query is None:
            return form(inferences=with_inferences)
        on_page = _formats(request)[:1] == ["html"]
        chosen = workers
        if with_inferences and inferred is not None:
            ready, failed = inferred()
            if ready is None:
                message = failed or "the inferences are being computed (the first time takes a while at size)"
                status = 400 if failed else 503
                if on_page:
                    return form(query=query, inferences=True, error=message + ": try again shortly", status=status)
                return text(status, message, "try again shortly", None if failed else {"Retry-After": "10"})
            chosen = ready
        try:
            result = await chosen.run(query, timeout=timeout, limits=limits, disconnected=request.is_disconnected)
        except api.WorkersBusyError as exc:
            if on_page:
                message = f"{exc.message}: try again shortly"
                return form(query=query, inferences=with_inferences, error=message, status=503)
            return text(503, exc.message, "try again shortly", {"Retry-After": RETRY_AFTER})
        except api.ClientGoneError:
            return text(499, "client closed the request")
        except JobarchError as exc:
            status = 503 if isinstance(exc, QueryLimitError) else 400
            if on_page:
                return form(query=query, inferences=with_inferences, status=status, **error_context(exc, query))
            return text(status, where(exc) + exc.message, exc.hint)
        family = _family(result)
        try:
            return _answer(request, query, result, family, on_page, with_inferences)
        except JobarchError as exc:  # an answer that cannot be written (blank nodes too alike to name canonically)
            if on_page:
                message = exc.message + (f" ({exc.hint})" if exc.hint else "")
                return form(query=query, inferences=with_inferences, error=message, status=400)
            return text(400, exc.message, exc.hint)

    def _answer(
        request: Request, query: str, result: api.QueryResult, family: str, on_page: bool, inferences: bool
    ) -> Response:
        if on_page:
            turtle = serialize_result(result, "text/turtle") if family == "graph" else ""
            cells = linked_cells(result, base)
            return form(query=query, answer=result, turtle=turtle, cells=cells, inferences=inferences)
        accept = request.headers.get("accept", "")
        wanted = _formats(request)
        if family == "graph":  # the form's choices, for graphs
            wanted = [{"json": "json-ld", "xml": "rdfxml"}.get(w, w) for w in wanted]
        offered = RESULT_TYPES[family]
        kinds = [negotiate(accept, offered, w) for w in wanted] if wanted else [negotiate(accept, offered)]
        kind = next((k for k in kinds if k is not None), None)
        if kind is None:
            return text(406, "406: answers to this query are available as " + ", ".join(RESULT_TYPES[family]))
        headers = {"Vary": "Accept"}
        if wanted:  # the form (or a link) asked for a file: say what to call it
            headers["Content-Disposition"] = f'attachment; filename="jobarch-answer.{FILE_EXTENSIONS[kind]}"'
        return Response(serialize_result(result, kind), media_type=kind, headers=headers)

    async def _query_text(request: Request) -> str | None:
        if request.method == "GET":
            if "update" in request.query_params:
                raise HTTPException(400, "updates are refused: this endpoint is read-only")
            return _one_query(request.query_params.getlist("query"), request.query_params)
        body = await _bounded_body(request)
        ctype, _sep, params = request.headers.get("content-type", "").partition(";")
        ctype = ctype.strip().lower()
        charset = next((p.split("=", 1)[1].strip().strip('"').lower() for p in params.split(";") if "=" in p), "utf-8")
        if ctype in ("application/sparql-query", "application/x-www-form-urlencoded"):
            if charset not in ("utf-8", "utf8"):
                raise HTTPException(400, f"queries are UTF-8 (SPARQL 1.1 Protocol), not {charset}")
            try:
                body_text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise HTTPException(400, "the query is not valid UTF-8 (SPARQL 1.1 Protocol)") from None
        if ctype == "application/sparql-query":
            return body_text
        if ctype == "application/x-www-form-urlencoded":
            form_fields = parse_qs(body_text)
            if "update" in form_fields:
                raise HTTPException(400, "updates are refused: this endpoint is read-only")
            return _one_query(form_fields.get("query", []), form_fields)
        if ctype == "application/sparql-update":
            raise HTTPException(400, "updates are refused: this endpoint is read-only")
        raise HTTPException(415, "send application/sparql-query or an HTML form (application/x-www-form-urlencoded)")

    async def _bounded_body(request: Request) -> bytes:
        too_large = HTTPException(413, f"queries are limited to {MAX_QUERY_BYTES:,} bytes")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_QUERY_BYTES:
            raise too_large
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_QUERY_BYTES:
                raise too_large
        return bytes(body)

    def _one_query(queries: list[str], params: Any) -> str | None:
        """The Protocol's rules for a query operation: exactly one ``query``; a dataset we would not honour is
        refused. The endpoint answers over the architecture's union graph only, so ``default-graph-uri`` and
        ``named-graph-uri`` are refused rather than silently ignored (a client would trust a wrong answer)."""
        if len(queries) > 1:
            raise HTTPException(400, "give one query parameter, not several (SPARQL 1.1 Protocol)")
        for name in ("default-graph-uri", "named-graph-uri"):
            if name in params:
                raise HTTPException(400, f"{name} is not supported: this endpoint answers over the whole architecture")
        return queries[0] if queries else None

    return endpoint


def named_query_page(
    workers: api.QueryWorkers, timeout: float, limits: api.AnswerLimits, render: Callable[..., Any], base: str = ""
) -> Any:
    """``/queries/{name}``: a named query with its parameters as fields, defaults filled in, run on the query
    workers with the values bound (never pasted into the text) once every required parameter has one."""
    from starlette.requests import Request

    async def endpoint(request: Request) -> Any:
        try:
            named = api.named_query(request.path_params["name"])
        except JobarchError as exc:
            return render("error.html.j2", 404, title=_("No such query"), message=exc.message, hint=exc.hint or "")
        given = {p.name: request.query_params.get(p.name, "").strip()[:200] for p in named.params}
        values = {name: value for name, value in given.items() if value}
        title = _("Query: %(name)s") % {"name": named.name}
        context: dict[str, Any] = {"title": title, "named": named, "values": values}
        if any(p.required and p.name not in values for p in named.params):
            return render("query.html.j2", 200, **context)
        try:
            bindings = api.named_query_bindings(named, values)
            result = await workers.run(
                named.text, bindings, timeout=timeout, limits=limits, disconnected=request.is_disconnected
            )
        except api.ClientGoneError:
            return render("query.html.j2", 499, **context, error="client closed the request")
        except JobarchError as exc:
            status = 503 if isinstance(exc, (QueryLimitError, api.WorkersBusyError)) else 400
            return render(
                "query.html.j2", status, **context, error=exc.message + (f" ({exc.hint})" if exc.hint else "")
            )
        result = result.in_reader_languages()  # a bundled query: its texts in the reader's languages
        asked = request.query_params.get("format", "")  # a download link's short name, as /sparql takes them
        download = negotiate("", RESULT_TYPES["table"], asked) if asked else None
        if download is not None and result.kind == "SELECT":
            from starlette.responses import Response

            disposition = f'attachment; filename="{named.name}.{FILE_EXTENSIONS[download]}"'
            return Response(
                serialize_result(result, download), media_type=download, headers={"Content-Disposition": disposition}
            )
        return render("query.html.j2", 200, **context, answer=result, cells=linked_cells(result, base))

    return remembered(endpoint)  # an answer follows the data, its parameters and languages: kept as any page


def where(exc: JobarchError) -> str:
    """``line 3, column 16: `` for an error the parser placed, else nothing."""
    location = exc.location
    if location is None or location.line is None:
        return ""
    return f"line {location.line}" + (f", column {location.col}" if location.col is not None else "") + ": "


def error_context(exc: JobarchError, query: str) -> dict[str, Any]:
    """A query's error for the form: the message with its line and column, and the line it points at."""
    context: dict[str, Any] = {"error": where(exc) + exc.message + (f" ({exc.hint})" if exc.hint else "")}
    location = exc.location
    if location is not None and location.line is not None:
        lines = query.splitlines()
        if 0 < location.line <= len(lines):
            context["error_line"] = (location.line, lines[location.line - 1], location.col)
    return context


def linked_cells(result: api.QueryResult, base: str) -> list[list[tuple[str, str | None]]]:
    """An answer's rows as (text, link) cells: the architecture's IRIs link to their pages on this server, other
    web IRIs to themselves."""

    def cell(term: Any) -> tuple[str, str | None]:
        if term is None:
            return "", None
        value = str(term)
        if isinstance(term, URIRef):
            if base and value.startswith(base):
                return value, "/" + value[len(base) :]
            if value.startswith(("http://", "https://")):
                return value, value
        return value, None

    rows = result.rows[:ROWS_ON_PAGE] if result.kind == "SELECT" else []
    return [[cell(term) for term in row] for row in rows]


def _formats(request: Any) -> list[str]:
    """``?format=`` as clients send it: SPARQLWrapper repeats the parameter and may give a comma-separated list
    of media types; each is tried in turn."""
    return [
        part.strip() for value in request.query_params.getlist("format") for part in value.split(",") if part.strip()
    ]


def _family(result: api.QueryResult) -> str:
    return "graph" if result.kind in ("CONSTRUCT", "DESCRIBE") else "table"
