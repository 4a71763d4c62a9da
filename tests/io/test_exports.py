"""Exports that external tools accept, byte-identical from run to run."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from jobarch import api
from jobarch.cli import main
from jobarch.core.resources import sample_data_dir
from jobarch.graph.serialize import SERIALIZATIONS
from jobarch.graph.terms import rdflib_to_ntriples
from jobarch.io.exports.skos import skos_problems
from tests.helpers import FIXTURES, REFERENCE_CODE, REFERENCE_PAGE

ESCO = "http://data.europa.eu/esco/model#"
JA = "https://w3id.org/jobarch#"


JA_IRI = "https://w3id.org/jobarch#"


def run_export(runner, *args) -> str:
    result = runner.invoke(main, ["export", *args])
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [["skos"], ["esco"], ["schema"], ["sssom"], ["csv"], *(["rdf", "--rdf-format", f] for f in SERIALIZATIONS)],
)
def test_exports_are_deterministic(args, tmp_path):
    """Byte-identical in separate processes whose string hashing differs (set and dict order would show)."""

    def export(seed: str) -> bytes:
        env = {**os.environ, "PYTHONHASHSEED": seed, "JOBARCH_CACHE_DIR": str(tmp_path / seed)}
        done = subprocess.run([sys.executable, "-m", "jobarch.cli", "export", *args], capture_output=True, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert export("1") == export("2")


def test_skos_export_passes_integrity_checks(runner):
    graph = Graph().parse(data=run_export(runner, "skos"), format="turtle")
    assert skos_problems(rdflib_to_ntriples(t) for t in graph) == []
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == 3 + 9 + 14 + 71 + 8 + 41 + 10  # functions, families, foci, profiles, skill groups,
    # skills, and the ten levels profiles are at
    profile = URIRef("https://example.org/jobarch/sample/profile/" + REFERENCE_CODE)
    focus = URIRef("https://example.org/jobarch/sample/focus/MANUFACT13A2")
    assert (profile, SKOS.broader, focus) in graph and (focus, SKOS.narrower, profile) in graph
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) == 3 and all(set(graph.objects(s, SKOS.hasTopConcept)) for s in schemes)  # with levels
    # plain SKOS but for the profiles' classification mappings, carried so that a re-import keeps them
    mapping_terms = {"classificationMapping", "mappingScheme", "mappedCode", "mappedConcept", "mappingSource"}
    own = {str(p).removeprefix("https://w3id.org/jobarch#") for p in graph.predicates() if str(p).startswith(JA_IRI)}
    assert own == mapping_terms | {"confidence"}
    assert len(set(graph.objects(profile, URIRef(JA_IRI + "classificationMapping")))) == 1


def test_skos_checks_find_problems():
    broken = Graph().parse(
        data="""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <urn:s> a skos:ConceptScheme ; skos:hasTopConcept <urn:a> .
        <urn:a> a skos:Concept ; skos:prefLabel "A"@en, "Alpha"@en ; skos:inScheme <urn:s> .
        <urn:b> a skos:Concept ; skos:broader <urn:a> .
        <urn:c> a skos:Concept ; skos:inScheme <urn:s> ; skos:prefLabel "A"@en .""",
        format="turtle",
    )
    problems = {p for p, _ in skos_problems(rdflib_to_ntriples(t) for t in broken)}
    assert problems == {
        "orphan concept",
        "concept in no scheme",
        "several preferred labels in one language",
        "broader without narrower",
        "top concept without skos:topConceptOf",
        "preferred label shared in a scheme",
    }


@pytest.mark.slow
def test_esco_rdf_and_csv(runner, tmp_path):
    graph = Graph().parse(data=run_export(runner, "esco"), format="turtle")
    occupations = set(graph.subjects(RDF.type, URIRef(ESCO + "Occupation")))
    assert len(occupations) == 71
    profile = URIRef("https://example.org/jobarch/sample/profile/" + REFERENCE_CODE)
    essential = {str(s).rsplit("/", 1)[-1] for s in graph.objects(profile, URIRef(ESCO + "relatedEssentialSkill"))}
    optional = {str(s).rsplit("/", 1)[-1] for s in graph.objects(profile, URIRef(ESCO + "relatedOptionalSkill"))}
    assert len(essential) == 11 and not essential & optional  # as the skill requirements say
    assert optional == {"cell-counting", "equipment-qualification", "statistical-data-analysis", "technology-transfer"}
    result = runner.invoke(main, ["export", "esco", "-o", str(tmp_path / "esco")])
    assert result.exit_code == 0
    with open(tmp_path / "esco" / "occupations_en.csv", encoding="utf-8") as f:
        occupations_csv = list(csv.DictReader(f))
    assert list(occupations_csv[0])[:4] == ["conceptType", "conceptUri", "iscoGroup", "preferredLabel"]
    assert len(occupations_csv) == 71
    assert all(o["description"] and not o["definition"] for o in occupations_csv)  # once; the focus's if none

    assert {o["inScheme"] for o in occupations_csv} == {"https://example.org/jobarch/sample/architecture"}
    assert {o["modifiedDate"] for o in occupations_csv} == {"2026-11-26"}  # the scheme's dct:modified
    assert (tmp_path / "esco" / "occupations_en.csv").read_bytes().count(b"\r\n") >= 72  # ESCO's files use CRLF
    with open(tmp_path / "esco" / "occupationSkillRelations_en.csv", encoding="utf-8") as f:
        relations = list(csv.DictReader(f))
    mine = {
        r["skillUri"].rsplit("/", 1)[-1]: r["relationType"] for r in relations if r["occupationUri"] == str(profile)
    }
    assert len(mine) == 15 and {s for s, kind in mine.items() if kind == "optional"} == optional  # the RDF's
    assert {r["relationType"] for r in relations} == {"essential", "optional"}  # ESCO's two relation types
    with open(tmp_path / "esco" / "skills_en.csv", encoding="utf-8") as f:
        skills_csv = list(csv.DictReader(f))
    assert len(skills_csv) == 41
    assert {s["inScheme"] for s in skills_csv} == {"https://example.org/jobarch/sample/skills"}
    assert all(s["modifiedDate"] for s in skills_csv) and all(s["description"] for s in skills_csv)
    assert not any(s["definition"] for s in skills_csv)  # the text once, in description


def test_esco_broader_isco_group(write, runner):
    from tests.helpers import MINIMAL

    text = MINIMAL.replace(
        """    ja:classificationMapping [
        a ja:ClassificationMapping ;""",
        """    ja:classificationMapping [
        a ja:ClassificationMapping ;
        ja:mappingScheme ja:ISCO08 ; ja:mappedCode "3122" ; ja:mappedConcept <http://data.europa.eu/esco/isco/C3122> ;
        ja:mappingSource "curator"
    ] , [
        a ja:ClassificationMapping ;""",
    )
    graph = Graph().parse(data=run_export(runner, "esco", "--data", str(write("a.ttl", text))), format="turtle")
    isco = URIRef("http://data.europa.eu/esco/isco/C3122")
    assert (URIRef("https://example.org/min/profileA1"), SKOS.broader, isco) in graph
    assert (isco, RDF.type, URIRef(ESCO + "ISCOGroup")) in graph


def test_schema_json_ld_expands_the_same_with_rdflib_and_pyld(runner):
    from pyld import jsonld

    doc = json.loads(run_export(runner, "schema"))
    occupation = next(o for o in doc["@graph"] if o["identifier"] == REFERENCE_CODE)
    assert occupation["@type"] == "Occupation" and len(occupation["skills"]) == 15
    assert occupation["occupationalCategory"][0]["codeValue"] == "51-1011"
    assert occupation["experienceRequirements"]["monthsOfExperience"] == 60
    by_language = Counter(r["@language"] for r in occupation["responsibilities"])
    assert by_language == {"en": 5, "de": 5}  # every language kept, each tagged
    assert {n["@language"] for n in occupation["name"]} == {"en", "de"}
    assert all(o.get("description") for o in doc["@graph"] if o.get("@type") == "Occupation")
    rdflib_graph = Graph().parse(data=json.dumps(doc), format="json-ld")
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    pyld_graph = Graph().parse(data=nquads, format="nquads")
    assert len(rdflib_graph) > 1000 and isomorphic(rdflib_graph, pyld_graph)


@pytest.mark.slow
def test_sssom_passes_sssom_validate(runner, tmp_path):
    out = tmp_path / "mappings.sssom.tsv"
    assert runner.invoke(main, ["export", "sssom", "-o", str(out)]).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#curie_map:" and any(line.startswith("#mapping_set_id:") for line in lines)
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    assert rows[0][:4] == ["subject_id", "subject_label", "predicate_id", "object_id"] and len(rows) == 72
    ref = next(r for r in rows if r[0].endswith(REFERENCE_CODE))
    assert ref[2:4] == ["skos:closeMatch", "soc2018:51-1011"] and ref[6] == "jfm-factory.resolve"
    assert rows[0][6] == "mapping_tool"  # the tool that made the mapping, in SSSOM's own slot
    from sssom.parsers import parse_sssom_table

    parsed = parse_sssom_table(out).to_mapping_set_document().mapping_set.mappings
    assert {m.mapping_tool for m in parsed if m.subject_id.endswith(REFERENCE_CODE)} == {"jfm-factory.resolve"}
    sssom = Path(sys.executable).parent / "sssom"
    done = subprocess.run(
        [str(sssom if sssom.exists() else shutil.which("sssom")), "validate", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_csv_export_columns_and_reference_row(runner):
    rows = list(csv.DictReader(io.StringIO(run_export(runner, "csv"))))
    assert len(rows) == 71
    ref = next(r for r in rows if r["code"] == REFERENCE_CODE)
    assert ref["level_code"] == "M2" and ref["min_years"] == "5" and ref["max_years"] == "8"
    page = REFERENCE_PAGE.read_text(encoding="utf-8").splitlines()
    skills = [line[2:] for line in page[page.index("Skills") : page.index("Provenance")] if line.startswith("- ")][0::2]
    assert ref["skills"].split(" | ") == skills
    assert len(ref["responsibilities"].split(" | ")) == 5 and len(ref["sources"].split(" | ")) == 7
    assert ref["mappings"] == "O*NET / SOC:51-1011:jfm-factory.resolve"


@pytest.mark.slow
def test_rdf_export_is_the_whole_architecture(runner, sample_architecture):
    graph = Graph().parse(data=run_export(runner, "rdf"), format="turtle")
    data = Graph()
    for path in sample_architecture.files:
        data += sample_architecture.graph_of(path)
    assert isomorphic(graph, data)
    assert len(Graph().parse(data=run_export(runner, "rdf", "--rdf-format", "nt"), format="nt")) == len(data)
    assert len(Graph().parse(data=run_export(runner, "rdf", "--rdf-format", "xml"), format="xml")) == len(data)


@pytest.mark.slow
def test_export_on_oxigraph_matches_memory(runner, tmp_path):
    memory = run_export(runner, "csv")
    oxigraph = run_export(runner, "csv", "--store", f"oxigraph:{tmp_path / 'store'}")
    assert memory == oxigraph


# ---------------------------------------------------------------------------- CSV import


@pytest.mark.slow
def test_csv_export_import_round_trip(runner, tmp_path):
    first = tmp_path / "a.csv"
    assert runner.invoke(main, ["export", "csv", "-o", str(first)]).exit_code == 0
    result = runner.invoke(main, ["import", "csv", str(first), "-o", str(tmp_path / "imported")])
    assert result.exit_code == 0, result.stderr
    second = tmp_path / "b.csv"
    assert (
        runner.invoke(main, ["export", "csv", "--data", str(tmp_path / "imported"), "-o", str(second)]).exit_code == 0
    )
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    # what the CSV does not carry (skill definitions) is a warning, never a violation
    validation = runner.invoke(main, ["validate", str(tmp_path / "imported"), "--format", "json"])
    assert validation.exit_code == 0 and json.loads(validation.output)["counts"]["violation"] == 0


def test_csv_import_reports_every_bad_cell_and_writes_nothing(runner, tmp_path):
    rows = list(csv.DictReader(io.StringIO(run_export(runner, "csv"))))
    rows[0]["code"] = "WRONG.CODE.X"
    rows[2]["status"] = "maybe"
    rows[3]["quality"] = "Evidence=high"
    rows[4]["mappings"] = "Nowhere:1:x"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "bad.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = runner.invoke(main, ["import", "csv", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{path}:2: row 2, column 'code'" in result.stderr
    for fragment in (
        "row 4, column 'status'",
        "row 5, column 'quality'",
        "row 6, column 'mappings'",
        "nothing was written",
    ):
        assert fragment in result.stderr
    assert not (tmp_path / "out").exists()


def test_csv_import_hostile_input(runner, tmp_path):
    missing = tmp_path / "missing.csv"
    missing.write_text("name,title\nx,y\n", encoding="utf-8")
    result = runner.invoke(main, ["import", "csv", str(missing), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "missing column 'code'" in result.stderr
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"code,title\n\xff\xfe\x00\x01\n")
    result = runner.invoke(main, ["import", "csv", str(binary), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "not UTF-8" in result.stderr


# ---------------------------------------------------------------------------- page import


def test_page_import_then_show_prints_the_page_again(runner, tmp_path):
    from tests.helpers import assert_contains_in_order, reference_lines

    result = runner.invoke(main, ["import", "page", str(REFERENCE_PAGE), "-o", str(tmp_path / "imported")])
    assert result.exit_code == 0, result.stderr
    shown = runner.invoke(main, ["show", REFERENCE_CODE, "--data", str(tmp_path / "imported"), "--format", "text"])
    assert shown.exit_code == 0, shown.stderr
    assert_contains_in_order(shown.output, reference_lines())
    # what the page does not carry is reported, not invented: grades for adjacency
    assert "Not computed" in shown.output.split("Adjacent roles", 1)[1]


def test_page_import_of_jobarchs_own_layout(runner, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(runner.invoke(main, ["show", REFERENCE_CODE, "--format", "text"]).output, encoding="utf-8")
    assert runner.invoke(main, ["import", "page", str(page), "-o", str(tmp_path / "imported")]).exit_code == 0
    shown = runner.invoke(
        main, ["show", REFERENCE_CODE, "--data", str(tmp_path / "imported"), "--format", "text"]
    ).output
    assert (
        "Quality: pass — minimum 4 (Accuracy); Accuracy 4, Clarity 4, Evidence 5, Level differentiation 4, Specificity 5"
        in shown
    )
    assert "M2 — Manager II  ◀ your level" in shown


def test_page_import_rejects_other_text(runner, write, tmp_path):
    path = write("notes.txt", "Meeting notes\nnothing here\nreally\nnothing\n")
    result = runner.invoke(main, ["import", "page", str(path), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "not a profile page" in result.stderr


# ---------------------------------------------------------------------------- SKOS import

ISCO_LIKE = FIXTURES / "isco-like.ttl"


def test_skos_import_of_a_classification_validates(runner, tmp_path):
    result = runner.invoke(main, ["import", "skos", str(ISCO_LIKE), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    validation = json.loads(runner.invoke(main, ["validate", str(tmp_path / "out"), "--format", "json"]).output)
    assert validation["counts"]["violation"] == 0
    rows = runner.invoke(main, ["query", "taxonomy", "--data", str(tmp_path / "out"), "--format", "csv"]).output
    assert "2,Professionals,21,Science and engineering professionals,213,Life science professionals,2" in rows
    graph = Graph().parse(next((tmp_path / "out").glob("*.ttl")))
    labels = {(str(o), o.language) for o in graph.objects(None, SKOS.prefLabel)}
    assert ("Biologen", "de") in labels and ("Produktionsleiter", "de") in labels  # language tags kept
    codes = {str(o) for o in graph.objects(None, URIRef("https://w3id.org/jobarch#code"))}
    assert {"2.213.P1", "2.213.P2", "3.312.P2"} <= codes  # level from the last digit of the notation


@pytest.mark.parametrize("options", [[], ["--level-from", "notation-suffix"]], ids=["auto", "given"])
def test_skos_export_then_import_keeps_the_hierarchy(runner, tmp_path, options):
    skos = tmp_path / "taxonomy.ttl"
    assert runner.invoke(main, ["export", "skos", "-o", str(skos)]).exit_code == 0
    result = runner.invoke(main, ["import", "skos", str(skos), "-o", str(tmp_path / "back"), *options])
    assert result.exit_code == 0, result.stderr
    original = runner.invoke(main, ["query", "taxonomy", "--format", "csv"]).output
    again = runner.invoke(main, ["query", "taxonomy", "--data", str(tmp_path / "back"), "--format", "csv"]).output
    assert again == original


def test_skos_import_hostile_input(runner, write, tmp_path):
    xxe = write(
        "xxe.rdf",
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="urn:a">&x;</rdf:Description></rdf:RDF>\n',
    )
    result = runner.invoke(main, ["import", "skos", str(xxe), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "DOCTYPE or entity declarations is refused" in result.stderr
    cycle = write(
        "cycle.ttl",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<urn:a> skos:broader <urn:b> .\n<urn:b> skos:broader <urn:a> .\n",
    )
    result = runner.invoke(main, ["import", "skos", str(cycle), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "loops" in result.stderr
    deep = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n" + "".join(
        f"<urn:c{i}> skos:broader <urn:c{i + 1}> .\n" for i in range(200)
    )
    result = runner.invoke(main, ["import", "skos", str(write("deep.ttl", deep)), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "deeper than" in result.stderr
    flat = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<urn:b> skos:broader <urn:a> .\n"
    result = runner.invoke(main, ["import", "skos", str(write("flat.ttl", flat)), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "a taxonomy needs a function" in result.stderr  # too shallow: the reason
    assert not (tmp_path / "o").exists()


def test_import_csv_keeps_onet_codes_used_as_focus_codes(write, runner, tmp_path):
    """O*NET-SOC codes as focus codes: jobarch mints codes its shapes accept and keeps the source's as
    skos:notation and as an O*NET-SOC classification mapping (they used to be lost in a recoding)."""
    header = (
        "code,function_code,family_code,focus_code,level_code,function,family,focus,level,track,grade,title,status,"
        "responsibilities,sources"
    )
    rows = [
        "SOC11.11-1011.00.P5,SOC11,11-10,11-1011.00,P5,Management,Top Executives,Chief Executives,Zone 5,P,5,"
        "Chief Executives — Zone 5,draft,Direct the organization.,O*NET",
        "SOC11.11-1021.00.P4,SOC11,11-10,11-1021.00,P4,Management,Top Executives,General Managers,Zone 4,P,4,"
        "General Managers — Zone 4,draft,Plan operations.,O*NET",
    ]
    source = write("onet.csv", "\n".join([header, *rows]) + "\n")
    out = tmp_path / "out"
    result = runner.invoke(main, ["import", "csv", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = runner.invoke(main, ["validate", "--data", str(out), "--format", "json"])
    assert json.loads(report.output)["counts"]["violation"] == 0, report.output
    graph = Graph()
    for path in out.glob("*.ttl"):
        graph.parse(path)
    focus = next(graph.subjects(URIRef(JA + "code"), Literal("11101100")))
    assert str(graph.value(focus, SKOS.notation)) == "11-1011.00"
    profile = next(graph.subjects(URIRef(JA + "code"), Literal("SOC11.11101100.P5")))
    assert str(graph.value(profile, SKOS.notation)) == "SOC11.11-1011.00.P5"
    assert (profile, SKOS.exactMatch, URIRef("https://www.onetonline.org/link/summary/11-1011.00")) in graph
    mapping = graph.value(profile, URIRef(JA + "classificationMapping"))
    assert str(graph.value(mapping, URIRef(JA + "mappedCode"))) == "11-1011.00"
    # a second import of the same file mints the same codes (stable)
    again = tmp_path / "again"
    runner.invoke(main, ["import", "csv", str(source), "-o", str(again)])
    assert sorted(p.read_bytes() for p in again.glob("*.ttl")) == sorted(p.read_bytes() for p in out.glob("*.ttl"))


def test_sssom_names_every_iri_exactly_and_carries_the_owners_licence(runner, tmp_path):
    """Profiles and concepts outside the usual namespaces expand back to their own IRIs (one prefix per namespace),
    the set is named after the architecture, and its licence is the one the architecture declares."""
    from sssom.parsers import parse_sssom_table

    data = tmp_path / "data"
    shutil.copytree(sample_data_dir(), data)
    ops = data / "manufacturing-operations.ttl"
    text = ops.read_text(encoding="utf-8")
    text = text.replace(f"profile:{REFERENCE_CODE}\n", "<https://example.org/elsewhere/people/upstream-lead>\n", 1)
    text = text.replace("ja:mappedConcept soc:19-4021", "ja:mappedConcept <https://example.org/soc-mirror/19-4021>", 1)
    ops.write_text(text, encoding="utf-8")
    arch = data / "architecture.ttl"
    arch.write_text(
        arch.read_text(encoding="utf-8").replace(
            "a ja:JobArchitecture ;",
            "a ja:JobArchitecture ;\n    <http://purl.org/dc/terms/license> <https://example.org/our-licence> ;",
            1,
        ),
        encoding="utf-8",
    )
    out = tmp_path / "mappings.sssom.tsv"
    result = runner.invoke(main, ["export", "sssom", "--data", str(data), "-o", str(out)])
    assert result.exit_code == 0, result.output
    msdf = parse_sssom_table(out)
    written = {
        (msdf.converter.expand(s), msdf.converter.expand(o))
        for s, o in zip(msdf.df.subject_id, msdf.df.object_id, strict=True)
    }
    store = api.open_architecture([data], "memory")
    expected = {
        (str(row["p"]), str(row["c"]))
        for row in api.query(
            store,
            text="PREFIX ja: <https://w3id.org/jobarch#> SELECT ?p ?c WHERE "
            "{ ?p a ja:JobProfile ; ja:classificationMapping [ ja:mappedConcept ?c ] }",
        ).dicts()
    }
    assert written == expected and len(expected) == 71
    assert (
        "https://example.org/elsewhere/people/upstream-lead",
        "https://w3id.org/jobarch/classification/soc2018/51-1011",
    ) in written
    header = out.read_text(encoding="utf-8")
    assert '#license: "https://example.org/our-licence"' in header
    assert '#mapping_set_id: "https://example.org/jobarch/sample/mappings.sssom.tsv"' in header


def test_sssom_of_an_architecture_without_a_licence_says_so(runner):
    text = run_export(runner, "sssom")
    assert '#license: "https://w3id.org/sssom/license/unspecified"' in text and "creativecommons" not in text
