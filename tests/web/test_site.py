"""The pages follow the data: views kept by the server are keyed on the store's fingerprint, and a store that has
none (a shared SPARQL server another process loads) is read again once its views are ``refresh_after`` old."""

from __future__ import annotations

import shutil
import time
import urllib.request

from jobarch import api
from jobarch.core.resources import sample_data_dir
from jobarch.web.app import Limits, create_app
from tests.web.test_serve import local

EXTRA_GRAPH = "urn:jobarch-test:extra-function"
EXTRA = b"""
@prefix ja: <https://w3id.org/jobarch#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<urn:x:fn> a ja:Function ; ja:code "XTRAFN" ; skos:prefLabel "Extra function from elsewhere"@en .
<urn:x:fam> a ja:JobFamily ; ja:code "XTRAFAM" ; skos:prefLabel "Extra family"@en ; skos:broader <urn:x:fn> .
<urn:x:focus> a ja:Focus ; ja:code "XTRAFOC" ; skos:prefLabel "Extra focus"@en ; skos:broader <urn:x:fam> .
"""


def searched(client, words: str) -> str:
    """The search page for ``words``, reloaded as a browser does while it says the index is being built."""
    deadline = time.monotonic() + 60
    while (response := client.get("/search", params={"q": words})).status_code == 503:
        assert "Being computed" in response.text and time.monotonic() < deadline
        time.sleep(float(response.headers["retry-after"]) / 10)
    assert response.status_code == 200
    return response.text


def test_a_synced_store_changes_every_page(tmp_path):
    """A curator edits a file and the store syncs: the home page, the function page and search follow at once
    (search once its index is built again: the page says so meanwhile)."""
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir(), data)
    store = api.open_architecture([data], "memory")
    client = local(create_app(store, data=[data]))
    assert "Manufacturing Operations" in client.get("/").text
    assert client.get("/functions/MANUFA3").status_code == 200
    assert "/profiles/" not in searched(client, "Fabrication")

    path = data / "manufacturing-operations.ttl"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"Manufacturing Operations"@en', '"Fabrication Operations"@en'),
        encoding="utf-8",
    )
    store.sync(api.curator_files([data]))

    home = client.get("/").text
    assert "Fabrication Operations" in home and "Manufacturing Operations" not in home
    assert "Fabrication Operations" in client.get("/functions/MANUFA3").text
    assert "/profiles/MANUFA3." in searched(client, "Fabrication")


def test_a_sparql_server_is_read_again(backends, oxigraph_server):
    """Another process adds a function to the server: after refresh_after, the pages show it."""
    store = backends["sparql"]
    client = local(create_app(store, settings=Limits(refresh_after=0.3)))
    assert "Extra function from elsewhere" not in client.get("/").text
    assert client.get("/functions/XTRAFN").status_code == 404
    put = urllib.request.Request(
        f"{oxigraph_server}/store?graph={EXTRA_GRAPH}", EXTRA, {"Content-Type": "text/turtle"}, method="PUT"
    )
    try:
        urllib.request.urlopen(put, timeout=10).read()
        time.sleep(0.5)
        assert "Extra function from elsewhere" in client.get("/").text
        assert client.get("/functions/XTRAFN").status_code == 200
    finally:
        urllib.request.urlopen(
            urllib.request.Request(f"{oxigraph_server}/store?graph={EXTRA_GRAPH}", method="DELETE"), timeout=10
        ).read()


def test_a_view_not_ready_in_time_is_computed_in_the_background():
    """A page asks for a costly view (the adjacency index right after a cold start) with a wait: past it, the
    page answers without the view, which keeps being computed once, and is there on a later visit."""
    import threading

    from jobarch.web.site import Site

    site = Site(api.open_architecture(), Limits())
    release, calls = threading.Event(), []

    def slow() -> int:
        calls.append(1)
        release.wait(30)
        return 42

    started = time.monotonic()
    assert site.soon("slow", slow, wait=0.2) == (False, None)
    assert site.soon("slow", slow, wait=0.1) == (False, None)  # still computing: not started twice
    assert time.monotonic() - started < 5
    release.set()
    assert site.soon("slow", slow, wait=10) == (True, 42) and calls == [1]


def test_a_large_home_page_lists_families_not_every_focus(monkeypatch):
    from jobarch.web import browse

    client = local(create_app(api.open_architecture()))
    every = client.get("/").text
    monkeypatch.setattr(browse, "HOME_FOCI", 5)  # the sample's 14 foci count as many
    families = local(create_app(api.open_architecture())).get("/").text
    assert 'href="/foci/MANUFACT13A2"' in every.split('id="picture"')[0]
    assert 'href="/foci/MANUFACT13A2"' not in families.split('id="picture"')[0]
    assert 'href="/families/MANUFACT13"' in families and "foci, " in families
