"""The taxonomy as people browse it: functions -> families -> foci, with how many profiles each holds."""

from __future__ import annotations

from ..graph.terms import integer, text
from ..query import find_query
from ..store import Store


def taxonomy_tree(store: Store) -> dict[str, dict]:
    """Every function with its families and their foci (in the taxonomy query's order), each with its profile
    count: ``{function: {"label", "profiles", "families": {family: {"label", "profiles", "foci": [...]}}}}``."""
    functions: dict[str, dict] = {}
    for r in store.select(find_query("taxonomy").text):
        fn = functions.setdefault(str(r["functionCode"]), {"label": text(r["function"]), "families": {}, "profiles": 0})
        fam = fn["families"].setdefault(str(r["familyCode"]), {"label": text(r["family"]), "foci": [], "profiles": 0})
        count = integer(r["profiles"]) or 0
        fam["foci"].append({"code": str(r["focusCode"]), "label": text(r["focus"]), "profiles": count})
        fam["profiles"] += count
        fn["profiles"] += count
    return functions
