"""jobarch's canonical Turtle: one readable, deterministic layout for every file jobarch writes.

The layout: an opening comment, then the prefixes used (sorted), then
subjects grouped by type (architecture, tracks, levels, rubric, taxonomy,
profiles, skills, sources, then the rest) and ordered by code, predicates in a
fixed order, one object per line when there are several, blank nodes written
inline where they belong to one subject, RDF lists as ``( … )``. The same
triples always give the same bytes.

The writer works on Oxigraph's terms, which keep every literal's lexical form
as written (``"007"^^xsd:integer`` stays ``007``), and it never recurses on
the data's depth: blank nodes nested deeper than :data:`MAX_INLINE_DEPTH`, or
in a cycle, are written as labelled blocks. Labels of such blank nodes come
from what they say (colour refinement), so they too are the same every run.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox

from ..core.namespaces import JA, PREFIXES, PROV, RDF, SKOS, XSD

MAX_INLINE_DEPTH = 48
FLAT_WIDTH = 100  # an inline blank node shorter than this stays on one line

_TYPE_ORDER = [
    JA[n]
    for n in (
        "JobArchitecture",
        "AdjacencyModel",
        "QualityPolicy",
        "Track",
        "Level",
        "RubricDimension",
        "RubricCell",
        "QualityDimension",
        "Function",
        "JobFamily",
        "Focus",
        "JobProfile",
        "SkillGroup",
        "Skill",
        "Source",
    )
]
TYPE_ORDER = {str(t): i for i, t in enumerate(_TYPE_ORDER)}
_PREDICATE_ORDER = (
    [RDF.type, JA.code, JA.order]
    + [
        SKOS[n]
        for n in (
            "prefLabel",
            "altLabel",
            "hiddenLabel",
            "definition",
            "scopeNote",
            "notation",
            "inScheme",
            "topConceptOf",
            "broader",
        )
    ]
    + [
        JA[n]
        for n in (
            "focus",
            "level",
            "track",
            "rank",
            "grade",
            "status",
            "appliesTo",
            "dimension",
            "text",
            "distinctFrom",
            "requiresSkill",
            "responsibility",
        )
    ]
    + [PROV.wasDerivedFrom]
    + [
        JA[n]
        for n in (
            "qualityAssessment",
            "dimensionScore",
            "qualityDimension",
            "score",
            "classificationMapping",
            "mappingScheme",
            "mappedCode",
            "mappedConcept",
            "mappingSource",
            "confidence",
        )
    ]
    + [SKOS[n] for n in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")]
)
PREDICATE_ORDER = {str(p): i for i, p in enumerate(_PREDICATE_ORDER)}
_RDF_TYPE, _FIRST, _REST, _NIL = str(RDF.type), str(RDF.first), str(RDF.rest), str(RDF.nil)
# plain strings: the index is keyed by IRI text, and an rdflib URIRef never equals a str
_CODE, _ORDER, _LEVEL, _DIMENSION, _APPLIES_TO, _TRACK, _RANK = (
    str(JA[n]) for n in ("code", "order", "level", "dimension", "appliesTo", "track", "rank")
)
_RUBRIC_CELL = str(JA.RubricCell)
_XSD = str(XSD)
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?|")
_ESCAPE = re.compile('[\\\\"\n\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_NUMBER = {_XSD + "integer": re.compile(r"[+-]?\d+"), _XSD + "decimal": re.compile(r"[+-]?\d*\.\d+")}

Term = Any  # a pyoxigraph NamedNode, BlankNode or Literal


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def literal_text(value: str, language: str | None, datatype: str, term: Any = None) -> str:
    """A literal as Turtle that reads back to the same lexical form, on one line (newlines and control
    characters escaped, so re-indenting a block never touches a value and git never sees a binary file)."""
    pattern = _NUMBER.get(datatype)
    if pattern is not None and pattern.fullmatch(value):
        return value
    if datatype == _XSD + "boolean" and value in ("true", "false"):
        return value
    body = '"' + _ESCAPE.sub(_escape, value) + '"'
    if language:
        return f"{body}@{language}"
    if datatype and datatype != _XSD + "string":
        return f"{body}^^{term(datatype) if term else f'<{datatype}>'}"
    return body


class _Layout:
    """Indexes the triples once and writes terms, objects and blocks."""

    def __init__(
        self,
        triples: Iterable[tuple[Term, Term, Term]],
        prefixes: dict[str, str],
        base: str | None,
        languages: dict[str, str] | None = None,
    ):
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.base = base
        self.languages = languages or {}
        self.used: set[str] = set()
        self.by_subject: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        incoming: Counter[Term] = Counter()
        parent: dict[Term, Term] = {}
        for s, p, o in triples:
            objects = self.by_subject[s][p.value]
            if o not in objects:
                objects.append(o)
                if isinstance(o, ox.BlankNode):
                    incoming[o] += 1
                    parent[o] = s
        self._iri_text: dict[str, str] = {}
        self.inline = self._inline_nodes(incoming, parent)
        self.lists = self._lists()
        blanks = {
            n
            for s, po in self.by_subject.items()
            for n in (s, *(o for os in po.values() for o in os))
            if isinstance(n, ox.BlankNode)
        }
        # colours are read over every blank node (inline ones too), so labels never depend on a parser's labels
        labelled = [n for n in self.canonical_order(blanks) if n not in self.inline] if blanks - self.inline else []
        self.labels = {node: f"b{i}" for i, node in enumerate(labelled, 1)}
        self._rendered: dict[tuple[Term, int], str] = {}

    # ------------------------------------------------------------------ blank nodes
    def _inline_nodes(self, incoming: Counter[Term], parent: dict[Term, Term]) -> set[Term]:
        """Blank nodes written where they are used: one owner, no cycle, not nested deeper than the limit."""
        candidates = {b for b, n in incoming.items() if n == 1}
        depth: dict[Term, int] = {}
        for node in candidates:
            chain, current = [], node
            while current in candidates and current not in depth and current not in chain:
                chain.append(current)
                current = parent[current]
            if current in chain:  # a cycle of single-owner blank nodes: none of them inline
                for member in chain[chain.index(current) :]:
                    depth[member] = MAX_INLINE_DEPTH + 1
                chain = chain[: chain.index(current)]
            base = depth.get(current, 0) if current in candidates else 0
            for member in reversed(chain):
                base += 1
                depth[member] = base
        return {b for b in candidates if depth[b] <= MAX_INLINE_DEPTH}

    def _lists(self) -> dict[Term, list[Term]]:
        """Inline blank nodes that head a well-formed RDF list, with its items."""

        def is_cell(node: Term) -> bool:
            po = self.by_subject.get(node)
            return (
                node in self.inline
                and po is not None
                and set(po) == {_FIRST, _REST}
                and len(po[_FIRST]) == 1
                and len(po[_REST]) == 1
            )

        tails = {po[_REST][0] for node, po in self.by_subject.items() if is_cell(node)}
        lists = {}
        for head in [n for n in self.by_subject if is_cell(n) and n not in tails]:
            items, node, seen = [], head, set()
            while is_cell(node) and node not in seen:
                seen.add(node)
                items.append(self.by_subject[node][_FIRST][0])
                node = self.by_subject[node][_REST][0]
            if isinstance(node, ox.NamedNode) and node.value == _NIL:
                lists[head] = items
        return lists

    def canonical_order(self, nodes: set[Term]) -> list[Term]:
        """Blank nodes ordered by what they say and what points at them (stable across runs and parses)."""
        colour = dict.fromkeys(nodes, "")
        for _ in range(4):
            parts: dict[Term, list[str]] = defaultdict(list)
            for s, po in self.by_subject.items():
                for p, objects in po.items():
                    for o in objects:
                        if s in colour:
                            parts[s].append("o " + p + " " + (colour[o] if o in colour else str(o)))
                        if o in colour:
                            parts[o].append("i " + (colour[s] if s in colour else str(s)) + " " + p)
            colour = {
                n: hashlib.blake2b((colour[n] + "|" + "|".join(sorted(parts[n]))).encode(), digest_size=12).hexdigest()
                for n in nodes
            }
        return sorted(nodes, key=lambda n: colour[n])

    # ------------------------------------------------------------------ terms
    def iri(self, value: str) -> str:
        text = self._iri_text.get(value)
        if text is not None:
            return text
        if value == _RDF_TYPE:
            text = "a"
        else:
            text = f"<{self._relative(value)}>"
            for prefix, ns in self.prefixes:
                if value.startswith(ns) and _LOCAL.fullmatch(value[len(ns) :]):
                    self.used.add(prefix)
                    text = f"{prefix}:{value[len(ns) :]}"
                    break
        self._iri_text[value] = text
        return text

    def _relative(self, value: str) -> str:
        """An IRI under the base the file was read against is written relative again, never as a machine's path."""
        if self.base and value.startswith(self.base.rsplit("/", 1)[0] + "/"):
            relative = posixpath.relpath(value[len("file://") :], posixpath.dirname(self.base[len("file://") :]))
            return relative + ("/" if value.endswith("/") and not relative.endswith("/") else "")
        return value

    def term(self, node: Term) -> str:
        if isinstance(node, ox.NamedNode):
            return self.iri(node.value)
        if isinstance(node, ox.BlankNode):
            return f"_:{self.labels.get(node, node.value)}"
        language = self.languages.get(node.language, node.language) if node.language else None
        return literal_text(node.value, language, node.datatype.value if node.datatype else "", self.iri)

    def object(self, node: Term, indent: int) -> str:
        if node not in self.inline:
            return self.term(node)
        key = (node, indent)
        if key not in self._rendered:
            if node in self.lists:
                items = [self.object(item, indent + 1) for item in self.lists[node]]
                flat = "( " + " ".join(items) + " )" if items else "()"
                if "\n" in flat or len(flat) > FLAT_WIDTH:
                    pad = "    " * (indent + 1)
                    flat = (
                        "(\n" + "\n".join(pad + i.replace("\n", "\n    ") for i in items) + "\n" + "    " * indent + ")"
                    )
                self._rendered[key] = flat
            else:
                body = self.block_body(node, indent)
                flat = " ; ".join(part.strip() for part in body.split(" ;\n"))
                if "\n" not in flat and len(flat) <= FLAT_WIDTH:
                    self._rendered[key] = f"[ {flat} ]"
                else:
                    self._rendered[key] = "[\n" + body + "\n" + "    " * indent + "]"
        return self._rendered[key]

    def _object_key(self, node: Term, indent: int) -> tuple:
        if node in self.inline:
            return (2, self.object(node, indent), "")
        return (0 if isinstance(node, ox.NamedNode) else 1, self.term(node), getattr(node, "language", None) or "")

    def block_body(self, subject: Term, indent: int) -> str:
        pad = "    " * (indent + 1)
        parts = []
        po = self.by_subject.get(subject, {})
        for p in sorted(po, key=lambda p: (PREDICATE_ORDER.get(p, len(PREDICATE_ORDER)), self.iri(p))):
            objects = sorted(po[p], key=lambda o: self._object_key(o, indent + 1))
            rendered = [self.object(o, indent + 1) for o in objects]
            if len(rendered) == 1 and "\n" not in rendered[0]:
                parts.append(f"{pad}{self.iri(p)} {rendered[0]}")
            else:
                inner = "    " * (indent + 2)
                parts.append(f"{pad}{self.iri(p)}\n" + " ,\n".join(inner + r.replace("\n", "\n    ") for r in rendered))
        return " ;\n".join(parts)

    # ------------------------------------------------------------------ subjects
    def _first(self, subject: Term, predicate: str) -> Term | None:
        values = self.by_subject.get(subject, {}).get(predicate)
        return min(values, key=str) if values else None

    def _number(self, subject: Term | None, predicate: str) -> float:
        value = self._first(subject, predicate) if subject is not None else None
        if isinstance(value, ox.Literal):
            try:
                return float(value.value)
            except ValueError:
                return 10**9
        return 10**9

    def subject_key(self, subject: Term) -> tuple:
        """Type group, then code, then display order (ja:order, or a rubric cell's node, level and dimension),
        then name."""
        types = [t.value for t in self.by_subject[subject].get(_RDF_TYPE, []) if isinstance(t, ox.NamedNode)]
        rank = min((TYPE_ORDER[t] for t in types if t in TYPE_ORDER), default=len(TYPE_ORDER))
        code = self._first(subject, _CODE)
        order = self._first(subject, _ORDER)
        within: tuple
        if _RUBRIC_CELL in types:
            level, dimension = self._first(subject, _LEVEL), self._first(subject, _DIMENSION)
            applies = self._first(subject, _APPLIES_TO)
            track = self._first(level, _TRACK) if level is not None else None
            within = (
                self.term(applies or subject),
                track.value if isinstance(track, ox.NamedNode) else "",
                self._number(level, _RANK),
                self._number(dimension, _ORDER),
            )
        else:
            is_int = isinstance(order, ox.Literal) and re.fullmatch(r"[+-]?\d+", order.value) is not None
            within = (int(order.value) if is_int and order is not None else 10**9,)
        kind = "" if rank < len(TYPE_ORDER) else min((self.iri(t) for t in types), default="~")
        return (
            rank,
            kind,
            code.value if code is not None else "~",
            within,
            isinstance(subject, ox.BlankNode),
            self.term(subject),
        )


def canonical_turtle_from(
    triples: Iterable[tuple[Term, Term, Term]],
    prefixes: dict[str, str],
    header: Sequence[str] = (),
    attached: dict[str, list[str]] | None = None,
    footer: Sequence[str] = (),
    base: str | None = None,
    languages: dict[str, str] | None = None,
) -> str:
    """Triples of Oxigraph terms in jobarch's canonical Turtle (same triples, same bytes).

    ``attached`` maps a subject IRI to the comment lines written above it;
    ``base``, the IRI the triples were read against, makes IRIs under it
    relative again; ``languages`` gives language tags back the case they
    were written in (Oxigraph reads them in lower case).
    """
    attached = attached or {}
    layout = _Layout(triples, prefixes, base, languages)
    subjects = [s for s in layout.by_subject if not (isinstance(s, ox.BlankNode) and s in layout.inline)]
    body = []
    for subject in sorted(subjects, key=layout.subject_key):
        comments = attached.get(subject.value, []) if isinstance(subject, ox.NamedNode) else []
        body.append("\n".join([*comments, layout.term(subject), layout.block_body(subject, 0) + " ."]))
    used = sorted(layout.used)
    width = max((len(p) for p in used), default=0) + 1
    out = []
    if header:
        out.append("\n".join(header))
    if used:
        out.append("\n".join(f"@prefix {(p + ':').ljust(width)} <{prefixes[p]}> ." for p in used))
    out.extend(body)
    if footer:
        out.append("\n".join(footer))
    return "\n\n".join(out) + "\n"


def blank_labels(triples: Iterable[tuple[Term, Term, Term]]) -> dict[Term, str]:
    """Content-derived names for every blank node of some triples (``b1``, ``b2``, … in canonical order)."""
    layout = _Layout(triples, {}, None)
    blanks = {
        n
        for s, po in layout.by_subject.items()
        for n in (s, *(o for os in po.values() for o in os))
        if isinstance(n, ox.BlankNode)
    }
    return {node: f"b{i}" for i, node in enumerate(layout.canonical_order(blanks), 1)}


def canonical_turtle(
    graph: Any,
    prefixes: dict[str, str],
    header: Sequence[str] = (),
    attached: dict[str, list[str]] | None = None,
    footer: Sequence[str] = (),
) -> str:
    """An rdflib graph in jobarch's canonical Turtle."""
    from .terms import to_ox

    return canonical_turtle_from(
        ((to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph), prefixes, header, attached, footer
    )


__all__ = [
    "MAX_INLINE_DEPTH",
    "PREDICATE_ORDER",
    "blank_labels",
    "PREFIXES",
    "TYPE_ORDER",
    "canonical_turtle",
    "canonical_turtle_from",
    "literal_text",
]
