"""Hostile and careless input, through the real command (a subprocess, as a user or a CI job runs it).

Each case asserts the exit status, the message a user sees, that no traceback
leaks, and that no file outside the command's own output changed. Cases that
could reach the network run against a canary server on loopback, which must
receive no request. (The server's cases are in tests/web/test_server_load.py.)
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from jobarch.core.resources import sample_data_dir
from tests.helpers import MINIMAL

PREFIXES = "@prefix ex: <http://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"


def jobarch(*args: str, cwd: Path, umask: int | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("JOBARCH_STORE", None)
    return subprocess.run(
        [sys.executable, "-m", "jobarch", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def refused(result: subprocess.CompletedProcess, *phrases: str) -> None:
    """Exit 2 with every phrase in the message, and no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    for phrase in phrases:
        assert phrase in result.stderr, (phrase, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


@pytest.fixture
def curated(tmp_path) -> Path:
    """A curator's architecture directory (the sample, with its comments and rubric)."""
    target = tmp_path / "curated"
    shutil.copytree(sample_data_dir(), target)
    return target


# ------------------------------------------------------------------ curators' files are never lost


def test_import_onto_a_curated_directory_is_refused_and_changes_nothing(tmp_path, curated):
    assert jobarch("export", "csv", "--data", str(curated), "-o", "profiles.csv", cwd=tmp_path).returncode == 0
    before = snapshot(curated)
    result = jobarch("import", "csv", "profiles.csv", "-o", str(curated), cwd=tmp_path)
    refused(result, "jobarch did not write", "--force")
    assert snapshot(curated) == before


def test_reimport_replaces_its_own_directory_whole_and_an_edit_needs_force(tmp_path, curated):
    assert jobarch("export", "csv", "--data", str(curated), "-o", "profiles.csv", cwd=tmp_path).returncode == 0
    out = tmp_path / "imported"
    assert jobarch("import", "csv", "profiles.csv", "-o", str(out), cwd=tmp_path).returncode == 0
    first = snapshot(out)
    assert jobarch("import", "csv", "profiles.csv", "-o", str(out), cwd=tmp_path).returncode == 0  # its own files
    assert snapshot(out) == first
    (out / "architecture.ttl").write_text("# my edit\n", encoding="utf-8")
    refused(jobarch("import", "csv", "profiles.csv", "-o", str(out), cwd=tmp_path), "architecture.ttl")
    assert jobarch("import", "csv", "profiles.csv", "-o", str(out), "--force", cwd=tmp_path).returncode == 0
    assert snapshot(out) == first  # the edit replaced, nothing stale left, no staging directory behind
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    "command",
    [
        ["export", "skos"],
        ["reason"],
        ["adjacency"],
        ["validate"],
    ],
)
def test_results_never_replace_the_architectures_own_files(tmp_path, curated, command):
    before = snapshot(curated)
    target = str(curated / "skills.ttl")
    for force in ([], ["--force"]):
        refused(jobarch(*command, "--data", str(curated), "-o", target, *force, cwd=tmp_path), "architecture's own")
    assert snapshot(curated) == before


def test_an_export_replaces_only_what_jobarch_wrote_unless_forced(tmp_path, curated):
    mine = tmp_path / "notes.ttl"
    mine.write_text("# a curator's notes\n", encoding="utf-8")
    refused(jobarch("export", "skos", "--data", str(curated), "-o", str(mine), cwd=tmp_path), "did not write")
    assert mine.read_text(encoding="utf-8") == "# a curator's notes\n"
    out = tmp_path / "skos.ttl"
    assert jobarch("export", "skos", "--data", str(curated), "-o", str(out), cwd=tmp_path).returncode == 0
    assert jobarch("export", "skos", "--data", str(curated), "-o", str(out), cwd=tmp_path).returncode == 0
    assert jobarch("export", "skos", "--data", str(curated), "-o", str(mine), "--force", cwd=tmp_path).returncode == 0
    refused(jobarch("export", "esco", "--data", str(curated), "-o", str(curated), cwd=tmp_path), "architecture's files")


def test_devices_are_written_to_never_replaced(tmp_path, curated):
    assert jobarch("export", "skos", "--data", str(curated), "-o", "/dev/null", cwd=tmp_path).returncode == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    if os.path.exists("/dev/full"):
        refused(jobarch("export", "skos", "--data", str(curated), "-o", "/dev/full", cwd=tmp_path), "cannot write")
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_written_files_follow_the_umask(tmp_path, curated):
    for umask, mode in ((0o027, 0o640), (0o022, 0o644)):
        out = tmp_path / f"skos-{umask:o}.ttl"
        assert (
            jobarch("export", "skos", "--data", str(curated), "-o", str(out), cwd=tmp_path, umask=umask).returncode == 0
        )
        assert stat.S_IMODE(out.stat().st_mode) == mode


@pytest.mark.parametrize("syntax", ["nt", "json-ld", "xml", "turtle"])
def test_exports_are_the_same_bytes_every_run(tmp_path, curated, syntax):
    runs = [
        jobarch("export", "rdf", "--rdf-format", syntax, "--data", str(curated), cwd=tmp_path).stdout for _ in range(2)
    ]
    assert runs[0] and runs[0] == runs[1]


# ------------------------------------------------------------------ fmt keeps every value


def test_fmt_keeps_lexical_forms_escapes_controls_and_keeps_lists(tmp_path):
    path = tmp_path / "values.ttl"
    path.write_text(
        PREFIXES
        + 'ex:a ex:n "007"^^xsd:integer ; ex:m "1_000"^^xsd:integer ; ex:b "TRUE"^^xsd:boolean ;\n'
        + '  ex:s "x"^^xsd:string ; ex:d "1.50"^^xsd:decimal ; ex:c "nul\\u0000esc\\u001Brlo\\u202E" ;\n'
        + "  ex:l ( 1 2 3 ( 4 5 ) ) ; ex:long ( "
        + " ".join(str(i) for i in range(190))
        + " ) ; ex:r <relative/target> .\n",
        encoding="utf-8",
    )

    def terms(text: str) -> set:
        quads = ox.parse(text.encode(), ox.RdfFormat.TURTLE, base_iri="http://base/")
        return {str(q.object) for q in quads if not isinstance(q.object, ox.BlankNode)}

    before = terms(path.read_text(encoding="utf-8"))
    result = jobarch("fmt", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert terms(text) == before  # a strict parser sees every literal exactly as it was
    assert not any(ord(c) < 0x20 and c != "\n" for c in text) and "\u202e" not in text
    assert "file:" not in text and "<relative/target>" in text
    assert "( 1 2 3 ( 4 5 ) )" in text and "rdf:first" not in text
    assert jobarch("fmt", "--check", str(path), cwd=tmp_path).returncode == 0


# ------------------------------------------------------------------ size, depth and special files


def test_a_fifo_and_a_symlink_to_dev_zero_are_refused_at_once(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "ok.ttl").write_text(MINIMAL, encoding="utf-8")
    os.mkfifo(data / "pipe.ttl")
    refused(jobarch("query", "profiles", "--data", str(data), cwd=tmp_path, timeout=30), "not a regular file")
    (data / "pipe.ttl").unlink()
    (data / "zero.ttl").symlink_to("/dev/zero")
    refused(jobarch("query", "profiles", "--data", str(data), cwd=tmp_path, timeout=30), "not a regular file")


def test_the_size_limit_is_an_option_and_is_checked_while_reading(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.ttl").write_text(MINIMAL + "".join(f'<urn:x{i}> <urn:p> "{i}" .\n' for i in range(20000)))
    refused(jobarch("--max-bytes", "100K", "query", "profiles", "--data", str(data), cwd=tmp_path), "--max-bytes")
    assert jobarch("--max-bytes", "10M", "query", "profiles", "--data", str(data), cwd=tmp_path).returncode == 0
    (tmp_path / "jobarch.toml").write_text('[jobarch]\nmax_bytes = "100K"\n', encoding="utf-8")
    (data / "a.ttl").write_text((data / "a.ttl").read_text() + "\n# changed\n")
    refused(jobarch("query", "profiles", "--data", str(data), cwd=tmp_path), "over the limit of 102,400 bytes")
    refused(jobarch("--max-bytes", "lots", "query", "profiles", cwd=tmp_path), "not a size")


@pytest.mark.parametrize("store", ["memory", "default"])
def test_deeply_nested_data_is_valid_turtle_and_every_path_handles_it(tmp_path, store):
    depth = 5000
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.ttl").write_text(MINIMAL, encoding="utf-8")
    (data / "deep.ttl").write_text(PREFIXES + "ex:a ex:p " + "[ ex:p " * depth + '"x"' + " ]" * depth + " .\n")
    chosen = ["--store", "memory"] if store == "memory" else []
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?o }"
    result = jobarch("query", "-e", count, "--format", "csv", "--data", str(data), *chosen, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.splitlines()[1] == str(depth + 1), result.stderr
    for args in (["export", "rdf"], ["query", "-e", "CONSTRUCT WHERE { ?s ?p ?o }", "--format", "turtle"]):
        result = jobarch(*args, "--data", str(data), *chosen, cwd=tmp_path)
        assert result.returncode == 0 and "Recursion" not in result.stderr, result.stderr


def test_a_syntax_error_deep_in_a_real_file_is_placed_at_its_line(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir(), data)
    path = data / "manufacturing-operations.ttl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.append('\nex:broken ex:p "unterminated .\n')
    path.write_text("".join(lines), encoding="utf-8")
    line = len(lines) + 1
    for store in ([], ["--store", "memory"]):
        result = jobarch("query", "profiles", "--data", str(data), *store, cwd=tmp_path)
        refused(result, f"manufacturing-operations.ttl:{line}:")


def test_an_ill_typed_literal_is_reported_without_a_traceback(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir(), data)
    path = data / "architecture.ttl"
    text = path.read_text(encoding="utf-8")
    ill_typed = '"abc"^^<http://www.w3.org/2001/XMLSchema#integer>'
    path.write_text(text.replace("ja:minYearsExperience 3 ;", f"ja:minYearsExperience {ill_typed} ;", 1))
    assert '"abc"' in path.read_text(encoding="utf-8")
    result = jobarch("validate", str(data), cwd=tmp_path)
    assert result.returncode == 1 and "minYearsExperience" in result.stdout and "Traceback" not in result.stderr
    refused(
        jobarch("validate", str(data), "--engine", "pyshacl", cwd=tmp_path), "ill-typed literal", "architecture.ttl:"
    )


# ------------------------------------------------------------------ nothing is fetched


def test_nothing_is_fetched_from_the_network_or_read_from_local_files(tmp_path, canary):
    url, hits = canary
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.ttl").write_text(MINIMAL + f"<urn:x> <http://www.w3.org/2002/07/owl#imports> <{url}> .\n")
    assert jobarch("query", "profiles", "--data", str(data), "--reason", cwd=tmp_path).returncode == 0
    service = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    refused(jobarch("query", "-e", service, "--data", str(data), cwd=tmp_path), "SERVICE")
    from_file = "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"
    refused(jobarch("query", "-e", from_file, "--data", str(data), cwd=tmp_path), "FROM")
    refused(jobarch("query", "-e", "DROP ALL", "--data", str(data), cwd=tmp_path), "read-only")
    assert hits == []


# ------------------------------------------------------------------ the terminal shows data as text


def test_markup_and_escapes_in_data_are_shown_as_text(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir(), data)
    hostile = "[/bold] [red]x \\u001B[31mred \\u001B]8;;http://evil/\\u0007link <script>alert(1)</script>"
    path = data / "manufacturing-operations.ttl"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('skos:prefLabel "', f'skos:prefLabel "{hostile} ', 1), encoding="utf-8")
    query = 'SELECT ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(CONTAINS(?l, "[/bold]")) }'
    table = jobarch("query", "-e", query, "--data", str(data), cwd=tmp_path)
    assert table.returncode == 0 and "[/bold] [red]x" in table.stdout and "\x1b" not in table.stdout
    markdown = jobarch("query", "-e", query, "--format", "md", "--data", str(data), cwd=tmp_path)
    assert "<script>" not in markdown.stdout and "&lt;script&gt;" in markdown.stdout
    assert "\x1b" not in jobarch("stats", "--data", str(data), cwd=tmp_path).stdout


def test_json_ld_deeper_than_the_parsers_reach_is_refused_at_its_line(tmp_path):
    def nested(depth: int) -> str:
        return (
            '{"@id": "http://example.org/a",\n "http://example.org/p": '
            + '{"http://example.org/p": ' * depth
            + ('"a \\" [{ string"' + "}" * depth + "}")
        )

    data = tmp_path / "data"
    data.mkdir()
    (data / "ok.jsonld").write_text(nested(200), encoding="utf-8")
    result = jobarch("query", "-e", "ASK { ?s ?p ?o }", "--data", str(data), cwd=tmp_path)
    assert result.returncode == 0 and "true" in result.stdout, result.stderr
    (data / "ok.jsonld").unlink()
    (data / "deep.jsonld").write_text(nested(5000), encoding="utf-8")
    for store in ([], ["--store", "memory"]):
        refused(jobarch("query", "profiles", "--data", str(data), *store, cwd=tmp_path), "deep.jsonld:2:", "nested")
