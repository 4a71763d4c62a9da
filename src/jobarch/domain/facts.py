"""The facts jobarch reads about every profile: derived state kept with the store, updated from what changed.

Adjacency, career paths and ``stats`` need a few facts about *every*
profile: its taxonomy path and level (its coordinates), its skills, how many
sources, its lowest quality score, whether it has aliases and mappings. They
are read with a handful of single-pattern queries joined here, and a store
that can say what its data is (``fingerprint()``) and which subjects changed
since (``changes_since()``) keeps them in its state: a command on unchanged
files reads them back, and after an edit only the profiles that read a
changed subject (the profile, its focus, family, function, level or track)
are read again. Other stores read them once per process.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

from rdflib import URIRef

from ..core import languages
from ..query import internal
from ..store import Store, save_state, saved_state
from .skills import Requirement, read_requirements

STATE = "profile-facts"
VERSION = 5  # 4: rows keyed by COLUMNS; 5: titles in every language
PARTIAL_LIMIT = 0.3  # above this share of profiles touched, reading everything again is cheaper


@dataclass(frozen=True)
class ProfileFacts:
    """What jobarch knows of one profile without reading its page."""

    iri: str
    code: str = ""
    titles: tuple[tuple[str, str], ...] = ()  # (title, language) in every language the profile has one
    focus: str = ""
    family: str = ""
    function: str = ""
    function_code: str = ""
    level: str = ""
    level_code: str = ""
    grade: float | None = None
    track: str = ""
    track_code: str = ""
    sources: int = 0
    min_score: int | None = None
    aliases: int = 0
    mappings: int = 0
    scheme: str = ""
    requirements: tuple[Requirement, ...] = ()  # each skill with its depth (see domain/skills)

    @property
    def title(self) -> str:
        """The title in the reader's language (core/languages)."""
        return languages.choose(self.titles)

    @cached_property
    def skills(self) -> frozenset[str]:
        """The skills the profile needs, essential or optional (its requirements' skills)."""
        return frozenset(r.skill for r in self.requirements)

    @property
    def depends_on(self) -> set[str]:
        """The subjects whose statements these facts read."""
        return {self.iri, self.focus, self.family, self.function, self.level, self.track} - {""}


def profile_facts(store: Store) -> dict[str, ProfileFacts]:
    """Every profile's facts by IRI, from the store's derived state where it is current."""
    now, saved = saved_state(store, STATE, VERSION)
    if now is None:
        return read_facts(store)
    if saved is not None:
        if saved.get("fingerprint") == now:
            return _decode(saved)
        changes_since = getattr(store, "changes_since", None)
        touched = changes_since(saved.get("fingerprint")) if callable(changes_since) else None
        if touched is not None:
            facts = _update(store, _decode(saved), touched)
            if facts is not None:
                save_state(store, STATE, VERSION, now, _encode(facts))
                return facts
    facts = read_facts(store)
    save_state(store, STATE, VERSION, now, _encode(facts))
    return facts


def read_facts(store: Store, profiles: list[URIRef] | None = None) -> dict[str, ProfileFacts]:
    """The facts read from the store: of every profile, or only of ``profiles``."""
    bound: dict[str, Any] = {"profile": profiles} if profiles is not None else {}
    if profiles is not None and not profiles:
        return {}
    rows: dict[str, dict[str, Any]] = {}

    def each(query: str, **bindings: Any) -> list[tuple[str | None, ...]]:
        return store.values(internal(query), **bindings).rows

    for iri, code, title, language, focus, level, scheme in each("facts_profiles", **bound):
        if not iri:
            continue
        row = rows.setdefault(iri, {"iri": iri, "titles": set()})
        _first(row, "code", code)
        if title:
            row["titles"].add((title, language or ""))
        _first(row, "focus", focus)
        _first(row, "level", level)
        _first(row, "scheme", scheme)
    foci = sorted({r["focus"] for r in rows.values() if r.get("focus")})
    levels = sorted({r["level"] for r in rows.values() if r.get("level")})
    path = (
        {
            focus: (family, function, code)
            for focus, family, function, code in each("facts_taxonomy", focus=[URIRef(f) for f in foci])
            if focus
        }
        if foci
        else {}
    )
    ladder = (
        {
            level: (code, grade, track, track_code)
            for level, code, grade, track, track_code in each("facts_levels", level=[URIRef(v) for v in levels])
            if level
        }
        if levels
        else {}
    )
    requirements = read_requirements(
        store, {iri: row.get("focus", "") for iri, row in rows.items()}, every=profiles is None
    )
    counts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for iri, kind, value in each("facts_counts", **bound):
        if iri and kind and value:
            counts[iri][kind].add(value)
    scores: dict[str, int] = {}
    for iri, lowest in each("facts_scores", **bound):
        if iri and lowest is not None:
            try:
                scores[iri] = int(float(lowest))
            except ValueError:
                continue
    out = {}
    for iri, row in rows.items():
        family, function, function_code = path.get(row.get("focus", ""), ("", "", ""))
        level_code, grade, track, track_code = ladder.get(row.get("level", ""), ("", None, "", ""))
        out[iri] = ProfileFacts(
            iri=iri,
            code=row.get("code", ""),
            titles=tuple(sorted(row["titles"])),
            focus=row.get("focus", ""),
            family=family or "",
            function=function or "",
            function_code=function_code or "",
            level=row.get("level", ""),
            level_code=level_code or "",
            grade=_grade(grade),
            track=track or "",
            track_code=track_code or "",
            sources=len(counts[iri]["sources"]),
            min_score=scores.get(iri),
            aliases=len(counts[iri]["aliases"]),
            mappings=len(counts[iri]["mappings"]),
            scheme=row.get("scheme", ""),
            requirements=requirements.get(iri, ()),
        )
    return out


def _first(row: dict[str, Any], key: str, value: str | None) -> None:
    """Keep the smallest value where a profile states several (validation reports it; the choice is stable)."""
    if value and (key not in row or value < row[key]):
        row[key] = value


def _grade(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _update(store: Store, saved: dict[str, ProfileFacts], touched: set[str]) -> dict[str, ProfileFacts] | None:
    """The saved facts with those of profiles reading a changed subject read again; None to read all."""
    iris = {t[1:-1] for t in touched if t.startswith("<")}
    if not iris:
        return saved
    affected = {iri for iri, facts in saved.items() if facts.depends_on & iris}
    rows = store.values(internal("profiles_touching"), changed=[URIRef(i) for i in sorted(iris)])
    affected |= {r[0] for r in rows.rows if r[0]}
    if len(affected) > PARTIAL_LIMIT * max(len(saved), 1):
        return None
    fresh = read_facts(store, [URIRef(a) for a in sorted(affected)])
    return {**{k: v for k, v in saved.items() if k not in affected}, **fresh}


#: A saved row's columns: the fields of ProfileFacts in their order (a new field changes VERSION's meaning: bump it).
COLUMNS = tuple(f.name for f in fields(ProfileFacts))


def _encode(facts: dict[str, ProfileFacts]) -> dict:
    skills = sorted({s for f in facts.values() for s in f.skills})  # each requirement's skill as its number
    number = {s: i for i, s in enumerate(skills)}

    def column(f: ProfileFacts, name: str) -> Any:
        if name == "titles":
            return [list(t) for t in f.titles]
        if name != "requirements":
            return getattr(f, name)
        return [
            [number[r.skill], int(r.essential), r.proficiency, r.importance, int(r.own), int(r.shared)]
            for r in f.requirements
        ]

    return {"skills": skills, "rows": [[column(f, name) for name in COLUMNS] for f in facts.values()]}


def _decode(saved: dict) -> dict[str, ProfileFacts]:
    skills = saved["skills"]
    out = {}
    for row in saved["rows"]:
        values = dict(zip(COLUMNS, row, strict=True))
        values["titles"] = tuple((title, language) for title, language in values["titles"])
        values["requirements"] = tuple(
            Requirement(skills[i], e == 1, p, imp, own == 1, shared == 1)
            for i, e, p, imp, own, shared in values["requirements"]
        )
        out[values["iri"]] = ProfileFacts(**values)
    return out
