"""The named query library, `jobarch query`, its safety rules, and OWL-RL reasoning."""

from __future__ import annotations

import json
import re

import pytest
from rdflib import Graph

from jobarch import api
from jobarch.cli import main
from jobarch.core.errors import JobarchError
from jobarch.query import named_queries
from tests.helpers import FIXTURES, REFERENCE_CODE, REFERENCE_PAGE


@pytest.fixture
def store(backend):
    """Each query test runs on every backend (see tests/conftest.py); each must give the same rows."""
    return backend


def rows(store, name, **params):
    result = api.query(store, name, params={k: str(v) for k, v in params.items()}, timeout=None)
    return [tuple("" if t is None else str(t) for t in row) for row in result.rows]


def page_section(title: str, next_title: str) -> list[str]:
    lines = REFERENCE_PAGE.read_text(encoding="utf-8").splitlines()
    start, end = lines.index(title), lines.index(next_title)
    return [line[2:] for line in lines[start:end] if line.startswith("- ")]


def test_every_query_documents_itself():
    queries = named_queries()
    assert len(queries) >= 15
    for q in queries.values():
        assert q.name == q.path.stem and q.description and q.examples, q.name
        declared = {p.name for p in q.params}
        used = set(re.findall(r"[?$](\w+)", q.text.split("\nPREFIX", 1)[-1]))
        assert declared <= used, f"{q.name}: parameters not used in the query: {declared - used}"


def test_profiles_at_level(store):
    got = rows(store, "profiles_at_level", level="M2")
    assert [r[0] for r in got] == sorted(r[0] for r in got)
    assert {r[0].rsplit(".", 2)[1] for r in got} == {
        "MANUFACT13A1",
        "MANUFACT13A2",
        "MANUFACT14A1",
        "MANUFACT30A1",
        "QUALIT10A1",
        "QUALIT20A1",
        "RESDEV10A1",
        "RESDEV10B1",
    }
    ref = next(r for r in got if r[0] == REFERENCE_CODE)
    assert ref[2:] == ("Manufacturing Operations", "Production Supervision (Upstream Processing)", "published")


def test_profiles_on_track(store):
    got = rows(store, "profiles_on_track", track="M")
    assert len(got) == 23 and all(r[2].startswith("M") for r in got)


def test_focus_ladder_takes_the_most_specific_cell(store):
    got = rows(store, "focus_ladder", focus="MANUFACT13A2")
    assert [(r[0], r[4]) for r in got][:4] == [
        ("M1", "Knowledge & Application"),
        ("M1", "Complexity & Problem Solving"),
        ("M1", "Collaboration & Interaction"),
        ("M1", "Typical Degree & Years"),
    ]
    assert len(got) == 12
    m2_years = next(r for r in got if r[0] == "M2" and r[4] == "Typical Degree & Years")
    assert m2_years[5].startswith("2–5 years") and m2_years[6] == "Manufacturing Operations"
    assert m2_years[2:4] == ("5", "8")


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_focus_ladder_prefers_focus_over_family_over_function(backend, write, tmp_path):
    """A cell written for the focus beats one for its family, which beats the function's."""
    from jobarch.core.resources import sample_data_dir

    extra = write(
        "overrides.ttl",
        """
@prefix ja: <https://w3id.org/jobarch#> .
@prefix rubric: <https://example.org/jobarch/sample/rubric/> .
@prefix lvl: <https://example.org/jobarch/sample/level/> .
@prefix fam: <https://example.org/jobarch/sample/family/> .
@prefix focus: <https://example.org/jobarch/sample/focus/> .
rubric:fam-M2 a ja:RubricCell ; ja:level lvl:M2 ; ja:dimension rubric:years ; ja:appliesTo fam:MANUFACT13 ; ja:text "family text"@en .
rubric:fam-M3 a ja:RubricCell ; ja:level lvl:M3 ; ja:dimension rubric:years ; ja:appliesTo fam:MANUFACT13 ; ja:text "family M3 text"@en .
rubric:focus-M2 a ja:RubricCell ; ja:level lvl:M2 ; ja:dimension rubric:years ; ja:appliesTo focus:MANUFACT13A2 ; ja:text "focus text"@en .
""",
    )
    store = api.open_architecture(
        [sample_data_dir(), extra], store="memory" if backend == "memory" else f"oxigraph:{tmp_path / 'ox'}"
    )
    got = rows(store, "focus_ladder", focus="MANUFACT13A2")
    years = {r[0]: (r[5], r[6]) for r in got if r[4] == "Typical Degree & Years"}
    assert years["M2"] == ("focus text", "Production Supervision (Upstream Processing)")
    assert years["M3"] == ("family M3 text", "Production Supervision")
    assert len(got) == 12  # one cell per level and dimension, no duplicates from the overridden ones


def test_profile_skills_are_the_pages_skills(store):
    got = rows(store, "profile_skills", profile=REFERENCE_CODE)
    page = page_section("Skills", "Provenance")[0::2]  # name, definition, name, ...
    assert [r[0] for r in got] == page and len(page) == 15
    assert {r[2] for r in got} == {"focus"}
    m3 = rows(store, "profile_skills", profile="MANUFA3.MANUFACT13A2.M3")
    assert ("Budget Management", "profile") in {(r[0], r[2]) for r in m3}


def test_profiles_needing_skill_case_insensitive(store):
    got = rows(store, "profiles_needing_skill", skill="ASEPTIC technique")
    assert len(got) == 20 and {r[2] for r in got} == {"Aseptic Technique"}
    assert REFERENCE_CODE in {r[0] for r in got}


def test_profiles_needing_skill_group(store):
    got = rows(store, "profiles_needing_skill_group", group="leadership & PEOPLE")
    counts = {r[0]: int(r[2]) for r in got}
    assert counts[REFERENCE_CODE] == 1
    assert counts["MANUFA3.MANUFACT20A1.M4"] == 3  # people leadership, budget, stakeholders
    assert int(got[0][2]) == max(counts.values())


def test_skill_gap(store):
    got = rows(store, "skill_gap", **{"from": REFERENCE_CODE, "to": "MANUFA3.MANUFACT14A1.M2"})
    # (skill, kind, current, needed, delta): new skills have no current proficiency
    assert [r[:5] for r in got] == [
        ("Chromatography Operation", "essential", "", "3", "3"),
        ("Filtration & TFF", "essential", "", "3", "3"),
        ("Viral Inactivation & Clearance", "essential", "", "3", "3"),
    ]
    assert rows(store, "skill_gap", **{"from": REFERENCE_CODE, "to": REFERENCE_CODE}) == []


def test_skill_gap_up_the_reference_ladder_has_proficiency_deltas(store):
    got = rows(store, "skill_gap", **{"from": REFERENCE_CODE, "to": "MANUFA3.MANUFACT13A2.M3"})
    assert [r[:5] for r in got] == [
        ("Bioreactor/Fermenter Operation", "essential", "3", "4", "1"),
        ("Cell Culture Science", "essential", "3", "4", "1"),
        ("Deviation/CAPA/Change Control Management", "essential", "3", "4", "1"),
        ("People Leadership", "essential", "3", "4", "1"),
        ("Production Scheduling", "essential", "3", "4", "1"),
        ("Technology Transfer", "essential", "2", "3", "1"),  # optional at M2, essential at M3
        ("Budget Management", "essential", "", "", ""),  # a plain ja:requiresSkill of the M3 profile
        ("Production Equipment Qualification", "optional", "2", "3", "1"),
    ]
    # down the ladder nothing is to learn
    assert rows(store, "skill_gap", **{"from": "MANUFA3.MANUFACT13A2.M3", "to": REFERENCE_CODE}) == []


def test_skills_stepping_up_from_the_reference_profile(store):
    got = rows(store, "skills_stepping_up", profile=REFERENCE_CODE)
    assert {r[0] for r in got} == {"MANUFA3.MANUFACT13A2.M3"}
    assert [r[1:] for r in got] == [
        ("Bioreactor/Fermenter Operation", "deeper", "3", "4", "essential"),
        ("Cell Culture Science", "deeper", "3", "4", "essential"),
        ("Deviation/CAPA/Change Control Management", "deeper", "3", "4", "essential"),
        ("People Leadership", "deeper", "3", "4", "essential"),
        ("Production Equipment Qualification", "deeper", "2", "3", "optional"),
        ("Production Scheduling", "deeper", "3", "4", "essential"),
        ("Technology Transfer", "deeper", "2", "3", "essential"),
        ("Budget Management", "new", "", "", "essential"),
    ]
    # M1 -> M2: seven skills deepen, the level below the reference
    up = rows(store, "skills_stepping_up", profile="MANUFA3.MANUFACT13A2.M1")
    assert {(r[1], r[3], r[4]) for r in up if r[2] == "deeper"} == {
        ("Batch Record Authoring", "2", "3"),
        ("Deviation/CAPA/Change Control Management", "2", "3"),
        ("GMP Compliance", "3", "4"),
        ("People Leadership", "2", "3"),
        ("Production Scheduling", "2", "3"),
        ("Statistical Data Analysis", "1", "2"),
        ("Technology Transfer", "1", "2"),
    }
    assert rows(store, "skills_stepping_up", profile="MANUFA3.MANUFACT13A2.M3") == []  # the top of the ladder


def test_profiles_matching_skills_ranks_by_essential_coverage(store):
    mine = {"skill1": "gmp compliance", "level1": 3, "skill2": "Aseptic Technique", "level2": 3}
    got = rows(store, "profiles_matching_skills", **mine)
    coverage = [float(r[4]) for r in got]
    assert coverage == sorted(coverage, reverse=True) and coverage[0] > 0
    assert all(int(r[2]) <= int(r[3]) for r in got)  # essential met never exceeds the profile's essential skills
    reference = next(r for r in got if r[0] == REFERENCE_CODE)
    assert reference[2:4] == ("2", "11") and reference[5] == "1"  # GMP Compliance 4 at M2: one point short
    # the same first profiles as `jobarch match` on those two skills
    assert [r[0] for r in got[:4]] == [m.code for m in api.match(store, ["GMP Compliance=3", "Aseptic Technique=3"], 4)]
    # a third, unknown skill name adds nothing
    assert rows(store, "profiles_matching_skills", **mine, skill3="no such skill") == got


def test_skills_lists_every_skill_with_its_profiles(store):
    got = {r[0]: (r[1], int(r[2])) for r in rows(store, "skills")}
    assert got["Bioreactor/Fermenter Operation"][0] == "Bioprocess Operations"
    assert got["Chromatography Operation"][1] == len(
        rows(store, "profiles_needing_skill", skill="chromatography operation")
    )
    assert len(got) == len(rows(store, "skill_search", text="")) if "skill_search" in named_queries() else len(got) > 40


def test_profiles_by_occupation_code(store):
    soc = rows(store, "profiles_by_occupation_code", code="51-1011")
    assert len(soc) == 7 and {r[3] for r in soc} == {"51-1011"}
    assert (REFERENCE_CODE, "O*NET / SOC", "51-1011", "jfm-factory.resolve") in {(r[0], r[2], r[3], r[4]) for r in soc}
    onet = rows(store, "profiles_by_occupation_code", code="17-2199")  # the SOC code finds its O*NET children
    assert len(onet) == 8 and {r[3] for r in onet} == {"17-2199.00"}


def test_occupation_codes_and_unmapped_profiles(store, tmp_path):
    codes = {(r[0], r[1]): int(r[2]) for r in rows(store, "occupation_codes")}
    assert codes[("O*NET / SOC", "51-1011")] == 7 and codes[("O*NET-SOC", "17-2199.00")] == 8
    assert rows(store, "unmapped_profiles") == []

    minimal = FIXTURES / "minimal.ttl"
    small = api.open_architecture([minimal])
    assert [r[0] for r in rows(small, "unmapped_profiles")] == ["FUNC1.FAM1B1.M1", "FUNC1.FAM1B1.P2"]


def test_quality_failures(store):
    got = rows(store, "quality_failures")
    assert [(r[0], r[1], r[2], r[3]) for r in got] == [
        ("MANUFA3.MANUFACT30A1.P4", "draft", "Level differentiation", "2"),
        ("MANUFA3.MANUFACT13A1.M2", "draft", "Evidence", "3"),
        ("MANUFA3.MANUFACT13A1.M2", "draft", "Level differentiation", "3"),
        ("QUALIT2.QUALIT20B1.P1", "draft", "Evidence", "3"),
    ]
    assert {r[4] for r in got} == {"4"}


def test_coverage_matrix_shows_gaps_as_zero(store):
    got = rows(store, "coverage_matrix")
    cells = {(r[0], r[3]): int(r[4]) for r in got}
    assert len(cells) == 30
    assert cells[("QUALIT2", "P6")] == 0 and cells[("MANUFA3", "M2")] == 4
    assert sum(cells.values()) == 71


def test_profile_sources_are_the_pages_sources(store):
    got = rows(store, "profile_sources", profile=REFERENCE_CODE)
    assert [r[0] for r in got] == page_section("Provenance", "Level — M2 — Manager II")
    assert got[0][1] == "occupational data source"


def test_thinly_sourced_profiles(store):
    got = rows(store, "thinly_sourced_profiles")  # default minimum 3
    assert len(got) == 31 and {r[1] for r in got} == {"2"}
    assert rows(store, "thinly_sourced_profiles", minimum=2) == []
    assert len(rows(store, "thinly_sourced_profiles", minimum=8)) == 71


def test_alias_search_ignores_case_and_accents(store, write):
    got = rows(store, "alias_search", text="TECHNICIAN")
    assert {r[1] for r in got} == {
        "Manufacturing Technician I",
        "Upstream Manufacturing Technician",
        "Purification Technician",
        "Senior Maintenance Technician",
    }
    path = write(
        "accents.ttl",
        "@prefix ja: <https://w3id.org/jobarch#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://example.org/p> a ja:JobProfile ; ja:code "F.FA1.P1" ; skos:prefLabel "Operator"@en ; '
        'skos:altLabel "Gérente de Producción"@es .\n',
    )
    small = api.open_architecture([path])
    assert rows(small, "alias_search", text="gerente de produccion") == [("F.FA1.P1", "Gérente de Producción", "alias")]
    assert rows(small, "alias_search", text="GÉRENTE") == [("F.FA1.P1", "Gérente de Producción", "alias")]


def test_distinct_foci(store):
    got = rows(store, "distinct_foci", focus="MANUFACT13A2")
    assert [r[0] for r in got] == ["MANUFACT14A1", "MANUFACT20A1"]
    assert [r[0] for r in rows(store, "distinct_foci", focus="MANUFACT14A1")] == ["MANUFACT13A2"]


def test_adjacent_profiles_reads_materialised_adjacency(store, write):
    assert rows(store, "adjacent_profiles", profile=REFERENCE_CODE) == []
    from jobarch.core.resources import sample_data_dir

    path = write(
        "adjacency.ttl",
        "@prefix ja: <https://w3id.org/jobarch#> .\n@prefix p: <https://example.org/jobarch/sample/profile/> .\n"
        "[] a ja:Adjacency ; ja:fromProfile p:MANUFA3.MANUFACT13A2.M2 ; ja:toProfile p:MANUFA3.MANUFACT14A1.M2 ; ja:distance 0.2 ; ja:band ja:StrongMatch .\n"
        "[] a ja:Adjacency ; ja:fromProfile p:MANUFA3.MANUFACT13A2.M2 ; ja:toProfile p:MANUFA3.MANUFACT13A2.M1 ; ja:distance 0.1 ; ja:band ja:StrongMatch .\n",
    )
    with_adjacency = api.open_architecture([sample_data_dir(), path])
    got = rows(with_adjacency, "adjacent_profiles", profile=REFERENCE_CODE)
    assert [(r[0], r[2], r[3]) for r in got] == [
        ("MANUFA3.MANUFACT13A2.M1", "0.1", "strong"),
        ("MANUFA3.MANUFACT14A1.M2", "0.2", "strong"),
    ]


def test_levels(store):
    got = {r[0]: r for r in rows(store, "levels")}
    assert len(got) == 10 and got["M2"][1:7] == ("Manager II", "M", "2", "5", "5", "8") and got["M2"][7] == "8"


def test_taxonomy(store):
    got = rows(store, "taxonomy")
    assert len(got) == 14 and sum(int(r[6]) for r in got) == 71
    assert ("MANUFA3", "MANUFACT13", "MANUFACT13A2", "3") in {(r[0], r[2], r[4], r[6]) for r in got}


def test_profiles(store):
    got = {r[0]: r for r in rows(store, "profiles")}
    assert len(got) == 71 and got[REFERENCE_CODE][4:] == ("5", "15", "7")


def test_every_named_query_is_tested():
    import re as _re
    from pathlib import Path as _Path

    tested = set(_re.findall(r'rows\([a-z_]+, "(\w+)"', _Path(__file__).read_text(encoding="utf-8")))
    assert set(named_queries()) <= tested, set(named_queries()) - tested


# ---------------------------------------------------------------------------- safety

INJECTION = 'x" } DELETE WHERE { ?s ?p ?o } #'


def test_parameters_are_bound_not_pasted(store, sample_architecture):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = api.query(store, text=count, timeout=None).rows[0][0]
    assert rows(store, "profiles_at_level", level=INJECTION) == []
    assert rows(store, "alias_search", text=INJECTION) == []
    assert rows(store, "profiles_at_level", level="M2 } UNION { ?lvl ?p ?o") == []
    assert api.query(store, text=count, timeout=None).rows[0][0] == before


@pytest.mark.parametrize(
    "update",
    [
        "DELETE WHERE { ?s ?p ?o }",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "LOAD <http://example.org/x.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <urn:x>",
    ],
)
def test_updates_are_refused(runner, update):
    result = runner.invoke(main, ["query", "-e", update])
    assert result.exit_code == 2 and "updates are refused" in result.stderr


def test_service_is_refused_unless_allowed(store):
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with pytest.raises(JobarchError, match="SERVICE is refused"):
        api.query(store, text=text, timeout=None)
    from jobarch.query import check_query

    check_query(text, allow_service=True)  # vetted; not run here: nothing listens there


def test_from_clauses_are_refused(store):
    with pytest.raises(JobarchError, match="FROM / FROM NAMED is refused"):
        api.query(store, text="SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }", timeout=None)


def test_syntax_error_names_line_and_column(runner, write):
    path = write("bad.rq", "PREFIX ja: <https://w3id.org/jobarch#>\nSELECT ?p\nWHERE { ?p ja:code }\n")
    result = runner.invoke(main, ["query", "--file", str(path)])
    assert result.exit_code == 2 and re.search(rf"{re.escape(str(path))}:3:\d+: syntax error in SPARQL", result.stderr)


@pytest.mark.slow
def test_runaway_query_is_stopped(runner):
    result = runner.invoke(
        main, ["query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "--timeout", "1"]
    )
    assert result.exit_code == 2 and "took longer than 1 s and was stopped" in result.stderr


def test_parameter_errors(runner):
    assert "needs --param level" in runner.invoke(main, ["query", "profiles_at_level"]).stderr
    result = runner.invoke(main, ["query", "profiles_at_level", "--param", "lvl=M2"])
    assert result.exit_code == 2 and "has no parameter 'lvl'" in result.stderr
    result = runner.invoke(main, ["query", "thinly_sourced_profiles", "--param", "minimum=three"])
    assert result.exit_code == 2 and "not a valid integer" in result.stderr
    result = runner.invoke(main, ["query", "profile_skils"])
    assert result.exit_code == 2 and "did you mean: profile_skills" in result.stderr


# ---------------------------------------------------------------------------- output


def test_output_formats(runner):
    args = ["query", "profile_sources", "--param", f"profile={REFERENCE_CODE}"]
    doc = json.loads(runner.invoke(main, args + ["--format", "json"]).output)
    assert doc["head"]["vars"] == ["title", "kind"] and len(doc["results"]["bindings"]) == 7
    assert doc["results"]["bindings"][0]["title"] == {
        "type": "literal",
        "value": "O*NET 51-1011.00, First-Line Supervisors of Production and Operating Workers",
        "xml:lang": "en",
    }
    csv_out = runner.invoke(main, args + ["--format", "csv"]).output.splitlines()
    assert csv_out[0] == "title,kind" and csv_out[1].startswith('"O*NET 51-1011.00, First-Line')
    tsv_out = runner.invoke(main, args + ["--format", "tsv"]).output.splitlines()
    assert tsv_out[0] == "title\tkind" and len(tsv_out) == 8
    md = runner.invoke(main, args + ["--format", "md"]).output.splitlines()
    assert md[:2] == ["| title | kind |", "|---|---|"]
    table = runner.invoke(main, args)
    assert table.exit_code == 0 and "7 rows" in table.output


def test_usual_prefixes_need_no_declaration(store):
    result = api.query(
        store, text="SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a ja:JobProfile ; skos:prefLabel ?t }", timeout=None
    )
    assert str(result.rows[0][0]) == "71"
    own = "PREFIX ja: <https://example.org/not-jobarch#> SELECT (COUNT(?p) AS ?n) WHERE { ?p a ja:JobProfile }"
    assert str(api.query(store, text=own, timeout=None).rows[0][0]) == "0"  # a query's own declaration wins


def test_construct_gives_rdf(runner):
    q = "PREFIX ja: <https://w3id.org/jobarch#> CONSTRUCT { ?p ja:code ?c } WHERE { ?p a ja:JobProfile ; ja:code ?c }"
    ttl = runner.invoke(main, ["query", "-e", q, "--format", "turtle"]).output
    assert len(Graph().parse(data=ttl, format="turtle")) == 71
    jsonld = runner.invoke(main, ["query", "-e", q, "--format", "json-ld"]).output
    assert len(Graph().parse(data=jsonld, format="json-ld")) == 71
    ask = runner.invoke(main, ["query", "-e", "ASK { ?s ?p ?o }", "--format", "json"]).output
    assert json.loads(ask) == {"head": {}, "boolean": True}


# ---------------------------------------------------------------------------- reasoning


@pytest.mark.slow
def test_reasoning_adds_inverses_and_inherited_skills(sample_architecture):
    from rdflib import URIRef

    from jobarch.core.namespaces import JA
    from jobarch.reasoning import infer_architecture as infer

    inference = infer(sample_architecture)
    profile = URIRef("https://example.org/jobarch/sample/profile/" + REFERENCE_CODE)
    focus = URIRef("https://example.org/jobarch/sample/focus/MANUFACT13A2")
    assert (focus, JA.hasProfile, profile) in inference.graph
    assert len(set(inference.graph.objects(profile, JA.requiresSkill))) == 15
    assert inference.by_predicate[JA.hasProfile] == 71
    # proportionate: less than the data itself, and nothing about the ontology's own terms
    assert len(inference.graph) < inference.data_triples
    assert not any(str(s).startswith(str(JA)) for s in inference.graph.subjects())
    assert "new data triples" in inference.summary()


@pytest.mark.slow
def test_query_with_reason(runner, tmp_path):
    q = "PREFIX ja: <https://w3id.org/jobarch#> SELECT (COUNT(*) AS ?n) WHERE { ?f ja:hasProfile ?p }"
    assert runner.invoke(main, ["query", "-e", q, "--format", "csv"]).output.splitlines()[1] == "0"
    assert runner.invoke(main, ["query", "-e", q, "--format", "csv", "--reason"]).output.splitlines()[1] == "71"
    out = tmp_path / "derived" / "inferred.ttl"
    result = runner.invoke(main, ["reason", "-o", str(out)])
    assert result.exit_code == 0 and "new data triples" in result.stderr
    assert len(Graph().parse(out)) > 1000


def test_reason_refuses_to_overwrite_curator_files(runner, write):

    minimal = (FIXTURES / "minimal.ttl").read_text(encoding="utf-8")
    path = write("arch.ttl", minimal)
    for force in ([], ["--force"]):
        result = runner.invoke(main, ["reason", "--data", str(path), "-o", str(path), *force])
        assert result.exit_code == 2 and "over one of the architecture's own files" in result.stderr
        assert path.read_text(encoding="utf-8") == minimal


def test_queries_from_many_threads_at_once(memory_store):
    """rdflib's SPARQL parser is not thread-safe (a server answers pages from a thread pool): parsing is serialised,
    so concurrent distinct queries all answer instead of failing at random inside pyparsing."""
    from concurrent.futures import ThreadPoolExecutor

    def ask(i: int) -> int:
        text = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER (STRLEN(STR(?o)) > {i}) }}"
        return int(api.query(memory_store, text=text, timeout=None).rows[0][0])

    with ThreadPoolExecutor(8) as pool:
        counts = list(pool.map(ask, range(24)))
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
