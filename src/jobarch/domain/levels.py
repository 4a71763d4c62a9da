"""Levels and ladders as people ask about them: what a level means, the levels around it, its equivalent on
the other track; the grids of foci × levels and families × levels, in ladder order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef

from ..core.namespaces import JA
from ..graph.terms import integer, number, text
from ..query import find_query, internal
from ..store import Store
from .profile import years_range


@dataclass
class LevelSummary:
    code: str
    label: str
    track: str
    rank: int | None
    grade: int | None
    years: str
    profiles: int


@dataclass
class LevelOverview:
    level: LevelSummary
    definition: str
    attributes: list[tuple[str, str]]
    previous: LevelSummary | None
    next: LevelSummary | None
    equivalents: list[LevelSummary] = field(default_factory=list)  # the same grade on another track


def _summary(row: dict) -> LevelSummary:
    return LevelSummary(
        text(row["levelCode"]),
        text(row["label"]),
        text(row["track"]),
        integer(row["rank"]),
        integer(row["grade"]),
        years_range(number(row["minYears"]), number(row["maxYears"])),
        integer(row["profiles"]) or 0,
    )


def level_overview(store: Store, code: str) -> LevelOverview | None:
    """The overview of the level with this code (None when there is none)."""
    levels = [_summary(r) for r in store.select(find_query("levels").text)]
    me = next((lv for lv in levels if lv.code == code), None)
    if me is None:
        return None
    here = me.rank if me.rank is not None else 0
    ladder = sorted((lv for lv in levels if lv.track == me.track), key=lambda lv: lv.rank or 0)
    below = [lv for lv in ladder if (lv.rank or 0) < here]
    above = [lv for lv in ladder if (lv.rank or 0) > here]
    equivalents = [lv for lv in levels if lv.track != me.track and lv.grade is not None and lv.grade == me.grade]
    iri, definition = _level_definition(store, me.code)
    attributes = []
    if iri is not None:
        attributes = [
            (text(r["label"]), text(r["value"])) for r in store.select(internal("level_attributes"), level=iri)
        ]
    return LevelOverview(
        me, definition, attributes, below[-1] if below else None, above[0] if above else None, equivalents
    )


def _level_definition(store: Store, code: str) -> tuple[URIRef | None, str]:
    """A level's IRI and definition, by its code."""
    rows = store.select(internal("coded_resource"), code=Literal(code), type=JA.Level)
    iri = rows[0]["resource"] if rows else None
    if not isinstance(iri, URIRef):
        return None, ""
    return iri, text(next((r["definition"] for r in store.select(internal("level_definition"), level=iri)), None))


def _ladder_order(rows: Iterable[dict]) -> list[str]:
    """The level codes of these rows in ladder order: by track, then rank."""
    found = {(text(r["trackCode"]), integer(r["rank"]) or 0, text(r["levelCode"])) for r in rows}
    return [code for _, _, code in sorted(found)]


def ladder_grid(store: Store, code: str) -> dict[str, Any]:
    """The foci under a family or function × the levels they are staffed at: for each focus, the profile code at
    each level (the grid on family and function pages)."""
    rows = store.select(internal("ladder_grid"), ancestorCode=Literal(code))
    foci: dict[str, dict[str, Any]] = {}
    for r in rows:
        focus = foci.setdefault(text(r["focusCode"]), {"label": text(r["focusLabel"] or r["focusCode"]), "cells": {}})
        focus["cells"][text(r["levelCode"])] = text(r["code"])
    return {"levels": _ladder_order(rows), "foci": dict(sorted(foci.items()))}


def family_level_counts(store: Store) -> dict[str, Any]:
    """Profiles per family and level, and the largest count (the shading's top)."""
    rows = store.select(internal("family_level_counts"))
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        counts.setdefault(text(r["familyCode"]), {})[text(r["levelCode"])] = integer(r["profiles"]) or 0
    most = max((n for family in counts.values() for n in family.values()), default=1)
    return {"levels": _ladder_order(rows), "counts": counts, "most": most}


@dataclass
class LadderCell:
    """One level on a focus's ladder: what the level is, the focus's profile there (if staffed), its rubric."""

    level: str
    label: str
    track: str
    experience: str
    profile: str | None = None  # the focus's profile at this level
    title: str = ""
    rubric: list[tuple[str, str]] = field(default_factory=list)  # (dimension, guideline)
    profiles: int = 0  # profiles at this level, in the whole architecture
    definition: str = ""


@dataclass
class Ladder:
    """A focus's levelling grid: a row per grade, a column per track, equivalent levels side by side."""

    tracks: list[tuple[str, str]]  # (code, label), in ladder order
    rows: list[tuple[float, dict[str, LadderCell]]]  # grade -> track -> level

    @property
    def staffed(self) -> int:
        return sum(1 for _, cells in self.rows for cell in cells.values() if cell.profile)


def focus_ladder(store: Store, code: str, profiles: Iterable[dict]) -> Ladder:
    """Every level of every track beside the focus's profiles (``profiles``: its rows of ``focus_profiles``) and
    the rubric cell that applies to it at each staffed level."""
    staffed = {text(r["levelCode"]): (text(r["code"]), text(r["title"] or r["code"])) for r in profiles if r["code"]}
    rubric: dict[str, list[tuple[str, str]]] = {}
    for r in store.select(find_query("focus_ladder").text, focus=Literal(code)):
        rubric.setdefault(text(r["levelCode"]), []).append((text(r["dimension"]), text(r["guideline"])))
    rows: dict[float, dict[str, LadderCell]] = {}
    tracks: dict[str, tuple[int, str]] = {}
    for r in store.select(find_query("levels").text):
        level, track = text(r["levelCode"]), text(r["track"])
        grade = number(r["grade"])
        if not level or grade is None:
            continue
        tracks.setdefault(track, (integer(r["rank"]) or 0, track))
        profile, title = staffed.get(level, (None, ""))
        rows.setdefault(float(grade), {})[track] = LadderCell(
            level,
            text(r["label"]),
            track,
            years_range(number(r["minYears"]), number(r["maxYears"])),
            profile,
            title,
            rubric.get(level, []) if profile else [],
        )
    order = sorted(tracks, key=lambda t: (min(g for g, cells in rows.items() if t in cells), t))
    return Ladder([(t, t) for t in order], sorted(rows.items()))


def levels_index(store: Store) -> Ladder:
    """Every level of the architecture by grade and track, with its meaning and how many profiles are at it: the
    ladder of the whole architecture."""
    rows: dict[float, dict[str, LadderCell]] = {}
    for r in store.select(find_query("levels").text):
        level, track, grade = text(r["levelCode"]), text(r["track"]), number(r["grade"])
        if not level or grade is None:
            continue
        rows.setdefault(float(grade), {})[track] = LadderCell(
            level,
            text(r["label"]),
            track,
            years_range(number(r["minYears"]), number(r["maxYears"])),
            profiles=integer(r["profiles"]) or 0,
            definition=_level_definition(store, level)[1],
        )
    tracks = sorted(
        {t for cells in rows.values() for t in cells}, key=lambda t: (min(g for g, c in rows.items() if t in c), t)
    )
    return Ladder([(t, t) for t in tracks], sorted(rows.items()))
