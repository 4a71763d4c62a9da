"""Import O*NET's database files (the tab-delimited text or the Excel release) as a jobarch architecture.

Read from one directory, as O*NET distributes them: ``Occupation Data``
(required), and when present ``Job Zones``, ``Alternate Titles``, ``Task
Statements`` and ``Skills``, each as ``.txt`` or ``.xlsx`` (the text file wins
when both are there). Each O*NET-SOC occupation becomes
a focus under its SOC minor group (family) and major group (function), with
one profile at the level of its job zone (P1–P5; U1, on a track of its own,
when O*NET gives none);
alternate titles become the profile's aliases, tasks its responsibilities
(core before supplemental), and skills rated at least 3 for importance its
essential skills, each a ``ja:SkillRequirement`` with O*NET's importance (IM,
1–5) and its level (LV, 0–7, rounded) as the proficiency on a 0–7 scale.
The O*NET-SOC code is kept as the focus's ``skos:notation`` and as a
classification mapping of the profile (``skos:exactMatch``); jobarch's own
codes are minted from its digits so that they satisfy the code shapes.
O*NET's files carry no titles for SOC minor groups, so families are named by
their code. Profiles are drafts derived from the O*NET database.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import RDF, SKOS

from ...core.errors import JobarchError, Location
from ...core.files import max_bytes, read_bytes, read_text
from ...core.namespaces import JA
from .builder import DEFAULT_BASE, ArchitectureBuilder, classification_schemes

DESCRIPTION = "O*NET database files, tab-delimited text or Excel (a directory)"
ONET_CODE = re.compile(r"^(\d{2})-(\d)(\d{3})\.(\d{2})$")
IMPORTANT = 3  # a skill rated this important or more (O*NET's IM scale, 1-5) is required
#: O*NET's level scale (LV, 0-7); O*NET anchors each skill's levels with examples of its own, so the steps here
#: say only where on the scale they are.
LEVEL_STEPS = [
    (value, f"Level {value}", f"Level {value} of O*NET's 0–7 skill level scale{note}")
    for value, note in enumerate(
        [
            " (not needed at any depth).",
            ".",
            " (O*NET's low anchor).",
            ".",
            " (O*NET's middle anchor).",
            ".",
            " (O*NET's high anchor).",
            " (the highest).",
        ]
    )
]

#: SOC 2018 major groups (the functions).
MAJOR_GROUPS = {
    "11": "Management Occupations",
    "13": "Business and Financial Operations Occupations",
    "15": "Computer and Mathematical Occupations",
    "17": "Architecture and Engineering Occupations",
    "19": "Life, Physical, and Social Science Occupations",
    "21": "Community and Social Service Occupations",
    "23": "Legal Occupations",
    "25": "Educational Instruction and Library Occupations",
    "27": "Arts, Design, Entertainment, Sports, and Media Occupations",
    "29": "Healthcare Practitioners and Technical Occupations",
    "31": "Healthcare Support Occupations",
    "33": "Protective Service Occupations",
    "35": "Food Preparation and Serving Related Occupations",
    "37": "Building and Grounds Cleaning and Maintenance Occupations",
    "39": "Personal Care and Service Occupations",
    "41": "Sales and Related Occupations",
    "43": "Office and Administrative Support Occupations",
    "45": "Farming, Fishing, and Forestry Occupations",
    "47": "Construction and Extraction Occupations",
    "49": "Installation, Maintenance, and Repair Occupations",
    "51": "Production Occupations",
    "53": "Transportation and Material Moving Occupations",
    "55": "Military Specific Occupations",
}
#: O*NET's job zones (the levels).
JOB_ZONES = {
    0: "Job Zone not given",
    1: "Job Zone 1 — Little or no preparation needed",
    2: "Job Zone 2 — Some preparation needed",
    3: "Job Zone 3 — Medium preparation needed",
    4: "Job Zone 4 — Considerable preparation needed",
    5: "Job Zone 5 — Extensive preparation needed",
}


def _table(directory: Path, name: str, required: tuple[str, ...], optional: bool = True) -> list[dict[str, str]]:
    """The rows of one O*NET file (``NAME.txt``, else ``NAME.xlsx``), checked for the columns this importer reads."""
    path = directory / f"{name}.txt"
    if path.is_file():
        reader = csv.DictReader(io.StringIO(read_text(path)), delimiter="\t")
        columns, rows = list(reader.fieldnames or []), list(reader)
    elif (directory / f"{name}.xlsx").is_file():
        path = directory / f"{name}.xlsx"
        columns, rows = _workbook_rows(path)
    elif optional:
        return []
    else:
        raise JobarchError(
            f"no {name + '.txt'!r} or {name + '.xlsx'!r} here",
            Location(directory),
            hint="point at the unzipped O*NET release (db_XX_X_text or db_XX_X_excel)",
        )
    missing = [c for c in required if c not in columns]
    if missing:
        raise JobarchError(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(repr(c) for c in missing)}",
            Location(path, 1),
            hint="O*NET's files name their columns in the first row",
        )
    for number, row in enumerate(rows, 2):
        code = row.get("O*NET-SOC Code", "")
        if not ONET_CODE.match(code):
            raise JobarchError(f"{code!r} is not an O*NET-SOC code (like 11-1011.00)", Location(path, number))
    return rows


def _workbook_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The first sheet of an O*NET workbook as text rows. The workbook is a zip of XML: its size, unpacked, is
    bounded like any input file before anything is parsed, and openpyxl parses the XML with defusedxml."""
    import zipfile

    import openpyxl

    limit = max_bytes()
    data = io.BytesIO(read_bytes(path))  # a regular file within the limit, read once
    try:
        with zipfile.ZipFile(data) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise JobarchError("not an Excel workbook (.xlsx is a zip file)", Location(path)) from None
    if unpacked > limit:
        raise JobarchError(
            f"the workbook unpacks to {unpacked:,} bytes, over the limit of {limit:,}",
            Location(path),
            hint="raise the limit with --max-bytes, or use O*NET's text release",
        )
    try:
        book = openpyxl.load_workbook(data, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise JobarchError(f"cannot read the workbook: {exc}", Location(path)) from None
    try:
        sheet = book.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):  # read every row, not the count the file's <dimension> claims
            sheet.reset_dimensions()
        lines = sheet.iter_rows(values_only=True)
        header = [_cell(v) for v in next(lines, ())]
        rows = [dict(zip(header, (_cell(v) for v in line), strict=False)) for line in lines if any(line)]
    finally:
        book.close()
    return header, rows


def _cell(value: object) -> str:
    """A cell as O*NET's text release writes it: whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def import_onet(source: Path, out_dir: Path, base: str = DEFAULT_BASE) -> list[Path]:
    directory = source if source.is_dir() else source.parent
    occupations = _table(directory, "Occupation Data", ("O*NET-SOC Code", "Title", "Description"), False)
    zones = {r["O*NET-SOC Code"]: r["Job Zone"] for r in _table(directory, "Job Zones", ("O*NET-SOC Code", "Job Zone"))}
    aliases: dict[str, list[str]] = defaultdict(list)
    for r in _table(directory, "Alternate Titles", ("O*NET-SOC Code", "Alternate Title")):
        aliases[r["O*NET-SOC Code"]].append(r["Alternate Title"].strip())
    tasks: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for r in _table(directory, "Task Statements", ("O*NET-SOC Code", "Task", "Task Type")):
        tasks[r["O*NET-SOC Code"]].append((0 if r["Task Type"].strip() == "Core" else 1, r["Task"].strip()))
    ratings: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)  # (code, element) -> scale -> value
    names: dict[str, str] = {}
    skill_columns = ("O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value")
    for r in _table(directory, "Skills", skill_columns):
        if r.get("Not Relevant", "N") != "Y":
            ratings[(r["O*NET-SOC Code"], r["Element ID"])][r["Scale ID"]] = r["Data Value"]
            names[r["Element ID"]] = r["Element Name"]
    skills: dict[str, list[tuple[Decimal, str, str, int | None]]] = defaultdict(list)
    for (code, element), scales in ratings.items():
        importance = _rating(scales.get("IM"))
        if importance is not None and importance >= IMPORTANT:
            rated = _rating(scales.get("LV"))
            proficiency = int(rated.to_integral_value(ROUND_HALF_UP)) if rated is not None else None
            skills[code].append((importance, names[element], element, proficiency))

    b = ArchitectureBuilder(base, "en")
    g, shared = b.graph("onet"), b.graph("architecture")
    b.scheme(shared, "Occupations imported from O*NET")
    shared.add((b.skills_scheme, RDF.type, SKOS.ConceptScheme))
    shared.add((b.skills_scheme, SKOS.prefLabel, b.text("Skills")))
    origin = b.source(shared, "O*NET database", JA.OccupationalDataSource, local="onet")
    track = b.track(shared, "P")
    scheme = classification_schemes()["O*NET-SOC"]
    used_zones: set[int] = set()
    used_scale = False
    for row in sorted(occupations, key=lambda r: r["O*NET-SOC Code"]):
        code = row["O*NET-SOC Code"]
        parts = ONET_CODE.match(code)
        assert parts is not None  # every code was checked when its file was read
        major, minor, rest, suffix = parts.groups()
        fn = b.taxon(shared, "function", f"SOC{major}", MAJOR_GROUPS.get(major, f"SOC major group {major}-0000"))
        family = b.taxon(g, "family", f"SOC{major}{minor}", f"SOC minor group {major}-{minor}000", fn)
        focus_code = f"SOC{major}{minor}{rest}{suffix}"
        title = row["Title"].strip()
        focus = b.taxon(g, "focus", focus_code, title, family)
        g.add((focus, SKOS.notation, Literal(code)))
        g.add((focus, SKOS.definition, b.text(row["Description"].strip())))
        zone = int(zones[code]) if zones.get(code, "").strip().isdigit() else 0
        used_zones.add(zone)
        level = f"P{zone}" if zone else "U1"
        profile = b.profile(g, f"SOC{major}.{focus_code}.{level}", focus, b.iri("level", level))
        g.add((profile, SKOS.prefLabel, b.text(f"{title} — Job Zone {zone}" if zone else f"{title} — no job zone")))
        g.add((profile, JA.status, JA.Draft))
        b.derived_from(g, profile, origin)
        b.mapping(g, profile, 1, scheme, code, "O*NET database", relation=SKOS.exactMatch)
        for alias in sorted(set(aliases[code]) - {title}):
            g.add((profile, SKOS.altLabel, b.text(alias)))
        b.responsibilities(g, profile, [task for _, task in sorted(tasks[code])])
        for importance, name, element, proficiency in sorted(skills[code], key=lambda s: (-s[0], s[1])):
            skill = b.skill(shared, name, f"The O*NET skill {name} (element {element}).")
            b.requirement(g, profile, skill, proficiency, importance.quantize(Decimal("0.01")))
            used_scale = used_scale or proficiency is not None
    for zone in sorted(used_zones):
        if zone:
            b.level(shared, f"P{zone}", track, rank=zone, grade=zone, label=JOB_ZONES[zone])
        else:
            unzoned = b.track(shared, "U", "Unzoned (no O*NET job zone)")
            b.level(shared, "U1", unzoned, rank=1, grade=1, label=JOB_ZONES[0])
    if used_scale:
        b.proficiency_scale(shared, "O*NET skill level", LEVEL_STEPS)
    return b.write(out_dir, {"architecture": ["# Imported from O*NET's database files."], "onet": []})


def _rating(value: str | None) -> Decimal | None:
    try:
        return Decimal(value.strip()) if value and value.strip() else None
    except InvalidOperation:
        return None
