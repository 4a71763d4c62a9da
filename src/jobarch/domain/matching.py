"""Matching a person's skills to profiles, over the facts kept with the store (see :mod:`.facts`)."""

from __future__ import annotations

from collections.abc import Iterable

from ..store import Store
from .facts import profile_facts
from .skills import Match, match_profiles, parse_wanted, proficiency_scale, skill_names


def find_matches(store: Store, skills: Iterable[str], limit: int = 10) -> list[Match]:
    """The profiles that best fit ``skills`` (``"GMP Compliance=3"``, or a name alone), best first, each with
    what the person would need to learn."""
    labels = skill_names(store)
    wanted = parse_wanted(skills, labels, proficiency_scale(store))
    facts = profile_facts(store)
    describe = {iri: (f.code, f.title, f.level_code) for iri, f in facts.items()}
    requirements = {iri: f.requirements for iri, f in facts.items()}
    return match_profiles(requirements, describe, wanted, labels, limit)
