"""Where each subject of a Turtle, TriG or N-Triples file is written.

rdflib's parsers forget positions, but curators need ``file:line`` in every
message. This scanner reads a file's tokens once (lazily, only for files that
have something to report) and records, per subject IRI, the lines of its
statement block and of each predicate in it, plus the line of every string
literal, so that blank nodes can be placed too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ..core.lexical import COMMENT, IRI, LONG_STRING, SHORT_STRING

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_TOKEN = re.compile(
    rf"""(?P<ws>\s+)
      | (?P<comment>{COMMENT})
      | (?P<lstr>{LONG_STRING})
      | (?P<str>{SHORT_STRING})
      | (?P<iri>{IRI})
      | (?P<punct>[\[\]\(\)\{{\}};,])
      | (?P<word>[^\s\[\]\(\)\{{\}};,"'<\#]+)
      | (?P<other>.)""",
    re.X | re.S,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


@dataclass
class Block:
    """One statement block: a subject and its predicate-object list."""

    start: int
    end: int = 0
    predicates: dict[str, int] = field(default_factory=dict)
    bnode_lines: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class LineIndex:
    subjects: dict[str, list[Block]] = field(default_factory=dict)
    strings: dict[str, list[int]] = field(default_factory=dict)
    anonymous: list[Block] = field(default_factory=list)  # statements whose subject is a [ ... ] blank node

    def first_block(self, iri: str) -> Block | None:
        blocks = self.subjects.get(iri)
        return blocks[0] if blocks else None


def tokens(text: str):
    """The Turtle-family tokens of ``text`` as regex matches (``lastgroup`` is the kind: ws, comment, str, iri, ...)."""
    return _TOKEN.finditer(text)


def _unescape(text: str) -> str:
    return re.sub(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", lambda m: _unescape_one(m.group(1)), text)


def _unescape_one(code: str) -> str:
    if code[0] in "uU" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _ESCAPES.get(code, code)


def scan(text: str, base: str = "", literals: bool = True) -> LineIndex:
    """Index the subjects and (unless ``literals`` is false: statements only, in little memory) the string
    literals of Turtle-family text by line."""
    index = LineIndex()
    prefixes: dict[str, str] = {}
    line = 1
    stack: list[str] = []
    expect = "subject"
    directive: list[str] | None = None
    block: Block | None = None
    subject: str | None = None
    predicate: str | None = None

    def expand(term: str) -> str | None:
        if term.startswith("<"):
            return urljoin(base, term[1:-1]) if base else term[1:-1]
        if term == "a":
            return _RDF_TYPE
        pfx, sep, local = term.partition(":")
        if not sep or pfx not in prefixes:
            return None
        return prefixes[pfx] + re.sub(r"\\(.)", r"\1", local)

    def end_statement() -> None:
        nonlocal expect, block, subject, directive
        if directive is not None:
            _apply_directive(directive, prefixes)
            directive = None
        if block is not None:
            block.end = line
        block, subject, expect = None, None, "subject"

    for m in _TOKEN.finditer(text):
        kind, tok = m.lastgroup, m.group()
        start_line = line
        line += tok.count("\n")
        if kind in ("ws", "comment", "other"):
            continue
        if kind in ("lstr", "str"):
            if literals:
                q = 3 if kind == "lstr" else 1
                index.strings.setdefault(_unescape(tok[q:-q]), []).append(start_line)
            if directive is not None:
                directive.append(tok)
            if expect == "object":
                expect = "after-object"
            continue
        if kind == "punct":
            if tok in "[(":
                if literals and tok == "[" and not stack and expect == "object" and block is not None and predicate:
                    block.bnode_lines.setdefault(predicate, []).append(start_line)
                if tok == "[" and not stack and expect == "subject":
                    block, subject, predicate = Block(start_line), None, None
                    index.anonymous.append(block)
                    tok = "[S"
                stack.append(tok)
                expect = "object" if tok == "(" else "predicate"
            elif tok in "])":
                opened = stack.pop() if stack else ""
                if opened == "[S":
                    expect = "predicate"
                else:
                    expect = "object" if stack and stack[-1] == "(" else "after-object"
            elif tok == ";":
                expect = "predicate"
            elif tok == ",":
                expect = "object"
            elif tok == "{":
                if block is not None and not block.predicates and subject is not None:
                    blocks = index.subjects.get(subject, [])
                    if blocks and blocks[-1] is block:
                        blocks.pop()
                block, subject, expect, stack = None, None, "subject", []
            elif tok == "}":
                end_statement()
            continue
        # iri or word
        terminator = False
        if kind == "word" and tok.endswith("."):
            tok = tok.rstrip(".")
            terminator = True
        if tok:
            if directive is not None:
                directive.append(tok)
            elif expect == "subject" and not stack:
                low = tok.lower()
                if low in ("@prefix", "prefix", "@base", "base"):
                    directive = [low]
                elif low == "graph":
                    pass
                else:
                    subject = expand(tok)
                    block = Block(start_line)
                    predicate = None
                    if subject:
                        index.subjects.setdefault(subject, []).append(block)
                    expect = "predicate"
            elif expect == "predicate":
                iri = expand(tok)
                if not stack:
                    predicate = iri
                    if iri and block is not None:
                        block.predicates.setdefault(iri, start_line)
                expect = "object"
            elif expect == "object":
                expect = "after-object"
            if (
                directive is not None
                and directive[0] in ("prefix", "base")
                and len(directive) == (3 if directive[0] == "prefix" else 2)
            ):
                _apply_directive(directive, prefixes)
                if directive[0] == "base":
                    base = directive[1][1:-1]
                directive = None
                expect = "subject"
                continue
        if terminator and not stack:
            if directive is not None and directive[0] == "@base" and len(directive) > 1:
                base = urljoin(base, directive[1][1:-1])
            end_statement()
    if block is not None:
        block.end = line
    return index


def _apply_directive(parts: list[str], prefixes: dict[str, str]) -> None:
    if parts[0] in ("@prefix", "prefix") and len(parts) >= 3:
        prefixes[parts[1].rstrip(":")] = parts[2][1:-1]
