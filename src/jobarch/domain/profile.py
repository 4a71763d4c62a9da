"""A job profile as the pages and comparisons see it, read from any store.

Everything is fetched with the SPARQL in ``queries/internal`` so that the same
code works on every backend. Inheritance happens here: a profile without a
definition takes the nearest one of its focus, family or function, and a
rubric cell written for a more specific taxonomy node wins over a broader one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from rdflib import Literal, URIRef

from ..core.errors import JobarchError, did_you_mean
from ..core.i18n import _
from ..graph.terms import integer, iri, number, text
from ..query import internal
from ..store import Store
from .facts import profile_facts
from .skills import (
    ProficiencyStep,
    Requirement,
    SkillChange,
    kind_words,
    proficiency_scale,
    read_requirements,
    skill_changes,
    step_label,
)

__all__ = [
    "Level",
    "Profile",
    "Quality",
    "get_profile",
    "number",
    "profile_codes",
    "resolve_profile",
    "text",
    "unknown_profile",
]


def years_range(low: float | int | None, high: float | int | None) -> str:
    """Write an experience range the way the profile page does: 5–8 or 7+."""

    def fmt(v: float | int) -> str:
        return str(int(v)) if float(v).is_integer() else str(v)

    if low is None:
        return "" if high is None else f"up to {fmt(high)}"
    if high is None:
        return f"{fmt(low)}+"
    return f"{fmt(low)}–{fmt(high)}"


@dataclass
class TaxonNode:
    iri: URIRef | None
    code: str = ""
    label: str = ""
    definition: str = ""


@dataclass
class Level:
    iri: URIRef
    code: str
    label: str
    definition: str = ""
    rank: int | None = None
    grade: int | None = None
    track_code: str = ""
    track_label: str = ""
    min_years: float | None = None
    max_years: float | None = None
    attributes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def experience(self) -> str:
        return years_range(self.min_years, self.max_years)


@dataclass
class LevelResponsibilities:
    code: str
    label: str
    rank: int | None
    profile_code: str
    items: list[str]
    current: bool
    track: str = ""
    grade: int | None = None
    iri: str = ""


@dataclass
class NextLevel:
    """What the next level of the same focus and track asks: its responsibilities, and the rubric's dimensions
    whose description changes (now, next)."""

    code: str
    label: str
    profile_code: str
    responsibilities: list[str]
    changes: list[tuple[str, str, str]]
    skills: list[SkillChange] = field(default_factory=list)  # new, deeper, now essential, ...


@dataclass
class RubricRow:
    level_code: str
    cells: list[str]


@dataclass
class Skill:
    iri: URIRef
    label: str
    definition: str
    inherited: bool
    requirement: Requirement | None = None  # essential or optional, the proficiency at this level


@dataclass
class Source:
    iri: URIRef
    title: str
    kind: str


@dataclass
class Quality:
    scores: list[tuple[str, int]]
    min_score: int
    max_score: int
    threshold: int

    @property
    def weakest(self) -> tuple[str, int] | None:
        return min(self.scores, key=lambda s: (s[1], s[0])) if self.scores else None

    @property
    def passed(self) -> bool:
        weakest = self.weakest
        return weakest is not None and weakest[1] >= self.threshold


@dataclass
class Mapping:
    scheme: str
    code: str
    source: str
    confidence: float | None
    concept: str
    relation: str


@dataclass
class Profile:
    iri: URIRef
    code: str
    title: str
    status: str
    definition: str
    function: TaxonNode
    family: TaxonNode
    focus: TaxonNode
    focus_note: str
    distinct_from: list[TaxonNode]
    level: Level
    responsibilities: list[LevelResponsibilities]
    rubric_dimensions: list[str]
    rubric: list[RubricRow]
    skills: list[Skill]
    sources: list[Source]
    quality: Quality
    aliases: list[str]
    hidden_labels: list[str]
    mappings: list[Mapping]
    scale: list[ProficiencyStep] = field(default_factory=list)
    requirements: dict[str, tuple[Requirement, ...]] = field(default_factory=dict)  # of each profile of the focus
    skill_names: dict[str, str] = field(default_factory=dict)

    def depth_of(self, skill: Skill) -> str:
        """How this level needs a skill, and the next level: ``essential · importance 4 of 5 · proficiency 3
        (Practitioner) · M3: 4 (Advanced)``; empty for a skill stated without depth."""
        r = skill.requirement
        if r is None or (r.proficiency is None and r.importance is None and r.essential):
            return ""
        words = kind_words(r)
        if r.importance is not None:  # O*NET's scale, 1 to 5
            value = int(r.importance) if float(r.importance).is_integer() else r.importance
            words += " · " + _("importance %(value)s of 5") % {"value": value}
        if r.proficiency is not None:
            words += " · " + _("proficiency %(step)s") % {"step": step_label(self.scale, r.proficiency)}
        up = self.level_above
        there = {n.skill: n.proficiency for n in self.requirements.get(up.profile_code, ())} if up else {}
        deeper = there.get(str(skill.iri))
        if up is not None and deeper is not None and deeper != r.proficiency:
            words += f" · {up.code}: {step_label(self.scale, deeper)}"
        return words

    @cached_property
    def level_above(self) -> LevelResponsibilities | None:
        """The profile of this focus one rank up this track (None at the top of the ladder)."""
        here = self.level.rank if self.level.rank is not None else 0
        above = [
            r
            for r in self.responsibilities
            if r.track == self.level.track_code and r.rank is not None and r.rank > here and not r.current
        ]
        return min(above, key=lambda r: (r.rank, r.code)) if above else None

    @property
    def page_title(self) -> str:
        return f"{self.function.label} / {self.title}"

    @property
    def own_responsibilities(self) -> list[str]:
        return next((r.items for r in self.responsibilities if r.current), [])

    @property
    def next_level(self) -> NextLevel | None:
        """The next profile up on this track in this focus, with what changes (None at the top of the ladder)."""
        up = self.level_above
        if up is None:
            return None
        rows = {row.level_code: row.cells for row in self.rubric}
        now, then = rows.get(self.level.code, []), rows.get(up.code, [])
        changes = [
            (dimension, a, b)
            for dimension, a, b in zip(self.rubric_dimensions, now, then, strict=False)
            if b and a != b
        ]
        skills = skill_changes(
            self.requirements.get(self.code, ()), self.requirements.get(up.profile_code, ()), self.skill_names
        )
        return NextLevel(
            up.code, up.label, up.profile_code, up.items, changes, [c for c in skills if c.kind != "dropped"]
        )

    @property
    def other_track_equivalent(self) -> LevelResponsibilities | None:
        """The profile of this focus at the same grade on another track (a P5 beside an M2, say)."""
        same = [
            r
            for r in self.responsibilities
            if r.track != self.level.track_code and r.grade is not None and r.grade == self.level.grade
        ]
        return min(same, key=lambda r: (r.track, r.code)) if same else None


def profile_codes(store: Store) -> list[str]:
    return sorted(text(r["code"]) for r in store.select(internal("profile_codes")))


def unknown_profile(store: Store, code: str) -> JobarchError:
    """The error for a code that names no profile, with the closest existing codes."""
    hint = did_you_mean(code, profile_codes(store)) or "list the codes with: jobarch query profiles"
    return JobarchError(f"no profile with code {code!r}", hint=hint)


def resolve_profile(store: Store, chosen: str, titles: dict[str, str] | None = None) -> str:
    """The code of the profile a person named by its code or its title (what a picker sends when nothing was
    picked from its list); a title two profiles share is refused with both codes. ``titles`` (code -> title), when
    the caller holds them, saves reading them."""
    chosen = " ".join(chosen.split())
    if titles is None:
        titles = {f.code: f.title for f in profile_facts(store).values()}
    if chosen in titles:
        return chosen
    wanted = chosen.casefold()
    found = sorted(
        code for code, title in titles.items() if wanted in (code.casefold(), " ".join(title.split()).casefold())
    )
    if len(found) == 1:
        return found[0]
    if found:
        raise JobarchError(f"{chosen!r} names {len(found)} profiles", hint="choose one code: " + ", ".join(found))
    raise unknown_profile(store, chosen)


def get_profile(store: Store, code: str) -> Profile:
    """Read one profile, with everything its page shows, from the store."""
    rows = store.select(internal("profile"), code=Literal(code))
    if not rows:
        raise unknown_profile(store, code)
    row = rows[0]
    profile = iri(row["profile"])
    function = TaxonNode(
        _optional_iri(row["function"]), text(row["functionCode"]), text(row["functionLabel"]), text(row["functionDef"])
    )
    family = TaxonNode(
        _optional_iri(row["family"]), text(row["familyCode"]), text(row["familyLabel"]), text(row["familyDef"])
    )
    focus_iri = iri(row["focus"])
    focus = TaxonNode(focus_iri, text(row["focusCode"]), text(row["focusLabel"]), text(row["focusDef"]))
    # a node without a definition shows the nearest broader one
    family.definition = family.definition or function.definition
    focus.definition = focus.definition or family.definition
    definition = text(row["profileDef"]) or focus.definition
    level = Level(
        iri(row["level"]),
        text(row["levelCode"]),
        text(row["levelLabel"]),
        text(row["levelDef"]),
        integer(row["rank"]),
        integer(row["grade"]),
        text(row["trackCode"]),
        text(row["trackLabel"]),
        number(row["minYears"]),
        number(row["maxYears"]),
    )
    level.attributes = [  # in the query's order
        (text(r["label"]), text(r["value"])) for r in store.select(internal("level_attributes"), level=level.iri)
    ]
    distinct = [
        TaxonNode(_optional_iri(r["other"]), text(r["code"]), text(r["label"]))
        for r in store.select(internal("distinct_foci"), focus=focus_iri)
    ]
    distinct.sort(key=lambda n: n.code)
    responsibilities = _responsibilities(store, focus_iri, profile)
    codes = {lv.iri: lv.profile_code for lv in responsibilities} | {str(profile): code}
    by_iri = read_requirements(store, dict.fromkeys(codes, str(focus_iri)))
    requirements = {codes[p]: reqs for p, reqs in by_iri.items()}
    details = _skill_details(store, {r.skill for reqs in requirements.values() for r in reqs})
    skills = _skills(requirements.get(code, ()), details)
    return Profile(
        iri=profile,
        code=code,
        title=text(row["title"]) or f"{focus.label} — {level.code}",
        status=text(row["statusLabel"]),
        definition=definition,
        function=function,
        family=family,
        focus=focus,
        focus_note=text(row["focusNote"]),
        distinct_from=distinct,
        level=level,
        responsibilities=responsibilities,
        **_rubric(store, focus_iri, {lv.code for lv in responsibilities}),
        skills=skills,
        sources=_sources(store, profile),
        quality=_quality(store, profile),
        **_labels(store, profile),
        mappings=_mappings(store, profile),
        scale=proficiency_scale(store),
        requirements=requirements,
        skill_names={iri: text(d["label"]) for iri, d in details.items()},
    )


def _optional_iri(node: object) -> URIRef | None:
    return node if isinstance(node, URIRef) else None


def _responsibilities(store: Store, focus: URIRef, current: URIRef) -> list[LevelResponsibilities]:
    """Every level of the focus with its responsibilities: the current track's ladder first, by rank, then the
    other track's (a reader on the P track does not see the M ladder interleaved with theirs)."""
    by_profile: dict[URIRef, LevelResponsibilities] = {}
    items: dict[URIRef, list[tuple[int, str]]] = {}
    for r in store.select(internal("focus_responsibilities"), focus=focus):
        p = iri(r["profile"])
        if p not in by_profile:
            by_profile[p] = LevelResponsibilities(
                text(r["levelCode"]),
                text(r["levelLabel"]),
                integer(r["rank"]),
                text(r["code"]),
                [],
                p == current,
                text(r["trackCode"]),
                integer(r["grade"]),
                str(p),
            )
            items[p] = []
        if r["text"] is not None:
            items[p].append((integer(r["order"]) or 0, text(r["text"])))
    for p, level in by_profile.items():
        level.items = [t for _, t in sorted(set(items[p]))]
    track = by_profile[current].track if current in by_profile else ""
    return sorted(
        by_profile.values(),
        key=lambda level: (level.track != track, level.track, level.rank if level.rank is not None else 99, level.code),
    )


def _rubric(store: Store, focus: URIRef, staffed: set[str]) -> dict:
    """The rubric at the levels the focus is staffed at (``staffed``: level codes), each cell from the deepest
    node of the focus's path that writes one."""
    best: dict[tuple[str, str], tuple[int, str]] = {}
    dims: dict[str, tuple[int, str]] = {}
    ranks: dict[str, int] = {}
    for r in store.select(internal("rubric"), focus=focus):
        lv, dim = text(r["levelCode"]), text(r["dimensionLabel"])
        if lv not in staffed:
            continue
        dims[dim] = (integer(r["dimensionOrder"]) or 99, dim)
        ranks[lv] = integer(r["rank"]) or 99
        depth = integer(r["depth"]) or 0
        key = (lv, dim)
        if key not in best or depth > best[key][0]:
            best[key] = (depth, text(r["text"]))
    dimensions = [d for _, d in sorted(dims.values())]
    rows = [
        RubricRow(lv, [best.get((lv, d), (0, ""))[1] for d in dimensions])
        for lv in sorted(ranks, key=lambda code: (ranks[code], code))
    ]
    return {"rubric_dimensions": dimensions, "rubric": rows}


def _skill_details(store: Store, skills: set[str]) -> dict[str, dict]:
    """Name, definition and display order of some skills, by IRI (the first name where one has several)."""
    details: dict[str, dict] = {}
    if skills:
        for r in store.select(internal("skill_details"), skill=[URIRef(s) for s in sorted(skills)]):
            found = details.get(str(r["skill"]))
            if found is None or text(r["label"]) < text(found["label"]):  # the same on every backend
                details[str(r["skill"])] = r
    return details


def _skills(needs: tuple[Requirement, ...], details: dict[str, dict]) -> list[Skill]:
    """The skills a profile needs (its focus's and its own, resolved in domain/skills), by display order."""
    skills = []
    for need in needs:
        r = details.get(need.skill, {})
        label = text(r.get("label")) or need.skill
        skill = Skill(URIRef(need.skill), label, text(r.get("definition")), need.shared, need)
        skills.append(((_order(r.get("order")), label.lower()), skill))
    return [skill for _, skill in sorted(skills, key=lambda item: item[0])]


def _order(node: object) -> float:
    """A display order (ja:order); items without one come last."""
    value = number(node) if isinstance(node, Literal) else None
    return value if value is not None else 10**9


def _sources(store: Store, profile: URIRef) -> list[Source]:
    found: dict[URIRef, tuple] = {}
    for r in store.select(internal("profile_sources"), profile=profile):
        key = (_order(r["order"]), text(r["title"]).lower())
        source = iri(r["source"])
        found.setdefault(source, (key, Source(source, text(r["title"]), text(r["kind"]))))
    return [s for _, s in sorted(found.values(), key=lambda item: item[0])]


def _quality(store: Store, profile: URIRef) -> Quality:
    rows = store.select(internal("profile_quality"), profile=profile)
    scores = sorted(
        {
            (text(r["dimensionLabel"]) or text(r["dimension"]), integer(r["score"]) or 0)
            for r in rows
            if r["score"] is not None
        }
    )
    policy = store.select(internal("quality_policy"), profile=profile)
    first = policy[0] if policy else {}
    return Quality(
        scores,
        integer(first.get("minScore")) or 1,
        integer(first.get("maxScore")) or 5,
        integer(first.get("threshold")) or 4,
    )


def _labels(store: Store, profile: URIRef) -> dict:
    alt: list[str] = []
    hidden: list[str] = []
    for r in store.select(internal("profile_labels"), profile=profile):
        (alt if str(r["kind"]).endswith("altLabel") else hidden).append(text(r["label"]))
    return {"aliases": sorted(set(alt)), "hidden_labels": sorted(set(hidden))}


def _mappings(store: Store, profile: URIRef) -> list[Mapping]:
    out = {}
    for r in store.select(internal("profile_mappings"), profile=profile):
        key = r["mapping"]
        if key in out and not r["relation"]:
            continue
        out[key] = Mapping(
            text(r["schemeLabel"]) or text(r["scheme"]),
            text(r["code"]),
            text(r["source"]),
            number(r["confidence"]),
            text(r["concept"]),
            text(r["relation"]).rsplit("#", 1)[-1] if r["relation"] else "",
        )
    return sorted(out.values(), key=lambda m: (m.scheme, m.code))
