"""``export esco``: occupations and skills in ESCO's model, as RDF or as ESCO's CSV download layout.

RDF: ``esco:Occupation`` per profile with ``esco:relatedEssentialSkill``,
ISCO groups as ``skos:broader``. With a directory, also
``occupations_en.csv``, ``skills_en.csv`` and ``occupationSkillRelations_en.csv``
(v1.1 column names).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rdflib import Graph

from ...core.files import atomic_write
from ...core.namespaces import PREFIX_IRIS
from ...graph.terms import text
from ...graph.turtle import canonical_turtle
from ...query import bundled
from ...store import Store
from .rows import ordered, profile_rows

DESCRIPTION = "occupations and skills in ESCO's model (RDF, or CSV files in a directory)"
WRITES_DIRECTORY = True


def export(store: Store) -> str:
    result = store.query(bundled("export", "esco"))
    graph = result.graph if result.graph is not None else Graph()
    return canonical_turtle(graph, PREFIX_IRIS, ["# jobarch profiles in the shape of ESCO's occupations and skills."])


def export_csv_files(store: Store, out_dir: Path) -> list[Path]:
    """The three CSV files of ESCO's download layout (v1.1 column names)."""
    rows = profile_rows(store)
    occupations = [
        [
            "conceptType",
            "conceptUri",
            "iscoGroup",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "modifiedDate",
            "regulatedProfessionNote",
            "scopeNote",
            "definition",
            "inScheme",
            "description",
            "code",
        ]
    ]
    skills: dict[str, list] = {}
    relations = [["occupationUri", "relationType", "skillType", "skillUri"]]
    for row in rows:
        isco = next((text(r["value"]) for r in row.lists["mapping"] if text(r["label"]) == "ISCO-08"), "")
        occupations.append(
            [
                "Occupation",
                text(row.values["profile"]),
                isco,
                row.values["title"],
                "\n".join(sorted({text(r["value"]) for r in row.lists["alias"]})),
                "\n".join(sorted({text(r["value"]) for r in row.lists["hidden"]})),
                "released",
                "",
                "",
                "",
                row.values["definition"],
                "",
                row.values["definition"],
                row.values["code"],
            ]
        )
        for r in ordered(row.lists["skill"]):
            uri = text(r["value"])
            skills[uri] = [
                "KnowledgeSkillCompetence",
                uri,
                "skill/competence",
                "",
                text(r["label"]),
                "",
                "",
                "released",
                "",
                "",
                text(r["extra"]),
                "",
                text(r["extra"]),
            ]
            relations.append([text(row.values["profile"]), "essential", "skill/competence", uri])
    skill_rows = [
        [
            "conceptType",
            "conceptUri",
            "skillType",
            "reuseLevel",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "modifiedDate",
            "scopeNote",
            "definition",
            "inScheme",
            "description",
        ]
    ] + [skills[k] for k in sorted(skills)]
    written = []
    for name, table in (
        ("occupations_en.csv", occupations),
        ("skills_en.csv", skill_rows),
        ("occupationSkillRelations_en.csv", relations),
    ):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(table)
        atomic_write(out_dir / name, buffer.getvalue())
        written.append(out_dir / name)
    return written


def export_directory(store: Store, out_dir: Path) -> list[Path]:
    """The RDF as ``esco.ttl`` and the three CSV files, in one directory."""
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(out_dir / "esco.ttl", export(store))
    return [*export_csv_files(store, out_dir), out_dir / "esco.ttl"]
