"""What every page of ``jobarch serve`` shares: the store, the limits, and views derived from the data.

A view (the taxonomy tree, the home page, the adjacency model, the search
index) is costly to compute and cheap to keep, so it is kept — but only for
the data it was computed from. A store that fingerprints its data (the
embedded ones) keys each view on that fingerprint; a store that cannot (a
shared SPARQL server that another process loads) has its views recomputed
once they are ``Limits.refresh_after`` seconds old. Two requests that need
the same view while it is computed wait for one computation.

Whole pages are kept the same way (:func:`remembered`): a page is a function of
the data, its address and the reader's languages, so the second reader of a
page gets the bytes the first one was sent, until the data changes. The
pages kept are bounded by their size (``Limits.kept_pages_bytes``), the
least recently read going first.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import Response

from .. import api
from ..core import languages
from ..core.errors import JobarchError
from ..present.translations import install as install_translations
from .guard import LOOPBACK
from .language import switcher
from .linked import wanted_type

T = TypeVar("T")
EVERY_LANGUAGE = {"adjacency", "search"}  # views that hold every language's texts (see Site._key)


@dataclass
class Limits:
    """What a deployment may tune: the endpoint's limits, how many adjacent roles a page shows, how long a view
    of a store that cannot fingerprint its data is kept."""

    query_timeout: float = 30.0
    max_rows: int = 10_000
    max_answer_bytes: int = 50 * 1024 * 1024
    workers: int = 2  # query worker processes
    query_memory: int | None = api.DEFAULT_QUERY_MEMORY  # bytes one /sparql query may allocate (None: unbounded)
    queue: int = 8  # queries that may wait for a worker; beyond, 503 + Retry-After
    adjacent: int = 5
    allowed_hosts: tuple[str, ...] = LOOPBACK
    base_iri: str | None = None  # the IRI the server's paths map onto (default: the architecture's namespace)
    refresh_after: float = 30.0  # seconds; only for stores without a fingerprint (sparql:URL)
    kept_pages_bytes: int = 64 * 1024 * 1024  # rendered pages kept for their next reader (0: none)
    page_threads: int = 4  # pages rendered at once (they share one interpreter lock); the others queue


@dataclass(frozen=True)
class Pickers:
    """What the pickers offer as a person types: profiles (code, title) and skill names. A list longer than
    ``LIMIT`` is left out (it would weigh more than the page): the fields still take codes, titles and words."""

    profiles: list[tuple[str, str]]
    skills: list[str]
    LIMIT = 1500


class Site:
    """The state behind the routes (``request.app.state.site``)."""

    def __init__(
        self, store: api.Store, settings: Limits, data: Sequence = (), index: api.AdjacencyIndex | None = None
    ) -> None:
        self.store, self.settings, self.data = store, settings, data
        self.base = settings.base_iri or api.architecture_base(store) or ""
        self._views: dict[str, tuple[object, Any]] = {}
        self._locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
        self._background: dict[str, threading.Thread] = {}
        if index is not None:
            self._views[self._key("adjacency")] = (self.version(), index)
        self._pages: OrderedDict[tuple[str, ...], tuple[object, int, bytes, list]] = OrderedDict()
        self._pages_bytes = 0
        self._inferences: api.QueryWorkers | None = None  # query workers over the files and their inferences
        self._inferred_store: api.Store | None = None
        self._inferring: threading.Thread | None = None
        self.inference_error: str | None = None

    # ------------------------------------------------------------------ queries with inferences
    def inference_workers(self) -> api.QueryWorkers | None:
        """The query workers over the architecture with its OWL-RL inferences (:func:`api.open_with_inferences`),
        prepared in the background when first asked for: None while they are being prepared (or failed: see
        ``inference_error``). Never blocks a request."""
        with self._locks["inferences"]:
            if self._inferences is None and self._inferring is None:
                self._inferring = threading.Thread(target=self._prepare_inferences, daemon=True, name="jobarch-infer")
                self._inferring.start()
            return self._inferences

    def _prepare_inferences(self) -> None:
        try:
            store = self._inferred_store = api.open_with_inferences(self.data)
            workers = api.query_workers(store, 1, self.settings.queue, self.settings.query_memory)
            workers.warm()
            self._inferences = workers
        except JobarchError as exc:
            self.inference_error = exc.message

    def close(self) -> None:
        """Stop what the site started (the inference workers) and release the store they read (its lock)."""
        if self._inferences is not None:
            self._inferences.close()
        if self._inferred_store is not None:
            self._inferred_store.close()

    def version(self) -> object:
        """The version of the data what is computed now is for: the store's fingerprint, or (a store without an
        exact one) when it was read."""
        fingerprint = self.store.fingerprint()
        if fingerprint is not None and self.store.fingerprint_exact:
            return fingerprint
        return ("read at", time.monotonic(), fingerprint)

    def _key(self, name: str) -> str:
        """Views hold the data's texts in the reader's languages: one per chain, except those that hold every
        language (the adjacency and search indexes choose a title when asked)."""
        return name if name in EVERY_LANGUAGE else f"{name}@{languages.choice_key()}"

    def _held(self, name: str) -> tuple[bool, Any]:
        """Whether a view is held for the data as it is now, and the view held."""
        held = self._views.get(self._key(name))
        if held is None:
            return False, None
        version, value = held
        return self._current(version), value

    def _current(self, version: object) -> bool:
        """Whether what was computed at ``version`` (:meth:`version`) still holds for the data."""
        if isinstance(version, tuple):  # no exact fingerprint: fresh for a while, unless it says the data changed
            young = time.monotonic() - version[1] < self.settings.refresh_after
            return young and (version[2] is None or version[2] == self.store.fingerprint())
        return version == self.store.fingerprint()

    # ------------------------------------------------------------------ whole pages
    def recall(self, key: tuple[str, ...]) -> Response | None:
        """The page kept under ``key`` if the data has not changed since it was rendered."""
        with self._locks["pages"]:
            held = self._pages.get(key)
            if held is None:
                return None
            if not self._current(held[0]):
                self._drop_page(key)
                return None
            self._pages.move_to_end(key)
        _, status, body, headers = held
        response = Response(body, status)
        response.raw_headers = list(headers)  # a copy: the middlewares add to the list they are sent
        return response

    def remember(self, key: tuple[str, ...], version: object, response: Response) -> Response:
        """Keep a complete page (200, not marked ``no-store``) rendered from the data at ``version``; returns it."""
        body = getattr(response, "body", None)
        if (
            response.status_code != 200
            or not isinstance(body, bytes)
            or "no-store" in response.headers.get("cache-control", "")
        ):
            return response
        size = len(body) + sum(len(k) for k in key)
        if size > self.settings.kept_pages_bytes // 8:  # no single page may push most of the others out
            return response
        with self._locks["pages"]:
            self._drop_page(key)
            self._pages[key] = (version, response.status_code, body, list(response.raw_headers))
            self._pages_bytes += size
            while self._pages_bytes > self.settings.kept_pages_bytes:
                self._drop_page(next(iter(self._pages)))
        return response

    def _drop_page(self, key: tuple[str, ...]) -> None:
        held = self._pages.pop(key, None)
        if held is not None:
            self._pages_bytes -= len(held[2]) + sum(len(k) for k in key)

    def soon(self, name: str, compute: Callable[[], T], wait: float) -> tuple[bool, T | None]:
        """A view if it is ready within ``wait`` seconds: (True, value); else (False, None) while it is computed
        in the background, so that a page can say "being computed" rather than keep its reader waiting."""
        fresh, value = self._held(name)
        if fresh:
            return True, value
        with self._locks["background"]:
            worker = self._background.get(self._key(name))
            if worker is None or not worker.is_alive():
                worker = threading.Thread(
                    target=contextvars.copy_context().run,  # in the reader's languages
                    args=(self.view, name, compute),
                    daemon=True,
                    name=f"jobarch-{name}",
                )
                self._background[self._key(name)] = worker
                worker.start()
        worker.join(wait)
        fresh, value = self._held(name)
        return (True, value) if fresh else (False, None)

    def view(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()`` for the data as it is now, computed once per version of the data."""
        fresh, value = self._held(name)
        if fresh:
            return value
        with self._locks[self._key(name)]:
            fresh, value = self._held(name)
            if not fresh:
                version = self.version()
                value = compute()
                self._views[self._key(name)] = (version, value)
            return value

    # ------------------------------------------------------------------ the views
    def adjacency(self) -> api.AdjacencyIndex | None:
        """The adjacency model, or None when the architecture lacks what it needs (pages say so)."""
        return self.view("adjacency", self._build_adjacency)

    def adjacency_soon(self, wait: float = 1.0) -> tuple[bool, api.AdjacencyIndex | None]:
        """The adjacency index if it is ready within ``wait`` seconds (see :meth:`soon`)."""
        return self.soon("adjacency", self._build_adjacency, wait)

    def _build_adjacency(self) -> api.AdjacencyIndex | None:
        try:
            return api.adjacency_index(self.store, self.data)
        except JobarchError:
            return None

    def taxonomy(self) -> dict[str, dict]:
        return self.view("taxonomy", lambda: api.taxonomy(self.store))

    def search_index(self) -> api.SearchIndex:
        return self.view("search", self._build_search)

    def search_soon(self, wait: float = 1.0) -> tuple[bool, api.SearchIndex | None]:
        """The search index if it is ready within ``wait`` seconds (see :meth:`soon`)."""
        return self.soon("search", self._build_search, wait)

    def ready(self, *indexes: str, wait: float = 1.0) -> bool:
        """Whether the named indexes (``adjacency``, ``search``) are ready within ``wait`` seconds; those that are
        not keep being built in the background (a page that needs them says so, see ``journeys.needs``)."""
        soon = {"adjacency": self.adjacency_soon, "search": self.search_soon}
        return all(soon[name](wait)[0] for name in indexes)

    def _build_search(self) -> api.SearchIndex:
        return api.search_index(self.store)

    def levels(self) -> api.Ladder:
        """Every level by grade and track (level pages check codes against it)."""
        return self.view("levels", lambda: api.levels_index(self.store))

    def level_codes(self) -> set[str]:
        return {cell.level for _, cells in self.levels().rows for cell in cells.values()}

    def level(self, code: str) -> tuple[Any, list[dict]] | None:
        """A level's overview and its profiles (1,200 at 10,000 profiles; pages slice them), None for a code that
        names no level (not kept: anyone can ask for any code)."""
        if code not in self.level_codes():
            return None
        overview = self.view(f"level:{code}", lambda: api.level_overview(self.store, code))
        rows = self.view(
            f"profiles at {code}",
            lambda: api.query(self.store, "profiles_at_level", params={"level": code}, timeout=None).dicts(),
        )
        return (overview, rows) if overview is not None else None

    def warm(self) -> None:
        """Build, in the server's languages, what the first readers would otherwise wait for: the search index,
        then each level's page (a level page's first reader at 10,000 profiles waited 0.37 s). Run in a background
        thread once the server listens; the adjacency index has a thread of its own. What fails here fails again
        on the page that asks for it, which says why."""
        try:
            self.search_index()
            for code in sorted(self.level_codes()):
                self.level(code)
        except JobarchError:
            return

    def skills(self) -> dict[str, int]:
        return self.view("skills", lambda: api.skill_directory(self.store))

    def pickers(self) -> Pickers:
        def build() -> Pickers:
            titles = self.search_index().titles
            profiles = sorted(titles.items()) if len(titles) <= Pickers.LIMIT else []
            skills = list(self.skills())
            return Pickers(profiles, skills if len(skills) <= Pickers.LIMIT else [])

        return self.view("pickers", build)

    def scale(self) -> list:
        return self.view("scale", lambda: api.proficiency_scale(self.store))


def remembered(route: Callable[[Request], Any]) -> Callable[[Request], Any]:
    """A page route (plain or async) whose pages are kept for their next reader (see :meth:`Site.recall`):
    keyed on the host, the address with its query, the media type asked for, and the reader's languages. A page
    that is not complete yet (a view still being computed) says ``Cache-Control: no-store`` and is not kept."""
    if inspect.iscoroutinefunction(route):

        @functools.wraps(route)
        async def answer_later(request: Request) -> Response:
            site, key, found = _recalled(request)
            if found is not None:
                return found
            version = site.version()
            return site.remember(key, version, await route(request)) if key else await route(request)

        return answer_later

    @functools.wraps(route)
    def answer(request: Request) -> Response:
        site, key, found = _recalled(request)
        if found is not None:
            return found
        version = site.version()  # before rendering: a change meanwhile makes the page stale, never wrongly fresh
        return site.remember(key, version, route(request)) if key else route(request)

    return answer


def _recalled(request: Request) -> tuple[Site, tuple[str, ...] | None, Response | None]:
    """The site, the key a page is kept under (None when the site keeps no pages) and the page kept, if any."""
    site: Site = request.app.state.site
    if not site.settings.kept_pages_bytes:
        return site, None, None
    host, path, query = request.headers.get("host", ""), request.url.path, request.url.query
    key = (host, path, query, wanted_type(request) or "", languages.choice_key())
    return site, key, site.recall(key)


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("jobarch.web", "templates"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install_translations(environment, html=True)
    environment.globals["language_switcher"] = switcher
    return environment


def render(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**context)
