"""O*NET's database files in (a fixture written in O*NET's text layout): valid, codes kept, nothing invented."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from jobarch.cli import main
from tests.helpers import FIXTURES
from tests.helpers import imported as import_into

JA = "https://w3id.org/jobarch#"
ONET = FIXTURES / "onet"
PROFILE = "https://example.org/jobarch/imported/profile/"


def imported(runner, source: Path, out: Path, *options: str) -> Graph:
    return import_into(runner, "onet", source, out, *options)


def test_onet_files_become_a_valid_architecture_keeping_the_codes(runner, tmp_path):
    graph = imported(runner, ONET, tmp_path / "out")
    report = json.loads(runner.invoke(main, ["validate", str(tmp_path / "out"), "--format", "json"]).output)
    assert report["counts"]["violation"] == 0
    assert {str(o) for o in graph.objects(None, SKOS.notation)} >= {"11-1011.00", "51-1011.00", "51-9199.00"}
    supervisor = URIRef(PROFILE + "SOC51.SOC51101100.P3")  # job zone 3 gives the level
    assert (supervisor, SKOS.exactMatch, URIRef("https://www.onetonline.org/link/summary/51-1011.00")) in graph
    assert {str(o) for o in graph.objects(supervisor, SKOS.altLabel)} == {"Production Supervisor", "Shift Lead"}
    tasks = sorted((int(graph.value(r, URIRef(JA + "order"))), str(graph.value(r, URIRef(JA + "text"))))
                   for r in graph.objects(supervisor, URIRef(JA + "responsibility")))  # fmt: skip
    assert [t for _, t in tasks] == [
        "Plan the shift and assign the work.",
        "Train new workers on the line.",
    ]  # core first
    requirements = list(graph.objects(supervisor, URIRef(JA + "skillRequirement")))
    skills = {str(graph.value(graph.value(r, URIRef(JA + "skill")), SKOS.prefLabel)) for r in requirements}
    assert skills == {"Monitoring"}  # Science is rated 1.5 for importance: not required
    # O*NET's ratings kept: importance 3.75 (IM), level 4.12 (LV) rounded onto the 0-7 proficiency scale
    (monitoring,) = requirements
    assert float(graph.value(monitoring, URIRef(JA + "importance"))) == 3.75
    assert int(graph.value(monitoring, URIRef(JA + "proficiency"))) == 4
    assert graph.value(monitoring, URIRef(JA + "relationType")) == URIRef(JA + "Essential")
    steps = {int(graph.value(s, URIRef(JA + "order"))) for s in graph.subjects(None, URIRef(JA + "ProficiencyLevel"))}
    assert steps == set(range(8))
    unzoned = URIRef(PROFILE + "SOC51.SOC51919900.U1")  # O*NET gives no job zone: a level saying so, not a guess
    assert (unzoned, URIRef(JA + "level"), None) in graph
    levels = {str(o) for o in graph.objects(None, SKOS.prefLabel) if str(o).startswith("Job Zone")}
    assert "Job Zone 5 — Extensive preparation needed" in levels
    ceo = URIRef(PROFILE + "SOC11.SOC11101100.P5")
    assert {str(o) for o in graph.objects(ceo, SKOS.altLabel)} == {"CEO", "President"}  # not the title again
    assert graph.value(ceo, SKOS.prefLabel) == Literal("Chief Executives — Job Zone 5", lang="en")


def test_onet_files_with_a_wrong_column_or_code_name_file_and_line(runner, tmp_path):
    broken = tmp_path / "onet"
    shutil.copytree(ONET, broken)
    data = broken / "Occupation Data.txt"
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    data.write_text(lines[0] + lines[1] + "11-10XX.00\tNobody\tNothing.\n", encoding="utf-8")
    result = runner.invoke(main, ["import", "onet", str(broken), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "Occupation Data.txt:3" in result.stderr and "O*NET-SOC code" in result.stderr
    (broken / "Job Zones.txt").write_text("O*NET-SOC Code\tZone\n", encoding="utf-8")
    data.write_text(lines[0] + lines[1], encoding="utf-8")
    result = runner.invoke(main, ["import", "onet", str(broken), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "Job Zones.txt:1" in result.stderr and "'Job Zone'" in result.stderr
    result = runner.invoke(main, ["import", "onet", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "Occupation Data.txt" in result.stderr
    assert not (tmp_path / "out").exists()


def _as_workbooks(source, target):
    """O*NET's Excel release of the fixture: each text file as a workbook of one sheet, numbers as numbers."""
    import openpyxl

    target.mkdir()
    for text in source.glob("*.txt"):
        book = openpyxl.Workbook()
        sheet = book.active
        for i, line in enumerate(text.read_text(encoding="utf-8").splitlines()):
            cells = line.split("\t")
            if i:
                cells = [float(c) if re.fullmatch(r"\d+\.\d+", c) else int(c) if c.isdigit() else c for c in cells]
            sheet.append(cells)
        book.save(target / (text.stem + ".xlsx"))


def test_the_excel_release_imports_the_same_architecture(tmp_path, runner):
    fixture = FIXTURES / "onet"
    _as_workbooks(fixture, tmp_path / "excel")
    for name, source in (("text", fixture), ("excel", tmp_path / "excel")):
        result = runner.invoke(main, ["import", "onet", str(source), "-o", str(tmp_path / f"out-{name}")])
        assert result.exit_code == 0, result.output
    text_files = sorted(p.name for p in (tmp_path / "out-text").glob("*.ttl"))
    assert text_files == sorted(p.name for p in (tmp_path / "out-excel").glob("*.ttl"))
    for name in text_files:  # byte for byte: job zones, importance and levels read as the text release has them
        assert (tmp_path / "out-excel" / name).read_bytes() == (tmp_path / "out-text" / name).read_bytes(), name


def test_a_damaged_or_huge_workbook_is_refused_with_its_name(tmp_path, runner, monkeypatch):
    import zipfile

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "Occupation Data.xlsx").write_bytes(b"not a zip at all")
    result = runner.invoke(main, ["import", "onet", str(broken), "-o", str(tmp_path / "out1")])
    assert (
        result.exit_code == 2 and "Occupation Data.xlsx" in result.output and "not an Excel workbook" in result.output
    )
    bomb = tmp_path / "bomb"
    bomb.mkdir()
    with zipfile.ZipFile(bomb / "Occupation Data.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * 20_000_000 + b"</a>")
    # the limit as the environment gives it (--max-bytes sets the same variable, for the rest of the process)
    monkeypatch.setenv("JOBARCH_MAX_BYTES", "1M")
    result = runner.invoke(main, ["import", "onet", str(bomb), "-o", str(tmp_path / "out2")])
    assert result.exit_code == 2 and "unpacks to 20,000,007 bytes" in result.output and "Traceback" not in result.output


def test_a_workbook_whose_dimension_understates_its_rows_is_read_whole(tmp_path, runner):
    """Excel writes <dimension ref="A1:C9"/> for the used range; a workbook whose element claims fewer rows than it
    holds (other writers, or an edit) must still be read to its last row, as the text release would be."""
    import zipfile

    fixture = FIXTURES / "onet"
    _as_workbooks(fixture, tmp_path / "excel")
    book = tmp_path / "excel" / "Occupation Data.xlsx"
    with zipfile.ZipFile(book) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    parts["xl/worksheets/sheet1.xml"] = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:C2"', sheet).encode()
    assert b'<dimension ref="A1:C2"' in parts["xl/worksheets/sheet1.xml"]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    for name, source in (("text", fixture), ("excel", tmp_path / "excel")):
        result = runner.invoke(main, ["import", "onet", str(source), "-o", str(tmp_path / f"out-{name}")])
        assert result.exit_code == 0, result.output
    for path in sorted((tmp_path / "out-text").glob("*.ttl")):
        assert (tmp_path / "out-excel" / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_skos_round_trip_keeps_mappings_job_zones_and_provenance(runner, tmp_path):
    """O*NET → SKOS → import: what SKOS can carry comes back as it was (the skills' requirements, tasks and
    orders are not SKOS, and are the only things left behind)."""
    first = imported(runner, ONET, tmp_path / "onet")
    skos = tmp_path / "onet.skos.ttl"
    assert runner.invoke(main, ["export", "skos", "--data", str(tmp_path / "onet"), "-o", str(skos)]).exit_code == 0
    result = runner.invoke(main, ["import", "skos", str(skos), "-o", str(tmp_path / "again")])
    assert result.exit_code == 0, result.stderr
    again = Graph()
    for path in (tmp_path / "again").glob("*.ttl"):
        again.parse(path)
    kept = (
        "classificationMapping",
        "mappingScheme",
        "mappedCode",
        "mappedConcept",
        "mappingSource",
        "level",
        "code",
        "focus",
    )
    for name in kept:
        assert set(again.triples((None, URIRef(JA + name), None))) == set(
            first.triples((None, URIRef(JA + name), None))
        )
    derived = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    assert set(again.triples((None, derived, None))) == set(first.triples((None, derived, None)))
    zones = {str(o) for o in again.objects(URIRef("https://example.org/jobarch/imported/level/P3"), SKOS.prefLabel)}
    assert zones == {"Job Zone 3 — Medium preparation needed"}
    title = URIRef("http://purl.org/dc/terms/title")
    sources = set(again.objects(None, derived))
    assert {again.value(s, title) for s in sources} == {first.value(s, title) for s in sources}
