"""Shared fixtures: the bundled sample loaded once, and a CLI runner."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobarch.load import load
from jobarch.resources import sample_data_dir
from jobarch.store import MemoryStore

REPO = Path(__file__).resolve().parent.parent
REFERENCE_CODE = "MANUFA3.MANUFACT13A2.M2"
REFERENCE_PAGE = Path(__file__).parent / "reference" / f"profile-page-{REFERENCE_CODE}.txt"


@pytest.fixture(scope="session")
def sample_architecture():
    return load([sample_data_dir()])


@pytest.fixture(scope="session")
def memory_store(sample_architecture):
    store = MemoryStore()
    store.load(sample_architecture)
    return store


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph SPARQL server on a free loopback port, stopped after the session."""
    import shutil
    import socket
    import subprocess
    import time
    import urllib.request

    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        pytest.fail("the oxigraph server is not installed: pip install -e '.[test]'")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    location = tmp_path_factory.mktemp("oxigraph-server")
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"oxigraph server did not start: {proc.stderr.read().decode(errors='replace')}")
            time.sleep(0.1)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


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
