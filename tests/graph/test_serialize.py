"""Every RDF syntax jobarch writes reads back to the same graph, lexical forms and all, in the same bytes."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS, XSD

from jobarch.cli import main
from jobarch.core.errors import JobarchError
from jobarch.graph.serialize import SERIALIZATIONS, serialize_graph

EX = Namespace("https://example.org/x/")
PARSERS = {"turtle": "turtle", "nt": "nt", "json-ld": "json-ld", "xml": "xml"}


def awkward_graph() -> Graph:
    """Terms that trip writers: escapes, odd lexical forms, language tags, IRIs that are not prefixable."""
    g = Graph()
    s = EX["profile/A1"]
    node, inner = BNode(), BNode()
    g.add((s, RDF.type, EX.Thing))
    g.add(
        (s, SKOS.prefLabel, Literal('quote " backslash \\ newline \n tab \t done', lang="en-gb"))
    )  # Oxigraph writes tags in lower case
    g.add((s, SKOS.altLabel, Literal("Ünïcödé — 職務 \U0001f600", lang="de")))
    g.add((s, EX.ratio, Literal("0.50", datatype=XSD.decimal)))
    g.add((s, EX.flag, Literal("true", datatype=XSD.boolean)))
    g.add((s, EX.custom, Literal("x", datatype=URIRef("https://example.org/dt#code"))))
    g.add((s, EX.plain, Literal("")))
    g.add((s, EX["link"], URIRef("https://example.org/x///slashes")))  # "x:" + "//…" would read as an IRI
    g.add((s, EX.part, node))
    g.add((node, EX.score, Literal(5)))
    g.add((node, EX.nested, inner))
    g.add((inner, RDF.value, Literal("deep")))
    g.add((s, EX.other, URIRef("urn:isbn:0451450523")))
    return g


@pytest.mark.parametrize("fmt", list(SERIALIZATIONS))
def test_every_syntax_reads_back_to_the_same_graph(fmt):
    original = awkward_graph()
    text = serialize_graph(original, fmt)
    back = Graph().parse(data=text, format=PARSERS[fmt])
    assert isomorphic(original, back), text


@pytest.mark.parametrize("fmt", list(SERIALIZATIONS))
def test_export_keeps_lexical_forms_as_written(write, runner, fmt):
    """rdflib would read "007"^^xsd:integer as 7; the export keeps what the curator wrote."""
    path = write(
        "a.ttl",
        '<https://example.org/a> <https://example.org/n> "007"^^<http://www.w3.org/2001/XMLSchema#integer> , "1.50"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n',
    )
    result = runner.invoke(main, ["export", "rdf", "--rdf-format", fmt, "--data", str(path)])
    assert result.exit_code == 0, result.output
    formats = {
        "turtle": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "json-ld": ox.RdfFormat.JSON_LD,
        "xml": ox.RdfFormat.RDF_XML,
    }
    objects = {str(t.object) for t in ox.parse(result.output.encode(), formats[fmt])}
    assert objects == {
        '"007"^^<http://www.w3.org/2001/XMLSchema#integer>',
        '"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>',
    }


def test_json_ld_is_compact_and_reads_the_same_with_pyld():
    original = awkward_graph()
    text = serialize_graph(original, "json-ld")
    doc = json.loads(text)
    assert doc["@context"]["skos"] == str(SKOS) and all(isinstance(v, str) for v in doc["@context"].values())
    assert {node["@id"] for node in doc["@graph"]} >= {str(EX["profile/A1"])}
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    assert isomorphic(Graph().parse(data=nquads, format="nquads"), original)


@pytest.mark.parametrize("fmt", list(SERIALIZATIONS))
def test_same_triples_same_bytes_whatever_the_insertion_order(fmt):
    triples = sorted(awkward_graph(), key=str)
    forward, backward = Graph(), Graph()
    for t in triples:
        forward.add(t)
    for t in reversed(triples):
        backward.add(t)
    assert serialize_graph(forward, fmt) == serialize_graph(backward, fmt)


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown RDF format"):
        serialize_graph(Graph(), "yaml")


def test_rdf_xml_refuses_a_predicate_it_cannot_write():
    g = Graph()
    g.add((EX.s, URIRef("https://example.org/p/"), Literal("x")))
    with pytest.raises(JobarchError, match="RDF/XML cannot write the predicate <https://example.org/p/>"):
        serialize_graph(g, "xml")
    assert "https://example.org/p/" in serialize_graph(g, "json-ld")
