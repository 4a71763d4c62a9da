"""Which blank node of a reloaded file is which: so that an edit that only adds stays an addition.

Oxigraph gives a file's blank nodes new labels each time it loads the file.
Within one file, jobarch's blank nodes are owned structures (responsibilities,
quality assessments, mappings): each is told apart by what it says and what
points at it. Colour refinement (Weisfeiler–Lehman) over the file's own
triples gives every blank node a signature; nodes with equal signatures are
interchangeable, so pairing them in any order is a correct renaming.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable

from .triples import Triple

ROUNDS = 4  # deep enough for assessment -> score -> dimension chains


def _signatures(triples: Iterable[Triple]) -> dict[str, str]:
    triples = list(triples)
    nodes = {t for s, _, o in triples for t in (s, o) if t.startswith("_:")}
    colour = dict.fromkeys(nodes, "")
    for _ in range(ROUNDS):
        parts: dict[str, list[str]] = defaultdict(list)
        for s, p, o in triples:
            if s in colour:
                parts[s].append(f"out {p} {colour.get(o, o)}")
            if o in colour:
                parts[o].append(f"in {s if s not in colour else '_' + colour[s]} {p}")
        colour = {b: _digest(colour[b] + "|" + "|".join(sorted(parts[b]))) for b in nodes}
    return colour


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def match_blank_nodes(old: Iterable[Triple], new: Iterable[Triple]) -> dict[str, str] | None:
    """A renaming of the old file's blank nodes to the new file's, or None when some old node has no counterpart."""
    by_colour: dict[str, list[str]] = defaultdict(list)
    for node, colour in sorted(_signatures(new).items()):
        by_colour[colour].append(node)
    renaming = {}
    for node, colour in sorted(_signatures(old).items()):
        if not by_colour.get(colour):
            return None
        renaming[node] = by_colour[colour].pop()
    return renaming


def rename(triples: Iterable[Triple], renaming: dict[str, str]) -> set[Triple]:
    return {(renaming.get(s, s), p, renaming.get(o, o)) for s, p, o in triples}


def same_graph(a: Iterable[Triple], b: Iterable[Triple]) -> bool:
    """Whether two sets of triples are the same graph, blank-node labels aside: the same triples without blank
    nodes, lexical forms compared exactly, and the same blank-node triples up to their signatures."""
    a, b = set(a), set(b)
    plain_a = {t for t in a if not (t[0].startswith("_:") or t[2].startswith("_:"))}
    plain_b = {t for t in b if not (t[0].startswith("_:") or t[2].startswith("_:"))}
    if plain_a != plain_b or len(a) != len(b):
        return False
    colour_a, colour_b = _signatures(a), _signatures(b)
    shape_a = Counter((colour_a.get(s, s), p, colour_a.get(o, o)) for s, p, o in a - plain_a)
    shape_b = Counter((colour_b.get(s, s), p, colour_b.get(o, o)) for s, p, o in b - plain_b)
    return shape_a == shape_b
