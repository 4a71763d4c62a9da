"""Career paths over the whole architecture: the band graph searched through buckets, checked against the
band graph built edge by edge with networkx on small random architectures."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobarch import api
from jobarch.cli import main
from jobarch.domain.adjacency import AdjacencyIndex, within
from jobarch.domain.paths import NoPathError, band_reach, shortest_moves
from tests.domain.test_adjacency import architectures
from tests.helpers import REFERENCE_CODE

QC_M1 = "QUALIT2.QUALIT20A1.M1"


def band_graph(index: AdjacencyIndex, limit: float) -> nx.Graph:
    """Every pair of profiles within ``limit``: the graph a path may use, built the slow, obvious way."""
    graph = nx.Graph()
    graph.add_nodes_from(index.profiles)
    codes = sorted(index.profiles)
    graph.add_edges_from(
        (a, b) for i, a in enumerate(codes) for b in codes[i + 1 :] if within(index.distance(a, b).total, limit)
    )
    return graph


@settings(max_examples=80, deadline=None)
@given(architectures(max_profiles=30), st.sampled_from(["strong", "partial", "stretch"]), st.data())
def test_paths_reach_what_the_band_graph_reaches_in_as_few_moves(index, band, data):
    limit = index.model.band_named(band).max_distance
    graph = band_graph(index, limit)
    codes = sorted(index.profiles)
    start = data.draw(st.sampled_from(codes))
    assert band_reach(index, start, limit) == nx.single_source_shortest_path_length(graph, start)
    goal = data.draw(st.sampled_from(codes))
    if nx.has_path(graph, start, goal):
        path = shortest_moves(index, start, goal, band)
        assert path[0] == start and path[-1] == goal
        assert len(path) - 1 == nx.shortest_path_length(graph, start, goal)
        assert all(graph.has_edge(a, b) for a, b in zip(path, path[1:], strict=False))
    else:
        with pytest.raises(NoPathError) as caught:
            shortest_moves(index, start, goal, band)
        reachable = nx.node_connected_component(graph, start)
        assert {code for code, _, _ in caught.value.nearest} <= reachable - {start}
        if caught.value.wider_band:  # the band it offers does join them
            wider = index.model.band_named(caught.value.wider_band).max_distance
            assert nx.has_path(band_graph(index, wider), start, goal)


@pytest.fixture(scope="module")
def sample(memory_store):
    return memory_store, api.adjacency_index(memory_store)


def test_a_path_leaves_its_function_when_the_band_allows(sample):
    store, index = sample
    steps = api.path(store, index, REFERENCE_CODE, QC_M1, "stretch")
    assert [s.code for s in steps][0] == REFERENCE_CODE and steps[-1].code == QC_M1
    assert "in another function" in steps[-1].reason and "stretch" in steps[-1].reason


def test_no_path_says_what_is_missing_and_what_would_do(sample):
    store, index = sample
    with pytest.raises(NoPathError) as caught:
        api.path(store, index, REFERENCE_CODE, QC_M1, "partial")
    assert "every move to another function is at least 0.60 apart" in caught.value.message
    assert caught.value.wider_band == "stretch" and caught.value.nearest
    assert all(code.startswith("MANUFA3.") for code, _, _ in caught.value.nearest)


def test_paths_do_not_climb_past_the_goal(sample):
    """Within one function the path to a profile never goes above the higher of the two grades, nor below the
    lower (the MSAT P4 path used to go through P5 and back down)."""
    store, index = sample
    for start in ("MANUFA3.MANUFACT11A1.P1", REFERENCE_CODE, "MANUFA3.MANUFACT13A2.M3"):
        for goal in ("MANUFA3.MANUFACT20A1.P4", "MANUFA3.MANUFACT20A1.P3", "MANUFA3.MANUFACT14A1.M2"):
            codes = shortest_moves(index, start, goal, "partial")
            low, high = sorted((index.profiles[start].grade, index.profiles[goal].grade))
            assert all(low <= index.profiles[c].grade <= high for c in codes), (start, goal, codes)


def test_profiles_are_chosen_by_title_too(sample):
    store, index = sample
    steps = api.path(store, index, "production supervision (upstream processing) — m2", QC_M1, "stretch")
    assert steps[0].code == REFERENCE_CODE


def test_cli_path_says_why_each_move_is_plausible(runner):
    result = runner.invoke(main, ["path", "MANUFA3.MANUFACT11A1.P1", "MANUFA3.MANUFACT13A2.M3"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].strip().startswith("MANUFA3.MANUFACT11A1.P1")
    assert [line for line in lines if line.startswith("→")][-1].startswith("→ MANUFA3.MANUFACT13A2.M3")
    assert sum(line.strip().startswith("why: ") for line in lines) == sum(line.startswith("→") for line in lines)
    assert any("skills to gain: " in line and "People Leadership" in line for line in lines)
    refused = runner.invoke(main, ["path", REFERENCE_CODE, QC_M1])
    assert refused.exit_code == 2 and "another function" in refused.output and "stretch" in refused.output
