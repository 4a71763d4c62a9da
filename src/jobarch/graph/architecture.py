"""A job architecture loaded with rdflib: one dataset, one named graph per file.

Each file becomes its own named graph (named by the file's URI), so that every
later message can say which file, and through :mod:`jobarch.graph.lines`,
which line a node is defined at. This is the reference in-memory form; the
fast stores hold the same graphs (see :mod:`jobarch.store`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from ..core.errors import Location
from ..core.files import read_text
from ..core.namespaces import ONTOLOGY_IRI
from ..core.resources import ontology_path
from .lines import LineIndex, scan
from .sources import LINE_FORMATS, bind_declared_prefixes, discover, file_format, graph_iri, parse_file


@dataclass
class Architecture:
    """The loaded architecture: a dataset with one named graph per file."""

    dataset: Dataset
    files: list[Path]
    _texts: dict[Path, str] = field(default_factory=dict, repr=False)
    _indexes: dict[Path, LineIndex] = field(default_factory=dict, repr=False)

    def graph_of(self, path: Path) -> Graph:
        return self.dataset.graph(URIRef(graph_iri(path)))

    def index(self, path: Path) -> LineIndex:
        """The line index of one file, built on first use."""
        if path not in self._indexes:
            text = self._texts.get(path)
            if text is None or file_format(path) not in LINE_FORMATS:
                self._indexes[path] = LineIndex()
            else:
                self._indexes[path] = scan(text, graph_iri(path))
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
        """The first line of the file that uses ``node`` (whatever order the graph keeps its triples in)."""
        graph, index = self.graph_of(path), self.index(path)
        lines = []
        for owner, predicate in graph.subject_predicates(node):
            if isinstance(owner, URIRef) and (block := index.first_block(str(owner))):
                lines.append(block.predicates.get(str(predicate), block.start))
            elif isinstance(owner, BNode) and (line := self._bnode_line(path, owner)) is not None:
                lines.append(line)
        return min(lines, default=None)

    def _files_mentioning(self, node: Node) -> list[Path]:
        return [p for p in self.files if (None, None, node) in self.graph_of(p)]

    def _bnode_line(self, path: Path, node: Node, depth: int = 0) -> int | None:
        graph, index = self.graph_of(path), self.index(path)
        parent = first_parent(graph, node)
        if parent is None or depth > 8:
            return None
        owner, predicate = parent
        if isinstance(owner, BNode):
            return self._bnode_line(path, owner, depth + 1)
        blocks = index.subjects.get(str(owner), [])
        if not blocks:
            return None
        # an owner may be written in several blocks (a statement added further down): the ones with the predicate
        block = next((b for b in blocks if str(predicate) in b.predicates), blocks[0])
        openings = [line for b in blocks for line in b.bnode_lines.get(str(predicate), [])]
        if len(openings) == 1:
            return openings[0]
        for value in graph.objects(node, None):
            if isinstance(value, Literal):
                for line in index.strings.get(str(value), []):
                    if any(b.start <= line <= b.end for b in blocks):
                        return line
        return block.predicates.get(str(predicate), block.start)


def first_parent(graph: Graph, node: Node) -> tuple[Node, Node] | None:
    """The statement pointing at a blank node, the same one whatever order the graph keeps (named owners first)."""
    parents = list(graph.subject_predicates(node))
    return min(parents, key=lambda sp: (isinstance(sp[0], BNode), str(sp[0]), str(sp[1])), default=None)


def load(paths: Iterable[Path | str], *, with_ontology: bool = True) -> Architecture:
    """Load files and directories of RDF into one :class:`Architecture`.

    Loading the same files twice gives isomorphic datasets. The jobarch
    ontology is added as its own named graph so that queries can read labels
    and defaults from it.
    """
    from .planner import PreparedQueryMemory  # rdflib's SPARQL engine, for the commands that load into memory

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
        texts[path] = text
    bind_declared_prefixes(dataset, [*texts.values(), read_text(ontology_path())])  # the ontology's last
    if with_ontology:
        onto = dataset.graph(URIRef(ONTOLOGY_IRI))
        onto.parse(ontology_path(), format="turtle")
    return Architecture(dataset=dataset, files=files, _texts=texts)
