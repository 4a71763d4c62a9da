"""Matching a person's skills to profiles, over the facts kept with the store (see :mod:`.facts`)."""

from __future__ import annotations

from collections.abc import Iterable

from ..store import Store
from .adjacency import AdjacencyIndex
from .facts import profile_facts
from .profile import unknown_profile
from .skills import Matches, match_profiles, parse_wanted, proficiency_scale, skill_names


def find_matches(
    store: Store, skills: Iterable[str], limit: int = 10, *, strict: bool = True, index: AdjacencyIndex | None = None
) -> Matches:
    """The profiles that best fit ``skills`` (``"GMP Compliance=3"``, ``"GMP Compliance=Advanced"`` or a name
    alone), best first, each with what the person would need to learn; unless ``strict``, lines that name no skill
    are skipped and listed (``Matches.skipped``) with the closest names. With ``index``, the requirements are
    read from its coordinates (the profiles with a whole taxonomy path and a graded level) instead of the facts."""
    labels = skill_names(store)
    wanted, skipped = parse_wanted(skills, labels, proficiency_scale(store), strict=strict)
    if index is not None:  # a caller holding the index holds every profile's requirements already
        describe = {code: (c.code, c.title, c.level) for code, c in index.profiles.items()}
        requirements = {code: c.requirements for code, c in index.profiles.items()}
    else:
        facts = profile_facts(store)
        describe = {iri: (f.code, f.title, f.level_code) for iri, f in facts.items()}
        requirements = {iri: f.requirements for iri, f in facts.items()}
    return Matches(match_profiles(requirements, describe, wanted, labels, limit), skipped)


def skills_of(store: Store, code: str, index: AdjacencyIndex | None = None) -> list[str]:
    """A profile's requirements as a person would write their skills (``GMP Compliance=3``), essential first: the
    start of "match from my profile" (from the index's coordinates when given, else the profile facts)."""
    if index is not None and code in index.profiles:
        requirements = index.profiles[code].requirements
    else:
        facts = next((f for f in profile_facts(store).values() if f.code == code), None)
        if facts is None:
            raise unknown_profile(store, code)
        requirements = facts.requirements
    labels = skill_names(store, {r.skill for r in requirements})
    needs = sorted(requirements, key=lambda r: (not r.essential, labels.get(r.skill, r.skill).casefold()))
    return [labels.get(r.skill, r.skill) + ("" if r.proficiency is None else f"={r.proficiency}") for r in needs]
