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
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import api
from . import browse, journeys
from .guard import Guard
from .language import ReaderLanguage, switch
from .site import Limits, Site
from .sparql import named_query_page, sparql_endpoint
from .starting import Starting

__all__ = ["Limits", "create_app", "serve"]

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
ROBOTS = "User-agent: *\nAllow: /\nDisallow: /sparql\n"  # pages may be indexed; crawlers never run queries
STATIC = Path(__file__).resolve().parent / "static"


class CachedStatic(StaticFiles):
    """The stylesheet and icon change only with jobarch: browsers may keep them a day."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response


async def http_error(request: Request, exc: HTTPException) -> Response:
    return PlainTextResponse(f"{exc.detail}\n", exc.status_code)


def create_app(
    store: api.Store,
    index: api.AdjacencyIndex | None = None,
    settings: Limits | None = None,
    data: Sequence = (),
    workers: api.QueryWorkers | None = None,
) -> Starlette:
    """The web application over a loaded store (any backend); ``/sparql`` runs on ``workers`` (started here
    when not given) and stops them when the application shuts down."""
    settings = settings or Limits()
    workers = workers or api.query_workers(store, settings.workers, settings.queue, settings.query_memory)
    site = Site(store, settings, data, index)
    limits = api.AnswerLimits(settings.max_rows, settings.max_answer_bytes)
    sparql = sparql_endpoint(
        workers,
        settings.query_timeout,
        limits,
        lambda status=200, **context: browse.page(
            "sparql.html.j2",
            status,
            title="SPARQL",
            examples=api.queries(),
            already_inferred=store.holds_derived(),
            **context,
        ),
        site.base,
        lambda: (site.inference_workers(), site.inference_error),
    )
    named = named_query_page(workers, settings.query_timeout, limits, browse.page, site.base)
    routes = [
        Route("/", browse.home),
        Route("/foci/{code}", browse.focus),
        Route("/foci/{code}/ladder", browse.ladder),
        Route("/levels", browse.levels),
        Route("/levels/{code}", browse.level),
        Route("/profiles/{code}", browse.profile),
        Route("/functions/{code}", browse.function),
        Route("/families/{code}", browse.family),
        Route("/compare", journeys.compare),
        Route("/search", journeys.search),
        Route("/skills", journeys.skill),
        Route("/path", journeys.career_path),
        Route("/match", journeys.match),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/language", switch),
        Route("/queries/{name}", named),
        Route("/profiles", lambda request: RedirectResponse("/")),
        Route("/favicon.ico", lambda request: RedirectResponse("/static/favicon.svg", 301)),
        Route("/robots.txt", lambda request: PlainTextResponse(ROBOTS)),
        Mount("/static", CachedStatic(directory=str(STATIC)), name="static"),
        Route("/{path:path}", browse.resource),  # last: the data's own IRIs, mapped onto the base
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # pages are rendered on this many threads at once, the others wait their turn: pages need the one
        # interpreter lock, and forty threads taking turns every 5 ms finish every page late instead of most early
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.page_threads
        site.adjacency_soon(wait=0)  # built in the background while the server answers
        threading.Thread(target=site.warm, daemon=True, name="jobarch-warm").start()
        yield
        workers.close()  # on shutdown: a running query is stopped with its worker
        site.close()

    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts), www_redirect=False),
        Middleware(Guard),
        Middleware(ReaderLanguage),
        Middleware(GZipMiddleware, minimum_size=1024),
    ]
    handlers: dict[Any, Any] = {HTTPException: http_error}
    app = Starlette(routes=routes, exception_handlers=handlers, middleware=middleware, lifespan=lifespan)
    app.state.site = site
    return app


def serve(
    data: Sequence = (),
    store: str | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    settings: Limits | None = None,
) -> None:
    """Serve the architecture until interrupted (loopback unless told otherwise). The server listens at once and
    opens the store meanwhile (:mod:`.starting`); a store that cannot be opened stops it with that error."""
    import uvicorn

    settings = settings or Limits()

    def build() -> Starlette:
        backend = api.open_architecture(data, store)
        workers = api.query_workers(backend, settings.workers, settings.queue, settings.query_memory)
        workers.warm()  # the first queries do not pay for opening the store
        # the adjacency and search indexes are built in the background (the application's lifespan): pages that
        # need them say so meanwhile (see Site.soon), the others answer at once
        return create_app(backend, settings=settings, data=data, workers=workers)

    def stop() -> None:
        server.should_exit = True

    starting = Starting(build, stop)
    # SIGTERM or Ctrl-C: stop accepting, give requests in flight 2 s, then stop the workers (and their queries)
    config = uvicorn.Config(starting, host=host, port=port, log_level="info", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    server.run()
    if starting.error is not None:
        raise starting.error
