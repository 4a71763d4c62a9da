"""The pages of the architecture itself: home, function, family, focus, level, profile, and any resource.

Each coded resource answers in HTML for a browser and in RDF for an RDF
client (by ``Accept``), so the pages are linked data; see :mod:`.linked`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from rdflib import URIRef
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from .. import api
from ..core.errors import JobarchError
from ..core.i18n import _
from ..core.namespaces import JA
from .linked import iri_for_path, label_of, not_acceptable, page_of, rdf_response, resource_rows, wanted_type
from .overview import ROW, WIDTH, icicle
from .site import Site, remembered, render


@dataclass(frozen=True)
class Pager:
    """One page of a long list: which page, how many, and the links to the others (the query kept)."""

    path: str
    keep: tuple[tuple[str, str], ...]  # the query parameters every page link repeats
    number: int
    pages: int
    size: int
    label: str = "Pages"

    @classmethod
    def of(cls, request: Request, total: int, size: int, keep: dict[str, str], label: str = "Pages") -> Pager:
        raw = request.query_params.get("page", "1")
        pages = max(1, -(-total // size))
        wanted = int(raw) if raw.isdigit() and len(raw) < 7 else 1
        kept = tuple((k, v) for k, v in sorted(keep.items()) if v)
        return cls(request.url.path, kept, min(max(wanted, 1), pages), pages, size, label)

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    def slice(self, items: Sequence) -> Sequence:
        return items[self.start : self.start + self.size]

    def href(self, number: int) -> str:
        return f"{quote(self.path)}?{urlencode(self.keep + (('page', str(number)),))}"


LEVEL_PAGE = 100  # profiles per page of a level
HOME_FOCI = 300  # past this many foci the home page lists families only (each family page lists its foci)


def site_of(request: Request) -> Site:
    return request.app.state.site


def page(template: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(render(template, **context), status_code=status)


def not_found(message: str, hint: str = "", links: Sequence[tuple[str, str]] = ()) -> HTMLResponse:
    return page("error.html.j2", 404, title=_("Not found"), message=message, hint=hint, links=list(links))


def described(request: Request, type_: URIRef, code: str, html: Callable[[], Response]) -> Response:
    """A coded resource's page: HTML for a browser, its triples for an RDF client (by Accept)."""
    store = site_of(request).store
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


@remembered
def home(request: Request) -> HTMLResponse:
    site = site_of(request)

    def build() -> str:
        taxonomy = site.taxonomy()
        segments, rows = icicle(taxonomy)
        foci = sum(len(fam["foci"]) for fn in taxonomy.values() for fam in fn["families"].values())
        return render(
            "home.html.j2",
            title=_("Job architecture"),
            functions=taxonomy,
            list_foci=foci <= HOME_FOCI,
            levels=api.query(site.store, "levels", timeout=None).dicts(),
            glance=api.family_level_counts(site.store),
            picture={"segments": segments, "rows": rows, "width": WIDTH, "row": ROW},
        )

    return HTMLResponse(site.view("home", build))


@remembered
def function(request: Request) -> Response:
    site, code = site_of(request), request.path_params["code"]

    def html() -> Response:
        found = site.taxonomy().get(code)
        if found is None:
            return not_found(f"No function with code {code!r}.", "Browse the architecture from the home page.")
        grid = api.ladder_grid(site.store, code)
        about = api.taxon_overview(site.store, "function", code)
        return page("function.html.j2", title=found["label"] or code, code=code, fn=found, grid=grid, about=about)

    return described(request, JA.Function, code, html)


@remembered
def family(request: Request) -> Response:
    site, code = site_of(request), request.path_params["code"]

    def html() -> Response:
        for fn_code, fn in site.taxonomy().items():
            if code in fn["families"]:
                fam = fn["families"][code]
                grid = api.ladder_grid(site.store, code)
                title = fam["label"] or code
                about = api.taxon_overview(site.store, "family", code)
                context = {"code": code, "fam": fam, "fn": fn, "fn_code": fn_code, "grid": grid, "about": about}
                return page("family.html.j2", title=title, **context)
        return not_found(f"No family with code {code!r}.", "Browse the architecture from the home page.")

    return described(request, JA.JobFamily, code, html)


@remembered
def focus(request: Request) -> Response:
    store, code = site_of(request).store, request.path_params["code"]

    def html() -> Response:
        rows = api.focus_profiles(store, code)
        if not rows:
            return not_found(f"No focus with code {code!r}.", "Browse the architecture from the home page.")
        head = rows[0]
        return page(
            "focus.html.j2",
            title=str(head["focusLabel"] or code),
            code=code,
            head=head,
            about=api.focus_overview(store, code),
            profiles=[r for r in rows if r["code"] is not None],
        )

    return described(request, JA.Focus, code, html)


@remembered
def levels(request: Request) -> Response:
    """The levels of the architecture, explained: a browser gets the index, an RDF client the level scheme."""
    site = site_of(request)
    if wanted_type(request) != "text/html":
        return resource(request)
    return page("levels.html.j2", title=_("Levels"), ladder=site.levels())


@remembered
def ladder(request: Request) -> Response:
    """A focus's levelling grid: every level of both tracks side by side by grade."""
    store, code = site_of(request).store, request.path_params["code"]
    rows = api.focus_profiles(store, code)  # read once: the breadcrumbs and the ladder's staffed levels
    found = api.focus_ladder(store, code, rows)
    if found is None:
        return not_found(f"No focus with code {code!r}.", "Browse the architecture from the home page.")
    head = rows[0]
    title = _("Ladder: %(focus)s") % {"focus": head["focusLabel"] or code}
    return page("ladder.html.j2", title=title, code=code, head=head, ladder=found)


@remembered
def level(request: Request) -> Response:
    site, code = site_of(request), request.path_params["code"]

    def html() -> Response:
        found = site.level(code)
        if found is None:
            return not_found(f"No level {code!r}.", "The home page lists every level.", [("/", "Browse")])
        overview, rows = found
        family = request.query_params.get("family", "").strip()[:40]
        if family:  # a count on the home page's glance: this family's profiles at the level
            rows = [r for r in rows if api.search_filters(family=family).keep(str(r["code"]))]
        pager = Pager.of(request, len(rows), LEVEL_PAGE, {"family": family}, "Pages of profiles at this level")
        title = _("Level %(level)s") % {"level": code} + (f" — {overview.level.label}" if overview.level.label else "")
        if family:
            title = _("%(level)s in %(family)s") % {"level": title, "family": family}
        return page(
            "level.html.j2",
            title=title,
            code=code,
            lv=overview,
            profiles=pager.slice(rows),
            total=len(rows),
            family=family,
            pager=pager,
        )

    return described(request, JA.Level, code, html)


@remembered
def profile(request: Request) -> Response:
    site, code = site_of(request), request.path_params["code"]

    def html() -> Response:
        try:
            found = api.profile(site.store, code)
        except JobarchError as exc:
            near = api.similar_profile_codes(site.store, code)
            links = [(f"/profiles/{quote(c, safe='')}", c) for c in near]
            hint = _("Did you mean one of these?") if near else ""
            links.append((f"/search?q={quote(code)}", _("Search for “%(code)s”") % {"code": code}))
            return not_found(exc.message, hint, links)
        ready, index = site.adjacency_soon()
        if not ready:  # the server has just started: a page does not wait for it
            neighbours, note = None, _("Being computed: the server has just started; reload in a few seconds.")
        elif index is None:
            neighbours, note = None, _("Not computed: the adjacency model is missing.")
        else:
            neighbours, note = api.page_neighbours(site.store, code, site.settings.adjacent, index=index)
        context: dict[str, Any] = {"p": found, "adjacent": neighbours or [], "adjacent_note": note}
        response = page("profile.html.j2", title=found.page_title, **context)
        if not ready:  # complete once the index is: neither the browser nor the server keeps this one
            response.headers["Cache-Control"] = "no-store"
        return response

    return described(request, JA.JobProfile, code, html)


@remembered
def resource(request: Request) -> Response:
    """Any IRI of the data under the base: a browser goes to its page, an RDF client gets its triples."""
    site = site_of(request)
    iri = iri_for_path(site.base, request.url.path)
    kind = api.resource_kind(site.store, iri) if site.base and iri is not None else None
    if kind is None or iri is None:
        return not_found(f"Nothing here: {request.url.path}", "Browse the architecture from the home page.")
    wanted = wanted_type(request)
    if wanted is None:
        return not_acceptable()
    target = page_of(kind)
    if wanted != "text/html":
        here = str(request.url.replace(query=""))  # no page of its own: the generic page at this very path
        page_url = str(request.base_url).rstrip("/") + target if target else here
        return rdf_response(site.store, iri, wanted, page_url)
    if target:
        return RedirectResponse(target, 303, headers={"Vary": "Accept"})
    graph = api.resource_graph(site.store, iri)
    return page("resource.html.j2", title=label_of(graph, iri), iri=str(iri), rows=resource_rows(graph, iri))
