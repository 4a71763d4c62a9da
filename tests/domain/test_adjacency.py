"""Adjacency: metric properties on generated architectures, nearest-k against brute force, the reference's neighbours."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, Graph

from jobarch import api
from jobarch.cli import main
from jobarch.core.errors import JobarchError
from jobarch.core.namespaces import JA
from jobarch.domain.adjacency import AdjacencyIndex, AdjacencyModel, Band, Coordinates
from tests.helpers import REFERENCE_CODE

MODEL = AdjacencyModel(0.6, 0.4, 0.25, (Band("strong", 0.25, 1), Band("partial", 0.5, 2), Band("stretch", 1.0, 3)))
LEVELS = [
    ("P1", "P", 1),
    ("P2", "P", 2),
    ("P3", "P", 3),
    ("P4", "P", 4),
    ("M1", "M", 4),
    ("M2", "M", 5),
    ("M3", "M", 6),
]


@st.composite
def architectures(draw, max_profiles: int = 40):
    """Random trees (functions > families > foci) staffed at random levels."""
    n_functions = draw(st.integers(1, 3))
    coords = []
    for fn in range(n_functions):
        for fam in range(draw(st.integers(1, 3))):
            for foc in range(draw(st.integers(1, 3))):
                levels = draw(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=4, unique=True))
                for code, track, grade in levels:
                    coords.append(
                        Coordinates(
                            f"F{fn}.F{fn}{fam}{foc}.{code}",
                            None,
                            ((code, ""),),
                            f"fn{fn}",
                            f"fam{fn}.{fam}",
                            f"focus{fn}.{fam}.{foc}",
                            code,
                            track,
                            grade,
                            frozenset(draw(st.sets(st.integers(0, 20), max_size=8))),
                        )
                    )
    w, s = draw(st.sampled_from([0.3, 0.5, 0.6, 0.8])), draw(st.sampled_from([0.0, 0.0, 0.2, 0.5]))
    model = AdjacencyModel(
        w * (1 - s),
        (1 - w) * (1 - s),
        draw(st.sampled_from([0.0, 0.25, 0.5])),
        MODEL.bands,
        s,  # the skill weight: 0 (today's distances) or a share of the distance
    )
    return AdjacencyIndex.from_coordinates(coords[:max_profiles], model)


@settings(max_examples=60, deadline=None)
@given(architectures())
def test_distance_is_a_bounded_symmetric_measure(index):
    codes = sorted(index.profiles)
    for a in codes:
        assert index.distance(a, a).total == 0
        for b in codes:
            d = index.distance(a, b)
            assert 0 <= d.total <= 1 + 1e-12
            assert d.total == pytest.approx(index.distance(b, a).total)
            assert d.band == index.model.band(d.total).label


@settings(max_examples=40, deadline=None)
@given(architectures(max_profiles=18))
def test_taxonomy_and_level_parts_obey_the_triangle_inequality(index):
    cs = [index.profiles[c] for c in sorted(index.profiles)]
    for a in cs:
        for b in cs:
            assert index.taxonomy_distance(a, b) == pytest.approx(index.taxonomy_distance_networkx(a, b))
            for c in cs:
                assert (
                    index.taxonomy_distance(a, c)
                    <= index.taxonomy_distance(a, b) + index.taxonomy_distance(b, c) + 1e-12
                )
                assert index.level_distance(a, c) <= index.level_distance(a, b) + index.level_distance(b, c) + 1e-12


@settings(max_examples=40, deadline=None)
@given(architectures())
def test_sibling_focus_never_farther_than_another_function_at_equal_level(index):
    cs = list(index.profiles.values())
    for a in cs:
        for sib in cs:
            if sib.family == a.family and sib.focus != a.focus and sib.level == a.level:
                for other in cs:
                    if other.function != a.function and other.level == a.level:
                        near, far = index.distance(a.code, sib.code), index.distance(a.code, other.code)
                        # the structure alone (skills may outweigh it when the model weighs them)
                        weight = index.model.skill_weight
                        assert near.total - weight * near.skills <= far.total - weight * far.skills + 1e-12


@settings(max_examples=60, deadline=None)
@given(architectures(), st.integers(1, 12))
def test_nearest_k_matches_brute_force(index, k):
    for code in sorted(index.profiles):
        fast = [(round(n.distance, 9), n.code) for n in index.nearest(code, k=k)]
        slow = [(round(d, 9), c) for d, c in index.nearest_brute_force(code, k=k)]
        assert fast == slow
        for n in index.nearest(code, k=k):  # ring distance agrees with the networkx tree
            a, b = index.profiles[code], index.profiles[n.code]
            assert n.taxonomy == pytest.approx(index.taxonomy_distance_networkx(a, b))


@pytest.fixture(scope="module")
def sample_index(memory_store):
    return AdjacencyIndex.from_store(memory_store)


def test_reference_nearest_neighbours_and_bands(sample_index):
    got = [(n.code, round(n.distance, 3), n.band) for n in sample_index.nearest(REFERENCE_CODE, k=6)]
    assert got == [
        ("MANUFA3.MANUFACT13A2.M1", 0.067, "strong"),  # same focus, one grade down
        ("MANUFA3.MANUFACT13A2.M3", 0.067, "strong"),
        ("MANUFA3.MANUFACT13A1.M2", 0.2, "strong"),  # sibling focus, same level
        ("MANUFA3.MANUFACT13A1.M1", 0.267, "partial"),
        ("MANUFA3.MANUFACT14A1.M2", 0.4, "partial"),  # downstream supervision, same function
        ("MANUFA3.MANUFACT30A1.M2", 0.4, "partial"),
    ]
    first = sample_index.nearest(REFERENCE_CODE, k=1)[0]
    assert (first.shared_skills, first.skills_union) == (15, 15)


def test_downstream_supervision_is_nearer_than_an_unrelated_function(sample_index):
    downstream = sample_index.distance(REFERENCE_CODE, "MANUFA3.MANUFACT14A1.M2")
    unrelated = sample_index.distance(REFERENCE_CODE, "QUALIT2.QUALIT10A1.M2")
    assert downstream.total < unrelated.total
    assert (downstream.taxonomy, unrelated.taxonomy) == (pytest.approx(2 / 3), 1.0)
    assert unrelated.band == "stretch"


def test_filters(sample_index):
    assert all(n.band == "strong" for n in sample_index.nearest(REFERENCE_CODE, k=50, band="strong"))
    assert len(sample_index.nearest(REFERENCE_CODE, k=50, band="strong")) == 3
    assert all(n.distance <= 0.3 for n in sample_index.nearest(REFERENCE_CODE, k=50, max_distance=0.3))
    same = sample_index.nearest(REFERENCE_CODE, k=50, same_track=True)
    assert same and all(sample_index.profiles[n.code].track == "M" for n in same)
    with pytest.raises(JobarchError, match="no match band 'close'"):
        sample_index.nearest(REFERENCE_CODE, band="close")


def test_model_comes_from_the_architecture_and_is_checked(write):
    from tests.helpers import MINIMAL

    index = api.adjacency_index(api.open_architecture([write("a.ttl", MINIMAL)]))
    assert (index.model.taxonomy_weight, index.model.level_weight, index.model.cross_track_penalty) == (0.5, 0.5, 0.2)
    assert [b.label for b in index.model.bands] == ["near", "mid", "far"]
    bad = write("b.ttl", MINIMAL.replace("ja:levelWeight 0.5 ;", "ja:levelWeight 0.3 ;"))
    with pytest.raises(JobarchError, match="weights sum to 0.8"):
        api.adjacency_index(api.open_architecture([bad]))


def test_cli_adjacent(runner):
    result = runner.invoke(main, ["adjacent", REFERENCE_CODE, "-k", "3", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert [n["code"] for n in doc["neighbours"]] == [
        "MANUFA3.MANUFACT13A2.M1",
        "MANUFA3.MANUFACT13A2.M3",
        "MANUFA3.MANUFACT13A1.M2",
    ]
    assert doc["neighbours"][2]["skillOverlap"] == pytest.approx(6 / 17, abs=1e-6)
    table = runner.invoke(main, ["adjacent", REFERENCE_CODE, "--band", "strong", "--format", "csv"])
    assert table.exit_code == 0 and [line.split(",")[0] for line in table.output.splitlines()[1:]] == [
        "MANUFA3.MANUFACT13A2.M1",
        "MANUFA3.MANUFACT13A2.M3",
        "MANUFA3.MANUFACT13A1.M2",
    ]
    assert runner.invoke(main, ["adjacent", REFERENCE_CODE, "-k", "2", "--format", "md"]).output.count("\n") == 4
    assert "Nearest to" in runner.invoke(main, ["adjacent", REFERENCE_CODE, "-k", "2"]).output
    assert runner.invoke(main, ["adjacent", "NOPE.X.M2"]).exit_code == 2


def test_cli_compare(runner):
    result = runner.invoke(main, ["compare", REFERENCE_CODE, "MANUFA3.MANUFACT14A1.M2", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    rows = {r["aspect"]: r["values"] for r in doc["rows"]}
    assert rows["Skills only here"][1] == "Chromatography Operation, Filtration & TFF, Viral Inactivation & Clearance"
    assert "People Leadership" in rows["Skills in all"][0]
    assert rows["Rubric: Typical Degree & Years"][0].startswith("2–5 years")
    assert doc["distances"][0]["band"] == "partial" and doc["distances"][0]["total"] == pytest.approx(0.4)
    md = runner.invoke(
        main, ["compare", REFERENCE_CODE, "MANUFA3.MANUFACT14A1.M2", "QUALIT2.QUALIT10A1.M2", "--format", "markdown"]
    )
    assert md.exit_code == 0 and md.output.count("|") > 50
    assert runner.invoke(main, ["compare", REFERENCE_CODE]).exit_code == 2


@pytest.mark.slow
def test_materialised_adjacency_is_queryable_and_valid(runner, tmp_path):
    from jobarch.core.resources import sample_data_dir
    from jobarch.graph.architecture import load
    from jobarch.validation import validate

    out = tmp_path / "derived" / "adjacency.ttl"
    result = runner.invoke(main, ["adjacency", "-o", str(out), "-k", "4"])
    assert result.exit_code == 0 and "wrote 284 adjacencies" in result.stderr
    assert len(Graph().parse(out)) == 284 * 7
    rows = runner.invoke(
        main,
        [
            "query",
            "adjacent_profiles",
            "--param",
            f"profile={REFERENCE_CODE}",
            "--data",
            str(sample_data_dir()),
            "--data",
            str(out),
            "--format",
            "csv",
        ],
    ).output.splitlines()
    assert rows[1].startswith("MANUFA3.MANUFACT13A2.M1,") and rows[1].endswith(",strong") and len(rows) == 5
    findings = validate(load([sample_data_dir(), out])).findings
    assert [f.shape for f in findings] == ["jash:RubricYearsShape"]  # the adjacency nodes themselves are valid


def test_show_lists_adjacent_roles(runner):
    result = runner.invoke(main, ["show", REFERENCE_CODE, "--format", "text", "-k", "2"])
    section = result.output.split("Adjacent roles\n", 1)[1].split("Title aliases", 1)[0].splitlines()
    assert section[1:] == [
        "- MANUFA3.MANUFACT13A2.M1 — Production Supervision (Upstream Processing) — M1: distance 0.07, strong (taxonomy 0.00, level 0.17; skills 15 of 15 shared)",
        "- MANUFA3.MANUFACT13A2.M3 — Production Supervision (Upstream Processing) — M3: distance 0.07, strong (taxonomy 0.00, level 0.17; skills 15 of 16 shared)",
    ]


def test_a_skill_weight_brings_profiles_sharing_skills_nearer(memory_store):
    """Weight 0 (the default) keeps today's distances; with a skill weight, the skill overlap counts."""
    plain = AdjacencyIndex.from_store(memory_store)
    assert plain.model.skill_weight == 0
    weighted = AdjacencyIndex.from_store(
        memory_store, {"taxonomy_weight": 0.4, "level_weight": 0.3, "skill_weight": 0.3}
    )
    downstream = "MANUFA3.MANUFACT14A1.M2"  # shares 10 of the reference's 15 skills
    d0, d1 = plain.distance(REFERENCE_CODE, downstream), weighted.distance(REFERENCE_CODE, downstream)
    assert d0.skills == d1.skills == pytest.approx(1 - 10 / 18)
    assert d1.total == pytest.approx(0.4 * d0.taxonomy + 0.3 * d0.level + 0.3 * d0.skills)
    assert d0.total == pytest.approx(0.6 * d0.taxonomy + 0.4 * d0.level)  # unchanged without a skill weight
    fast = [(round(n.distance, 9), n.code) for n in weighted.nearest(REFERENCE_CODE, k=8)]
    assert fast == [(round(d, 9), c) for d, c in weighted.nearest_brute_force(REFERENCE_CODE, k=8)]
    with pytest.raises(JobarchError, match="sum to 1.3"):
        AdjacencyIndex.from_store(memory_store, {"skill_weight": 0.3}).nearest(REFERENCE_CODE)


def test_materialised_adjacency_escapes_codes_into_iris(runner, tmp_path):
    """A profile code with a space and a '>' (valid as a literal) still gives Turtle that parses, the code
    percent-encoded in the adjacency's IRI."""
    import shutil

    from jobarch.core.resources import sample_data_dir

    data = tmp_path / "data"
    shutil.copytree(sample_data_dir(), data)
    path = data / "manufacturing-operations.ttl"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'ja:code "{REFERENCE_CODE}"', 'ja:code "M2 upstream>lead"'), encoding="utf-8")
    out = tmp_path / "adjacency.ttl"
    result = runner.invoke(main, ["adjacency", "--data", str(data), "-o", str(out), "-k", "2"])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(out)
    edges = {str(s) for s in graph.subjects(RDF.type, JA.Adjacency)}
    assert len([e for e in edges if e.startswith("urn:jobarch:adjacency:M2%20upstream%3Elead:")]) == 2
    assert out.read_text(encoding="utf-8").startswith("# Derived data")
