"""The fast engine (shapes compiled to queries on Oxigraph) finds exactly what pyshacl finds.

pyshacl is the reference: every mutation of the shape table, the sample
architecture and focus-limited runs are validated by both, and the findings
(message, node, file:line, path, value, shape, component) must be the same.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH

from jobarch import api
from jobarch.cli import main
from jobarch.core.errors import JobarchError
from jobarch.core.resources import sample_data_dir
from jobarch.graph.architecture import load
from jobarch.graph.sources import discover
from jobarch.store.oxigraph import OxigraphStore
from jobarch.validation import fast_engine, pyshacl_engine
from jobarch.validation import shapes as shape_files
from jobarch.validation.compiler import UnsupportedShapeError, compile_shapes
from tests.helpers import MINIMAL
from tests.validation.test_validate_shapes import CASES

JA = Namespace("https://w3id.org/jobarch#")


def _key(f) -> tuple:
    value = None if f.value is None or isinstance(f.value, BNode) else str(f.value)
    return (f.severity, f.message, f.focus_label, f.path, value, f.shape, f.component, f.location)


def _both(paths: list[Path], only: list[Path] | None = None) -> tuple[list[tuple], list[tuple]]:
    files = discover(paths)
    reference = pyshacl_engine.validate(load(files), only=only).findings
    store = OxigraphStore(None)
    store.sync(files)
    fast = fast_engine.validate_store(store, files, only=only).findings
    return [_key(f) for f in reference], [_key(f) for f in fast]


@pytest.mark.parametrize("case", sorted(CASES), ids=lambda c: c.replace(" ", "-"))
def test_same_findings_as_pyshacl(tmp_path, case):
    path = tmp_path / "arch.ttl"
    path.write_text(CASES[case][0](), encoding="utf-8")
    reference, fast = _both([path])
    assert reference, "every case breaks some shape"
    assert fast == reference


@pytest.mark.parametrize("case", sorted(CASES), ids=lambda c: c.replace(" ", "-"))
def test_same_findings_as_pyshacl_limited_to_each_file(tmp_path, case):
    """--only/--changed run the checks restricted to the file's nodes (VALUES ?this, or whole where a blank node
    may be the focus): split into the minimal architecture and the case's addition, each limit agrees."""
    text = CASES[case][0]()
    prefixes = "".join(line + "\n" for line in MINIMAL.splitlines() if line.startswith("@prefix"))
    if text.startswith(MINIMAL):
        (tmp_path / "a.ttl").write_text(MINIMAL, encoding="utf-8")
        (tmp_path / "b.ttl").write_text(prefixes + text[len(MINIMAL) :], encoding="utf-8")
    else:
        (tmp_path / "a.ttl").write_text(text, encoding="utf-8")
    for limit in sorted(tmp_path.glob("*.ttl")):
        reference, fast = _both([tmp_path], only=[limit])
        assert fast == reference, limit.name


def test_same_findings_on_the_sample():
    reference, fast = _both([sample_data_dir()])
    assert len(reference) == 1
    assert fast == reference


def test_same_findings_when_limited_to_one_file(tmp_path):
    """--only/--changed: the nodes of one file and their referrers, as pyshacl limits them."""
    text = CASES["two profiles for one focus and level"][0]()
    extra = text[len(MINIMAL) :]
    prefixes = "".join(line + "\n" for line in MINIMAL.splitlines() if line.startswith("@prefix"))
    (tmp_path / "a.ttl").write_text(CASES["unknown status"][0](), encoding="utf-8")  # a finding outside the limit
    (tmp_path / "b.ttl").write_text(prefixes + extra, encoding="utf-8")
    reference, fast = _both([tmp_path], only=[tmp_path / "b.ttl"])
    assert reference and fast == reference
    full, _ = _both([tmp_path])
    assert len(full) > len(reference)  # the limit left some findings out


def test_inferences_in_the_store_do_not_change_the_findings(tmp_path):
    """A --reason run leaves rdf:type inferences in the store; validation still sees the files as written."""
    path = tmp_path / "arch.ttl"
    path.write_text(CASES["profile not typed"][0](), encoding="utf-8")
    store = f"oxigraph:{tmp_path / 'store'}"
    api.open_architecture([path], store=store, reason=True).close()
    fast = api.validate_architecture([path], store=store, engine="fast")
    reference = api.validate_architecture([path], engine="pyshacl")
    assert [f.shape for f in fast.findings] == ["jash:ProfileTypeShape"]
    assert [_key(f) for f in fast.findings] == [_key(f) for f in reference.findings]


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "turtle"])
def test_cli_reports_are_byte_identical_across_engines(tmp_path, runner, fmt):
    path = tmp_path / "arch.ttl"
    path.write_text(CASES["taxonomy cycle"][0](), encoding="utf-8")
    outputs = {}
    for engine in ("fast", "pyshacl"):
        result = runner.invoke(main, ["validate", str(path), "--engine", engine, "--format", fmt])
        assert result.exit_code == 1, result.output
        outputs[engine] = result.stdout
    assert outputs["fast"] == outputs["pyshacl"]
    if fmt == "json":
        assert json.loads(outputs["fast"])["counts"]["violation"] == 4


def _shapes_with(extra: str) -> Graph:
    graph = Graph()
    for triple in pyshacl_engine.shapes_graph():
        graph.add(triple)
    graph.parse(data=extra, format="turtle")
    return graph


UNSUPPORTED = {
    "qualified value shape": """
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ja: <https://w3id.org/jobarch#> .
        <urn:x:S> a sh:NodeShape ; sh:targetClass ja:Focus ;
            sh:property [ sh:path ja:requiresSkill ; sh:qualifiedValueShape [ sh:class ja:Skill ] ;
                          sh:qualifiedMinCount 1 ] .""",
    "inverse path": """
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ja: <https://w3id.org/jobarch#> .
        <urn:x:S> a sh:NodeShape ; sh:targetClass ja:Focus ;
            sh:property [ sh:path [ sh:inversePath ja:focus ] ; sh:minCount 1 ] .""",
    "closed shape": """
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ja: <https://w3id.org/jobarch#> .
        <urn:x:S> a sh:NodeShape ; sh:targetClass ja:Focus ; sh:closed true .""",
}


@pytest.mark.parametrize("feature", sorted(UNSUPPORTED))
def test_unknown_shape_features_are_refused_not_skipped(feature):
    with pytest.raises(UnsupportedShapeError):
        compile_shapes(_shapes_with(UNSUPPORTED[feature]))


def test_auto_falls_back_to_pyshacl_and_says_so(tmp_path, monkeypatch):
    shapes = _shapes_with(UNSUPPORTED["closed shape"].replace("sh:closed true", "sh:closed false"))
    monkeypatch.setattr(shape_files, "shapes_graph", lambda: shapes)
    path = tmp_path / "arch.ttl"
    path.write_text(CASES["duplicate code"][0](), encoding="utf-8")
    report = api.validate_architecture([path], engine="auto")
    assert report.notes and "pyshacl" in report.notes[0] and "sh:closed" in report.notes[0]
    assert len(report.findings) == 2
    with pytest.raises(JobarchError, match="fast engine cannot check"):
        api.validate_architecture([path], engine="fast")


def test_compiled_checks_name_their_constraint_components():
    checks = compile_shapes(pyshacl_engine.shapes_graph())
    components = {c.component for c in checks}
    assert {"MinCountConstraintComponent", "ClassConstraintComponent", "SPARQLConstraintComponent"} <= components
    assert all(c.messages for c in checks), "every reported constraint says how to fix it"
    sparql = [c for c in checks if c.constraint is not None]
    assert len(sparql) == len(list(pyshacl_engine.shapes_graph().subjects(RDF.type, SH.SPARQLConstraint)))


def test_report_graph_is_the_w3c_shape(tmp_path):
    path = tmp_path / "arch.ttl"
    path.write_text(CASES["unknown status"][0](), encoding="utf-8")
    report = api.validate_architecture([path], engine="fast")
    graph = report.report_graph
    node = graph.value(None, RDF.type, SH.ValidationReport)
    assert graph.value(node, SH.conforms) == Literal(False)
    result = graph.value(node, SH.result)
    assert graph.value(result, SH.resultPath) == JA.status
    assert isinstance(graph.value(result, SH.focusNode), URIRef)
    assert graph.value(result, SH.sourceConstraintComponent) == SH.InConstraintComponent


def _triples_of_minimal() -> list[tuple]:
    graph = Graph().parse(data=MINIMAL, format="turtle")
    return sorted(graph, key=lambda t: tuple(str(x) for x in t))


MINIMAL_TRIPLES = _triples_of_minimal()


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    dropped=st.sets(st.integers(0, len(MINIMAL_TRIPLES) - 1), max_size=6),
    swaps=st.lists(
        st.tuples(st.integers(0, len(MINIMAL_TRIPLES) - 1), st.integers(0, len(MINIMAL_TRIPLES) - 1)), max_size=4
    ),
)
def test_same_findings_on_injected_faults(tmp_path_factory, dropped, swaps):
    """Faults injected into the smallest valid architecture: triples dropped, objects moved between triples."""
    triples = [list(t) for t in MINIMAL_TRIPLES]
    for target, source in swaps:  # the object of one triple takes another's (a literal where an IRI was, ...)
        triples[target][2] = MINIMAL_TRIPLES[source][2]
    graph = Graph()
    graph.namespace_manager = Graph().parse(data=MINIMAL, format="turtle").namespace_manager
    for i, (s, p, o) in enumerate(triples):
        if i not in dropped:
            graph.add((s, p, o))
    path = tmp_path_factory.mktemp("faults") / "arch.ttl"
    path.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    try:
        reference, fast = _both([path])
    except JobarchError as exc:  # pyshacl gives up on some data (a blank node in sh:lessThanOrEquals)
        assume("pyshacl cannot validate" not in exc.message)
        raise
    assert [_numbers_by_value(k) for k in fast] == [_numbers_by_value(k) for k in reference]


def _numbers_by_value(key: tuple) -> tuple:
    """The known differences: Oxigraph keeps numbers in canonical form, so a value or a message quoting a
    decimal written ``1.0`` says ``1`` on the fast engine (pyshacl quotes the file's form); a SHACL-SPARQL message
    quoting a blank node quotes each engine's own label for it."""
    message = re.sub(r"\b(\d+)\.0\b", r"\1", key[1])
    message = re.sub(r"\b[A-Za-z]?[0-9a-f]{32,}\b", "_:b", message)  # blank-node labels
    value = re.sub(r"^(\d+)\.0$", r"\1", key[4]) if key[4] else key[4]
    return (key[0], message, *key[2:4], value, *key[5:])
