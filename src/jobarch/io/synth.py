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
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..core.files import atomic_write
from ..core.outputs import output_directory
from ..graph.turtle import escape_string

BASE = "https://example.org/jobarch/synthetic/"
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


@cache
def _templates() -> Environment:
    """The Turtle the generator writes, as templates (``io/templates/synth``): literals go through ``en``, which
    escapes them as every jobarch Turtle writer does."""
    env = Environment(
        loader=PackageLoader("jobarch.io", "templates/synth"),
        undefined=StrictUndefined,
        autoescape=False,  # Turtle, not HTML: the en filter escapes what goes into a literal
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["en"] = lambda text: escape_string(str(text)) + "@en"
    env.filters["de"] = lambda text: escape_string(str(text)) + "@de"
    return env


def _render(template: str, path: Path, **context: object) -> Path:
    atomic_write(path, _templates().get_template(template).render(base=BASE, **context))
    return path


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
    written = [_write_shared(out_dir)]
    skills = [f"skill-{i:04d}" for i in range(max(64, n_profiles // 20))]
    remaining, f_index = n_profiles, 0
    while remaining > 0:
        f_index += 1
        area = AREAS[(f_index - 1) % len(AREAS)]
        fn_code = f"{area[:6].upper().replace(' ', '')}{f_index}"
        folder = out_dir / f"function-{f_index:03d}"
        written.append(
            _render("function.ttl.j2", folder / "function.ttl", code=fn_code, label=f"{area} {f_index}", number=f_index)
        )
        for fam_i in range(1, 6):
            if remaining <= 0:
                break
            fam_code = f"{fn_code[:6]}{f_index}{fam_i:02d}"
            foci = []
            for focus_i in range(1, 21):
                if remaining <= 0:
                    break
                focus_code = f"{fam_code}{chr(64 + (focus_i - 1) // 9 + 1)}{(focus_i - 1) % 9 + 1}"
                ladder = rng.choice(LADDERS)[:remaining]
                remaining -= len(ladder)
                foci.append(_focus(rng, fn_code, focus_code, ladder, skills))
            path = folder / f"family-{fam_i:02d}.ttl"
            written.append(_render("family.ttl.j2", path, code=fam_code, function=fn_code, foci=foci))
    return written


def _focus(rng: random.Random, fn: str, code: str, ladder: list[str], skills: list[str]) -> dict[str, Any]:
    """One focus and its profiles, drawn from ``rng`` (skill depths from a stream of the focus's own)."""
    label = f"Focus {code}"
    required = rng.sample(skills, 16)
    depth = random.Random(code)  # its own stream: the rest of the data is the same with or without depths
    base = {s: depth.randint(1, 3) for s in required}
    requirements = []
    for s in required:
        importance = depth.randint(25, 50) / 10
        requirements.append(
            {"skill": s, "proficiency": base[s], "importance": importance, "optional": depth.random() < 0.25}
        )
    levels = {lv[0]: lv for lv in LEVELS}
    deepening = required[:4]  # these deepen with the rank, never falling on a track
    profiles = []
    for lv in ladder:
        rank, level_label = levels[lv][2], levels[lv][4]
        responsibilities = []
        for _ in range(5):
            verb, thing, context, reported = (
                rng.choice(VERBS),
                rng.choice(OBJECTS),
                rng.choice(CONTEXTS),
                rng.choice(OBJECTS),
            )
            responsibilities.append(
                f"{verb} {thing} {context}, at {level_label.lower()} scope, "
                f"and reports on {reported} to keep {label.lower()} on track."
            )
        scores = [(d, rng.choice((4, 5))) for d in QUALITY]
        soc = rng.choice(SOC)
        alias = f"{label} {level_label} (alias)" if rng.random() < 0.1 else None
        sources = (rng.randrange(40), 40 + rng.randrange(40))
        profiles.append(
            {
                "code": f"{fn}.{code}.{lv}",
                "label": f"{label} — {lv}",
                "alias": alias,
                "level": lv,
                "deeper": [(s, min(5, base[s] + rank - 1)) for s in deepening if rank > 1 and base[s] < 5],
                "responsibilities": responsibilities,
                "sources": sources,
                "scores": scores,
                "soc": soc,
                "confidence": rng.randrange(50, 99),
            }
        )
    return {"code": code, "label": label, "requirements": requirements, "profiles": profiles}


def _write_shared(out_dir: Path) -> Path:
    levels = [
        {"code": c, "track": t, "rank": r, "grade": g, "label": label, "min_years": lo, "max_years": hi}
        for c, t, r, g, label, lo, hi in LEVELS
    ]
    return _render(
        "architecture.ttl.j2",
        out_dir / "architecture.ttl",
        proficiency=("Awareness", "Working", "Practitioner", "Advanced", "Expert"),
        tracks=(("M", "Management"), ("P", "Professional")),
        levels=levels,
        dimensions=DIMENSIONS,
        quality=QUALITY,
        sources=80,
        skill_groups=40,
        skills=4000,
    )


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
    concepts_written: list[dict[str, Any]] = []
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
            concept: dict[str, Any] = {"local": local, "title": title, "parent": parent, "notation": notations}
            concept |= dict.fromkeys(("definition", "scope_note", "note", "alt_label"))
            if rng.random() < 0.6:
                concept["definition"] = f"Work that covers {title.lower()}."
            if rng.random() < 0.2:
                concept["scope_note"] = f"Excludes {rng.choice(OBJECTS)}."
            if rng.random() < 0.2:
                concept["note"] = f"Revised in edition {rng.randrange(1, 9)}."
            if rng.random() < 0.15:
                concept["alt_label"] = f"{title} (other title)"
            concepts_written.append(concept)
            level.append(local)
        levels.append(level)
    atomic_write(path, _templates().get_template("classification.ttl.j2").render(base=base, concepts=concepts_written))
    return path
