"""The Python API answers a wrong argument with a JobarchError that says what to use, never a KeyError, a
silent default or an assert (which ``python -O`` would remove)."""

from __future__ import annotations

import ast

import pytest

from jobarch import api
from jobarch.core.errors import JobarchError
from jobarch.core.resources import sample_data_dir
from jobarch.store import scratch_store
from tests.helpers import REFERENCE_CODE, REPO


def test_a_page_format_the_api_cannot_render_is_named(memory_store):
    with pytest.raises(JobarchError) as caught:
        api.profile_page(memory_store, REFERENCE_CODE, fmt="terminal")
    assert "terminal" in caught.value.message and "print_profile" in (caught.value.hint or "")
    assert REFERENCE_CODE in api.profile_page(memory_store, REFERENCE_CODE, fmt="markdown")


def test_an_unknown_validation_engine_is_refused_not_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("JOBARCH_CACHE_DIR", str(tmp_path))
    with pytest.raises(JobarchError) as caught:
        api.validate_architecture([sample_data_dir()], engine="bogus")
    assert "bogus" in caught.value.message and "pyshacl" in (caught.value.hint or "")


def test_a_scratch_store_holds_what_it_is_given_and_a_file_store_refuses_more(tmp_path):
    triple = ("<http://example.org/a>", "<http://example.org/p>", '"x"')
    store = scratch_store([triple])
    assert store.values("SELECT ?o WHERE { ?s ?p ?o }").rows == [("x",)]
    cache = api.open_architecture([sample_data_dir()], f"oxigraph:{tmp_path / 'store'}")
    with pytest.raises(JobarchError):
        cache.insert([triple])


def test_the_package_checks_its_input_without_assert():
    """``assert`` is for tests: under ``python -O`` it vanishes and the check with it."""
    found: dict[str, int] = {}
    for path in (REPO / "src" / "jobarch").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assert):
                name = path.relative_to(REPO / "src" / "jobarch").as_posix()
                found[name] = found.get(name, 0) + 1
    grown = {name: n for name, n in found.items() if n > ASSERTS_LEFT.get(name, 0)}
    assert not grown, f"new asserts (raise JobarchError or fix the type instead): {grown}"


#: asserts still in the package, each narrowing a type on a path input cannot reach; counts may only go down
ASSERTS_LEFT = {
    "cli/exchange.py": 1,
    "domain/skills.py": 1,
    "graph/canonical.py": 1,
    "graph/terms.py": 1,
    "io/imports/onet.py": 1,
    "present/results.py": 1,
    "query/workers.py": 1,
    "store/memory.py": 1,
    "store/oxigraph.py": 1,
}
