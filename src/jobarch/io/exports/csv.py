"""``export csv``: one row per profile in the layout of :mod:`jobarch.io.csv_layout` (``import csv`` reads it back)."""

from __future__ import annotations

from ...store import Store
from ..csv_layout import COLUMNS, csv_text, join_items
from .rows import ProfileRecord, profile_records

DESCRIPTION = "one row per profile; list columns joined with ' | '"


def flat(r: ProfileRecord) -> dict[str, str]:
    return {
        "code": r.code,
        "title": r.title,
        "definition": r.definition,
        "status": r.status,
        "function_code": r.function_code,
        "function": r.function,
        "family_code": r.family_code,
        "family": r.family,
        "focus_code": r.focus_code,
        "focus": r.focus,
        "level_code": r.level_code,
        "level": r.level,
        "track": r.track,
        "grade": r.grade,
        "min_years": r.min_years,
        "max_years": r.max_years,
        "aliases": join_items(r.aliases),
        "responsibilities": join_items(r.responsibilities),
        "skills": join_items([s.label for s in r.skills]),
        "sources": join_items(r.sources),
        "quality": join_items([f"{label}={score}" for label, score in r.scores]),
        "mappings": join_items(
            [f"{m.scheme_label}:{m.code}:{m.source}" + (f":{m.confidence}" if m.confidence else "") for m in r.mappings]
        ),
    }


def export(store: Store) -> str:
    rows = ([flat(record)[column] for column in COLUMNS] for record in profile_records(store))
    return csv_text([COLUMNS, *rows])
