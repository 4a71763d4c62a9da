"""`jobarch stats`: the shape of an architecture in numbers, from the named and internal queries."""

from __future__ import annotations

from collections import Counter
from statistics import mean

from ..graph.terms import integer
from ..query import find_query, internal
from ..store import Store


def _rows(store: Store, name: str) -> list[dict]:
    return store.query(find_query(name).text, {}).dicts()


def architecture_stats(store: Store) -> dict:
    profiles = _rows(store, "profiles")
    total = len(profiles)
    coverage = _rows(store, "coverage_matrix")
    by_function: Counter[str] = Counter()
    by_level: Counter[str] = Counter()
    by_track: Counter[str] = Counter()
    for row in coverage:
        n = integer(row["profiles"]) or 0
        by_function[str(row["function"])] += n
        by_level[str(row["levelCode"])] += n
        by_track[str(row["track"])] += n
    skills = [integer(r["skills"]) or 0 for r in profiles]
    sources = [integer(r["sources"]) or 0 for r in profiles]
    extra = {k: integer(v) or 0 for k, v in store.select(internal("stats"))[0].items()}
    assessed, passing = extra["assessed"], extra["passing"]
    expected, present = extra["rubricExpected"], extra["rubricPresent"]
    return {
        "profiles": total,
        "foci": extra["foci"],
        "profilesPerFunction": dict(sorted(by_function.items())),
        "profilesPerLevel": dict(sorted(by_level.items())),
        "profilesPerTrack": dict(sorted(by_track.items())),
        "skillsPerProfile": _spread(skills),
        "sourcesPerProfile": _spread(sources),
        "qualityPassRate": round(passing / assessed, 4) if assessed else None,
        "qualityAssessed": assessed,
        "aliasCoverage": round(extra["withAlias"] / total, 4) if total else None,
        "mappingCoverage": round(extra["withMapping"] / total, 4) if total else None,
        "rubricCompleteness": round(present / expected, 4) if expected else None,
    }


def _spread(values: list[int]) -> dict:
    return {"min": min(values), "mean": round(mean(values), 2), "max": max(values)} if values else {}
