"""A level as people ask about it: what it means, its years, the levels around it, its equivalent on the
other track, and the profiles at it."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    rows = store.select(internal("coded_resource"), code=Literal(me.code), type=JA.Level)
    iri = rows[0]["resource"] if rows else None
    definition, attributes = "", []
    if isinstance(iri, URIRef):
        definition = text(next((r["definition"] for r in store.select(internal("level_definition"), level=iri)), None))
        attributes = [
            (text(r["label"]), text(r["value"])) for r in store.select(internal("level_attributes"), level=iri)
        ]
    return LevelOverview(
        me, definition, attributes, below[-1] if below else None, above[0] if above else None, equivalents
    )
