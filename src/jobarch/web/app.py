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
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from rdflib import Graph, URIRef

from .. import api
from ..core.errors import JobarchError
from ..core.namespaces import JA
from ..domain.adjacency import AdjacencyIndex
from ..graph.terms import integer, text
from ..query.workers import DEFAULT_MEMORY as DEFAULT_QUERY_MEMORY
from ..query.workers import AnswerLimits, QueryWorkers
from ..store import Store
from .guard import LOOPBACK, Guard
from .linked import iri_for_path, label_of, not_acceptable, page_of, rdf_response, wanted_type
from .overview import ROW, WIDTH, icicle
from .sparql import sparql_endpoint

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
SEARCH_LIMIT = 500
MATCH_LIMIT = 20
ROBOTS = "User-agent: *\nAllow: /\nDisallow: /sparql\n"  # pages may be indexed; crawlers never run queries


STATIC = Path(__file__).resolve().parent / "static"


@dataclass
class Limits:
    """What a deployment may tune: the endpoint's limits and how many adjacent roles a page shows."""

    query_timeout: float = 30.0
    max_rows: int = 10_000
    max_answer_bytes: int = 50 * 1024 * 1024
    workers: int = 2  # query worker processes
    query_memory: int | None = DEFAULT_QUERY_MEMORY  # bytes one /sparql query may allocate (None: unbounded)
    queue: int = 8  # queries that may wait for a worker; beyond, 503 + Retry-After
    adjacent: int = 5
    allowed_hosts: tuple[str, ...] = LOOPBACK
    base_iri: str | None = None  # the IRI the server's paths map onto (default: the architecture's namespace)


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
    workers = workers or api.query_workers(store, settings.workers, settings.queue, settings.query_memory)

    class CachedStatic(StaticFiles):
        """The stylesheet and icon change only with jobarch: browsers may keep them a day."""

        def file_response(self, *args: Any, **kwargs: Any) -> Response:
            response = super().file_response(*args, **kwargs)
            response.headers["Cache-Control"] = "public, max-age=86400"
            return response

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

    def not_found(message: str, hint: str = "", links: Sequence[tuple[str, str]] = ()) -> HTMLResponse:
        return page("error.html.j2", 404, title="Not found", message=message, hint=hint, links=list(links))

    base = settings.base_iri or api.architecture_base(store) or ""

    def described(request: Request, type_: URIRef, code: str, html: Callable[[], Response]) -> Response:
        """A coded resource's page: HTML for a browser, its triples for an RDF client (by Accept)."""
        wanted = wanted_type(request)
        if wanted is None:
            return not_acceptable()
        if wanted != "text/html":
            iri = api.coded_resource(store, type_, code)
            if iri is None:
                message, hint = f"404: no {type_.fragment} with code {code!r}", ""
                if type_ == JA.JobProfile:  # say which codes are near
                    error = api.unknown_profile(store, code)
                    message, hint = f"404: {error.message}", error.hint or ""
                return PlainTextResponse(f"{message}\n{hint}\n", 404)
            return rdf_response(store, iri, wanted, str(request.url.replace(query="")))
        response = html()
        response.headers["Vary"] = "Accept"
        return response

    @cache
    def taxonomy() -> dict[str, dict]:  # the store does not change while it is served: computed once
        return taxonomy_tree(api.query(store, "taxonomy", timeout=None).dicts())

    @cache
    def home_page() -> str:
        levels = api.query(store, "levels", timeout=None).dicts()
        glance = api.family_level_counts(store)
        segments, rows = icicle(taxonomy())
        return render(
            "home.html.j2",
            title="Job architecture",
            functions=taxonomy(),
            levels=levels,
            glance=glance,
            picture={"segments": segments, "rows": rows, "width": WIDTH, "row": ROW},
        )

    def home(request: Request) -> HTMLResponse:
        return HTMLResponse(home_page())

    def function(request: Request) -> Response:
        code = request.path_params["code"]

        def html() -> Response:
            found = taxonomy().get(code)
            if found is None:
                return not_found(f"No function with code {code!r}.", "Browse the architecture from the home page.")
            grid = api.ladder_grid(store, code)
            return page("function.html.j2", title=found["label"] or code, code=code, fn=found, grid=grid)

        return described(request, JA.Function, code, html)

    def family(request: Request) -> Response:
        code = request.path_params["code"]

        def html() -> Response:
            for fn_code, fn in taxonomy().items():
                if code in fn["families"]:
                    fam = fn["families"][code]
                    grid = api.ladder_grid(store, code)
                    title = fam["label"] or code
                    return page("family.html.j2", title=title, code=code, fam=fam, fn=fn, fn_code=fn_code, grid=grid)
            return not_found(f"No family with code {code!r}.", "Browse the architecture from the home page.")

        return described(request, JA.JobFamily, code, html)

    def focus(request: Request) -> Response:
        code = request.path_params["code"]

        def html() -> Response:
            rows = api.focus_profiles(store, code)
            if not rows:
                return not_found(f"No focus with code {code!r}.", "Browse the architecture from the home page.")
            head = rows[0]
            return page(
                "focus.html.j2",
                title=text(head["focusLabel"]) or code,
                code=code,
                head=head,
                about=api.focus_overview(store, code),
                profiles=[r for r in rows if r["code"] is not None],
            )

        return described(request, JA.Focus, code, html)

    def level(request: Request) -> Response:
        code = request.path_params["code"]

        def html() -> Response:
            overview = api.level_overview(store, code)
            if overview is None:
                return not_found(f"No level {code!r}.", "The home page lists every level.", [("/", "Browse")])
            rows = api.query(store, "profiles_at_level", params={"level": code}, timeout=None).dicts()
            title = f"Level {code}" + (f" — {overview.level.label}" if overview.level.label else "")
            return page("level.html.j2", title=title, code=code, lv=overview, profiles=rows)

        return described(request, JA.Level, code, html)

    def profile(request: Request) -> Response:
        code = request.path_params["code"]
        return described(request, JA.JobProfile, code, lambda: profile_page(code))

    def profile_page(code: str) -> Response:
        try:
            found = api.profile(store, code)
        except JobarchError as exc:
            near = api.similar_profile_codes(store, code)
            links = [(f"/profiles/{quote(c, safe='')}", c) for c in near]
            hint = "Did you mean one of these?" if near else ""
            links.append((f"/search?q={quote(code)}", f"Search for “{code}”"))
            return not_found(exc.message, hint, links)
        neighbours, note = None, "Not computed: the adjacency model is missing."
        if (idx := adjacency()) is not None:
            try:
                neighbours, note = idx.nearest(code, k=settings.adjacent), ""
            except JobarchError as exc:
                note = f"Not computed: {exc.message}."
        return page("profile.html.j2", title=found.page_title, p=found, adjacent=neighbours or [], adjacent_note=note)

    def resource(request: Request) -> Response:
        """Any IRI of the data under the base: a browser goes to its page, an RDF client gets its triples."""
        iri = iri_for_path(base, request.url.path)
        kind = api.resource_kind(store, iri) if base and iri is not None else None
        if kind is None or iri is None:
            return not_found(f"Nothing here: {request.url.path}", "Browse the architecture from the home page.")
        wanted = wanted_type(request)
        if wanted is None:
            return not_acceptable()
        target = page_of(kind)
        if wanted != "text/html":
            here = str(request.url.replace(query=""))  # no page of its own: the generic page at this very path
            page_url = str(request.base_url).rstrip("/") + target if target else here
            return rdf_response(store, iri, wanted, page_url)
        if target:
            return RedirectResponse(target, 303, headers={"Vary": "Accept"})
        graph = api.resource_graph(store, iri)
        return page("resource.html.j2", title=label_of(graph, iri), iri=str(iri), rows=resource_rows(graph, iri))

    def compare(request: Request) -> HTMLResponse:
        codes = [c.strip() for c in request.query_params.get("codes", "").split(",") if c.strip()]
        only = request.query_params.get("only") == "differences"
        context: dict[str, Any] = {"title": "Compare", "codes": codes, "only_differences": only, "comparison": None}
        if not codes:
            return page("compare.html.j2", **context)
        if not 2 <= len(codes) <= 3:
            return page("compare.html.j2", 400, **context, message="Compare takes two or three profile codes.")
        idx = adjacency()
        if idx is None:
            return page("error.html.j2", 400, title="Compare", message="The adjacency model is missing.", hint="")
        try:
            result = api.compare_profiles(store, idx, codes)
        except JobarchError as exc:
            return not_found(exc.message, "Choose the profiles again on the compare page.", [("/compare", "Compare")])
        return page("compare.html.j2", **{**context, "title": "Compare " + " · ".join(codes), "comparison": result})

    def career_path(request: Request) -> HTMLResponse:
        start = request.query_params.get("from", "").strip()
        goal = request.query_params.get("to", "").strip()
        band = request.query_params.get("band", "partial").strip()
        idx = adjacency()
        bands = [b.label for b in idx.model.bands] if idx is not None else []
        context: dict[str, Any] = {"title": "Career path", "start": start, "goal": goal, "band": band, "bands": bands}
        if not (start and goal):
            return page("path.html.j2", **context, steps=[], message="", hint="")
        if idx is None:
            return page("path.html.j2", 400, **context, steps=[], message="The adjacency model is missing.", hint="")
        try:
            steps = api.path(store, idx, start, goal, band)
        except JobarchError as exc:
            return page("path.html.j2", 404, **context, steps=[], message=exc.message, hint=exc.hint or "")
        return page("path.html.j2", **context, steps=steps, message="", hint="")

    index_lock = threading.Lock()

    @cache
    def _search_index() -> Any:
        return api.search_index(store)

    def search_index() -> Any:
        """Built once (warmed at start-up; a search arriving first waits for that build instead of starting a
        second one), kept while the server runs."""
        with index_lock:
            return _search_index()

    def search(request: Request) -> HTMLResponse:
        q = request.query_params.get("q", "").strip()[:200]
        chosen = {
            name: request.query_params.get(name, "").strip()[:40] for name in ("function", "family", "track", "level")
        }
        filters = api.search_filters(**chosen)
        found, skills = api.search(store, q, search_index(), filters) if q else (None, [])
        hits = found.hits if found is not None else []
        return page(
            "search.html.j2",
            title=f"Search: {q}" if q else "Search",
            q=q,
            hits=hits[:SEARCH_LIMIT],
            more=len(hits) > SEARCH_LIMIT,
            suggestion=found.suggestion if found is not None else None,
            facets=found.facets if found is not None else {},
            chosen=chosen,
            skills=skills,
        )

    @cache
    def scale() -> list:  # the store does not change while it is served: read once
        return api.proficiency_scale(store)

    def match(request: Request) -> HTMLResponse:
        text = request.query_params.get("skills", "")[:4000]
        wanted = [line.strip() for line in text.splitlines() if line.strip()][:50]
        context: dict[str, Any] = {"title": "Match my skills", "skills_text": text, "scale": scale()}
        if not wanted:
            return page("match.html.j2", **context, matches=[], message="", hint="")
        try:
            found = api.match(store, wanted, MATCH_LIMIT)
        except JobarchError as exc:
            return page("match.html.j2", 400, **context, matches=[], message=exc.message, hint=exc.hint or "")
        return page("match.html.j2", **context, matches=found, message="", hint="")

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
        lambda status=200, **context: page(
            "sparql.html.j2", status, title="SPARQL", examples=api.runnable_queries(), **context
        ),
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
        Route("/path", career_path),
        Route("/match", match),
        Route("/functions/{code}", function),
        Route("/families/{code}", family),
        Route("/profiles", lambda request: RedirectResponse("/")),
        Route("/favicon.ico", lambda request: RedirectResponse("/static/favicon.svg", 301)),
        Route("/robots.txt", lambda request: PlainTextResponse(ROBOTS)),
        Mount("/static", CachedStatic(directory=str(STATIC)), name="static"),
        Route("/{path:path}", resource),  # last: the data's own IRIs, mapped onto the base
    ]
    handlers: dict[Any, Any] = {HTTPException: http_error}

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        threading.Thread(target=search_index, daemon=True, name="jobarch-search-index").start()  # warm it now
        yield
        workers.close()  # on shutdown: a running query is stopped with its worker

    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts), www_redirect=False),
        Middleware(Guard),
        Middleware(GZipMiddleware, minimum_size=1024),
    ]
    return Starlette(routes=routes, exception_handlers=handlers, middleware=middleware, lifespan=lifespan)


def taxonomy_tree(rows: list[dict]) -> dict[str, dict]:
    """The taxonomy query's rows as functions -> families -> foci, with profile counts at each step."""
    functions: dict[str, dict] = {}
    for r in rows:
        fn = functions.setdefault(str(r["functionCode"]), {"label": text(r["function"]), "families": {}, "profiles": 0})
        fam = fn["families"].setdefault(str(r["familyCode"]), {"label": text(r["family"]), "foci": [], "profiles": 0})
        count = integer(r["profiles"]) or 0
        fam["foci"].append({"code": str(r["focusCode"]), "label": text(r["focus"]), "profiles": count})
        fam["profiles"] += count
        fn["profiles"] += count
    return functions


def resource_rows(graph: Graph, iri: URIRef) -> list[tuple[str, str, bool]]:
    """A resource's statements as (property, value, value is a link) rows for the generic resource page."""
    rows = []
    for p, o in sorted(graph.predicate_objects(iri), key=lambda po: (str(po[0]), str(po[1]))):
        prop = graph.namespace_manager.normalizeUri(p) if isinstance(p, URIRef) else str(p)
        rows.append((prop, str(o), isinstance(o, URIRef)))
    return rows


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
    workers = api.query_workers(backend, settings.workers, settings.queue, settings.query_memory)
    workers.warm()  # the first queries do not pay for opening the store
    app = create_app(backend, index, settings=settings, data=data, workers=workers)
    try:
        # SIGTERM or Ctrl-C: stop accepting, give requests in flight 2 s, then stop the workers (and their queries)
        uvicorn.run(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=2)
    finally:
        workers.close()
