"""The domain's answers as tables and lines: what `adjacent`, `compare`, `path`, `stats` and `queries` print.

The CLI and the pages take these views instead of building their own rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..core.i18n import _
from ..domain.adjacency import Neighbour
from ..domain.compare import Comparison
from ..domain.paths import Step
from ..domain.search import Hit
from ..domain.skills import Match, Skipped
from ..query import NamedQuery
from ..store import SyncReport
from .tables import Table


def neighbour_records(neighbours: Iterable[Neighbour]) -> list[dict[str, Any]]:
    """Neighbours as records (the JSON output), numbers rounded for stable text."""
    return [
        {
            "code": n.code,
            "title": n.title,
            "distance": round(n.distance, 6),
            "band": n.band,
            "taxonomy": round(n.taxonomy, 6),
            "level": round(n.level, 6),
            "sharedSkills": n.shared_skills,
            "skillsUnion": n.skills_union,
            "skillOverlap": round(n.skill_overlap, 6),
        }
        for n in neighbours
    ]


def neighbours_table(code: str, neighbours: Iterable[Neighbour]) -> Table:
    rows = [
        [
            r["code"],
            r["title"],
            f"{r['distance']:.3f}",
            r["band"],
            f"{r['taxonomy']:.3f}",
            f"{r['level']:.3f}",
            f"{r['sharedSkills']}/{r['skillsUnion']} ({r['skillOverlap']:.0%})",
        ]
        for r in neighbour_records(neighbours)
    ]
    return Table(
        ["code", "title", "distance", "band", "taxonomy", "level", "skills shared"],
        rows,
        title=_("Nearest to %(code)s") % {"code": code},
    )


def comparison_table(comparison: Comparison) -> Table:
    """A comparison as one table: an aspect per row, a profile per column."""
    return Table(
        ["", *(p.code for p in comparison.profiles)],
        [[aspect, *values] for aspect, values in comparison.rows()],
        show_lines=True,
        row_headers=True,
    )


def stats_table(numbers: dict[str, Any]) -> Table:
    rows = []
    for key, value in numbers.items():
        if key == "languages":  # one row per language: each kind of text, how many have it of how many
            rows += [
                [
                    f"in {language}",
                    ", ".join(f"{kind} {n['present']}/{n['present'] + n['missing']}" for kind, n in kinds.items()),
                ]
                for language, kinds in value.items()
            ]
            continue
        if isinstance(value, list):
            value = ", ".join(value) or "-"
        elif isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        elif isinstance(value, float):
            value = f"{value:.1%}"
        rows.append([key, str(value)])
    return Table(["measure", "value"], rows, title=_("Architecture statistics"))


def queries_table(queries: Iterable[NamedQuery]) -> Table:
    rows = []
    for q in queries:
        params = "\n".join(
            f"{p.name} ({p.type}, {'required' if p.required else f'default {p.default}' if p.default else 'optional'})"
            + (f": {p.doc}" if p.doc else "")
            for p in q.params
        )
        rows.append([q.name, q.description, params or "-"])
    return Table(["name", "description", "parameters"], rows, show_lines=True)


def path_lines(steps: list[Step]) -> list[str]:
    """A career path one step a line: the move's distance and band, and what changes."""
    lines = []
    for step in steps:
        if step.distance is None:
            lines.append(f"  {step.code}  {step.title}")
        else:
            lines.append(f"→ {step.code}  {step.title}")
            lines.append("    " + _("why: %(reason)s") % {"reason": step.reason})
            if step.changes():
                lines.append("    " + _("changes: %(changes)s") % {"changes": "; ".join(step.changes())})
    return lines


def skipped_lines(skipped: Iterable[Skipped]) -> list[str]:
    """The lines of a person's skills that were left out of a match, each with what is wrong and the closest
    names."""
    return [
        f"skipped {s.spec!r}: {s.reason}" + (f" (did you mean: {', '.join(s.suggestions)}?)" if s.suggestions else "")
        for s in skipped
    ]


def match_records(matches: Iterable[Match]) -> list[dict[str, Any]]:
    """Matches as records (the JSON output): the fit, and each skill to learn with the depths."""
    return [
        {
            "code": m.code,
            "title": m.title,
            "level": m.level,
            "essentialCoverage": round(m.coverage, 6),
            "essentialMet": m.essential_met,
            "essentialTotal": m.essential_total,
            "proficiencyShortfall": m.shortfall,
            "skillsMatched": m.matched,
            "toLearn": [
                {"skill": g.label, "have": g.have, "need": g.need, "essential": g.essential} for g in m.to_learn
            ],
        }
        for m in matches
    ]


def match_table(matches: Iterable[Match]) -> Table:
    """The best-fitting profiles, one per row, with what each would need the person to learn."""
    rows = [
        [
            m.code,
            m.title,
            f"{m.essential_met}/{m.essential_total} ({m.coverage:.0%})",
            str(m.shortfall),
            "; ".join(g.words() for g in m.to_learn if g.essential) or "nothing",
            "; ".join(g.words() for g in m.to_learn if not g.essential),
        ]
        for m in matches
    ]
    return Table(
        ["code", "title", "essential skills you have", "points short", "essential to learn", "optional to learn"],
        rows,
        title=_("Profiles that fit these skills"),
        caption=_("Ranked by the share of essential skills you have, then by the proficiency points you lack."),
        show_lines=True,
    )


def search_table(text: str, hits: Iterable[Hit]) -> Table:
    """Search hits, best first, with the field each word was found in."""
    rows = [
        [h.code, h.title, f"{h.score:g}", "; ".join(f"{word}: {where}" for word, where in h.matched.items())]
        for h in hits
    ]
    return Table(
        ["code", "title", "score", "found in"], rows, title=_("Profiles matching %(text)s") % {"text": repr(text)}
    )


def load_lines(report: SyncReport, selector: str) -> list[str]:
    """What ``load`` did, a line each: how many files it uploaded, left alone and removed, then which."""
    lines = [
        f"{selector}: {len(report.loaded)} file(s) loaded, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed"
    ]
    lines += [f"  loaded {path}" for path in report.loaded]
    lines += [f"  removed {name}" for name in report.removed]
    return lines
