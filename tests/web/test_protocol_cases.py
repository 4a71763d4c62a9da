"""The query side of the W3C SPARQL 1.1 Protocol test list (kasei/sparql11-protocolvalidator's names), written
from the spec against the real app. Dataset cases: this endpoint answers over the whole architecture, so a
request that names a dataset is refused with 400, never answered over something else."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from rdflib import Graph

from jobarch import api
from jobarch.web.app import create_app
from tests.web.test_serve import local

ASK = "ASK {}"
SELECT = "SELECT (1 AS ?x) WHERE {}"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}


@pytest.fixture(scope="module")
def client():
    return local(create_app(api.open_architecture()))


def test_query_get(client):
    response = client.get("/sparql", params={"query": ASK})
    assert response.status_code == 200 and json.loads(response.text)["boolean"] is True


def test_query_post_form(client):
    response = client.post("/sparql", content=urlencode({"query": ASK}), headers=FORM)
    assert response.status_code == 200 and json.loads(response.text)["boolean"] is True


def test_query_post_direct(client):
    response = client.post("/sparql", content=ASK, headers=DIRECT)
    assert response.status_code == 200 and json.loads(response.text)["boolean"] is True


@pytest.mark.parametrize(
    "query, accept, expected",
    [
        (SELECT, "application/sparql-results+xml", "application/sparql-results+xml"),
        (SELECT, "application/sparql-results+json", "application/sparql-results+json"),
        (ASK, "application/sparql-results+xml", "application/sparql-results+xml"),
        ("DESCRIBE <https://w3id.org/jobarch#JobProfile>", "application/rdf+xml", "application/rdf+xml"),
        ("CONSTRUCT { <urn:a> <urn:b> <urn:c> } WHERE {}", "text/turtle", "text/turtle"),
    ],
    ids=["content_type_select_xml", "content_type_select_json", "content_type_ask", "describe", "construct"],
)
def test_query_content_type(client, query, accept, expected):
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(expected)
    if expected in ("text/turtle", "application/rdf+xml"):
        Graph().parse(data=response.text, format="xml" if "rdf+xml" in expected else "turtle")


@pytest.mark.parametrize(
    "params",
    [
        {"default-graph-uri": "http://example.org/data1.rdf"},  # query_dataset_default_graph(s)_get
        {"named-graph-uri": "http://example.org/data2.rdf"},  # query_dataset_named_graphs_get
        {"default-graph-uri": "http://example.org/data1.rdf", "named-graph-uri": "http://example.org/data2.rdf"},
    ],
)
def test_query_dataset_is_refused_never_ignored(client, params):
    assert client.get("/sparql", params={"query": ASK, **params}).status_code == 400
    body = urlencode({"query": ASK, **params})
    assert client.post("/sparql", content=body, headers=FORM).status_code == 400


def test_bad_query_method(client):
    assert client.put("/sparql?" + urlencode({"query": ASK})).status_code == 405


def test_bad_multiple_queries(client):
    assert client.get("/sparql?" + urlencode([("query", ASK), ("query", SELECT)])).status_code == 400


def test_bad_query_wrong_media_type(client):
    assert client.post("/sparql", content=ASK, headers={"Content-Type": "text/plain"}).status_code == 415


def test_bad_query_missing_form_type(client):
    assert client.post("/sparql", content=urlencode({"query": ASK})).status_code // 100 == 4


def test_bad_query_missing_direct_type(client):
    assert client.post("/sparql", content=ASK).status_code // 100 == 4


def test_bad_query_non_utf8(client):
    body = ASK.encode("utf-16")
    response = client.post(
        "/sparql", content=body, headers={"Content-Type": "application/sparql-query; charset=UTF-16"}
    )
    assert response.status_code == 400 and "UTF-8" in response.text
    response = client.post("/sparql", content=b"ASK { \xff }", headers=DIRECT)
    assert response.status_code == 400 and "UTF-8" in response.text


def test_bad_query_syntax(client):
    response = client.get("/sparql", params={"query": "ASK {"})
    assert response.status_code == 400 and "syntax error" in response.text


def test_trig_named_graphs_are_kept_and_no_file_path_is_a_graph_name(tmp_path):
    from tests.helpers import MINIMAL

    (tmp_path / "arch.ttl").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "graphs.trig").write_text(
        "@prefix ex: <http://example.org/> .\nex:g1 { ex:a ex:p 1 . }\nex:g2 { ex:b ex:p 2 . }\nex:c ex:p 3 .\n",
        encoding="utf-8",
    )
    client = local(create_app(api.open_architecture([tmp_path])))
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    rows = json.loads(client.get("/sparql", params={"query": query}).text)["results"]["bindings"]
    assert [(r["g"]["value"], r["n"]["value"]) for r in rows] == [
        ("http://example.org/g1", "1"),
        ("http://example.org/g2", "1"),
    ]
    union = "ASK { <http://example.org/a> <http://example.org/p> 1 . <http://example.org/c> <http://example.org/p> 3 }"
    assert json.loads(client.get("/sparql", params={"query": union}).text)["boolean"] is True  # and in the union
