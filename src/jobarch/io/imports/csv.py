"""``import csv``: the flat layout of ``export csv`` (:mod:`jobarch.io.csv_layout`) back into architecture files.

Every row is checked first and problems are reported by row and column, so
nothing is written unless the whole file is good. Files are written
atomically, one per function plus one for the shared parts (levels, skills,
sources, quality dimensions).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import networkx as nx
from rdflib import Literal
from rdflib.namespace import RDF, SKOS

from ...core.errors import JobarchError, Location
from ...core.files import read_text
from ...core.namespaces import JA
from ..csv_layout import COLUMNS, REQUIRED, restore, split_items
from .builder import DEFAULT_BASE, ArchitectureBuilder, classification_schemes, slug

STATUSES = {"draft": JA.Draft, "in review": JA.InReview, "published": JA.Published}
MAX_ROWS = 1_000_000


@dataclass
class RowError:
    row: int
    column: str
    message: str


def import_csv(path: Path, out_dir: Path, base: str = DEFAULT_BASE, lang: str = "en") -> list[Path]:
    """Read a profile CSV and write an architecture; raise with every bad cell if any."""
    text = read_text(path).removeprefix("\ufeff")  # a spreadsheet's byte-order mark is not part of "code"
    csv.field_size_limit(max(len(text), 131072))  # a cell may be as large as the file the size limit let in
    # the csv module reads line breaks itself: blank lines and U+2028 inside a quoted cell are the cell's own
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return _import_rows(path, reader, out_dir, base, lang)
    except csv.Error as exc:
        raise JobarchError(f"malformed CSV: {exc}", Location(path, reader.line_num or None)) from None


def _import_rows(path: Path, reader: csv.DictReader, out_dir: Path, base: str, lang: str) -> list[Path]:
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise JobarchError(
            f"missing column {missing[0]!r}",
            Location(path, 1),
            hint="the layout is the one `jobarch export csv` writes: " + ", ".join(COLUMNS),
        )
    b = ArchitectureBuilder(base, lang)
    shared = b.graph("architecture")
    errors: list[RowError] = []
    schemes = classification_schemes()
    sequences: dict[str, list[list]] = {"skill": [], "source": []}
    b.scheme(shared, "Imported architecture")
    shared.add((b.skills_scheme, SKOS.prefLabel, b.text("Skills")))
    shared.add((b.skills_scheme, RDF.type, SKOS.ConceptScheme))

    for number, raw in enumerate(reader, start=2):
        row = {column: restore(value) if isinstance(value, str) else value for column, value in raw.items()}
        if number > MAX_ROWS:
            raise JobarchError(f"more than {MAX_ROWS:,} rows", Location(path, number))

        def need(column: str, row: dict = row, number: int = number) -> str:
            value = (row.get(column) or "").strip()
            if not value:
                errors.append(RowError(number, column, "is empty"))
            elif not re.fullmatch(r"[A-Za-z0-9._-]+", value):
                errors.append(RowError(number, column, f"{value!r} is not a code (letters, digits, dots, hyphens)"))
            return value

        code, fn, fam, focus, level = (need(c) for c in REQUIRED)
        if code and fn and focus and level and code != f"{fn}.{focus}.{level}":
            errors.append(RowError(number, "code", f"{code!r} should be {fn}.{focus}.{level}"))
        # codes with other characters (O*NET-SOC's 11-1011.00) become jobarch's codes; the source's stays as
        # skos:notation, and an O*NET-SOC or SOC focus code also as the profile's classification mapping
        kinds = (("function", fn), ("family", fam), ("focus", focus), ("level", level))
        fn_code, fam_code, focus_code, level_code = (b.mint(kind, value) for kind, value in kinds)
        g = b.graph(slug(fn_code))
        f_iri = b.taxon(g, "function", fn_code, row.get("function"))
        fam_iri = b.taxon(g, "family", fam_code, row.get("family"), f_iri)
        foc_iri = b.taxon(g, "focus", focus_code, row.get("focus"), fam_iri)
        rank = re.search(r"(\d+)$", level)  # the CSV has no rank column: M2 is the second rung of its track
        track = b.track(shared, row["track"]) if row.get("track") else None
        label = row.get("level") or None
        l_iri = b.level(shared, level_code, track, int(rank.group(1)) if rank else None, label=label)
        for node, source, minted in ((f_iri, fn, fn_code), (fam_iri, fam, fam_code), (foc_iri, focus, focus_code)):
            if source != minted:
                g.add((node, SKOS.notation, Literal(source)))
        if level != level_code:
            shared.add((l_iri, SKOS.notation, Literal(level)))
        original_code, code = code, f"{fn_code}.{focus_code}.{level_code}"
        for column, prop, kind in (
            ("grade", JA.grade, "integer"),
            ("min_years", JA.minYearsExperience, "decimal"),
            ("max_years", JA.maxYearsExperience, "decimal"),
        ):
            value = (row.get(column) or "").strip()
            if value:
                try:
                    number_value = int(value) if kind == "integer" or "." not in value else Decimal(value)
                    shared.add((l_iri, prop, Literal(number_value)))
                except (ValueError, InvalidOperation):
                    errors.append(RowError(number, column, f"{value!r} is not a number"))
        p_iri = b.profile(g, code, foc_iri, l_iri, row.get("title") or None)
        if original_code != code:
            g.add((p_iri, SKOS.notation, Literal(original_code)))
        occupation = _occupation_code(focus)
        mapped = " ".join(split_items(row.get("mappings")))
        if occupation is not None and occupation[1] not in mapped:
            scheme, value = occupation
            b.mapping(g, p_iri, 0, schemes[scheme], value, f"{path.name} (focus code)", relation=SKOS.exactMatch)
        if row.get("definition"):
            g.add((p_iri, SKOS.definition, b.text(row["definition"])))
        status = (row.get("status") or "").strip().lower()
        if status:
            if status not in STATUSES:
                errors.append(RowError(number, "status", f"{row['status']!r} is not one of {', '.join(STATUSES)}"))
            else:
                g.add((p_iri, JA.status, STATUSES[status]))
        for alias in split_items(row.get("aliases")):
            g.add((p_iri, SKOS.altLabel, b.text(alias)))
        b.responsibilities(g, p_iri, split_items(row.get("responsibilities")))
        skills = [b.skill(shared, label) for label in split_items(row.get("skills"))]
        sources = [b.source(shared, title) for title in split_items(row.get("sources"))]
        sequences["skill"].append(skills)
        sequences["source"].append(sources)
        for skill in skills:
            g.add((p_iri, JA.requiresSkill, skill))
        for source in sources:
            b.derived_from(g, p_iri, source)
        scores = []
        for item in split_items(row.get("quality")):
            name, _, score = item.rpartition("=")
            if not name or not score.strip().lstrip("-").isdigit():
                errors.append(RowError(number, "quality", f"{item!r} is not DIMENSION=SCORE"))
                continue
            scores.append((name, int(score)))
        if split_items(row.get("quality")):
            b.quality(g, shared, p_iri, scores)
        for i, item in enumerate(split_items(row.get("mappings")), 1):
            parts = item.split(":")
            scheme_label = parts[0] if parts else ""
            if len(parts) < 3 or scheme_label not in schemes:
                errors.append(
                    RowError(
                        number,
                        "mappings",
                        f"{item!r} is not SCHEME:CODE:SOURCE[:CONFIDENCE] with a known scheme"
                        f" ({', '.join(sorted(schemes))})",
                    )
                )
                continue
            confidence = None
            if len(parts) > 3 and parts[3]:
                try:
                    confidence = Decimal(parts[3])
                except InvalidOperation:
                    errors.append(RowError(number, "mappings", f"confidence {parts[3]!r} is not a number"))
            b.mapping(g, p_iri, i, schemes[scheme_label], parts[1], parts[2], confidence)
    if errors:
        first = errors[0]
        raise JobarchError(
            f"row {first.row}, column {first.column!r}: {first.message}",
            Location(path, first.row),
            hint=f"{len(errors)} problem(s) in all; nothing was written"
            + "".join(f"\n  row {e.row}, column {e.column!r}: {e.message}" for e in errors[1:20]),
        )
    for seqs in sequences.values():
        for node, position in _consistent_order(seqs).items():
            shared.add((node, JA.order, Literal(position)))
    headers = {name: [f"# Imported from {path.name}: function {name}."] for name in b.graphs}
    headers["architecture"] = [f"# Imported from {path.name}: levels, skills, sources."]
    return b.write(out_dir, headers, b.prefixes())


def _occupation_code(focus: str) -> tuple[str, str] | None:
    """An O*NET-SOC (``11-1011.00``) or SOC 2018 (``11-1011``) occupation code used as a focus code: its scheme."""
    if re.fullmatch(r"\d{2}-\d{4}\.\d{2}", focus):
        return "O*NET-SOC", focus
    if re.fullmatch(r"\d{2}-\d{4}", focus):
        return "O*NET / SOC", focus
    return None


def _consistent_order(sequences: list[list]) -> dict:
    """One global order that keeps every row's order of its items (rows list skills and sources in display order)."""
    graph: nx.DiGraph = nx.DiGraph()
    for seq in sequences:
        graph.add_nodes_from(seq)
        graph.add_edges_from(zip(seq, seq[1:], strict=False))
    try:
        ordered = list(nx.lexicographical_topological_sort(graph, key=str))
    except nx.NetworkXUnfeasible:  # rows disagree: keep first appearance
        ordered = list(dict.fromkeys(item for seq in sequences for item in seq))
    return {node: i for i, node in enumerate(ordered, 1)}
