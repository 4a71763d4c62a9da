"""Pages kept for their next reader: the second reader of a page is sent the bytes the first was, without a query,
until the data changes; per language and media type; a page still waiting for a view is never kept; the bytes
kept stay under their bound."""

from __future__ import annotations

import shutil

from jobarch import api
from jobarch.core.resources import sample_data_dir
from jobarch.store import open_store
from jobarch.web.app import Limits, create_app
from tests.helpers import REFERENCE_CODE
from tests.web.test_serve import local

PROFILE = f"/profiles/{REFERENCE_CODE}"


def counted_app(**limits):
    """The app over the test suite's counting backend (a real Oxigraph store inside), with the adjacency index
    built first, so that every page is complete."""
    store = open_store("wrapped")
    store.sync(api.curator_files([sample_data_dir()]))
    app = create_app(store, index=api.adjacency_index(store), settings=Limits(refresh_after=3600, **limits))
    return store, app


def test_the_second_reader_gets_the_kept_page_without_a_query():
    store, app = counted_app()
    client = local(app)
    pages = [
        PROFILE,
        "/",
        "/levels/M2",
        "/search?q=technician",
        f"/compare?codes={REFERENCE_CODE},QUALIT2.QUALIT10A1.M2",
    ]
    first = {path: client.get(path) for path in pages}
    assert all(r.status_code == 200 for r in first.values())
    before = store.queries
    again = {path: client.get(path) for path in pages}
    assert store.queries == before  # answered from the kept pages
    for path in pages:
        assert again[path].content == first[path].content, path
        assert again[path].headers["content-type"] == first[path].headers["content-type"]
    # the middlewares' headers are added to each answer, not piled onto the kept one
    assert again[PROFILE].headers.get_list("vary") == first[PROFILE].headers.get_list("vary")
    assert client.get("/search?q=operator").content != again["/search?q=technician"].content  # its own address


def test_pages_are_kept_per_language_and_media_type():
    store, app = counted_app()
    client = local(app)
    english = client.get(PROFILE).text
    german = client.get(PROFILE, headers={"Accept-Language": "de"}).text
    assert 'lang="de"' in german and 'lang="en"' in english and german != english
    # a browser's regional tags choose the same texts: the page kept for its language serves them
    before = store.queries
    assert client.get(PROFILE, headers={"Accept-Language": "en-US,en;q=0.9"}).text == english
    assert client.get(PROFILE, headers={"Accept-Language": "de-AT"}).text == german
    assert store.queries == before
    assert client.get(PROFILE).text == english  # the English reader still gets English
    turtle = client.get(PROFILE, headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle") and "<html" not in turtle.text
    assert client.get(PROFILE).text == english


def test_a_changed_file_changes_the_kept_profile_page(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir(), data)
    store = api.open_architecture([data], "oxigraph:")
    client = local(create_app(store, index=api.adjacency_index(store), data=[data]))
    title = "Production Supervision (Upstream Processing) — M2"
    assert title in client.get(PROFILE).text
    path = data / "manufacturing-operations.ttl"
    text = path.read_text(encoding="utf-8")
    assert title in text
    path.write_text(text.replace(title, "Upstream Production Lead II"), encoding="utf-8")
    store.sync(api.curator_files([data]))
    page = client.get(PROFILE).text
    assert "Upstream Production Lead II" in page and title not in page


def test_a_page_waiting_for_a_view_is_not_kept():
    """Right after start the profile page says its adjacent roles are being computed: that page is marked
    no-store and the next reader, once the index is there, gets the adjacent roles."""
    import threading

    store = open_store("wrapped")
    store.sync(api.curator_files([sample_data_dir()]))
    app = create_app(store, settings=Limits(refresh_after=3600))
    site = app.state.site
    release = threading.Event()
    site.soon("adjacency", lambda: release.wait(30) and api.adjacency_index(store), wait=0)
    client = local(app)
    waiting = client.get(PROFILE)
    assert "Being computed" in waiting.text and waiting.headers["cache-control"] == "no-store"
    release.set()
    site.adjacency()  # the index the background computation makes
    complete = client.get(PROFILE)
    assert "Being computed" not in complete.text and "/profiles/MANUFA3.MANUFACT14A1.M2" in complete.text


def test_the_kept_pages_stay_under_their_bound():
    bound = 200_000
    _, app = counted_app(kept_pages_bytes=bound)
    client = local(app)
    codes = list(api.adjacency_index(app.state.site.store).titles)[:30]
    sizes = [len(client.get(f"/profiles/{code}").content) for code in codes]
    assert sum(sizes) > 2 * bound  # more than fits
    site = app.state.site
    assert 0 < site._pages_bytes <= bound
    assert len(site._pages) < len(codes)
    assert client.get(f"/profiles/{codes[0]}").status_code == 200  # a page pushed out is rendered again


def test_no_page_is_kept_when_the_bound_is_zero():
    store, app = counted_app(kept_pages_bytes=0)
    client = local(app)
    first = client.get(PROFILE).content
    before = store.queries
    assert client.get(PROFILE).content == first and store.queries > before


def test_a_named_query_answer_is_kept():
    """A named query's answer page (and its download) is kept like any page: the second reader gets it even
    when no query worker is left to run it, while an answer not asked for before needs one."""
    store = api.open_architecture()
    workers = api.query_workers(store, 1, 8, None)
    app = create_app(store, workers=workers)
    with local(app) as client:
        path = "/queries/profiles_at_level?level=M2"
        first, csv = client.get(path), client.get(path + "&format=csv")
        assert first.status_code == 200 and "MANUFA3.MANUFACT13A2.M2" in first.text
        assert csv.headers["content-type"].startswith("text/csv") and "MANUFA3.MANUFACT13A2.M2" in csv.text
        workers.close()
        assert client.get(path).text == first.text
        assert client.get(path + "&format=csv").text == csv.text
        assert client.get("/queries/profiles_at_level?level=M3").status_code != 200
