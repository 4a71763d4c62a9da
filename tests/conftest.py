"""Shared fixtures: the sample loaded once, every backend synced with it, a real Oxigraph server, a CLI runner."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobarch.core.resources import sample_data_dir
from jobarch.graph.architecture import load
from jobarch.graph.sources import discover
from jobarch.store import open_store, register
from jobarch.store.memory import MemoryStore

# The default store caches each architecture it reads; the tests' caches live apart from the user's (subprocesses
# started by tests inherit this too).
os.environ["JOBARCH_CACHE_DIR"] = tempfile.mkdtemp(prefix="jobarch-test-cache-")

#: Every backend the equality tests run on: the three built in, and a fourth registered by the tests
#: (tests/store/wrapped.py) to show that a new backend needs nothing outside jobarch.store.
BACKENDS = ["memory", "oxigraph", "sparql", "wrapped"]
if os.environ.get("JOBARCH_TEST_VIRTUOSO", "yes") != "no":  # the lowest-dependency run in .ci/run leaves it out
    BACKENDS.append("virtuoso")  # a SPARQL server of another make: Debian's Virtuoso 7 (see virtuoso_server)
register("wrapped", "tests.store.wrapped:open_wrapped", "wrapped", "a test backend that wraps in-memory Oxigraph")


@pytest.fixture(scope="session")
def sample_architecture():
    return load([sample_data_dir()])


@pytest.fixture(scope="session")
def sample_files():
    return discover([sample_data_dir()])


@pytest.fixture(scope="session")
def memory_store(sample_architecture, sample_files):
    store = MemoryStore(sample_architecture)
    store.sync(sample_files)
    return store


def open_backend(kind: str, request, tmp_path_factory, sample_architecture):
    """A store of one backend kind, empty (the memory store starts from the parsed sample)."""
    if kind == "memory":
        return MemoryStore(sample_architecture)
    if kind == "oxigraph":
        return open_store(f"oxigraph:{tmp_path_factory.mktemp('ox')}")
    if kind == "sparql":
        return open_store("sparql:" + request.getfixturevalue("oxigraph_server") + "/query", load=True)
    if kind == "virtuoso":
        return open_store("sparql:" + request.getfixturevalue("virtuoso_server") + "/sparql", load=True)
    return open_store(kind)


@pytest.fixture(scope="session")
def backends(request, tmp_path_factory, sample_architecture, sample_files):
    """Every backend, each synced with the sample: the equality tests compare them with memory."""
    stores = {}
    for kind in BACKENDS:
        stores[kind] = open_backend(kind, request, tmp_path_factory, sample_architecture)
        stores[kind].sync(sample_files)
    return stores


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request, backends):
    """One backend at a time (a test using it runs once per backend)."""
    return backends[request.param]


@contextlib.contextmanager
def oxigraph_serving(location: Path, union: bool = True):
    """A real Oxigraph SPARQL server on a free loopback port for the block; yields its base URL. ``union``:
    started with --union-default-graph (queries see the named graphs), as jobarch asks of a server."""
    import shutil
    import socket
    import subprocess

    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        pytest.fail("the oxigraph server is not installed: pip install -e '.[test]'")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(
        command + (["--union-default-graph"] if union else []), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    answering(proc, f"{url}/query?query=ASK%7B%7D", 30, lambda: proc.stderr.read().decode(errors="replace"))
    with stopping(proc, 10):
        yield url


VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql}
DisableUnixSocket = 1
ServerThreads = 10
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {dir}
ServerThreads = 10
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@contextlib.contextmanager
def stopping(proc, seconds: float):
    """Stop a server started for tests when the block ends: asked to, then killed after ``seconds``."""
    import subprocess

    try:
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            proc.kill()


def answering(proc, probe: str, seconds: float, why) -> None:
    """Wait until a server just started answers ``probe``; fail with ``why()`` (its log) if it stops or is late."""
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(probe, timeout=2).read()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"the server did not start: {why()}")
            time.sleep(0.1)


def _free_ports(n: int) -> list[int]:
    import socket

    sockets = [socket.socket() for _ in range(n)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """Debian's Virtuoso 7 (virtuoso-opensource), started in the foreground on free loopback ports with a
    database of its own, its SPARQL user allowed to write graphs (what `jobarch load` needs); stopped after the
    session. `.ci/run` installs it; elsewhere the tests that need it skip and say what to install."""
    import shutil
    import subprocess

    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not (binary and isql):
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("Virtuoso is not installed: apt-get install virtuoso-opensource")
        pytest.skip("Virtuoso is not installed: apt-get install virtuoso-opensource")
    folder = tmp_path_factory.mktemp("virtuoso")
    isql_port, http_port = _free_ports(2)
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, isql=isql_port, http=http_port), encoding="utf-8")
    proc = subprocess.Popen(
        [binary, "-f", "-c", str(ini)], cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{http_port}"
    log = folder / "virtuoso.log"
    answering(proc, f"{url}/sparql?query=ASK%7B%7D", 120, lambda: log.read_text(errors="replace")[-2000:])
    grant = "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
    subprocess.run([isql, str(isql_port), "dba", "dba", f"exec={grant}"], check=True, capture_output=True, timeout=60)
    with stopping(proc, 30):
        yield url


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph SPARQL server on a free loopback port, stopped after the session."""
    with oxigraph_serving(tmp_path_factory.mktemp("oxigraph-server")) as url:
        yield url


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def write(tmp_path):
    """Write a file under tmp_path and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def canary():
    """A loopback HTTP server that counts the requests it gets (a test asserts it got none); it answers any path
    with a JSON-LD context, so that a fetch that happened would also succeed."""
    import http.server
    import threading

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b'{"@context": {"name": "http://schema.org/name"}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET  # noqa: N815 (the name http.server calls)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/ctx.jsonld", hits
    server.shutdown()
