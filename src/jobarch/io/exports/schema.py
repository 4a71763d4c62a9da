"""``export schema``: one schema.org ``Occupation`` per profile, as JSON-LD with an inline context."""

from __future__ import annotations

import json

from ...store import Store
from .rows import profile_records

DESCRIPTION = "one schema.org Occupation per profile (JSON-LD)"
SCHEMA_CONTEXT = {"@vocab": "https://schema.org/", "schema": "https://schema.org/"}


def text(value: str, language: str | None = None) -> str | dict:
    """A text with its language tag (JSON-LD's value object), plain when it has none; without ``language``, the
    one a chosen text (core.languages.Text) keeps."""
    language = language if language is not None else getattr(value, "language", "")
    return {"@value": str(value), "@language": language} if language else str(value)


def every_language(texts: list[tuple[str, str]]) -> str | dict | list:
    """A property's texts in every language (one value where there is one)."""
    values = [text(value, language) for value, language in texts]
    return values[0] if len(values) == 1 else values


def export(store: Store) -> str:
    graph = []
    for r in profile_records(store):
        name = every_language(r.texts["title"]) if r.texts["title"] else r.title
        occupation: dict = {"@id": r.iri, "@type": "Occupation", "name": name, "identifier": r.code}
        if r.texts["definition"]:  # a profile without its own says what its focus does
            occupation["description"] = every_language(r.texts["definition"])
        if r.texts["alias"]:
            occupation["alternateName"] = [text(alias, language) for alias, language in r.texts["alias"]]
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
            {"@id": s.iri, "@type": "DefinedTerm", "name": text(s.label), "description": s.definition} for s in r.skills
        ]
        if skills:
            occupation["skills"] = skills
        if r.texts["responsibility"]:
            occupation["responsibilities"] = [text(t, language) for t, language in r.texts["responsibility"]]
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
