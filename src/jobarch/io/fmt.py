"""`jobarch fmt`: rewrite curators' Turtle in the canonical layout, so diffs show only real changes.

Nothing is lost: a comment is kept with the subject it precedes; a comment
that cannot be placed (inside a statement) makes the file refused unless
``drop_comments``; and the result must parse to a graph isomorphic to the
input, or the file is refused and left untouched. The layout itself is
:func:`jobarch.graph.turtle.canonical_turtle_from`.
"""

from __future__ import annotations

import bisect
import itertools
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import JobarchError, Location
from ..core.files import atomic_write, atomic_write_chunks, read_chunks, read_text
from ..core.namespaces import PREFIX_IRIS
from ..graph.canonical import same_graph
from ..graph.lines import scan, tokens
from ..graph.sources import file_triples
from ..graph.triples import Triple
from ..graph.turtle import canonical_turtle_from
from .fmt_stream import FileLayout, streamed_turtle

#: The base a file is read against: relative IRIs resolve under it and are written relative again, so that no
#: machine's path ends up in a curator's file.
RELATIVE_BASE = "file:///jobarch-relative/1/2/3/4/5/6/7/8/"
#: Files larger than this are formatted a subject at a time from a temporary on-disk store (bounded memory).
STREAM_CHARACTERS = 4 * 2**20
_LANGUAGE_TAG = re.compile(r"""["']@([A-Za-z]+(?:-[A-Za-z0-9]+)*)""")


@dataclass
class FormatResult:
    path: Path
    changed: bool
    text: str
    dropped_comments: list[int] = field(default_factory=list)


def _comments(text: str) -> tuple[list[str], dict[str, list[str]], list[str], list[int]]:
    """Sort a file's comments: header, attached to the subject they precede, footer, and unplaceable lines."""
    comment_lines: dict[int, str] = {}
    line = 1
    for m in tokens(text):
        if m.lastgroup == "comment":
            comment_lines[line] = m.group().rstrip()
        line += m.group().count("\n")
    if not comment_lines:
        return [], {}, [], []
    index = scan(text, literals=False)
    starts: dict[int, str | None] = {}
    spans: list[tuple[int, int]] = []  # each statement's first and last line, sorted: "inside" is a lookup
    blocks = [(b, iri) for iri, bs in index.subjects.items() for b in bs] + [(b, None) for b in index.anonymous]
    for block, iri in blocks:
        starts.setdefault(block.start, iri)
        spans.append((block.start, block.end or block.start))
    spans.sort()
    span_starts = [start for start, _ in spans]
    reach = list(itertools.accumulate((end for _, end in spans), max))  # the furthest line any earlier span ends

    def inside(number: int) -> bool:
        at = bisect.bisect_right(span_starts, number) - 1
        return at >= 0 and reach[at] >= number

    first_token = next((m.start() for m in tokens(text) if m.lastgroup not in ("ws", "comment")), len(text))
    header_end = text.count("\n", 0, first_token) + 1  # the opening comment runs to the first directive or statement
    first = min(starts, default=None)
    following_starts = sorted(starts)
    header: list[str] = []
    attached: dict[str, list[str]] = {}
    footer: list[str] = []
    unplaced: list[int] = []
    for number in sorted(comment_lines):
        comment = comment_lines[number]
        if number < header_end or first is None:
            header.append(comment)
        elif inside(number):
            unplaced.append(number)
        else:
            at = bisect.bisect_right(following_starts, number)
            following = following_starts[at] if at < len(following_starts) else None
            if following is None:
                footer.append(comment)
            elif (subject := starts[following]) is None:
                unplaced.append(number)  # it precedes a [ ... ] statement, which has no name to keep it by
            else:
                attached.setdefault(subject, []).append(comment)
    return header, attached, footer, unplaced


def _read_layout(path: Path, text: str, drop_comments: bool) -> FileLayout:
    declared = dict(re.findall(r"(?im)^\s*@?prefix\s+([\w.-]*):\s*<([^>]*)>", text))
    header, attached, footer, unplaced = _comments(text)
    if unplaced and not drop_comments:
        raise JobarchError(
            f"cannot keep the comment on line {unplaced[0]} (it is inside a statement, not before a subject)",
            Location(path, unplaced[0]),
            hint="move it above the subject it is about, or pass --drop-comments",
        )
    languages: dict[str, str] = {}
    for match in _LANGUAGE_TAG.finditer(text):  # the first casing wins
        languages.setdefault(match.group(1).lower(), match.group(1))
    return FileLayout(
        RELATIVE_BASE + path.name, {**PREFIX_IRIS, **declared}, header, attached, footer, unplaced, languages
    )


def format_text(path: Path, text: str, drop_comments: bool = False) -> FormatResult:
    """The canonical form of a Turtle file's text (refusing rather than losing anything).

    The file is read with Oxigraph's parser, which keeps every literal's
    lexical form, against a placeholder base so that relative IRIs are
    written relative again; the result must read back to the same triples,
    compared by their exact N-Triples text (blank-node labels aside).
    """
    return _format_whole(path, text, _read_layout(path, text, drop_comments))


def _format_whole(path: Path, text: str, layout: FileLayout) -> FormatResult:
    triples = _parse(path, text, layout.base)
    result = canonical_turtle_from(
        triples,
        layout.prefixes,
        layout.header,
        layout.attached,
        layout.footer,
        base=layout.base,
        languages=layout.languages,
    )
    if not same_graph(set(triples), set(_parse(path, result, layout.base))):
        raise JobarchError(
            "formatting would change the graph; the file is left as it is",
            Location(path),
            hint="please report this file: it is a jobarch bug",
        )
    return FormatResult(path, result != text, result, layout.dropped)


def _parse(path: Path, text: str, base: str) -> list[Triple]:
    return file_triples(path.with_suffix(".ttl"), text, base)  # fmt reads and writes Turtle, whatever the name


def format_file(
    path: Path, check: bool = False, drop_comments: bool = False, stream: bool | None = None
) -> FormatResult:
    """Format one Turtle file in place (atomically) or, with ``check``, only say whether it would change.

    A file larger than :data:`STREAM_CHARACTERS` (or any, with ``stream``) is streamed: its triples go to a
    temporary index on disk and the result is written there a subject at a time and moved into place, so
    neither is ever whole in memory (the result's ``text`` is then empty); the bytes are those the whole-graph
    writer gives, which still writes a graph whose blank nodes are not all owned trees.
    """
    text = read_text(path)
    if stream is None:
        stream = len(text) > STREAM_CHARACTERS
    if stream:
        layout = _read_layout(path, text, drop_comments)
        del text  # the largest thing held: the streamed writer reads the file itself
        with tempfile.TemporaryDirectory(prefix="jobarch-fmt-") as scratch:
            out = Path(scratch) / "formatted.ttl"
            if streamed_turtle(path, out, layout):
                changed = not _same_bytes(path, out)
                if changed and not check:
                    atomic_write_chunks(path, read_chunks(out, limit=out.stat().st_size))
                return FormatResult(path, changed, "", layout.dropped)
        result = _format_whole(path, read_text(path), layout)  # a graph that cannot stream is written whole
    else:
        result = format_text(path, text, drop_comments)
    if result.changed and not check:
        atomic_write(path, result.text)
    return result


def _same_bytes(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and all(
        x == y for x, y in zip(read_chunks(a), read_chunks(b, limit=b.stat().st_size), strict=True)
    )


def format_files(paths: list[Path], check: bool = False, drop_comments: bool = False) -> list[FormatResult]:
    """Format Turtle files in place (atomically) or, with ``check``, only say which would change."""
    return [format_file(path, check, drop_comments) for path in paths if path.suffix.lower() in (".ttl", ".turtle")]
