"""How a SKOS classification becomes an architecture: which depth is what, how levels are read, what is folded.

The plan is made from the data before anything is written, and can be shown
(``jobarch import skos --plan``). Nothing is dropped silently: each depth is
a function, family, focus or profile depth, or is folded into the nearest
depth above it that is mapped (its labels become aliases there, its
definitions notes). Defaults come from the data:

* levels are read from a notation suffix (``FN.FOCUS.M2``, as jobarch's own
  SKOS export writes), from the last digit (``2131`` is level 1 of ``213``)
  when the deepest concepts' last digits are few and never repeat among
  siblings, or not at all: then every deepest concept is a focus with one
  profile;
* the profiles' depth is the deepest, the focus depth the one above it (or
  the deepest, without levels), the family depth the one above that, and the
  function depth the top; depths in between are folded.

Real hierarchies are not balanced: an occupation may sit higher than the
profiles' depth with nothing below it. Such a concept is an occupation all
the same, so it is given a focus and a profile of its own (stand-ins named
and linked as it is) instead of becoming a family or an alias. Concepts
above the function depth (``--depths 2,3,4``) are linked from every
function below them with ``skos:broadMatch``. All of this is listed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ...core.errors import JobarchError
from .skos_source import Classification, listed

LEVEL_RULES = ("auto", "last-digit", "notation-suffix", "none")
_SUFFIX = re.compile(r"\.([A-Za-z]+\d+)$")


@dataclass(frozen=True)
class SkosMapping:
    """What the user asked: depths of function, family and focus (None: chosen from the data), the level rule."""

    function_depth: int | None = None
    family_depth: int | None = None
    focus_depth: int | None = None
    level_from: str = "auto"
    track: str = "P"
    code_from: str | None = None  # the property holding the codes (CURIE or IRI); None: skos:notation or detected


@dataclass
class ImportPlan:
    counts: dict[int, int]
    function_depth: int
    family_depth: int
    focus_depth: int
    level_from: str  # last-digit, notation-suffix or none
    track: str
    folded: dict[int, int] = field(default_factory=dict)  # unmapped depth -> the mapped depth it is folded into
    chosen: list[str] = field(default_factory=list)  # what was chosen from the data, and why
    shallow: list = field(default_factory=list)  # occupations with nothing below them above the profiles' depth
    above: list = field(default_factory=list)  # concepts above the function depth
    repairs: list[str] = field(default_factory=list)  # what the reading repaired (Repairs.lines)

    @property
    def profile_depth(self) -> int:
        return self.focus_depth if self.level_from == "none" else self.focus_depth + 1

    @property
    def mapped_depths(self) -> list[int]:
        """The depths that become a function, family, focus or profile (ascending)."""
        return sorted({self.function_depth, self.family_depth, self.focus_depth, self.profile_depth})

    def role(self, depth: int) -> str:
        roles = {self.function_depth: "function", self.family_depth: "family", self.focus_depth: "focus"}
        if self.level_from != "none":
            roles[self.profile_depth] = "profile (level from " + self.level_from + ")"
        else:
            roles[self.focus_depth] = "focus, with one profile at level " + self.track + "1"
        if depth in roles:
            return roles[depth]
        if depth < self.function_depth:
            return "above the functions: linked from each function below with skos:broadMatch"
        into = self.folded[depth]
        return f"folded into depth {into} ({roles.get(into, '?').split(' ')[0]}): labels become aliases, notes stay"

    def render(self, limit: int | None = 5) -> str:
        """The plan as ``--plan`` prints it (``limit`` concepts named per line) or the report writes it (all)."""
        lines = ["depth  concepts  becomes"]
        for depth in sorted(self.counts):
            lines.append(f"{depth:>5}  {self.counts[depth]:>8,}  {self.role(depth)}")
        lines.append("")
        lines += [f"chosen: {reason}" for reason in self.chosen] or ["chosen: nothing (all given as options)"]
        lines += self.repairs
        if self.shallow:
            lines.append(
                f"moved: {len(self.shallow):,} occupations with nothing below them above depth {self.profile_depth}: "
                "each given a focus and a profile of its own: " + listed([str(c) for c in self.shallow], limit)
            )
        if self.above:
            lines.append(
                f"linked: {len(self.above):,} concepts above the function depth: each function links the one above "
                "it with skos:broadMatch: " + listed([str(c) for c in self.above], limit)
            )
            lines.append(f"dropped: the labels and notes of the {len(self.above):,} concepts above the function depth")
        else:
            lines.append("dropped: nothing")
        return "\n".join(lines) + "\n"


def make_plan(found: Classification, asked: SkosMapping) -> ImportPlan:
    """The plan for a classification, honouring what the user asked."""
    depth, parent = found.depth, found.parent
    if asked.level_from not in LEVEL_RULES:
        raise JobarchError(f"unknown level rule {asked.level_from!r}", hint="use " + ", ".join(LEVEL_RULES))
    counts = dict(sorted(Counter(depth.values()).items()))
    deepest = max(counts, default=0)
    chosen: list[str] = []
    level_from = asked.level_from
    leaves = [c for c, d in depth.items() if d == deepest]
    if found.code_reason:
        chosen.append(found.code_reason)
    if level_from == "auto":
        level_from = _level_rule(found, leaves, parent)
        chosen.append(f"--level-from {level_from}: " + _LEVEL_REASONS[level_from])
    if asked.focus_depth is None:
        focus = deepest if level_from == "none" else deepest - 1
        family, function = focus - 1, 1
        chosen.append(
            f"--depths {function},{family},{focus}: the top is the function, "
            + ("the deepest concepts are the foci" if level_from == "none" else "the deepest are the profiles")
        )
    else:
        function, family, focus = asked.function_depth or 1, asked.family_depth or 2, asked.focus_depth
    if not 1 <= function < family < focus:
        raise JobarchError(
            f"the classification has {deepest} depth{'s' if deepest != 1 else ''}: a taxonomy needs a function, "
            "a family and a focus depth above its profiles",
            hint="give --depths with three increasing depths, and --level-from none if no depth holds levels",
        )
    if asked.focus_depth is not None and focus > deepest:
        raise JobarchError(
            f"--depths {function},{family},{focus}: the classification is {deepest} deep",
            hint=f"give depths from 1 to {deepest}, or see the choices with --plan",
        )
    plan = ImportPlan(counts, function, family, focus, level_from, asked.track, chosen=chosen)
    plan.repairs = found.repairs.lines()
    if plan.profile_depth > deepest:
        raise JobarchError(
            f"no concepts at depth {plan.profile_depth} to become profiles",
            hint="choose a deeper --depths, or --level-from none (one profile per focus)",
        )
    for d in counts:
        if d not in plan.mapped_depths and d > function:
            plan.folded[d] = max(m for m in plan.mapped_depths if m < d)
    has_children = found.children
    plan.shallow = sorted(
        (c for c, d in depth.items() if function <= d < plan.profile_depth and c not in has_children), key=str
    )
    plan.above = sorted((c for c, d in depth.items() if d < function), key=str)
    return plan


_LEVEL_REASONS = {
    "notation-suffix": "every deepest concept's notation ends in a level code such as .P3",
    "last-digit": "the deepest concepts' last digits are few and never repeat among siblings",
    "none": "no level can be read from the deepest concepts, so each becomes a focus with one profile",
}


def _level_rule(found: Classification, leaves: list, parent: dict) -> str:
    codes = {leaf: found.code(leaf) for leaf in leaves}
    if codes and all(_SUFFIX.search(code) for code in codes.values()):
        return "notation-suffix"
    digits = {leaf: code[-1] for leaf, code in codes.items() if code[-1:].isdigit()}
    if (
        codes
        and len(digits) == len(codes)
        and len(set(digits.values())) <= 5
        and all(leaf in parent for leaf in leaves)
    ):
        seen: set[tuple] = set()
        for leaf, digit in digits.items():
            key = (parent[leaf], digit)
            if key in seen:
                return "none"
            seen.add(key)
        return "last-digit"
    return "none"


def level_of(code: str, rule: str, track: str) -> str | None:
    """The level code a deepest concept's notation gives under ``rule``."""
    if rule == "none":
        return f"{track}1"
    if rule == "last-digit":
        return f"{track}{int(code[-1]) or 1}" if code[-1:].isdigit() else None
    match = _SUFFIX.search(code)
    return match.group(1) if match else None


__all__ = ["LEVEL_RULES", "ImportPlan", "SkosMapping", "level_of", "make_plan"]
