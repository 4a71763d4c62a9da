"""Adjacent roles: distances between profiles, 3-state match bands, nearest-k without all pairs.

A profile's coordinates are its place in the taxonomy tree and its level.

* Taxonomy distance is the shortest path between the two foci in the tree
  (networkx), over the longest such path between leaves (2 x focus depth):
  same focus 0, sibling focus 1/3, same function 2/3, other function 1.
* Level distance is the cross-track grade gap over the ladder's grade span,
  plus a penalty when the tracks differ, capped at 1.
* Skill distance is 1 minus the Jaccard overlap of the two skill sets; its
  weight is 0 unless the architecture's model sets ``ja:skillWeight``.
* Distance is the weighted sum, in [0, 1]; bands cut it by thresholds.

Weights, penalty and bands come from the architecture's adjacency model, with
the ontology's ``ja:defaultAdjacencyModel`` filling what it leaves out.

Nearest-k: every candidate falls into a *bucket* (taxonomy ring, track, grade)
whose members all share one distance to the query profile. There are only
rings x tracks x grades buckets (about fifty), so a query sorts the buckets and
takes profiles from the nearest ones: it never compares all pairs. With a
skill weight, a bucket's distance is a lower bound (skills add up to the
weight): candidates wait in a heap until no bucket still to open can beat them.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from rdflib import RDF, XSD, URIRef

from ..core import languages
from ..core.errors import JobarchError, did_you_mean
from ..core.namespaces import ADJACENCY_PREFIX, JA
from ..core.outputs import write_output
from ..graph.terms import integer, iri, number, text
from ..graph.turtle import canonical_turtle_from
from ..query import internal
from ..store import Store
from .facts import profile_facts

if TYPE_CHECKING:
    import networkx as nx

JA_DEFAULT_MODEL = JA.defaultAdjacencyModel
ROOT = "architecture"
#: The rings around a focus in the model's taxonomy (same family, same function, another function): a focus sits
#: this many steps below the architecture (focus -> family -> function -> architecture).
RINGS = 3
TOLERANCE = 1e-12  # see within()


@dataclass(frozen=True)
class Band:
    label: str
    max_distance: float
    order: int
    iri: URIRef | None = None


@dataclass(frozen=True)
class AdjacencyModel:
    taxonomy_weight: float
    level_weight: float
    cross_track_penalty: float
    bands: tuple[Band, ...]
    skill_weight: float = 0.0

    def check(self) -> None:
        """Weights sum to 1 and thresholds increase: the same rules as the shapes, enforced before use."""
        total = self.taxonomy_weight + self.level_weight + self.skill_weight
        if abs(total - 1) > 1e-9:
            raise JobarchError(
                f"adjacency weights sum to {total:g}, not 1",
                hint="fix ja:taxonomyWeight / ja:levelWeight / ja:skillWeight (or [jobarch.adjacency] in jobarch.toml)",
            )
        maxima = [b.max_distance for b in self.bands]
        if len(self.bands) != 3 or maxima != sorted(maxima) or len(set(maxima)) != 3 or maxima[-1] < 1:
            raise JobarchError(
                "adjacency needs three match bands with increasing thresholds, the last reaching 1",
                hint="fix the ja:matchBand values of the adjacency model",
            )

    def band(self, distance: float) -> Band:
        for band in self.bands:
            if within(distance, band.max_distance):
                return band
        return self.bands[-1]

    def band_named(self, label: str) -> Band:
        for band in self.bands:
            if band.label.lower() == label.lower():
                return band
        raise JobarchError(f"no match band {label!r}", hint="bands: " + ", ".join(b.label for b in self.bands))


@dataclass(frozen=True)
class Coordinates:
    """Where a profile sits: its taxonomy path, its level, and the skills it needs (as IRIs)."""

    code: str
    iri: URIRef | None
    titles: tuple[tuple[str, str], ...]  # (title, language): see ProfileFacts
    function: str
    family: str
    focus: str
    level: str
    track: str
    grade: float
    skills: frozenset = frozenset()
    requirements: tuple = ()  # each skill with its depth (domain.skills.Requirement)

    @property
    def title(self) -> str:
        """The title in the reader's language (core/languages)."""
        return languages.choose(self.titles)


def coordinates(store: Store) -> list[Coordinates]:
    """The coordinates of every profile that has a whole taxonomy path and a graded level on a track."""
    coords = [
        Coordinates(
            f.code,
            URIRef(f.iri),
            f.titles,
            f.function,
            f.family,
            f.focus,
            f.level_code,
            f.track_code,
            f.grade,
            f.skills,
            f.requirements,
        )
        for f in profile_facts(store).values()
        if f.code and f.focus and f.family and f.function and f.level_code and f.track_code and f.grade is not None
    ]
    return sorted(coords, key=lambda c: c.code)


@dataclass(frozen=True)
class Distance:
    total: float
    taxonomy: float
    level: float
    band: str
    skills: float = 0.0  # 1 - the Jaccard overlap of the skill sets (weighted only when the model asks)


@dataclass(frozen=True)
class Neighbour:
    code: str
    title: str
    iri: URIRef | None
    distance: float
    band: str
    taxonomy: float
    level: float
    shared_skills: int
    skills_union: int
    direction: str = "lateral"  # step up, lateral or step down: the other role's grade against this one's

    @property
    def skill_overlap(self) -> float:
        """Jaccard similarity of the two skill sets."""
        return self.shared_skills / self.skills_union if self.skills_union else 0.0


@dataclass
class AdjacencyIndex:
    """Coordinates of every profile, the taxonomy tree, and the buckets nearest-k reads."""

    model: AdjacencyModel
    profiles: dict[str, Coordinates]
    grade_span: float
    _scopes: dict[tuple, list[str]] = field(default_factory=dict, repr=False)
    _levels: list[tuple[str, float]] = field(default_factory=list, repr=False)  # every (track, grade) in use
    _bucket_lists: dict[tuple[str, float], list] = field(default_factory=dict, repr=False)
    _titles: dict[tuple[str, ...], dict[str, str]] = field(default_factory=dict, repr=False)  # by reader's languages

    # ------------------------------------------------------------------ building
    @classmethod
    def from_coordinates(
        cls, coords: Iterable[Coordinates], model: AdjacencyModel, grade_span: float | None = None
    ) -> AdjacencyIndex:
        model.check()
        profiles = {c.code: c for c in coords}
        grades = [c.grade for c in profiles.values()]
        span = grade_span if grade_span else ((max(grades) - min(grades)) if grades else 1.0) or 1.0
        index = cls(model, profiles, span)
        for c in sorted(profiles.values(), key=lambda c: c.code):
            for scope in index._scope_keys(c):
                index._scopes.setdefault((scope, c.track, c.grade), []).append(c.code)
        index._levels = sorted({(c.track, c.grade) for c in profiles.values()})
        return index

    @classmethod
    def from_store(cls, store: Store, overrides: dict | None = None) -> AdjacencyIndex:
        """Every profile's coordinates (kept with the store, see :mod:`.coordinates`) and the adjacency model."""
        coords = coordinates(store)
        if not coords:
            raise JobarchError(
                "no profiles with a focus, family, function and graded level to compare",
                hint="run jobarch validate to see what is missing",
            )
        span_row = store.select(internal("grade_span"))[0]
        span = (number(span_row["high"]) or 0) - (number(span_row["low"]) or 0)
        return cls.from_coordinates(coords, read_model(store, overrides), span or None)

    @staticmethod
    def _scope_keys(c: Coordinates) -> tuple:
        return (("focus", c.focus), ("family", c.family), ("function", c.function), (ROOT,))

    # ------------------------------------------------------------------ distances
    @cached_property
    def tree(self) -> nx.Graph:
        """The taxonomy as a networkx tree (architecture › function › family › focus), built when first used."""
        import networkx as nx

        tree: nx.Graph = nx.Graph()
        for c in self.profiles.values():
            tree.add_edge(ROOT, ("function", c.function))
            tree.add_edge(("function", c.function), ("family", c.family))
            tree.add_edge(("family", c.family), ("focus", c.focus))
        return tree

    @property
    def tree_span(self) -> int:
        """The longest leaf-to-leaf path: from a focus up to the root and down to a focus of another function."""
        return 2 * RINGS

    def taxonomy_distance(self, a: Coordinates, b: Coordinates) -> float:
        """The tree path between two foci over its longest: read from the paths, with no graph to walk."""
        return self._ring_distance(self.ring(a, b))

    @staticmethod
    def ring(a: Coordinates, b: Coordinates) -> int:
        """0 same focus, 1 same family, 2 same function, 3 other function: half the tree path between the foci."""
        if a.focus == b.focus:
            return 0
        if a.family == b.family:
            return 1
        return 2 if a.function == b.function else RINGS

    def taxonomy_distance_networkx(self, a: Coordinates, b: Coordinates) -> float:
        """The same distance as a shortest path in the networkx tree: the reference the rings are tested against."""
        import networkx as nx

        return nx.shortest_path_length(self.tree, ("focus", a.focus), ("focus", b.focus)) / self.tree_span

    def _ring_distance(self, ring: int) -> float:
        """Taxonomy distance of ring 0 (same focus) .. 3 (other function): the tree path is 2 x ring."""
        return 2 * ring / self.tree_span

    def level_distance(self, a: Coordinates, b: Coordinates) -> float:
        return self._level(a.grade, a.track, b.grade, b.track)

    def _level(self, grade_a: float, track_a: str, grade_b: float, track_b: str) -> float:
        gap = abs(grade_a - grade_b) / self.grade_span
        penalty = self.model.cross_track_penalty if track_a != track_b else 0.0
        return min(1.0, gap + penalty)

    def distance(self, a: str, b: str) -> Distance:
        ca, cb = self.get(a), self.get(b)
        taxonomy, level, skills = self.taxonomy_distance(ca, cb), self.level_distance(ca, cb), skill_distance(ca, cb)
        total = (
            self.model.taxonomy_weight * taxonomy + self.model.level_weight * level + self.model.skill_weight * skills
        )
        return Distance(total, taxonomy, level, self.model.band(total).label, skills)

    @property
    def titles(self) -> dict[str, str]:
        """Each profile's title by code, in the reader's languages: what a person may name a profile by."""
        chain = languages.current()
        titles = self._titles.get(chain)
        if titles is None:
            titles = self._titles[chain] = {code: c.title for code, c in self.profiles.items()}
        return titles

    def get(self, code: str) -> Coordinates:
        if code not in self.profiles:
            raise JobarchError(f"no profile with code {code!r}", hint=did_you_mean(code, list(self.profiles)))
        return self.profiles[code]

    # ------------------------------------------------------------------ nearest
    def _buckets(self, q: Coordinates) -> list[tuple[float, int, str, float]]:
        """Every bucket (ring, track, grade) with its distance from a profile at ``q``'s level, nearest first.

        The list depends only on the level, so it is made once per (track, grade) in use.
        """
        key = (q.track, q.grade)
        if key not in self._bucket_lists:
            buckets = []
            for ring in range(4):
                for track, grade in self._levels:
                    total = self.model.taxonomy_weight * self._ring_distance(
                        ring
                    ) + self.model.level_weight * self._level(q.grade, q.track, grade, track)
                    buckets.append((total, ring, track, grade))
            buckets.sort()
            self._bucket_lists[key] = buckets
        return self._bucket_lists[key]

    def _members(self, q: Coordinates, ring: int, track: str, grade: float) -> list[str]:
        scopes = self._scope_keys(q)
        outer = self._scopes.get((scopes[ring], track, grade), [])
        if ring == 0:
            return outer
        inner = set(self._scopes.get((scopes[ring - 1], track, grade), ()))
        return [code for code in outer if code not in inner]

    def _ranked(self, code: str) -> Iterator[tuple[float, int, str]]:
        """Every other profile as (distance, ring, code), nearest first, ties by code; lazy."""
        q = self.get(code)
        weight = self.model.skill_weight
        waiting: list[tuple[float, str, int]] = []  # (distance, code, ring): exact, once skills count
        for total, group in groupby(self._buckets(q), key=lambda b: round(b[0], 12)):
            while waiting and waiting[0][0] < total:  # nothing in this bucket or later can come before these
                distance, member, ring = heapq.heappop(waiting)
                yield distance, ring, member
            members = []
            for structural, ring, track, grade in group:
                members += [(m, ring, structural) for m in self._members(q, ring, track, grade) if m != code]
            if not weight:
                for member, ring, _ in sorted(members):
                    yield total, ring, member
                continue
            for member, ring, structural in members:
                # summed as distance() sums, from the unrounded part, so that ties fall the same way
                exact = round(structural + weight * skill_distance(q, self.profiles[member]), 12)
                heapq.heappush(waiting, (exact, member, ring))
        while waiting:
            distance, member, ring = heapq.heappop(waiting)
            yield distance, ring, member

    def iter_nearest(self, code: str) -> Iterator[Neighbour]:
        """Every other profile, nearest first; ties by code. Lazy: stop when you have enough."""
        q = self.get(code)
        for total, ring, member in self._ranked(code):
            c = self.profiles[member]
            yield Neighbour(
                member,
                c.title,
                c.iri,
                total,
                self.model.band(total).label,
                self._ring_distance(ring),
                self.level_distance(q, c),
                len(q.skills & c.skills),
                len(q.skills | c.skills),
                "step up" if c.grade > q.grade else "step down" if c.grade < q.grade else "lateral",
            )

    def nearest(
        self,
        code: str,
        k: int = 10,
        band: str | None = None,
        max_distance: float | None = None,
        same_track: bool = False,
    ) -> list[Neighbour]:
        limit = self.model.band_named(band).max_distance if band else None
        out = []
        for n in self.iter_nearest(code):
            if (limit is not None and not within(n.distance, limit)) or (
                max_distance is not None and not within(n.distance, max_distance)
            ):
                break
            if same_track and self.profiles[n.code].track != self.profiles[code].track:
                continue
            out.append(n)
            if len(out) >= k:
                break
        return out

    def nearest_brute_force(self, code: str, k: int = 10) -> list[tuple[float, str]]:
        """The all-pairs reference the fast path is checked against (tests and benchmarks only)."""
        scored = [(self.distance(code, other).total, other) for other in self.profiles if other != code]
        return heapq.nsmallest(k, scored, key=lambda item: (round(item[0], 12), item[1]))

    # ------------------------------------------------------------------ materialise
    def write_turtle(self, path: Path, k: int = 10, *, force: bool = False, protected: Iterable[Path] = ()) -> int:
        """Write the k-nearest graph as ``ja:Adjacency`` nodes (a result file: see :mod:`jobarch.core.outputs`),
        in the canonical Turtle every jobarch file is written in; a code becomes part of an IRI percent-encoded."""
        import pyoxigraph as ox

        def node(value: object) -> str:
            return str(ox.NamedNode(str(value)))

        def decimal(value: float) -> str:
            return str(ox.Literal(f"{value:.6f}", datatype=xsd_decimal))

        xsd_decimal = ox.NamedNode(str(XSD.decimal))
        names = ("Adjacency", "fromProfile", "toProfile", "band", "distance", "taxonomyDistance", "levelDistance")
        ja = {name: node(JA[name]) for name in names}
        a = node(RDF.type)
        bands = {b.label: node(b.iri) for b in self.model.bands if b.iri}
        iris = {code: node(p.iri) for code, p in self.profiles.items()}  # each profile's IRI made once, not per edge
        triples: list[tuple[str, str, str]] = []
        for code in sorted(self.profiles):
            for n in self.nearest(code, k=k):
                edge = node(f"{ADJACENCY_PREFIX}{quote(code, safe='')}:{quote(n.code, safe='')}")
                triples += [
                    (edge, a, ja["Adjacency"]),
                    (edge, ja["fromProfile"], iris[code]),
                    (edge, ja["toProfile"], iris[n.code]),
                    (edge, ja["distance"], decimal(n.distance)),
                    (edge, ja["taxonomyDistance"], decimal(n.taxonomy)),
                    (edge, ja["levelDistance"], decimal(n.level)),
                ]
                if n.band in bands:
                    triples.append((edge, ja["band"], bands[n.band]))
        header = ["# Derived data: the k-nearest adjacency graph written by `jobarch adjacency`. Do not edit."]
        turtle = canonical_turtle_from(triples, {"ja": str(JA), "xsd": str(XSD)}, header)
        write_output(path, turtle, force=force, protected=protected)
        return sum(1 for t in triples if t[2] == ja["Adjacency"])


def within(distance: float, limit: float) -> bool:
    """``distance <= limit`` for distances summed from float weights: a distance that equals a band's threshold in
    decimal (0.1 + 0.2 against 0.3) falls inside it."""
    return distance <= limit + TOLERANCE


def skill_distance(a: Coordinates, b: Coordinates) -> float:
    """1 minus the Jaccard overlap of two profiles' skills (0 for two profiles that state none)."""
    union = len(a.skills | b.skills)
    return 1.0 - len(a.skills & b.skills) / union if union else 0.0


def read_model(store: Store, overrides: dict | None = None) -> AdjacencyModel:
    """The architecture's adjacency model over the ontology's default, then jobarch.toml's [adjacency]."""
    settings: dict[str, float] = {}
    bands: list[Band] = []
    models = [iri(r["model"]) for r in store.select(internal("architecture_models"))]
    for model in [JA_DEFAULT_MODEL] + sorted(models):
        own_bands = []
        for r in store.select(internal("adjacency_model"), model=model):
            if r["property"] is not None:
                settings[str(r["property"]).rsplit("#", 1)[-1]] = float(number(r["value"]) or 0)
            elif r["band"] is not None:
                own_bands.append(
                    Band(
                        text(r["label"]) or str(r["band"]).rsplit("#", 1)[-1],
                        float(number(r["max"]) or 0),
                        integer(r["order"]) or 0,
                        iri(r["band"]),
                    )
                )
        if own_bands:
            bands = sorted(set(own_bands), key=lambda b: (b.order, b.max_distance))
    overrides = overrides or {}
    settings.update({_CONFIG_KEYS[k]: float(v) for k, v in overrides.items() if k in _CONFIG_KEYS})
    if not bands or not {"taxonomyWeight", "levelWeight", "crossTrackPenalty"} <= set(settings):
        raise JobarchError("no adjacency model found, not even the ontology's default")
    return AdjacencyModel(
        settings["taxonomyWeight"],
        settings["levelWeight"],
        settings["crossTrackPenalty"],
        tuple(bands),
        settings.get("skillWeight", 0.0),
    )


_CONFIG_KEYS = {
    "taxonomy_weight": "taxonomyWeight",
    "level_weight": "levelWeight",
    "skill_weight": "skillWeight",
    "cross_track_penalty": "crossTrackPenalty",
}
