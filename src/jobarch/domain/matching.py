"""Matching a person's skills to profiles, over the facts kept with the store (see :mod:`.facts`)."""

from __future__ import annotations

from collections.abc import Iterable

from ..query import internal
from ..store import Store
from .facts import profile_facts
from .skills import Match, match_profiles, parse_wanted, proficiency_scale


def all_skill_labels(store: Store) -> dict[str, str]:
    """Every skill's name by IRI (the first, where one has several)."""
    labels: dict[str, str] = {}
    for skill, label in store.values(internal("skill_labels")).rows:
        if skill and label and (skill not in labels or label < labels[skill]):
            labels[skill] = label
    return labels


def find_matches(store: Store, skills: Iterable[str], limit: int = 10) -> list[Match]:
    """The profiles that best fit ``skills`` (``"GMP Compliance=3"``, or a name alone), best first, each with
    what the person would need to learn."""
    labels = all_skill_labels(store)
    wanted = parse_wanted(skills, labels, proficiency_scale(store))
    facts = profile_facts(store)
    describe = {iri: (f.code, f.title, f.level_code) for iri, f in facts.items()}
    requirements = {iri: f.requirements for iri, f in facts.items()}
    return match_profiles(requirements, describe, wanted, labels, limit)
