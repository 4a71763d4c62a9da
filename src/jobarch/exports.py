"""Exports other systems accept: SKOS, ESCO-style RDF and CSV, schema.org JSON-LD, SSSOM, flat CSV, RDF.

Every export reads the store through SPARQL (``queries/export`` and the
internal queries), so it works on every backend, and is deterministic: the
same architecture gives byte-identical output (canonical Turtle, sorted rows).
"""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from .errors import JobarchError
from .formatting import canonical_turtle
from .model import number, text
from .namespaces import ONTOLOGY_IRI, PREFIX_IRIS
from .output import serialize_graph
from .resources import resource_dir
from .store import Store
from .query import internal, with_standard_prefixes
from .writer import atomic_write

FORMATS = ("skos", "esco", "schema", "sssom", "csv", "rdf")
LIST_SEPARATOR = " | "
CSV_COLUMNS = ["code", "title", "definition", "status", "function_code", "function", "family_code", "family",
               "focus_code", "focus", "level_code", "level", "track", "grade", "min_years", "max_years",
               "aliases", "responsibilities", "skills", "sources", "quality", "mappings"]
ESCO_PREFIXES = {**PREFIX_IRIS, "esco": "http://data.europa.eu/esco/model#"}


def _export_query(name: str) -> str:
    return (resource_dir("queries") / "export" / f"{name}.rq").read_text(encoding="utf-8")


def _construct(store: Store, name: str) -> Graph:
    result = store.query(_export_query(name))
    return result.graph if result.graph is not None else Graph()


# ---------------------------------------------------------------------------- SKOS

def skos_graph(store: Store) -> Graph:
    return _construct(store, "skos")


def skos_problems(graph: Graph) -> list[tuple[str, str]]:
    """qSKOS-style integrity problems of a SKOS graph (empty: it passes)."""
    query = (resource_dir("queries") / "checks" / "skos.rq").read_text(encoding="utf-8")
    return [(str(r[0]), str(r[1])) for r in graph.query(query)]


def export_skos(store: Store) -> str:
    graph = skos_graph(store)
    problems = skos_problems(graph)
    if problems:
        raise JobarchError(f"the SKOS export fails its integrity checks: {problems[0][0]} ({problems[0][1]})",
                           hint=f"{len(problems)} problem(s); run jobarch validate")
    return canonical_turtle(graph, PREFIX_IRIS, ["# SKOS export of a jobarch architecture."])


# ---------------------------------------------------------------------------- per-profile rows

@dataclass
class ProfileRow:
    values: dict
    lists: dict = field(default_factory=lambda: defaultdict(list))


def profile_rows(store: Store) -> list[ProfileRow]:
    rows = {}
    for r in store.select(internal("export_profiles")):
        values = {k: ("" if v is None else str(v)) for k, v in r.items()}
        rows[str(r["profile"])] = ProfileRow(values)
    for r in store.select(internal("export_lists")):
        row = rows.get(str(r["profile"]))
        if row is not None:
            row.lists[str(r["kind"])].append(r)
    return [rows[k] for k in sorted(rows, key=lambda k: rows[k].values["code"])]


def _ordered(items: list[dict], by_label: bool = True) -> list[dict]:
    def key(r):
        order = number(r["order"]) if r["order"] is not None and not isinstance(r["order"], URIRef) else None
        return (order if isinstance(order, (int, float)) else 10**9, text(r["label"]) if by_label else "", text(r["value"]))
    unique = {}
    for r in items:
        unique.setdefault((text(r["value"]), text(r["label"]), text(r["extra"])), r)
    return sorted(unique.values(), key=key)


def _flat(row: ProfileRow) -> dict[str, str]:
    v, lists = row.values, row.lists
    return {
        "code": v["code"], "title": v["title"], "definition": v["definition"], "status": v["status"],
        "function_code": v["functionCode"], "function": v["function"], "family_code": v["familyCode"], "family": v["family"],
        "focus_code": v["focusCode"], "focus": v["focus"], "level_code": v["levelCode"], "level": v["level"],
        "track": v["track"], "grade": v["grade"], "min_years": v["minYears"], "max_years": v["maxYears"],
        "aliases": LIST_SEPARATOR.join(sorted({text(r["value"]) for r in lists["alias"]})),
        "responsibilities": LIST_SEPARATOR.join(text(r["value"]) for r in _ordered(lists["responsibility"], by_label=False)),
        "skills": LIST_SEPARATOR.join(text(r["label"]) for r in _ordered(lists["skill"])),
        "sources": LIST_SEPARATOR.join(text(r["label"]) for r in _ordered(lists["source"])),
        "quality": LIST_SEPARATOR.join(f"{text(r['label'])}={text(r['extra'])}" for r in _ordered(lists["score"])),
        "mappings": LIST_SEPARATOR.join(
            f"{text(r['label'])}:{text(r['value'])}:{text(r['extra'])}" + (f":{text(r['more'])}" if r["more"] is not None else "")
            for r in _ordered(lists["mapping"])),
    }


def export_csv(store: Store) -> str:
    """One row per profile; list columns joined with " | " (documented in the README)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in profile_rows(store):
        writer.writerow(_flat(row))
    return buffer.getvalue()


# ---------------------------------------------------------------------------- ESCO

def export_esco_rdf(store: Store) -> str:
    return canonical_turtle(_construct(store, "esco"), ESCO_PREFIXES, ["# jobarch profiles in the shape of ESCO's occupations and skills."])


def export_esco_csv(store: Store, out_dir: Path) -> list[Path]:
    """The three CSV files of ESCO's download layout (v1.1 column names)."""
    rows = profile_rows(store)
    occupations = [["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels", "status",
                    "modifiedDate", "regulatedProfessionNote", "scopeNote", "definition", "inScheme", "description", "code"]]
    skills: dict[str, list] = {}
    relations = [["occupationUri", "relationType", "skillType", "skillUri"]]
    for row in rows:
        isco = next((text(r["value"]) for r in row.lists["mapping"] if text(r["label"]) == "ISCO-08"), "")
        occupations.append(["Occupation", text(row.values["profile"]), isco, row.values["title"],
                            "\n".join(sorted({text(r["value"]) for r in row.lists["alias"]})),
                            "\n".join(sorted({text(r["value"]) for r in row.lists["hidden"]})), "released", "", "", "",
                            row.values["definition"], "", row.values["definition"], row.values["code"]])
        for r in _ordered(row.lists["skill"]):
            uri = text(r["value"])
            skills[uri] = ["KnowledgeSkillCompetence", uri, "skill/competence", "", text(r["label"]), "", "", "released",
                           "", "", text(r["extra"]), "", text(r["extra"])]
            relations.append([text(row.values["profile"]), "essential", "skill/competence", uri])
    skill_rows = [["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "hiddenLabels",
                   "status", "modifiedDate", "scopeNote", "definition", "inScheme", "description"]] + [skills[k] for k in sorted(skills)]
    written = []
    for name, table in (("occupations_en.csv", occupations), ("skills_en.csv", skill_rows),
                        ("occupationSkillRelations_en.csv", relations)):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(table)
        atomic_write(out_dir / name, buffer.getvalue())
        written.append(out_dir / name)
    return written


# ---------------------------------------------------------------------------- schema.org

SCHEMA_CONTEXT = {"@vocab": "https://schema.org/", "schema": "https://schema.org/"}


def export_schema(store: Store) -> str:
    """One schema.org Occupation per profile, as JSON-LD with an inline context (nothing to fetch)."""
    graph = []
    for row in profile_rows(store):
        v = row.values
        occupation = {"@id": v["profile"], "@type": "Occupation", "name": v["title"], "identifier": v["code"]}
        if v["definition"]:
            occupation["description"] = v["definition"]
        aliases = sorted({text(r["value"]) for r in row.lists["alias"]})
        if aliases:
            occupation["alternateName"] = aliases
        categories = []
        for r in _ordered(row.lists["mapping"]):
            code_set = {"@id": text(r["scheme"]), "@type": "CategoryCodeSet", "name": text(r["label"])}
            category = {"@type": "CategoryCode", "codeValue": text(r["value"]), "inCodeSet": code_set}
            if r["order"] is not None:
                category["@id"] = text(r["order"])  # the occupation's IRI in its scheme
            categories.append(category)
        if categories:
            occupation["occupationalCategory"] = categories
        skills = [{"@id": text(r["value"]), "@type": "DefinedTerm", "name": text(r["label"]), "description": text(r["extra"])}
                  for r in _ordered(row.lists["skill"])]
        if skills:
            occupation["skills"] = skills
        responsibilities = [text(r["value"]) for r in _ordered(row.lists["responsibility"], by_label=False)]
        if responsibilities:
            occupation["responsibilities"] = responsibilities
        if v["minYears"]:
            occupation["experienceRequirements"] = {"@id": v["profile"] + "#experience-requirements",
                                                    "@type": "OccupationalExperienceRequirements",
                                                    "monthsOfExperience": int(float(v["minYears"]) * 12)}
        graph.append(occupation)
    return json.dumps({"@context": SCHEMA_CONTEXT, "@graph": graph}, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


# ---------------------------------------------------------------------------- SSSOM

SSSOM_PREDICATES = {"exactMatch": "skos:exactMatch", "closeMatch": "skos:closeMatch", "broadMatch": "skos:broadMatch",
                    "narrowMatch": "skos:narrowMatch", "relatedMatch": "skos:relatedMatch"}


def export_sssom(store: Store, mapping_set_id: str = "https://w3id.org/jobarch/mappings/architecture.sssom.tsv") -> str:
    """The classification mappings as an SSSOM TSV with its metadata header."""
    curie_map = {"skos": "http://www.w3.org/2004/02/skos/core#", "semapv": "https://w3id.org/semapv/vocab/",
                 "ja": "https://w3id.org/jobarch#"}
    bases: dict[str, str] = {}
    lines = []
    for row in profile_rows(store):
        profile_iri, code = row.values["profile"], row.values["code"]
        subject_prefix = "japrofile"
        bases[subject_prefix] = profile_iri[: len(profile_iri) - len(code)] if profile_iri.endswith(code) else profile_iri.rsplit("/", 1)[0] + "/"
        for r in _ordered(row.lists["mapping"]):
            concept = text(r["order"])
            if not concept:
                continue
            scheme = text(r["scheme"])
            prefix = (scheme.rsplit("#", 1)[-1] if "#" in scheme else "scheme").lower()
            local = text(r["value"])
            bases.setdefault(prefix, concept[: len(concept) - len(local)] if concept.endswith(local) else concept)
            predicate = SSSOM_PREDICATES.get(text(r["relation"]).rsplit("#", 1)[-1], "skos:closeMatch")
            confidence = text(r["more"])
            lines.append([f"{subject_prefix}:{code}", row.values["title"], predicate, f"{prefix}:{local}",
                          "semapv:ManualMappingCuration" if text(r["extra"]) not in ("", "synth") else "semapv:UnspecifiedMatching",
                          confidence, text(r["extra"])])
    curie_map.update(bases)
    header = ["#curie_map:"] + [f"#  {k}: \"{v}\"" for k, v in sorted(curie_map.items())] + [
        f"#mapping_set_id: \"{mapping_set_id}\"", "#license: \"https://creativecommons.org/licenses/by/4.0/\"",
        "#mapping_set_description: \"Classification mappings of a jobarch job architecture\""]
    columns = ["subject_id", "subject_label", "predicate_id", "object_id", "mapping_justification", "confidence", "author_label"]
    body = ["\t".join(columns)] + ["\t".join(c.replace("\t", " ") for c in line) for line in sorted(lines)]
    return "\n".join(header + body) + "\n"


# ---------------------------------------------------------------------------- whole graph

RDF_FORMATS = {"turtle": "turtle", "nt": "nt", "json-ld": "json-ld", "xml": "xml"}


def export_rdf(store: Store, fmt: str = "turtle") -> str:
    """The whole architecture (not the ontology) as Turtle, N-Triples, JSON-LD or RDF/XML."""
    query = with_standard_prefixes(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <{ONTOLOGY_IRI}>) }}")
    graph = store.query(query).graph or Graph()
    if fmt == "turtle":
        return canonical_turtle(graph, PREFIX_IRIS)
    if fmt == "nt":
        return "".join(sorted(line + "\n" for line in graph.serialize(format="nt").splitlines() if line.strip()))
    return serialize_graph(graph, RDF_FORMATS[fmt])


def export(store: Store, fmt: str, out: Path | None, rdf_format: str = "turtle") -> str | list[Path]:
    if fmt == "esco" and out is not None and (out.is_dir() or out.suffix == ""):
        out.mkdir(parents=True, exist_ok=True)
        (out / "esco.ttl").write_text(export_esco_rdf(store), encoding="utf-8")
        return export_esco_csv(store, out) + [out / "esco.ttl"]
    content = {"skos": export_skos, "esco": export_esco_rdf, "schema": export_schema, "sssom": export_sssom,
               "csv": export_csv}.get(fmt)
    text_out = content(store) if content else export_rdf(store, rdf_format)
    if out is not None:
        atomic_write(out, text_out)
    return text_out


__all__ = ["FORMATS", "export", "skos_problems"]
