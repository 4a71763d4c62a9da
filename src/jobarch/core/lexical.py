"""The tokens Turtle and SPARQL share (strings, IRIs, comments), written once for both scanners.

The Turtle line scanner (:mod:`jobarch.graph.lines`), the SPARQL parameter
binder (:func:`jobarch.store.bindings.inject_values`) and the query vetting
(:mod:`jobarch.query.safety`) must never mistake a ``{``, ``#`` or ``WHERE``
inside a string or IRI for syntax, and must end a comment where the
grammars do: at a line feed *or* a carriage return (both are ``EOL`` in the
Turtle and SPARQL grammars). A scanner that ends comments at ``\\n`` only
reads ``# x \\r SERVICE <…>`` as one comment while Oxigraph runs the SERVICE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LONG_STRING = r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
SHORT_STRING = r""""(?:[^"\\\n\r]|\\[^\n\r])*"|'(?:[^'\\\n\r]|\\[^\n\r])*\'"""
IRI = r"<[^>\s]*>"
COMMENT = r"\#[^\n\r]*"

# SPARQL 1.1's IRIREF exactly (production 139): no space, no control character, none of <>"{}|^`\ except
# \u escapes. A '<' that does not open one is the less-than operator.
SPARQL_IRI = r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>'
_SPARQL_TOKENS = re.compile(
    rf"""(?P<comment>{COMMENT})
      | (?P<string>{LONG_STRING}|{SHORT_STRING})
      | (?P<iri>{SPARQL_IRI})
      | (?P<open>[{{(\[])
      | (?P<close>[}})\]])
      | (?P<other>[^#"'<{{}}()\[\]]+|.)""",
    re.VERBOSE | re.DOTALL,
)
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class SparqlText:
    """A query as the SPARQL grammar reads it.

    ``without_comments`` is the text with every comment blanked to spaces
    (line and column unchanged): the text that is vetted is then the text that
    runs, and no engine can end a comment somewhere else. ``code`` also blanks
    strings and IRIs, leaving only what can be a keyword; ``depth`` is the
    deepest nesting of brackets in it.
    """

    without_comments: str
    code: str
    depth: int
    escaped_code: str = ""  # the code of the text read again with its \u escapes expanded, when it has any

    def keywords(self, *words: str) -> set[str]:
        """Which of ``words`` (upper case) occur as keywords in the code, read as written and read with its
        ``\\u`` escapes expanded first (as the SPARQL grammar says, and as rdflib and some engines do: an escaped
        line feed can end a comment, an escaped letter spell a keyword)."""
        found: set[str] = set()
        for code in (self.code, self.escaped_code):
            for word in words:
                if re.search(rf"(?<![\w:?$\\]){word}(?![\w:])", code, re.IGNORECASE):
                    found.add(word)
        return found


def scan_sparql(text: str) -> SparqlText:
    """Split a query into comments, strings, IRIs and code as the SPARQL 1.1 grammar does."""
    scanned = _scan(text)
    expanded = _expand_escapes(text)
    if expanded == text:
        return scanned
    return SparqlText(scanned.without_comments, scanned.code, scanned.depth, _scan(expanded).code)


def _scan(text: str) -> SparqlText:
    kept: list[str] = []
    code: list[str] = []
    depth = deepest = 0
    for match in _SPARQL_TOKENS.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind == "comment":
            blank = " " * len(token)
            kept.append(blank)
            code.append(blank)
            continue
        kept.append(token)
        if kind in ("string", "iri"):
            code.append(re.sub(r"[^\n]", " ", token))
            continue
        code.append(token)
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
    return SparqlText("".join(kept), "".join(code), deepest)


def _expand_escapes(text: str) -> str:
    def expand(match: re.Match) -> str:
        value = int(match.group(1) or match.group(2), 16)
        return chr(value) if value <= 0x10FFFF else match.group()

    return _UNICODE_ESCAPE.sub(expand, text)
