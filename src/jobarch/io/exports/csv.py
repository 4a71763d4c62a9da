"""``export csv``: one row per profile in the layout of :mod:`jobarch.io.csv_layout` (``import csv`` reads it back)."""

from __future__ import annotations

import csv
import io

from ...graph.terms import text
from ...store import Store
from ..csv_layout import COLUMNS, join_items
from .rows import ProfileRow, ordered, profile_rows

DESCRIPTION = "one row per profile; list columns joined with ' | '"


def flat(row: ProfileRow) -> dict[str, str]:
    v, lists = row.values, row.lists
    return {
        "code": v["code"],
        "title": v["title"],
        "definition": v["definition"],
        "status": v["status"],
        "function_code": v["functionCode"],
        "function": v["function"],
        "family_code": v["familyCode"],
        "family": v["family"],
        "focus_code": v["focusCode"],
        "focus": v["focus"],
        "level_code": v["levelCode"],
        "level": v["level"],
        "track": v["track"],
        "grade": v["grade"],
        "min_years": v["minYears"],
        "max_years": v["maxYears"],
        "aliases": join_items(sorted({text(r["value"]) for r in lists["alias"]})),
        "responsibilities": join_items([text(r["value"]) for r in ordered(lists["responsibility"], by_label=False)]),
        "skills": join_items([text(r["label"]) for r in ordered(lists["skill"])]),
        "sources": join_items([text(r["label"]) for r in ordered(lists["source"])]),
        "quality": join_items([f"{text(r['label'])}={text(r['extra'])}" for r in ordered(lists["score"])]),
        "mappings": join_items(
            [
                f"{text(r['label'])}:{text(r['value'])}:{text(r['extra'])}"
                + (f":{text(r['more'])}" if r["more"] is not None else "")
                for r in ordered(lists["mapping"])
            ]
        ),
    }


def export(store: Store) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in profile_rows(store):
        writer.writerow(flat(row))
    return buffer.getvalue()
