"""The pages of the journeys people make between roles: search, compare, career path, match my skills, skill."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from .. import api
from ..core.errors import JobarchError
from .browse import not_found, page, site_of

SEARCH_LIMIT = 500
MATCH_LIMIT = 20


def compare(request: Request) -> HTMLResponse:
    site = site_of(request)
    codes = [c.strip() for c in request.query_params.get("codes", "").split(",") if c.strip()]
    only = request.query_params.get("only") == "differences"
    context: dict[str, Any] = {"title": "Compare", "codes": codes, "only_differences": only, "comparison": None}
    if not codes:
        return page("compare.html.j2", **context)
    if not 2 <= len(codes) <= 3:
        return page("compare.html.j2", 400, **context, message="Compare takes two or three profile codes.")
    index = site.adjacency()
    if index is None:
        return page("error.html.j2", 400, title="Compare", message="The adjacency model is missing.", hint="")
    try:
        result = api.compare_profiles(site.store, index, codes)
    except JobarchError as exc:
        return not_found(exc.message, "Choose the profiles again on the compare page.", [("/compare", "Compare")])
    return page("compare.html.j2", **{**context, "title": "Compare " + " · ".join(codes), "comparison": result})


def career_path(request: Request) -> HTMLResponse:
    site = site_of(request)
    start = request.query_params.get("from", "").strip()
    goal = request.query_params.get("to", "").strip()
    band = request.query_params.get("band", "partial").strip()
    index = site.adjacency()
    bands = [b.label for b in index.model.bands] if index is not None else []
    context: dict[str, Any] = {"title": "Career path", "start": start, "goal": goal, "band": band, "bands": bands}
    if not (start and goal):
        return page("path.html.j2", **context, steps=[], message="", hint="")
    if index is None:
        return page("path.html.j2", 400, **context, steps=[], message="The adjacency model is missing.", hint="")
    try:
        steps = api.path(site.store, index, start, goal, band)
    except JobarchError as exc:
        return page("path.html.j2", 404, **context, steps=[], message=exc.message, hint=exc.hint or "")
    return page("path.html.j2", **context, steps=steps, message="", hint="")


def search(request: Request) -> HTMLResponse:
    site = site_of(request)
    q = request.query_params.get("q", "").strip()[:200]
    facets = ("function", "family", "track", "level")
    chosen = {name: request.query_params.get(name, "").strip()[:40] for name in facets}
    filters = api.search_filters(**chosen)
    found, skills = api.search(site.store, q, site.search_index(), filters) if q else (None, [])
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


def match(request: Request) -> HTMLResponse:
    site = site_of(request)
    text = request.query_params.get("skills", "")[:4000]
    wanted = [line.strip() for line in text.splitlines() if line.strip()][:50]
    context: dict[str, Any] = {"title": "Match my skills", "skills_text": text, "scale": site.scale()}
    if not wanted:
        return page("match.html.j2", **context, matches=[], message="", hint="")
    try:
        found = api.match(site.store, wanted, MATCH_LIMIT)
    except JobarchError as exc:
        return page("match.html.j2", 400, **context, matches=[], message=exc.message, hint=exc.hint or "")
    return page("match.html.j2", **context, matches=found, message="", hint="")


def skill(request: Request) -> HTMLResponse:
    store = site_of(request).store
    name = request.query_params.get("name", "")
    rows = api.query(store, "profiles_needing_skill", params={"skill": name}, timeout=None).dicts() if name else []
    return page("skill.html.j2", title=f"Skill: {name}", name=name, profiles=rows)
