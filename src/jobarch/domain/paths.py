"""Career paths: the fewest moves between two profiles, each move within a match band, and why each is plausible.

A move is allowed between any two profiles whose distance is within the band, so the paths are those of the
*band graph* over the whole architecture. That graph is never built: its edges can reach every pair (the stretch
band joins them all). A breadth-first search reads it through the index's buckets instead — profiles that share a
scope (focus, family, function, architecture) and a level lie at one structural distance from a profile — and
keeps, per bucket, the profiles not yet reached, so each profile is reached once and each step of the search
opens about fifty buckets. With a skill weight the structural distance is only a lower bound and each member is
checked.

Among the paths with the fewest moves, each move goes to the profile that keeps the rest of the way shortest
(``d(here, next) + d(next, goal)``), preferring grades between here and the goal: a path does not climb past the
goal to come back down.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.errors import JobarchError
from ..core.i18n import N_, _, ngettext
from ..store import Store
from .adjacency import RINGS, AdjacencyIndex, Coordinates, Distance, within
from .skills import SkillChange, skill_changes, skill_names

SCOPE_WORDS = (
    N_("in the same focus"),
    N_("in a sibling focus of the same family"),
    N_("in another family of the same function"),
)
NEAREST_OFFERED = 5


@dataclass(frozen=True)
class Step:
    """One profile on a path; from the second on, the move that reaches it and what it changes."""

    code: str
    title: str
    distance: Distance | None = None  # from the previous step
    level_change: tuple[str, str] | None = None  # (from level, to level)
    new_focus: str | None = None  # the focus moved to, by name
    skills: list[SkillChange] = field(default_factory=list)  # new skills, deeper ones, now essential
    reason: str = ""  # why the move is plausible, in words

    @property
    def skills_to_gain(self) -> list[str]:
        """The names of the skills the step adds."""
        return [c.label for c in self.skills if c.kind == "new"]

    def changes(self) -> list[str]:
        """The step's changes in words, for the terminal and the page."""
        out = []
        if self.level_change:
            out.append(_("level %(from)s → %(to)s") % {"from": self.level_change[0], "to": self.level_change[1]})
        if self.new_focus:
            out.append(_("focus → %(focus)s") % {"focus": self.new_focus})
        if self.skills_to_gain:
            out.append(_("skills to gain: %(skills)s") % {"skills": ", ".join(self.skills_to_gain)})
        deeper = [c.words() for c in self.skills if c.kind in ("up", "now essential")]
        if deeper:
            out.append(_("skills to deepen: %(skills)s") % {"skills": ", ".join(deeper)})
        return out


class NoPathError(JobarchError):
    """No chain of moves within the band joins the two profiles; carries what the page offers instead."""

    def __init__(self, message: str, hint: str, nearest: list[tuple[str, str, float]], wider_band: str | None):
        super().__init__(message, hint=hint)
        self.nearest = nearest  # (code, title, distance to the goal) of the closest reachable profiles
        self.wider_band = wider_band  # the narrowest band that joins them, if any


def career_path(store: Store, index: AdjacencyIndex, start: str, goal: str, band: str = "partial") -> list[Step]:
    """The steps from ``start`` to ``goal``, the fewest moves each within ``band``; :class:`NoPathError` (with the
    nearest reachable profiles and a band that would do) when none exists."""
    codes = shortest_moves(index, start, goal, band)
    names = skill_names(store, {r.skill for c in codes for r in index.profiles[c].requirements})
    steps = [Step(codes[0], index.profiles[codes[0]].title)]
    for before_code, code in zip(codes, codes[1:], strict=False):
        before, after = index.profiles[before_code], index.profiles[code]
        distance = index.distance(before_code, code)
        steps.append(
            Step(
                code,
                after.title,
                distance,
                (before.level, after.level) if before.level != after.level else None,
                after.title.rsplit(" — ", 1)[0] if before.focus != after.focus else None,
                [c for c in skill_changes(before.requirements, after.requirements, names) if c.kind != "dropped"],
                move_reason(index, before, after, distance),
            )
        )
    return steps


def shortest_moves(index: AdjacencyIndex, start: str, goal: str, band: str) -> list[str]:
    """The codes of a path with the fewest moves within ``band`` from ``start`` to ``goal`` (both included)."""
    index.get(start), index.get(goal)
    limit = index.model.band_named(band).max_distance
    moves_left = band_reach(index, goal, limit, stop_at=start)
    if start not in moves_left:
        raise no_path(index, start, goal, band, limit)
    path = [start]
    target = index.profiles[goal]
    while path[-1] != goal:
        here = index.profiles[path[-1]]
        wanted = moves_left[here.code] - 1
        if wanted == 0:
            path.append(goal)
            continue
        low, high = sorted((here.grade, target.grade))
        best: tuple | None = None
        for distance, _ring, code in index._ranked(here.code):
            if not within(distance, limit):
                break
            if moves_left.get(code) != wanted:
                continue
            there = index.profiles[code]
            detour = not low <= there.grade <= high
            key = (detour, round(distance + index.distance(code, goal).total, 12), round(distance, 12), code)
            if best is None or key < best:
                best = key
        if best is None:  # cannot be: the search reached ``here`` from a profile one move nearer the goal
            raise JobarchError(f"the path search lost its way at {here.code}: please report this")
        path.append(best[-1])
    return path


def band_reach(index: AdjacencyIndex, source: str, limit: float, stop_at: str | None = None) -> dict[str, int]:
    """The fewest moves within ``limit`` from ``source`` to every profile it reaches (breadth first, through
    the buckets); with ``stop_at``, only until that profile's layer is known."""
    unreached = {key: set(codes) for key, codes in index._scopes.items()}
    weight = index.model.skill_weight

    def reach(c: Coordinates) -> None:
        for scope in index._scope_keys(c):
            unreached[(scope, c.track, c.grade)].discard(c.code)

    moves = {source: 0}
    reach(index.profiles[source])
    layer = [source]
    while layer and (stop_at is None or stop_at not in moves):
        following = []
        for code in layer:
            here = index.profiles[code]
            scopes = index._scope_keys(here)
            for ring, track, grade in _widest_buckets(index, here, limit):
                members = unreached.get((scopes[ring], track, grade))
                if not members:
                    continue
                for other in sorted(members):
                    if weight and not within(index.distance(code, other).total, limit):
                        continue  # the structure allows the move, the skills do not
                    reach(index.profiles[other])
                    moves[other] = moves[code] + 1
                    following.append(other)
        layer = following
    return moves


def _widest_buckets(index: AdjacencyIndex, here: Coordinates, limit: float) -> list[tuple[int, str, float]]:
    """Per level in use, the widest ring whose structural distance from ``here`` is within ``limit`` (the inner
    rings, nearer, are inside it)."""
    widest: dict[tuple[str, float], int] = {}
    for total, ring, track, grade in index._buckets(here):
        if within(total, limit):
            widest[(track, grade)] = max(ring, widest.get((track, grade), -1))
    return [(ring, track, grade) for (track, grade), ring in sorted(widest.items())]


def move_reason(index: AdjacencyIndex, before: Coordinates, after: Coordinates, distance: Distance) -> str:
    """Why a move is plausible: where it goes in the taxonomy, what it does to the grade, the skills it keeps."""
    ring = index.ring(before, after)
    where = _(SCOPE_WORDS[ring]) if ring < RINGS else _("in another function")
    if after.grade == before.grade:
        same_track = after.track == before.track
        grade = _("at the same grade") if same_track else _("at an equivalent grade on the other track")
    else:
        steps = abs(after.grade - before.grade)
        count = int(steps) if float(steps).is_integer() else steps
        other = after.track != before.track
        if after.grade > before.grade:
            grade = _("%(grades)s up on the other track") if other else _("%(grades)s up")
        else:
            grade = _("%(grades)s down on the other track") if other else _("%(grades)s down")
        grade %= {"grades": ngettext("%(num)s grade", "%(num)s grades", 1 if count == 1 else 2) % {"num": count}}
    parts = [f"{where}, {grade}"]
    if before.skills or after.skills:
        shared, needed = len(before.skills & after.skills), len(after.skills)
        parts.append(_("%(shared)s of %(needed)s skills already needed here") % {"shared": shared, "needed": needed})
    parts.append(_("%(distance)s apart (%(band)s)") % {"distance": f"{distance.total:.2f}", "band": distance.band})
    return "; ".join(parts)


def no_path(index: AdjacencyIndex, start: str, goal: str, band: str, limit: float) -> NoPathError:
    """What is missing, in words: how far the moves within the band get, and the band that would join the two."""
    reached = band_reach(index, start, limit)
    target = index.profiles[goal]
    nearest = sorted((index.distance(code, goal).total, code) for code in reached if code != start)[:NEAREST_OFFERED]
    functions = {index.profiles[c].function for c in reached}
    wider = next(  # each wider band searched only until the goal is reached
        (
            b.label
            for b in index.model.bands
            if b.max_distance > limit and goal in band_reach(index, start, b.max_distance, stop_at=goal)
        ),
        None,
    )
    if target.function not in functions and index.model.taxonomy_weight > limit:
        why = (
            f"every move to another function is at least {index.model.taxonomy_weight:.2f} apart, "
            f"beyond the {band!r} band's {limit:.2f}"
        )
    else:
        closest = nearest[0][0] if nearest else index.distance(start, goal).total
        why = f"the closest of them is still {closest:.2f} from {goal}, beyond the {band!r} band's {limit:.2f}"
    message = (
        f"no path from {start} to {goal} moving only within the {band!r} band: moves within it reach "
        f"{len(reached) - 1} other profile(s) from {start}, and {why}"
    )
    hint = f"choose the {wider!r} band" if wider else "no band joins them"
    offered = [(code, index.profiles[code].title, distance) for distance, code in nearest]
    return NoPathError(message, hint, offered, wider)
