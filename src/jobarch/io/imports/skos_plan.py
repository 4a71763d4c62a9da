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
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rdflib import Graph
from rdflib.namespace import SKOS

from ...core.errors import JobarchError

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

    @property
    def profile_depth(self) -> int:
        return self.focus_depth if self.level_from == "none" else self.focus_depth + 1

    def role(self, depth: int) -> str:
        roles = {self.function_depth: "function", self.family_depth: "family", self.focus_depth: "focus"}
        if self.level_from != "none":
            roles[self.profile_depth] = "profile (level from " + self.level_from + ")"
        else:
            roles[self.focus_depth] = "focus, with one profile at level " + self.track + "1"
        if depth in roles:
            return roles[depth]
        into = self.folded[depth]
        return f"folded into depth {into} ({roles.get(into, '?').split(' ')[0]}): labels become aliases, notes stay"

    def render(self) -> str:
        lines = ["depth  concepts  becomes"]
        for depth in sorted(self.counts):
            lines.append(f"{depth:>5}  {self.counts[depth]:>8,}  {self.role(depth)}")
        lines.append("")
        lines += [f"chosen: {reason}" for reason in self.chosen] or ["chosen: nothing (all given as options)"]
        lines.append("dropped: nothing")
        return "\n".join(lines) + "\n"


def notation(source: Graph, concept) -> str:
    """The code a concept is known by: its notation (of several, the one its IRI ends with, as in jobarch's own
    export, else the first in order), or its IRI's local name."""
    local = str(concept).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    values = sorted(str(v) for v in source.objects(concept, SKOS.notation))
    if not values:
        return local
    return next((v for v in values if re.sub(r"[^A-Za-z0-9.]", "", v) == local), values[0])


def make_plan(source: Graph, depth: dict, parent: dict, asked: SkosMapping) -> ImportPlan:
    """The plan for these concepts (``depth`` and ``parent`` of each), honouring what the user asked."""
    if asked.level_from not in LEVEL_RULES:
        raise JobarchError(f"unknown level rule {asked.level_from!r}", hint="use " + ", ".join(LEVEL_RULES))
    counts = dict(sorted(Counter(depth.values()).items()))
    deepest = max(counts, default=0)
    chosen: list[str] = []
    level_from = asked.level_from
    leaves = [c for c, d in depth.items() if d == deepest]
    if level_from == "auto":
        level_from = _level_rule(source, leaves, parent)
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
    plan = ImportPlan(counts, function, family, focus, level_from, asked.track, chosen=chosen)
    if plan.profile_depth > deepest:
        raise JobarchError(
            f"no concepts at depth {plan.profile_depth} to become profiles",
            hint="choose a deeper --depths, or --level-from none (one profile per focus)",
        )
    mapped = sorted({function, family, focus, plan.profile_depth})
    for d in counts:
        if d not in mapped:
            plan.folded[d] = max((m for m in mapped if m < d), default=function)
    return plan


_LEVEL_REASONS = {
    "notation-suffix": "every deepest concept's notation ends in a level code such as .P3",
    "last-digit": "the deepest concepts' last digits are few and never repeat among siblings",
    "none": "no level can be read from the deepest concepts, so each becomes a focus with one profile",
}


def _level_rule(source: Graph, leaves: list, parent: dict) -> str:
    codes = {leaf: notation(source, leaf) for leaf in leaves}
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


__all__ = ["LEVEL_RULES", "ImportPlan", "SkosMapping", "level_of", "make_plan", "notation"]
