"""Load a job architecture from files into one RDF dataset.

Each file becomes its own named graph (named by the file's URI), so that every
later message can say which file, and through :mod:`jobarch.lines`, which line
a node is defined at. Parsing never fetches anything: files are read and
decoded here, then handed to rdflib as text, and JSON-LD documents that point
to a remote ``@context`` are refused.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import JobarchError, Location
from .lines import LineIndex, scan
from .namespaces import ONTOLOGY_IRI
from .rdfstore import PreparedQueryMemory
from .resources import ontology_path

#: File extensions read as RDF, and the rdflib format of each.
RDF_FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json-ld": "json-ld",
}
_LINE_FORMATS = {"turtle", "nt", "trig"}

#: Files larger than this are refused unless the caller raises the limit.
DEFAULT_MAX_BYTES = 512 * 1024 * 1024


@dataclass
class Architecture:
    """The loaded architecture: a dataset with one named graph per file."""

    dataset: Dataset
    files: list[Path]
    _texts: dict[Path, str] = field(default_factory=dict, repr=False)
    _indexes: dict[Path, LineIndex] = field(default_factory=dict, repr=False)

    def graph_of(self, path: Path) -> Graph:
        return self.dataset.graph(URIRef(path.resolve().as_uri()))

    def union(self) -> Graph:
        """All triples of all files (and the ontology) as one read-only view."""
        return self.dataset

    def index(self, path: Path) -> LineIndex:
        """The line index of one file, built on first use."""
        if path not in self._indexes:
            text = self._texts.get(path)
            if text is None or RDF_FORMATS.get(path.suffix.lower()) not in _LINE_FORMATS:
                self._indexes[path] = LineIndex()
            else:
                self._indexes[path] = scan(text, path.resolve().as_uri())
        return self._indexes[path]

    def files_defining(self, node: Node) -> list[Path]:
        """The files in which ``node`` is a subject, in load order."""
        return [p for p in self.files if (node, None, None) in self.graph_of(p)]

    def locate(self, node: Node) -> Location | None:
        """Where ``node`` is defined: the file and line of its first statement block.

        A blank node is placed at the line of the ``[`` that opens it where
        that is unambiguous, else at a line holding one of its literals, else
        at its parent's predicate.
        """
        for path in self.files_defining(node):
            if isinstance(node, URIRef):
                block = self.index(path).first_block(str(node))
                return Location(path, block.start if block else None)
            return Location(path, self._bnode_line(path, node))
        for path in self._files_mentioning(node):  # used but defined nowhere: point at the use
            return Location(path, self._reference_line(path, node))
        return None

    def _reference_line(self, path: Path, node: Node) -> int | None:
        graph, index = self.graph_of(path), self.index(path)
        for owner, predicate in graph.subject_predicates(node):
            if isinstance(owner, URIRef) and (block := index.first_block(str(owner))):
                return block.predicates.get(str(predicate), block.start)
            if isinstance(owner, BNode):
                return self._bnode_line(path, owner)
        return None

    def _files_mentioning(self, node: Node) -> list[Path]:
        return [p for p in self.files if (None, None, node) in self.graph_of(p)]

    def _bnode_line(self, path: Path, node: Node, depth: int = 0) -> int | None:
        graph, index = self.graph_of(path), self.index(path)
        parent = next(iter(graph.subject_predicates(node)), None)
        if parent is None or depth > 8:
            return None
        owner, predicate = parent
        if isinstance(owner, BNode):
            return self._bnode_line(path, owner, depth + 1)
        block = index.first_block(str(owner))
        if block is None:
            return None
        openings = block.bnode_lines.get(str(predicate), [])
        if len(openings) == 1:
            return openings[0]
        for value in graph.objects(node, None):
            if isinstance(value, Literal):
                for line in index.strings.get(str(value), []):
                    if block.start <= line <= block.end:
                        return line
        return block.predicates.get(str(predicate), block.start)


def discover(paths: Iterable[Path | str]) -> list[Path]:
    """The RDF files named by ``paths``: files as given, directories walked in sorted order.

    Hidden files and directories are skipped; other files in a directory are
    ignored unless their extension is an RDF one. A file named explicitly must
    have an RDF extension.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise JobarchError("no such file or directory", Location(path))
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in RDF_FORMATS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                raise JobarchError(
                    "no RDF files found in this directory",
                    Location(path),
                    hint=f"jobarch reads files ending in {', '.join(sorted(RDF_FORMATS))}",
                )
            found.extend(files)
        elif path.suffix.lower() not in RDF_FORMATS:
            raise JobarchError(
                f"not an RDF file (unknown extension {path.suffix or '(none)'!r})",
                Location(path),
                hint=f"jobarch reads files ending in {', '.join(sorted(RDF_FORMATS))}",
            )
        else:
            found.append(path)
    seen: set[Path] = set()
    unique = []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a file as UTF-8, naming the line and column of the first bad byte."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise JobarchError(f"file is {size:,} bytes, over the limit of {max_bytes:,}", Location(path),
                               hint="raise the limit with --max-bytes if the file is meant to be this large")
        data = path.read_bytes()
    except OSError as exc:
        raise JobarchError(f"cannot read file: {exc.strerror}", Location(path)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise JobarchError(
            f"file is not UTF-8 (byte 0x{data[exc.start]:02x})", Location(path, line, col),
            hint="save the file as UTF-8",
        ) from None


def parse_file(path: Path, text: str | None = None) -> Graph:
    """Parse one file into a fresh graph named by the file's URI; errors carry path:line:col."""
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise JobarchError(f"not an RDF file (unknown extension {path.suffix!r})", Location(path))
    if text is None:
        text = read_text(path)
    uri = path.resolve().as_uri()
    if fmt == "json-ld":
        _check_json_ld(path, text)
    graph = Dataset() if fmt == "trig" else Graph(identifier=URIRef(uri))
    try:
        graph.parse(data=text, format=fmt, publicID=uri)
    except JobarchError:
        raise
    except Exception as exc:  # rdflib raises many types; each becomes path:line:col
        raise _syntax_error(path, text, exc) from None
    if fmt == "trig":
        flat = Graph(identifier=URIRef(uri))
        for s, p, o, _ in graph.quads((None, None, None, None)):
            flat.add((s, p, o))
        graph = flat
    return graph


def _check_json_ld(path: Path, text: str) -> None:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JobarchError(f"invalid JSON: {exc.msg}", Location(path, exc.lineno, exc.colno)) from None
    stack = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ctx = item.get("@context")
            remote = [c for c in (ctx if isinstance(ctx, list) else [ctx]) if isinstance(c, str)]
            if remote:
                raise JobarchError(
                    f"remote JSON-LD context {remote[0]!r} is not fetched", Location(path),
                    hint="inline the context in the document",
                )
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _syntax_error(path: Path, text: str, exc: Exception) -> JobarchError:
    raw = getattr(exc, "_str", None)
    offset = getattr(exc, "_i", None)
    why = getattr(exc, "_why", None) or str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(raw, bytes) and isinstance(offset, int):
        before = raw[:offset]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        return JobarchError(f"syntax error: {why}", Location(path, line, col), hint=_hint(why))
    match = re.search(r"line (\d+)", str(exc))
    return JobarchError(f"syntax error: {why}", Location(path, int(match.group(1)) if match else None), hint=_hint(why))


def _hint(why: str) -> str | None:
    match = re.search(r'Prefix "([^"]*):" not bound', why)
    if match:
        return f"declare it with '@prefix {match.group(1)}: <...> .' at the top of the file"
    if "newline found in string" in why:
        return 'close the string on the same line, or use """triple quotes""" for text over several lines'
    return None


def load(paths: Iterable[Path | str], *, with_ontology: bool = True) -> Architecture:
    """Load files and directories of RDF into one :class:`Architecture`.

    Loading the same files twice gives isomorphic datasets. The jobarch
    ontology is added as its own named graph so that queries can read labels
    and defaults from it.
    """
    files = discover(paths)
    store = PreparedQueryMemory()
    dataset = Dataset(store=store, default_union=True)
    store.graph = dataset
    texts: dict[Path, str] = {}
    for path in files:
        text = read_text(path)
        graph = parse_file(path, text)
        target = dataset.graph(graph.identifier)
        target += graph
        for prefix, ns in graph.namespaces():
            dataset.bind(prefix, ns, override=False)
        texts[path] = text
    if with_ontology:
        onto = dataset.graph(URIRef(ONTOLOGY_IRI))
        onto.parse(ontology_path(), format="turtle")
    return Architecture(dataset=dataset, files=files, _texts=texts)
