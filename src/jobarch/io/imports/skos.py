"""Import a SKOS classification of occupations as a jobarch architecture.

How the hierarchy maps (which depth is function, family, focus and profile,
how levels are read, what is folded) is planned from the data or the options
by :mod:`.skos_plan`, and can be shown before anything is written. The
result validates by construction: codes are minted from the source's
notations for jobarch's code shapes (the notation itself kept as
``skos:notation``, the source concept as ``skos:exactMatch``), a preferred
label the source repeats is made distinct with the original kept as an
alias, labels keep their language tags, profiles are drafts sourced to the
classification.

Input is read defensively: nothing is fetched, RDF/XML may not declare a
DOCTYPE or entities (no XXE, no entity expansion), the file size is capped,
and cycles or over-deep hierarchies are refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, SKOS
from rdflib.term import Node

from ...core.errors import JobarchError, Location
from ...core.files import read_text
from ...core.namespaces import JA
from ...graph.sources import graph_iri, parse_file
from .builder import DEFAULT_BASE, TRACK_NAMES, ArchitectureBuilder, slug
from .skos_plan import ImportPlan, SkosMapping, level_of, make_plan, notation

MAX_DEPTH = 32
MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)


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


def _read(path: Path) -> tuple[Graph, set, dict, dict, Node | None]:
    """The classification's concepts (of its largest scheme), each one's parent and depth, and the scheme."""
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
        concepts = schemes[scheme]
    parent: dict = {}
    for child, up in list(source.subject_objects(SKOS.broader)) + [
        (c, p) for p, c in source.subject_objects(SKOS.narrower)
    ]:
        if parent.setdefault(child, up) != up:
            raise JobarchError(
                f"{child} has two broader concepts: the hierarchy must be a tree to become a taxonomy", Location(path)
            )
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
    return source, concepts, parent, {c: depth[c] for c in concepts}, scheme


def plan_skos(path: Path, mapping: SkosMapping | None = None) -> ImportPlan:
    """What :func:`import_skos` would do with this classification (``jobarch import skos --plan``)."""
    source, _, parent, depth, _ = _read(path)
    return make_plan(source, depth, parent, mapping or SkosMapping())


def _alnum(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text)


def import_skos(path: Path, out_dir: Path, mapping: SkosMapping | None = None, base: str = DEFAULT_BASE) -> list[Path]:
    """Write the classification as an architecture that validates: codes minted from the source's notations
    (kept as ``skos:notation``, the source concept as ``skos:exactMatch``), labels made distinct where the source
    repeats them (the source label kept as an alias), unmapped depths folded in (see :mod:`.skos_plan`)."""
    source, concepts, parent, depth, scheme = _read(path)
    plan = make_plan(source, depth, parent, mapping or SkosMapping())
    b = ArchitectureBuilder(base, "en")
    ns, g = b.ns, b.graph(slug(path.stem))
    scheme_labels = list(source.objects(scheme, SKOS.prefLabel)) if scheme is not None else []
    arch = b.scheme(g, scheme_labels or [Literal(f"Imported from {path.name}", lang="en")])
    origin = b.source(
        g,
        f"Imported classification: {scheme_labels[0]}"
        if scheme_labels
        else f"Classification imported from {path.name}",
        JA.IndustryReferenceSource,
        local="classification",
    )
    b.track(g, plan.track)
    used_labels: set[tuple[str, str | None]] = set()

    def ancestor(node, at_depth: int):
        while depth[node] > at_depth:
            node = parent[node]
        return node

    def label(node, concept, fallback_suffix: str) -> None:
        """The concept's labels on the node, a preferred label already taken in its language made distinct."""
        labels = [v for v in source.objects(concept, SKOS.prefLabel) if isinstance(v, Literal)]
        for value in sorted(labels, key=lambda v: (v.language or "", str(v))):
            key = (str(value), value.language)
            if key in used_labels:
                g.add((node, SKOS.altLabel, value))
                value = Literal(f"{value} ({fallback_suffix})", lang=value.language)
                key = (str(value), value.language)
            used_labels.add(key)
            g.add((node, SKOS.prefLabel, value))
        for p in (SKOS.altLabel, SKOS.hiddenLabel, SKOS.definition, SKOS.scopeNote, SKOS.note):
            for other in source.objects(concept, p):
                if p not in (SKOS.altLabel, SKOS.hiddenLabel) or (node, SKOS.prefLabel, other) not in g:
                    g.add((node, p, other))
        own_code = g.value(node, JA.code)
        for code in source.objects(concept, SKOS.notation):  # the source's codes, but the one the code repeats
            if str(code) != str(own_code):
                g.add((node, SKOS.notation, code))
        for match in MATCHES:  # links the source states (a re-import of jobarch's own export keeps them)
            for target in source.objects(concept, match):
                g.add((node, match, target))
        if concept != node:
            g.add((node, SKOS.exactMatch, concept))

    nodes: dict = {}  # source concept -> the node it became
    codes: dict = {}
    taken: dict[str, set[str]] = {"function": set(), "family": set(), "focus": set()}
    kinds = (
        (plan.function_depth, JA.Function, "function"),
        (plan.family_depth, JA.JobFamily, "family"),
        (plan.focus_depth, JA.Focus, "focus"),
    )
    for at_depth, kind, name in kinds:
        for c in sorted((c for c in concepts if depth[c] == at_depth), key=str):
            code = _alnum(notation(source, c)) or slug(str(c)).upper().replace("-", "")
            if kind == JA.Focus:
                family_code = codes[ancestor(c, plan.family_depth)]
                code = code if code.startswith(family_code) else family_code + code
            unique, n = code, 1
            while unique in taken[name]:  # stable: concepts are taken in IRI order
                n += 1
                unique = f"{code}X{n}"
            taken[name].add(unique)
            codes[c] = unique
            node = nodes[c] = ns[name][unique]
            g.add((node, RDF.type, kind))
            g.add((node, JA.code, Literal(unique)))
            g.add((node, SKOS.inScheme, arch))
            label(node, c, unique)
            if kind == JA.Function:
                g.add((node, SKOS.topConceptOf, arch))
            else:
                up = plan.function_depth if kind == JA.JobFamily else plan.family_depth
                g.add((node, SKOS.broader, nodes[ancestor(c, up)]))
    levels: dict[str, int] = {}
    for c in sorted((c for c in concepts if depth[c] == plan.profile_depth), key=str):
        code = notation(source, c)
        level = level_of(code, plan.level_from, plan.track)
        if not level or not re.fullmatch(r"[A-Za-z]+\d+", level):
            raise JobarchError(
                f"cannot read a level from {code!r} ({c})",
                Location(path),
                hint="see the choices with --plan; --level-from none gives each concept one profile",
            )
        focus, fn = ancestor(c, plan.focus_depth), ancestor(c, plan.function_depth)
        profile_code = f"{codes[fn]}.{codes[focus]}.{level}"
        profile = ns["profile"][profile_code]
        if (profile, RDF.type, JA.JobProfile) in g:
            raise JobarchError(
                f"two concepts give profile {profile_code}",
                Location(path),
                hint="their levels collide: --level-from none makes each concept a focus with one profile",
            )
        levels[level] = int(level.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
        for triple in (
            (profile, RDF.type, JA.JobProfile),
            (profile, JA.code, Literal(profile_code)),
            (profile, SKOS.inScheme, arch),
            (profile, JA.focus, nodes[focus]),
            (profile, JA.level, ns["level"][level]),
            (profile, JA.status, JA.Draft),
            (profile, PROV.wasDerivedFrom, origin),
        ):
            g.add(triple)
        if plan.level_from == "none":  # the concept is the focus; its one profile is named as its page is
            for value in g.objects(nodes[focus], SKOS.prefLabel):  # the focus's label, already distinct
                language = value.language if isinstance(value, Literal) else None
                title = Literal(f"{value} — Level {level}", lang=language)
                used_labels.add((str(title), language))
                g.add((profile, SKOS.prefLabel, title))
            g.add((profile, SKOS.exactMatch, c))
        else:
            label(profile, c, f"Level {level}")
        nodes[c] = profile
    for c in sorted((c for c in concepts if depth[c] in plan.folded), key=str):
        into = nodes[ancestor(c, plan.folded[depth[c]])]
        for value in source.objects(c, SKOS.prefLabel):
            if (into, SKOS.prefLabel, value) not in g:
                g.add((into, SKOS.altLabel, value))
        for value in source.objects(c, SKOS.definition):
            g.add((into, SKOS.note, value))
        g.add((into, SKOS.narrowMatch, c))
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
        if letters != plan.track:
            other = ns["track"][letters]
            g.add((other, RDF.type, JA.Track))
            g.add((other, JA.code, Literal(letters)))
            g.add((other, SKOS.prefLabel, Literal(TRACK_NAMES.get(letters, letters), lang="en")))
    return b.write(out_dir, {slug(path.stem): [f"# Imported from the SKOS classification {path.name}."]})


def _letters(level: str) -> str:
    """The track letters of a level code (``P`` of ``P3``); the code was checked to be letters then digits."""
    return level.rstrip("0123456789")
