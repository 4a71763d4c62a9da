"""Import a SKOS classification of occupations as a jobarch architecture.

The source is read and repaired by :mod:`.skos_source`; how its hierarchy
maps (which depth is function, family, focus and profile, how levels are
read, what is folded or stood in for) is planned by :mod:`.skos_plan`, and
can be shown before anything is written. The result validates by
construction: codes are minted from the source's codes for jobarch's code
shapes (the source's own codes kept verbatim as ``skos:notation``, the
source concept linked with ``skos:exactMatch`` and, for every profile, a
classification mapping into the source's scheme, so that SSSOM, schema.org
and ESCO exports carry it), a preferred label the source repeats is made
distinct with the original kept as an alias, labels keep their language
tags, the words jobarch adds are in the source's language, profiles are
drafts sourced to the classification. A report of every repair and every
moved concept is written beside the files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ...core.errors import JobarchError, Location
from ...core.files import atomic_write
from ...core.namespaces import JA
from .builder import DEFAULT_BASE, TRACK_NAMES, ArchitectureBuilder, slug
from .skos_plan import ImportPlan, SkosMapping, level_of, make_plan
from .skos_source import Classification, level_name, own_words, read_classification

MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
MAPPING_SOURCE = "jobarch import skos"


@dataclass(frozen=True)
class _StandIn:
    """An occupation with nothing below it, standing in at a deeper mapped depth (its focus or profile)."""

    concept: Node
    depth: int

    def __str__(self) -> str:
        return f"{self.concept}#depth-{self.depth}"


def plan_skos(path: Path, mapping: SkosMapping | None = None) -> ImportPlan:
    """What :func:`import_skos` would do with this classification (``jobarch import skos --plan``)."""
    mapping = mapping or SkosMapping()
    return make_plan(read_classification(path, mapping.code_from), mapping)


def _alnum(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text)


def report_path(out_dir: Path, source: Path) -> Path:
    return out_dir / f"{slug(source.stem)}.import-report.txt"


def import_skos(path: Path, out_dir: Path, mapping: SkosMapping | None = None, base: str = DEFAULT_BASE) -> list[Path]:
    """Write the classification as an architecture that validates (see the module's docstring), and the report
    of what was repaired, moved, linked and folded beside it."""
    mapping = mapping or SkosMapping()
    found = read_classification(path, mapping.code_from)
    plan = make_plan(found, mapping)
    own = own_export_base(found)
    if base == DEFAULT_BASE:  # each classification its own namespace (and SSSOM mapping set), the same every time
        labels = sorted(found.scheme_labels, key=str)
        base = own or f"{DEFAULT_BASE}{slug(str(labels[0]) if labels else path.stem)}/"
    written = _Writer(found, plan, base, own).write(out_dir)
    report = report_path(out_dir, path)
    atomic_write(report, f"Import of the SKOS classification {path.name}\n\n" + plan.render(limit=None))
    return [*written, report]


def own_export_base(found: Classification) -> str | None:
    """The base of the architecture a jobarch SKOS export was made from (its scheme is ``BASE + architecture``,
    its functions ``BASE + function/…``), or None for anyone else's classification: a re-import of jobarch's
    own export keeps its IRIs, its level names and its sources."""
    scheme = str(found.scheme or "")
    if not scheme.endswith("/architecture"):
        return None
    base = scheme.removesuffix("architecture")
    return base if any(str(c).startswith(base + "function/") for c in found.concepts) else None


class _Writer:
    def __init__(self, found: Classification, plan: ImportPlan, base: str, own: str | None = None):
        self.found, self.plan, self.own = found, plan, own
        self.b = ArchitectureBuilder(base, "en")  # its own words (track names) are English
        self.g = self.b.graph(slug(found.path.stem))
        self.depth, self.parent = dict(found.depth), dict(found.parent)
        self.used_labels: set[tuple[str, str | None]] = set()
        self.nodes: dict = {}  # source concept (or stand-in) -> the node it became
        self.codes: dict = {}

    def source_of(self, key) -> Node:
        return key.concept if isinstance(key, _StandIn) else key

    def ancestor(self, key, at_depth: int):
        while self.depth[key] > at_depth:
            key = self.parent[key]
        return key

    def write(self, out_dir: Path) -> list[Path]:
        found, plan, b, g = self.found, self.plan, self.b, self.g
        self.arch = b.scheme(g, found.scheme_labels or [Literal(f"Imported from {found.path.name}", lang="en")])
        b.track(g, plan.track, own_words("track", found.language) if plan.track == "P" else None)
        self._stand_ins()
        kinds = (
            (plan.function_depth, JA.Function, "function"),
            (plan.family_depth, JA.JobFamily, "family"),
            (plan.focus_depth, JA.Focus, "focus"),
        )
        taken: set[str] = set()  # codes are unique across the architecture (a stand-in's focus is not its family)
        for at_depth, kind, name in kinds:
            for key in sorted((k for k, d in self.depth.items() if d == at_depth), key=str):
                self._taxon(key, kind, name, taken)
        levels = self._profiles()
        self._fold()
        self._levels(levels)
        header = [f"# Imported from the SKOS classification {found.path.name}."]
        return b.write(out_dir, {slug(found.path.stem): header})

    @cached_property
    def _origin(self) -> URIRef:
        """The classification as the profiles' source (made when the first profile without one needs it)."""
        label = self.found.scheme_labels[0] if self.found.scheme_labels else None
        title = own_words("source", self.found.language, label=label or self.found.path.name)
        return self.b.source(self.g, title, JA.IndustryReferenceSource, local="classification")

    @cached_property
    def _classification(self) -> URIRef:
        """The source's scheme, for the profiles' mappings (made when the first mapping needs it)."""
        scheme = URIRef(self.b.base + "classification")
        self.g.add((scheme, RDF.type, JA.ClassificationScheme))
        for value in self.found.scheme_labels or [Literal(f"Classification of {self.found.path.name}", lang="en")]:
            self.g.add((scheme, RDFS.label, value))
        return scheme

    def _sources(self, profile: URIRef, concept: Node) -> None:
        """Where the profile comes from: the sources a jobarch export names (``dct:source``), else the
        classification itself."""
        named = sorted(o for o in self.found.values(concept, DCTERMS.source) if isinstance(o, URIRef))
        for item in named:
            self.g.add((profile, PROV.wasDerivedFrom, item))
            for p in (RDF.type, DCTERMS.title):
                for value in self.found.values(item, p):
                    self.g.add((item, p, value))
        if not named:
            self.g.add((profile, PROV.wasDerivedFrom, self._origin))

    def _stand_ins(self) -> None:
        """Each occupation with nothing below it, above the profiles' depth, gets a stand-in at every mapped
        depth below its own, so that it becomes a focus with a profile like the others."""
        for leaf in self.plan.shallow:
            above = leaf
            for at in (m for m in self.plan.mapped_depths if m > self.depth[leaf]):
                stand_in = _StandIn(leaf, at)
                self.depth[stand_in], self.parent[stand_in] = at, above
                above = stand_in

    def _taxon(self, key, kind: URIRef, name: str, taken: set[str]) -> None:
        plan, found, g = self.plan, self.found, self.g
        code = _alnum(found.code(self.source_of(key))) or slug(str(key)).upper().replace("-", "")
        if kind == JA.Focus:
            family_code = self.codes[self.ancestor(key, plan.family_depth)]
            code = code if code.startswith(family_code) else family_code + code
        unique, n = code, 1
        while unique in taken:  # stable: concepts are taken in IRI order
            n += 1
            unique = f"{code}X{n}"
        taken.add(unique)
        self.codes[key] = unique
        node = self.nodes[key] = self.b.ns[name][unique]
        g.add((node, RDF.type, kind))
        g.add((node, JA.code, Literal(unique)))
        g.add((node, SKOS.inScheme, self.arch))
        self._describe(node, key, lambda language: unique)
        if kind == JA.Function:
            g.add((node, SKOS.topConceptOf, self.arch))
            up = self.source_of(key)
            while up in self.parent and self.depth.get(self.parent[up], 0) < plan.function_depth:
                up = self.parent[up]
                g.add((node, SKOS.broadMatch, up))  # a concept above the functions (--depths 2,3,4)
        else:
            up_depth = plan.function_depth if kind == JA.JobFamily else plan.family_depth
            g.add((node, SKOS.broader, self.nodes[self.ancestor(key, up_depth)]))

    def _describe(self, node: URIRef, key, suffix: Callable[[str | None], str]) -> None:
        """The concept's labels on the node (a preferred label already taken in its language made distinct with
        ``suffix``), its notes, its codes verbatim and its links."""
        g, found = self.g, self.found
        concept = self.source_of(key)
        for value in sorted(found.labels[concept], key=lambda v: (v.language or "", str(v))):
            key_ = (str(value), value.language)
            if key_ in self.used_labels:
                g.add((node, SKOS.altLabel, value))
                value = Literal(f"{value} ({suffix(value.language)})", lang=value.language)
                key_ = (str(value), value.language)
            self.used_labels.add(key_)
            g.add((node, SKOS.prefLabel, value))
        pref = set(g.objects(node, SKOS.prefLabel))
        demoted = [v for v in found.values(concept, SKOS.prefLabel) if v not in found.labels[concept]]
        for p, values in (
            (SKOS.altLabel, [*found.values(concept, SKOS.altLabel), *demoted]),
            (SKOS.hiddenLabel, list(found.values(concept, SKOS.hiddenLabel))),
        ):
            for alias in values:
                if alias not in pref:
                    g.add((node, p, alias))
        for p in (SKOS.definition, SKOS.scopeNote, SKOS.note):
            for note in found.values(concept, p):
                g.add((node, p, note))
        own_code = str(g.value(node, JA.code))
        for code in found.codes(concept):  # the source's codes verbatim, but the one jobarch's code repeats
            if str(code) != own_code:
                g.add((node, SKOS.notation, code))
        for match in MATCHES:  # links the source states (a re-import of jobarch's own export keeps them)
            for target in found.values(concept, match):
                g.add((node, match, target))
        for mapping in found.values(concept, JA.classificationMapping):  # a re-import keeps its mappings
            self._copy_mapping(node, mapping)
        if concept != node:
            g.add((node, SKOS.exactMatch, concept))

    def _copy_mapping(self, node: URIRef, mapping: Node) -> None:
        g, source = self.g, self.found.graph
        g.add((node, JA.classificationMapping, mapping))
        for p, o in source.predicate_objects(mapping):
            g.add((mapping, p, o))
        scheme = source.value(mapping, JA.mappingScheme)
        if scheme is not None and not str(scheme).startswith(str(JA)):  # the ontology's own schemes stay there
            for p, o in source.predicate_objects(scheme):
                g.add((scheme, p, o))

    def _profiles(self) -> dict[str, int]:
        plan, found, g, b = self.plan, self.found, self.g, self.b
        levels: dict[str, int] = {}
        for key in sorted((k for k, d in self.depth.items() if d == plan.profile_depth), key=str):
            concept = self.source_of(key)
            code = found.code(concept)
            level = f"{plan.track}1" if isinstance(key, _StandIn) else level_of(code, plan.level_from, plan.track)
            if not level or not re.fullmatch(r"[A-Za-z]+\d+", level):
                raise JobarchError(
                    f"cannot read a level from {code!r} ({concept})",
                    Location(found.path),
                    hint="see the choices with --plan; --level-from none gives each concept one profile",
                )
            focus, fn = self.ancestor(key, plan.focus_depth), self.ancestor(key, plan.function_depth)
            profile_code = f"{self.codes[fn]}.{self.codes[focus]}.{level}"
            profile = b.ns["profile"][profile_code]
            if (profile, RDF.type, JA.JobProfile) in g:
                raise JobarchError(
                    f"two concepts give profile {profile_code}",
                    Location(found.path),
                    hint="their levels collide: --level-from none makes each concept a focus with one profile",
                )
            levels[level] = int(level.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
            for triple in (
                (profile, RDF.type, JA.JobProfile),
                (profile, JA.code, Literal(profile_code)),
                (profile, SKOS.inScheme, self.arch),
                (profile, JA.focus, self.nodes[focus]),
                (profile, JA.level, b.ns["level"][level]),
                (profile, JA.status, JA.Draft),
            ):
                g.add(triple)
            self._sources(profile, concept)
            if plan.level_from == "none" or isinstance(key, _StandIn):  # named as its page is, after its focus
                for value in g.objects(self.nodes[focus], SKOS.prefLabel):  # the focus's label, already distinct
                    language = value.language if isinstance(value, Literal) else None
                    title = Literal(f"{value} — {level_name(level, language)}", lang=language)
                    self.used_labels.add((str(title), language))
                    g.add((profile, SKOS.prefLabel, title))
                g.add((profile, SKOS.exactMatch, concept))
            else:
                self._describe(profile, key, partial(_level_words, level))
            own_mappings = any(found.values(concept, JA.classificationMapping))
            if isinstance(concept, URIRef) and concept != profile and not own_mappings:
                b.mapping(
                    g,
                    profile,
                    1,
                    (self._classification, ""),
                    found.code(concept),
                    MAPPING_SOURCE,
                    concept=concept,
                    relation=SKOS.exactMatch,
                )
            self.nodes[key] = profile
        return levels

    def _fold(self) -> None:
        """Concepts of unmapped depths become aliases, notes and notations of the node above them (an
        occupation with nothing below it is a profile of its own instead)."""
        found, g = self.found, self.g
        shallow = set(self.plan.shallow)
        for c in sorted((c for c in found.concepts if self.depth[c] in self.plan.folded and c not in shallow), key=str):
            into = self.nodes[self.ancestor(c, self.plan.folded[self.depth[c]])]
            for value in {*found.labels[c], *found.values(c, SKOS.prefLabel)}:
                if (into, SKOS.prefLabel, value) not in g:
                    g.add((into, SKOS.altLabel, value))
            for value in found.values(c, SKOS.definition):
                g.add((into, SKOS.note, value))
            for code in found.codes(c):  # its codes too: the node stands for it in the architecture
                g.add((into, SKOS.notation, code))
            g.add((into, SKOS.narrowMatch, c))

    def _levels(self, levels: dict[str, int]) -> None:
        g, ns = self.g, self.b.ns
        for level, rank in levels.items():
            node = ns["level"][level]
            for triple in (
                (node, RDF.type, JA.Level),
                (node, JA.code, Literal(level)),
                (node, JA.track, ns["track"][_letters(level)]),
                (node, JA.rank, Literal(rank)),
                (node, JA.grade, Literal(rank)),
            ):
                g.add(triple)
            own = URIRef(f"{self.own}level/{level}") if self.own else None
            names = list(self.found.values(own, SKOS.prefLabel)) if own is not None else []
            for name in names or [level_name(level, language) for language in self.found.languages or [None]]:
                g.add((node, SKOS.prefLabel, name))  # its own names, else named in every language of the labels
            letters = _letters(level)
            if letters != self.plan.track:
                other = ns["track"][letters]
                g.add((other, RDF.type, JA.Track))
                g.add((other, JA.code, Literal(letters)))
                g.add((other, SKOS.prefLabel, Literal(TRACK_NAMES.get(letters, letters), lang="en")))


def _level_words(level: str, language: str | None) -> str:
    return str(level_name(level, language))


def _letters(level: str) -> str:
    """The track letters of a level code (``P`` of ``P3``); the code was checked to be letters then digits."""
    return level.rstrip("0123456789")
