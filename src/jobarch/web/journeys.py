"""The pages of the journeys people make between roles: search, compare, career path, match my skills, skill."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from .. import api
from ..core.errors import JobarchError
from ..core.i18n import _
from .browse import Pager, not_found, page, site_of
from .site import Site, remembered

CHOICES = 8  # profiles offered when a picker's words name several

SEARCH_PAGE = 50  # hits per page
MATCH_LIMIT = 20


def needs(*indexes: str) -> Callable[[Callable[[Request], Response]], Callable[[Request], Response]]:
    """A journey's page that needs the server's indexes (``adjacency``, ``search``): right after a start, while they
    are built, it answers at once that they are (503, Retry-After, a page that reloads itself), never waits."""

    def wrap(route: Callable[[Request], Response]) -> Callable[[Request], Response]:
        @functools.wraps(route)
        def answer(request: Request) -> Response:
            if site_of(request).ready(*indexes):
                return route(request)
            return being_built()

        return answer

    return wrap


def being_built() -> HTMLResponse:
    """The page a reader gets while the server builds what a page needs, right after it started."""
    message = _("Being computed: the server has just started. This page reloads itself in a few seconds.")
    response = page("error.html.j2", 503, title=_("Starting"), message=message, hint="", refresh=2)
    response.headers.update({"Retry-After": "2", "Cache-Control": "no-store"})
    return response


@remembered
@needs("adjacency", "search")
def compare(request: Request) -> HTMLResponse:
    site = site_of(request)
    params = request.query_params
    named = [c.strip() for c in params.get("codes", "").split(",") if c.strip()]
    named += [params.get(field, "").strip()[:200] for field in ("a", "b", "c") if params.get(field, "").strip()]
    only = params.get("only") == "differences"
    context: dict[str, Any] = {
        "title": _("Compare"),
        "codes": named,
        "only_differences": only,
        "comparison": None,
        "pickers": site.pickers(),
        "choices": {},
    }
    if not named:
        return page("compare.html.j2", **context)
    if not 2 <= len(named) <= 3:
        return page("compare.html.j2", 400, **context, message=_("Compare takes two or three profiles."))
    index = site.adjacency()
    if index is None:
        return page("error.html.j2", 400, title=_("Compare"), message=_("The adjacency model is missing."), hint="")
    codes, choices = [], {}
    for i, text in enumerate(named):
        code, offered = choose(site, text)
        codes.append(code or text)
        if code is None:
            choices[i] = offered
    context["codes"] = codes
    if choices:
        context.update(choices=choices, message=_("Some of these name no single profile: choose one below."))
        return page("compare.html.j2", 404 if any(not c for c in choices.values()) else 200, **context)
    try:
        result = api.compare_profiles(site.store, index, codes)
    except JobarchError as exc:
        return not_found(exc.message, "Choose the profiles again on the compare page.", [("/compare", "Compare")])
    return page(
        "compare.html.j2",
        **{**context, "title": _("Compare %(codes)s") % {"codes": " · ".join(codes)}, "comparison": result},
    )


@remembered
@needs("adjacency", "search")
def career_path(request: Request) -> HTMLResponse:
    site = site_of(request)
    start = request.query_params.get("from", "").strip()[:200]
    goal = request.query_params.get("to", "").strip()[:200]
    band = request.query_params.get("band", "partial").strip()[:40]
    index = site.adjacency()
    bands = [b.label for b in index.model.bands] if index is not None else []
    context: dict[str, Any] = {
        "title": _("Career path"),
        "start": start,
        "goal": goal,
        "band": band,
        "bands": bands,
        "pickers": site.pickers(),
        "steps": [],
        "message": "",
        "hint": "",
        "choices": {},
        "nearest": [],
        "wider_band": None,
    }
    if not (start and goal):
        return page("path.html.j2", **context)
    if index is None:
        return page("path.html.j2", 400, **{**context, "message": "The adjacency model is missing."})
    (start_code, start_choices), (goal_code, goal_choices) = choose(site, start), choose(site, goal)
    if start_code is None or goal_code is None:
        choices = {"from": start_choices, "to": goal_choices}
        message = "Choose the profile you meant: the words name no single profile."
        status = 404 if (start_code is None and not start_choices) or (goal_code is None and not goal_choices) else 200
        return page(
            "path.html.j2",
            status,
            **{
                **context,
                "choices": choices,
                "message": message,
                "start": start_code or start,
                "goal": goal_code or goal,
            },
        )
    context.update(
        start=start_code,
        goal=goal_code,
        title=_("Career path: %(start)s → %(goal)s") % {"start": start_code, "goal": goal_code},
    )
    try:
        steps = api.path(site.store, index, start_code, goal_code, band)
    except api.NoPathError as exc:
        return page(
            "path.html.j2",
            **{
                **context,
                "message": exc.message,
                "hint": exc.hint or "",
                "nearest": exc.nearest,
                "wider_band": exc.wider_band,
            },
        )
    except JobarchError as exc:
        return page("path.html.j2", 404, **{**context, "message": exc.message, "hint": exc.hint or ""})
    return page("path.html.j2", **{**context, "steps": steps})


@remembered
def search(request: Request) -> HTMLResponse:
    site = site_of(request)
    q = request.query_params.get("q", "").strip()[:200]
    facets = ("function", "family", "track", "level")
    chosen = {name: request.query_params.get(name, "").strip()[:40] for name in facets}
    found: api.SearchResult | None = None
    skills: list[tuple[str, int]] = []
    if q:
        if not site.ready("search"):  # the server has just started: its search index is being built
            return being_built()
        found, skills = api.search(site.store, q, site.search_index(), api.search_filters(**chosen), site.skills())
    total = found.total if found is not None else 0
    pager = Pager.of(request, total, SEARCH_PAGE, {"q": q, **chosen}, "Pages of results")
    return page(
        "search.html.j2",
        title=(_("Search: %(words)s") % {"words": q} if q else _("Search"))
        + (" " + _("(page %(number)s)") % {"number": pager.number} if pager.number > 1 else ""),
        q=q,
        hits=pager.slice(found.hits) if found is not None else [],
        total=total,
        pager=pager,
        suggestion=found.suggestion if found is not None else None,
        corrected_from=found.corrected_from if found is not None else None,
        facets=found.facets if found is not None else {},
        chosen=chosen,
        skills=skills,
    )


@remembered
@needs("adjacency", "search")
def match(request: Request) -> HTMLResponse:
    site = site_of(request)
    text = request.query_params.get("skills", "")[:4000]
    start = request.query_params.get("from", "").strip()[:200]
    context: dict[str, Any] = {
        "title": _("Match my skills"),
        "scale": site.scale(),
        "start": start,
        "pickers": site.pickers(),
        "skipped": [],
        "fixes": {},
    }
    if start and not text.strip():  # "start from my profile": the form filled with its skills, to edit
        try:
            text = "\n".join(api.skills_of(site.store, start, site.adjacency()))
        except JobarchError as exc:
            return page("match.html.j2", 404, **context, skills_text="", matches=[], message=exc.message, hint="")
        return page("match.html.j2", **context, skills_text=text, matches=[], message="", hint="")
    lines = [line.strip() for line in text.splitlines() if line.strip()][:50]
    context["skills_text"] = text
    if not lines:
        return page("match.html.j2", **context, matches=[], message="", hint="")
    try:
        found = api.match(site.store, lines, MATCH_LIMIT, strict=False, index=site.adjacency())
    except JobarchError as exc:
        return page("match.html.j2", 400, **context, matches=[], message=exc.message, hint=exc.hint or "")
    fixes = {s.spec: [(name, _replaced(text, s.spec, name)) for name in s.suggestions] for s in found.skipped}
    context.update(skipped=found.skipped, fixes=fixes)
    return page("match.html.j2", **context, matches=found, message="", hint="")


def choose(site: Site, chosen: str) -> tuple[str | None, list[tuple[str, str]]]:
    """The profile a picker names (its code, its title, or words that find one profile), else the profiles its
    words find, for the person to choose from."""
    titles = site.search_index().titles
    try:
        return api.resolve_profile(site.store, chosen, titles), []
    except JobarchError:
        found, _ = api.search(site.store, chosen, site.search_index(), with_skills=False)
        hits = [] if found.corrected_from else found.hits[:CHOICES]  # a guess at a typo is not a choice
        if len(hits) == 1:
            return hits[0].code, []
        return None, [(h.code, h.title) for h in hits]


def _replaced(text: str, spec: str, name: str) -> str:
    """The skills text with the line ``spec`` naming ``name`` instead (its depth kept)."""
    depth = spec.rpartition("=")[2] if "=" in spec else ""
    fixed = name + (f"={depth.strip()}" if depth.strip() else "")
    return "\n".join(fixed if line.strip() == spec else line for line in text.splitlines())


@remembered
def skill(request: Request) -> HTMLResponse:
    store = site_of(request).store
    name = request.query_params.get("name", "")
    rows = api.query(store, "profiles_needing_skill", params={"skill": name}, timeout=None).dicts() if name else []
    return page("skill.html.j2", title=_("Skill: %(skill)s") % {"skill": name}, name=name, profiles=rows)
