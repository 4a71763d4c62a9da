"""O*NET's database files in (a fixture written in O*NET's text layout): valid, codes kept, nothing invented."""

from __future__ import annotations

import json
import shutil

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from jobarch.cli import main
from tests.helpers import FIXTURES

JA = "https://w3id.org/jobarch#"
ONET = FIXTURES / "onet"
PROFILE = "https://example.org/jobarch/imported/profile/"


def imported(runner, source, out) -> Graph:
    result = runner.invoke(main, ["import", "onet", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    graph = Graph()
    for path in out.glob("*.ttl"):
        graph.parse(path)
    return graph


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
