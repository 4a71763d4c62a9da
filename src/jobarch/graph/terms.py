"""RDF terms in the forms jobarch meets them, and the one set of conversions between them.

* rdflib terms (``URIRef``, ``BNode``, ``Literal``): the reference in-memory form;
* pyoxigraph terms: what the fast store answers with (converted only for the rows used);
* N-Triples strings (``<iri>``, ``_:b``, ``"lit"@en``): what the in-store reasoner joins on,
  one interned string per term;
* SPARQL 1.1 Query Results JSON bindings (``{"type": "uri", "value": ...}``): what a remote endpoint sends.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from ..core.errors import JobarchError
from ..core.languages import Text
from ..core.namespaces import SKOLEM_PREFIX
from .triples import Triple

_XSD_STRING = str(XSD.string)


def to_ox(term: Identifier) -> Any:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise TypeError(f"cannot convert {term!r}")


def from_ox(term: Any) -> Node | None:
    """A pyoxigraph term as an rdflib term (None stays None: an unbound variable).

    The same terms come back query after query (a level's IRI, a rubric's texts, a status label), and making an
    rdflib literal costs more than finding it (a profile page reads 900 terms: a third of its time), so
    the terms made last are kept: rdflib terms never change, one can serve every row that holds it."""
    return None if term is None else _from_ox(term)


@lru_cache(maxsize=1 << 16)
def _from_ox(term: Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    raise JobarchError(f"unsupported term from Oxigraph: {term!r}")


def triple_from_ox(triple: Any) -> tuple[Node, Node, Node]:
    """A pyoxigraph triple (or quad) as an rdflib triple."""
    s, p, o = from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)
    assert s is not None and p is not None and o is not None
    return s, p, o


def skolem(node: Any) -> Any:
    """A blank node as an IRI (``urn:jobarch:bnode:ID``), so that it can be named where only IRIs may stand."""
    return URIRef(SKOLEM_PREFIX + str(node)) if isinstance(node, BNode) else node


def unskolem(node: Any) -> Any:
    """The blank node behind a skolem IRI (anything else unchanged)."""
    if isinstance(node, URIRef) and str(node).startswith(SKOLEM_PREFIX):
        return BNode(str(node)[len(SKOLEM_PREFIX) :])
    return node


def to_binding(term: Node) -> dict[str, str]:
    """One bound term as the SPARQL results formats describe it: type, value, and a literal's language or datatype."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    entry = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            entry["xml:lang"] = term.language
        elif term.datatype and term.datatype != XSD.string:
            entry["datatype"] = str(term.datatype)
    return entry


def text(node: Node | None) -> str:
    """The lexical form of a term, or '' for an unbound one; a language-tagged literal's keeps its tag (Text)."""
    if node is None:
        return ""
    language = getattr(node, "language", None)
    return Text(str(node), language) if language else str(node)


def number(node: Node | None) -> float | int | None:
    """A numeric literal's value (decimals as floats), or None for anything else."""
    value = node.toPython() if isinstance(node, Literal) else None
    if isinstance(value, Decimal):
        value = float(value)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def integer(node: Node | None) -> int | None:
    """A numeric literal's value as an integer (ranks, grades, scores), or None."""
    value = number(node)
    return None if value is None else int(value)


def flag(node: Node | None) -> bool:
    """A boolean literal's value (False when unbound)."""
    return isinstance(node, Literal) and node.toPython() is True


def iri(node: Node | None) -> URIRef:
    """A term that the query guarantees to be an IRI (a bound subject): a JobarchError names a broken guarantee."""
    if not isinstance(node, URIRef):
        raise JobarchError(f"expected an IRI from the store, got {node!r}")
    return node


def parse_ntriples(triples: Iterable[Triple]) -> Any:
    """Triples of N-Triples strings as Oxigraph triples.

    Oxigraph's parser keeps blank-node labels (its bulk loader would not).
    """
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in triples).encode("utf-8")
    return ox.parse(text, ox.RdfFormat.N_TRIPLES)


def ntriples_to_rdflib(triples: Iterable[Triple]) -> list[tuple[Node | None, Node | None, Node | None]]:
    """N-Triples-string triples as rdflib terms, blank-node labels kept (rdflib's own parser would rename them)."""
    return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in parse_ntriples(triples)]


def term_ntriples(term: Node) -> str:
    """One rdflib term as the N-Triples string Oxigraph writes for it (``<iri>``, ``_:label``, ``"lex"@en``)."""
    return str(to_ox(term))  # type: ignore[arg-type]


def rdflib_to_ntriples(triple: tuple[Node, Node, Node]) -> Triple:
    """An rdflib triple as the strings Oxigraph writes for its terms."""
    s, p, o = (term_ntriples(term) for term in triple)
    return s, p, o


def graph_of(triples: Iterable[tuple]) -> Graph:
    """An rdflib graph holding the given triples (the reasoners and writers work on plain sets)."""
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph
