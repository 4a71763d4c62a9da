"""``export schema``: one schema.org ``Occupation`` per profile, as JSON-LD with an inline context."""

from __future__ import annotations

import json

from ...store import Store
from .rows import profile_records

DESCRIPTION = "one schema.org Occupation per profile (JSON-LD)"
SCHEMA_CONTEXT = {"@vocab": "https://schema.org/", "schema": "https://schema.org/"}


def text(value: str, language: str) -> str | dict:
    """A text with its language tag (JSON-LD's value object), plain when it has none."""
    return {"@value": value, "@language": language} if language else value


def export(store: Store) -> str:
    graph = []
    for r in profile_records(store):
        name = text(r.title, r.languages.get("title", ""))
        occupation: dict = {"@id": r.iri, "@type": "Occupation", "name": name, "identifier": r.code}
        if r.definition or r.inherited_definition:  # a profile without its own says what its focus does
            occupation["description"] = text(r.definition or r.inherited_definition, r.languages.get("definition", ""))
        if r.tagged_aliases:
            occupation["alternateName"] = [text(alias, language) for alias, language in r.tagged_aliases]
        categories = []
        for m in r.mappings:
            code_set = {"@id": m.scheme, "@type": "CategoryCodeSet", "name": m.scheme_label}
            category = {"@type": "CategoryCode", "codeValue": m.code, "inCodeSet": code_set}
            if m.concept:
                category["@id"] = m.concept  # the occupation's IRI in its scheme
            categories.append(category)
        if categories:
            occupation["occupationalCategory"] = categories
        skills = [
            {"@id": s.iri, "@type": "DefinedTerm", "name": text(s.label, s.language), "description": s.definition}
            for s in r.skills
        ]
        if skills:
            occupation["skills"] = skills
        if r.responsibilities:
            occupation["responsibilities"] = r.responsibilities
        if r.min_years:
            occupation["experienceRequirements"] = {
                "@id": r.iri + "#experience-requirements",
                "@type": "OccupationalExperienceRequirements",
                "monthsOfExperience": int(float(r.min_years) * 12),
            }
        graph.append(occupation)
    return (
        json.dumps({"@context": SCHEMA_CONTEXT, "@graph": graph}, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    )
