"""Shared fixtures: the bundled sample loaded once, and a CLI runner."""
from __future__ import annotations

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
