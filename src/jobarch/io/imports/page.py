"""Import a profile page in the text layout of the reference page (or of `jobarch show --format text`).

The page carries a focus's responsibilities at every level, the rubric, the
skills, sources, the level block, aliases and mappings; this parser turns
them back into the graph so that `jobarch show` prints the page again. What a
page does not say is not invented: there are no grades (adjacency needs them,
validation will ask for them), and a family is named after its focus.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ...core.errors import JobarchError, Location
from ...core.files import read_text
from ...core.namespaces import JA
from ...core.resources import ontology_path
from .builder import DEFAULT_BASE, TRACK_NAMES, ArchitectureBuilder, classification_schemes, slug

CHROME = ("show ▾", " How coordinates work → · Compare side-by-side →")
SECTIONS = (
    "Responsibilities by level",
    "Level guidelines",
    "Skills",
    "Provenance",
    "Adjacent roles",
    "Title aliases",
    "Classification mappings",
)
YEARS = re.compile(r"(\d+)\s*[–-]\s*(\d+)(\+)?|(\d+)\+")


def _years(text: str) -> tuple[int | None, int | None] | None:
    m = YEARS.search(text)
    if not m:
        return None
    if m.group(4):
        return int(m.group(4)), None
    return int(m.group(1)), None if m.group(3) else int(m.group(2))


def _clean(line: str) -> str:
    for chrome in CHROME:
        line = line.replace(chrome, "")
    return line.rstrip()


def parse_page(path: Path, base: str = DEFAULT_BASE, lang: str = "en") -> ArchitectureBuilder:
    lines = [_clean(line) for line in read_text(path).splitlines() if line.strip()]
    if len(lines) < 4 or not re.fullmatch(r"[A-Za-z0-9]+\.[A-Za-z0-9]+\.[A-Za-z0-9]+", lines[1].strip()):
        raise JobarchError(
            "not a profile page: the second line should be a code like FUNCTION.FOCUS.LEVEL", Location(path, 2)
        )
    title_line, code = lines[0], lines[1].strip()
    fn_code, focus_code, level_code = code.split(".")
    function_label, _, title = title_line.partition(" / ")
    focus_label = title.rsplit(" — ", 1)[0]
    family_code = re.sub(r"[A-Z]\d+$", "", focus_code) or focus_code
    index = {name: next((i for i, line in enumerate(lines) if line == name), None) for name in SECTIONS}
    level_block = next((i for i, line in enumerate(lines) if line.startswith("Level — ")), None)
    focus_line = next((i for i, line in enumerate(lines) if line.startswith("Focus — ")), None)
    responsibilities_at, skills_at = index["Responsibilities by level"], index["Skills"]
    guidelines_at = index["Level guidelines"]
    if responsibilities_at is None or skills_at is None or level_block is None or focus_line is None:
        raise JobarchError(
            "not a profile page: a section is missing",
            Location(path),
            hint="expected " + ", ".join(SECTIONS[:4]) + " and 'Level — …'",
        )
    b = ArchitectureBuilder(base, lang)
    ns, text = b.ns, b.text
    g = b.graph(slug(path.stem))
    arch = b.scheme(g, "Imported from a profile page")
    fn = b.taxon(g, "function", fn_code, function_label)
    fam = b.taxon(g, "family", family_code, focus_label.split(" (")[0], fn)
    foc = b.taxon(g, "focus", focus_code, focus_label, fam)
    descriptions = lines[2:focus_line]
    focus_description = lines[focus_line + 1] if focus_line + 1 < responsibilities_at else ""
    family_description = descriptions[1] if len(descriptions) > 1 else (descriptions[0] if descriptions else "")
    if family_description:
        g.add((fam, SKOS.definition, text(family_description)))
    if focus_description and focus_description != family_description:
        g.add((foc, SKOS.definition, text(focus_description)))
    profile_description = descriptions[0] if descriptions else ""

    # rubric: | Level | dim ... |
    rubric_rows: list[list[str]] = []
    dimensions: list[str] = []
    if guidelines_at is not None:
        table = [line for line in lines[guidelines_at:skills_at] if line.startswith("|")]
        if table:
            dimensions = [c.strip() for c in table[0].strip("|").split("|")][1:]
            rubric_rows = [[c.strip() for c in row.strip("|").split("|")] for row in table[2:]]
    levels = [row[0].replace("*", "") for row in rubric_rows] or [level_code]

    # responsibilities: with level headings (jobarch's text layout) or split evenly (the web page's)
    resp_lines = lines[responsibilities_at + 2 : guidelines_at or skills_at]
    track_match = re.search(r"on the (\w[\w -]*) track", lines[responsibilities_at + 1])
    by_level: dict[str, list[str]] = {}
    current = None
    for line in resp_lines:
        heading = re.match(r"^([A-Za-z]+\d+) — ", line)
        if heading:
            current = heading.group(1)
            by_level[current] = []
        elif line.startswith("- ") and current:
            by_level[current].append(line[2:])
    if not by_level:
        items = [line[2:] for line in resp_lines if line.startswith("- ")]
        if len(items) % len(levels):
            raise JobarchError(
                f"{len(items)} responsibilities do not divide among the levels {', '.join(levels)}",
                Location(path, None),
                hint="add level headings such as 'M1 — Manager I'",
            )
        per = len(items) // len(levels)
        by_level = {lv: items[i * per : (i + 1) * per] for i, lv in enumerate(levels)}

    letters = re.match(r"[A-Za-z]+", level_code)
    track_code = letters.group(0) if letters else level_code
    track_name = track_match.group(1).capitalize() if track_match else TRACK_NAMES.get(track_code, track_code)
    track = b.track(g, track_code, track_name)
    for lv in sorted(set(levels) | set(by_level) | {level_code}):
        rank = re.search(r"(\d+)$", lv)
        level = b.level(g, lv, track, int(rank.group(1)) if rank else None)
        profile = b.profile(g, f"{fn_code}.{focus_code}.{lv}", foc, level, f"{focus_label} — {lv}")
        b.responsibilities(g, profile, by_level.get(lv, []))
    for i, dimension in enumerate(dimensions, 1):
        dim = ns["rubric"][slug(dimension)]
        g.add((dim, RDF.type, JA.RubricDimension))
        g.add((dim, SKOS.prefLabel, text(dimension)))
        g.add((dim, JA.order, Literal(i)))
        for row in rubric_rows:
            lv = row[0].replace("*", "")
            cell = ns["rubric"][f"{fn_code}-{lv}-{slug(dimension)}"]
            g.add((cell, RDF.type, JA.RubricCell))
            g.add((cell, JA.appliesTo, fn))
            g.add((cell, JA.level, ns["level"][lv]))
            g.add((cell, JA.dimension, dim))
            g.add((cell, JA.text, text(row[i].replace("\\|", "|"))))
            years = _years(row[i]) if i == len(dimensions) else None
            if years:
                g.add((cell, JA.minYearsExperience, Literal(years[0])))
                if years[1] is not None:
                    g.add((cell, JA.maxYearsExperience, Literal(years[1])))

    profile = ns["profile"][code]
    if profile_description and profile_description != (focus_description or family_description):
        g.add((profile, SKOS.definition, text(profile_description)))

    # skills: name / definition pairs
    skill_items = [line[2:] for line in lines[skills_at + 2 : index["Provenance"]] if line.startswith("- ")]
    for order, (name, definition) in enumerate(zip(skill_items[0::2], skill_items[1::2], strict=False), 1):
        g.add((foc, JA.requiresSkill, b.skill(g, name, definition, order)))

    # provenance: sources, then an optional quality line
    provenance = lines[index["Provenance"] : level_block]
    scale = re.search(r"\((\d+)–(\d+); passes at ≥(\d+)", provenance[1] if len(provenance) > 1 else "")
    if scale:
        policy = URIRef(base + "quality-policy")
        g.add((arch, JA.qualityPolicy, policy))
        g.add((policy, RDF.type, JA.QualityPolicy))
        for prop, value in zip((JA.minScore, JA.maxScore, JA.passThreshold), scale.groups(), strict=True):
            g.add((policy, prop, Literal(int(value))))
    for order, title_ in enumerate((line[2:] for line in provenance if line.startswith("- ")), 1):
        kind = (
            JA.OccupationalDataSource
            if title_.startswith("O*NET")
            else (JA.JobPostingSource if "posting" in title_.lower() else JA.IndustryReferenceSource)
        )
        b.derived_from(g, profile, b.source(g, title_, kind, order))
    quality = next((line for line in provenance if line.startswith("Quality: ") and "—" in line), None)
    if quality:
        scores = re.findall(r"([A-Z][\w ]*?) (\d+)(?:,|$)", quality.split(";", 1)[-1])
        b.quality(g, g, profile, [(name.strip(), int(score)) for name, score in scores])

    # the level block: definition, then label / value pairs
    level = ns["level"][level_code]
    level_heading = lines[level_block].split(" — ")
    if len(level_heading) >= 3:
        g.add((level, SKOS.prefLabel, text(level_heading[2])))
    attributes = {
        str(label): prop
        for prop, label in Graph().parse(ontology_path()).subject_objects(RDFS.label)
        if str(prop).startswith(str(JA))
    }
    block = lines[level_block + 1 : index["Adjacent roles"] or index["Title aliases"] or len(lines)]
    if block and not block[0].startswith("- "):
        g.add((level, SKOS.definition, text(block[0])))
    pairs = [line[2:] for line in block if line.startswith("- ")]
    for label, value in zip(pairs[0::2], pairs[1::2], strict=False):
        if label == "Typical experience":
            years = _years(value)
            if years:
                g.add((level, JA.minYearsExperience, Literal(years[0])))
                if years[1] is not None:
                    g.add((level, JA.maxYearsExperience, Literal(years[1])))
        elif label in attributes:
            g.add((level, attributes[label], text(value)))

    # aliases and mappings
    if index["Title aliases"] is not None:
        end = index["Classification mappings"] or len(lines)
        for alias in (line[2:] for line in lines[index["Title aliases"] + 1 : end] if line.startswith("- ")):
            g.add((profile, SKOS.altLabel, text(alias)))
    if index["Classification mappings"] is not None:
        schemes, scheme = classification_schemes(), None
        for n, line in enumerate(lines[index["Classification mappings"] + 1 :], 1):
            m = re.match(r"^- code=(\S+?)\s*source=(\S+)", line)
            if not m:
                scheme = schemes.get(line.strip(), scheme) if not line.startswith(" ") else scheme
                continue
            if scheme is None:
                raise JobarchError(
                    "a mapping without a known scheme heading",
                    Location(path),
                    hint="schemes: " + ", ".join(sorted(schemes)),
                )
            b.mapping(g, profile, n, scheme, m.group(1), m.group(2))
    return b


def import_page(path: Path, out_dir: Path, base: str = DEFAULT_BASE) -> list[Path]:
    builder = parse_page(path, base)
    return builder.write(out_dir, {slug(path.stem): [f"# Imported from the profile page {path.name}."]})
