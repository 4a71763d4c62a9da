"""The server listens before the architecture is open: a reader gets a page that says it is starting (503,
Retry-After, reloading itself), never a refused connection or a page that hangs; then the real pages, with the
application's background work (the adjacency index) started as on any start. A store that cannot be opened stops
the server with the error, its file and line."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Any

import pytest

from jobarch import api
from jobarch.core.resources import sample_data_dir
from jobarch.web.app import create_app
from jobarch.web.starting import Starting
from tests.helpers import REFERENCE_CODE
from tests.web.conftest import running


def fetch(url: str, accept: str = "text/html") -> tuple[int, Any, str]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode("utf-8")


def test_pages_say_starting_until_the_store_is_open():
    opened = threading.Event()

    def build():
        opened.wait(60)  # the store "takes a while": until the test lets it
        return create_app(api.open_architecture())

    starting = Starting(build, stop=lambda: None)
    with running(starting) as base:
        status, headers, body = fetch(f"{base}/profiles/{REFERENCE_CODE}")
        assert status == 503 and headers["Retry-After"] == "2" and headers["Cache-Control"] == "no-store"
        assert "The server is starting" in body and '<meta http-equiv="refresh" content="2">' in body
        status, _, body = fetch(f"{base}/sparql?query=ASK%7B%7D", accept="application/sparql-results+json")
        assert status == 503 and "starting" in body
        opened.set()
        deadline = time.monotonic() + 60
        while (status := fetch(f"{base}/")[0]) == 503 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert status == 200
        # the application's lifespan ran: the adjacency index is built in the background, then the page has it
        while "Being computed" in (body := fetch(f"{base}/profiles/{REFERENCE_CODE}")[2]):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert "/profiles/MANUFA3.MANUFACT14A1.M2" in body
    assert starting.error is None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_answers_at_once_and_stops_on_a_broken_file(tmp_path):
    """The real command: it answers while it opens the files (the first answer comes before the store is
    open), and a file with a syntax error stops it: exit 2, the file and line named."""
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir(), data)
    port = _free_port()
    env = {**os.environ, "JOBARCH_CACHE_DIR": str(tmp_path / "cache"), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "jobarch", "serve", "--port", str(port), "--data", str(data)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline, seen = time.monotonic() + 60, []
        while time.monotonic() < deadline and 200 not in seen:
            try:
                seen.append(fetch(f"http://127.0.0.1:{port}/")[0])
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                time.sleep(0.05)
        assert seen[-1] == 200 and set(seen) <= {503, 200}
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    broken = data / "manufacturing-operations.ttl"
    lines = broken.read_text(encoding="utf-8").splitlines()
    lines[40] = "this is not turtle ;"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "manufacturing-operations.ttl" in result.stderr and ":41" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_search_says_its_index_is_being_built_rather_than_wait():
    """Right after start the search index is built in the background (seconds at 10,000 profiles): a search then
    answers at once that it is being built (503, Retry-After, reloading), and is never kept; then it finds."""
    from tests.web.test_serve import local

    store = api.open_architecture()
    app = create_app(store)
    site, release = app.state.site, threading.Event()
    site.soon("search", lambda: release.wait(30) and api.search_index(store), wait=0)
    client = local(app)
    building = client.get("/search", params={"q": "technician"})
    assert building.status_code == 503 and building.headers["retry-after"] == "2"
    assert building.headers["cache-control"] == "no-store" and "Being computed" in building.text
    assert client.get("/search").status_code == 200  # the empty form needs no index
    release.set()
    site.search_index()
    found = client.get("/search", params={"q": "technician"})
    assert found.status_code == 200 and "Being computed" not in found.text and "/profiles/" in found.text


def test_journeys_say_the_adjacency_index_is_being_built_rather_than_wait():
    """Compare, career path and match need the adjacency index (6 s to build at 10,000 profiles): right after a
    start they answer at once that it is being computed, and are not kept; then they answer."""
    from tests.web.test_serve import local

    store = api.open_architecture()
    app = create_app(store)
    site, release = app.state.site, threading.Event()
    site.soon("adjacency", lambda: release.wait(30) and api.adjacency_index(store), wait=0)
    client = local(app)
    journeys = [
        f"/compare?codes={REFERENCE_CODE},MANUFA3.MANUFACT14A1.M2",
        f"/path?from={REFERENCE_CODE}&to=MANUFA3.MANUFACT14A1.M2",
        "/match?skills=GMP+Compliance%3D3",
    ]
    for path in journeys:
        waiting = client.get(path)
        assert waiting.status_code == 503 and waiting.headers["retry-after"] == "2", path
        assert waiting.headers["cache-control"] == "no-store" and 'http-equiv="refresh"' in waiting.text
    assert client.get("/skills", params={"name": "GMP Compliance"}).status_code == 200  # needs no index
    release.set()
    site.adjacency()
    for path in journeys:
        assert client.get(path).status_code == 200, path


def test_the_server_builds_the_level_pages_while_it_starts():
    """The start-up work in the background (Site.warm) reads the search index and each level's profiles, so that
    a level page's first reader (1,200 profiles at 10,000) does not wait for that read: it needs no query."""
    from jobarch.store import open_store
    from jobarch.web.app import Limits
    from tests.web.test_serve import local

    store = open_store("wrapped")
    store.sync(api.curator_files([sample_data_dir()]))
    app = create_app(store, settings=Limits(refresh_after=3600, kept_pages_bytes=0))
    app.state.site.warm()
    before = store.queries
    client = local(app)
    for code in ("P1", "M2", "M4"):
        page = client.get(f"/levels/{code}")
        assert page.status_code == 200 and "/profiles/" in page.text
    assert store.queries == before
    assert client.get("/levels/Q9").status_code == 404
