"""`jobarch serve`: the architecture in the browser, and a read-only SPARQL endpoint.

A thin edge over the library: every page is a :mod:`jobarch.api` call rendered
by a Jinja2 template with autoescaping on (labels are data, never markup).
Profiles answer as HTML, Turtle or JSON-LD by content negotiation, so the
pages are linked data. ``/sparql`` follows the SPARQL 1.1 Protocol for
queries only: updates, ``SERVICE`` and ``FROM`` are refused, every query runs
under a time limit in a worker process, and answers above a row limit are
refused rather than silently cut.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .. import api
from ..core.errors import JobarchError
from ..domain.adjacency import AdjacencyIndex
from ..graph.serialize import serialize_graph
from ..graph.terms import integer, text
from ..query.workers import AnswerLimits, QueryWorkers
from ..store import Store
from .guard import LOOPBACK, Guard
from .protocol import negotiate
from .sparql import sparql_endpoint

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
SEARCH_LIMIT = 500


STATIC = Path(__file__).resolve().parent / "static"


@dataclass
class Limits:
    """What a deployment may tune: the endpoint's limits and how many adjacent roles a page shows."""

    query_timeout: float = 30.0
    max_rows: int = 10_000
    max_answer_bytes: int = 50 * 1024 * 1024
    workers: int = 2  # query worker processes
    queue: int = 8  # queries that may wait for a worker; beyond, 503 + Retry-After
    adjacent: int = 5
    allowed_hosts: tuple[str, ...] = LOOPBACK


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("jobarch.web", "templates"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render(template: str, **context) -> str:
    return _environment().get_template(template).render(**context)


def create_app(
    store: Store,
    index: AdjacencyIndex | None = None,
    settings: Limits | None = None,
    data: Sequence = (),
    workers: QueryWorkers | None = None,
):
    """The web application over a loaded store (any backend); ``/sparql`` runs on ``workers`` (started here
    when not given) and stops them when the application shuts down."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.middleware.gzip import GZipMiddleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    settings = settings or Limits()
    workers = workers or api.query_workers(store, settings.workers, settings.queue)

    def adjacency() -> AdjacencyIndex | None:
        nonlocal index
        if index is None:
            try:
                index = api.adjacency_index(store, data)
            except JobarchError:
                return None
        return index

    def page(template: str, status: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(render(template, **context), status_code=status)

    def not_found(message: str, hint: str = "") -> HTMLResponse:
        return page("error.html.j2", 404, title="Not found", message=message, hint=hint)

    def home(request: Request) -> HTMLResponse:
        rows = api.query(store, "taxonomy", timeout=None).dicts()
        functions: dict[str, dict] = {}
        for r in rows:
            fn = functions.setdefault(
                str(r["functionCode"]), {"label": text(r["function"]), "families": {}, "profiles": 0}
            )
            fam = fn["families"].setdefault(
                str(r["familyCode"]), {"label": text(r["family"]), "foci": [], "profiles": 0}
            )
            count = integer(r["profiles"]) or 0
            fam["foci"].append({"code": str(r["focusCode"]), "label": text(r["focus"]), "profiles": count})
            fam["profiles"] += count
            fn["profiles"] += count
        levels = api.query(store, "levels", timeout=None).dicts()
        return page("home.html.j2", title="Job architecture", functions=functions, levels=levels)

    def focus(request: Request) -> HTMLResponse:
        code = request.path_params["code"]
        rows = api.focus_profiles(store, code)
        if not rows:
            return not_found(f"No focus with code {code!r}.", "Browse the architecture from the home page.")
        head = rows[0]
        return page(
            "focus.html.j2",
            title=text(head["focusLabel"]) or code,
            code=code,
            head=head,
            profiles=[r for r in rows if r["code"] is not None],
        )

    def level(request: Request) -> HTMLResponse:
        code = request.path_params["code"]
        rows = api.query(store, "profiles_at_level", params={"level": code}, timeout=None).dicts()
        if not rows:
            return not_found(f"No profiles at level {code!r}.", "The home page lists every level.")
        return page("level.html.j2", title=f"Level {code}", code=code, profiles=rows)

    def profile(request: Request) -> Response:
        code = request.path_params["code"]
        kind = negotiate(request.headers.get("accept", ""), PROFILE_TYPES, request.query_params.get("format"))
        if kind is None:
            return PlainTextResponse("406: this profile is available as " + ", ".join(PROFILE_TYPES), 406)
        if kind != "text/html":
            try:
                graph = api.profile_graph(store, code)
            except JobarchError as exc:
                return PlainTextResponse(f"{exc.message}\n{exc.hint or ''}\n", 404)
            return Response(serialize_graph(graph, PROFILE_TYPES[kind]), media_type=kind, headers={"Vary": "Accept"})
        try:
            found = api.profile(store, code)
        except JobarchError as exc:
            return not_found(exc.message, exc.hint or "")
        neighbours, note = None, "Not computed: the adjacency model is missing."
        if (idx := adjacency()) is not None:
            try:
                neighbours, note = idx.nearest(code, k=settings.adjacent), ""
            except JobarchError as exc:
                note = f"Not computed: {exc.message}."
        response = page(
            "profile.html.j2", title=found.page_title, p=found, adjacent=neighbours or [], adjacent_note=note
        )
        response.headers["Vary"] = "Accept"
        return response

    def compare(request: Request) -> HTMLResponse:
        codes = [c.strip() for c in request.query_params.get("codes", "").split(",") if c.strip()]
        if not 2 <= len(codes) <= 3:
            return page(
                "error.html.j2",
                400,
                title="Compare",
                message="Compare takes two or three profile codes.",
                hint="For example: /compare?codes=A,B",
            )
        idx = adjacency()
        if idx is None:
            return page("error.html.j2", 400, title="Compare", message="The adjacency model is missing.", hint="")
        try:
            result = api.compare_profiles(store, idx, codes)
        except JobarchError as exc:
            return not_found(exc.message, exc.hint or "")
        return page("compare.html.j2", title="Compare " + " · ".join(codes), comparison=result, codes=codes)

    def search(request: Request) -> HTMLResponse:
        q = request.query_params.get("q", "").strip()
        profiles: list[dict] = []
        skills: list[dict] = []
        if q:
            profiles, skills = api.search(store, q)
        return page(
            "search.html.j2",
            title=f"Search: {q}" if q else "Search",
            q=q,
            profiles=profiles[:SEARCH_LIMIT],
            more=len(profiles) > SEARCH_LIMIT,
            skills=skills,
        )

    def skill(request: Request) -> HTMLResponse:
        name = request.query_params.get("name", "")
        rows = api.query(store, "profiles_needing_skill", params={"skill": name}, timeout=None).dicts() if name else []
        return page("skill.html.j2", title=f"Skill: {name}", name=name, profiles=rows)

    async def http_error(request: Request, exc: HTTPException) -> Response:
        return PlainTextResponse(f"{exc.detail}\n", exc.status_code)

    sparql = sparql_endpoint(
        workers,
        settings.query_timeout,
        AnswerLimits(settings.max_rows, settings.max_answer_bytes),
        lambda: page("sparql.html.j2", title="SPARQL"),
    )
    routes = [
        Route("/", home),
        Route("/foci/{code}", focus),
        Route("/levels/{code}", level),
        Route("/profiles/{code}", profile),
        Route("/compare", compare),
        Route("/search", search),
        Route("/skills", skill),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/profiles", lambda request: RedirectResponse("/")),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    handlers: dict[Any, Any] = {HTTPException: http_error}

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        yield
        workers.close()  # on shutdown: a running query is stopped with its worker

    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts), www_redirect=False),
        Middleware(Guard),
        Middleware(GZipMiddleware, minimum_size=1024),
    ]
    return Starlette(routes=routes, exception_handlers=handlers, middleware=middleware, lifespan=lifespan)


PROFILE_TYPES = {
    "text/html": "html",
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}


def serve(
    data: Sequence = (),
    store: str | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    settings: Limits | None = None,
) -> None:
    """Load the architecture and serve it until interrupted (loopback unless told otherwise)."""
    import uvicorn

    backend = api.open_architecture(data, store)
    try:
        index = api.adjacency_index(backend, data)  # built now, not on the first visitor's time
    except JobarchError as exc:
        print(f"adjacency not available: {exc.message}; pages will say so", flush=True)
        index = None
    settings = settings or Limits()
    workers = api.query_workers(backend, settings.workers, settings.queue)
    workers.warm()  # the first queries do not pay for opening the store
    app = create_app(backend, index, settings=settings, data=data, workers=workers)
    try:
        # SIGTERM or Ctrl-C: stop accepting, give requests in flight 5 s, then stop the workers (and their queries)
        uvicorn.run(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=5)
    finally:
        workers.close()
