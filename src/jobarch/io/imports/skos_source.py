"""A SKOS classification as read, with what real classifications get wrong repaired and listed.

National and historical classifications are rarely clean SKOS: a parent is
referenced by ``skos:broader`` and never defined, a concept has no preferred
label or two in one language, the codes sit in a property of the
publisher's own vocabulary instead of ``skos:notation``. Each of these would
become a violation of jobarch's shapes, so the reading repairs it the same
way every time (a label from the code, marked; the second preferred label
kept as an alias) and lists it, for ``--plan`` and for the import report.

Input is read defensively: nothing is fetched, RDF/XML may not declare a
DOCTYPE or entities (no XXE, no entity expansion), the file size is capped,
and cycles or over-deep hierarchies are refused.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from ...core.errors import JobarchError, Location
from ...core.files import read_text
from ...graph.sources import graph_iri, parse_file

MAX_DEPTH = 32
#: Properties that carry a concept's words or its place, never its code.
NOT_CODES = frozenset(
    {
        RDF.type,
        RDFS.label,
        RDFS.comment,
        DCTERMS.title,
        DCTERMS.description,
        *(SKOS[name] for name in ("prefLabel", "altLabel", "hiddenLabel", "definition", "scopeNote", "note")),
        *(SKOS[name] for name in ("example", "historyNote", "editorialNote", "changeNote")),
    }
)
#: The words jobarch itself writes into an imported architecture, in the languages it knows; others get English.
#: The words an import writes itself, in the source's language (English for a language not listed).
WORDS = {
    "en": {
        "level": "Level {level}",
        "unlabelled": "{code} (no label in the source)",
        "undefined": "{code} (not defined in the source)",
        "track": "Professional",
        "source": "Imported classification: {label}",
    },
    "de": {
        "level": "Stufe {level}",
        "unlabelled": "{code} (ohne Bezeichnung in der Quelle)",
        "undefined": "{code} (in der Quelle nicht definiert)",
        "track": "Fachlaufbahn",
        "source": "Importierte Klassifikation: {label}",
    },
    "fr": {
        "level": "Niveau {level}",
        "unlabelled": "{code} (sans libellé dans la source)",
        "undefined": "{code} (non défini dans la source)",
        "track": "Filière d'expertise",
        "source": "Classification importée : {label}",
    },
    "es": {
        "level": "Nivel {level}",
        "unlabelled": "{code} (sin etiqueta en la fuente)",
        "undefined": "{code} (no definido en la fuente)",
        "track": "Carrera técnica",
        "source": "Clasificación importada: {label}",
    },
    "nl": {
        "level": "Niveau {level}",
        "unlabelled": "{code} (zonder label in de bron)",
        "undefined": "{code} (niet gedefinieerd in de bron)",
        "track": "Vakspecialist",
        "source": "Geïmporteerde classificatie: {label}",
    },
    "it": {
        "level": "Livello {level}",
        "unlabelled": "{code} (senza etichetta nella fonte)",
        "undefined": "{code} (non definito nella fonte)",
        "track": "Percorso professionale",
        "source": "Classificazione importata: {label}",
    },
}


def words(language: str | None) -> tuple[str | None, dict[str, str]]:
    """The language jobarch's own words are written in for text in ``language``, and those words."""
    primary = (language or "en").split("-")[0].lower()
    return (language, WORDS[primary]) if primary in WORDS else ("en", WORDS["en"])


def own_words(kind: str, language: str | None, **values: str) -> Literal:
    """One of the import's own words (``level``, ``track``, ``source`` ...) in the language of ``language``."""
    tag, found = words(language)
    return Literal(found[kind].format(**values), lang=tag)


def level_name(level: str, language: str | None) -> Literal:
    """A level's generated name (``Level P3``, ``Stufe P3``) in the language of the text it goes with."""
    return own_words("level", language, level=level)


@dataclass
class Repairs:
    """Every change made to the source so that it becomes a valid architecture, by kind, in source order."""

    undefined: list[tuple[Node, Literal]] = field(default_factory=list)  # referenced parent, the label it got
    unlabelled: list[tuple[Node, Literal]] = field(default_factory=list)  # concept, the label it got
    demoted: list[tuple[Node, Literal]] = field(default_factory=list)  # concept, the preferred label made an alias

    def lines(self, limit: int | None = None) -> list[str]:
        kinds = (
            (self.undefined, "parent", "parents", "the source names, never defined: created, labelled from the code"),
            (self.unlabelled, "concept", "concepts", "without a preferred label: labelled from the code"),
            (self.demoted, "second preferred label", "second preferred labels", "in one language: kept as aliases"),
        )
        return [
            f"repaired: {len(items):,} {one if len(items) == 1 else many} {what}: "
            + listed([f"{concept} {label.n3()}" for concept, label in items], limit)
            for items, one, many, what in kinds
            if items
        ]


def listed(items: list[str], limit: int | None) -> str:
    shown = items if limit is None else items[:limit]
    more = len(items) - len(shown)
    return "; ".join(shown) + (f"; … {more:,} more in the import report" if more else "")


@dataclass
class Classification:
    """The concepts of a source's largest scheme, their tree, their codes and their repaired labels."""

    path: Path
    graph: Graph
    concepts: set
    parent: dict
    depth: dict
    scheme: Node | None
    code_from: URIRef
    code_reason: str  # why code_from was chosen ("" when given or the SKOS default)
    labels: dict[Node, list[Literal]]  # preferred labels, at most one per language
    language: str | None  # the language most preferred labels are in (English first among equals)
    languages: list[str | None]  # every language of the preferred labels
    repairs: Repairs
    _about: dict | None = field(default=None, repr=False)  # subject -> predicate -> objects (see values())

    def code(self, concept: Node) -> str:
        """The code a concept is known by: its notation or ``code_from`` value (of several, the one its IRI ends
        with, as in jobarch's own export, else the first in order), or its IRI's local name."""
        local = str(concept).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        values = sorted(str(v) for v in self.values(concept, self.code_from) if isinstance(v, Literal))
        if not values:
            return local
        return next((v for v in values if re.sub(r"[^A-Za-z0-9.]", "", v) == local), values[0])

    def codes(self, concept: Node) -> list[Literal]:
        """Every code the source gives a concept, verbatim (its IRI's local name when it gives none)."""
        found = sorted({Literal(str(v)) for p in {SKOS.notation, self.code_from} for v in self.values(concept, p)})
        return found or [Literal(self.code(concept))]

    def values(self, node: Node | None, predicate: URIRef) -> list:
        """What the source says of ``node`` with ``predicate``: read from one index of the whole source, built on
        first use (an rdflib lookup per concept and property cost seconds at 10,000 concepts)."""
        if self._about is None:
            self._about = defaultdict(lambda: defaultdict(list))
            for s, p, o in self.graph:
                self._about[s][p].append(o)
        found = self._about.get(node)
        return list(found.get(predicate, ())) if found is not None else []

    @property
    def scheme_labels(self) -> list:
        return self.values(self.scheme, SKOS.prefLabel) if self.scheme is not None else []

    @property
    def children(self) -> set:
        return set(self.parent.values())


def read_classification(path: Path, code_from: str | None = None) -> Classification:
    """Read and repair ``path``; ``code_from`` names the property holding the codes (a CURIE the file
    declares, or an IRI), else ``skos:notation`` or a property detected as holding codes."""
    source = _safe_graph(path)
    concepts = (
        set(source.subjects(RDF.type, SKOS.Concept))
        | set(source.subjects(SKOS.broader))
        | set(source.objects(None, SKOS.broader))
    )
    schemes = {
        s: {c for c in concepts if (c, SKOS.inScheme, s) in source or (c, SKOS.topConceptOf, s) in source}
        for s in set(source.subjects(RDF.type, SKOS.ConceptScheme))
    }
    scheme = max(schemes, key=lambda s: (len(schemes[s]), str(s))) if schemes else None
    if scheme is not None and len(schemes) > 1:  # several schemes (a taxonomy and its skills): take the largest
        concepts = schemes[scheme] | {p for c in schemes[scheme] for p in source.objects(c, SKOS.broader)}
    parent: dict = {}
    for child, up in list(source.subject_objects(SKOS.broader)) + [
        (c, p) for p, c in source.subject_objects(SKOS.narrower)
    ]:
        if child in concepts and parent.setdefault(child, up) != up:
            raise JobarchError(
                f"{child} has two broader concepts: the hierarchy must be a tree to become a taxonomy", Location(path)
            )
    depth = _depths(path, concepts, parent)
    prop, reason = _code_property(source, concepts, code_from, path)
    found = Classification(path, source, concepts, parent, depth, scheme, prop, reason, {}, None, [], Repairs())
    _repair_labels(found)
    return found


def _safe_graph(path: Path) -> Graph:
    text = read_text(path)
    if path.suffix.lower() in (".rdf", ".owl", ".xml"):
        if re.search(r"<!DOCTYPE|<!ENTITY", text, re.I):
            raise JobarchError(
                "RDF/XML with a DOCTYPE or entity declarations is refused (external entities, entity expansion)",
                Location(path),
                hint="remove the DOCTYPE, or convert the file to Turtle",
            )
        graph = Graph()
        try:
            graph.parse(data=text, format="xml", publicID=graph_iri(path))
        except Exception as exc:  # the parser's own error, named by file
            raise JobarchError(f"invalid RDF/XML: {exc}", Location(path)) from None
        return graph
    return parse_file(path, text)


def _depths(path: Path, concepts: set, parent: dict) -> dict:
    depth: dict = {}
    for concept in concepts:  # walked up iteratively: a deep or looping hierarchy is refused, never recursed into
        chain = [concept]
        while chain[-1] not in depth and chain[-1] in parent:
            if len(chain) > MAX_DEPTH or parent[chain[-1]] in chain:
                raise JobarchError(f"the hierarchy loops or is deeper than {MAX_DEPTH} at {concept}", Location(path))
            chain.append(parent[chain[-1]])
        base = depth.get(chain[-1], 1)
        for steps, node in enumerate(reversed(chain)):
            depth.setdefault(node, base + steps)
    return {c: depth[c] for c in concepts}


def _code_property(source: Graph, concepts: set, asked: str | None, path: Path) -> tuple[URIRef, str]:
    """The property the codes are in: the one asked for, ``skos:notation`` when the source uses it, else a
    property every concept (but a few) has once, with short distinct values holding a digit."""
    if asked:
        if asked.startswith(("http://", "https://", "urn:")):
            return URIRef(asked), ""
        try:
            return URIRef(source.namespace_manager.expand_curie(asked)), ""
        except ValueError:
            raise JobarchError(
                f"--code-from {asked}: the file declares no such prefix", Location(path), hint="give the full IRI"
            ) from None
    if any(True for c in concepts for _ in source.objects(c, SKOS.notation)):
        return SKOS.notation, ""
    values: dict = defaultdict(dict)
    for concept in concepts:
        for p, o in source.predicate_objects(concept):
            if p not in NOT_CODES and isinstance(o, Literal) and not o.language:
                values[p].setdefault(concept, []).append(str(o))
    candidates = []
    for p, by_concept in values.items():
        texts = [v[0] for v in by_concept.values() if len(v) == 1]
        if (
            len(texts) == len(by_concept) >= 0.8 * len(concepts)
            and len(set(texts)) == len(texts)
            and all(len(t) <= 32 and any(ch.isdigit() for ch in t) for t in texts)
        ):
            candidates.append((-len(texts), str(p)))
    if not candidates:
        return SKOS.notation, ""
    chosen = URIRef(min(candidates)[1])
    shown = source.namespace_manager.normalizeUri(chosen)
    return chosen, (
        f"--code-from {shown}: the source has no skos:notation, and {shown} holds one short distinct code "
        f"for {-min(candidates)[0]:,} of {len(concepts):,} concepts"
    )


def _repair_labels(found: Classification) -> None:
    """One preferred label per language for every concept, from the source, else from its code (marked)."""
    source, repairs = found.graph, found.repairs
    languages = Counter(
        o.language for c in found.concepts for o in found.values(c, SKOS.prefLabel) if isinstance(o, Literal)
    )
    ranked = sorted(languages.items(), key=lambda item: (-item[1], item[0] != "en", item[0] or ""))
    found.language = ranked[0][0] if ranked else None
    found.languages = sorted(languages, key=lambda language: language or "")
    tag, found_words = words(found.language)
    unlabelled, undefined = found_words["unlabelled"], found_words["undefined"]
    for concept in sorted(found.concepts, key=str):
        own = sorted(
            (v for v in found.values(concept, SKOS.prefLabel) if isinstance(v, Literal)),
            key=lambda v: (v.language or "", str(v)),
        )
        kept: dict[str | None, Literal] = {}
        for value in own:
            if value.language in kept:
                repairs.demoted.append((concept, value))
            else:
                kept[value.language] = value
        if not kept:
            defined = next(source.predicate_objects(concept), None) is not None
            label = Literal((undefined if not defined else unlabelled).format(code=found.code(concept)), lang=tag)
            (repairs.unlabelled if defined else repairs.undefined).append((concept, label))
            kept[tag] = label
        found.labels[concept] = list(kept.values())


__all__ = ["Classification", "Repairs", "level_name", "read_classification", "words"]
