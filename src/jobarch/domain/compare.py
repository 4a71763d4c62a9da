"""Side-by-side comparison of two or three profiles, with their distance and band."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from ..core.i18n import N_
from .adjacency import AdjacencyIndex, Distance
from .profile import Profile

#: Rows that name the profiles: they always differ, so they never count as a difference.
IDENTITY = frozenset({"Code", "Title"})


@dataclass
class Comparison:
    profiles: list[Profile]
    distances: list[tuple[str, str, Distance]]  # each later profile from the first

    @staticmethod
    def differs(aspect: str, values: list[str]) -> bool:
        """Whether a row shows a difference in content (the rows naming the profiles never do)."""
        return aspect not in IDENTITY and len(set(values)) > 1

    @staticmethod
    def common(aspect: str, values: list[str]) -> bool:
        """Whether a row holds one value for every profile, to be shown once rather than once per column."""
        return aspect not in IDENTITY and len(values) > 1 and len(set(values)) == 1

    def rows(self) -> list[tuple[str, list[str]]]:
        """One (aspect, values per profile) row per line of the comparison."""
        ps = self.profiles
        rows: list[tuple[str, list[str]]] = [
            (N_("Code"), [p.code for p in ps]),
            (N_("Title"), [p.page_title for p in ps]),
            (N_("Taxonomy"), [f"{p.function.label} › {p.family.label} › {p.focus.label}" for p in ps]),
            (
                N_("Level"),
                [f"{p.level.code} — {p.level.label} ({p.level.track_label}, grade {_num(p.level.grade)})" for p in ps],
            ),
        ]
        labels = [label for label, _ in ps[0].level.attributes]
        for label in labels:
            rows.append((label, [dict(p.level.attributes).get(label, "") for p in ps]))
        rows.append((N_("Typical experience"), [f"{p.level.experience} yrs" if p.level.experience else "" for p in ps]))
        for dimension in ps[0].rubric_dimensions:
            rows.append((f"Rubric: {dimension}", [_own_rubric(p, dimension) for p in ps]))
        rows.append((N_("Responsibilities"), ["\n".join(f"• {r}" for r in p.own_responsibilities) for p in ps]))
        skill_sets = [{s.label for s in p.skills} for p in ps]
        shared = set.intersection(*skill_sets)
        rows.append((N_("Skills in all"), [", ".join(sorted(shared))] * len(ps)))
        if len(ps) == 3:  # a skill two of three need is neither shared by all nor anyone's own
            rows.append((N_("Skills in two of three"), _two_of_three(ps, skill_sets)))
        rows.append(
            (
                N_("Skills only here"),
                [
                    ", ".join(sorted(s - set().union(*(o for j, o in enumerate(skill_sets) if j != i))))
                    for i, s in enumerate(skill_sets)
                ],
            )
        )
        rows.append((N_("Skills at another depth"), _depths(ps, shared)))
        rows.append((N_("Sources"), [str(len(p.sources)) for p in ps]))
        rows.append((N_("Quality"), [_quality(p) for p in ps]))
        rows.append(
            (
                "Distance from " + ps[0].code,
                ["—"]
                + [
                    f"{d.total:.2f} ({d.band}; taxonomy {d.taxonomy:.2f}, level {d.level:.2f})"
                    for _, _, d in self.distances
                ],
            )
        )
        return rows

    def to_json(self) -> str:
        return (
            json.dumps(
                {
                    "profiles": [p.code for p in self.profiles],
                    "rows": [
                        {"aspect": aspect, "values": values, "differs": self.differs(aspect, values)}
                        for aspect, values in self.rows()
                    ],
                    "distances": [{"from": a, "to": b, **asdict(d)} for a, b, d in self.distances],
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )


def _num(value) -> str:
    return "" if value is None else (str(int(value)) if float(value).is_integer() else str(value))


def _two_of_three(profiles: list[Profile], skill_sets: list[set[str]]) -> list[str]:
    """Per profile, the skills it shares with exactly one of the other two, each naming that other profile."""
    out = []
    for i, own in enumerate(skill_sets):
        lines = []
        for j, other in enumerate(skill_sets):
            if j == i:
                continue
            third = next(k for k in range(3) if k not in (i, j))
            pair = sorted((own & other) - skill_sets[third])
            if pair:
                lines.append(f"with {profiles[j].code}: " + ", ".join(pair))
        out.append("\n".join(lines))
    return out


def _depths(profiles: list[Profile], shared: set[str]) -> list[str]:
    """For the skills every profile needs, those needed at another proficiency (or essential in one, optional in
    another): each profile's depth of them, one per line."""
    needs = [{s.label: s.requirement for s in p.skills if s.requirement is not None} for p in profiles]
    differing = sorted(
        label
        for label in shared
        if all(label in n for n in needs) and len({(n[label].proficiency, n[label].essential) for n in needs}) > 1
    )
    return [
        "\n".join(
            f"{label}: {'–' if n[label].proficiency is None else n[label].proficiency} ({n[label].kind})"
            for label in differing
        )
        for n in needs
    ]


def _own_rubric(profile: Profile, dimension: str) -> str:
    i = profile.rubric_dimensions.index(dimension) if dimension in profile.rubric_dimensions else -1
    row = next((r for r in profile.rubric if r.level_code == profile.level.code), None)
    return row.cells[i] if row and i >= 0 else ""


def _quality(profile: Profile) -> str:
    q = profile.quality
    weakest = q.weakest
    if weakest is None:
        return "not assessed"
    return f"{'pass' if q.passed else 'fail'} (min {weakest[1]}, {weakest[0]})"


def compare(profiles: list[Profile], index: AdjacencyIndex) -> Comparison:
    first = profiles[0].code
    return Comparison(profiles, [(first, p.code, index.distance(first, p.code)) for p in profiles[1:]])
