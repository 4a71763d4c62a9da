"""Skills with depth: what each profile needs of each skill, what changes between profiles, who fits whom.

A skill is stated on a focus (for all its levels) or on a profile (that
level), either plainly (``ja:requiresSkill``) or as a ``ja:SkillRequirement``
saying essential or optional, a proficiency and an importance. A profile's
requirement of a skill is its own statement where it has one and its focus's
otherwise, field by field, so a profile can raise a proficiency without
repeating whether the skill is essential. Plain statements are essential with
no proficiency. Everything else here (the page, ``compare``, ``path``,
``match``) reads the resolved :class:`Requirement`.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from rdflib import URIRef

from ..core.errors import JobarchError
from ..core.i18n import _
from ..core.namespaces import JA
from ..query import internal
from ..store import Store

OPTIONAL = str(JA.Optional)
ESSENTIAL = str(JA.Essential)


@dataclass(frozen=True)
class Statement:
    """What one focus or profile says about one skill (None where it says nothing)."""

    type: str | None = None
    proficiency: int | None = None
    importance: float | None = None


class Requirement(NamedTuple):
    """A profile's need of one skill, after its own statement and its focus's are merged (a named tuple: the
    facts of 10,000 profiles hold 160,000 of them, made in a blink)."""

    skill: str
    essential: bool = True
    proficiency: int | None = None
    importance: float | None = None
    own: bool = False  # the profile states something of its own about the skill
    shared: bool = False  # its focus states the skill (for all its levels)

    @property
    def kind(self) -> str:
        return "essential" if self.essential else "optional"


def resolve(focus: Mapping[str, Statement], own: Mapping[str, Statement]) -> tuple[Requirement, ...]:
    """A profile's requirements from its focus's statements and its own: the most specific wins, field by field."""
    out = []
    for skill in sorted(focus.keys() | own.keys()):
        mine, shared = own.get(skill, Statement()), focus.get(skill, Statement())
        kind = mine.type or shared.type
        out.append(
            Requirement(
                skill,
                kind != OPTIONAL,
                mine.proficiency if mine.proficiency is not None else shared.proficiency,
                mine.importance if mine.importance is not None else shared.importance,
                skill in own and mine != Statement(),
                skill in focus,
            )
        )
    return tuple(out)


def read_requirements(
    store: Store, profile_focus: Mapping[str, str], every: bool = False
) -> dict[str, tuple[Requirement, ...]]:
    """The resolved requirements of each profile in ``profile_focus`` (profile IRI -> focus IRI), by profile IRI;
    ``every`` when these are all the profiles (the statements are then read unbound, in one pass)."""
    foci = sorted({f for f in profile_focus.values() if f})
    if not foci:
        return dict.fromkeys(profile_focus, ())
    shared: dict[str, dict[str, Statement]] = defaultdict(dict)
    own: dict[str, dict[str, Statement]] = defaultdict(dict)
    bound = {} if every else {"focus": [URIRef(f) for f in foci]}
    rows = store.values(internal("skill_statements"), **bound).rows
    for focus, profile, skill, kind, proficiency, importance in rows:
        if not focus or not skill:
            continue
        statement = Statement(kind, _integer(proficiency), _decimal(importance))
        target = own[profile] if profile else shared[focus]
        target[skill] = _merge(target.get(skill), statement)
    return {p: resolve(shared.get(f, {}), own.get(p, {})) for p, f in profile_focus.items()}


def _merge(a: Statement | None, b: Statement) -> Statement:
    """Two rows of one holder about one skill (a plain and a qualified one, say): what either says."""
    if a is None:
        return b
    return Statement(
        a.type or b.type,
        a.proficiency if a.proficiency is not None else b.proficiency,
        a.importance if a.importance is not None else b.importance,
    )


def _integer(value: str | None) -> int | None:
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None  # an ill-typed proficiency: validation reports it


def _decimal(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def skill_names(store: Store, skills: Iterable[str] | None = None) -> dict[str, str]:
    """The name of each skill by IRI (of every skill when ``skills`` is None; the first name where one has several)."""
    bound: dict = {}
    if skills is not None:
        bound["skill"] = [URIRef(s) for s in sorted(set(skills))]
        if not bound["skill"]:
            return {}
    names: dict[str, str] = {}
    for skill, label, _definition, _order in store.values(internal("skill_details"), **bound).rows:
        if skill and label and (skill not in names or label < names[skill]):
            names[skill] = label
    return names


# ---------------------------------------------------------------- the scale
@dataclass(frozen=True)
class ProficiencyStep:
    value: int
    label: str
    anchor: str


def proficiency_scale(store: Store) -> list[ProficiencyStep]:
    """The architecture's proficiency steps, lowest first (empty when it declares none)."""
    steps = {}
    for _step, order, label, definition in store.values(internal("proficiency_scale")).rows:
        value = _integer(order)
        if value is not None and value not in steps:
            steps[value] = ProficiencyStep(value, label or str(value), definition or "")
    return [steps[v] for v in sorted(steps)]


def step_label(scale: Iterable[ProficiencyStep], value: int | None) -> str:
    """``3 (Practitioner)``, or ``–`` for no proficiency."""
    if value is None:
        return "–"
    name = next((s.label for s in scale if s.value == value), "")
    return f"{value} ({name})" if name else str(value)


# ---------------------------------------------------------------- changes between two profiles
@dataclass(frozen=True)
class SkillChange:
    """How the need of one skill differs from one profile to another."""

    skill: str
    label: str
    before: Requirement | None
    after: Requirement | None

    @property
    def kind(self) -> str:
        """new, dropped, up, down, now essential, now optional."""
        if self.before is None:
            return "new"
        if self.after is None:
            return "dropped"
        a, b = self.before.proficiency, self.after.proficiency
        if a is not None and b is not None and a != b:
            return "up" if b > a else "down"
        return "now essential" if self.after.essential else "now optional"

    def words(self) -> str:
        """The change in plain words, for the terminal, the page and CSV cells."""
        before, after = self.before, self.after
        if before is None and after is not None:
            if after.proficiency is not None:
                return _("%(skill)s (new, %(kind)s at %(depth)s)") % {
                    "skill": self.label,
                    "kind": kind_words(after),
                    "depth": after.proficiency,
                }
            return _("%(skill)s (new, %(kind)s)") % {"skill": self.label, "kind": kind_words(after)}
        if after is None:
            return _("%(skill)s (no longer needed)") % {"skill": self.label}
        assert before is not None
        parts = []
        if None not in (before.proficiency, after.proficiency) and before.proficiency != after.proficiency:
            parts.append(f"{_depth(before.proficiency)} → {_depth(after.proficiency)}")
        if before.essential != after.essential:
            parts.append(f"{kind_words(before)} → {kind_words(after)}")
        return f"{self.label} {', '.join(parts)}"


def kind_words(requirement: Requirement) -> str:
    """Essential or optional, in the reader's language (``Requirement.kind`` stays English: exports write it)."""
    return _("essential") if requirement.essential else _("optional")


def _depth(value: int | None) -> str:
    return "–" if value is None else str(value)


def _deeper_or_shallower(x: Requirement, y: Requirement) -> bool:
    return x.proficiency is not None and y.proficiency is not None and x.proficiency != y.proficiency


def skill_changes(
    before: Iterable[Requirement], after: Iterable[Requirement], labels: Mapping[str, str]
) -> list[SkillChange]:
    """What changes from ``before`` to ``after``: new skills, dropped ones, proficiency and essential/optional
    changes, ordered new first, then steps up, by name."""
    a, b = {r.skill: r for r in before}, {r.skill: r for r in after}
    changes = []
    for skill in a.keys() | b.keys():
        x, y = a.get(skill), b.get(skill)
        # a depth stated on one side only is not a change of depth (a plain statement says none)
        if x is not None and y is not None and x.essential == y.essential and not _deeper_or_shallower(x, y):
            continue
        changes.append(SkillChange(skill, labels.get(skill, skill), x, y))
    order = {"new": 0, "up": 1, "now essential": 2, "now optional": 3, "down": 4, "dropped": 5}
    return sorted(changes, key=lambda c: (order[c.kind], c.label.lower(), c.skill))


# ---------------------------------------------------------------- matching a person to profiles
@dataclass(frozen=True)
class Gap:
    """A skill a profile needs that the person lacks, or has below the profile's proficiency."""

    label: str
    have: int | None  # None: does not have it
    need: int | None
    essential: bool

    def words(self) -> str:
        """``Cleanroom Discipline (to 3)`` for a skill to learn, ``GMP Compliance 3 → 4`` for one to deepen."""
        if self.have is None:
            return (
                self.label
                if self.need is None
                else _("%(skill)s (to %(depth)s)") % {"skill": self.label, "depth": self.need}
            )
        return f"{self.label} {self.have} → {self.need}"


@dataclass
class Match:
    """How well one profile fits a person's skills, and what they would need to learn."""

    code: str
    title: str
    level: str
    essential_met: int  # essential skills the person has
    essential_total: int
    shortfall: int  # proficiency points lacking, over every skill the profile needs
    matched: int  # the person's skills the profile needs
    to_learn: list[Gap] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        return self.essential_met / self.essential_total if self.essential_total else 0.0


class Matches(list[Match]):
    """The best-fitting profiles, best first, with the lines of the person's skills that were skipped."""

    def __init__(self, matches: Iterable[Match] = (), skipped: Iterable[Skipped] = ()) -> None:
        super().__init__(matches)
        self.skipped = list(skipped)


def match_profiles(
    requirements: Mapping[str, tuple[Requirement, ...]],
    describe: Mapping[str, tuple[str, str, str]],
    wanted: Mapping[str, int | None],
    labels: Mapping[str, str],
    limit: int = 10,
) -> list[Match]:
    """The profiles that need any of the ``wanted`` skills (IRI -> proficiency the person has, None when not
    said), best first: the share of essential skills the person has, then fewest proficiency points lacking.

    ``describe`` gives each profile's (code, title, level code). A skill
    without a stated proficiency counts as met at any depth; a profile's skill
    without a proficiency lacks one point when the person does not have it.
    """
    matches = []
    for profile, needs in requirements.items():
        if not any(r.skill in wanted for r in needs) or profile not in describe:
            continue
        met = total = shortfall = matched = 0
        gaps = []
        for r in needs:
            have = wanted.get(r.skill, -1)
            total += r.essential
            if have == -1:
                gaps.append(Gap(labels.get(r.skill, r.skill), None, r.proficiency, r.essential))
                shortfall += r.proficiency if r.proficiency is not None else 1
                continue
            matched += 1
            met += r.essential
            if have is not None and r.proficiency is not None and have < r.proficiency:
                gaps.append(Gap(labels.get(r.skill, r.skill), have, r.proficiency, r.essential))
                shortfall += r.proficiency - have
        code, title, level = describe[profile]
        gaps.sort(key=lambda g: (not g.essential, g.have is not None, g.label.lower()))
        matches.append(Match(code, title, level, met, total, shortfall, matched, gaps))
    matches.sort(key=lambda m: (-m.coverage, m.shortfall, -m.matched, m.code))
    return matches[:limit]


@dataclass(frozen=True)
class Skipped:
    """A line of a person's skills that names no skill (with the closest names) or a depth off the scale."""

    spec: str
    reason: str
    suggestions: tuple[str, ...] = ()


def parse_wanted(
    specs: Iterable[str], labels: Mapping[str, str], scale: list[ProficiencyStep], *, strict: bool = True
) -> tuple[dict[str, int | None], list[Skipped]]:
    """``["GMP Compliance=3", "Aseptic Technique=Advanced", "cleanroom discipline"]`` as skill IRI ->
    proficiency, by skill name (any case) or IRI; the depth is a number on the scale or one of its names.

    A line that names no skill, or gives a depth off the scale, is an error
    (suggesting the nearest names, or giving the scale) when ``strict``; else
    it is skipped and returned with what is wrong, so one mistyped line does
    not lose the rest. Naming no known skill at all is always an error.
    """
    by_name: dict[str, str] = {}
    for iri, label in labels.items():
        by_name.setdefault(label.casefold(), iri)
    steps = {str(s.value): s.value for s in scale} | {s.label.casefold(): s.value for s in scale if s.label}
    wanted: dict[str, int | None] = {}
    skipped: list[Skipped] = []
    for spec in specs:
        name, _, depth = spec.rpartition("=") if "=" in spec else (spec, "", "")
        name = name.strip()
        skill = by_name.get(name.casefold()) or (name if name in labels else None)
        value = _depth_of(depth, steps)
        if skill is None:
            problem = Skipped(spec, f"no skill is named {name!r}", _closest_skills(name, by_name, labels))
        elif value is False:
            scale_words = ", ".join(f"{s.value} {s.label}".strip() for s in scale) or "whole numbers"
            problem = Skipped(spec, f"proficiency {depth.strip()!r} is not on the scale ({scale_words})")
        else:
            wanted[skill] = None if value is None else int(value)
            continue
        if strict:
            raise JobarchError(f"{spec!r}: {problem.reason}", hint=_hint(problem, skill))
        skipped.append(problem)
    if not wanted:
        if skipped:
            raise JobarchError(
                "none of these lines names a skill: " + "; ".join(f"{s.spec!r} ({s.reason})" for s in skipped),
                hint="; ".join(filter(None, (_hint(s, None) for s in skipped))),
            )
        raise JobarchError('name at least one skill, as --skill "GMP Compliance=3"')
    return wanted, skipped


def _hint(problem: Skipped, skill: str | None) -> str | None:
    if problem.suggestions:
        return "did you mean: " + ", ".join(problem.suggestions)
    return "list the skills with: jobarch query skills" if skill is None else None


def _closest_skills(name: str, by_name: Mapping[str, str], labels: Mapping[str, str], n: int = 3) -> tuple[str, ...]:
    """The skill names closest to a mistyped one: by spelling, then those containing one of its words (a plural
    or a shortened name: "bioreactors" finds "Bioreactor/Fermenter Operation")."""
    close = difflib.get_close_matches(name.casefold(), list(by_name), n, 0.6)
    stems = [w[:-1] if w.endswith("s") and len(w) > 4 else w for w in name.casefold().split() if len(w) >= 4]
    close += sorted(key for key in by_name if key not in close and any(stem in key for stem in stems))
    return tuple(labels[by_name[key]] for key in close[:n])


def _depth_of(depth: str, steps: Mapping[str, int]) -> int | None | bool:
    """A depth as written (``3``, ``Advanced``, ``3 Advanced``, empty) as its value on the scale; ``None`` for
    none given, ``False`` for one not on the scale. Without a scale any whole number is taken."""
    words = " ".join(depth.replace("—", " ").replace("-", " ").split()).casefold()
    if not words:
        return None
    if words in steps:
        return steps[words]
    number = words.split(" ", 1)[0]
    if number in steps:
        return steps[number]
    if not steps and number.isdigit():
        return int(number)
    return False
