"""The curator's workflow: fmt (canonical, lossless, idempotent), diff (semantic), stats."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from jobarch import api
from jobarch.cli import main
from jobarch.core.errors import JobarchError
from jobarch.core.resources import sample_data_dir
from jobarch.io.fmt import format_file, format_text
from tests.helpers import REFERENCE_CODE, REPO

EX = "https://example.org/x/"


# ---------------------------------------------------------------------------- fmt

terms = st.sampled_from(
    [URIRef(EX + n) for n in ("a", "b", "c", "d.e", "f-g")] + [URIRef("https://w3id.org/jobarch#Focus")]
)
literals = st.one_of(
    st.text(max_size=30).map(Literal),
    st.tuples(st.text(max_size=20), st.sampled_from(["en", "fr", "de-CH"])).map(lambda t: Literal(t[0], lang=t[1])),
    st.integers(-(10**6), 10**6).map(Literal),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(Literal),
    st.booleans().map(Literal),
    st.text(max_size=10).map(lambda t: Literal(t, datatype=XSD.token)),
    st.dates().map(Literal),
)


@st.composite
def graphs(draw):
    g = Graph()
    bnodes = [BNode() for _ in range(draw(st.integers(0, 4)))]
    for _ in range(draw(st.integers(1, 25))):
        s = draw(st.one_of(terms, st.sampled_from(bnodes) if bnodes else terms))
        p = draw(
            st.sampled_from(
                [
                    URIRef(EX + "p"),
                    URIRef(EX + "q"),
                    URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
                    URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ]
            )
        )
        o = draw(st.one_of(terms, literals, st.sampled_from(bnodes) if bnodes else literals))
        g.add((s, p, o))
    return g


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_fmt_is_lossless_and_idempotent(tmp_path_factory, graph):
    path = tmp_path_factory.mktemp("fmt") / "g.ttl"
    text = graph.serialize(format="turtle")
    once = format_text(path, text).text
    assert isomorphic(Graph().parse(data=once, format="turtle", publicID=path.as_uri()), graph)
    assert format_text(path, once).text == once


def test_fmt_keeps_multiline_text_exactly(tmp_path):
    text = '@prefix ex: <https://example.org/x/> .\nex:a ex:p """line one\n  line two\n""", "x" .\n'
    out = format_text(tmp_path / "m.ttl", text).text
    values = {str(o) for o in Graph().parse(data=out, format="turtle").objects()}
    assert values == {"line one\n  line two\n", "x"}


def test_fmt_keeps_comments_with_their_subject(tmp_path):
    text = (
        "# header comment\n@prefix ex: <https://example.org/x/> .\n@prefix unused: <https://example.org/u/> .\n\n"
        "# about b\nex:b ex:p 2 .\n\n# about a\nex:a ex:p 1 .\n# the end\n"
    )
    out = format_text(tmp_path / "c.ttl", text).text
    assert out == (
        "# header comment\n\n@prefix ex: <https://example.org/x/> .\n\n# about a\nex:a\n    ex:p 1 .\n\n"
        "# about b\nex:b\n    ex:p 2 .\n\n# the end\n"
    )


def test_fmt_refuses_a_comment_it_cannot_place(runner, write):
    text = "@prefix ex: <https://example.org/x/> .\nex:a\n    # inside the statement\n    ex:p 1 .\n"
    path = write("inside.ttl", text)
    result = runner.invoke(main, ["fmt", str(path)])
    assert result.exit_code == 2 and f"{path}:3: cannot keep the comment on line 3" in result.stderr
    assert path.read_text(encoding="utf-8") == text  # untouched
    result = runner.invoke(main, ["fmt", str(path), "--drop-comments"])
    assert result.exit_code == 0 and "dropped a comment" in result.stderr
    assert "#" not in path.read_text(encoding="utf-8")


def test_fmt_reports_a_file_that_does_not_parse_and_leaves_it(runner, write):
    text = '@prefix ex: <https://example.org/x/> .\nex:a ex:p "open .\n'
    path = write("bad.ttl", text)
    result = runner.invoke(main, ["fmt", str(path)])
    assert result.exit_code == 2 and f"{path}:2:" in result.stderr
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.slow
def test_sample_data_is_formatted(runner):
    result = runner.invoke(main, ["fmt", "--check", str(sample_data_dir())])
    assert result.exit_code == 0, result.output


@pytest.mark.slow
def test_fmt_check_lists_files_and_fails(runner, tmp_path):
    shutil.copytree(sample_data_dir(), tmp_path / "arch")
    path = tmp_path / "arch" / "sources.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace("    ja:order 1 ;", "ja:order    1;"), encoding="utf-8")
    result = runner.invoke(main, ["fmt", "--check", str(tmp_path / "arch")])
    assert result.exit_code == 1 and "would reformat" in result.output and "sources.ttl" in result.output
    assert runner.invoke(main, ["fmt", str(tmp_path / "arch")]).exit_code == 0
    assert runner.invoke(main, ["fmt", "--check", str(tmp_path / "arch")]).exit_code == 0


# ---------------------------------------------------------------------------- diff


@pytest.fixture
def edited(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(sample_data_dir(), old)
    shutil.copytree(sample_data_dir(), new)
    path = new / "manufacturing-operations.ttl"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "drives floor-level process improvement initiatives", "leads floor-level process improvement", 1
    )
    text = text.replace(
        "    ja:requiresSkill\n        skill:aseptic-technique ,",
        "    ja:requiresSkill\n        skill:chromatography ,\n        skill:aseptic-technique ,",
        1,
    )
    path.write_text(text, encoding="utf-8")
    return old, new


def test_diff_groups_by_profile_and_section(runner, edited):
    old, new = edited
    result = runner.invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{REFERENCE_CODE}: responsibilities +1 -1" in lines
    focus_line = next(line for line in lines if line.startswith("MANUFACT1"))
    assert "skills +Chromatography Operation" in focus_line
    doc = json.loads(runner.invoke(main, ["diff", str(old), str(new), "--format", "json"]).output)
    assert {c["subject"] for c in doc} == {REFERENCE_CODE, focus_line.split(":")[0]}
    md = runner.invoke(main, ["diff", str(old), str(new), "--format", "md"]).output
    assert md.startswith("## Architecture changes\n")
    assert "| MANUFA3 | 0 | 0 | 1 |" in md  # the reference profile, changed; the focus is not a profile
    assert f"- **{REFERENCE_CODE}** (changed)\n  - responsibilities: +1 -1" in md
    assert "### Other changes" in md and "  - skills: +Chromatography Operation" in md


def test_diff_of_identical_architectures(runner):
    result = runner.invoke(main, ["diff", str(sample_data_dir()), str(sample_data_dir())])
    assert result.exit_code == 0 and result.output == "no changes\n"


def test_diff_git_revisions(runner, edited, monkeypatch):
    old, new = edited
    repo = old.parent / "repo"
    shutil.copytree(old, repo / "data")

    def git(*args):
        subprocess.run(
            ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
            cwd=repo,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "one")
    shutil.copy(new / "manufacturing-operations.ttl", repo / "data" / "manufacturing-operations.ttl")
    git("commit", "-qam", "two")
    monkeypatch.chdir(repo)
    result = runner.invoke(main, ["diff", "--git", "HEAD~1..HEAD", "data"])
    assert result.exit_code == 1 and f"{REFERENCE_CODE}: responsibilities +1 -1" in result.output
    assert runner.invoke(main, ["diff", "--git", "HEAD..", "data"]).output == "no changes\n"


def test_diff_matches_blank_nodes_by_structure(write):
    a = write("a/x.ttl", '<urn:p> <urn:r> [ <urn:t> "x" ] , [ <urn:t> "y" ] .')
    b = write("b/x.ttl", '<urn:p> <urn:r> [ <urn:t> "y" ] , [ <urn:t> "x" ] .')
    assert api.diff([a.parent], [b.parent]) == []
    c = write("c/x.ttl", '<urn:p> <urn:r> [ <urn:t> "y" ] , [ <urn:t> "z" ] .')
    (change,) = api.diff([a.parent], [c.parent])
    assert change.sections == {"urn:r": {"+": [""], "-": [""]}}


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "one process per core"])
def test_diff_reads_files_alone_and_sums_them(write, monkeypatch, parallel):
    """Each changed file is compared alone (in worker processes when the change is large): a subject moved to
    another file is no change, a blank node is matched within its file, and a triple repeated in two files
    counts twice."""
    from jobarch.io import diff as diff_module

    if parallel:
        monkeypatch.setattr(diff_module, "PARALLEL_BYTES", 0)
    ex = "@prefix ex: <https://example.org/> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
    a = write("a/one.ttl", ex + 'ex:p ex:r [ ex:t "x" ] ; skos:prefLabel "P" .\nex:q skos:prefLabel "Q" .')
    write("a/two.ttl", ex + 'ex:s skos:prefLabel "S" .')
    b = write("b/one.ttl", ex + 'ex:q skos:prefLabel "Q" .')
    write("b/two.ttl", ex + 'ex:s skos:prefLabel "S" .\nex:p ex:r [ ex:t "x" ] ; skos:prefLabel "P" .')
    assert api.diff([a.parent], [b.parent]) == []  # ex:p moved from one.ttl to two.ttl
    c = write("c/one.ttl", ex + 'ex:q skos:prefLabel "Q" .\nex:p skos:prefLabel "P" .')
    write("c/two.ttl", ex + 'ex:s skos:prefLabel "S" .\nex:p ex:r [ ex:t "y" ] ; skos:prefLabel "P" .')
    (change,) = api.diff([a.parent], [c.parent])
    assert (change.label, change.status) == ("P", "changed")
    assert change.sections == {"https://example.org/r": {"+": [""], "-": [""]}, "title": {"+": ["P"]}}


def test_diff_in_worker_processes_matches_one_process(edited, monkeypatch):
    from jobarch.io import diff as diff_module

    old, new = edited
    alone = api.diff([old], [new])
    monkeypatch.setattr(diff_module, "PARALLEL_BYTES", 0)
    assert api.diff([old], [new]) == alone and len(alone) == 2


def test_diff_bad_input(runner, write):
    bad = write("bad.ttl", '@prefix ex: <https://example.org/> .\nex:a ex:b "open .\n')
    result = runner.invoke(main, ["diff", str(bad), str(sample_data_dir())])
    assert result.exit_code == 2 and f"{bad}:2:" in result.stderr


# ---------------------------------------------------------------------------- stats


@pytest.mark.slow
def test_stats(runner):
    doc = json.loads(runner.invoke(main, ["stats", "--format", "json"]).output)
    assert doc["profiles"] == 71 and doc["foci"] == 14
    assert doc["profilesPerFunction"] == {"MANUFA3": 28, "QUALIT2": 23, "RESDEV4": 20}
    assert doc["profilesPerTrack"] == {"M": 23, "P": 48}
    assert doc["qualityPassRate"] == pytest.approx(68 / 71, abs=1e-4)
    assert doc["mappingCoverage"] == 1.0 and doc["rubricCompleteness"] == 1.0
    assert doc["aliasCoverage"] == pytest.approx(12 / 71, abs=1e-4)
    assert doc["sourcesPerProfile"]["max"] == 7
    table = runner.invoke(main, ["stats"])
    assert table.exit_code == 0 and "qualityPassRate" in table.output


def test_precommit_hooks_are_declared():

    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    ids = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("- id:")]
    assert ids == ["jobarch-validate", "jobarch-fmt"]
    assert "entry: jobarch validate --changed" in text and "entry: jobarch fmt" in text


# ---------------------------------------------------------------------------- fmt of large files

STREAM_CASES = {
    "lexical forms, lists and comments": """@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

# about a
ex:a ex:n "007"^^xsd:integer , 1.50 , "x\\ty"@en-GB ;
    ex:list ( 1 [ ex:q "in a list" ] ( 2 3 ) ) ;
    ex:owned [ ex:r [ ex:s "deep" ] ] , [ ex:r "flat" ] .

ex:b ex:empty () .
""",
    "a shared blank node": '@prefix ex: <http://example.org/> .\nex:a ex:p _:x .\nex:b ex:p _:x .\n_:x ex:q "s" .\n',
    "a blank root": '@prefix ex: <http://example.org/> .\n[ ex:p "root" ] .\nex:a ex:p [ ex:q 1 ] .\n',
    "a blank cycle": '@prefix ex: <http://example.org/> .\nex:a ex:p "a" .\n_:x ex:p _:y .\n_:y ex:p _:x .\n',
}


@pytest.mark.parametrize("name", sorted(STREAM_CASES))
def test_a_file_formatted_a_subject_at_a_time_gives_the_same_bytes(tmp_path, name):
    """Past STREAM_CHARACTERS a file is written from a disk index a subject at a time; what it writes must be
    exactly what the whole-graph writer writes (or the whole-graph writer is used)."""
    path = tmp_path / "case.ttl"
    text = STREAM_CASES[name]
    path.write_text(text, encoding="utf-8")
    whole = format_text(path, text).text
    assert format_file(path, stream=True).changed is (whole != text)
    assert path.read_text(encoding="utf-8") == whole
    assert format_file(path, check=True, stream=True).changed is False


def test_generated_architecture_files_stream_to_the_same_bytes(tmp_path):
    api.synthesize(300, 5, tmp_path / "arch")
    for path in sorted((tmp_path / "arch").rglob("*.ttl")):
        text = path.read_text(encoding="utf-8")
        whole = format_text(path, text).text
        format_file(path, stream=True)
        assert path.read_text(encoding="utf-8") == whole, path.name


def test_a_streamed_check_leaves_the_file_alone_and_a_broken_file_names_its_line(tmp_path):
    path = tmp_path / "messy.ttl"
    messy = '@prefix ex: <http://example.org/> .\nex:b ex:p "2" . ex:a ex:p "1" .\n'
    path.write_text(messy, encoding="utf-8")
    assert format_file(path, check=True, stream=True).changed is True
    assert path.read_text(encoding="utf-8") == messy
    path.write_text(messy + "ex:c ex:p .\n", encoding="utf-8")
    with pytest.raises(JobarchError) as caught:
        format_file(path, stream=True)
    assert caught.value.location is not None and caught.value.location.line == 3
