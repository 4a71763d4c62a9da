"""`jobarch serve` over HTTP: every route, content negotiation, the endpoint's refusals, escaping."""

from __future__ import annotations

import io
import json
import re
import shutil
import time
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from rdflib import BNode, Graph, Literal
from starlette.testclient import TestClient

from jobarch import api
from jobarch.core.namespaces import JA
from jobarch.core.resources import sample_data_dir
from jobarch.web.app import Limits, create_app
from jobarch.web.protocol import negotiate
from tests.helpers import REFERENCE_CODE, REFERENCE_PAGE

OTHER = "MANUFA3.MANUFACT14A1.M2"
ALIASED = "MANUFA3.MANUFACT11A1.P4"  # has the alias "Manufacturing Lead, Upstream"


def local(app) -> TestClient:
    """A client that reaches the app as a browser on the same machine does (Host: 127.0.0.1)."""
    return TestClient(app, base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def client(sample_architecture):
    store = api.open_architecture()
    return local(create_app(store, settings=Limits(query_timeout=120, max_rows=500)))  # a busy machine: no 503


class _Text(HTMLParser):
    """The visible text of a page, and the elements a test asks about."""

    def __init__(self):
        super().__init__()
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parsed(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", "".join(parsed(html).text))


# ---------------------------------------------------------------------------- pages


def test_profile_page_has_every_section_of_the_reference(client):
    response = client.get(f"/profiles/{REFERENCE_CODE}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    text = visible(response.text)
    headings = [  # what a reader came for first: the next level and the adjacent roles, then the long sections
        "Adjacent roles",
        "Family — ",
        "Focus — ",
        "Responsibilities by level",
        "Level guidelines",
        "Skills Focus-specific",  # the section (the next-level panel above also names skills)
        "Provenance",
        "Level — M2",
        "Classification mappings",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "Title aliases" not in text  # it has none: an empty section is not shown
    assert "Title aliases" in visible(client.get(f"/profiles/{ALIASED}").text)
    page = REFERENCE_PAGE.read_text(encoding="utf-8")
    for line in ("Production Supervision (Upstream Processing)", "51-1011", "Aseptic Technique"):
        assert line in page and line in text


def test_profile_page_highlights_the_current_level(client):
    tags = parsed(client.get(f"/profiles/{REFERENCE_CODE}").text).tags
    opened = [a for t, a in tags if t == "details" and "open" in a and "level" in a.get("class", "")]
    assert [a["id"] for a in opened] == ["level-M2"] and "current" in opened[0]["class"]
    assert any(t == "tr" and a.get("aria-current") == "true" for t, a in tags)  # the rubric row too


def test_profile_page_links_adjacent_roles_and_compare(client):
    html = client.get(f"/profiles/{REFERENCE_CODE}").text
    links = [a["href"] for t, a in parsed(html).tags if t == "a" and "adjacent-role" in a.get("class", "")]
    assert len(links) == 5 and all(link.startswith("/profiles/") for link in links)
    assert client.get(links[0]).status_code == 200
    compare = [a["href"] for t, a in parsed(html).tags if t == "a" and a.get("class") == "compare"]
    assert compare[0].startswith("/compare?codes=") and client.get(compare[0]).status_code == 200
    assert re.search(r"\b0\.\d\d\b", visible(html))  # distances are shown


def test_compare_page(client):
    response = client.get(f"/compare?codes={REFERENCE_CODE},{OTHER}")
    text = visible(response.text)
    assert response.status_code == 200 and f"Distance from {REFERENCE_CODE}" in text and "Skills in all" in text
    assert client.get(f"/compare?codes={REFERENCE_CODE}").status_code == 400
    missing = client.get(f"/compare?codes={REFERENCE_CODE},NOPE.X.M1")
    assert missing.status_code == 404 and "NOPE.X.M1" in visible(missing.text)


def test_browse_by_taxonomy_and_level(client):
    home = client.get("/")
    focus_links = [a["href"] for t, a in parsed(home.text).tags if t == "a" and a.get("href", "").startswith("/foci/")]
    assert len(set(focus_links)) == 14  # the lists and the picture link every focus
    focus = client.get("/foci/MANUFACT13A2")
    assert focus.status_code == 200 and REFERENCE_CODE in visible(focus.text)
    level_links = [
        a["href"] for t, a in parsed(home.text).tags if t == "a" and a.get("href", "").startswith("/levels/")
    ]
    assert "/levels/M2" in level_links
    m2 = visible(client.get("/levels/M2").text)
    assert REFERENCE_CODE in m2 and ".M3" not in m2
    assert client.get("/foci/NOPE").status_code == 404 and client.get("/levels/Z9").status_code == 404


def test_search_titles_aliases_and_skills(client):
    text = visible(client.get("/search", params={"q": "ASEPTIC"}).text)
    assert "Aseptic Technique" in text and "needed by 20 profiles" in text
    found = visible(client.get("/search", params={"q": "manufacturing lead, UPSTREAM"}).text)
    assert "lead: alias" in found and ALIASED in found
    assert "No title aliases" not in visible(client.get(f"/profiles/{ALIASED}").text)
    skill = visible(client.get("/skills", params={"name": "aseptic technique"}).text)
    assert REFERENCE_CODE in skill
    assert "Type words of a title" in visible(client.get("/search").text)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("supervisor", REFERENCE_CODE),  # the title says "Supervision": the same stem
        ("upstream supervisor", REFERENCE_CODE),  # every word, in any field
        ("bioreactor", "MANUFA3.MANUFACT11A1.P1"),  # a skill the profile needs
        ("manager", "MANUFA3.MANUFACT13A1.M1"),  # the level's name
    ],
)
def test_search_finds_what_people_type(client, query, expected):
    page = client.get("/search", params={"q": query}).text
    assert f"/profiles/{expected}" in page, query
    assert "alias:" not in visible(page) or query == "manager"  # a title hit is never called an alias


def test_search_ranks_titles_first_and_suggests_for_a_typo(client):
    page = client.get("/search", params={"q": "supervision upstream"}).text
    links = re.findall(r'href="/profiles/([^"]+)"', page)
    assert links[0].startswith("MANUFA3.MANUFACT13A2.")  # both words in the title before anything else
    typo = client.get("/search", params={"q": "suprevision"}).text  # answered with its correction, said so
    assert "Nothing matches “suprevision”; these are the profiles for “supervision”" in visible(typo)
    assert 'href="/profiles/MANUFA3.MANUFACT13A2.M2"' in typo


def test_unknown_profile_suggests_codes_as_links_not_commands(client):
    response = client.get("/profiles/MANUFA3.MANUFACT13A2.M9")
    assert response.status_code == 404 and f'href="/profiles/{REFERENCE_CODE}"' in response.text
    assert "jobarch query" not in response.text and 'href="/search?q=MANUFA3.MANUFACT13A2.M9"' in response.text


def test_favicon_description_and_cached_static_files(client):
    page = client.get("/").text
    assert 'rel="icon"' in page and '<meta name="description"' in page
    icon = client.get("/favicon.ico", follow_redirects=True)
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    css = client.get("/static/jobarch.css")
    assert "max-age=86400" in css.headers["cache-control"]
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and "Disallow: /sparql" in robots.text


def test_static_files_are_local(client):
    html = client.get(f"/profiles/{REFERENCE_CODE}").text
    external = [
        a
        for t, a in parsed(html).tags
        if t in ("link", "script", "img") and re.match(r"https?:", a.get("href", a.get("src", "")))
    ]
    assert external == []
    assert client.get("/static/jobarch.css").status_code == 200


# ---------------------------------------------------------------------------- linked data


@pytest.mark.parametrize(
    "accept, fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt")]
)
def test_profile_as_linked_data(client, accept, fmt):
    response = client.get(f"/profiles/{REFERENCE_CODE}", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    assert "Accept" in [v.strip() for v in response.headers["vary"].split(",")]
    graph = Graph().parse(data=response.text, format=fmt)
    if fmt == "json-ld":  # compact, with the prefixes as its inline @context (nothing fetched)
        assert json.loads(response.text)["@context"]["ja"] == "https://w3id.org/jobarch#"
    profile = next(graph.subjects(JA.code, Literal(REFERENCE_CODE)))
    assert len(list(graph.objects(profile, JA.responsibility))) == 5
    scores = list(graph.objects(None, JA.score))  # the blank nodes of the quality assessment come along
    page = api.profile(api.open_architecture(), REFERENCE_CODE)
    assert sorted(int(s) for s in scores) == sorted(v for _, v in page.quality.scores) and len(scores) >= 5
    assert sorted(map(str, graph.objects(None, JA.mappedCode))) == sorted(m.code for m in page.mappings) != []


def test_content_negotiation_prefers_quality_and_refuses_the_unknown(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert (
        client.get(f"/profiles/{REFERENCE_CODE}", headers={"Accept": browser})
        .headers["content-type"]
        .startswith("text/html")
    )
    weighted = client.get(f"/profiles/{REFERENCE_CODE}", headers={"Accept": "text/html;q=0.5, text/turtle"})
    assert weighted.headers["content-type"].startswith("text/turtle")
    assert client.get(f"/profiles/{REFERENCE_CODE}", headers={"Accept": "image/png"}).status_code == 406
    missing = client.get("/profiles/MANUFA3.MANUFACT13A2.M9", headers={"Accept": "text/turtle"})
    assert missing.status_code == 404 and REFERENCE_CODE in missing.text
    assert (
        client.get(f"/profiles/{REFERENCE_CODE}?format=json-ld")
        .headers["content-type"]
        .startswith("application/ld+json")
    )
    assert negotiate("", {"a/b": "x", "c/d": "y"}) == "a/b" and negotiate("c/*", {"a/b": "x", "c/d": "y"}) == "c/d"


# ---------------------------------------------------------------------------- SPARQL endpoint

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?p a ja:JobProfile }"


@pytest.mark.parametrize(
    "accept",
    ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"],
)
def test_sparql_select_formats(client, accept):
    response = client.get("/sparql", params={"query": COUNT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    if "json" in accept:
        assert json.loads(response.text)["results"]["bindings"][0]["n"]["value"] == "71"
    elif "xml" in accept:
        import xml.etree.ElementTree as ET

        root = ET.fromstring(response.text)
        assert root.find(".//{http://www.w3.org/2005/sparql-results#}literal").text == "71"
    else:
        assert response.text.split()[-1] == "71"


def test_sparql_post_forms_ask_and_construct(client):
    direct = client.post("/sparql", content=COUNT, headers={"Content-Type": "application/sparql-query"})
    form = client.post("/sparql", data={"query": COUNT})
    assert json.loads(direct.text) == json.loads(form.text)
    ask = client.get("/sparql", params={"query": "ASK { ?p a ja:JobProfile }"})
    assert json.loads(ask.text)["boolean"] is True
    construct = client.get(
        "/sparql",
        params={"query": "CONSTRUCT { ?p a ja:JobProfile } WHERE { ?p a ja:JobProfile }"},
        headers={"Accept": "text/turtle"},
    )
    assert construct.headers["content-type"].startswith("text/turtle") and len(Graph().parse(data=construct.text)) == 71
    assert client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/turtle"}).status_code == 406


@pytest.mark.parametrize(
    "request_kwargs, status, message",
    [
        ({"params": {"update": "DELETE WHERE { ?s ?p ?o }"}}, 400, "updates are refused"),
        ({"params": {"query": "DELETE WHERE { ?s ?p ?o }"}}, 400, "updates are refused"),
        (
            {"content": "INSERT DATA { <a:b> <a:c> <a:d> }", "headers": {"Content-Type": "application/sparql-update"}},
            400,
            "updates are refused",
        ),
        (
            {"params": {"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}},
            400,
            "SERVICE is refused",
        ),
        (
            {"params": {"query": "SELECT * FROM <http://example.org/x> WHERE { ?s ?p ?o }"}},
            400,
            "FROM / FROM NAMED is refused",
        ),
        ({"params": {"query": "SELECT * WHERE { ?s ?p "}}, 400, "syntax error"),
        ({"params": [("query", COUNT), ("query", COUNT)]}, 400, "one query parameter"),
        (
            {
                "content": urlencode([("query", COUNT), ("query", COUNT)]),
                "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            },
            400,
            "one query parameter",
        ),
        ({"params": {"query": COUNT, "default-graph-uri": "http://example.org/g"}}, 400, "default-graph-uri"),
        ({"params": {"query": COUNT, "named-graph-uri": "http://example.org/g"}}, 400, "named-graph-uri"),
        ({"params": {"query": "SELECT * WHERE { ?s ?p ?o }"}}, 400, "rows, above this endpoint's limit of 500"),
        ({"params": {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}}, 400, "triples, above this endpoint's limit of 500"),
        ({"content": "x" * 200_000, "headers": {"Content-Type": "application/sparql-query"}}, 413, "limited to"),
        ({"content": "{}", "headers": {"Content-Type": "application/json"}}, 415, "application/sparql-query"),
    ],
)
def test_sparql_refusals(client, request_kwargs, status, message):
    method = client.post if "content" in request_kwargs else client.get
    response = method("/sparql", **request_kwargs)
    assert response.status_code == status and message in response.text, response.text
    assert len(client.get("/sparql", params={"query": COUNT}).text) > 0  # the store is untouched and still answers


@pytest.mark.slow
def test_sparql_timeout(sample_architecture):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    app = create_app(api.open_architecture(), settings=Limits(query_timeout=0.5))
    response = local(app).get("/sparql", params={"query": slow})
    assert response.status_code == 503 and "was stopped" in response.text


def test_sparql_form_page(client):
    page = client.get("/sparql")
    assert page.status_code == 200 and any(t == "textarea" for t, _ in parsed(page.text).tags)


# ---------------------------------------------------------------------------- hostile data


def test_labels_are_text_not_markup(write, sample_architecture):
    from jobarch.core.resources import sample_data_dir

    hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    extra = write(
        "hostile.ttl",
        f"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ja: <https://w3id.org/jobarch#> .
<https://example.org/jobarch/sample/profile/{REFERENCE_CODE}> skos:altLabel {Literal(hostile).n3()} .
<https://example.org/jobarch/sample/skill/aseptic-technique> skos:definition "Bold </dd><b>claim</b>"@en .
""",
    )
    store = api.open_architecture([sample_data_dir(), extra])
    client = local(create_app(store))
    html = client.get(f"/profiles/{REFERENCE_CODE}").text
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>claim</b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert hostile in visible(html)
    search = client.get("/search", params={"q": "<script>"}).text
    assert "<script>alert" not in search and REFERENCE_CODE in visible(search)


def test_mapping_links_only_to_web_addresses(write):
    from jobarch.core.resources import sample_data_dir

    extra = write(
        "mapping.ttl",
        f"""
@prefix ja: <https://w3id.org/jobarch#> .
<https://example.org/jobarch/sample/profile/{REFERENCE_CODE}> ja:classificationMapping [
    a ja:ClassificationMapping ; ja:mappingScheme ja:SOC2018 ; ja:mappedCode "99-9999" ;
    ja:mappedConcept <javascript:alert(1)> ; ja:mappingSource "hostile" ; ja:confidence 0.5 ] .
""",
    )
    client = local(create_app(api.open_architecture([sample_data_dir(), extra])))
    html = client.get(f"/profiles/{REFERENCE_CODE}").text
    hrefs = [a["href"] for t, a in parsed(html).tags if t == "a" and "href" in a]
    assert "99-9999" in visible(html) and not any(h.lower().startswith("javascript:") for h in hrefs)
    assert any(h.startswith("https://www.bls.gov/") or h.startswith("http") for h in hrefs)  # real concepts stay links


def test_serve_binds_to_loopback_by_default():
    from jobarch.cli import main

    params = {p.name: p.default for p in main.commands["serve"].params}
    assert params["host"] == "127.0.0.1"


def test_serve_works_on_oxigraph(tmp_path):
    store = api.open_architecture(store=f"oxigraph:{tmp_path / 'store'}")
    client = local(create_app(store))
    assert REFERENCE_CODE in visible(client.get(f"/profiles/{REFERENCE_CODE}").text)
    assert (
        json.loads(client.get("/sparql", params={"query": COUNT}).text)["results"]["bindings"][0]["n"]["value"] == "71"
    )
    store.close()


@pytest.mark.slow
def test_jobarch_serve_command_end_to_end(tmp_path):
    """The real command: starts, answers on loopback, stops on a signal."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "jobarch.cli", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline, body = time.monotonic() + 60, None
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/profiles/{REFERENCE_CODE}", timeout=5
                ) as response:
                    body = response.read().decode("utf-8")
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()
                time.sleep(0.2)
        assert body is not None and "Production Supervision (Upstream Processing)" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/profiles", timeout=5) as response:
            assert response.url.endswith(f"127.0.0.1:{port}/")  # /profiles leads to browsing
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)


def test_sparql_tsv_and_csv_follow_the_results_formats(client):
    """SPARQL 1.1 TSV (?-named columns, Turtle terms) and CSV (blank nodes as _:x): rdflib's parsers read them back."""
    from rdflib.query import Result

    query = (
        "SELECT ?p ?title ?n ?r WHERE { ?p a ja:JobProfile ; skos:prefLabel ?title ; ja:responsibility ?r . "
        "?r ja:order ?n } ORDER BY ?p ?n LIMIT 20"
    )
    answers = {}
    for media in ("application/sparql-results+json", "text/tab-separated-values", "text/csv"):
        response = client.get("/sparql", params={"query": query}, headers={"Accept": media})
        assert response.status_code == 200, response.text
        answers[media] = response.text
    tsv = answers["text/tab-separated-values"]
    assert tsv.splitlines()[0] == "?p\t?title\t?n\t?r"
    parsed = {
        fmt: [tuple(row) for row in Result.parse(io.StringIO(text), format=fmt)]
        for fmt, text in (("json", answers["application/sparql-results+json"]), ("tsv", tsv))
    }
    assert len(parsed["json"]) == 20
    named = lambda rows: [tuple(t for t in row if not isinstance(t, BNode)) for row in rows]  # noqa: E731
    assert named(parsed["tsv"]) == named(parsed["json"])  # IRIs, language-tagged titles, typed integers
    csv_text = answers["text/csv"]
    assert csv_text.startswith("p,title,n,r\r\n")
    assert all(line.split(",")[-1].startswith("_:") for line in csv_text.strip().splitlines()[1:])


def test_profile_page_says_what_the_next_level_asks(client):
    page = visible(client.get(f"/profiles/{REFERENCE_CODE}").text)
    assert "Your level: M2 · Manager II" in page
    assert "What M3 (Manager III) asks beyond M2" in page
    start = page.index("What M3 (Manager III) asks beyond M2")
    panel = page[start : page.index("Compare M2 and M3 side by side", start)]
    assert "Knowledge & Application" in panel and "run a department/stream" in panel  # M3's rubric text, beside M2's
    assert "What a M3 does" in panel
    # the skills that step up at M3, by name and proficiency
    assert "Skills that step up at M3" in panel
    assert "People Leadership 3 → 4" in panel and "Technology Transfer 2 → 3, optional → essential" in panel
    assert "Budget Management (new, essential)" in panel
    top = visible(client.get("/profiles/MANUFA3.MANUFACT13A2.M3").text)
    assert "The top of this ladder" in top


def test_a_two_track_focus_keeps_each_ladder_together(client):
    page = client.get("/profiles/QUALIT2.QUALIT10A1.P2").text
    codes = re.findall(r'<span class="level-code">([A-Z]+\\d+)</span>', page)
    tracks = [code[0] for code in codes]
    assert tracks == sorted(tracks, key=lambda t: t != "P")  # the P ladder first, then the other track
    assert "The other track of this focus" in page


def test_level_page_explains_the_level_and_its_neighbours(client):
    page = client.get("/levels/M2").text
    text = visible(page)
    assert "What M2 means" in text and "Manages an established team" in text
    assert "5–8 years" in text and "Decision rights" in text
    assert 'href="/levels/M1"' in page and 'href="/levels/M3"' in page  # below and above on the track
    assert 'href="/levels/P5"' in page and "Same grade on the P track" in text  # the equivalent on the other track
    assert REFERENCE_CODE in text
    assert "0–2 years" in visible(client.get("/levels/P1").text)  # P1 starts at 0 years, not at nothing
    assert client.get("/levels/Z9").status_code == 404


def test_adjacent_roles_say_which_way_the_move_goes(client):
    page = visible(client.get(f"/profiles/{REFERENCE_CODE}").text)
    section = page[page.index("Adjacent roles") : page.index("Family — ")]
    assert "In plain words" in section
    assert "step up" in section and "step down" in section  # M3 above and M1 below the reference M2


def test_the_sparql_form_shows_its_answer_on_the_page(client):
    query = "SELECT ?code WHERE { ?p a ja:JobProfile ; ja:code ?code } ORDER BY ?code LIMIT 3"
    page = client.get("/sparql", params={"query": query, "format": "html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = visible(page.text)
    assert "3 rows" in text and "MANUFA3.MANUFACT11A1.P1" in text and "SELECT ?code" in page.text  # query kept
    ask = visible(client.get("/sparql", params={"query": "ASK { ?p a ja:JobProfile }", "format": "html"}).text)
    assert "Yes (true)" in ask
    broken = client.get("/sparql", params={"query": "SELECT * WHERE {", "format": "html"})
    assert broken.status_code == 400 and "syntax error" in visible(broken.text) and 'role="alert"' in broken.text
    graph = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s a ja:Track }", "format": "html"})
    assert "ja:Track" in visible(graph.text) or "jobarch#Track" in graph.text


def test_focus_page_says_what_the_focus_is_about(client):
    page = client.get("/foci/MANUFACT13A2").text
    text = visible(page)
    assert "Skills every level of this focus applies" in text and "Aseptic Technique" in text
    assert 'href="/foci/MANUFACT14A1"' in page and 'href="/foci/MANUFACT20A1"' in page  # the foci it is distinct from
    assert "individual-contributor MSAT/technical-owner track" in text.split("Profiles by level")[0]  # its scope note


def test_compare_marks_what_differs_and_can_show_only_that(client):
    page = client.get(f"/compare?codes={REFERENCE_CODE},MANUFA3.MANUFACT13A2.M3").text
    assert page.count('class="differs"') >= 3 and 'class="same"' in page  # same focus: taxonomy rows agree
    assert f'data-profile="{REFERENCE_CODE}"' in page  # each value labelled for the stacked phone layout
    only = client.get(f"/compare?codes={REFERENCE_CODE},MANUFA3.MANUFACT13A2.M3&only=differences").text
    assert 'class="same"' not in only and 'class="differs"' in only
    chooser = client.get("/compare")
    assert chooser.status_code == 200 and all(f'name="{field}"' in chooser.text for field in "abc")


def test_career_path_page(client):
    page = client.get("/path", params={"from": "MANUFA3.MANUFACT11A1.P1", "to": "MANUFA3.MANUFACT13A2.M3"})
    steps = re.findall(r'<li><a href="/profiles/([^"]+)"', page.text)
    assert page.status_code == 200 and steps[0] == "MANUFA3.MANUFACT11A1.P1" and steps[-1] == "MANUFA3.MANUFACT13A2.M3"
    assert len(steps) >= 3 and "level" in visible(page.text).lower()  # each move says what changes
    assert 'href="/path?from=' in client.get(f"/profiles/{REFERENCE_CODE}").text  # reachable from a profile page
    unknown = client.get("/path", params={"from": "NOPE.X.P1", "to": REFERENCE_CODE})
    assert unknown.status_code == 404 and 'role="alert"' in unknown.text
    assert 'name="from"' in client.get("/path").text


def test_profile_page_links_the_same_grade_on_the_other_track(client):
    page = client.get("/profiles/QUALIT2.QUALIT10A1.M2").text
    assert "The same grade on the other track of this focus" in visible(page)
    assert 'href="/profiles/QUALIT2.QUALIT10A1.P5"' in page  # M2 and P5 share grade 5


def test_search_filters_by_function_family_track_and_level(client):
    everything = client.get("/search", params={"q": "upstream"}).text
    assert 'name="track"' in everything and "P (" in everything and "M (" in everything  # facets with counts
    managers = client.get("/search", params={"q": "upstream", "track": "M"}).text
    codes = re.findall(r'<li><a href="/profiles/([^"]+)"', managers)
    assert codes and all(code.split(".")[2].startswith("M") for code in codes)
    level = re.findall(
        r'<li><a href="/profiles/([^"]+)"', client.get("/search", params={"q": "upstream", "level": "P2"}).text
    )
    assert level and all(code.endswith(".P2") for code in level)
    family = client.get("/search", params={"q": "upstream", "family": "MANUFACT13"}).text
    assert all(c.split(".")[1].startswith("MANUFACT13") for c in re.findall(r'<li><a href="/profiles/([^"]+)"', family))


def test_family_and_function_pages_show_the_ladder_grid(client):
    family = client.get("/families/MANUFACT13").text
    assert "Foci × levels" in family and f'href="/profiles/{REFERENCE_CODE}"' in family
    header = family.split("<tbody>")[0]
    assert header.index(">M1<") < header.index(">M2<") < header.index(">M3<")  # levels in ladder order
    function = client.get("/functions/MANUFA3").text
    assert "Foci × levels" in function and 'href="/profiles/MANUFA3.MANUFACT11A1.P1"' in function


def test_sparql_page_offers_the_named_queries_and_runs_them_on_the_page(client):
    page = client.get("/sparql").text
    links = {name: href for href, name in re.findall(r'<a href="(/queries/[^"]+)">(\w+)</a>', page)}
    assert {"taxonomy", "profiles_at_level", "thinly_sourced_profiles"} <= set(links)
    answer = client.get(links["taxonomy"])
    assert answer.status_code == 200 and "Production Supervision (Upstream Processing)" in visible(answer.text)
    # a parameter's default applies on the page as on the command line (it used to run unbound: 0 rows)
    thin = client.get(links["thinly_sourced_profiles"])
    expected = len(api.query(api.open_architecture(), "thinly_sourced_profiles").rows)
    assert expected > 0 and f"{expected} rows" in visible(thin.text) and 'value="3"' in thin.text
    csv = client.get(links["thinly_sourced_profiles"], params={"format": "csv"})  # its download link
    assert csv.headers["content-type"].startswith("text/csv") and len(csv.text.splitlines()) == expected + 1
    fewer = client.get(links["thinly_sourced_profiles"], params={"minimum": "2"})
    assert (
        f"{len(api.query(api.open_architecture(), 'thinly_sourced_profiles', params={'minimum': '2'}).rows)} rows"
        in visible(fewer.text)
    )
    asked = client.get(links["profiles_at_level"])  # a required parameter: the form, no answer yet
    assert asked.status_code == 200 and 'name="level"' in asked.text and 'id="answer"' not in asked.text
    at_m2 = client.get(links["profiles_at_level"], params={"level": "M2"})
    assert "8 rows" in visible(at_m2.text)
    hostile = client.get(links["profiles_at_level"], params={"level": '"} } DROP ALL #'})
    assert hostile.status_code == 200 and "0 rows" in visible(hostile.text)  # bound as a value, never run
    assert client.get("/queries/no_such_query").status_code == 404


def test_home_page_shows_the_architecture_at_a_glance(client):
    page = client.get("/").text
    glance = page[page.index('id="glance"') : page.index('id="by-level"')]
    row = glance[glance.index('href="/families/MANUFACT13"') :].split("</tr>")[0]
    header = glance.split("</thead>")[0]
    levels = re.findall(r'<a href="/levels/([^"]+)">', header)
    cells = re.findall(r'<td class="heat-\d">(?:<a href="([^"]+)"[^>]*>)?([^<]*)', row)
    href, count = dict(zip(levels, cells, strict=True))["M2"]
    assert count == "2"  # two foci of the family staff M2
    listed = client.get(href.replace("&amp;", "&")).text  # the count opens those profiles
    assert re.findall(r'<a href="/profiles/([^"]+)"', listed) == ["MANUFA3.MANUFACT13A1.M2", "MANUFA3.MANUFACT13A2.M2"]


def test_profile_page_shows_each_skills_depth_here_and_at_the_next_level(client):
    page = visible(client.get(f"/profiles/{REFERENCE_CODE}").text)
    skills = page[page.index("Focus-specific skills") : page.index("Provenance")]
    # people leadership: its importance (O*NET's 1 to 5), its depth here and at M3
    assert "Essential · importance 4.5 of 5 · proficiency 3 (Practitioner) · M3: 4 (Advanced)" in skills
    assert "Essential · importance 5 of 5 · proficiency 4 (Advanced)" in skills  # GMP compliance, the same at M3
    assert "Optional · importance 2.5 of 5 · proficiency 2 (Working)" in skills


def test_match_page_ranks_roles_and_says_what_to_learn(client):
    page = client.get("/match")
    assert page.status_code == 200 and 'name="skills"' in page.text and "Practitioner" in page.text  # the scale
    text = "GMP Compliance=3\nBioreactor/Fermenter Operation=3\nAseptic Technique=3\nPeople Leadership=3"
    found = client.get("/match", params={"skills": text})
    assert found.status_code == 200
    shown = visible(found.text)
    first = shown.index("MANUFA3.MANUFACT13A2.M1")
    assert first < shown.index(REFERENCE_CODE)  # same essential share, M1 asks fewer points
    assert "You have 4 of its 11 essential skills" in shown
    assert "GMP Compliance 3 → 4" in shown  # what the reference profile asks more of
    wrong = client.get("/match", params={"skills": "GMP Complience=3"})
    assert wrong.status_code == 400 and "did you mean: GMP Compliance" in visible(wrong.text)
    assert "Traceback" not in wrong.text
    assert 'href="/match"' in client.get("/").text


def test_home_page_draws_the_architecture_as_a_picture(client):
    page = client.get("/").text
    svg = page[page.index("<svg") : page.index("</svg>")]
    tags = parsed(svg).tags
    links = [a["href"] for tag, a in tags if tag == "a"]
    assert links[0] == "/functions/MANUFA3" and "/families/MANUFACT13" in links and "/foci/MANUFACT13A2" in links
    widths, href = {}, ""
    for tag, attrs in tags:
        if tag == "a":
            href = attrs["href"]
        elif tag == "rect":
            widths[href] = float(attrs["width"])
    functions = [w for href, w in widths.items() if href.startswith("/functions/")]
    assert sum(functions) == pytest.approx(1000, abs=0.1)  # the functions share the whole width
    # each block as wide as its share of the 71 profiles: the reference focus has 3
    assert widths["/foci/MANUFACT13A2"] == pytest.approx(1000 * 3 / 71, abs=0.01)
    assert "Production Supervision (Upstream Processing) (MANUFACT13A2): 3 profiles" in svg  # the block's title


def test_sparql_answers_download_with_file_names(client):
    query = "SELECT ?code WHERE { ?p a ja:JobProfile ; ja:code ?code } ORDER BY ?code LIMIT 3"
    page = client.get("/sparql", params={"format": "html", "query": query}).text
    links = [
        h.replace("&amp;", "&") for h in re.findall(r'<a href="(/sparql\?format=(?:csv|tsv|json|xml)&amp;[^"]+)"', page)
    ]
    assert len(links) == 4
    names = {}
    for href in links:
        answer = client.get(href)
        assert answer.status_code == 200
        names[href.split("format=")[1].split("&")[0]] = answer.headers["content-disposition"]
    assert names["csv"] == 'attachment; filename="jobarch-answer.csv"'
    assert names["json"].endswith('.srj"') and names["xml"].endswith('.srx"') and names["tsv"].endswith('.tsv"')
    csv_text = client.get(links[0]).text
    assert csv_text.splitlines()[0] == "code" and len(csv_text.splitlines()) == 4
    graph = client.get(
        "/sparql", params={"format": "turtle", "query": "CONSTRUCT { ?p ja:code ?c } WHERE { ?p ja:code ?c } LIMIT 2"}
    )
    assert graph.headers["content-disposition"] == 'attachment; filename="jobarch-answer.ttl"'
    # a protocol client that negotiates by Accept gets the answer inline, as before
    plain = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert "content-disposition" not in plain.headers


def test_sparql_runs_with_inferences_when_asked(tmp_path):
    """The inference switch: ja:hasProfile is never written in the files, only inferred (the inverse of ja:focus)
    from the ontology; the inferences are prepared in the background on first ask (503 with Retry-After until
    then), in a store of their own beside the cache. (A copy of the sample, with its own cache: another test may
    have left inferences in the sample's.)"""
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir(), data)
    client = local(create_app(api.open_architecture([data]), data=[data]))
    ask = {"query": "ASK { ?focus ja:hasProfile ?profile }"}
    accept = {"Accept": "application/sparql-results+json"}
    first = client.get("/sparql", params=ask, headers=accept)
    assert first.status_code == 200, first.text
    assert first.json()["boolean"] is False
    deadline = time.monotonic() + 180
    while True:
        answer = client.get("/sparql", params={**ask, "inferences": "on"}, headers=accept)
        if answer.status_code != 503 or time.monotonic() > deadline:
            break
        assert answer.headers["Retry-After"] and "being computed" in answer.text
        time.sleep(0.5)
    assert answer.status_code == 200 and answer.json()["boolean"] is True
    page = client.get("/sparql", params={**ask, "inferences": "on", "format": "html"}).text
    assert "Answer (with inferences)" in visible(page) and 'name="inferences" value="on" checked' in page
    assert "Yes (true)" in visible(page)
    assert client.get("/sparql", params=ask, headers=accept).json()["boolean"] is False  # the switch is per query


def test_function_family_and_levels_pages_explain_themselves(client):
    function = visible(client.get("/functions/MANUFA3").text)
    assert "Making drug substance and drug product under GMP" in function  # its definition
    family = visible(client.get("/families/MANUFACT13").text)
    assert "Frontline-to-departmental leadership" in family
    levels = client.get("/levels")
    text = visible(levels.text)
    assert levels.status_code == 200 and "levels of the same grade on different tracks are equivalent" in text
    rows = {
        m[0]: m[1]
        for m in re.findall(r'<a href="/levels/(\w+)">[^<]*</a>.*?<p class="count">(\d+) profile', levels.text, re.S)
    }
    expected = {r["levelCode"]: str(r["profiles"]) for r in api.query(api.open_architecture(), "levels").dicts()}
    assert rows == {str(k): v for k, v in expected.items()}
    turtle = client.get("/levels", headers={"Accept": "text/turtle"})  # still linked data for an RDF client
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")


def test_the_sparql_page_says_when_the_store_already_holds_inferences(tmp_path):
    """After a reasoned sync the inferences are in the store itself: the switch cannot leave them out, and the
    page says so rather than let an analyst believe an unticked box means "without"."""
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir(), data)
    plain = local(create_app(api.open_architecture([data], "memory"), data=[data])).get("/sparql").text
    assert 'id="already-inferred"' not in plain
    reasoned = api.open_architecture([data], "memory", reason=True)
    page = local(create_app(reasoned, data=[data])).get("/sparql").text
    assert 'id="already-inferred"' in page and "jobarch reason" in visible(page)
    ask = {"query": "ASK { ?focus ja:hasProfile ?profile }"}
    answer = local(create_app(reasoned, data=[data])).get(
        "/sparql", params=ask, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.json()["boolean"] is True  # what the note warns of: the box unticked, the inference there
