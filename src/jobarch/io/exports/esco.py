"""``export esco``: occupations and skills in ESCO's model, as RDF or as ESCO's CSV download layout.

RDF: ``esco:Occupation`` per profile with ``esco:relatedEssentialSkill`` or
``esco:relatedOptionalSkill`` (as the requirement says; ESCO has no proficiency),
ISCO groups as ``skos:broader``. With a directory, also
``occupations_en.csv``, ``skills_en.csv`` and ``occupationSkillRelations_en.csv``
(v1.1 column names), and the same three files for every other language the
profiles' titles are written in (``occupations_de.csv``).
"""

from __future__ import annotations

from pathlib import Path

from ...core import languages
from ...core.files import atomic_write
from ...core.namespaces import PREFIX_IRIS
from ...graph.turtle import canonical_turtle_from
from ...query import bundled
from ...store import Store
from ..csv_layout import csv_text
from .rows import ExportData, profile_records, read_export_data

DESCRIPTION = "occupations and skills in ESCO's model (RDF, or CSV files in a directory)"
WRITES_DIRECTORY = True


def export(store: Store) -> str:
    triples = store.construct(bundled("export", "esco"))
    header = ["# jobarch profiles in the shape of ESCO's occupations and skills."]
    return canonical_turtle_from(triples, PREFIX_IRIS, header)


def export_csv_files(store: Store, out_dir: Path) -> list[Path]:
    """The three CSV files of ESCO's download layout (v1.1 column names) for each language the profiles' titles
    are in (``occupations_de.csv`` beside ``occupations_en.csv``; untagged text is English): each file's texts in
    its language, a text missing in it in the reader's languages, so that no row lacks its label."""
    written = []
    data = read_export_data(store)  # read once, whatever the number of languages
    for language in title_languages(data.facts):
        with languages.reading((language, *languages.current())):
            tables = _tables(store, data)
        for name, table in tables:
            path = out_dir / f"{name}_{language}.csv"
            atomic_write(path, csv_text(table, line_end="\r\n"))  # ESCO's own files end lines with CRLF
            written.append(path)
    return written


def title_languages(facts: dict) -> list[str]:
    """The languages the profiles' titles are written in (primary tags; untagged text counts as English)."""
    found = {(language.split("-")[0] or "en").lower() for f in facts.values() for _, language in f.titles}
    return sorted(found or {"en"})


def _tables(store: Store, data: ExportData) -> list[tuple[str, list[list]]]:
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
    for r in profile_records(store, data):
        isco = next((m.code for m in r.mappings if _is_isco(m.scheme, m.scheme_label, m.code)), "")
        occupations.append(
            [
                "Occupation",
                r.iri,
                isco,
                r.title,
                "\n".join(r.aliases),
                "\n".join(r.hidden_labels),
                "released",
                r.modified,
                "",
                "",
                "",  # ESCO's definition column is rarely used; the text goes once, into description
                r.scheme,
                r.definition or r.inherited_definition,
                r.code,
            ]
        )
        for skill in r.skills:
            skills[skill.iri] = [
                "KnowledgeSkillCompetence",
                skill.iri,
                "skill/competence",
                "",
                skill.label,
                "",
                "",
                "released",
                skill.modified or r.modified,  # the skill's or its scheme's, else the architecture's
                "",
                "",
                skill.scheme,
                skill.definition,
            ]
            need = r.requirements.get(skill.iri)
            relations.append([r.iri, need.kind if need else "essential", "skill/competence", skill.iri])
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
    ]
    skill_rows += [skills[k] for k in sorted(skills)]
    return [("occupations", occupations), ("skills", skill_rows), ("occupationSkillRelations", relations)]


def _is_isco(scheme: str, label: str, code: str) -> bool:
    """An ISCO-08 group: the ontology's scheme, or an imported classification that says it is ISCO (ESCO's
    iscoGroup column holds a 1 to 4 digit ISCO code and nothing else)."""
    named = "ISCO" in label.upper() or "/isco" in scheme.lower()
    return named and code.isdigit() and len(code) <= 4


def export_directory(store: Store, out_dir: Path) -> list[Path]:
    """The RDF as ``esco.ttl`` and the three CSV files, in one (staging) directory."""
    atomic_write(out_dir / "esco.ttl", export(store))
    return [*export_csv_files(store, out_dir), out_dir / "esco.ttl"]
