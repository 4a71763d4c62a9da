"""`jobarch fmt` on files of any size: the triples go to a temporary SQLite index on disk, and the canonical
layout is written from it a subject at a time (:class:`jobarch.graph.turtle.StreamedLayout`), in bounded memory.

SQLite, not an Oxigraph store: a store keeps numbers by value (``"007"^^xsd:integer`` would come back as
``7``), while a curator's file keeps every literal as written. The result is the same text
:func:`jobarch.graph.turtle.canonical_turtle_from` gives; a graph whose blank nodes are not all owned trees (a
root or shared blank node, a cycle, nesting past the inline limit) is left to that whole-graph writer.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import JobarchError, Location
from ..graph.sources import oxigraph_syntax_error
from ..graph.triples import Triple
from ..graph.turtle import NotStreamableError, write_canonical_turtle_streamed

_BATCH = 50_000


@dataclass
class FileLayout:
    """What a file's text says beside its triples: prefixes, comments and the casing of its language tags."""

    base: str
    prefixes: dict[str, str]
    header: list[str]
    attached: dict[str, list[str]]
    footer: list[str]
    dropped: list[int]
    languages: dict[str, str]


def streamed_turtle(path: Path, out: Path, layout: FileLayout) -> bool:
    """Write the canonical text of the Turtle file ``path`` to ``out`` from a disk index (``layout``: what
    :mod:`jobarch.io.fmt` read from its text); False when the graph must be written whole."""
    with tempfile.TemporaryDirectory(prefix="jobarch-fmt-") as scratch:
        db = sqlite3.connect(Path(scratch) / "triples.sqlite")
        try:
            return _write(db, path, out, layout)
        finally:
            db.close()


def _write(db: sqlite3.Connection, path: Path, out: Path, layout: FileLayout) -> bool:
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("CREATE TABLE t (s TEXT NOT NULL, p TEXT NOT NULL, o TEXT NOT NULL, UNIQUE (s, p, o))")
    batch: list[Triple] = []
    for triple in _triples(path, layout.base):
        batch.append(triple)
        if len(batch) >= _BATCH:
            db.executemany("INSERT OR IGNORE INTO t VALUES (?, ?, ?)", batch)
            batch.clear()
    db.executemany("INSERT OR IGNORE INTO t VALUES (?, ?, ?)", batch)
    db.execute("CREATE INDEX t_o ON t (o)")
    # every blank node must have exactly one owner (none is a root, none is shared) to be written inline
    root = db.execute(
        "SELECT 1 FROM t WHERE s LIKE '\\_:%' ESCAPE '\\' AND NOT EXISTS (SELECT 1 FROM t AS u WHERE u.o = t.s) LIMIT 1"
    ).fetchone()
    shared = db.execute(
        "SELECT 1 FROM t WHERE o LIKE '\\_:%' ESCAPE '\\' GROUP BY o HAVING COUNT(*) > 1 LIMIT 1"
    ).fetchone()
    if root or shared:
        return False
    size = db.execute("SELECT COUNT(*) FROM t").fetchone()[0]
    subjects = [row[0] for row in db.execute("SELECT DISTINCT s FROM t WHERE s LIKE '<%'")]

    def lookup(subject: str) -> Iterable[tuple[str, str]]:
        return db.execute("SELECT p, o FROM t WHERE s = ?", (subject,))

    try:
        write_canonical_turtle_streamed(
            out,
            lookup,
            size,
            subjects,
            layout.prefixes,
            layout.header,
            layout.attached,
            layout.footer,
            layout.base,
            layout.languages,
        )
    except NotStreamableError:
        return False
    del subjects
    if _fingerprint(db.execute("SELECT s, p, o FROM t")) != _fingerprint(_triples(out, layout.base, path)):
        raise JobarchError(
            "formatting would change the graph; the file is left as it is",
            Location(path),
            hint="please report this file: it is a jobarch bug",
        )
    return True


def _triples(source: Path, base: str, named: Path | None = None) -> Iterator[Triple]:
    """A Turtle file's triples as N-Triples text, read by Oxigraph straight from the file."""
    try:
        for quad in ox.parse(path=str(source), format=ox.RdfFormat.TURTLE, base_iri=base):
            yield str(quad.subject), str(quad.predicate), str(quad.object)
    except SyntaxError as exc:
        raise oxigraph_syntax_error(named or source, exc) from None


def _fingerprint(triples: Iterable[Triple]) -> tuple[int, int]:
    """How many triples, and an order-free sum of their digests with blank nodes made alike. With every blank
    node written under its one owner, equal fingerprints mean the rewrite kept every triple as written."""
    count, total = 0, 0
    for s, p, o in triples:
        key = f"{'_' if s.startswith('_:') else s} {p} {'_' if o.startswith('_:') else o}"
        total = (total + int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")) % 2**64
        count += 1
    return count, total
