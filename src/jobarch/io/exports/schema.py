"""``export schema``: one schema.org ``Occupation`` per profile, as JSON-LD with an inline context."""

from __future__ import annotations

import json

from ...graph.terms import text
from ...store import Store
from .rows import ordered, profile_rows

DESCRIPTION = "one schema.org Occupation per profile (JSON-LD)"
SCHEMA_CONTEXT = {"@vocab": "https://schema.org/", "schema": "https://schema.org/"}


def export(store: Store) -> str:
    graph = []
    for row in profile_rows(store):
        v = row.values
        occupation: dict = {"@id": v["profile"], "@type": "Occupation", "name": v["title"], "identifier": v["code"]}
        if v["definition"]:
            occupation["description"] = v["definition"]
        aliases = sorted({text(r["value"]) for r in row.lists["alias"]})
        if aliases:
            occupation["alternateName"] = aliases
        categories = []
        for r in ordered(row.lists["mapping"]):
            code_set = {"@id": text(r["scheme"]), "@type": "CategoryCodeSet", "name": text(r["label"])}
            category = {"@type": "CategoryCode", "codeValue": text(r["value"]), "inCodeSet": code_set}
            if r["order"] is not None:
                category["@id"] = text(r["order"])  # the occupation's IRI in its scheme
            categories.append(category)
        if categories:
            occupation["occupationalCategory"] = categories
        skills = [
            {"@id": text(r["value"]), "@type": "DefinedTerm", "name": text(r["label"]), "description": text(r["extra"])}
            for r in ordered(row.lists["skill"])
        ]
        if skills:
            occupation["skills"] = skills
        responsibilities = [text(r["value"]) for r in ordered(row.lists["responsibility"], by_label=False)]
        if responsibilities:
            occupation["responsibilities"] = responsibilities
        if v["minYears"]:
            occupation["experienceRequirements"] = {
                "@id": v["profile"] + "#experience-requirements",
                "@type": "OccupationalExperienceRequirements",
                "monthsOfExperience": int(float(v["minYears"]) * 12),
            }
        graph.append(occupation)
    return (
        json.dumps({"@context": SCHEMA_CONTEXT, "@graph": graph}, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    )
