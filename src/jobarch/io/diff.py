"""`jobarch diff`: what changed between two versions of an architecture, by profile and section.

Only what changed is read. The two versions are compared file by file
(matched by their path under each side's root): a file whose bytes are the
same on both sides is skipped without being parsed. The changed files of each
side are parsed together (a subject moved from one changed file to another is
no change), and blank nodes are compared by content and owner
(:func:`jobarch.graph.canonical.by_content`): a responsibility is matched by
what it says, not by a parser's label, so editing its text shows as one
removed and one added. Changes are reported per subject (by code where it has
one) and per section (responsibilities, skills, ...). Names of the things a
change points at (a skill's label, a level's code) are looked up in the
changed files first, then in the other files of each side, smallest first,
only as far as needed.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import JobarchError, Location
from ..core.files import decode_utf8, digest, read_bytes
from ..core.namespaces import DCTERMS, JA, PREFIXES, PROV, RDF, SKOS
from ..core.vcs import changed_between, files_at
from ..graph.canonical import by_content, is_blank
from ..graph.sources import FILE_FORMATS, discover, file_triples
from ..graph.triples import Triple, literal_parts

SECTIONS = {
    JA.responsibility: "responsibilities",
    JA.requiresSkill: "skills",
    JA.skillRequirement: "skill requirements",
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
SECTION_OF = {f"<{iri}>": name for iri, name in SECTIONS.items()}
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
NAME_PREDICATES = (f"<{JA.code}>", f"<{SKOS.prefLabel}>", f"<{DCTERMS.title}>")  # a thing's name, best first
PROFILE_TYPE = (f"<{RDF.type}>", f"<{JA.JobProfile}>")
#: Namespaces whose terms the ontology names, never the data: a change that points at one reads no other file.
VOCABULARIES = tuple(f"<{ns}" for prefix, ns in PREFIXES.items() if prefix != "esco")
#: The base every side's files are read against, so that a relative IRI means the same on both sides.
DIFF_BASE = "file:///jobarch-diff/"


@dataclass
class SubjectChange:
    label: str
    status: str = "changed"  # added, removed or changed
    sections: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    iri: str = ""
    profile: bool = False

    def summary(self) -> str:
        if self.status != "changed":
            return f"{self.label}: {self.status}"
        return f"{self.label}: {self.details()}"

    def details(self) -> str:
        return "; ".join(f"{name} {self.section_text(name)}" for name in sorted(self.sections))

    def section_text(self, name: str, shown: Callable[[str], str] = str) -> str:
        """A section's change: the items added and removed where they have names, else how many."""
        added, removed = self.sections[name].get("+", []), self.sections[name].get("-", [])
        if name in NAMED_SECTIONS:
            return ", ".join([f"+{shown(a)}" for a in added] + [f"-{shown(r)}" for r in removed])
        return " ".join(x for x in (f"+{len(added)}" if added else "", f"-{len(removed)}" if removed else "") if x)

    @property
    def function(self) -> str:
        """The function a profile belongs to, read from its code (FUNCTION.FOCUS.LEVEL, which the shapes hold)."""
        return self.label.split(".", 1)[0] if self.profile and "." in self.label else ""


# ---------------------------------------------------------------------------- the two sides


@dataclass
class Side:
    """One version of an architecture: its files by path under its root, read only when asked."""

    files: dict[str, Path | bytes]  # a file on disk, or a file's bytes (from git)

    def content(self, name: str) -> bytes:
        item = self.files[name]
        return item if isinstance(item, bytes) else read_bytes(item)

    def triples(self, name: str) -> list[Triple]:
        item = self.files[name]
        path = item if isinstance(item, Path) else Path(name)
        text = decode_utf8(path, self.content(name))
        return file_triples(path, text, DIFF_BASE + name)

    def size(self, name: str) -> int:
        item = self.files[name]
        return len(item) if isinstance(item, bytes) else item.stat().st_size


def side_of(paths: Iterable[Path]) -> Side:
    """The RDF files under ``paths``, named by their path under the directory given (a file: by its name)."""
    files: dict[str, Path | bytes] = {}
    for root in paths:
        root = Path(root)
        for path in discover([root]):
            name = path.relative_to(root).as_posix() if root.is_dir() else path.name
            if name in files:
                raise JobarchError(f"two files named {name}", Location(path), hint="compare one directory per side")
            files[name] = path
    return Side(files)


def diff(old: list[Path], new: list[Path]) -> list[SubjectChange]:
    """Per-subject changes from the files under ``old`` to those under ``new`` (files or directories)."""
    return diff_sides(side_of(old), side_of(new))


def diff_git(revisions: str, paths: list[Path]) -> list[SubjectChange]:
    """``REV1..REV2`` (REV2 empty: the working tree) over the files under ``paths``: git names the files that
    differ, and only those are read at each revision."""
    first, _, second = revisions.partition("..")
    first = first or "HEAD"
    suffixes = tuple(FILE_FORMATS)
    changed = changed_between(first, second or None, paths, suffixes)
    old = Side(dict(files_at(first, paths, suffixes, only=changed).items()))
    if second:
        new = Side(dict(files_at(second, paths, suffixes, only=changed).items()))
    else:
        new = Side({name: path for name, path in changed.items() if path.exists()})
    others = _Others(paths, second)
    return diff_sides(old, new, others)


class _Others:
    """The files a git diff did not read, for names only: the working tree's (or REV2's) other files."""

    def __init__(self, paths: list[Path], revision: str):
        self.paths, self.revision = paths, revision

    def side(self) -> Side:
        if self.revision:
            return Side(dict(files_at(self.revision, self.paths, tuple(FILE_FORMATS)).items()))
        from ..core.vcs import top_level

        top = top_level(Path.cwd())
        return Side({p.resolve().relative_to(top).as_posix(): p for p in discover(self.paths)})


def diff_sides(old: Side, new: Side, others: _Others | None = None) -> list[SubjectChange]:
    """The changes between two sides, reading only the files whose bytes differ."""
    names = sorted(set(old.files) | set(new.files))
    changed = [
        n for n in names if n not in old.files or n not in new.files or digest(old.content(n)) != digest(new.content(n))
    ]
    size = sum(side.size(n) for side in (old, new) for n in changed if n in side.files)
    total = _FileDelta.sum(_file_deltas([(n, old.files.get(n), new.files.get(n)) for n in changed], size))
    if not total.removed and not total.added:
        return []
    names_of = _Names(total.named)
    wanted = {
        t
        for s, p, o in (*total.removed, *total.added)
        if s[0] == "<"
        for t in (s, o, p)
        if t[0] == "<" and not t.startswith(VOCABULARIES)
    }
    missing = names_of.missing(wanted)
    if missing:
        for side in (new, old) if others is None else (new, old, others.side()):
            for name in sorted((n for n in side.files if n not in changed), key=side.size):
                names_of.learn(side.triples(name))
                missing = names_of.missing(missing)
                if not missing:
                    break
            if not missing:
                break
    return _changes(total, names_of)


@dataclass
class _FileDelta:
    """What one file's two versions differ by (triples about named subjects, blank nodes by colour), and what a
    report needs from them: which subjects each version has, which are profiles, and the names they give."""

    removed: Counter[Triple] = field(default_factory=Counter)
    added: Counter[Triple] = field(default_factory=Counter)
    old_subjects: set[str] = field(default_factory=set)
    new_subjects: set[str] = field(default_factory=set)
    profiles: set[str] = field(default_factory=set)
    named: list[Triple] = field(default_factory=list)

    @classmethod
    def between(cls, item: tuple[str, Path | bytes | None, Path | bytes | None]) -> _FileDelta:
        name, old, new = item
        before = by_content(Side({name: old}).triples(name), inner=False) if old is not None else Counter()
        after = by_content(Side({name: new}).triples(name), inner=False) if new is not None else Counter()
        return cls(
            _less(before, after),
            _less(after, before),
            {s for s, _, _ in before},
            {s for s, _, _ in after},
            {s for side in (before, after) for s, p, o in side if (p, o) == PROFILE_TYPE},
            [t for side in (before, after) for t in side if t[1] in NAME_PREDICATES],
        )

    @classmethod
    def sum(cls, deltas: Iterable[_FileDelta]) -> _FileDelta:
        """All files' changes: a triple removed from one file and added to another (a subject moved) is none."""
        total = cls()
        for delta in deltas:
            for mine, theirs in ((total.removed, delta.removed), (total.added, delta.added)):
                if mine.keys().isdisjoint(theirs.keys()):
                    dict.update(mine, theirs)  # the common case, without Counter.update's loop in Python
                else:
                    mine.update(theirs)
            total.old_subjects |= delta.old_subjects
            total.new_subjects |= delta.new_subjects
            total.profiles |= delta.profiles
            total.named += delta.named
        for triple in total.removed.keys() & total.added.keys():
            moved = min(total.removed[triple], total.added[triple])
            total.removed[triple] -= moved
            total.added[triple] -= moved
        total.removed, total.added = +total.removed, +total.added  # counts down to zero dropped
        return total


#: Changed bytes past which the files are read by one process per core (below it, starting them costs more).
PARALLEL_BYTES = 4 * 1024 * 1024


def _file_deltas(work: list[tuple[str, Path | bytes | None, Path | bytes | None]], size: int) -> Iterable[_FileDelta]:
    """Each changed file's delta (``size``: the bytes of both versions). A blank node belongs to one file (its
    label means nothing outside it), so a file is coloured alone, and many files are compared in parallel, one
    process per core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cores < 2 or size < PARALLEL_BYTES or len(work) < 2:
        return map(_FileDelta.between, work)
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    # Forking is the cheapest start (nothing re-imported) and safe in a process with no other thread.
    fork = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    context = multiprocessing.get_context("fork" if fork else "spawn")
    with ProcessPoolExecutor(max_workers=min(cores, len(work)), mp_context=context) as pool:
        return list(pool.map(_FileDelta.between, work, chunksize=max(1, len(work) // (cores * 8))))


def _less(a: Counter[Triple], b: Counter[Triple]) -> Counter[Triple]:
    """``a - b`` (what ``a`` has more of), with set operations on the keys: nearly every count is one."""
    result = Counter({t: a[t] for t in a.keys() - b.keys()})
    for t in (t for t in a.keys() & b.keys() if a[t] != 1 or b[t] != 1):
        if a[t] > b[t]:
            result[t] = a[t] - b[t]
    return result


class _Names:
    """The name of each IRI: its code, else its preferred label, else its title, else the IRI itself."""

    def __init__(self, triples: Iterable[Triple]):
        self.best: dict[str, tuple[int, str]] = {}
        self._said: dict[str, str] = {}  # terms named so far (asked for once everything is learnt)
        self.learn(triples)

    def learn(self, triples: Iterable[Triple]) -> None:
        self._said.clear()
        for s, p, o in triples:
            if p in NAME_PREDICATES and o.startswith('"'):
                rank = NAME_PREDICATES.index(p)
                if s not in self.best or (rank, literal_parts(o)[0]) < self.best[s]:
                    self.best[s] = (rank, literal_parts(o)[0])

    def missing(self, iris: Iterable[str]) -> set[str]:
        return {i for i in iris if i not in self.best}

    def of(self, term: str) -> str:
        if term[0] == "_":  # a blank node has no name (its section counts it)
            return ""
        known = self._said.get(term)
        if known is None:
            known = self._said[term] = self._name(term)
        return known

    def _name(self, term: str) -> str:
        if term.startswith('"'):
            return literal_parts(term)[0]
        if is_blank(term):
            return ""
        if term in self.best:
            return self.best[term][1]
        iri = term[1:-1]
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
                return f"{prefix}:{iri[len(str(namespace)) :]}"
        return iri.removeprefix(DIFF_BASE)


def _changes(total: _FileDelta, names: _Names) -> list[SubjectChange]:
    old_subjects, new_subjects, profiles = total.old_subjects, total.new_subjects, total.profiles
    changes: dict[str, SubjectChange] = {}
    for sign, triples in (("-", total.removed), ("+", total.added)):
        # a triple inside a blank node is left out: its owner's triple changed too. The triples are grouped by
        # subject and predicate as they come; the order is made by the sorts below.
        grouped: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for (s, p, o), count in triples.items():
            if s[0] != "_":
                grouped[s][p].extend((o,) * count)
        for s, predicates in grouped.items():
            change = changes.get(s)
            if change is None:
                change = changes[s] = SubjectChange(names.of(s), iri=s[1:-1], profile=s in profiles)
            if s not in old_subjects:
                change.status = "added"
            elif s not in new_subjects:
                change.status = "removed"
            for p, objects in predicates.items():
                section_name = SECTION_OF.get(p) or names.of(p)
                change.sections.setdefault(section_name, {}).setdefault(sign, []).extend(map(names.of, objects))
    for change in changes.values():
        for section in change.sections.values():
            for items in section.values():
                items.sort()
    return sorted(changes.values(), key=lambda c: (c.label, c.iri))


# ---------------------------------------------------------------------------- reports


def render(changes: list[SubjectChange], fmt: str) -> str:
    """Text (a line per subject), JSON (stable keys, for tools) or Markdown (a pull request's summary)."""
    if fmt == "json":
        records = [
            {"subject": c.label, "iri": c.iri, "status": c.status, "profile": c.profile, "sections": c.sections}
            for c in changes
        ]
        return json.dumps(records, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if fmt == "md":
        return _markdown(changes)
    return "".join(c.summary() + "\n" for c in changes) or "no changes\n"


def _markdown(changes: list[SubjectChange]) -> str:
    from ..core.text import markdown_cell, markdown_text

    if not changes:
        return "No changes to the architecture.\n"
    profiles = [c for c in changes if c.profile]
    counts: dict[str, Counter[str]] = {}
    for change in profiles:
        counts.setdefault(change.function, Counter())[change.status] += 1
    lines = ["## Architecture changes", ""]
    if profiles:
        lines += ["| function | profiles added | removed | changed |", "|---|---:|---:|---:|"]
        for function in sorted(counts):
            c = counts[function]
            lines.append(f"| {markdown_cell(function)} | {c['added']} | {c['removed']} | {c['changed']} |")
        lines.append("")
    groups: dict[str, list[SubjectChange]] = {}
    for change in changes:
        groups.setdefault(change.function or "", []).append(change)
    for function in sorted(groups, key=lambda f: (f == "", f)):
        lines += [f"### {markdown_text(function) if function else 'Other changes'}", ""]
        for change in groups[function]:
            lines.append(f"- **{markdown_text(change.label)}** ({change.status})")
            for name in sorted(change.sections):
                lines.append(f"  - {name}: {change.section_text(name, markdown_text)}")
        lines.append("")
    return "\n".join(lines)
