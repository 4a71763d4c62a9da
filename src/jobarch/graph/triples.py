"""Triples as N-Triples text: the form jobarch moves in bulk (store blobs, exports, the formatter, the reasoner).

Each term is the string Oxigraph writes for it (``<iri>``, ``_:b``,
``"lex"@en``, ``"5"^^<…#integer>``): one interned string per term, compared
and sorted as text, with every literal's lexical form as it was read.
"""

from __future__ import annotations

Triple = tuple[str, str, str]  # subject, predicate, object; blank nodes start with "_:"


def split_line(line: str) -> Triple:
    """An N-Triples line (without its final " .") as subject, predicate, object strings."""
    s, p, o = line.split(" ", 2)
    return s, p, o


def join_triple(triple: Triple) -> str:
    """A triple as an N-Triples line without its final " ."."""
    return f"{triple[0]} {triple[1]} {triple[2]}"


def literal_parts(term: str) -> tuple[str, str, str]:
    """An N-Triples literal as (escaped body, language, datatype IRI)."""
    end = term.rindex('"')
    suffix = term[end + 1 :]
    if suffix.startswith("@"):
        return term[1:end], suffix[1:], ""
    return term[1:end], "", suffix[3:-1] if suffix.startswith("^^") else ""


__all__ = ["Triple", "join_triple", "literal_parts", "split_line"]
