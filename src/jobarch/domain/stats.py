"""`jobarch stats`: the shape of an architecture in numbers.

The per-profile counts come from the profile facts kept with the store
(:mod:`.facts`); the rest is one small query over functions, levels, rubric
dimensions and cells. Nothing here scans the architecture per profile.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from statistics import mean

from ..core import languages
from ..query import internal
from ..store import Store, kept
from .facts import ProfileFacts, profile_facts


def architecture_stats(store: Store) -> dict:
    facts = list(profile_facts(store).values())
    shape: dict[str, list[tuple[str | None, ...]]] = defaultdict(list)
    for kind, a, b, c in store.values(internal("stats_shape")).rows:
        if kind:
            shape[kind].append((a, b, c))
    total = len(facts)
    by_function = Counter({code: 0 for _, code, _ in shape["function"] if code})
    by_level = Counter({code: 0 for _, code, track in shape["level"] if code and track})
    by_track = Counter({code: 0 for _, code, _ in shape["track"] if code})
    for f in facts:
        if (
            f.function_code and f.level_code and f.track_code
        ):  # as coverage counts: placed in the taxonomy and on a ladder
            by_function[f.function_code] += 1
            by_level[f.level_code] += 1
            by_track[f.track_code] += 1
    assessed = [f for f in facts if f.min_score is not None]
    passing = [f for f in assessed if f.min_score is not None and f.min_score >= _threshold(f, shape)]
    expected, present = _rubric(facts, shape)
    return {
        "profiles": total,
        "foci": len({a for a, _, _ in shape["focus"]}),
        "profilesPerFunction": dict(sorted(by_function.items())),
        "profilesPerLevel": dict(sorted(by_level.items())),
        "profilesPerTrack": dict(sorted(by_track.items())),
        "skillsPerProfile": _spread([len(f.skills) for f in facts]),
        "sourcesPerProfile": _spread([f.sources for f in facts]),
        "qualityPassRate": round(len(passing) / len(assessed), 4) if assessed else None,
        "qualityAssessed": len(assessed),
        "aliasCoverage": round(sum(1 for f in facts if f.aliases) / total, 4) if total else None,
        "mappingCoverage": round(sum(1 for f in facts if f.mappings) / total, 4) if total else None,
        "rubricCompleteness": round(present / expected, 4) if expected else None,
        "declaredLanguages": declared_languages(store),
        "languages": language_coverage(store),
    }


UNTAGGED = "untagged"
LANGUAGES_STATE = "language-coverage"
Coverage = tuple[Counter[str], dict[str, Counter[str]]]  # texts of each kind; of each kind, by language


def _texts_by_language(store: Store) -> Coverage:
    have: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    for kind, _, found in store.values(internal("stats_languages")).rows:
        if not kind:
            continue
        totals[kind] += 1
        for language in set((found or "").split(" ")):
            have[language.split("-")[0] or UNTAGGED][kind] += 1
    return totals, have


def _encode(coverage: Coverage) -> dict:
    return {"totals": coverage[0], "have": coverage[1]}


def _decode(saved: dict) -> Coverage:
    return Counter(saved["totals"]), defaultdict(Counter, {k: Counter(v) for k, v in saved["have"].items()})


def declared_languages(store: Store) -> list[str]:
    """The languages the architecture says it is written in (ja:language)."""
    return sorted(language for (language,) in store.values(internal("declared_languages")).rows if language)


def language_coverage(store: Store) -> dict[str, dict[str, dict[str, int]]]:
    """For each language the texts are written in, declared, or the reader asked for: each kind of text (profile
    titles, responsibilities, skill names ...) with how many have it in that language and how many lack it;
    text without a language tag counts under "untagged". The counts are read once per version of the data."""
    totals, have = kept(store, LANGUAGES_STATE, 1, lambda: _texts_by_language(store), _encode, _decode)
    wanted = set(have) | set(declared_languages(store)) | {languages.primary()}
    if not totals:
        return {}
    return {
        language: {
            kind: {"present": have[language][kind], "missing": total - have[language][kind]}
            for kind, total in sorted(totals.items())
        }
        for language in sorted(wanted, key=lambda language: (language == UNTAGGED, language))
    }


def _threshold(facts: ProfileFacts, shape: dict[str, list[tuple[str | None, ...]]]) -> float:
    """The pass threshold of the profile's architecture's quality policy, else the default policy's."""
    own = {a: b for a, b, _ in shape["architecture"] if b is not None}
    default = next((float(b) for _, b, _ in shape["default threshold"] if b is not None), 4.0)
    value = own.get(facts.scheme)
    return float(value) if value is not None else default


def _rubric(facts: list[ProfileFacts], shape: dict[str, list[tuple[str | None, ...]]]) -> tuple[int, int]:
    """Rubric cells expected (each level of a track a function staffs, times each dimension) and present
    (a cell written for the function or for the whole architecture)."""
    levels_of: dict[str, set[str]] = defaultdict(set)
    for level, track, _ in shape["ladder"]:
        if level and track:
            levels_of[track].add(level)
    dimensions = {a for a, _, _ in shape["dimension"] if a}
    architectures = {a for a, _, _ in shape["architecture"] if a}
    cells = {(level, dimension, node) for level, dimension, node in shape["cell"]}
    staffed = {(f.function, f.track) for f in facts if f.function and f.track}
    expected = {(fn, level, dim) for fn, track in staffed for level in levels_of.get(track, ()) for dim in dimensions}
    written = {(node, level, dim) for level, dim, node in cells}
    present = {
        (fn, level, dim)
        for fn, level, dim in expected
        if (fn, level, dim) in written or any((arch, level, dim) in written for arch in architectures)
    }
    return len(expected), len(present)


def _spread(values: list[int]) -> dict:
    return {"min": min(values), "mean": round(mean(values), 2), "max": max(values)} if values else {}
