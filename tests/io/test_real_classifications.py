"""Classifications shaped like real ones, imported with defaults: defects repaired and reported, codes kept
verbatim, the source carried to every export, export → import the same architecture.

The two fixtures are written for these tests after the shapes of real sources: a national five-level
classification whose codes exist only in its IRIs and whose labels are German only, and a historical one with
codes in the publisher's own property, an undefined parent, a missing and a doubled preferred label, and
occupations with nothing below them at several depths.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import SKOS

from jobarch.cli import main
from tests.helpers import imported as import_into

FIXTURES = Path(__file__).parents[1] / "fixtures"
NATIONAL = FIXTURES / "national-5-level.ttl"
HISTORICAL = FIXTURES / "historical.ttl"
JA = "https://w3id.org/jobarch#"
HV_CODE = URIRef("https://example.org/historical/vocab#code")


def imported(runner, source: Path, out: Path, *options: str) -> Graph:
    return import_into(runner, "skos", source, out, *options)


def violations(runner, out: Path) -> list[str]:
    report = json.loads(runner.invoke(main, ["validate", str(out), "--format", "json"]).output)
    return [f["message"] for f in report["results"] if f["severity"] == "violation"]


def literals(graph: Graph, *predicates: str) -> set[str]:
    return {str(o) for p in predicates for o in graph.objects(None, URIRef(p))}


def test_a_national_classification_keeps_its_codes_and_its_language(runner, tmp_path):
    graph = imported(runner, NATIONAL, tmp_path / "out")
    assert violations(runner, tmp_path / "out") == []
    source = Graph().parse(NATIONAL)
    codes = {str(c).rsplit("/", 1)[1] for c in source.subjects(SKOS.prefLabel, None) if "scheme" not in str(c)}
    kept = literals(graph, JA + "code", str(SKOS.notation), JA + "mappedCode")
    assert codes <= kept  # 01104 and the others, verbatim, though the source has them only in its IRIs
    german = [o for o in graph.objects(None, SKOS.prefLabel) if isinstance(o, Literal) and o.language == "de"]
    assert Literal("Offiziere (Stufe P4)", lang="de") in german  # jobarch's own words in the source's language
    assert Literal("Stufe P4", lang="de") in set(graph.objects(None, SKOS.prefLabel))
    assert not [o for o in german if "Level" in o]

    sssom = runner.invoke(main, ["export", "sssom", "--data", str(tmp_path / "out")])
    rows = [line.split("\t") for line in sssom.output.splitlines() if line.startswith("japrofile:")]
    assert len(rows) == 8 and all(row[2] == "skos:exactMatch" for row in rows)  # one per occupation
    assert {row[4] for row in rows} == {"semapv:UnspecifiedMatching"}  # made by the import, curated by no one
    assert '#  scheme: "https://example.org/national/"' in sssom.output
    schema = json.loads(runner.invoke(main, ["export", "schema", "--data", str(tmp_path / "out")]).output)
    categories = [c for o in schema["@graph"] for c in o.get("occupationalCategory", [])]
    assert {c["codeValue"] for c in categories} == {
        "01104",
        "01203",
        "11101",
        "11102",
        "11103",
        "11112",
        "11114",
        "12102",
    }
    assert {c["inCodeSet"]["name"] for c in categories} == {"Klassifikation der Berufe (Beispiel)"}
    assert {o["name"]["@language"] for o in schema["@graph"]} == {"de"}  # German text goes out tagged
    ids = set()
    for source in (NATIONAL, HISTORICAL):
        imported(runner, source, tmp_path / source.stem)
        header = runner.invoke(main, ["export", "sssom", "--data", str(tmp_path / source.stem)]).output
        ids |= {line for line in header.splitlines() if line.startswith("#mapping_set_id:")}
    assert len(ids) == 2  # each classification its own mapping set


def test_depths_below_the_top_are_taken_and_what_is_above_is_linked(runner, tmp_path):
    """A user's reading of --help (``--depths 2,3,4``) on a five-level source: an internal error before."""
    options = ("--depths", "2,3,4", "--level-from", "last-digit")
    plan = runner.invoke(main, ["import", "skos", str(NATIONAL), "--plan", *options])
    assert plan.exit_code == 0, plan.stderr
    assert "above the functions" in plan.output and "dropped: nothing" not in plan.output
    graph = imported(runner, NATIONAL, tmp_path / "out", *options)
    assert violations(runner, tmp_path / "out") == []
    functions = set(graph.subjects(URIRef(str(SKOS) + "topConceptOf"), None))
    assert len(functions) == 3  # the three depth-2 concepts
    above = {graph.value(f, SKOS.broadMatch) for f in functions}
    assert above == {URIRef("https://example.org/national/0"), URIRef("https://example.org/national/1")}


@pytest.mark.parametrize(
    ("depths", "message"),
    [("1,2,9", "is 5 deep"), ("3,2,1", "a function, a family and a focus depth"), ("2,3,5", "no concepts at depth 6")],
)
def test_depths_that_cannot_work_are_refused_clearly(runner, depths, message):
    result = runner.invoke(main, ["import", "skos", str(NATIONAL), "--plan", "--depths", depths])
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_a_historical_classification_is_repaired_reported_and_exports(runner, tmp_path):
    plan = runner.invoke(main, ["import", "skos", str(HISTORICAL), "--plan"])
    assert plan.exit_code == 0
    assert "chosen: --code-from hv:code" in plan.output
    for line in (
        "repaired: 1 parent the source names, never defined",
        "repaired: 1 concept without a preferred label",
        "repaired: 1 second preferred label in one language",
        "moved: 2 occupations with nothing below them",
        "dropped: nothing",
    ):
        assert line in plan.output
    out = tmp_path / "out"
    graph = imported(runner, HISTORICAL, out)
    assert violations(runner, out) == []  # six before: unlabelled functions, doubled labels
    report = (out / "historical.import-report.txt").read_text(encoding="utf-8")
    assert "https://example.org/historical/minor-0-2" in report and "major-9 (not defined in the source)" in report

    source = Graph().parse(HISTORICAL)
    kept = literals(graph, str(SKOS.notation), JA + "code")
    assert literals(source, str(HV_CODE)) <= kept  # "0-11.10", punctuation kept
    assert Literal("Bridge engineer", lang="en") in set(graph.objects(None, SKOS.altLabel))
    occupations = {c for c in source.subjects(HV_CODE, None) if not set(source.subjects(SKOS.broader, c))}
    profiles = set(graph.subjects(URIRef(JA + "focus"), None))
    linked = {o for p in profiles for o in graph.objects(p, SKOS.exactMatch)}
    assert occupations <= linked  # every occupation is a profile, however high it sits
    assert len(occupations) == 6

    export = runner.invoke(main, ["export", "skos", "--data", str(out), "-o", str(tmp_path / "skos.ttl")])
    assert export.exit_code == 0, export.stderr  # refused before: the import did not validate
    assert export.stdout == "" and (tmp_path / "skos.ttl").stat().st_size > 0  # written, not printed as well


def test_code_from_names_the_property(runner, tmp_path):
    result = runner.invoke(main, ["import", "skos", str(HISTORICAL), "--plan", "--code-from", "hv:code"])
    assert result.exit_code == 0 and "--code-from" not in result.output  # given, so not chosen
    full = runner.invoke(main, ["import", "skos", str(HISTORICAL), "--plan", "--code-from", str(HV_CODE)])
    assert full.output == result.output
    unknown = runner.invoke(main, ["import", "skos", str(HISTORICAL), "--plan", "--code-from", "nope:code"])
    assert unknown.exit_code == 2 and "no such prefix" in unknown.stderr


@pytest.mark.parametrize("source", [NATIONAL, HISTORICAL], ids=["national", "historical"])
def test_export_then_import_gives_the_same_architecture(runner, tmp_path, source):
    """The mappings into the source, generated level names and repaired labels survive a SKOS round trip."""
    first = imported(runner, source, tmp_path / "a")
    assert any(first.objects(None, URIRef(JA + "classificationMapping")))
    export = runner.invoke(main, ["export", "skos", "--data", str(tmp_path / "a"), "-o", str(tmp_path / "a.ttl")])
    assert export.exit_code == 0, export.stderr
    second = imported(runner, tmp_path / "a.ttl", tmp_path / "b")
    assert to_isomorphic(first) == to_isomorphic(second)
