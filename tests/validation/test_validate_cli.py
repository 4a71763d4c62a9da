"""`jobarch validate`: output formats, exit status, and limiting to changed files."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from jobarch.cli import main
from jobarch.core.resources import sample_data_dir
from jobarch.graph.architecture import load
from jobarch.validation.pyshacl_engine import focus_nodes_for, shapes_graph, validate
from tests.helpers import MINIMAL
from tests.validation.test_validate_shapes import CASES


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    target = tmp_path / "arch"
    shutil.copytree(sample_data_dir(), target)
    return target


def test_text_output_groups_by_file_and_counts(runner):
    result = runner.invoke(main, ["validate", str(sample_data_dir())])
    assert result.exit_code == 0  # a warning does not fail the default threshold
    lines = result.output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.endswith("manufacturing-operations.ttl"))
    assert ": warning: The rubric gives M2 2–5 years but level M2 says 5–8 years" in lines[header + 1]
    assert "(rubric:MANUFA3-M2-years, jash:RubricYearsShape)" in lines[header + 1]
    assert lines[-1] == "0 violations, 1 warning, 0 infos in 6 files"


@pytest.mark.slow
def test_severity_threshold_sets_exit_status(runner):
    assert runner.invoke(main, ["validate", str(sample_data_dir()), "--severity", "warning"]).exit_code == 1
    assert runner.invoke(main, ["validate", str(sample_data_dir()), "--severity", "violation"]).exit_code == 0


def test_violation_exits_1_and_names_line(runner, write):
    text = CASES["profile code does not match focus and level"][0]()
    path = write("arch.ttl", text)
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    line = text.splitlines().index("ex:profileB2") + 1
    assert f"arch.ttl:{line}: violation: Profile code FUNC1.FAM1B1.P9 should be FUNC1.FAM1B1.P2" in result.output


def test_unreadable_input_exits_2_with_location(runner, write):
    path = write(
        "broken.ttl", MINIMAL.replace('ex:trackP a ja:Track ; ja:code "P" ;', 'ex:trackP a ja:Track ; ja:code "P ;')
    )
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}:" in result.stderr and "syntax error" in result.stderr


def test_json_format(runner):
    result = runner.invoke(main, ["validate", str(sample_data_dir()), "--format", "json"])
    doc = json.loads(result.output)
    assert doc["conforms"] is True and doc["counts"]["warning"] == 1
    [finding] = doc["results"]
    assert finding["file"].endswith("manufacturing-operations.ttl") and finding["line"] > 0
    assert finding["focusNode"] == "https://example.org/jobarch/sample/rubric/MANUFA3-M2-years"


def test_sarif_format(runner, write):
    path = write("arch.ttl", CASES["two levels share a rank"][0]())
    result = runner.invoke(main, ["validate", str(path), "--format", "sarif"])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["version"] == "2.1.0" and "sarif" in doc["$schema"]
    run = doc["runs"][0]
    assert run["tool"]["driver"]["name"] == "jobarch"
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(run["results"]) == 2
    for res in run["results"]:
        assert res["level"] == "error" and rules[res["ruleIndex"]] == res["ruleId"] == "jash:LevelShape"
        physical = res["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"].endswith("arch.ttl")
        assert physical["region"]["startLine"] >= 1


def test_turtle_format_is_the_w3c_report(runner, write, tmp_path):
    path = write("arch.ttl", CASES["mapping without source"][0]())
    out = tmp_path / "report.ttl"
    result = runner.invoke(main, ["validate", str(path), "--format", "turtle", "-o", str(out)])
    assert result.exit_code == 1
    report = Graph().parse(out, format="turtle")
    node = report.value(None, RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms).toPython() is False
    assert len(list(report.objects(node, SH.result))) == 1
    assert not any("urn:jobarch:bnode:" in str(t) for triple in report for t in triple)


def test_accelerated_validation_matches_plain_pyshacl(tmp_path):
    """The query cache, pre-binding and skolemisation change speed, never results."""
    from jobarch.validation.findings import shape_label as _shape_label

    text = CASES["duplicate code"][0]().replace('ja:code "FAM1B1" ;', 'ja:code "XYZ1" ;')
    text = text.replace('skos:prefLabel "Skill B"@en', 'skos:prefLabel "Skill A"@en')
    text = text.replace('ja:mappedCode "51-1011" ;', 'ja:mappedCode "5110" ;')
    text = text.replace(
        "[ ja:qualityDimension ex:clarity ; ja:score 4 ]", "[ ja:qualityDimension ex:clarity ; ja:score 3 ]"
    )
    text = text.replace(
        'ex:cell-M1-knowledge a ja:RubricCell ; ja:appliesTo ex:arch ; ja:level ex:M1 ; ja:dimension ex:knowledge ; ja:text "Leads."@en .\n',
        "",
    )
    path = tmp_path / "arch.ttl"
    path.write_text(text, encoding="utf-8")
    arch = load([path])
    ours = {(str(f.focus), f.shape, f.severity) for f in validate(arch).findings}
    plain = Graph()
    for triple in arch.dataset.triples((None, None, None)):
        plain.add(triple)
    _, report, _ = pyshacl.validate(plain, shacl_graph=shapes_graph(), inference="none")
    theirs = {
        (
            str(report.value(r, SH.focusNode)),
            _shape_label(shapes_graph(), report.value(r, SH.sourceShape)),
            str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1].lower(),
        )
        for r in report.objects(None, SH.result)
    }
    assert len(ours) >= 8
    assert ours == theirs


@pytest.mark.slow
def test_only_gives_the_full_results_for_the_touched_nodes(sample_copy):
    quality = sample_copy / "quality.ttl"
    text = quality.read_text(encoding="utf-8")
    text = text.replace('ja:code "QUALIT2.QUALIT10A1.P1"', 'ja:code "QUALIT2.QUALIT10A1.X1"', 1)
    text = text.replace('ja:mappedCode "13-1041"', 'ja:mappedCode "13-104"', 1)
    quality.write_text(text, encoding="utf-8")
    manufacturing = sample_copy / "manufacturing-operations.ttl"
    manufacturing.write_text(
        manufacturing.read_text(encoding="utf-8").replace(
            'ja:code "MANUFA3.MANUFACT11A1.P1"', 'ja:code "MANUFA3.MANUFACT11A1.Y1"', 1
        ),
        encoding="utf-8",
    )
    arch = load([sample_copy])
    full = validate(arch)
    limited = validate(arch, only=[quality])
    touched = focus_nodes_for(arch, [quality])
    expected = [f for f in full.findings if f.focus in touched]
    assert limited.focus_limited and limited.findings == expected
    assert {f.focus_label for f in limited.findings} >= {"profile:QUALIT2.QUALIT10A1.P1"}
    assert any("13-104" in f.message for f in limited.findings)
    assert not any("MANUFACT11A1" in f.focus_label for f in limited.findings)
    assert any("MANUFACT11A1" in f.focus_label for f in full.findings)


def test_changed_uses_git(sample_copy, runner, monkeypatch):
    def git(*args):
        subprocess.run(["git", *args], cwd=sample_copy, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=t@example.org", "-c", "user.name=t", "add", ".")
    git("-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "sample")
    monkeypatch.chdir(sample_copy)
    result = runner.invoke(main, ["validate", ".", "--changed"])
    assert result.exit_code == 0 and result.output.strip().endswith("(changed nodes only)")
    assert result.output.splitlines()[-1].startswith("0 violations, 0 warnings")
    path = sample_copy / "quality.ttl"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'ja:code "QUALIT2.QUALIT10A1.P1"', 'ja:code "QUALIT2.QUALIT10A1.X1"', 1
        ),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["validate", ".", "--changed"])
    assert result.exit_code == 1
    assert "quality.ttl" in result.output and "QUALIT2.QUALIT10A1.X1 should be QUALIT2.QUALIT10A1.P1" in result.output
    assert "MANUFA3-M2-years" not in result.output  # untouched file, not reported


def test_only_rejects_files_outside_the_architecture(runner, write):
    other = write("elsewhere.ttl", "@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\n")
    result = runner.invoke(main, ["validate", str(sample_data_dir()), "--only", str(other)])
    assert result.exit_code == 2 and "not one of the architecture's files" in result.stderr


def test_shapes_cover_every_ontology_class():
    from rdflib.namespace import OWL

    from jobarch.core.resources import ontology_path

    onto = Graph().parse(ontology_path())
    shapes = shapes_graph()
    classes = set(onto.subjects(RDF.type, OWL.Class))
    targeted = set(shapes.objects(None, SH.targetClass)) | set(shapes.objects(None, SH["class"]))
    # abstract or derived classes, checked through their subclasses or not curated by hand
    untargeted = {c.split("#")[-1] for c in classes - targeted}
    # the kinds of source are checked as ja:Source; statuses are the ontology's own individuals
    assert untargeted <= {
        "ProfileStatus",
        "SkillRelationType",
        "OccupationalDataSource",
        "JobPostingSource",
        "IndustryReferenceSource",
    }, untargeted
