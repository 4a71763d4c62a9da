"""Loading: every bad input gets path:line:col and exit 2, never a traceback."""

from __future__ import annotations

import json

import pytest
from rdflib import URIRef
from rdflib.compare import isomorphic

from jobarch.cli import main
from jobarch.core.errors import JobarchError
from jobarch.core.resources import sample_data_dir
from jobarch.graph.architecture import load

GOOD = """@prefix ja: <https://w3id.org/jobarch#> .
@prefix ex: <https://example.org/x/> .

ex:a ja:code "A1" .
"""
MINIMAL_PROFILE = """@prefix ja: <https://w3id.org/jobarch#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/x/> .
ex:fn a ja:Function ; ja:code "FUNC1" ; skos:prefLabel "F"@en .
ex:fam a ja:JobFamily ; ja:code "FAM1" ; skos:broader ex:fn .
ex:focus a ja:Focus ; ja:code "FAM1A1" ; skos:prefLabel "Focus"@en ; skos:broader ex:fam .
ex:lvl a ja:Level ; ja:code "P1" .
ex:p a ja:JobProfile ; ja:code "FUNC1.FAM1A1.P1" ; ja:focus ex:focus ; ja:level ex:lvl .
"""


def run_show(runner, path):
    return runner.invoke(main, ["show", "X", "--data", str(path)])


def test_syntax_error_names_file_line_and_column(write, runner):
    path = write("bad.ttl", GOOD + '\nex:b ja:code "unterminated .\nex:c ja:code "C" .\n')
    with pytest.raises(JobarchError) as info:
        load([path])
    assert info.value.location.path == path
    assert info.value.location.line == 6
    assert info.value.location.col is not None
    result = run_show(runner, path)
    assert result.exit_code == 2
    assert f"{path}:6:" in result.stderr and "syntax error" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_prefix_names_the_prefix_and_how_to_fix(write, runner):
    path = write("prefix.ttl", GOOD + "ex:b foo:bar ex:c .\n")
    result = run_show(runner, path)
    assert result.exit_code == 2
    assert f"{path}:5:" in result.stderr
    assert "The prefix foo: has not been declared" in result.stderr
    assert "@prefix foo:" in result.stderr  # the hint


def test_empty_directory(tmp_path, runner):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_show(runner, empty)
    assert result.exit_code == 2
    assert f"{empty}: no RDF files found in this directory" in result.stderr


def test_non_rdf_file_named_explicitly(write, runner):
    path = write("profiles.csv", "code,title\nA,B\n")
    result = run_show(runner, path)
    assert result.exit_code == 2
    assert "not an RDF file" in result.stderr and str(path) in result.stderr


def test_non_rdf_files_in_a_directory_are_ignored(write, runner):
    write("arch/README.md", "# notes\n")
    path = write("arch/a.ttl", MINIMAL_PROFILE)
    result = runner.invoke(main, ["show", "FUNC1.FAM1A1.P1", "--data", str(path.parent), "--format", "text"])
    assert result.exit_code == 0, result.output


def test_file_that_is_not_utf8_names_line_and_column(write, runner):
    path = write("latin1.ttl", (GOOD + 'ex:b ja:code "Caf\xe9" .\n').encode("latin-1"))
    result = run_show(runner, path)
    assert result.exit_code == 2
    assert f"{path}:5:18: file is not UTF-8 (byte 0xe9)" in result.stderr


def test_binary_garbage_with_rdf_extension(write, runner):
    path = write("garbage.ttl", bytes(range(256)) * 4)
    result = run_show(runner, path)
    assert result.exit_code == 2
    assert str(path) in result.stderr and "Traceback" not in result.output


def test_missing_path(tmp_path, runner):
    result = run_show(runner, tmp_path / "nope")
    assert result.exit_code == 2 and "no such file or directory" in result.stderr


def test_file_over_the_size_limit_is_refused(write):
    from jobarch.core.files import read_text

    path = write("big.ttl", GOOD + "# " + "x" * 5000 + "\n")
    with pytest.raises(JobarchError, match="over the limit"):
        read_text(path, limit=1000)


def test_remote_json_ld_context_is_not_fetched(write):
    path = write("remote.jsonld", '{"@context": "https://example.org/context.jsonld", "@id": "https://example.org/a"}')
    with pytest.raises(JobarchError, match="remote JSON-LD context"):
        load([path])


def test_invalid_json_ld_names_line(write):
    path = write("broken.jsonld", '{\n  "@id": "https://example.org/a",\n  oops\n}')
    with pytest.raises(JobarchError) as info:
        load([path])
    assert info.value.location.line == 3


def test_other_formats_by_extension(write):
    nt = write("a.nt", '<https://example.org/a> <https://w3id.org/jobarch#code> "A" .\n')
    trig = write(
        "b.trig", '@prefix ex: <https://example.org/> .\nex:g { ex:b <https://w3id.org/jobarch#code> "B" . }\n'
    )
    jsonld = write("c.jsonld", '{"@id": "https://example.org/c", "https://w3id.org/jobarch#code": "C"}')
    arch = load([nt, trig, jsonld], with_ontology=False)
    codes = sorted(str(o) for o in arch.dataset.objects(None, URIRef("https://w3id.org/jobarch#code")))
    assert codes == ["A", "B", "C"]
    # each file is its own named graph
    assert len(arch.graph_of(trig)) == 1 and len(arch.graph_of(nt)) == 1


@pytest.mark.slow
def test_loading_twice_gives_the_same_graph():
    a = load([sample_data_dir()])
    b = load([sample_data_dir()])
    for path_a, path_b in zip(a.files, b.files, strict=True):
        assert isomorphic(a.graph_of(path_a), b.graph_of(path_b))
    assert len(a.dataset) == len(b.dataset)


def test_every_subject_is_located_at_its_line(sample_architecture):
    from jobarch.core.namespaces import JA

    profile = URIRef("https://example.org/jobarch/sample/profile/MANUFA3.MANUFACT13A2.M2")
    location = sample_architecture.locate(profile)
    assert location.path.name == "manufacturing-operations.ttl"
    lines = location.path.read_text(encoding="utf-8").splitlines()
    assert lines[location.line - 1] == "profile:MANUFA3.MANUFACT13A2.M2"
    # blank-node responsibilities land on their own line
    for resp in sample_architecture.dataset.objects(profile, JA.responsibility):
        where = sample_architecture.locate(resp)
        text = str(sample_architecture.dataset.value(resp, JA.text))
        assert text.replace("'", "'") in lines[where.line - 1]


def test_line_index_handles_turtle_edge_cases(write):
    from jobarch.graph.lines import scan

    text = '''@prefix ex: <https://example.org/> .
PREFIX ja: <https://w3id.org/jobarch#>
# a comment with "quotes" and ex:fake .
ex:a ja:text """multi
line . with ex:b inside""" ;
    ja:code "x;y,z." .
[] ja:code "anon" .
<https://example.org/c> ja:rel [ ja:code "nested" ] ; ja:code "c".
ex:d\\.e ja:code "escaped" .
'''
    index = scan(text)
    assert index.first_block("https://example.org/a").start == 4
    assert "https://example.org/b" not in index.subjects
    assert index.first_block("https://example.org/c").start == 8
    assert index.first_block("https://example.org/d.e").start == 9
    assert index.strings["nested"] == [8]


@pytest.mark.parametrize("form", ["url", "file", "relative"])
def test_json_ld_import_is_never_followed(write, canary, runner, form):
    """JSON-LD 1.1 @import inside a context object: no request, no local file read, a clear error."""
    url, hits = canary
    write("ctx.jsonld", '{"@context": {"name": "http://schema.org/name"}}')
    target = {"url": url, "file": "file:///etc/passwd", "relative": "ctx.jsonld"}[form]
    doc = {"@context": {"@version": 1.1, "@import": target}, "@id": "https://example.org/a", "name": "x"}
    path = write("import.jsonld", json.dumps(doc))
    with pytest.raises(JobarchError, match="@import") as info:
        load([path])
    assert info.value.location is not None and info.value.location.path == path
    for command in (["validate", str(path)], ["query", "profiles", "--data", str(path)]):
        result = runner.invoke(main, command)
        assert result.exit_code == 2, result.output
        assert "@import" in result.output and "Traceback" not in result.output
    assert hits == []
