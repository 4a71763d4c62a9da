"""Career paths: the shortest chain of moves between two profiles, and what changes at each step."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..store import Store
from .adjacency import AdjacencyIndex, Distance
from .skills import SkillChange, skill_changes, skill_names


@dataclass(frozen=True)
class Step:
    """One profile on a path; from the second on, the move that reaches it and what it changes."""

    code: str
    title: str
    distance: Distance | None = None  # from the previous step
    level_change: tuple[str, str] | None = None  # (from level, to level)
    new_focus: str | None = None  # the focus moved to, by name
    skills: list[SkillChange] = field(default_factory=list)  # new skills, deeper ones, now essential

    @property
    def skills_to_gain(self) -> list[str]:
        """The names of the skills the step adds."""
        return [c.label for c in self.skills if c.kind == "new"]

    def changes(self) -> list[str]:
        """The step's changes in words, for the terminal and the page."""
        out = []
        if self.level_change:
            out.append(f"level {self.level_change[0]} → {self.level_change[1]}")
        if self.new_focus:
            out.append(f"focus → {self.new_focus}")
        if self.skills_to_gain:
            out.append("skills to gain: " + ", ".join(self.skills_to_gain))
        deeper = [c.words() for c in self.skills if c.kind in ("up", "now essential")]
        if deeper:
            out.append("skills to deepen: " + ", ".join(deeper))
        return out


def career_path(
    store: Store, index: AdjacencyIndex, start: str, goal: str, band: str = "partial", k: int = 10
) -> list[Step]:
    """The steps from ``start`` to ``goal`` moving only within ``band`` (see :meth:`AdjacencyIndex.career_path`)."""
    codes = index.career_path(start, goal, band, k)
    names = skill_names(store, {r.skill for c in codes for r in index.profiles[c].requirements})
    steps = [Step(codes[0], index.profiles[codes[0]].title)]
    for before_code, code in zip(codes, codes[1:], strict=False):
        before, after = index.profiles[before_code], index.profiles[code]
        steps.append(
            Step(
                code,
                after.title,
                index.distance(before_code, code),
                (before.level, after.level) if before.level != after.level else None,
                after.title.rsplit(" — ", 1)[0] if before.focus != after.focus else None,
                [c for c in skill_changes(before.requirements, after.requirements, names) if c.kind != "dropped"],
            )
        )
    return steps
