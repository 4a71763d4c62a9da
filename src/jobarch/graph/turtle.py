"""jobarch's canonical Turtle: one readable, deterministic layout for every file jobarch writes.

The layout: an opening comment, then the prefixes used (sorted), then
subjects grouped by type (architecture, tracks, levels, rubric, taxonomy,
profiles, skills, sources, then the rest) and ordered by code, predicates in a
fixed order, one object per line when there are several, blank nodes written
inline where they belong to one subject. The same graph always gives the
same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF, XSD

from ..core.namespaces import JA, PREFIXES

TYPE_ORDER = [
    JA.JobArchitecture,
    JA.AdjacencyModel,
    JA.QualityPolicy,
    JA.Track,
    JA.Level,
    JA.RubricDimension,
    JA.RubricCell,
    JA.QualityDimension,
    JA.Function,
    JA.JobFamily,
    JA.Focus,
    JA.JobProfile,
    JA.SkillGroup,
    JA.Skill,
    JA.Source,
]
_SKOS = str(PREFIXES["skos"])
PREDICATE_ORDER = (
    [RDF.type, JA.code, JA.order]
    + [
        URIRef(_SKOS + n)
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
        JA.focus,
        JA.level,
        JA.track,
        JA.rank,
        JA.grade,
        JA.status,
        JA.appliesTo,
        JA.dimension,
        JA.text,
        JA.distinctFrom,
        JA.requiresSkill,
        JA.responsibility,
        URIRef(str(PREFIXES["prov"]) + "wasDerivedFrom"),
        JA.qualityAssessment,
        JA.dimensionScore,
        JA.qualityDimension,
        JA.score,
        JA.classificationMapping,
        JA.mappingScheme,
        JA.mappedCode,
        JA.mappedConcept,
        JA.mappingSource,
        JA.confidence,
    ]
    + [URIRef(_SKOS + n) for n in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")]
)


class _Writer:
    """Writes terms and statement blocks; blank nodes with one owner go inline, others get content-derived labels."""

    def __init__(self, graph: Graph, prefixes: dict[str, str]):
        self.graph = graph
        self.prefixes = prefixes
        self.used: set[str] = set()
        self.inline = {
            b
            for b in set(graph.objects())
            if isinstance(b, BNode) and len(list(graph.subject_predicates(b))) == 1 and not self._cyclic(b)
        }
        self._rendered: dict[tuple, str] = {}
        # blank nodes that must be written by label get short, content-derived ones (stable across runs)
        labelled = sorted(
            {n for t in graph for n in (t[0], t[2]) if isinstance(n, BNode) and n not in self.inline}, key=str
        )
        self.labels = {node: f"b{i}" for i, node in enumerate(labelled, 1)}

    def _cyclic(self, node, seen=None) -> bool:
        seen = seen or set()
        if node in seen:
            return True
        return any(self._cyclic(o, seen | {node}) for o in self.graph.objects(node) if isinstance(o, BNode))

    def term(self, node) -> str:
        if isinstance(node, URIRef):
            text = str(node)
            best = None
            for prefix, ns in self.prefixes.items():
                if text.startswith(ns) and (best is None or len(ns) > len(self.prefixes[best])):
                    local = text[len(ns) :]
                    if re.fullmatch(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?|", local):
                        best = prefix
            if node == RDF.type:
                return "a"
            if best is not None:
                self.used.add(best)
                return f"{best}:{text[len(self.prefixes[best]) :]}"
            return f"<{text}>"
        if isinstance(node, BNode):
            return f"_:{self.labels.get(node, node)}"
        return self.literal(node)

    def literal(self, lit: Literal) -> str:
        value = str(lit)
        dt = lit.datatype
        if dt == XSD.integer and re.fullmatch(r"[+-]?\d+", value):
            return value
        if dt == XSD.decimal and re.fullmatch(r"[+-]?\d*\.\d+", value):
            return value
        if dt == XSD.boolean and value in ("true", "false"):
            return value
        # one line per literal: newlines are escaped, so re-indenting a block never touches a value
        body = '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'
        if lit.language:
            return f"{body}@{lit.language}"
        if dt is not None and dt != XSD.string:
            return f"{body}^^{self.term(dt)}"
        return body

    def predicate_key(self, p) -> tuple:
        return (PREDICATE_ORDER.index(p) if p in PREDICATE_ORDER else len(PREDICATE_ORDER), self.term(p))

    def object_key(self, o) -> tuple:
        if isinstance(o, BNode) and o in self.inline:
            return (2, self.object(o, 0))
        return (0 if isinstance(o, URIRef) else 1, self.term(o), str(getattr(o, "language", "") or ""))

    def block_body(self, subject, indent: int) -> str:
        pad = "    " * (indent + 1)
        parts = []
        for p in sorted(set(self.graph.predicates(subject)), key=self.predicate_key):
            objects = sorted(set(self.graph.objects(subject, p)), key=self.object_key)
            rendered = [self.object(o, indent + 1) for o in objects]
            if len(rendered) == 1 and "\n" not in rendered[0]:
                parts.append(f"{pad}{self.term(p)} {rendered[0]}")
            else:
                inner = "    " * (indent + 2)
                parts.append(
                    f"{pad}{self.term(p)}\n" + " ,\n".join(inner + r.replace("\n", "\n    ") for r in rendered)
                )
        return " ;\n".join(parts)

    def object(self, o, indent: int) -> str:
        if not (isinstance(o, BNode) and o in self.inline):
            return self.term(o)
        key = (o, indent)
        if key not in self._rendered:
            body = self.block_body(o, indent)
            flat = " ; ".join(part.strip() for part in body.split(" ;\n"))
            if "\n" not in flat and len(flat) <= 100:
                self._rendered[key] = f"[ {flat} ]"
            else:
                self._rendered[key] = "[\n" + body + "\n" + "    " * indent + "]"
        return self._rendered[key]


def _subject_key(graph: Graph, subject, writer: _Writer) -> tuple:
    """Type group, then code, then display order (ja:order, or a rubric cell's node, level and dimension), then name."""
    types = set(graph.objects(subject, RDF.type))
    rank = min(
        (TYPE_ORDER.index(t) for t in types if isinstance(t, URIRef) and t in TYPE_ORDER), default=len(TYPE_ORDER)
    )
    code = graph.value(subject, JA.code)
    order = graph.value(subject, JA.order)
    within: tuple = (order.toPython() if isinstance(order, Literal) and isinstance(order.toPython(), int) else 10**9,)
    if JA.RubricCell in types:
        level, dimension = graph.value(subject, JA.level), graph.value(subject, JA.dimension)

        def rank_of(node, p):
            value = graph.value(node, p) if node is not None else None
            return value.toPython() if isinstance(value, Literal) else 10**9

        within = (
            writer.term(graph.value(subject, JA.appliesTo) or subject),
            str(graph.value(level, JA.track) or ""),
            rank_of(level, JA.rank),
            rank_of(dimension, JA.order),
        )
    return (
        rank,
        "" if rank < len(TYPE_ORDER) else min((writer.term(t) for t in types), default="~"),
        str(code) if code is not None else "~",
        within,
        isinstance(subject, BNode),
        writer.term(subject),
    )


def canonical_turtle(
    graph: Graph,
    prefixes: dict[str, str],
    header: Sequence[str] = (),
    attached: dict | None = None,
    footer: Sequence[str] = (),
) -> str:
    """A graph in jobarch's canonical Turtle layout (deterministic: same graph, same bytes)."""
    attached = attached or {}
    graph = to_canonical_graph(graph)
    writer = _Writer(graph, prefixes)
    subjects = [s for s in set(graph.subjects()) if not (isinstance(s, BNode) and s in writer.inline)]
    body = []
    for subject in sorted(subjects, key=lambda s: _subject_key(graph, s, writer)):
        comments = attached.get(str(subject), []) if isinstance(subject, URIRef) else []
        block = "\n".join(comments + [writer.term(subject), writer.block_body(subject, 0) + " ."])
        body.append(block)
    used = sorted(writer.used)
    width = max((len(p) for p in used), default=0) + 1
    prefix_lines = [f"@prefix {(p + ':').ljust(width)} <{prefixes[p]}> ." for p in used]
    out = []
    if header:
        out.append("\n".join(header))
    if prefix_lines:
        out.append("\n".join(prefix_lines))
    out.extend(body)
    if footer:
        out.append("\n".join(footer))
    result = "\n\n".join(out) + "\n"
    return result
