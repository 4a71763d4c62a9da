"""`jobarch fmt`: rewrite curators' Turtle in the canonical layout, so diffs show only real changes.

Nothing is lost: a comment is kept with the subject it precedes; a comment
that cannot be placed (inside a statement) makes the file refused unless
``drop_comments``; and the result must parse to a graph isomorphic to the
input, or the file is refused and left untouched. The layout itself is
:func:`jobarch.graph.turtle.canonical_turtle_from`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import JobarchError, Location
from ..core.files import atomic_write, read_text
from ..core.namespaces import PREFIX_IRIS
from ..graph.canonical import same_graph
from ..graph.lines import scan, tokens
from ..graph.sources import file_triples
from ..graph.triples import Triple
from ..graph.turtle import canonical_turtle_from

#: The base a file is read against: relative IRIs resolve under it and are written relative again, so that no
#: machine's path ends up in a curator's file.
RELATIVE_BASE = "file:///jobarch-relative/1/2/3/4/5/6/7/8/"
_LANGUAGE_TAG = re.compile(r"""["']@([A-Za-z]+(?:-[A-Za-z0-9]+)*)""")


@dataclass
class FormatResult:
    path: Path
    changed: bool
    text: str
    dropped_comments: list[int] = field(default_factory=list)


def _comments(text: str) -> tuple[list[str], dict[str, list[str]], list[str], list[int]]:
    """Sort a file's comments: header, attached to the subject they precede, footer, and unplaceable lines."""
    index = scan(text)
    starts: dict[int, str | None] = {}
    inside: set[int] = set()
    blocks = [(b, iri) for iri, bs in index.subjects.items() for b in bs] + [(b, None) for b in index.anonymous]
    for block, iri in blocks:
        starts.setdefault(block.start, iri)
        inside.update(range(block.start, (block.end or block.start) + 1))
    comment_lines: dict[int, str] = {}
    line = 1
    for m in tokens(text):
        if m.lastgroup == "comment":
            comment_lines[line] = m.group().rstrip()
        line += m.group().count("\n")
    first_token = next((m.start() for m in tokens(text) if m.lastgroup not in ("ws", "comment")), len(text))
    header_end = text.count("\n", 0, first_token) + 1  # the opening comment runs to the first directive or statement
    first = min(starts, default=None)
    header: list[str] = []
    attached: dict[str, list[str]] = {}
    footer: list[str] = []
    unplaced: list[int] = []
    for number in sorted(comment_lines):
        comment = comment_lines[number]
        if number < header_end or first is None:
            header.append(comment)
        elif number in inside:
            unplaced.append(number)
        else:
            following = min((s for s in starts if s > number), default=None)
            if following is None:
                footer.append(comment)
            elif (subject := starts[following]) is None:
                unplaced.append(number)  # it precedes a [ ... ] statement, which has no name to keep it by
            else:
                attached.setdefault(subject, []).append(comment)
    return header, attached, footer, unplaced


def format_text(path: Path, text: str, drop_comments: bool = False) -> FormatResult:
    """The canonical form of a Turtle file's text (refusing rather than losing anything).

    The file is read with Oxigraph's parser, which keeps every literal's
    lexical form, against a placeholder base so that relative IRIs are
    written relative again; the result must read back to the same triples,
    compared by their exact N-Triples text (blank-node labels aside).
    """
    base = RELATIVE_BASE + path.name
    triples = _parse(path, text, base)
    declared = dict(re.findall(r"(?im)^\s*@?prefix\s+([\w.-]*):\s*<([^>]*)>", text))
    prefixes = {**PREFIX_IRIS, **declared}
    header, attached, footer, unplaced = _comments(text)
    if unplaced and not drop_comments:
        raise JobarchError(
            f"cannot keep the comment on line {unplaced[0]} (it is inside a statement, not before a subject)",
            Location(path, unplaced[0]),
            hint="move it above the subject it is about, or pass --drop-comments",
        )
    languages = {tag.lower(): tag for tag in reversed(_LANGUAGE_TAG.findall(text))}  # the first casing wins
    result = canonical_turtle_from(triples, prefixes, header, attached, footer, base=base, languages=languages)
    if not same_graph(set(triples), set(_parse(path, result, base))):
        raise JobarchError(
            "formatting would change the graph; the file is left as it is",
            Location(path),
            hint="please report this file: it is a jobarch bug",
        )
    return FormatResult(path, result != text, result, unplaced if drop_comments else [])


def _parse(path: Path, text: str, base: str) -> list[Triple]:
    return file_triples(path.with_suffix(".ttl"), text, base)  # fmt reads and writes Turtle, whatever the name


def format_files(paths: list[Path], check: bool = False, drop_comments: bool = False) -> list[FormatResult]:
    """Format Turtle files in place (atomically) or, with ``check``, only say which would change."""
    results = []
    for path in paths:
        if path.suffix.lower() not in (".ttl", ".turtle"):
            continue
        text = read_text(path)
        result = format_text(path, text, drop_comments)
        if result.changed and not check:
            atomic_write(path, result.text)
        results.append(result)
    return results
