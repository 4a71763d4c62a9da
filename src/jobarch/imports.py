"""Imports: bring flat and external data into a jobarch architecture (Turtle files a curator owns).

``csv``: the layout of ``jobarch export csv``; every row is checked first and
problems are reported by row and column, so nothing is written unless the whole
file is good. Files are written atomically, one per function plus one for the
shared parts (levels, skills, sources, quality dimensions).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import networkx as nx
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .errors import JobarchError, Location
from .exports import CSV_COLUMNS, LIST_SEPARATOR
from .formatting import canonical_turtle
from .load import read_text
from .namespaces import JA, PREFIX_IRIS
from .resources import ontology_path
from .writer import atomic_write

DEFAULT_BASE = "https://example.org/jobarch/imported/"
STATUSES = {"draft": JA.Draft, "in review": JA.InReview, "published": JA.Published}
MAX_ROWS = 1_000_000
TRACK_NAMES = {"M": "Management", "P": "Professional"}


@dataclass
class RowError:
    row: int
    column: str
    message: str


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _schemes() -> dict[str, tuple[URIRef, str]]:
    """Classification schemes of the ontology by label: (IRI, concept base)."""
    onto = Graph().parse(ontology_path(), format="turtle")
    found = {}
    for scheme in onto.subjects(RDF.type, JA.ClassificationScheme):
        label, base = onto.value(scheme, RDFS.label), onto.value(scheme, JA.conceptBase)
        if label is not None:
            found[str(label)] = (scheme, str(base or ""))
    return found


def import_csv(path: Path, out_dir: Path, base: str = DEFAULT_BASE, lang: str = "en") -> list[Path]:
    """Read a profile CSV and write an architecture; raise with every bad cell if any."""
    text = read_text(path)
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in ("code", "function_code", "family_code", "focus_code", "level_code") if c not in (reader.fieldnames or [])]
    if missing:
        raise JobarchError(f"missing column {missing[0]!r}", Location(path, 1),
                           hint="the layout is the one `jobarch export csv` writes: " + ", ".join(CSV_COLUMNS))
    ns = {k: Namespace(base + k + "/") for k in ("function", "family", "focus", "profile", "level", "track", "skill", "source", "quality")}
    arch = URIRef(base + "architecture")
    shared, by_function = Graph(), {}
    errors: list[RowError] = []
    schemes = _schemes()
    sequences: dict[str, list[list]] = {"skill": [], "source": []}
    shared.add((arch, RDF.type, JA.JobArchitecture))
    shared.add((arch, SKOS.prefLabel, Literal("Imported architecture", lang=lang)))
    skills_scheme = URIRef(base + "skills")
    shared.add((skills_scheme, RDF.type, SKOS.ConceptScheme))
    shared.add((skills_scheme, SKOS.prefLabel, Literal("Skills", lang=lang)))

    def text_(value: str) -> Literal:
        return Literal(value, lang=lang)

    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS:
            raise JobarchError(f"more than {MAX_ROWS:,} rows", Location(path, number))
        def need(column: str) -> str:
            value = (row.get(column) or "").strip()
            if not value:
                errors.append(RowError(number, column, "is empty"))
            elif not re.fullmatch(r"[A-Za-z0-9._-]+", value):
                errors.append(RowError(number, column, f"{value!r} is not a code (letters, digits, dots, hyphens)"))
            return value
        code, fn, fam, focus, level = (need(c) for c in ("code", "function_code", "family_code", "focus_code", "level_code"))
        if code and fn and focus and level and code != f"{fn}.{focus}.{level}":
            errors.append(RowError(number, "code", f"{code!r} should be {fn}.{focus}.{level}"))
        g = by_function.setdefault(fn, Graph())
        f_iri, fam_iri, foc_iri, p_iri, l_iri = ns["function"][fn], ns["family"][fam], ns["focus"][focus], ns["profile"][code], ns["level"][level]
        for iri, kind, c, label in ((f_iri, JA.Function, fn, row.get("function")), (fam_iri, JA.JobFamily, fam, row.get("family")),
                                    (foc_iri, JA.Focus, focus, row.get("focus"))):
            g.add((iri, RDF.type, kind))
            g.add((iri, JA.code, Literal(c)))
            g.add((iri, SKOS.inScheme, arch))
            if label:
                g.add((iri, SKOS.prefLabel, text_(label)))
        g.add((f_iri, SKOS.topConceptOf, arch))
        g.add((fam_iri, SKOS.broader, f_iri))
        g.add((foc_iri, SKOS.broader, fam_iri))
        shared.add((l_iri, RDF.type, JA.Level))
        shared.add((l_iri, JA.code, Literal(level)))
        rank = re.search(r"(\d+)$", level)
        if rank:  # the CSV has no rank column: M2 is the second rung of its track
            shared.add((l_iri, JA.rank, Literal(int(rank.group(1)))))
        if row.get("level"):
            shared.add((l_iri, SKOS.prefLabel, text_(row["level"])))
        if row.get("track"):
            track = ns["track"][row["track"]]
            shared.add((track, RDF.type, JA.Track))
            shared.add((track, JA.code, Literal(row["track"])))
            shared.add((track, SKOS.prefLabel, text_(TRACK_NAMES.get(row["track"], row["track"]))))
            shared.add((l_iri, JA.track, track))
        for column, prop, kind in (("grade", JA.grade, "integer"), ("min_years", JA.minYearsExperience, "decimal"),
                                   ("max_years", JA.maxYearsExperience, "decimal")):
            value = (row.get(column) or "").strip()
            if value:
                try:
                    shared.add((l_iri, prop, Literal(int(value)) if kind == "integer" else Literal(Decimal(value) if "." in value else int(value))))
                except (ValueError, InvalidOperation):
                    errors.append(RowError(number, column, f"{value!r} is not a number"))
        g.add((p_iri, RDF.type, JA.JobProfile))
        g.add((p_iri, JA.code, Literal(code)))
        g.add((p_iri, SKOS.inScheme, arch))
        g.add((p_iri, JA.focus, foc_iri))
        g.add((p_iri, JA.level, l_iri))
        for column, prop in (("title", SKOS.prefLabel), ("definition", SKOS.definition)):
            if row.get(column):
                g.add((p_iri, prop, text_(row[column])))
        status = (row.get("status") or "").strip().lower()
        if status:
            if status not in STATUSES:
                errors.append(RowError(number, "status", f"{row['status']!r} is not one of {', '.join(STATUSES)}"))
            else:
                g.add((p_iri, JA.status, STATUSES[status]))
        for alias in _items(row.get("aliases")):
            g.add((p_iri, SKOS.altLabel, text_(alias)))
        for i, sentence in enumerate(_items(row.get("responsibilities")), 1):
            node = URIRef(f"{p_iri}/responsibility/{i}")
            g.add((p_iri, JA.responsibility, node))
            g.add((node, JA.order, Literal(i)))
            g.add((node, JA.text, text_(sentence)))
        sequences["skill"].append([ns["skill"][_slug(label)] for label in _items(row.get("skills"))])
        sequences["source"].append([ns["source"][_slug(title)] for title in _items(row.get("sources"))])
        for label in _items(row.get("skills")):
            skill = ns["skill"][_slug(label)]
            shared.add((skill, RDF.type, JA.Skill))
            shared.add((skill, SKOS.prefLabel, text_(label)))
            shared.add((skill, SKOS.inScheme, skills_scheme))
            g.add((p_iri, JA.requiresSkill, skill))
        for title in _items(row.get("sources")):
            source = ns["source"][_slug(title)]
            shared.add((source, RDF.type, JA.Source))
            shared.add((source, DCTERMS.title, text_(title)))
            g.add((p_iri, PROV.wasDerivedFrom, source))
        scores = _items(row.get("quality"))
        if scores:
            assessment = URIRef(f"{p_iri}/quality")
            g.add((p_iri, JA.qualityAssessment, assessment))
            g.add((assessment, RDF.type, JA.QualityAssessment))
            for item in scores:
                name, _, score = item.rpartition("=")
                if not name or not score.strip().lstrip("-").isdigit():
                    errors.append(RowError(number, "quality", f"{item!r} is not DIMENSION=SCORE"))
                    continue
                dimension = ns["quality"][_slug(name)]
                shared.add((dimension, RDF.type, JA.QualityDimension))
                shared.add((dimension, SKOS.prefLabel, text_(name)))
                entry = URIRef(f"{assessment}/{_slug(name)}")
                g.add((assessment, JA.dimensionScore, entry))
                g.add((entry, JA.qualityDimension, dimension))
                g.add((entry, JA.score, Literal(int(score))))
        for i, item in enumerate(_items(row.get("mappings")), 1):
            parts = item.split(":")
            scheme_label = parts[0] if parts else ""
            if len(parts) < 3 or scheme_label not in schemes:
                errors.append(RowError(number, "mappings", f"{item!r} is not SCHEME:CODE:SOURCE[:CONFIDENCE] with a known scheme"
                                                           f" ({', '.join(sorted(schemes))})"))
                continue
            scheme, concept_base = schemes[scheme_label]
            mapping = URIRef(f"{p_iri}/mapping/{i}")
            concept = URIRef(concept_base + parts[1])
            g.add((p_iri, JA.classificationMapping, mapping))
            g.add((mapping, RDF.type, JA.ClassificationMapping))
            g.add((mapping, JA.mappingScheme, scheme))
            g.add((mapping, JA.mappedCode, Literal(parts[1])))
            g.add((mapping, JA.mappedConcept, concept))
            g.add((mapping, JA.mappingSource, Literal(parts[2])))
            if len(parts) > 3 and parts[3]:
                try:
                    g.add((mapping, JA.confidence, Literal(Decimal(parts[3]), datatype=XSD.decimal)))
                except InvalidOperation:
                    errors.append(RowError(number, "mappings", f"confidence {parts[3]!r} is not a number"))
            g.add((p_iri, SKOS.closeMatch, concept))
    if errors:
        first = errors[0]
        raise JobarchError(f"row {first.row}, column {first.column!r}: {first.message}", Location(path, first.row),
                           hint=f"{len(errors)} problem(s) in all; nothing was written" + "".join(
                               f"\n  row {e.row}, column {e.column!r}: {e.message}" for e in errors[1:20]))
    for seqs in sequences.values():
        for node, position in _consistent_order(seqs).items():
            shared.add((node, JA.order, Literal(position)))
    prefixes = {**PREFIX_IRIS, **{k: str(v) for k, v in ns.items()}, "arch": base}
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "architecture.ttl"
    atomic_write(target, canonical_turtle(shared, prefixes, [f"# Imported from {path.name}: levels, skills, sources."]))
    written.append(target)
    for fn, graph in sorted(by_function.items()):
        target = out_dir / f"{_slug(fn)}.ttl"
        atomic_write(target, canonical_turtle(graph, prefixes, [f"# Imported from {path.name}: function {fn}."]))
        written.append(target)
    return written


def _items(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split(LIST_SEPARATOR) if part.strip()]


def _consistent_order(sequences: list[list]) -> dict:
    """One global order that keeps every row's order of its items (rows list skills and sources in display order)."""
    graph = nx.DiGraph()
    for seq in sequences:
        graph.add_nodes_from(seq)
        graph.add_edges_from(zip(seq, seq[1:]))
    try:
        ordered = list(nx.lexicographical_topological_sort(graph, key=str))
    except nx.NetworkXUnfeasible:  # rows disagree: keep first appearance
        ordered = list(dict.fromkeys(item for seq in sequences for item in seq))
    return {node: i for i, node in enumerate(ordered, 1)}
