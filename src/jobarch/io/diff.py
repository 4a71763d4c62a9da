"""`jobarch diff`: what changed between two versions of an architecture, by profile and section.

Both sides are canonicalised (blank nodes named by their content), so a
responsibility is matched by what it says, not by a parser's label: editing
its text shows as one removed and one added. Changes are reported per subject
(by code where it has one) and per section (responsibilities, skills, ...).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import DCTERMS, PROV, SKOS

from ..core.errors import JobarchError
from ..core.namespaces import JA
from ..core.vcs import files_at
from ..graph.architecture import load
from ..graph.sources import FILE_FORMATS

SECTIONS = {
    JA.responsibility: "responsibilities",
    JA.requiresSkill: "skills",
    PROV.wasDerivedFrom: "sources",
    JA.qualityAssessment: "quality",
    JA.classificationMapping: "mappings",
    SKOS.prefLabel: "title",
    SKOS.altLabel: "aliases",
    SKOS.hiddenLabel: "aliases",
    SKOS.definition: "definition",
    JA.level: "level",
    JA.focus: "focus",
    JA.status: "status",
    SKOS.broader: "taxonomy",
    JA.distinctFrom: "distinct from",
}
NAMED_SECTIONS = {
    "skills",
    "sources",
    "aliases",
    "title",
    "status",
    "level",
    "focus",
    "taxonomy",
    "distinct from",
    "definition",
}


@dataclass
class SubjectChange:
    label: str
    status: str = "changed"  # added, removed or changed
    sections: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def summary(self) -> str:
        if self.status != "changed":
            return f"{self.label}: {self.status}"
        parts = []
        for name in sorted(self.sections):
            added, removed = self.sections[name].get("+", []), self.sections[name].get("-", [])
            if name in NAMED_SECTIONS:
                items = [f"+{a}" for a in added] + [f"-{r}" for r in removed]
                parts.append(f"{name} " + ", ".join(items))
            else:
                parts.append(
                    f"{name} "
                    + " ".join(
                        x for x in (f"+{len(added)}" if added else "", f"-{len(removed)}" if removed else "") if x
                    )
                )
        return f"{self.label}: " + "; ".join(parts)


def _union(paths: list[Path]) -> Graph:
    arch = load(paths, with_ontology=False)
    graph = Graph()
    for path in arch.files:
        graph += arch.graph_of(path)
    return graph


def _name(graph: Graph, node) -> str:
    if isinstance(node, Literal):
        return str(node)
    for p in (JA.code, SKOS.prefLabel, DCTERMS.title):
        value = graph.value(node, p)
        if value is not None:
            return str(value)
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.curie(node, generate=False)
        except (KeyError, ValueError):
            return str(node)
    return "[]"


def diff_graphs(old: Graph, new: Graph) -> list[SubjectChange]:
    """Per-subject changes between two graphs, blank nodes matched by structure."""
    _, only_old, only_new = graph_diff(to_isomorphic(old), to_isomorphic(new))
    old_subjects, new_subjects = set(old.subjects()), set(new.subjects())
    changes: dict[URIRef, SubjectChange] = {}
    for sign, triples, graph in (("-", only_old, old), ("+", only_new, new)):
        for s, p, o in triples:
            if not isinstance(s, URIRef):
                continue  # inside a blank node: its owner's triple changed too
            change = changes.setdefault(s, SubjectChange(_name(new if s in new_subjects else old, s)))
            if s not in old_subjects:
                change.status = "added"
            elif s not in new_subjects:
                change.status = "removed"
            name = (SECTIONS.get(p) if isinstance(p, URIRef) else None) or _name(graph, p)
            change.sections.setdefault(name, {}).setdefault(sign, []).append(
                _name(graph, o) if not isinstance(o, BNode) else ""
            )
    for change in changes.values():
        for section in change.sections.values():
            for items in section.values():
                items.sort()
    return sorted(changes.values(), key=lambda c: c.label)


def _checkout(revision: str, paths: list[Path], into: Path) -> list[Path]:
    """The RDF files under ``paths`` as they were at ``revision``, written below ``into``."""
    written = []
    for name, content in files_at(revision, paths, suffixes=tuple(FILE_FORMATS)).items():
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
    if not written:
        raise JobarchError(f"no RDF files under {', '.join(str(p) for p in paths)} at {revision}")
    return written


def diff(old: list[Path], new: list[Path]) -> list[SubjectChange]:
    return diff_graphs(_union(old), _union(new))


def diff_git(revisions: str, paths: list[Path]) -> list[SubjectChange]:
    """``REV1..REV2`` (REV2 empty: the working tree) over the files under ``paths``."""
    first, _, second = revisions.partition("..")
    with tempfile.TemporaryDirectory() as tmp:
        old = _checkout(first or "HEAD", paths, Path(tmp) / "old")
        new = _checkout(second, paths, Path(tmp) / "new") if second else paths
        return diff(old, list(new))


def render(changes: list[SubjectChange], fmt: str) -> str:
    if fmt == "json":
        return (
            json.dumps(
                [{"subject": c.label, "status": c.status, "sections": c.sections} for c in changes],
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    if fmt == "md":
        if not changes:
            return "No changes.\n"
        return "\n".join(f"- **{c.label}**: {c.summary().split(': ', 1)[1]}" for c in changes) + "\n"
    return "".join(c.summary() + "\n" for c in changes) or "no changes\n"
