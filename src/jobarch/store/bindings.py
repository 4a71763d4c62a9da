"""Binding a query's parameters in its text, for the backends that take text only (Oxigraph, SPARQL servers).

A value is one RDF term written by rdflib's escaping serializer inside a
``VALUES`` block, never pasted query text: ``x" } DELETE WHERE {`` is just a
string. The block opens the query's outermost WHERE group, where jobarch's
queries use their parameters and where it gives the answers rdflib's
pre-binding gives.

The block is also repeated at the start of each ``UNION`` branch of that group
that uses the variable. A join distributes over a union, and joining a second
time with the same rows changes nothing, so the answers are the same; but
Oxigraph does not push a binding into a union's branches: each branch read
every focus before the join (``focus_overview``: 27 ms at 10,000 profiles,
0.5 ms with the block in its branches).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib.term import Identifier

from ..core.errors import JobarchError
from ..core.lexical import COMMENT, IRI, LONG_STRING, SHORT_STRING

Binding = Identifier | Sequence[Identifier]  # one term, or several: the query runs for each (a VALUES list)

_TOKENS = re.compile(
    rf"(?P<skip>{LONG_STRING}|{SHORT_STRING}|{IRI}|{COMMENT})|(?P<brace>[{{}}])"
    r"|(?P<assigns>\bAS\s+[?$]\w+)|(?P<var>[?$]\w+)|(?P<word>\b(?:WHERE|UNION|SELECT)\b)",
    re.I,
)
_COMMENTS = re.compile(COMMENT)


def _terms(binding: Binding) -> list[Identifier]:
    return [binding] if isinstance(binding, Identifier) else list(binding)


def inject_values(query: str, bindings: Mapping[str, Binding]) -> str:
    """``query`` with each of ``bindings`` (variable name to one term, or a list: the query runs for each) bound
    by a ``VALUES`` block: first in the outermost WHERE group, and again in each of that group's union
    branches that uses it (see the module's docstring)."""
    if not bindings:
        return query
    blocks = {
        name: f"VALUES ?{name} {{ {' '.join(t.n3() for t in _terms(terms))} }}" for name, terms in bindings.items()
    }
    where, branches = _outer_group(query)
    inserts = [(where, " ".join(blocks[name] for name in sorted(blocks)))]
    for branch in branches:
        used = sorted(name for name in blocks if name in branch.uses and name not in branch.assigns)
        if used and not branch.subquery:
            inserts.append((branch.start, " ".join(blocks[name] for name in used)))
    for at, block in sorted(inserts, reverse=True):
        query = f"{query[:at]} {block} {query[at:]}"
    return query


def into_where(query: str, block: str) -> str:
    """``block`` (SPARQL pattern text) placed first in the query's outermost WHERE group."""
    where, _ = _outer_group(query)
    return f"{query[:where]} {block} {query[where:]}"


@dataclass
class _Group:
    """A group directly inside the outermost WHERE group: where its text starts, the variables it mentions and
    those it assigns (``AS ?x``), whether it is a subquery, whether a ``UNION`` joins it to a neighbour."""

    start: int
    uses: set[str] = field(default_factory=set)
    assigns: set[str] = field(default_factory=set)
    subquery: bool = False
    first: bool = True  # no token read inside it yet
    after_union: bool = False
    before_union: bool = False


@lru_cache(maxsize=512)
def _outer_group(query: str) -> tuple[int, tuple[_Group, ...]]:
    """Where the outermost WHERE group's text starts, and its groups that are branches of a union (read once per
    query text: jobarch runs the same few dozen texts)."""
    where = _where(query)
    depth = 1
    groups: list[_Group] = []
    current: _Group | None = None
    previous: tuple[str, int] | None = None  # the last token at the outermost group's level, and where it ended
    for m in _TOKENS.finditer(query, where):
        if m.lastgroup == "skip":
            continue
        tok = m.group(0)
        adjacent = previous is not None and not _COMMENTS.sub("", query[previous[1] : m.start()]).strip()
        if current is not None and depth >= 2:
            if current.first and tok.upper() == "SELECT":
                current.subquery = True
            current.first = False
            if m.lastgroup == "var":
                current.uses.add(tok[1:])
            elif m.lastgroup == "assigns":
                current.assigns.add(tok.split()[-1][1:])
        if tok == "{":
            if depth == 1:
                current = _Group(m.end(), after_union=adjacent and previous is not None and previous[0] == "UNION")
                groups.append(current)
            depth += 1
        elif tok == "}":
            depth -= 1
            if depth == 0:
                break
        elif depth == 1 and tok.upper() == "UNION" and adjacent and previous is not None and previous[0] == "}":
            groups[-1].before_union = True
        if depth == 1:
            previous = (tok.upper(), m.end())
    return where, tuple(g for g in groups if g.after_union or g.before_union)


def _where(query: str) -> int:
    """Where the text of the query's outermost WHERE group starts (its first group where it has no WHERE)."""
    depth, seen_where, first_brace = 0, False, None
    for m in _TOKENS.finditer(query):
        tok = m.group(0)
        if m.lastgroup == "skip":
            continue
        if tok.upper() == "WHERE" and depth == 0:
            seen_where = True
        elif tok == "{":
            if depth == 0 and (seen_where or first_brace is None):
                first_brace = m.end()
                if seen_where:
                    break
            depth += 1
        elif tok == "}":
            depth -= 1
    if first_brace is None:
        raise JobarchError("cannot find the query's WHERE group to bind parameters into")
    return first_brace
