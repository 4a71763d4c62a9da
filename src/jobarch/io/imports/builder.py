"""One way to build an architecture from outside data: the triples every importer writes, and the write step.

The CSV, page and SKOS importers parse their own input and call this
builder, so a function, a profile, a responsibility or a mapping is written
the same way whatever it came from. :meth:`ArchitectureBuilder.write` puts
each output file's graph into jobarch's canonical Turtle, atomically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ...core.files import atomic_write
from ...core.namespaces import JA, PREFIX_IRIS
from ...core.resources import ontology_path
from ...graph.turtle import canonical_turtle

DEFAULT_BASE = "https://example.org/jobarch/imported/"
TRACK_NAMES = {"M": "Management", "P": "Professional"}
KINDS = ("function", "family", "focus", "profile", "level", "track", "skill", "source", "quality", "rubric")
TAXON_CLASSES = {"function": JA.Function, "family": JA.JobFamily, "focus": JA.Focus}


def slug(text: str) -> str:
    """A lowercase, hyphenated local name for a label (IRIs and file names)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


@cache
def classification_schemes() -> dict[str, tuple[URIRef, str]]:
    """The ontology's classification schemes by label: (IRI, concept base)."""
    onto = Graph().parse(ontology_path(), format="turtle")
    found = {}
    for scheme in onto.subjects(RDF.type, JA.ClassificationScheme):
        label, base = onto.value(scheme, RDFS.label), onto.value(scheme, JA.conceptBase)
        if label is not None:
            found[str(label)] = (URIRef(str(scheme)), str(base or ""))
    return found


@dataclass
class ArchitectureBuilder:
    """Triples for an imported architecture, in one graph per output file."""

    base: str = DEFAULT_BASE
    lang: str = "en"
    graphs: dict[str, Graph] = field(default_factory=dict)
    minted: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, source code) -> jobarch's code
    taken: set[tuple[str, str]] = field(default_factory=set)  # (kind, jobarch's code) given out

    def mint(self, kind: str, code: str) -> str:
        """jobarch's code for a source code: its letters and digits (``11-1011.00`` -> ``11101100``), made
        distinct from the other codes of the kind, the same for the same source code in every import."""
        if (kind, code) in self.minted:
            return self.minted[(kind, code)]
        base = re.sub(r"[^A-Za-z0-9]", "", code) or "X"
        minted, n = base, 1
        while (kind, minted) in self.taken:
            n += 1
            minted = f"{base}X{n}"
        self.minted[(kind, code)] = minted
        self.taken.add((kind, minted))
        return minted

    def __post_init__(self) -> None:
        self.ns = {kind: Namespace(self.base + kind + "/") for kind in KINDS}
        self.architecture = URIRef(self.base + "architecture")
        self.skills_scheme = URIRef(self.base + "skills")

    # ------------------------------------------------------------------ basics
    def graph(self, name: str) -> Graph:
        """The graph of one output file (created on first use)."""
        return self.graphs.setdefault(name, Graph(store="SimpleMemory"))  # no contexts: a third faster to fill

    def text(self, value: str | Literal) -> Literal:
        """A text in the import's language (a Literal keeps its own)."""
        return value if isinstance(value, Literal) else Literal(value, lang=self.lang)

    def iri(self, kind: str, local: str) -> URIRef:
        return self.ns[kind][local]

    def scheme(self, g: Graph, label: str | Literal | list) -> URIRef:
        g.add((self.architecture, RDF.type, JA.JobArchitecture))
        for item in label if isinstance(label, list) else [label]:
            g.add((self.architecture, SKOS.prefLabel, item if isinstance(item, Literal) else self.text(item)))
        return self.architecture

    # ------------------------------------------------------------------ taxonomy
    def taxon(self, g: Graph, kind: str, code: str, label: str | None = None, parent: URIRef | None = None) -> URIRef:
        """A function (top concept), family or focus (under ``parent``), with its code, in the architecture's scheme."""
        node = self.iri(kind, code)
        g.add((node, RDF.type, TAXON_CLASSES[kind]))
        g.add((node, JA.code, Literal(code)))
        g.add((node, SKOS.inScheme, self.architecture))
        if label:
            g.add((node, SKOS.prefLabel, self.text(label)))
        if kind == "function":
            g.add((node, SKOS.topConceptOf, self.architecture))
        elif parent is not None:
            g.add((node, SKOS.broader, parent))
        return node

    def track(self, g: Graph, code: str, label: str | Literal | None = None) -> URIRef:
        node = self.iri("track", code)
        g.add((node, RDF.type, JA.Track))
        g.add((node, JA.code, Literal(code)))
        g.add((node, SKOS.prefLabel, self.text(label or TRACK_NAMES.get(code, code))))
        return node

    def level(
        self,
        g: Graph,
        code: str,
        track: URIRef | None = None,
        rank: int | None = None,
        grade: int | None = None,
        label: str | None = None,
    ) -> URIRef:
        node = self.iri("level", code)
        g.add((node, RDF.type, JA.Level))
        g.add((node, JA.code, Literal(code)))
        if track is not None:
            g.add((node, JA.track, track))
        if rank is not None:
            g.add((node, JA.rank, Literal(rank)))
        if grade is not None:
            g.add((node, JA.grade, Literal(grade)))
        if label:
            g.add((node, SKOS.prefLabel, self.text(label)))
        return node

    # ------------------------------------------------------------------ profiles
    def profile(self, g: Graph, code: str, focus: URIRef, level: URIRef, title: str | None = None) -> URIRef:
        node = self.iri("profile", code)
        g.add((node, RDF.type, JA.JobProfile))
        g.add((node, JA.code, Literal(code)))
        g.add((node, SKOS.inScheme, self.architecture))
        g.add((node, JA.focus, focus))
        g.add((node, JA.level, level))
        if title:
            g.add((node, SKOS.prefLabel, self.text(title)))
        return node

    def responsibilities(self, g: Graph, profile: URIRef, sentences: list[str]) -> None:
        for i, sentence in enumerate(sentences, 1):
            node = URIRef(f"{profile}/responsibility/{i}")
            g.add((profile, JA.responsibility, node))
            g.add((node, JA.order, Literal(i)))
            g.add((node, JA.text, self.text(sentence)))

    def skill(self, g: Graph, label: str, definition: str | None = None, order: int | None = None) -> URIRef:
        node = self.iri("skill", slug(label))
        g.add((node, RDF.type, JA.Skill))
        g.add((node, SKOS.prefLabel, self.text(label)))
        g.add((node, SKOS.inScheme, self.skills_scheme))
        if definition:
            g.add((node, SKOS.definition, self.text(definition)))
        if order is not None:
            g.add((node, JA.order, Literal(order)))
        return node

    def requirement(
        self,
        g: Graph,
        holder: URIRef,
        skill: URIRef,
        proficiency: int | None = None,
        importance: Decimal | None = None,
        essential: bool = True,
    ) -> URIRef:
        """A skill requirement of a focus or profile (named after both, so a re-import gives the same IRIs)."""
        node = URIRef(f"{holder}/skill/{str(skill).rsplit('/', 1)[-1]}")
        g.add((holder, JA.skillRequirement, node))
        g.add((node, RDF.type, JA.SkillRequirement))
        g.add((node, JA.skill, skill))
        g.add((node, JA.relationType, JA.Essential if essential else JA.Optional))
        if proficiency is not None:
            g.add((node, JA.proficiency, Literal(proficiency)))
        if importance is not None:
            g.add((node, JA.importance, Literal(importance, datatype=XSD.decimal)))
        return node

    def proficiency_scale(self, g: Graph, label: str, steps: list[tuple[int, str, str]]) -> URIRef:
        """The architecture's proficiency scale: (value, name, anchor) per step."""
        scale = URIRef(self.base + "proficiency")
        g.add((scale, RDF.type, JA.ProficiencyScale))
        g.add((scale, SKOS.prefLabel, self.text(label)))
        for value, name, anchor in steps:
            step = URIRef(f"{scale}/{value}")
            g.add((step, RDF.type, JA.ProficiencyLevel))
            g.add((step, JA.order, Literal(value)))
            g.add((step, SKOS.prefLabel, self.text(name)))
            g.add((step, SKOS.definition, self.text(anchor)))
            g.add((step, SKOS.inScheme, scale))
        return scale

    def source(
        self,
        g: Graph,
        title: str | Literal,
        kind: URIRef = JA.Source,
        order: int | None = None,
        local: str | None = None,
    ) -> URIRef:
        node = self.iri("source", local or slug(title))
        g.add((node, RDF.type, kind))
        g.add((node, DCTERMS.title, self.text(title)))
        if order is not None:
            g.add((node, JA.order, Literal(order)))
        return node

    def derived_from(self, g: Graph, profile: URIRef, source: URIRef) -> None:
        g.add((profile, PROV.wasDerivedFrom, source))

    def quality(self, g: Graph, shared: Graph, profile: URIRef, scores: list[tuple[str, int]]) -> None:
        """A quality assessment with one score per dimension (the dimensions go into ``shared``)."""
        assessment = URIRef(f"{profile}/quality")
        g.add((profile, JA.qualityAssessment, assessment))
        g.add((assessment, RDF.type, JA.QualityAssessment))
        for name, score in scores:
            dimension = self.iri("quality", slug(name))
            shared.add((dimension, RDF.type, JA.QualityDimension))
            shared.add((dimension, SKOS.prefLabel, self.text(name)))
            entry = URIRef(f"{assessment}/{slug(name)}")
            g.add((assessment, JA.dimensionScore, entry))
            g.add((entry, JA.qualityDimension, dimension))
            g.add((entry, JA.score, Literal(score)))

    def mapping(
        self,
        g: Graph,
        profile: URIRef,
        number: int,
        scheme: tuple[URIRef, str],
        code: str,
        source: str,
        confidence: Decimal | None = None,
        concept: URIRef | None = None,
        relation: URIRef = SKOS.closeMatch,
    ) -> URIRef:
        """A classification mapping to ``code`` of ``scheme`` (IRI, concept base), and the SKOS link to the concept."""
        mapping = URIRef(f"{profile}/mapping/{number}")
        concept = concept if concept is not None else URIRef(scheme[1] + code)
        g.add((profile, JA.classificationMapping, mapping))
        g.add((mapping, RDF.type, JA.ClassificationMapping))
        g.add((mapping, JA.mappingScheme, scheme[0]))
        g.add((mapping, JA.mappedCode, Literal(code)))
        g.add((mapping, JA.mappedConcept, concept))
        g.add((mapping, JA.mappingSource, Literal(source)))
        if confidence is not None:
            g.add((mapping, JA.confidence, Literal(confidence, datatype=XSD.decimal)))
        g.add((profile, relation, concept))
        return mapping

    # ------------------------------------------------------------------ writing
    def prefixes(self) -> dict[str, str]:
        return {**PREFIX_IRIS, **{k: str(v) for k, v in self.ns.items()}, "arch": self.base}

    def write(self, out_dir: Path, headers: dict[str, list[str]], prefixes: dict[str, str] | None = None) -> list[Path]:
        """Every graph to ``out_dir/NAME.ttl`` in canonical Turtle, atomically; returns the files in name order."""
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for name in sorted(self.graphs, key=lambda n: (n != "architecture", n)):
            target = out_dir / f"{name}.ttl"
            atomic_write(target, canonical_turtle(self.graphs[name], prefixes or PREFIX_IRIS, headers.get(name, [])))
            written.append(target)
        return written
