"""jobarch's canonical Turtle: one readable, deterministic layout for every file jobarch writes.

The layout: an opening comment, then the prefixes used (sorted), then
subjects grouped by type (architecture, tracks, levels, rubric, taxonomy,
profiles, skills, sources, then the rest) and ordered by code, predicates in a
fixed order, one object per line when there are several, blank nodes written
inline where they belong to one subject, RDF lists as ``( … )``. The same
triples always give the same bytes.

Terms are handled as their N-Triples text (``<iri>``, ``_:b``, ``"lex"@en``,
``"5"^^<…#integer>``), the form Oxigraph writes and parses: every literal's
lexical form is kept as it was read (``"007"^^xsd:integer`` stays ``007``),
and no object is made per term, so hundreds of thousands of triples are
written in seconds. The writer never recurses on the data's depth: blank
nodes nested deeper than :data:`MAX_INLINE_DEPTH`, or in a cycle, are written
as labelled blocks, whose labels come from what they say (the canonical
colours of :mod:`jobarch.graph.canonical`), so they too are the same every run.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from ..core.namespaces import JA, PREFIXES, PROV, RDF, SKOS, XSD
from .canonical import canonical_order
from .triples import Triple, literal_parts

MAX_INLINE_DEPTH = 48
FLAT_WIDTH = 100  # an inline blank node shorter than this stays on one line


def _nt(iri: object) -> str:
    return f"<{iri}>"


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
TYPE_ORDER = {_nt(t): i for i, t in enumerate(_TYPE_ORDER)}
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
PREDICATE_ORDER = {_nt(p): i for i, p in enumerate(_PREDICATE_ORDER)}
_RDF_TYPE, _FIRST, _REST, _NIL = (_nt(RDF[n]) for n in ("type", "first", "rest", "nil"))
_CODE, _ORDER, _LEVEL, _DIMENSION, _APPLIES_TO, _TRACK, _RANK = (
    _nt(JA[n]) for n in ("code", "order", "level", "dimension", "appliesTo", "track", "rank")
)
_RUBRIC_CELL = _nt(JA.RubricCell)
_XSD = str(XSD)
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?|")
_BARE = {_XSD + "integer": re.compile(r"[+-]?\d+"), _XSD + "decimal": re.compile(r"[+-]?\d*\.\d+")}
# what N-Triples may leave raw but a curator's file should not carry: control characters and bidi overrides
_RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_ESCAPE_ALL = re.compile('[\\\\"\n\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]')
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}


def _uchar(match: re.Match[str]) -> str:
    return _ECHAR.get(match.group()) or f"\\u{ord(match.group()):04X}"


def escape_string(value: str) -> str:
    """A string's Turtle form between double quotes: one line, control characters and bidi overrides escaped."""
    return '"' + _ESCAPE_ALL.sub(_uchar, value) + '"'


class _Subjects(Protocol):
    """A subject's predicates and objects: a dict for a graph in memory, looked up for a streamed one."""

    def get(self, subject: str, default: Any = None) -> Any: ...

    def __getitem__(self, subject: str) -> dict[str, dict[str, None]]: ...


class _Lists(Protocol):
    """The RDF lists written as ``( … )``, by their head cell."""

    def __contains__(self, node: object) -> bool: ...

    def __getitem__(self, node: str) -> list[str]: ...


class _Layout:
    """Indexes the triples once and writes terms, objects and blocks."""

    by_subject: _Subjects
    inline: Container[str]
    lists: _Lists
    labels: dict[str, str]  # blank nodes written as labelled blocks, by their canonical label

    def __init__(
        self,
        triples: Iterable[Triple],
        prefixes: dict[str, str],
        base: str | None,
        languages: dict[str, str] | None = None,
    ):
        self._start(prefixes, base, languages)
        by_subject: dict[str, dict[str, dict[str, None]]] = defaultdict(lambda: defaultdict(dict))
        self.by_subject = self._index = by_subject
        incoming: Counter[str] = Counter()
        parent: dict[str, str] = {}
        rest_links: set[str] = set()  # nodes reached by rdf:rest: a list's next cell, written flat in ( … )
        for s, p, o in triples:
            objects = by_subject[s][p]
            if o not in objects:
                objects[o] = None
                if o.startswith("_:"):
                    incoming[o] += 1
                    parent[o] = s
                    if p == _REST:
                        rest_links.add(o)
        self.inline = inline = self._inline_nodes(incoming, parent, rest_links)
        self.lists = self._lists()
        blanks = {
            n for s, po in by_subject.items() for n in (s, *(o for os in po.values() for o in os)) if n.startswith("_:")
        }
        # colours are read over every blank node (inline ones too), so labels never depend on a parser's labels
        labelled = [n for n in _canonical_order(by_subject, blanks) if n not in self.inline] if blanks - inline else []
        self.labels = {node: f"_:b{i}" for i, node in enumerate(labelled, 1)}

    def _start(self, prefixes: dict[str, str], base: str | None, languages: dict[str, str] | None) -> None:
        """What every layout starts with, however it reads its triples."""
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.base = base
        self.languages = languages or {}
        self.used: set[str] = set()
        self.labels = {}
        self._text: dict[str, str] = {}
        self._rendered: dict[tuple[str, int], str] = {}

    def top_level(self) -> list[str]:
        """The subjects written as blocks of their own, in the canonical order."""
        return sorted((s for s in self._index if s not in self.inline), key=self.subject_key)

    def done_with(self, subject: str) -> None:
        """A top-level block is written: what was kept to write it may go (see :class:`StreamedLayout`)."""

    # ------------------------------------------------------------------ blank nodes
    def _inline_nodes(self, incoming: Counter[str], parent: dict[str, str], rest_links: set[str]) -> set[str]:
        """Blank nodes written where they are used: one owner, no cycle, not nested deeper than the limit
        (a list's cells are one level however long the list: ``( … )`` does not nest them)."""
        candidates = {b for b, n in incoming.items() if n == 1}
        depth: dict[str, int] = {}
        for node in candidates:
            chain: list[str] = []
            on_chain: set[str] = set()
            current = node
            while current in candidates and current not in depth and current not in on_chain:
                chain.append(current)
                on_chain.add(current)
                current = parent[current]
            if current in on_chain:  # a cycle of single-owner blank nodes: none of them inline
                start = chain.index(current)
                for member in chain[start:]:
                    depth[member] = MAX_INLINE_DEPTH + 1
                chain = chain[:start]
            level = depth.get(current, 0) if current in candidates else 0
            for member in reversed(chain):
                level += member not in rest_links
                depth[member] = level
        return {b for b in candidates if depth[b] <= MAX_INLINE_DEPTH}

    def _is_cell(self, node: str) -> bool:
        po = self.by_subject.get(node)
        return (
            node in self.inline
            and po is not None
            and len(po) == 2
            and _FIRST in po
            and _REST in po
            and len(po[_FIRST]) == 1
            and len(po[_REST]) == 1
        )

    def _lists(self) -> dict[str, list[str]]:
        """Inline blank nodes that head a well-formed RDF list, with its items."""
        cells = [n for n in self._index if n.startswith("_:") and self._is_cell(n)]
        tails = {next(iter(self.by_subject[n][_REST])) for n in cells}
        lists = {}
        for head in (n for n in cells if n not in tails):
            items, node, seen = [], head, set()
            while self._is_cell(node) and node not in seen:
                seen.add(node)
                items.append(next(iter(self.by_subject[node][_FIRST])))
                node = next(iter(self.by_subject[node][_REST]))
            if node == _NIL:
                lists[head] = items
        return lists

    # ------------------------------------------------------------------ terms
    def iri(self, value: str) -> str:
        """An IRI (without angle brackets) as a prefixed name where one of the prefixes covers it."""
        if value == _RDF_TYPE[1:-1]:
            return "a"
        for prefix, ns in self.prefixes:
            if value.startswith(ns) and _LOCAL.fullmatch(value[len(ns) :]):
                self.used.add(prefix)
                return f"{prefix}:{value[len(ns) :]}"
        return f"<{self._relative(value)}>"

    def _relative(self, value: str) -> str:
        """An IRI under the base the file was read against is written relative again, never as a machine's path."""
        if self.base and value.startswith(self.base.rsplit("/", 1)[0] + "/"):
            relative = posixpath.relpath(value[len("file://") :], posixpath.dirname(self.base[len("file://") :]))
            return relative + ("/" if value.endswith("/") and not relative.endswith("/") else "")
        return value

    def term(self, node: str) -> str:
        text = self._text.get(node)
        if text is None:
            if node[0] == "<":
                text = self.iri(node[1:-1])
            elif node.startswith("_:"):
                text = self.labels.get(node, node)
            else:
                text = self._literal(node)
            self._text[node] = text
        return text

    def _literal(self, node: str) -> str:
        """A literal as Turtle that reads back to the same lexical form, on one line."""
        body, language, datatype = literal_parts(node)
        pattern = _BARE.get(datatype)
        if pattern is not None and pattern.fullmatch(body):
            return body
        if datatype == _XSD + "boolean" and body in ("true", "false"):
            return body
        quoted = '"' + _RAW.sub(_uchar, body) + '"'
        if language:
            return f"{quoted}@{self.languages.get(language, language)}"
        if datatype and datatype != _XSD + "string":
            return f"{quoted}^^{self.iri(datatype)}"
        return quoted

    def object(self, node: str, indent: int) -> str:
        if node not in self.inline:
            return self.term(node)
        key = (node, indent)
        text = self._rendered.get(key)
        if text is None:
            if node in self.lists:
                items = [self.object(item, indent + 1) for item in self.lists[node]]
                text = "( " + " ".join(items) + " )" if items else "()"
                if "\n" in text or len(text) > FLAT_WIDTH:
                    pad = "    " * (indent + 1)
                    text = (
                        "(\n" + "\n".join(pad + i.replace("\n", "\n    ") for i in items) + "\n" + "    " * indent + ")"
                    )
            else:
                body = self.block_body(node, indent)
                flat = " ; ".join(part.strip() for part in body.split(" ;\n"))
                text = (
                    f"[ {flat} ]"
                    if "\n" not in flat and len(flat) <= FLAT_WIDTH
                    else ("[\n" + body + "\n" + "    " * indent + "]")
                )
            self._rendered[key] = text
        return text

    def _object_key(self, node: str, indent: int) -> tuple:
        if node in self.inline:
            return (2, self.object(node, indent), "")
        if node[0] == "<":
            return (0, self.term(node), "")
        return (0 if node[0] == "<" else 1, self.term(node), literal_parts(node)[1] if node[0] == '"' else "")

    def _predicate_key(self, p: str) -> tuple[int, str]:
        return (PREDICATE_ORDER.get(p, len(PREDICATE_ORDER)), self.term(p))

    def block_body(self, subject: str, indent: int) -> str:
        pad = "    " * (indent + 1)
        parts = []
        po = self.by_subject.get(subject, {})
        for p in sorted(po, key=self._predicate_key):
            objects = po[p]
            if len(objects) == 1:
                rendered = [self.object(next(iter(objects)), indent + 1)]
            else:
                rendered = [
                    self.object(o, indent + 1) for o in sorted(objects, key=lambda o: self._object_key(o, indent + 1))
                ]
            if len(rendered) == 1 and "\n" not in rendered[0]:
                parts.append(f"{pad}{self.term(p)} {rendered[0]}")
            else:
                inner = "    " * (indent + 2)
                parts.append(
                    f"{pad}{self.term(p)}\n" + " ,\n".join(inner + r.replace("\n", "\n    ") for r in rendered)
                )
        return " ;\n".join(parts)

    # ------------------------------------------------------------------ subjects
    def _first(self, subject: str | None, predicate: str) -> str | None:
        values = self.by_subject.get(subject, {}).get(predicate) if subject is not None else None
        return min(values) if values else None

    def _number(self, subject: str | None, predicate: str) -> float:
        value = self._first(subject, predicate)
        if value is not None and value[0] == '"':
            try:
                return float(literal_parts(value)[0])
            except ValueError:
                return 10**9
        return 10**9

    def subject_key(self, subject: str) -> tuple:
        """Type group, then code, then display order (ja:order, or a rubric cell's node, level and dimension),
        then name."""
        po = self.by_subject[subject]
        types = [t for t in po.get(_RDF_TYPE, {}) if t[0] == "<"]
        rank = min((TYPE_ORDER[t] for t in types if t in TYPE_ORDER), default=len(TYPE_ORDER))
        code = self._first(subject, _CODE)
        within: tuple
        if _RUBRIC_CELL in types:
            level, dimension = self._first(subject, _LEVEL), self._first(subject, _DIMENSION)
            applies = self._first(subject, _APPLIES_TO)
            track = self._first(level, _TRACK)
            within = (
                self.term(applies or subject),
                track[1:-1] if track and track[0] == "<" else "",
                self._number(level, _RANK),
                self._number(dimension, _ORDER),
            )
        else:
            order = self._first(subject, _ORDER)
            body = literal_parts(order)[0] if order and order[0] == '"' else ""
            within = (int(body) if re.fullmatch(r"[+-]?\d+", body) else 10**9,)
        kind = "" if rank < len(TYPE_ORDER) else min((self.term(t) for t in types), default="~")
        code_text = literal_parts(code)[0] if code and code[0] == '"' else "~"
        return (rank, kind, code_text, within, subject.startswith("_:"), self.term(subject))


def canonical_turtle_from(
    triples: Iterable[Triple],
    prefixes: dict[str, str],
    header: Sequence[str] = (),
    attached: dict[str, list[str]] | None = None,
    footer: Sequence[str] = (),
    base: str | None = None,
    languages: dict[str, str] | None = None,
) -> str:
    """Triples (N-Triples text of each term) in jobarch's canonical Turtle: same triples, same bytes.

    ``attached`` maps a subject IRI to the comment lines written above it;
    ``base``, the IRI the triples were read against, makes IRIs under it
    relative again; ``languages`` gives language tags back the case they
    were written in (Oxigraph reads them in lower case).
    """
    layout = _Layout(triples, prefixes, base, languages)
    return _document(layout, layout.top_level(), prefixes, header, attached or {}, footer)


def _document(
    layout: _Layout,
    subjects: Iterable[str],
    prefixes: dict[str, str],
    header: Sequence[str],
    attached: dict[str, list[str]],
    footer: Sequence[str],
) -> str:
    body = list(_blocks(layout, subjects, attached))  # the prefixes written are those the blocks used
    return "\n\n".join([*_opening(layout, prefixes, header), *body, *_closing(footer)]) + "\n"


def _blocks(layout: _Layout, subjects: Iterable[str], attached: dict[str, list[str]]) -> Iterator[str]:
    """Each top-level block with the comments kept above it."""
    for subject in subjects:
        comments = attached.get(subject[1:-1], []) if subject[0] == "<" else []
        yield "\n".join([*comments, layout.term(subject), layout.block_body(subject, 0) + " ."])
        layout.done_with(subject)


def _opening(layout: _Layout, prefixes: dict[str, str], header: Sequence[str]) -> list[str]:
    """The header comment and the prefixes the written blocks used."""
    used = sorted(layout.used)
    width = max((len(p) for p in used), default=0) + 1
    out = ["\n".join(header)] if header else []
    if used:
        out.append("\n".join(f"@prefix {(p + ':').ljust(width)} <{prefixes[p]}> ." for p in used))
    return out


def _closing(footer: Sequence[str]) -> list[str]:
    return ["\n".join(footer)] if footer else []


def canonical_turtle(
    graph: Any,
    prefixes: dict[str, str],
    header: Sequence[str] = (),
    attached: dict[str, list[str]] | None = None,
    footer: Sequence[str] = (),
) -> str:
    """An rdflib graph in jobarch's canonical Turtle."""
    from .terms import rdflib_to_ntriples

    return canonical_turtle_from((rdflib_to_ntriples(t) for t in graph), prefixes, header, attached, footer)


def _canonical_order(by_subject: dict[str, dict[str, dict[str, None]]], nodes: set[str]) -> list[str]:
    triples = ((s, p, o) for s, po in by_subject.items() for p, objects in po.items() for o in objects)
    return canonical_order(triples, nodes)


class NotStreamableError(Exception):
    """The graph has a blank node that is shared, a root or deeper than the inline limit: write it whole."""


class _LookedUpSubjects:
    """``by_subject`` read on demand through ``lookup`` (a subject's predicate-object pairs), the last few
    thousand subjects kept."""

    KEEP = 20_000

    def __init__(self, lookup: Callable[[str], Iterable[tuple[str, str]]]):
        self.lookup = lookup
        self.kept: dict[str, dict[str, dict[str, None]]] = {}

    def get(self, subject: str, default: Any = None) -> Any:
        found = self.kept.get(subject)
        if found is None:
            found = defaultdict(dict)
            for p, o in self.lookup(subject):
                found[p][o] = None
            if not found:
                return default
            if len(self.kept) >= self.KEEP:
                self.kept.clear()
            self.kept[subject] = found
        return found

    def __getitem__(self, subject: str) -> Any:
        found = self.get(subject)
        if found is None:
            raise KeyError(subject)
        return found


class _EveryBlankNode:
    def __contains__(self, node: object) -> bool:
        return isinstance(node, str) and node.startswith("_:")


class _LookedUpLists:
    """The RDF lists of a streamed layout, found when a blank node is written."""

    def __init__(self, layout: StreamedLayout):
        self.layout = layout

    def __contains__(self, node: object) -> bool:
        return isinstance(node, str) and self.items(node) is not None

    def __getitem__(self, node: str) -> list[str]:
        items = self.items(node)
        if items is None:
            raise KeyError(node)
        return items

    def items(self, node: str) -> list[str] | None:
        items, seen = [], set()
        while node != _NIL:
            if node in seen or not self.layout._is_cell(node):
                return None
            seen.add(node)
            po = self.layout.by_subject[node]
            items.append(next(iter(po[_FIRST])))
            node = next(iter(po[_REST]))
        return items


class StreamedLayout(_Layout):
    """The canonical layout written a subject at a time from an index of the triples kept outside memory (the
    caller's ``lookup``), so a file of any size is written in bounded memory.

    For graphs whose blank nodes all have one owner (the caller checks) and nest at most
    :data:`MAX_INLINE_DEPTH` deep (:class:`NotStreamableError` is raised when a block nests deeper), every
    blank node is written inline: no label and no whole-graph colouring is needed, and the bytes are those of
    :func:`canonical_turtle_from` on the same triples."""

    def __init__(
        self,
        lookup: Callable[[str], Iterable[tuple[str, str]]],
        prefixes: dict[str, str],
        base: str | None,
        languages: dict[str, str] | None,
    ):
        self._start(prefixes, base, languages)
        self.by_subject = _LookedUpSubjects(lookup)
        self.inline = _EveryBlankNode()
        self.lists = _LookedUpLists(self)
        self.written = 0  # triples written, to check against the store's size

    def object(self, node: str, indent: int) -> str:
        if indent > MAX_INLINE_DEPTH and node.startswith("_:") and node not in self.lists:
            raise NotStreamableError(f"blank nodes nested deeper than {MAX_INLINE_DEPTH}")
        return super().object(node, indent)

    def block_body(self, subject: str, indent: int) -> str:
        po = self.by_subject.get(subject, {})
        self.written += sum(len(objects) for objects in po.values())
        return super().block_body(subject, indent)

    def done_with(self, subject: str) -> None:
        self._rendered.clear()
        if len(self._text) > 200_000:
            self._text.clear()


def write_canonical_turtle_streamed(
    out: Path,
    lookup: Callable[[str], Iterable[tuple[str, str]]],
    size: int,
    subjects: Iterable[str],
    prefixes: dict[str, str],
    header: Sequence[str] = (),
    attached: dict[str, list[str]] | None = None,
    footer: Sequence[str] = (),
    base: str | None = None,
    languages: dict[str, str] | None = None,
) -> None:
    """Write to ``out`` the canonical Turtle of ``size`` triples kept outside memory: ``lookup(subject)`` gives
    a subject's predicate-object pairs, ``subjects`` are the named subjects (the top-level blocks). Neither the
    triples nor the text are ever whole in memory: the blocks go to a file beside ``out`` first, since the
    prefixes written above them are those they use. See :class:`StreamedLayout`; raises
    :class:`NotStreamableError` when the triples cannot be written so."""
    layout = StreamedLayout(lookup, prefixes, base, languages)
    ordered = sorted(subjects, key=layout.subject_key)
    body = out.with_name(out.name + ".body")
    with open(body, "w", encoding="utf-8", newline="") as spool:
        for i, block in enumerate(_blocks(layout, ordered, attached or {})):
            spool.write("\n\n" + block if i else block)
    if layout.written != size:
        raise NotStreamableError("some blank nodes are not reached from a named subject")
    opening, closing = _opening(layout, prefixes, header), _closing(footer)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        wrote = False  # parts are joined by a blank line, as _document joins them
        for part in opening:
            handle.write("\n\n" + part if wrote else part)
            wrote = True
        if body.stat().st_size:
            handle.write("\n\n" if wrote else "")
            handle.flush()
            with open(body, "rb") as blocks:
                shutil.copyfileobj(blocks, handle.buffer)
            wrote = True
        for part in closing:
            handle.write("\n\n" + part if wrote else part)
            wrote = True
        handle.write("\n")
    body.unlink()


__all__ = [
    "MAX_INLINE_DEPTH",
    "NotStreamableError",
    "StreamedLayout",
    "PREDICATE_ORDER",
    "PREFIXES",
    "TYPE_ORDER",
    "canonical_turtle",
    "canonical_turtle_from",
    "write_canonical_turtle_streamed",
    "escape_string",
]
