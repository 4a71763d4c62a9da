"""Real SPARQL clients against `jobarch serve`: SPARQLWrapper and rdflib's SPARQLStore, over loopback HTTP."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore

JA = "https://w3id.org/jobarch#"
COUNT = f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a <{JA}JobProfile> }}"


def test_sparqlwrapper_select_ask_construct(base_url):
    from SPARQLWrapper import JSON, XML, SPARQLWrapper

    client = SPARQLWrapper(f"{base_url}/sparql")
    client.setQuery(COUNT)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert int(rows[0]["n"]["value"]) == 71
    client.setQuery(f'ASK {{ ?p <{JA}code> "MANUFA3.MANUFACT13A2.M2" }}')
    assert client.query().convert()["boolean"] is True
    client.setQuery(f"CONSTRUCT {{ ?p <{JA}code> ?c }} WHERE {{ ?p <{JA}code> ?c }} LIMIT 5")
    client.setReturnFormat(XML)
    graph = client.query().convert()
    assert isinstance(graph, Graph) and len(graph) == 5


def test_sparqlwrapper_post_and_refused_update(base_url):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    client = SPARQLWrapper(f"{base_url}/sparql")
    client.setMethod(POST)
    client.setQuery(COUNT)
    client.setReturnFormat(JSON)
    assert int(client.query().convert()["results"]["bindings"][0]["n"]["value"]) == 71
    client.setQuery("DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(QueryBadFormed):
        client.query()


def test_rdflib_sparqlstore_reads_the_architecture(base_url):
    graph = Graph(store=SPARQLStore(f"{base_url}/sparql", returnFormat="json"))
    rows = list(graph.query(COUNT))
    assert rows[0][0] == Literal(71)
    code = URIRef(JA + "code")
    assert Literal("MANUFA3.MANUFACT13A2.M2") in set(graph.objects(None, code))


@pytest.mark.parametrize("fmt", ["JSONLD", "TURTLE", "N3", "CSV", "TSV"])
def test_sparqlwrapper_every_return_format(base_url, fmt):
    """SPARQLWrapper sends ?format= repeated (format, output, results) and, for some formats, as a comma-separated
    list of media types: the endpoint takes the first it knows instead of answering 406."""
    import SPARQLWrapper

    client = SPARQLWrapper.SPARQLWrapper(f"{base_url}/sparql")
    client.setReturnFormat(getattr(SPARQLWrapper, fmt))
    if fmt in ("CSV", "TSV"):
        client.setQuery(COUNT)
        text = client.query().convert().decode("utf-8")
        assert text.splitlines()[1] == "71"
        return
    client.setQuery(f"CONSTRUCT {{ ?p <{JA}code> ?c }} WHERE {{ ?p a <{JA}JobProfile> ; <{JA}code> ?c }}")
    answer = client.query().convert()
    graph = answer if isinstance(answer, Graph) else Graph().parse(data=answer, format="turtle")
    assert len(graph) == 71
