"""SKOS classifications in: a plan made from the data, nothing dropped, valid by construction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import RDF, SKOS

from jobarch.cli import main
from jobarch.io.synth import synthesize_classification
from tests.helpers import imported as import_into

JA = "https://w3id.org/jobarch#"


def imported(runner, source: Path, out: Path, *options: str) -> Graph:
    return import_into(runner, "skos", source, out, *options)


def violations(runner, out: Path) -> int:
    report = json.loads(runner.invoke(main, ["validate", str(out), "--format", "json"]).output)
    return report["counts"]["violation"]


@pytest.mark.parametrize("notations", [False, True])
def test_a_generated_classification_imports_valid_and_nothing_is_dropped(runner, tmp_path, notations):
    source = synthesize_classification(tmp_path / "c.ttl", concepts=300, depths=5, seed=3, notations=notations)
    plan = runner.invoke(main, ["import", "skos", str(source), "--plan"])
    assert plan.exit_code == 0 and "dropped: nothing" in plan.output and "chosen: --level-from" in plan.output
    assert not (tmp_path / "out").exists()  # --plan writes nothing
    graph = imported(runner, source, tmp_path / "out")
    assert violations(runner, tmp_path / "out") == 0
    original = Graph().parse(source)
    concepts = set(original.subjects(RDF.type, SKOS.Concept))
    kept = set(graph.objects(None, SKOS.exactMatch)) | set(graph.objects(None, SKOS.narrowMatch))
    assert concepts <= kept  # every source concept is a node, or folded into one
    pref = [(str(o), o.language) for o in graph.objects(None, SKOS.prefLabel)]
    assert len(pref) == len(set(pref))  # preferred labels distinct, as the shapes ask
    languages = {o.language for o in graph.objects(None, SKOS.prefLabel)}
    assert {"en", "de"} <= languages
    if notations:  # the source codes of the concepts that became nodes are kept (folded ones are linked)
        mapped = set(graph.objects(None, SKOS.exactMatch))
        source_notations = {str(original.value(c, SKOS.notation)) for c in mapped if c in concepts}
        assert source_notations <= {str(o) for o in graph.objects(None, SKOS.notation)}


def test_historical_notations_and_repeated_titles(runner, tmp_path, write):
    """Notations like 011.10 and a group whose only child repeats its title: imported, valid, labels distinct."""
    source = write(
        "hist.ttl",
        """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix h: <https://example.org/hist/> .
h:s a skos:ConceptScheme ; skos:prefLabel "Historical occupations"@en .
h:0 a skos:Concept ; skos:notation "0" ; skos:prefLabel "Professional workers"@en ; skos:topConceptOf h:s .
h:01 a skos:Concept ; skos:notation "01" ; skos:prefLabel "Engineers"@en ; skos:broader h:0 ; skos:inScheme h:s .
h:011 a skos:Concept ; skos:notation "011" ; skos:prefLabel "Civil engineers"@en ; skos:broader h:01 ;
    skos:inScheme h:s .
h:011.10 a skos:Concept ; skos:notation "011.10" ; skos:prefLabel "Civil engineers"@en ; skos:broader h:011 ;
    skos:definition "Design roads and bridges."@en ; skos:inScheme h:s .
h:011.20 a skos:Concept ; skos:notation "011.20" ; skos:prefLabel "Structural engineers"@en ;
    skos:broader h:011 ; skos:inScheme h:s .
""",
    )
    graph = imported(runner, source, tmp_path / "out")
    assert violations(runner, tmp_path / "out") == 0
    foci = {str(c) for c in graph.objects(None, URIRef(JA + "code")) if str(c).startswith("011")}
    assert any("01110" in code for code in foci)  # the notation's digits, the dot dropped for the code shape
    titles = {str(o) for o in graph.objects(None, SKOS.prefLabel)}
    assert "Civil engineers" in titles and any(t.startswith("Civil engineers (") for t in titles)
    assert "Civil engineers (01110) — Level P1" in titles  # a profile named as its page is, after its focus
    assert "011.10" in {str(o) for o in graph.objects(None, SKOS.notation)}


def test_depths_given_by_hand_fold_what_they_skip(runner, tmp_path):
    source = synthesize_classification(tmp_path / "c.ttl", concepts=200, depths=5, seed=5)
    plan = runner.invoke(main, ["import", "skos", str(source), "--plan", "--depths", "1,2,3", "--level-from", "none"])
    assert plan.exit_code == 0
    assert "4  " in plan.output and "folded into depth 3" in plan.output
    graph = imported(runner, source, tmp_path / "out", "--depths", "1,2,3", "--level-from", "none")
    assert violations(runner, tmp_path / "out") == 0
    assert set(graph.objects(None, SKOS.narrowMatch))  # the deeper concepts are kept as links and aliases


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    concepts=st.integers(min_value=20, max_value=160),
    depths=st.integers(min_value=3, max_value=5),
    seed=st.integers(min_value=0, max_value=10_000),
    notations=st.booleans(),
)
def test_import_export_import_gives_the_same_architecture(runner, tmp_path_factory, concepts, depths, seed, notations):
    """Notes, notations, every hierarchy link, folded concepts and language tags survive a SKOS round trip."""
    tmp = tmp_path_factory.mktemp("roundtrip")
    source = synthesize_classification(tmp / "c.ttl", concepts=concepts, depths=depths, seed=seed, notations=notations)
    first = imported(runner, source, tmp / "a")
    assert (
        runner.invoke(main, ["export", "skos", "--data", str(tmp / "a"), "-o", str(tmp / "a.skos.ttl")]).exit_code == 0
    )
    second = imported(runner, tmp / "a.skos.ttl", tmp / "b")
    assert to_isomorphic(first) == to_isomorphic(second)
