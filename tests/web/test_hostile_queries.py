"""Hostile queries against the real endpoint and the real command: nothing is fetched, pages never wait for a
query's parsing, a worker never outlives its server, and a query's memory is bounded.

Cases that could reach the network run against a loopback canary (``canary`` in tests/conftest.py) that must
receive no request; the query text is vetted by one parser and run by another, so every way the two could
read a comment or an escape differently is tried on both paths.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

from jobarch import api
from jobarch.query.workers import QueryWorkers
from jobarch.web.app import Limits, create_app
from tests.web.conftest import _free_port, running
from tests.web.test_server_load import (
    _answers,
    _session_processes,
    get,
    in_background,
    post,
    sparql_url,
    wait_until,
)

#: Where the SPARQL grammar ends a comment only at a line feed or carriage return, so these SERVICEs are inside
#: comments (the query runs, and must fetch nothing); every other case is a real SERVICE, refused.
INSIDE_COMMENTS = {"form feed in a comment", "line separator in a comment", "next line in a comment"}


def bypasses(url: str) -> dict[str, str]:
    """Queries whose SERVICE one SPARQL reader could see as a comment or string and another as code."""
    service = f"SERVICE <{url}> {{ ?a ?b ?c }}"
    escaped_iri = "<" + url.replace(":", "\\u003A").replace("/", "\\u002F") + ">"
    return {
        "comment ended by CR": f"SELECT * WHERE {{ ?s ?p ?o #\r {service}\n }} LIMIT 1",
        "comment ended by CR, query on one line": f"SELECT * WHERE {{ ?s ?p ?o #\r {service} }} LIMIT 1",
        "comment ended by CRLF": f"SELECT * WHERE {{ ?s ?p ?o #\r\n {service} }} LIMIT 1",
        "form feed in a comment": f"SELECT * WHERE {{ ?s ?p ?o #\f {service}\n }} LIMIT 1",
        "line separator in a comment": f"SELECT * WHERE {{ ?s ?p ?o #\u2028 {service}\n }} LIMIT 1",
        "next line in a comment": f"SELECT * WHERE {{ ?s ?p ?o #\x85 {service}\n }} LIMIT 1",
        "escaped keyword": f"SELECT * WHERE {{ ?s ?p ?o \\u0053ERVICE <{url}> {{ ?a ?b ?c }} }}",
        "escaped line feed in a comment": f"SELECT * WHERE {{ ?s ?p ?o # \\u000A {service}\n }}",
        "escapes in the IRI": f"SELECT * WHERE {{ SERVICE {escaped_iri} {{ ?a ?b ?c }} }}",
        "lower case, no spaces": f"SELECT * WHERE{{?s ?p ?o.service<{url}>{{?a ?b ?c}}}}",
        "SILENT": f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?a ?b ?c }} }}",
        "after a string holding a hash": f'SELECT * WHERE {{ ?s ?p "#" . {service} }}',
        "in a long string's neighbour": f"SELECT * WHERE {{ ?s ?p '''x\r#''' . {service} }}",
        "inside a sub-select": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ #\r {service}\n }} }} }}",
    }


@pytest.fixture(scope="module")
def server():
    store = api.open_architecture()
    workers = QueryWorkers(store, size=2, queue=4)
    with running(create_app(store, settings=Limits(query_timeout=20, workers=2, queue=4), workers=workers)) as url:
        yield url
    workers.close()


def test_the_endpoint_never_fetches_whatever_the_query_hides(server, canary):
    url, hits = canary
    for name, query in bypasses(url).items():
        status, _, body = get(sparql_url(server, query))
        form = urllib.parse.urlencode({"query": query}).encode()
        posted, _, _ = post(f"{server}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})
        direct, _, _ = post(f"{server}/sparql", query.encode(), {"Content-Type": "application/sparql-query"})
        expected = 200 if name in INSIDE_COMMENTS else 400
        assert (status, posted, direct) == (expected,) * 3, (name, status, posted, direct, body)
    time.sleep(0.5)  # a fetch the engine started would have arrived by now
    assert hits == []


def test_the_command_never_fetches_whatever_the_query_hides(tmp_path, canary):
    url, hits = canary
    for name, query in bypasses(url).items():
        result = subprocess.run(
            [sys.executable, "-m", "jobarch", "query", "-e", query], capture_output=True, text=True, cwd=tmp_path
        )
        assert result.returncode == (0 if name in INSIDE_COMMENTS else 2), (name, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        if name not in INSIDE_COMMENTS:
            assert "SERVICE is refused" in result.stderr, (name, result.stderr)
    assert hits == []


def test_comments_and_strings_that_look_like_keywords_still_answer(server):
    harmless = {
        "a comment naming SERVICE": "ASK { ?s ?p ?o # SERVICE <http://example.org/> { }\n }",
        "a CR-ended comment": "ASK {\r# a comment\r ?s ?p ?o }",
        "strings naming SERVICE and FROM": 'ASK { ?s ?p ?o FILTER(?o != "SERVICE <x> { }" && ?o != "FROM <y>") }',
        "a variable and a prefixed name": "SELECT ?service WHERE { ?service a ja:Service } LIMIT 1",
        "an IRI with a hash": "ASK { ?s a <https://w3id.org/jobarch#JobProfile> }",
    }
    for name, query in harmless.items():
        status, _, body = get(sparql_url(server, query), {"Accept": "application/sparql-results+json"})
        assert status == 200, (name, body)
    status, _, body = get(sparql_url(server, harmless["a CR-ended comment"]), {"Accept": "application/json"})
    assert b"true" in body


def test_errors_keep_the_line_and_column_of_the_query_as_written():
    from jobarch.core.errors import JobarchError

    store = api.open_architecture()
    with pytest.raises(JobarchError) as caught:
        api.query(store, text="# a comment\rSELECT * WHERE {\n ?s ?p ?o\n FILTER( }")
    assert caught.value.location is not None and caught.value.location.line == 3


@pytest.mark.parametrize(
    "query, phrase",
    [
        ("SELECT * WHERE " + "{ " * 60 + "?s ?p ?o" + " }" * 60, "nests brackets"),
        ("SELECT * WHERE { " + " . ".join(f"?s{i} ?p ?o{i}" for i in range(3000)) + " }", ""),
    ],
    ids=["nested 60 deep", "3,000 triple patterns"],
)
def test_deep_or_huge_queries_get_a_clear_answer_never_an_internal_error(server, tmp_path, query, phrase):
    form = urllib.parse.urlencode({"query": query}).encode()
    status, _, body = post(f"{server}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status in (200, 400, 503) and b"internal" not in body.lower(), (status, body[:300])
    assert phrase.encode() in body
    (tmp_path / "q.rq").write_text(query, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "jobarch", "query", "--file", "q.rq", "--timeout", "30"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode in (0, 2) and "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert phrase in result.stderr


SLOW_TO_PARSE = "SELECT * WHERE { ?s ?p ?o FILTER(1 IN (" + ",".join(["1"] * 4000) + ")) } LIMIT 1"


@pytest.mark.slow
def test_pages_never_wait_for_a_query_that_is_slow_to_parse(server):
    def ask() -> None:
        form = urllib.parse.urlencode({"query": SLOW_TO_PARSE}).encode()
        post(f"{server}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})

    askers = [threading.Thread(target=ask, daemon=True) for _ in range(2)]
    for asker in askers:
        asker.start()
    time.sleep(0.3)  # both are being parsed now
    timings = []
    for _ in range(5):
        started = time.monotonic()
        status, _, _ = get(f"{server}/levels")
        timings.append(time.monotonic() - started)
        assert status == 200
    for asker in askers:
        asker.join(timeout=60)
    # a page takes tens of milliseconds; parsing one such query (3 s here) on the event loop held every page
    assert max(timings) < 2.0, timings


@pytest.mark.slow
def test_a_query_that_needs_too_much_memory_is_stopped_alone():
    store = api.open_architecture()
    limits = Limits(query_timeout=120, workers=1, query_memory=150 * 2**20)
    big_sort = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f ?a ?d"
    with running(create_app(store, settings=limits)) as base:
        started = time.monotonic()
        status, _, body = get(sparql_url(base, big_sort), timeout=150)
        assert status == 503 and b"MiB a query may use" in body, (status, body[:300])
        assert time.monotonic() - started < 100
        status, _, body = get(sparql_url(base, "ASK {}"), {"Accept": "application/json"})
        assert status == 200 and b"true" in body  # the worker was replaced


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_server_however_it_dies(tmp_path, how):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "jobarch", "serve", "--port", str(port), "--query-timeout", "600"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
        start_new_session=True,
    )
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_until(lambda: _answers(base), seconds=60), "the server did not start"
        in_background(sparql_url(base, runaway))
        assert wait_until(lambda: any(_cpu_busy(pid) for pid in _session_processes(proc.pid) if pid != proc.pid))
        proc.send_signal(how)
        proc.wait(timeout=15)
        # what is left of the session may only be zombies waiting for a reaper, never a running process
        assert wait_until(lambda: not _running(_session_processes(proc.pid)), seconds=10), _session_processes(proc.pid)
    finally:
        for pid in _session_processes(proc.pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "X"


def _running(pids: list[int]) -> list[int]:
    return [pid for pid in pids if _state(pid) not in ("Z", "X")]


def _cpu_busy(pid: int) -> bool:
    return _state(pid) == "R"


@pytest.mark.parametrize("escape", ["%20", "%00", "%7C", "%5E", "%60", "%3E", "%3C", "%22", "%5C", "%ff", "%0A"])
def test_linked_data_paths_that_name_no_iri_are_not_found(server, escape):
    for prefix in ("", "profile/", "level/", "skills/", "profiles/", "foci/", "levels/"):
        for accept in ("text/html", "text/turtle"):
            status, _, _ = get(f"{server}/{prefix}a{escape}b", {"Accept": accept})
            assert status == 404, (prefix, escape, accept, status)


def test_an_escape_out_of_range_is_a_clear_error(server):
    status, _, body = get(sparql_url(server, 'SELECT * WHERE { ?s ?p "\\u003A4472" }'))
    assert status == 400 and b"escape" in body
