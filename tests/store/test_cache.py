"""The default store: a cache of the files that is never stale, never corrupted by two commands, rebuilt when unsure.

These tests run the real command in parallel processes against one cache
directory, damage the cache on purpose, and edit files the way tools do
(``cp -p`` restores the modification time).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jobarch.cli import main
from jobarch.core.resources import sample_data_dir
from jobarch.graph.sources import discover
from jobarch.store import open_store
from tests.helpers import REFERENCE_CODE

pytestmark = pytest.mark.slow  # real processes


@pytest.fixture
def architecture(tmp_path):
    data = tmp_path / "arch"
    shutil.copytree(sample_data_dir(), data)
    return data


@pytest.fixture
def cache_env(tmp_path):
    env = {**os.environ, "JOBARCH_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("JOBARCH_STORE", None)
    return env


def jobarch(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jobarch", *args], env=env, capture_output=True, text=True, timeout=120, **kwargs
    )


def start(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "jobarch", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def stats(data: Path, env: dict) -> dict:
    result = jobarch(["stats", "--format", "json", "--data", str(data)], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_default_store_answers_as_the_memory_store(architecture, cache_env):
    cached = jobarch(["show", REFERENCE_CODE, "--format", "text", "--data", str(architecture)], cache_env)
    again = jobarch(["show", REFERENCE_CODE, "--format", "text", "--data", str(architecture)], cache_env)
    memory = jobarch(
        ["show", REFERENCE_CODE, "--format", "text", "--data", str(architecture), "--store", "memory"], cache_env
    )
    assert cached.returncode == again.returncode == memory.returncode == 0
    assert cached.stdout == again.stdout == memory.stdout
    assert stats(architecture, cache_env) == json.loads(
        jobarch(["stats", "--format", "json", "--data", str(architecture), "--store", "memory"], cache_env).stdout
    )


def test_commands_started_together_on_a_cold_cache_agree(architecture, cache_env):
    processes = [start(["stats", "--format", "json", "--data", str(architecture)], cache_env) for _ in range(4)]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert all(p.returncode == 0 for p in processes), "\n".join(err for _, err in outputs)
    assert len({out for out, _ in outputs}) == 1
    generations = [
        p for p in next((Path(cache_env["JOBARCH_CACHE_DIR"])).iterdir()).iterdir() if p.name.startswith("g")
    ]
    assert len(generations) == 1  # the writers queued; the last one out (writer or reader) removed the old ones
    assert generations[0].name == "g0000001"  # one wrote; those that waited found nothing left to write


def test_a_reader_keeps_its_snapshot_while_a_writer_changes_the_store(architecture, cache_env):
    """A long query keeps reading the generation it opened while other commands sync an edit; both are right."""
    assert jobarch(["stats", "--data", str(architecture)], cache_env).returncode == 0
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?b ?q ?c . ?c ?r ?d . FILTER (STRLEN(STR(?d)) > 0) }"
    reader = start(["query", "-e", slow, "--format", "csv", "--timeout", "0", "--data", str(architecture)], cache_env)
    time.sleep(1.0)  # the reader has opened its generation
    skills = architecture / "skills.ttl"
    skills.write_text(
        skills.read_text(encoding="utf-8").replace("People Leadership", "People Management"), encoding="utf-8"
    )
    label = "SELECT ?l WHERE { ?s skos:prefLabel ?l FILTER (STR(?l) = 'People Management') }"
    writer = jobarch(["query", "-e", label, "--format", "csv", "--data", str(architecture)], cache_env)
    assert writer.returncode == 0 and "People Management" in writer.stdout
    out, err = reader.communicate(timeout=300)
    assert reader.returncode == 0, err
    assert int(out.splitlines()[1]) > 0
    jobarch(["stats", "--data", str(architecture)], cache_env)  # the next command cleans up
    store_dir = next(Path(cache_env["JOBARCH_CACHE_DIR"]).iterdir())
    assert len([p for p in store_dir.iterdir() if p.name.startswith("g")]) == 1  # the old snapshot is gone


def test_an_edit_that_keeps_size_and_modification_time_is_seen(architecture, cache_env, tmp_path):
    """cp -p and rsync -a restore the modification time; the cache looks at the content."""
    before = stats(architecture, cache_env)["qualityPassRate"]
    edited = tmp_path / "edited.ttl"
    text = (architecture / "quality.ttl").read_text(encoding="utf-8")
    edited.write_text(text.replace("ja:score 5", "ja:score 1", 1), encoding="utf-8")  # same size
    assert edited.stat().st_size == (architecture / "quality.ttl").stat().st_size
    original = (architecture / "quality.ttl").stat()
    subprocess.run(["cp", "-p", str(edited), str(architecture / "quality.ttl")], check=True)
    os.utime(architecture / "quality.ttl", ns=(original.st_atime_ns, original.st_mtime_ns))
    assert stats(architecture, cache_env)["qualityPassRate"] < before


@pytest.mark.parametrize("damage", ["pointer", "database", "version", "state"])
def test_a_damaged_or_foreign_version_cache_is_rebuilt(architecture, cache_env, damage):
    count = [
        "query",
        "-e",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "--format",
        "csv",
        "--data",
        str(architecture),
    ]
    triples = jobarch(count, cache_env).stdout
    expected = stats(architecture, cache_env)
    store_dir = next(Path(cache_env["JOBARCH_CACHE_DIR"]).iterdir())
    generation = next(p for p in store_dir.iterdir() if p.name.startswith("g"))
    if damage == "pointer":
        (store_dir / "jobarch-store.json").write_text("{not json", encoding="utf-8")
    elif damage == "database":
        shutil.rmtree(generation / "db")
    elif damage == "version":
        pointer = json.loads((store_dir / "jobarch-store.json").read_text(encoding="utf-8"))
        (store_dir / "jobarch-store.json").write_text(json.dumps({**pointer, "jobarch": "0.0.1"}), encoding="utf-8")
    else:
        (generation / "state" / "sources.json").write_text("[]", encoding="utf-8")
    assert stats(architecture, cache_env) == expected
    assert jobarch(count, cache_env).stdout == triples  # nothing loaded twice (blank nodes would be)


def test_deleting_the_cache_is_safe_and_cache_commands_say_what_it_is(architecture, cache_env):
    expected = stats(architecture, cache_env)
    info = json.loads(jobarch(["cache", "info", "--format", "json", "--data", str(architecture)], cache_env).stdout)
    assert info["usable"] and info["files"] == 6 and info["bytes"] > 0
    assert info["path"].startswith(cache_env["JOBARCH_CACHE_DIR"])
    cleared = jobarch(["cache", "clear", "--data", str(architecture)], cache_env)
    assert cleared.returncode == 0 and not Path(info["path"]).exists()
    assert stats(architecture, cache_env) == expected
    shutil.rmtree(info["path"])
    assert stats(architecture, cache_env) == expected


def test_a_directory_that_is_not_a_jobarch_store_is_refused(tmp_path, runner):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("my notes", encoding="utf-8")
    result = runner.invoke(main, ["stats", "--store", f"oxigraph:{foreign}"])
    assert result.exit_code == 2 and "not a jobarch store" in result.stderr
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "my notes"


def test_the_cache_lives_beside_jobarch_toml(tmp_path, architecture, monkeypatch):
    (tmp_path / "jobarch.toml").write_text('[jobarch]\ndata = ["arch"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JOBARCH_CACHE_DIR", raising=False)
    from jobarch import api

    assert api.cache_info()["path"] == str(tmp_path / ".jobarch" / "cache")
    store = api.open_architecture()
    assert store.select(
        "SELECT ?c WHERE { ?p a <https://w3id.org/jobarch#JobProfile> ; <https://w3id.org/jobarch#code> ?c }"
    )
    store.close()
    assert (tmp_path / ".jobarch" / "cache" / "jobarch-store.json").is_file()


def test_a_file_that_breaks_keeps_its_last_good_version(architecture, tmp_path):
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    store.sync(discover([architecture]))
    count = len(store)
    skills = architecture / "skills.ttl"
    good = skills.read_text(encoding="utf-8")
    skills.write_text(good + '\nskill:broken skos:prefLabel "open .\n', encoding="utf-8")
    with pytest.raises(Exception, match="syntax error"):
        store.sync(discover([architecture]))
    assert len(store) == count
    store.close()


def _answers(store) -> list:
    return sorted(
        (r["p"], r["c"])
        for r in store.select(
            "SELECT ?p ?c WHERE { ?p <https://w3id.org/jobarch#code> ?c }"  # every coded resource of every file
        )
    )


def test_a_large_file_streams_into_the_store_and_edits_around_it_are_seen(architecture, tmp_path, monkeypatch):
    """A file above the streaming size is loaded batch by batch (memory stays flat, see benchmarks); the store
    answers as if it were loaded normally, and every later edit (of it or another file) is seen."""
    import jobarch.store.oxigraph as oxigraph_backend

    reference = open_store(f"oxigraph:{tmp_path / 'reference'}")
    reference.sync(discover([architecture]))
    expected = _answers(reference)
    reference.close()

    monkeypatch.setattr(oxigraph_backend, "BULK_BYTES", 20_000)  # the larger sample files stream
    monkeypatch.setattr(oxigraph_backend, "BULK_BATCH", 500)  # in several batches
    store = open_store(f"oxigraph:{tmp_path / 'streamed'}")
    store.sync(discover([architecture]))
    assert any(e.get("streamed") for e in store.sources.entries.values())
    assert _answers(store) == expected
    assert store.source_lines(next(n for n, e in store.sources.entries.items() if e.get("streamed")))

    small = architecture / "architecture.ttl"  # a file below the streaming size, beside the streamed ones
    small.write_text(small.read_text(encoding="utf-8").replace('ja:code "', 'ja:code "X-', 1), encoding="utf-8")
    store.sync(discover([architecture]))
    assert len(_answers(store)) == len(expected) and _answers(store) != expected
    (architecture / "manufacturing-operations.ttl").unlink()  # a streamed one goes
    store.sync(discover([architecture]))
    assert not any(str(code).startswith("MANUFACT") for _, code in _answers(store))  # its families went with it
    broken = architecture / "quality.ttl"
    broken.write_text(broken.read_text(encoding="utf-8") + "\n<a> <b> .\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"syntax error") as caught:
        store.sync(discover([architecture]))
    assert f"quality.ttl:{broken.read_text(encoding='utf-8').count(chr(10))}" in str(caught.value)
    store.close()
