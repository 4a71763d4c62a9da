"""The architecture as linked data on the server: every resource IRI of the data dereferences there, to a page
for a browser and to its own triples (four RDF syntaxes, Vary: Accept, a link to the page) for an RDF client."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from jobarch import api
from jobarch.core.namespaces import JA, SCHEMA, SKOS
from jobarch.web.app import Limits, create_app
from tests.helpers import REFERENCE_CODE
from tests.web.test_serve import local

BASE = "https://example.org/jobarch/sample/"
SYNTAXES = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
            "application/rdf+xml": "xml"}  # fmt: skip


@pytest.fixture(scope="module")
def client():
    return local(create_app(api.open_architecture()))


def one_of_each_type(sample_architecture) -> list[URIRef]:
    graph = sample_architecture.dataset
    wanted = [JA.Function, JA.JobFamily, JA.Focus, JA.Level, JA.Track, JA.JobProfile, JA.Skill, JA.SkillGroup]
    wanted += [JA.OccupationalDataSource, JA.RubricCell, JA.JobArchitecture]
    found = []
    for type_ in wanted:
        found.append(sorted(s for s in graph.subjects(RDF.type, type_) if str(s).startswith(BASE))[0])
    return found


def test_every_kind_of_resource_dereferences_as_rdf_and_html(client, sample_architecture):
    for iri in one_of_each_type(sample_architecture):
        path = "/" + str(iri)[len(BASE) :]
        for media_type, syntax in SYNTAXES.items():
            response = client.get(path, headers={"Accept": media_type})
            assert response.status_code == 200 and response.headers["content-type"].startswith(media_type), path
            assert "Accept" in response.headers["vary"]
            graph = Graph().parse(data=response.text, format=syntax)
            assert (iri, None, None) in graph and graph.value(iri, SCHEMA.url) is not None, (path, media_type)
        page = client.get(path, headers={"Accept": "text/html"}, follow_redirects=False)
        if page.status_code == 303:
            page = client.get(page.headers["location"])
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), path


def test_the_data_origin_path_and_the_mapped_path_are_the_same_resource(client):
    mapped = client.get("/level/M2", headers={"Accept": "text/turtle"})
    at_origin = client.get("/jobarch/sample/level/M2", headers={"Accept": "text/turtle"})
    assert mapped.status_code == at_origin.status_code == 200 and mapped.text == at_origin.text


@pytest.mark.parametrize(
    "path, type_",
    [
        (f"/profiles/{REFERENCE_CODE}", JA.JobProfile),
        ("/foci/MANUFACT13A2", JA.Focus),
        ("/families/MANUFACT13", JA.JobFamily),
        ("/functions/MANUFA3", JA.Function),
        ("/levels/M2", JA.Level),
    ],
)
def test_every_page_answers_rdf_by_accept(client, path, type_):
    for media_type, syntax in SYNTAXES.items():
        response = client.get(path, headers={"Accept": media_type})
        assert response.status_code == 200, (path, media_type, response.text[:200])
        graph = Graph().parse(data=response.text, format=syntax)
        subject = next(graph.subjects(RDF.type, type_))
        assert str(graph.value(subject, SCHEMA.url)).endswith(path)
    html = client.get(path, headers={"Accept": "text/html,*/*;q=0.8"})
    assert html.status_code == 200 and "<html" in html.text and "Accept" in html.headers["vary"]
    assert client.get(path, headers={"Accept": "image/png"}).status_code == 406


def test_function_and_family_pages_list_what_they_hold_and_breadcrumbs_link(client):
    function = client.get("/functions/MANUFA3")
    assert function.status_code == 200 and 'href="/families/MANUFACT13"' in function.text
    family = client.get("/families/MANUFACT13")
    assert family.status_code == 200 and 'href="/foci/MANUFACT13A2"' in family.text
    assert 'href="/functions/MANUFA3"' in family.text
    profile = client.get(f"/profiles/{REFERENCE_CODE}")
    assert 'href="/functions/MANUFA3"' in profile.text and 'href="/families/MANUFACT13"' in profile.text
    assert client.get("/functions/NOPE").status_code == 404
    assert client.get("/families/NOPE", headers={"Accept": "text/turtle"}).status_code == 404


def test_a_chosen_base_iri_maps_the_paths(sample_architecture):
    other = local(create_app(api.open_architecture(), settings=Limits(base_iri=BASE + "level/")))
    response = other.get("/M2", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    assert graph.value(URIRef(BASE + "level/M2"), SKOS.prefLabel) is not None
    assert other.get("/nothing", headers={"Accept": "text/turtle"}).status_code == 404
