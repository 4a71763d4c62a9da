"""A server that stays up for everyone: queries never block pages, runaway and abandoned queries are stopped,
a full server says so, and hostile requests (foreign Host, cross-origin writes, huge bodies) are refused.

Everything runs the real server (uvicorn) over real sockets on loopback.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from jobarch import api
from jobarch.query.workers import QueryWorkers
from jobarch.web.app import Limits, create_app
from tests.helpers import REFERENCE_CODE
from tests.web.conftest import _free_port, running

#: Runs for hours on the sample (three-way cross product of every triple); only its time limit stops it.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def get(url: str, headers: dict | None = None, timeout: float = 30) -> tuple[int, Any, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def post(url: str, body: bytes, headers: dict) -> tuple[int, Any, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def sparql_url(base: str, query: str) -> str:
    return f"{base}/sparql?" + urllib.parse.urlencode({"query": query})


def in_background(url: str) -> threading.Thread:
    """Request ``url`` from a thread; a request the server drops (it is stopping) is no error here."""

    def request() -> None:
        with contextlib.suppress(OSError):
            get(url, timeout=60)

    thread = threading.Thread(target=request, daemon=True)
    thread.start()
    return thread


@pytest.fixture(scope="module")
def server():
    """A server with two query workers, a queue of one and a 20 s query limit."""
    store = api.open_architecture()
    workers = QueryWorkers(store, size=2, queue=1)
    limits = Limits(query_timeout=20, workers=2, queue=1, max_answer_bytes=20_000)
    with running(create_app(store, settings=limits, workers=workers)) as url:
        yield url, workers
    workers.close()


def wait_until(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
def test_pages_and_a_full_server_answer_while_queries_run(server):
    base, workers = server
    runaway = [in_background(sparql_url(base, RUNAWAY)) for _ in range(2)]
    assert wait_until(lambda: workers.busy == 2)
    status, _, body = get(f"{base}/")
    assert status == 200 and b"<html" in body
    assert workers.busy == 2  # the page answered while both queries still ran: pages never wait for queries
    waiting = in_background(sparql_url(base, "ASK {}"))  # the one place in the queue
    assert wait_until(lambda: workers.waiting == 1)
    status, headers, body = get(sparql_url(base, "ASK {}"))
    assert status == 503 and headers["Retry-After"].isdigit() and b"busy" in body
    for thread in [*runaway, waiting]:
        thread.join(timeout=60)
    assert workers.busy == 0
    status, _, body = get(sparql_url(base, "ASK {}"), {"Accept": "application/sparql-results+json"})
    assert status == 200 and b"true" in body  # the workers were replaced and answer again


@pytest.mark.slow
def test_an_abandoned_query_is_stopped_with_its_worker(server):
    base, workers = server
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as sock:
        target = "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        assert wait_until(lambda: workers.busy == 1)
    assert wait_until(lambda: workers.busy == 0, seconds=5)  # stopped within seconds, not at the 20 s limit
    before = {pid: _cpu_seconds(pid) for pid in workers.processes}
    time.sleep(1.0)
    spent = {pid: _cpu_seconds(pid) - seconds for pid, seconds in before.items()}
    assert all(s < 0.5 for s in spent.values()), spent  # no worker is still computing the abandoned query


@pytest.mark.slow
def test_a_runaway_query_ends_at_its_time_limit():
    store = api.open_architecture()
    with running(create_app(store, settings=Limits(query_timeout=1.5, workers=1))) as base:
        status, _, body = get(sparql_url(base, RUNAWAY))
        assert status == 503 and b"longer than 1.5 s" in body
        status, _, body = get(sparql_url(base, "ASK {}"))
        assert status == 200


def test_answers_over_the_size_limit_are_refused_where_computed(server):
    base, _ = server
    everything = (
        "SELECT (GROUP_CONCAT(STR(?o)) AS ?all) WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }"  # one row, far over 20 kB
    )
    status, _, body = get(sparql_url(base, everything))
    assert status == 400 and b"MiB of text" in body and b"limit" in body


def test_foreign_host_headers_are_refused(server):
    base, _ = server
    port = base.rsplit(":", 1)[1]
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example"):
        status, _, _ = get(f"{base}/", {"Host": host})
        assert status == 400, host
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        status, _, _ = get(f"{base}/", {"Host": host})
        assert status == 200, host


@pytest.mark.parametrize(
    "headers, status",
    [
        ({"Origin": "http://evil.example"}, 403),
        ({"Origin": "null"}, 403),
        ({"Sec-Fetch-Site": "cross-site"}, 403),
        ({"Sec-Fetch-Site": "same-site"}, 403),
        ({"Sec-Fetch-Site": "same-origin"}, 200),
        ({}, 200),  # a script or SPARQL client sends no Origin
    ],
)
def test_cross_origin_posts_are_refused(server, headers, status):
    base, _ = server
    body = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    got, _, _ = post(f"{base}/sparql", body, {"Content-Type": "application/x-www-form-urlencoded", **headers})
    assert got == status


def test_same_origin_form_post_is_answered(server):
    base, _ = server
    body = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    status, _, _ = post(f"{base}/sparql", body, {"Content-Type": "application/x-www-form-urlencoded", "Origin": base})
    assert status == 200


@pytest.mark.parametrize("path", ["/", "/sparql?query=ASK%7B%7D", "/profiles/NOPE", "/static/jobarch.css"])
def test_every_answer_carries_the_security_headers(server, path):
    base, _ = server
    _, headers, _ = get(base + path)
    lowered = {k.lower(): v for k, v in headers.items()}
    assert "frame-ancestors 'none'" in lowered["content-security-policy"]
    assert "script-src" not in lowered["content-security-policy"]  # default-src 'none': no script at all
    assert lowered["x-content-type-options"] == "nosniff"


def test_a_huge_body_is_refused_while_it_arrives(server):
    """The limit is enforced on the stream: the server answers 413 long before a 300 MB body has been sent."""
    import select

    base, _ = server
    port = int(base.rsplit(":", 1)[1])
    sent, answer = 0, b""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"%x\r\n" % 65536 + b"#" * 65536 + b"\r\n"
        while sent < 300 * 2**20 and not answer:
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += 65536
            if select.select([sock], [], [], 0)[0]:
                answer = sock.recv(65536)
        if not answer:
            answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413") and sent < 50 * 2**20
    status, _, _ = post(f"{base}/sparql", b"x" * 200_000, {"Content-Type": "application/sparql-query"})
    assert status == 413  # a declared length over the limit is refused before reading


@pytest.mark.slow
def test_sigterm_stops_the_server_and_its_running_query_within_seconds():
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "jobarch", "serve", "--port", str(port), "--query-timeout", "600"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_until(lambda: _answers(base), seconds=60), "the server did not start"
        in_background(sparql_url(base, RUNAWAY))
        assert wait_until(lambda: _computing(proc.pid), seconds=30), "the query never ran"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)  # a 600 s query does not hold the server (TimeoutExpired fails the test)
        # nothing of the server is left: no process in its session still runs the query
        assert wait_until(lambda: not _session_processes(proc.pid), seconds=5), _session_processes(proc.pid)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def _answers(base: str) -> bool:
    try:
        return get(f"{base}/sparql?query=ASK%7B%7D", timeout=2)[0] == 200
    except OSError:
        return False


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used; 0 for one that is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


def _computing(session: int) -> bool:
    """Whether a process of the server's session has used a second of CPU: a worker is running the query."""
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in _session_processes(session):
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            if pid != session and int(stat[11]) >= ticks:  # utime, the 14th field
                return True
    return False


def _session_processes(session: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getsid(int(entry)) == session:
                    found.append(int(entry))
            except OSError:
                continue
    return found


@pytest.mark.slow
def test_pages_are_never_queued_behind_twenty_slow_queries():
    """20 runaway queries (2 run, 8 wait, the rest are told 503) and two people browsing: every page answers while
    the queries are still running (the p95 itself is measured in benchmarks/bench_serve.py, not asserted here)."""
    store = api.open_architecture()
    workers = QueryWorkers(store, size=2, queue=8)
    limits = Limits(query_timeout=4, workers=2, queue=8)
    with running(create_app(store, settings=limits, workers=workers)) as base:
        slow = [in_background(sparql_url(base, RUNAWAY)) for _ in range(20)]
        assert wait_until(lambda: workers.busy == 2)
        answered: list[tuple[str, int, int]] = []  # (path, status, queries running when it answered)
        paths = ["/", f"/profiles/{REFERENCE_CODE}", "/levels/M2", "/search?q=manufacturing", "/foci/MANUFACT13A2"]

        def browse() -> None:  # in a thread: what it sees is checked by the test, after
            for path in paths * 4:
                status, _, _ = get(base + path)
                answered.append((path, status, workers.busy))

        people = [threading.Thread(target=browse) for _ in range(2)]
        for person in people:
            person.start()
        for person in people:
            person.join(timeout=120)
        for thread in slow:
            thread.join(timeout=60)
    workers.close()
    assert len(answered) == 2 * 4 * len(paths)
    assert all(status == 200 for _, status, _ in answered), answered
    assert all(busy == 2 for _, _, busy in answered), answered  # every page answered while the queries still ran
