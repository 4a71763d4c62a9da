"""Synthetic architectures for tests and benchmarks, in the shape of the sample.

``synthesize(n_profiles, seed, out_dir)`` writes a deterministic architecture,
one directory per function and one file per family (as curators split a large
architecture):
functions, families and foci; M and P ladders; five responsibilities of
realistic length per profile; sixteen skills per focus drawn from a shared
pool, each a skill requirement (a quarter optional) with a proficiency on a
five-step scale that four of them raise level by level; sources, quality scores, mappings and occasional aliases. It is
valid by the shapes (tests check that), so it measures the normal case.
Generated data is never committed: tests and benchmarks write it to temporary
directories.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path

from ..core.files import atomic_write
from ..core.outputs import output_directory

BASE = "https://example.org/jobarch/synthetic/"
PREFIXES = f"""@prefix ja:      <https://w3id.org/jobarch#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix dct:     <http://purl.org/dc/terms/> .
@prefix arch:    <{BASE}> .
@prefix fn:      <{BASE}function/> .
@prefix fam:     <{BASE}family/> .
@prefix focus:   <{BASE}focus/> .
@prefix profile: <{BASE}profile/> .
@prefix track:   <{BASE}track/> .
@prefix lvl:     <{BASE}level/> .
@prefix rubric:  <{BASE}rubric/> .
@prefix skill:   <{BASE}skill/> .
@prefix src:     <{BASE}source/> .
@prefix qd:      <{BASE}quality/> .
@prefix soc:     <https://w3id.org/jobarch/classification/soc2018/> .

"""

# code, track, rank, grade, label, min years, max years
LEVELS = [
    ("P1", "P", 1, 1, "Associate", 0, 2),
    ("P2", "P", 2, 2, "Professional", 2, 5),
    ("P3", "P", 3, 3, "Senior Professional", 5, 8),
    ("P4", "P", 4, 4, "Lead Specialist", 8, 12),
    ("P5", "P", 5, 5, "Principal", 10, 15),
    ("P6", "P", 6, 6, "Distinguished Principal", 15, None),
    ("M1", "M", 1, 4, "Manager I", 3, 6),
    ("M2", "M", 2, 5, "Manager II", 5, 8),
    ("M3", "M", 3, 6, "Manager III", 8, 12),
    ("M4", "M", 4, 7, "Director", 12, None),
]
LADDERS = [
    ["P1", "P2", "P3", "P4"],
    ["P2", "P3", "P4", "P5", "P6"],
    ["M1", "M2", "M3"],
    ["P1", "P2", "P3", "P4", "M1", "M2"],
    ["P3", "P4", "P5", "M2", "M3", "M4"],
    ["P1", "P2", "P3", "P4", "P5", "P6", "M2", "M3", "M4"],
]
DIMENSIONS = [
    ("knowledge", "Knowledge & Application"),
    ("complexity", "Complexity & Problem Solving"),
    ("collaboration", "Collaboration & Interaction"),
    ("years", "Typical Degree & Years"),
]
QUALITY = ["evidence", "level-differentiation", "specificity", "accuracy", "clarity"]
AREAS = [
    "Manufacturing",
    "Quality",
    "Engineering",
    "Supply Chain",
    "Research",
    "Regulatory",
    "Finance",
    "Data",
    "Facilities",
    "Commercial",
    "Clinical",
    "Information Technology",
    "People",
    "Legal",
    "Procurement",
]
OBJECTS = [
    "batch records",
    "process equipment",
    "analytical methods",
    "supplier audits",
    "production schedules",
    "validation protocols",
    "change controls",
    "capacity plans",
    "data pipelines",
    "training curricula",
    "risk registers",
    "stability studies",
    "cleaning procedures",
    "budgets",
    "inspection findings",
    "technology transfers",
    "control strategies",
    "deviation investigations",
    "service contracts",
    "dashboards",
]
VERBS = [
    "Plans and executes",
    "Reviews and approves",
    "Designs and improves",
    "Coordinates",
    "Monitors and trends",
    "Investigates and resolves",
    "Documents and maintains",
    "Leads the delivery of",
    "Standardises",
    "Audits",
]
CONTEXTS = [
    "across shifts and sites",
    "in line with GMP and company standards",
    "with partner functions",
    "to meet schedule and quality targets",
    "using established procedures and tools",
    "within the area's budget and headcount",
    "for commercial and clinical programmes",
]
SOC = ["51-1011", "19-4021", "19-1029", "17-2199", "13-1041", "11-3051", "49-9041", "19-2031", "11-9121", "15-2051"]


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@en'


def synthesize(
    n_profiles: int, seed: int, out_dir: Path, *, force: bool = False, protected: Iterable[Path] = ()
) -> list[Path]:
    """Write an architecture of exactly ``n_profiles`` profiles to ``out_dir`` (swapped in whole, see
    :func:`jobarch.core.outputs.output_directory`); returns the files."""
    with output_directory(out_dir, force=force, protected=protected) as staging:
        written = _synthesize_into(n_profiles, seed, staging)
    return [out_dir / path.relative_to(staging) for path in written]


def _synthesize_into(n_profiles: int, seed: int, out_dir: Path) -> list[Path]:
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [_write_shared(rng, out_dir)]
    skills = [f"skill-{i:04d}" for i in range(max(64, n_profiles // 20))]
    remaining, f_index = n_profiles, 0
    while remaining > 0:
        f_index += 1
        fn_code = f"{AREAS[(f_index - 1) % len(AREAS)][:6].upper().replace(' ', '')}{f_index}"
        folder = out_dir / f"function-{f_index:03d}"
        path = folder / "function.ttl"
        atomic_write(
            path,
            PREFIXES
            + f'# Synthetic function {fn_code}\n\nfn:{fn_code}\n    a ja:Function ;\n    ja:code "{fn_code}" ;\n'
            f"    skos:prefLabel {_lit(AREAS[(f_index - 1) % len(AREAS)] + ' ' + str(f_index))} ;\n"
            f"    skos:definition {_lit('Synthetic function number ' + str(f_index) + '.')} ;\n"
            f"    skos:inScheme arch:architecture ;\n    skos:topConceptOf arch:architecture .\n",
        )
        written.append(path)
        for fam_i in range(1, 6):
            if remaining <= 0:
                break
            fam_code = f"{fn_code[:6]}{f_index}{fam_i:02d}"
            parts = [
                PREFIXES,
                f'fam:{fam_code}\n    a ja:JobFamily ;\n    ja:code "{fam_code}" ;\n'
                f"    skos:prefLabel {_lit('Family ' + fam_code)} ;\n"
                f"    skos:definition {_lit('A synthetic family of related foci in ' + fn_code + '.')} ;\n"
                f"    skos:inScheme arch:architecture ;\n    skos:broader fn:{fn_code} .\n\n",
            ]
            for focus_i in range(1, 21):
                if remaining <= 0:
                    break
                focus_code = f"{fam_code}{chr(64 + (focus_i - 1) // 9 + 1)}{(focus_i - 1) % 9 + 1}"
                ladder = rng.choice(LADDERS)[:remaining]
                remaining -= len(ladder)
                parts.append(_focus(rng, fn_code, fam_code, focus_code, ladder, skills))
            path = folder / f"family-{fam_i:02d}.ttl"
            atomic_write(path, "".join(parts))
            written.append(path)
    return written


def _focus(rng: random.Random, fn: str, fam: str, code: str, ladder: list[str], skills: list[str]) -> str:
    label = f"Focus {code}"
    required = rng.sample(skills, 16)
    depth = random.Random(code)  # its own stream: the rest of the data is the same with or without depths
    base = {s: depth.randint(1, 3) for s in required}
    statements = [
        f"        [ ja:skill skill:{s} ; ja:proficiency {base[s]} ; ja:importance {depth.randint(25, 50) / 10}"
        + (" ; ja:relationType ja:Optional ]" if depth.random() < 0.25 else " ]")
        for s in required
    ]
    out = [
        f'focus:{code}\n    a ja:Focus ;\n    ja:code "{code}" ;\n    skos:prefLabel {_lit(label)} ;\n'
        f"    skos:inScheme arch:architecture ;\n    skos:broader fam:{fam} ;\n    ja:skillRequirement\n"
        + " ,\n".join(statements)
        + " .\n\n"
    ]
    levels = {lv[0]: lv for lv in LEVELS}
    deepening = required[:4]  # these deepen with the rank, never falling on a track
    for lv in ladder:
        rank = levels[lv][2]
        raised = [(s, min(5, base[s] + rank - 1)) for s in deepening if rank > 1 and base[s] < 5]
        deeper = (
            "    ja:skillRequirement\n"
            + " ,\n".join(f"        [ ja:skill skill:{s} ; ja:proficiency {n} ]" for s, n in raised)
            + " ;\n"
            if raised
            else ""
        )
        pcode = f"{fn}.{code}.{lv}"
        resp = []
        for i in range(1, 6):
            text = (
                f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(CONTEXTS)}, at {levels[lv][4].lower()} scope, "
                f"and reports on {rng.choice(OBJECTS)} to keep {label.lower()} on track."
            )
            resp.append(f"        [ ja:order {i} ; ja:text {_lit(text)} ]")
        scores = ",\n".join(
            f"                [ ja:qualityDimension qd:{d} ; ja:score {rng.choice((4, 5))} ]" for d in QUALITY
        )
        soc = rng.choice(SOC)
        alias = f"    skos:altLabel {_lit(label + ' ' + levels[lv][4] + ' (alias)')} ;\n" if rng.random() < 0.1 else ""
        out.append(
            f'profile:{pcode}\n    a ja:JobProfile ;\n    ja:code "{pcode}" ;\n'
            f"    skos:prefLabel {_lit(label + ' — ' + lv)} ;\n{alias}"
            f"    skos:inScheme arch:architecture ;\n    ja:focus focus:{code} ;\n    ja:level lvl:{lv} ;\n"
            f"    ja:status ja:Published ;\n{deeper}"
            f"    ja:responsibility\n" + " ,\n".join(resp) + " ;\n"
            f"    prov:wasDerivedFrom src:source-{rng.randrange(40):02d}, src:source-{40 + rng.randrange(40):02d} ;\n"
            f"    ja:qualityAssessment [\n        a ja:QualityAssessment ;\n        ja:dimensionScore\n{scores}\n"
            f"    ] ;\n"
            f"    ja:classificationMapping [\n        a ja:ClassificationMapping ;\n"
            f"        ja:mappingScheme ja:SOC2018 ;\n"
            f'        ja:mappedCode "{soc}" ;\n        ja:mappedConcept soc:{soc} ;\n'
            f'        ja:mappingSource "synth" ;\n'
            f"        ja:confidence 0.{rng.randrange(50, 99)}\n    ] ;\n    skos:closeMatch soc:{soc} .\n\n"
        )
    return "".join(out)


def _write_shared(rng: random.Random, out_dir: Path) -> Path:
    parts = [
        PREFIXES,
        'arch:architecture\n    a ja:JobArchitecture ;\n    skos:prefLabel "Synthetic architecture"@en .\n\n',
        'arch:skills\n    a skos:ConceptScheme ;\n    skos:prefLabel "Skills"@en .\n\n',
        'arch:levels\n    a skos:ConceptScheme ;\n    skos:prefLabel "Levels"@en .\n\n',
        'arch:proficiency\n    a ja:ProficiencyScale ;\n    skos:prefLabel "Proficiency"@en .\n\n',
    ]
    for value, name in enumerate(("Awareness", "Working", "Practitioner", "Advanced", "Expert"), 1):
        parts.append(
            f"arch:proficiency-{value}\n    a ja:ProficiencyLevel ;\n    ja:order {value} ;\n"
            f"    skos:prefLabel {_lit(name)} ;\n"
            f"    skos:definition {_lit(name + ' in the skill (synthetic anchor).')} ;\n"
            f"    skos:inScheme arch:proficiency .\n\n"
        )
    for code, label in (("M", "Management"), ("P", "Professional")):
        parts.append(f'track:{code}\n    a ja:Track ;\n    ja:code "{code}" ;\n    skos:prefLabel {_lit(label)} .\n\n')
    for code, track, rank, grade, label, lo, hi in LEVELS:
        hi_line = f"    ja:maxYearsExperience {hi} ;\n" if hi is not None else ""
        parts.append(
            f'lvl:{code}\n    a ja:Level ;\n    ja:code "{code}" ;\n    skos:prefLabel {_lit(label)} ;\n'
            f"    skos:inScheme arch:levels ;\n    ja:track track:{track} ;\n    ja:rank {rank} ;\n"
            f"    ja:grade {grade} ;\n"
            f"    ja:scope {_lit('Scope of ' + label)} ;\n    ja:minYearsExperience {lo} ;\n{hi_line}"
            f"    skos:definition {_lit(label + ' level.')} .\n\n"
        )
    for i, (slug, label) in enumerate(DIMENSIONS, 1):
        parts.append(
            f"rubric:{slug}\n    a ja:RubricDimension ;\n    skos:prefLabel {_lit(label)} ;\n    ja:order {i} .\n\n"
        )
        for code, _track, _rank, _grade, level_label, lo, hi in LEVELS:
            years = (
                f"    ja:minYearsExperience {lo} ;\n"
                + (f"    ja:maxYearsExperience {hi} ;\n" if hi is not None else "")
                if slug == "years"
                else ""
            )
            parts.append(
                f"rubric:{code}-{slug}\n    a ja:RubricCell ;\n    ja:appliesTo arch:architecture ;\n"
                f"    ja:level lvl:{code} ;\n"
                f"    ja:dimension rubric:{slug} ;\n"
                f"{years}    ja:text {_lit(label + ' expected of a ' + level_label + '.')} .\n\n"
            )
    for slug in QUALITY:
        parts.append(
            f"qd:{slug}\n    a ja:QualityDimension ;\n"
            f"    skos:prefLabel {_lit(slug.replace('-', ' ').capitalize())} .\n\n"
        )
    for i in range(80):
        kind = "ja:OccupationalDataSource" if i < 40 else "ja:JobPostingSource"
        parts.append(
            f"src:source-{i:02d}\n    a {kind} ;\n    ja:order {i + 1} ;\n"
            f"    dct:title {_lit('Synthetic source ' + str(i))} .\n\n"
        )
    n_skills, n_groups = 4000, 40
    for g in range(n_groups):
        parts.append(
            f"skill:group-{g:02d}\n    a ja:SkillGroup ;\n    skos:prefLabel {_lit('Skill group ' + str(g))} ;\n"
            f"    skos:inScheme arch:skills ;\n    skos:topConceptOf arch:skills .\n\n"
        )
    for i in range(n_skills):
        parts.append(
            f"skill:skill-{i:04d}\n    a ja:Skill ;\n    ja:order {i + 1} ;\n"
            f"    skos:prefLabel {_lit('Skill ' + str(i))} ;\n"
            f"    skos:definition {_lit('Applying synthetic capability number ' + str(i) + ' to everyday work.')} ;\n"
            f"    skos:inScheme arch:skills ;\n    skos:broader skill:group-{i % n_groups:02d} .\n\n"
        )
    path = out_dir / "architecture.ttl"
    atomic_write(path, "".join(parts))
    return path


def synthesize_classification(
    path: Path, concepts: int = 2000, depths: int = 5, seed: int = 1, notations: bool = False
) -> Path:
    """Write a SKOS classification of occupations shaped like national ones: ``concepts`` concepts in ``depths``
    levels (few at the top, most at the bottom), some groups with an only child that repeats their title,
    definitions, notes, alternative labels and German labels beside the English ones; notations (``1``, ``11``,
    ``111``…) only when asked. For import tests and benchmarks; never committed."""
    rng = random.Random(seed)
    base = "https://example.org/classification/"
    weights = [3**d for d in range(depths)]
    per_depth = [max(1, round(concepts * w / sum(weights))) for w in weights]
    per_depth[-1] += concepts - sum(per_depth)
    levels: list[list[str]] = []
    parts = [
        f"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n@prefix c: <{base}> .\n\n",
        'c:scheme a skos:ConceptScheme ;\n    skos:prefLabel "Synthetic occupation classification"@en ,'
        ' "Synthetische Berufsklassifikation"@de .\n\n',
    ]
    titles: dict[str, str] = {}
    for depth, count in enumerate(per_depth):
        level = []
        parents = levels[-1] if levels else []
        only_children = set(rng.sample(parents, k=max(0, len(parents) // 10))) if parents else set()
        assigned: dict[str, int] = {}
        for i in range(count):
            if parents:
                free = [p for p in parents if p not in only_children or assigned.get(p, 0) == 0]
                parent = (
                    parents[i] if i < len(parents) else rng.choice([p for p in free if p not in only_children] or free)
                )
                assigned[parent] = assigned.get(parent, 0) + 1
            else:
                parent = ""
            local = f"d{depth + 1}-{i + 1:05d}"
            repeat = parent in only_children
            title = titles[parent] if repeat else f"{rng.choice(AREAS)} {rng.choice(OBJECTS)} occupation {local}"
            titles[local] = title
            lines = [
                f"c:{local}",
                "    a skos:Concept ;",
                f"    skos:prefLabel {_lit(title)} , {_lit_de(title)} ;",
                "    skos:inScheme c:scheme ;",
            ]
            if notations:
                lines.append(f'    skos:notation "{local}" ;')
            if rng.random() < 0.6:
                lines.append(f"    skos:definition {_lit('Work that covers ' + title.lower() + '.')} ;")
            if rng.random() < 0.2:
                lines.append(f"    skos:scopeNote {_lit('Excludes ' + rng.choice(OBJECTS) + '.')} ;")
            if rng.random() < 0.2:
                lines.append(f"    skos:note {_lit('Revised in edition ' + str(rng.randrange(1, 9)) + '.')} ;")
            if rng.random() < 0.15:
                lines.append(f"    skos:altLabel {_lit(title + ' (other title)')} ;")
            lines.append(f"    skos:broader c:{parent} ." if parent else "    skos:topConceptOf c:scheme .")
            parts.append("\n".join(lines) + "\n\n")
            level.append(local)
        levels.append(level)
    atomic_write(path, "".join(parts))
    return path


def _lit_de(text: str) -> str:
    return '"' + ("Beruf: " + text).replace("\\", "\\\\").replace('"', '\\"') + '"@de'
