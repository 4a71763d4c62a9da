"""Import a SKOS classification of occupations as a jobarch architecture.

Options say which depth of the hierarchy becomes function, family and focus
(top concepts are depth 1), and how the concepts one level below a focus give
a profile's level: ``last-digit`` (ISCO-like codes: 2131 is level 1 of minor
group 213) or ``notation-suffix`` (``FN.FOCUS.M2`` gives M2, as jobarch's own
SKOS export writes). Labels keep their language tags. The result is marked
draft and sourced to the classification, so that it validates.

Input is read defensively: nothing is fetched, RDF/XML may not declare a
DOCTYPE or entities (no XXE, no entity expansion), the file size is capped,
and cycles or over-deep hierarchies are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, SKOS

from ...core.errors import JobarchError, Location
from ...core.files import read_text
from ...core.namespaces import JA
from ...graph.sources import graph_iri, parse_file
from .builder import DEFAULT_BASE, TRACK_NAMES, ArchitectureBuilder, slug

MAX_DEPTH = 32
LEVEL_RULES = ("last-digit", "notation-suffix")


@dataclass(frozen=True)
class SkosMapping:
    function_depth: int = 1
    family_depth: int = 2
    focus_depth: int = 3
    level_from: str = "last-digit"
    track: str = "P"

    def check(self) -> None:
        if not 1 <= self.function_depth < self.family_depth < self.focus_depth <= MAX_DEPTH:
            raise JobarchError("depths must increase: function < family < focus", hint="e.g. --depths 1,2,3")
        if self.level_from not in LEVEL_RULES:
            raise JobarchError(f"unknown level rule {self.level_from!r}", hint="use " + " or ".join(LEVEL_RULES))


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


def _code(graph: Graph, concept, fallback: str) -> str:
    notation = graph.value(concept, SKOS.notation)
    raw = str(notation) if notation is not None else fallback
    return re.sub(r"[^A-Za-z0-9.]", "", raw) or slug(fallback).upper().replace("-", "")


def import_skos(
    path: Path, out_dir: Path, mapping: SkosMapping = SkosMapping(), base: str = DEFAULT_BASE
) -> list[Path]:
    mapping.check()
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
    if len(schemes) > 1:  # several schemes (a taxonomy and its skills, say): take the largest
        chosen = max(schemes, key=lambda s: (len(schemes[s]), str(s)))
        concepts = schemes[chosen]
    parent: dict = {}
    for child, up in list(source.subject_objects(SKOS.broader)) + [
        (c, p) for p, c in source.subject_objects(SKOS.narrower)
    ]:
        if parent.setdefault(child, up) != up:
            raise JobarchError(
                f"{child} has two broader concepts: the hierarchy must be a tree to become a taxonomy", Location(path)
            )
    depth: dict = {}

    def depth_of(node, seen=()) -> int:
        if node in depth:
            return depth[node]
        if node in seen or len(seen) > MAX_DEPTH:
            raise JobarchError(f"the hierarchy loops or is deeper than {MAX_DEPTH} at {node}", Location(path))
        depth[node] = 1 if node not in parent else depth_of(parent[node], (*seen, node)) + 1
        return depth[node]

    for c in concepts:
        depth_of(c)
    b = ArchitectureBuilder(base, "en")
    ns, g = b.ns, b.graph(slug(path.stem))
    scheme = max(schemes, key=lambda s: (len(schemes[s]), str(s))) if schemes else None
    scheme_labels = list(source.objects(scheme, SKOS.prefLabel)) if scheme is not None else []
    arch = b.scheme(g, scheme_labels or [Literal(f"Imported from {path.name}", lang="en")])
    origin = b.source(
        g,
        f"Classification imported from {path.name}" + (f" ({scheme_labels[0]})" if scheme_labels else ""),
        JA.IndustryReferenceSource,
        local="classification",
    )
    b.track(g, mapping.track)

    def ancestor(node, at_depth: int):
        while depth[node] > at_depth:
            node = parent[node]
        return node

    codes: dict = {}
    kinds = (
        (mapping.function_depth, JA.Function, "function"),
        (mapping.family_depth, JA.JobFamily, "family"),
        (mapping.focus_depth, JA.Focus, "focus"),
    )
    for at_depth, kind, name in kinds:
        for c in sorted((c for c in concepts if depth[c] == at_depth), key=str):
            code = _code(source, c, str(c).rsplit("/", 1)[-1])
            if kind == JA.Focus:
                family_code = codes[ancestor(c, mapping.family_depth)]
                code = code if code.startswith(family_code) else family_code + code
            codes[c] = code
            node = ns[name][code]
            g.add((node, RDF.type, kind))
            g.add((node, JA.code, Literal(code)))
            g.add((node, SKOS.inScheme, arch))
            for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.definition, SKOS.scopeNote):
                for value in source.objects(c, p):
                    g.add((node, p, value))
            g.add((node, SKOS.exactMatch, c))
            if kind == JA.Function:
                g.add((node, SKOS.topConceptOf, arch))
            else:
                up_depth, up_name = (
                    (mapping.function_depth, "function") if kind == JA.JobFamily else (mapping.family_depth, "family")
                )
                g.add((node, SKOS.broader, ns[up_name][codes[ancestor(c, up_depth)]]))
    levels: dict[str, int] = {}
    for c in sorted((c for c in concepts if depth[c] == mapping.focus_depth + 1), key=str):
        notation = _code(source, c, str(c).rsplit("/", 1)[-1])
        if mapping.level_from == "last-digit":
            digit = re.search(r"(\d)$", notation)
            level = f"{mapping.track}{int(digit.group(1)) or 1}" if digit else None
        else:
            level = notation.rsplit(".", 1)[-1] if "." in notation else None
        if not level or not re.fullmatch(r"[A-Za-z]+\d+", level):
            raise JobarchError(
                f"cannot read a level from {notation!r} ({c})",
                Location(path),
                hint="choose another --level-from, or give the concepts notations",
            )
        focus = ancestor(c, mapping.focus_depth)
        fn = ancestor(c, mapping.function_depth)
        profile_code = f"{codes[fn]}.{codes[focus]}.{level}"
        profile = ns["profile"][profile_code]
        if (profile, RDF.type, JA.JobProfile) in g:
            raise JobarchError(
                f"two concepts give profile {profile_code}", Location(path), hint="choose another --level-from"
            )
        levels[level] = int(level.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
        for triple in (
            (profile, RDF.type, JA.JobProfile),
            (profile, JA.code, Literal(profile_code)),
            (profile, SKOS.inScheme, arch),
            (profile, JA.focus, ns["focus"][codes[focus]]),
            (profile, JA.level, ns["level"][level]),
            (profile, JA.status, JA.Draft),
            (profile, PROV.wasDerivedFrom, origin),
            (profile, SKOS.exactMatch, c),
        ):
            g.add(triple)
        for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SKOS.definition):
            for value in source.objects(c, p):
                g.add((profile, p, value))
    for level, rank in levels.items():
        node = ns["level"][level]
        for triple in (
            (node, RDF.type, JA.Level),
            (node, JA.code, Literal(level)),
            (node, JA.track, ns["track"][_letters(level)]),
            (node, JA.rank, Literal(rank)),
            (node, JA.grade, Literal(rank)),
            (node, SKOS.prefLabel, Literal(f"Level {level}", lang="en")),
        ):
            g.add(triple)
        letters = _letters(level)
        if letters != mapping.track:
            other = ns["track"][letters]
            g.add((other, RDF.type, JA.Track))
            g.add((other, JA.code, Literal(letters)))
            g.add((other, SKOS.prefLabel, Literal(TRACK_NAMES.get(letters, letters), lang="en")))
    return b.write(out_dir, {slug(path.stem): [f"# Imported from the SKOS classification {path.name}."]})


def _letters(level: str) -> str:
    """The track letters of a level code (``P`` of ``P3``); the code was checked to be letters then digits."""
    return level.rstrip("0123456789")
