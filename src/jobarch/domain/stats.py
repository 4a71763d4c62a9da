"""`jobarch stats`: the shape of an architecture in numbers, from the named and internal queries."""
from __future__ import annotations

from collections import Counter
from statistics import mean

from ..query import find_query, internal
from ..store import Store


def _rows(store: Store, name: str) -> list[dict]:
    return store.query(find_query(name).text, {}).dicts()


def architecture_stats(store: Store) -> dict:
    profiles = _rows(store, "profiles")
    total = len(profiles)
    coverage = _rows(store, "coverage_matrix")
    by_function = Counter()
    by_level = Counter()
    by_track = Counter()
    for row in coverage:
        n = int(row["profiles"])
        by_function[str(row["function"])] += n
        by_level[str(row["levelCode"])] += n
        by_track[str(row["track"])] += n
    skills = [int(r["skills"]) for r in profiles]
    sources = [int(r["sources"]) for r in profiles]
    extra = store.select(internal("stats"))[0]
    assessed, passing = int(extra["assessed"]), int(extra["passing"])
    expected, present = int(extra["rubricExpected"]), int(extra["rubricPresent"])
    return {
        "profiles": total,
        "foci": int(extra["foci"]),
        "profilesPerFunction": dict(sorted(by_function.items())),
        "profilesPerLevel": dict(sorted(by_level.items())),
        "profilesPerTrack": dict(sorted(by_track.items())),
        "skillsPerProfile": _spread(skills),
        "sourcesPerProfile": _spread(sources),
        "qualityPassRate": round(passing / assessed, 4) if assessed else None,
        "qualityAssessed": assessed,
        "aliasCoverage": round(int(extra["withAlias"]) / total, 4) if total else None,
        "mappingCoverage": round(int(extra["withMapping"]) / total, 4) if total else None,
        "rubricCompleteness": round(present / expected, 4) if expected else None,
    }


def _spread(values: list[int]) -> dict:
    return {"min": min(values), "mean": round(mean(values), 2), "max": max(values)} if values else {}
