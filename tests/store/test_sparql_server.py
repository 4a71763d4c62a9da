"""A shared SPARQL server as the store, as users run it: a real Oxigraph server, loaded with `jobarch load`
from more than one checkout, then read by the commands.

Each test starts its own server (the session's one holds the sample for the backend comparisons)."""

from __future__ import annotations

import shutil

import pytest

from jobarch import api
from jobarch.cli import main
from jobarch.core.resources import sample_data_dir
from tests.conftest import oxigraph_serving
from tests.helpers import REFERENCE_CODE

PROFILES = "SELECT (COUNT(*) AS ?n) WHERE { ?p a ja:JobProfile }"


def checkout(tmp_path, name: str):
    """A copy of the sample architecture at its own place, as a second clone of the repository would be."""
    root = tmp_path / name
    shutil.copytree(sample_data_dir(), root / "data")
    (root / "jobarch.toml").write_text('[jobarch]\ndata = ["data"]\n', encoding="utf-8")
    return root


def count(selector: str, data) -> int:
    store = api.open_architecture([data], selector)
    return int(api.query(store, text=PROFILES).rows[0][0])


def test_load_syncs_by_content_from_any_checkout(tmp_path, runner):
    first, second = checkout(tmp_path, "one"), checkout(tmp_path, "elsewhere")
    with oxigraph_serving(tmp_path / "server") as url:
        selector = f"sparql:{url}/query"
        loaded = runner.invoke(main, ["load", "--store", selector, "--data", str(first / "data")])
        assert loaded.exit_code == 0, loaded.output
        files = len(list((first / "data").glob("*.ttl")))
        assert f"{files} file(s) loaded, 0 unchanged, 0 removed" in loaded.output
        expected = count("memory", first / "data")
        assert count(selector, first / "data") == expected

        # the same files from another checkout: graphs are named from the root, so nothing is uploaded again
        again = runner.invoke(main, ["load", "--store", selector, "--data", str(second / "data")])
        assert again.exit_code == 0 and f"0 file(s) loaded, {files} unchanged, 0 removed" in again.output
        assert count(selector, second / "data") == expected  # no second copy: rows are not repeated

        # a file edited, a file deleted: one upload, one graph gone
        edited = second / "data" / "quality.ttl"
        edited.write_text(edited.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
        gone = sorted((second / "data").glob("research*.ttl"))[0]
        gone.unlink()
        synced = runner.invoke(main, ["load", "--store", selector, "--data", str(second / "data")])
        assert synced.exit_code == 0, synced.output
        assert f"1 file(s) loaded, {files - 2} unchanged, 1 removed" in synced.output
        assert f"removed {gone.name}" in synced.output and "quality.ttl" in synced.output
        assert count(selector, second / "data") == count("memory", second / "data") < expected


def test_load_takes_the_store_from_jobarch_toml(tmp_path, runner, monkeypatch):
    root = checkout(tmp_path, "configured")
    with oxigraph_serving(tmp_path / "server") as url:
        (root / "jobarch.toml").write_text(
            f'[jobarch]\ndata = ["data"]\nstore = "sparql:{url}/query"\n', encoding="utf-8"
        )
        monkeypatch.chdir(root)
        loaded = runner.invoke(main, ["load"])
        assert loaded.exit_code == 0, loaded.output
        assert f"sparql:{url}/query: " in loaded.output and "file(s) loaded" in loaded.output
        shown = runner.invoke(main, ["show", "MANUFA3.MANUFACT13A2.M2"])
        assert shown.exit_code == 0 and "Production Supervision (Upstream Processing)" in shown.output
    (root / "jobarch.toml").write_text('[jobarch]\ndata = ["data"]\n', encoding="utf-8")
    refused = runner.invoke(main, ["load"])  # the default cache is no place to load into
    assert refused.exit_code == 2 and "--store" in refused.output


def test_a_server_without_the_union_default_graph_is_named_with_its_flag(tmp_path, runner):
    root = checkout(tmp_path, "one")
    with oxigraph_serving(tmp_path / "server", union=False) as url:
        selector = f"sparql:{url}/query"
        loaded = runner.invoke(main, ["load", "--store", selector, "--data", str(root / "data")])
        assert loaded.exit_code == 2, loaded.output
        assert "default graph only" in loaded.output and "--union-default-graph" in loaded.output
        shown = runner.invoke(main, ["show", "MANUFA3.MANUFACT13A2.M2", "--store", selector, "--data", str(root)])
        assert shown.exit_code == 2 and "--union-default-graph" in shown.output  # not "no such profile"


def test_construct_answers_come_back_as_graphs(tmp_path):
    root = checkout(tmp_path, "one")
    with oxigraph_serving(tmp_path / "server") as url:
        store, _ = api.load_into_store(f"sparql:{url}/query", [root / "data"])
        graph = api.query(store, text="CONSTRUCT { ?p a ja:JobProfile } WHERE { ?p a ja:JobProfile }")
        assert graph.kind == "CONSTRUCT" and graph.graph is not None and len(graph.graph) == count("memory", root)
        exported = api.export(store, "skos")
        assert isinstance(exported, str) and "skos:Concept" in exported


@pytest.mark.parametrize("variable", ["JOBARCH_SPARQL_TOKEN", "JOBARCH_SPARQL_USER"])
def test_credentials_come_from_the_environment(monkeypatch, variable):
    from jobarch.store.sparql import credentials

    assert credentials() == {} or variable not in ("JOBARCH_SPARQL_TOKEN",)
    monkeypatch.delenv("JOBARCH_SPARQL_TOKEN", raising=False)
    monkeypatch.setenv(variable, "reader")
    monkeypatch.setenv("JOBARCH_SPARQL_PASSWORD", "s3cret")
    header = credentials()["Authorization"]
    assert header == ("Bearer reader" if variable.endswith("TOKEN") else "Basic cmVhZGVyOnMzY3JldA==")


def test_two_servers_over_one_sparql_server_agree_and_see_a_load(tmp_path):
    """Two `jobarch serve` replicas over one SPARQL server give the same pages, and an edit loaded into the
    server is seen by both once their views are older than refresh_after (their caches follow the server's
    data, not the process)."""
    import time

    from jobarch.web.app import Limits, create_app
    from tests.web.test_serve import local

    root = checkout(tmp_path, "one")
    with oxigraph_serving(tmp_path / "server") as url:
        selector = f"sparql:{url}/query"
        api.load_into_store(selector, [root / "data"])
        limits = Limits(refresh_after=0.5)
        replicas = [local(create_app(api.open_architecture([root / "data"], selector), settings=limits)) for _ in "ab"]
        pages = [r.get("/functions/MANUFA3").text for r in replicas]
        assert pages[0] == pages[1] and "Manufacturing Operations" in pages[0]
        path = root / "data" / "manufacturing-operations.ttl"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('"Manufacturing Operations"@en', '"Manufacturing & Supply Operations"@en', 1))
        api.load_into_store(selector, [root / "data"])
        time.sleep(0.6)
        for replica in replicas:
            assert "Manufacturing &amp; Supply Operations" in replica.get("/functions/MANUFA3").text


def test_queries_share_one_kept_open_connection(oxigraph_server):
    """A page asks a dozen questions: they go over one connection (the same local port), not one each; a
    connection the server closed is replaced without the caller noticing."""
    from jobarch.store import open_store

    store = open_store(f"sparql:{oxigraph_server}/query")
    ports = set()
    for _ in range(12):
        assert api.query(store, text="ASK {}").boolean is True
        ports |= {c.sock.getsockname()[1] for idle in store._idle.values() for c in idle if c.sock is not None}
    assert len(ports) == 1  # queries run in threads of their own (their time limit): the connection outlives them
    for idle in store._idle.values():
        for connection in idle:
            connection.sock.close()  # as a server that closes idle connections would
    assert api.query(store, text="ASK {}").boolean is True


def test_what_commands_derive_is_kept_per_server_state(tmp_path, runner, monkeypatch):
    """A command over a SPARQL server reads the profile facts once per state of the server's data (what `load`
    recorded), keeps them beside the cache, and the next command uses them; a load changes the state, and the
    next command sees the edit."""
    from jobarch.domain import facts

    root = checkout(tmp_path, "one")
    monkeypatch.setenv("JOBARCH_CACHE_DIR", str(tmp_path / "cache"))
    with oxigraph_serving(tmp_path / "server") as url:
        selector = f"sparql:{url}/query"
        api.load_into_store(selector, [root / "data"])
        show = ["show", REFERENCE_CODE, "--store", selector, "--data", str(root / "data")]
        first = runner.invoke(main, show)
        assert first.exit_code == 0, first.stderr
        assert any(tmp_path.joinpath("cache").rglob("*.json"))  # kept on disk, beside the cache
        embedded = runner.invoke(main, ["show", REFERENCE_CODE, "--data", str(root / "data")])
        assert embedded.exit_code == 0 and embedded.output == first.output  # and the cache itself still works

        def refuse(*_args, **_kwargs):
            raise AssertionError("the facts were read from the server again")

        with monkeypatch.context() as patched:
            patched.setattr(facts, "read_facts", refuse)
            again = runner.invoke(main, show)
        assert again.exit_code == 0 and again.output == first.output

        path = root / "data" / "manufacturing-operations.ttl"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Manufacturing Operations", "Manufacturing & Supply Operations"), encoding="utf-8")
        api.load_into_store(selector, [root / "data"])
        edited = runner.invoke(main, show)  # a new command: it asks the server for its state
        assert edited.exit_code == 0 and "Manufacturing & Supply Operations" in edited.output
        cleared = runner.invoke(main, ["cache", "clear", "--data", str(root / "data")])
        assert cleared.exit_code == 0 and not list(tmp_path.joinpath("cache").glob("*.sparql-*"))


def test_how_a_server_takes_queries_is_found_once_and_kept(virtuoso_server, tmp_path, monkeypatch):
    """Virtuoso 7 never answers a direct POST: the probe asks with a form first (what every SPARQL 1.1 server
    takes), and the answer is kept beside the cache, so that the next command asks no probe at all."""
    from jobarch.store import open_store
    from jobarch.store.sparql import SparqlStore

    sent: list[tuple[str, str]] = []
    send = SparqlStore._send

    def recording(self, text, accept, how, timeout=None):
        sent.append((how, text))
        return send(self, text, accept, how, timeout)

    monkeypatch.setattr(SparqlStore, "_send", recording)
    selector = f"sparql:{virtuoso_server}/sparql"
    first = open_store(selector, cache_dir=tmp_path / "cache")
    assert api.query(first, text="ASK {}").boolean is True
    assert sent[0] == ("form", "ASK {}") and all(how == "form" for how, _ in sent)
    sent.clear()
    second = open_store(selector, cache_dir=tmp_path / "cache")
    assert api.query(second, text="SELECT * WHERE { ?s ?p ?o } LIMIT 1").rows
    assert sent and all(how == "form" and text != "ASK {}" for how, text in sent)  # no probe
    assert second.graph_store.endswith("/sparql-graph-crud")  # what the probe learnt about Virtuoso, kept too
