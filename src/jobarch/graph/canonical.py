"""The one canonical form of blank nodes: which blank node is which, whatever a parser called it.

Every place that must tell blank nodes apart by what they say uses this
module: the Turtle writer (``fmt`` and every export name and order blank nodes
by it), the diff (a blank node is compared by its content and its owner), the
stores (a reloaded file keeps its blank-node labels) and the check that
``fmt`` lost nothing (two graphs are the same up to blank-node labels).

A blank node's *colour* digests what it says and what points at it, refined
over its blank neighbours until its connected component's partition stops
splitting (colour refinement, 1-dimensional Weisfeiler–Lehman), then joined
with a digest of its whole component (so that alike nodes of different
components stay apart). A colour
depends only on the node's component and the named terms around it: never on
labels, on hash seeds (the digest is BLAKE2b over sorted text), on other
components or on the process. jobarch's blank nodes are owned trees
(responsibilities, assessments and their scores, mappings); on a forest,
refinement is exact: nodes of equal colour are interchangeable, so any order
among them gives the same bytes. A component that is not a tree and keeps
equal colours is settled by individualisation and refinement (each candidate
is tried, the smallest certificate wins), within a work budget: a structure
too symmetric to settle within it is refused with a clear error rather than
written differently from run to run.

RDFC-1.0 (W3C's standard, which pyoxigraph implements) gives the same
guarantees, but its run time is exponential in the number of alike blank
nodes one node links to (ten identical scores under one assessment, or a
small clique, take it minutes): this module's refinement is linear on
jobarch's data and bounded on anyone's.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable

from ..core.errors import JobarchError
from .triples import Triple

#: Node and edge visits one graph may spend settling non-tree components with alike nodes (a few seconds).
SEARCH_BUDGET = 2_000_000


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def is_blank(term: str) -> bool:
    return term.startswith("_:")


class _Structure:
    """The blank nodes of some triples: their edges to named terms and to each other, and their components."""

    def __init__(self, triples: Iterable[Triple]):
        named: dict[str, list[str]] = defaultdict(list)
        linked: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # (direction, predicate, node)
        edges: dict[str, list[Triple]] = defaultdict(list)  # blank-to-blank triples, by subject
        unique = triples if isinstance(triples, (set, frozenset)) else set(triples)
        for s, p, o in unique:  # a blank node's text starts "_:", an IRI "<", a literal '"': one character tells
            if s[0] == "_":
                if o[0] == "_":
                    linked[s].append(("o", p, o))
                    linked[o].append(("i", p, s))
                    edges[s].append((s, p, o))
                else:
                    named[s].append("o " + p + " " + o)
            elif o[0] == "_":
                named[o].append("i " + s + " " + p)
        self.named, self.linked, self.edges = named, linked, edges
        self.nodes: set[str] = set(named) | set(linked)

    def components(self) -> list[list[str]]:
        seen: set[str] = set()
        found = []
        linked = self.linked
        for start in self.nodes:
            if start not in linked:  # most blank nodes: nothing but named terms around them
                found.append([start])
                continue
            if start in seen:
                continue
            seen.add(start)
            members, stack = [], [start]
            while stack:
                node = stack.pop()
                members.append(node)
                for _, _, other in self.linked.get(node, ()):
                    if other not in seen:
                        seen.add(other)
                        stack.append(other)
            found.append(members)
        return found

    def first_colours(self, members: list[str]) -> dict[str, str]:
        return {n: self.first_colour(n) for n in members}

    def first_colour(self, node: str) -> str:
        return _digest("|".join(sorted(self.named.get(node, ()))))

    def refine(self, members: list[str], colour: dict[str, str], budget: list[int]) -> dict[str, str]:
        """Refine until the members' partition stops splitting (at most one round per member)."""
        classes = len(set(colour.values()))
        cost = len(members) + sum(len(self.linked[n]) for n in members)
        for _ in range(len(members)):
            budget[0] -= cost
            new = {
                n: _digest(colour[n] + "|" + "|".join(sorted(d + p + colour[m] for d, p, m in self.linked[n])))
                for n in members
            }
            now = len(set(new.values()))
            if now == classes:
                return colour
            colour, classes = new, now
        return colour

    def is_tree(self, members: list[str]) -> bool:
        edges = sum(len(self.edges.get(n, ())) for n in members)
        return edges == len(members) - 1

    def certificate(self, members: list[str], colour: dict[str, str]) -> tuple:
        return tuple(sorted((colour[s], p, colour[o]) for n in members for s, p, o in self.edges.get(n, ())))

    def settle(self, members: list[str], colour: dict[str, str], budget: list[int]) -> dict[str, str]:
        """A discrete colouring of a non-tree component: individualise each node of the smallest class of alike
        nodes in turn, refine, recurse; the smallest certificate wins (the same whatever the input labels)."""
        colour = self.refine(members, colour, budget)
        groups: dict[str, list[str]] = defaultdict(list)
        for node in members:
            groups[colour[node]].append(node)
        alike = [nodes for nodes in groups.values() if len(nodes) > 1]
        if not alike:
            return colour
        cell = min(alike, key=lambda nodes: (len(nodes), colour[nodes[0]]))
        best: tuple[tuple, dict[str, str]] | None = None
        for node in cell:
            if budget[0] < 0:
                raise JobarchError(
                    f"{len(members):,} blank nodes link to each other too symmetrically to be written in one "
                    "canonical form",
                    hint="give some of these nodes IRIs, or make them differ by what they say",
                )
            tried = self.settle(members, {**colour, node: _digest(colour[node] + "*")}, budget)
            candidate = (self.certificate(members, tried), tried)
            if best is None or candidate[0] < best[0]:
                best = candidate
        assert best is not None  # the cell has at least two nodes
        return best[1]


def blank_colours(triples: Iterable[Triple]) -> dict[str, str]:
    """Each blank node's colour: a digest of what it says, what points at it and, refined, its blank neighbours.
    Equal colours mean interchangeable nodes; the colour depends on nothing but the node's own component."""
    structure = _Structure(triples)
    budget = [SEARCH_BUDGET]
    colours: dict[str, str] = {}
    for members in structure.components():
        if len(members) == 1:  # most of jobarch's blank nodes: what it says is all there is to it
            colours[members[0]] = structure.first_colour(members[0])
            continue
        colour = structure.refine(members, structure.first_colours(members), budget)
        if not structure.is_tree(members) and len(set(colour.values())) < len(members):
            colour = structure.settle(members, colour, budget)
        # A colour is settled within its component; the component's own certificate tells apart nodes of
        # components that differ (a score of one assessment from the same score of another).
        whole = _digest(repr((sorted(colour.values()), structure.certificate(members, colour))))
        colours.update((node, _digest(value + whole)) for node, value in colour.items())
    return colours


def canonical_order(triples: Iterable[Triple], nodes: set[str] | None = None) -> list[str]:
    """Blank nodes ordered by their colour (ties are interchangeable nodes, in any order alike)."""
    colours = blank_colours(triples)
    wanted = colours.keys() if nodes is None else nodes
    return sorted(wanted, key=lambda n: (colours.get(n, ""), n))


def blank_labels(triples: Iterable[Triple]) -> dict[str, str]:
    """Content-derived names for every blank node of some triples (``_:b1``, ``_:b2``, … in canonical order)."""
    return {node: f"_:b{i}" for i, node in enumerate(canonical_order(triples), 1)}


def by_content(triples: Iterable[Triple], *, inner: bool = True) -> Counter[Triple]:
    """The triples with every blank node replaced by its colour, counted: two graphs that are the same up to
    blank-node labels give equal counters, and a diff of two counters shows what changed by content.

    ``inner=False`` leaves out the triples about blank nodes: a change inside a blank node changes the colour
    its owner points at, so the owners' triples alone tell what changed (the diff counts no more)."""
    triples = set(triples)
    colours = blank_colours(triples)
    kept = triples if inner else (t for t in triples if t[0][0] != "_")
    return Counter(
        ("_:" + colours[s] if s in colours else s, p, "_:" + colours[o] if o in colours else o) for s, p, o in kept
    )


def same_graph(a: Iterable[Triple], b: Iterable[Triple]) -> bool:
    """Whether two sets of triples are the same graph, blank-node labels aside (lexical forms compared exactly)."""
    return by_content(a) == by_content(b)


def match_blank_nodes(old: Iterable[Triple], new: Iterable[Triple]) -> dict[str, str] | None:
    """A renaming of the old triples' blank nodes to the new ones', or None when some old node has no
    counterpart (so that a reloaded file whose blank nodes did not change keeps their labels)."""
    by_colour: dict[str, list[str]] = defaultdict(list)
    for node, colour in sorted(blank_colours(new).items()):
        by_colour[colour].append(node)
    renaming = {}
    for node, colour in sorted(blank_colours(old).items()):
        if not by_colour.get(colour):
            return None
        renaming[node] = by_colour[colour].pop()
    return renaming


def rename(triples: Iterable[Triple], renaming: dict[str, str]) -> set[Triple]:
    return {(renaming.get(s, s), p, renaming.get(o, o)) for s, p, o in triples}


__all__ = [
    "SEARCH_BUDGET",
    "blank_colours",
    "blank_labels",
    "by_content",
    "canonical_order",
    "match_blank_nodes",
    "rename",
    "same_graph",
]
