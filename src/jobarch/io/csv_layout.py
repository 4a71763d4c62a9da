"""The flat CSV layout of profiles: what ``export csv`` writes and ``import csv`` reads back.

One row per profile; list columns (aliases, responsibilities, skills,
sources, quality ``Dimension=score``, mappings ``Scheme:code:source[:confidence]``)
join their items with :data:`LIST_SEPARATOR`.
"""

from __future__ import annotations

COLUMNS = [
    "code",
    "title",
    "definition",
    "status",
    "function_code",
    "function",
    "family_code",
    "family",
    "focus_code",
    "focus",
    "level_code",
    "level",
    "track",
    "grade",
    "min_years",
    "max_years",
    "aliases",
    "responsibilities",
    "skills",
    "sources",
    "quality",
    "mappings",
]
REQUIRED = ["code", "function_code", "family_code", "focus_code", "level_code"]
LIST_SEPARATOR = " | "


def join_items(items: list[str]) -> str:
    return LIST_SEPARATOR.join(items)


def split_items(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split(LIST_SEPARATOR) if part.strip()]
