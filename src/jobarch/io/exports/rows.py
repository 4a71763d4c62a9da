"""Profiles as rows with their list-valued facts: what the flat exports (CSV, ESCO, schema.org, SSSOM) use."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import URIRef

from ...graph.terms import number, text
from ...query import internal
from ...store import Store


@dataclass
class ProfileRow:
    values: dict
    lists: dict = field(default_factory=lambda: defaultdict(list))


def profile_rows(store: Store) -> list[ProfileRow]:
    rows = {}
    for r in store.select(internal("export_profiles")):
        values = {k: ("" if v is None else str(v)) for k, v in r.items()}
        rows[str(r["profile"])] = ProfileRow(values)
    for r in store.select(internal("export_lists")):
        row = rows.get(str(r["profile"]))
        if row is not None:
            row.lists[str(r["kind"])].append(r)
    return [rows[k] for k in sorted(rows, key=lambda k: rows[k].values["code"])]


def ordered(items: list[dict], by_label: bool = True) -> list[dict]:
    """A row's list items without repeats, in display order (ja:order, then label, then value)."""

    def key(r):
        order = number(r["order"]) if r["order"] is not None and not isinstance(r["order"], URIRef) else None
        return (
            order if isinstance(order, (int, float)) else 10**9,
            text(r["label"]) if by_label else "",
            text(r["value"]),
        )

    unique: dict[tuple[str, str, str], dict] = {}
    for r in items:
        unique.setdefault((text(r["value"]), text(r["label"]), text(r["extra"])), r)
    return sorted(unique.values(), key=key)
