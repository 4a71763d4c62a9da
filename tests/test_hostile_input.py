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


# ------------------------------------------------------------------ spreadsheets run no formula, and lose nothing

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE_FOCUS = '=HYPERLINK(\\"http://evil.example\\",\\"x\\")\\nforged-row\\tskos:exactMatch\\tx:y'
HOSTILE_DUTY = "@SUM(1+1)\\n\\nafter a blank line\\u2028after a line separator"
HOSTILE_TITLE = "+cmd|' /C calc'!A0\\nforged:row\\tskos:exactMatch\\tx:y\\t\\t\\t"


@pytest.fixture
def hostile(curated) -> Path:
    """The sample with a focus label and a profile title that are formulas holding line breaks and tabs, and a
    responsibility that starts with '@' and holds a blank line and U+2028."""
    path = curated / "manufacturing-operations.ttl"
    text = path.read_text(encoding="utf-8")
    text = text.replace('"Production Supervision (Upstream Processing)"@en', f'"{HOSTILE_FOCUS}"@en', 1)
    text = text.replace('"Production Supervision (Upstream Processing) — M2"@en', f'"{HOSTILE_TITLE}"@en', 1)
    assert text.count('"Manages skilled upstream') == 1  # the reference profile's first responsibility (English)
    text = text.replace('"Manages skilled upstream', f'"{HOSTILE_DUTY} Manages skilled upstream', 1)
    path.write_text(text, encoding="utf-8")
    return curated


def cells(path: Path) -> list[str]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def test_no_exported_cell_starts_a_formula_and_csv_round_trips_without_loss(tmp_path, hostile):
    first = tmp_path / "first.csv"
    assert jobarch("export", "csv", "--data", str(hostile), "-o", str(first), cwd=tmp_path).returncode == 0
    assert [c for c in cells(first) if c.startswith(FORMULA_STARTS)] == []
    assert any(c.startswith("'=HYPERLINK") for c in cells(first))
    imported = tmp_path / "imported"
    done = jobarch("import", "csv", str(first), "-o", str(imported), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    focus = HOSTILE_FOCUS.replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t")
    duty = HOSTILE_DUTY.replace("\\n", "\n").replace("\\u2028", "\u2028")
    labels = jobarch(
        "query",
        "-e",
        "SELECT ?l WHERE { ?s skos:prefLabel ?l }",
        "--format",
        "json",
        "--data",
        str(imported),
        cwd=tmp_path,
    )
    assert focus in _json_values(labels)
    texts = jobarch(
        "query", "-e", "SELECT ?t WHERE { ?r ja:text ?t }", "--format", "json", "--data", str(imported), cwd=tmp_path
    )
    assert any(value.startswith(duty) for value in _json_values(texts)), "the blank line or U+2028 was lost"
    second = tmp_path / "second.csv"
    assert jobarch("export", "csv", "--data", str(imported), "-o", str(second), cwd=tmp_path).returncode == 0
    assert second.read_bytes() == first.read_bytes()


def _json_values(result: subprocess.CompletedProcess) -> list[str]:
    import json

    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["results"]["bindings"]  # SPARQL 1.1 Query Results JSON
    return [term["value"] for row in rows for term in row.values()]


def test_sssom_and_esco_files_carry_no_formula_and_no_forged_row(tmp_path, hostile):
    from sssom.parsers import parse_sssom_table

    sssom = tmp_path / "mappings.sssom.tsv"
    assert jobarch("export", "sssom", "--data", str(hostile), "-o", str(sssom), cwd=tmp_path).returncode == 0
    clean = tmp_path / "clean.sssom.tsv"
    assert jobarch("export", "sssom", "--data", str(sample_data_dir()), "-o", str(clean), cwd=tmp_path).returncode == 0
    body = [line.split("\t") for line in sssom.read_text(encoding="utf-8").split("\n") if line and line[0] != "#"]
    assert len(body) == len([line for line in clean.read_text(encoding="utf-8").split("\n") if line and line[0] != "#"])
    assert {len(row) for row in body} == {len(body[0])}  # a tab or line break in a label makes no column or row
    assert [cell for row in body for cell in row if cell.startswith(FORMULA_STARTS)] == []
    mappings = parse_sssom_table(sssom).to_mapping_set_document().mapping_set.mappings
    assert len(mappings) == len(body) - 1 and not any(m.subject_id.startswith("forged") for m in mappings)
    esco = tmp_path / "esco"
    assert jobarch("export", "esco", "--data", str(hostile), "-o", str(esco), cwd=tmp_path).returncode == 0
    for table in sorted(esco.glob("*.csv")):
        assert [c for c in cells(table) if c.startswith(FORMULA_STARTS)] == [], table.name


def test_import_and_synth_never_replace_the_configured_architecture(tmp_path, curated):
    (tmp_path / "jobarch.toml").write_text('[jobarch]\ndata = ["curated"]\n', encoding="utf-8")
    assert jobarch("export", "csv", "-o", "profiles.csv", cwd=tmp_path).returncode == 0
    before = snapshot(curated)
    for command in (["import", "csv", "profiles.csv"], ["synth", "--profiles", "20"]):
        for target in ("curated", "."):
            refused(jobarch(*command, "-o", target, "--force", cwd=tmp_path), "refusing to replace")
    assert snapshot(curated) == before


@pytest.mark.parametrize("option", [["query", "--file"], ["match", "--skills-file"]])
def test_files_a_command_reads_go_through_the_guarded_reader(tmp_path, option):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for special in ("/dev/zero", str(fifo)):
        refused(jobarch(*option, special, cwd=tmp_path, timeout=30), "not a regular file")
    big = tmp_path / "big.rq"
    big.write_bytes(b"#" * 2048)
    refused(jobarch("--max-bytes", "1k", *option, str(big), cwd=tmp_path, timeout=30), "over the limit")


def test_a_csv_with_a_bom_a_huge_cell_or_a_broken_quote_is_read_or_refused_clearly(tmp_path, curated):
    exported = tmp_path / "profiles.csv"
    assert jobarch("export", "csv", "--data", str(curated), "-o", str(exported), cwd=tmp_path).returncode == 0
    text = exported.read_text(encoding="utf-8")
    bom = tmp_path / "bom.csv"
    bom.write_text("\ufeff" + text, encoding="utf-8")
    assert jobarch("import", "csv", str(bom), "-o", "from-bom", cwd=tmp_path).returncode == 0
    header, first, *rest = text.split("\n")
    huge = tmp_path / "huge.csv"
    columns = header.split(",")
    row = first.split(",")
    definition = columns.index("definition")
    row[definition] = "x" * (50 * 2**20)
    huge.write_text("\n".join([header, ",".join(row), *rest]), encoding="utf-8")
    done = jobarch("--max-bytes", "100m", "import", "csv", str(huge), "-o", "from-huge", cwd=tmp_path)
    assert done.returncode in (0, 2) and "Traceback" not in done.stderr and "internal error" not in done.stderr
    broken = tmp_path / "broken.csv"
    broken.write_text(header + "\n" + '"unterminated,' + first, encoding="utf-8")
    done = jobarch("import", "csv", str(broken), "-o", "from-broken", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "internal error" not in done.stderr


# ------------------------------------------------------------------ configuration is checked, never half-read


@pytest.mark.parametrize(
    "toml, phrase",
    [
        (b"[jobarch]\ndata = 3\n", "jobarch.data must be a string or a list"),
        (b"[adjacency]\nlevel_weight = 0.3\n", "[jobarch.adjacency]"),
        (b"[jobarch.adjacency]\nlevel_weight = nan\n", "must be a number of 0 or more"),
        (b"[jobarch.adjacency]\nlevel_weight = -1\n", "must be a number of 0 or more"),
        (b"[jobarch.adjacency]\nlevel_wieght = 0.3\n", "did you mean: level_weight"),
        (b"[jobarch]\nmax_bytes = 0\n", "positive size"),
        (b'[jobarch]\nstore = ["memory"]\n', "jobarch.store must be a string"),
        (b'[jobarch]\ndata = "\xff\xfe"\n', "not UTF-8"),
        (b"[jobarch\n", "invalid TOML"),
    ],
)
def test_a_wrong_jobarch_toml_is_an_error_naming_it(tmp_path, toml, phrase):
    (tmp_path / "jobarch.toml").write_bytes(toml)
    refused(jobarch("stats", cwd=tmp_path), "jobarch.toml", phrase)


def test_the_adjacency_table_the_readme_shows_is_the_one_read(tmp_path):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    shown = readme.split("```toml\n[jobarch.adjacency]\n", 1)[1].split("```", 1)[0]
    far = {}
    for weights in (shown, "taxonomy_weight = 0.1\nlevel_weight = 0.9\nskill_weight = 0\n"):
        (tmp_path / "jobarch.toml").write_text("[jobarch.adjacency]\n" + weights, encoding="utf-8")
        done = jobarch("adjacent", "MANUFA3.MANUFACT13A2.M2", "-k", "3", "--format", "csv", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        far[weights] = done.stdout
    assert len(set(far.values())) == 2  # the settings changed the distances: the table was read


# ------------------------------------------------------------------ odd input in other places


def test_json_ld_with_a_huge_number_or_a_broken_iri_is_refused_at_its_file(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    cases = {
        '{"@id": "http://example.org/a", "http://example.org/p": ' + "9" * 5000 + "}": "4300 digits",
        '{"@id": "http://example.org/a\\"b<c", "http://example.org/p": 1}': "not an IRI",
    }
    for document, phrase in cases.items():
        (data / "odd.jsonld").write_text(document, encoding="utf-8")
        for store in ([], ["--store", "memory"]):
            refused(
                jobarch("query", "-e", "ASK { ?s ?p ?o }", "--data", str(data), *store, cwd=tmp_path),
                "odd.jsonld",
                phrase,
            )


@pytest.mark.parametrize("target", ["/proc/jobarch-esco", "/sys/jobarch-esco", "/dev/null/esco"])
def test_an_export_to_a_place_that_cannot_be_written_says_so(tmp_path, target):
    refused(jobarch("export", "esco", "-o", target, cwd=tmp_path), target, "cannot write")


def test_control_characters_in_labels_reach_a_terminal_as_escapes_in_every_format(tmp_path):
    import pty

    data = tmp_path / "data"
    shutil.copytree(sample_data_dir(), data)
    path = data / "manufacturing-operations.ttl"
    hostile = "\\u001B]8;;http://evil.example/\\u0007link\\u001B[2J \\u202Egnp.exe \\u009B31m"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('skos:prefLabel "', f'skos:prefLabel "{hostile} ', 1), encoding="utf-8")
    query = 'SELECT ?l WHERE { ?s skos:prefLabel ?l FILTER(CONTAINS(?l, "link")) }'
    for fmt in ("csv", "tsv", "json", "md"):
        leader, follower = pty.openpty()
        env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
        done = subprocess.run(
            [sys.executable, "-m", "jobarch", "query", "-e", query, "--format", fmt, "--data", str(data)],
            stdout=follower,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            env=env,
            timeout=120,
        )
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
        os.close(leader)
        assert done.returncode == 0, done.stderr
        terminal = shown.decode("utf-8")
        assert "link" in terminal and "\x1b" not in terminal and "\u202e" not in terminal and "\x9b" not in terminal, (
            fmt
        )
    piped = jobarch("query", "-e", query, "--format", "csv", "--data", str(data), cwd=tmp_path)
    assert "\x1b]8;;" in piped.stdout  # a pipe or a file gets the value as it is
