"""The fast reasoner gives exactly owlrl's data-level entailments, or refuses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from jobarch.cli import main
from jobarch.core.errors import JobarchError
from jobarch.reasoning import data_and_ontology
from jobarch.reasoning import infer_architecture as infer
from jobarch.reasoning.entailments import data_entailments, owlrl_closure
from jobarch.reasoning.rules import compile_rules, infer_fast

EX = Namespace("https://example.org/t/")
CLASSES = [EX[f"C{i}"] for i in range(4)]
PROPS = [EX[f"p{i}"] for i in range(4)]
NODES = [EX[f"n{i}"] for i in range(6)]


@st.composite
def ontologies(draw):
    """Small ontologies using every axiom kind the fast path supports."""
    g = Graph()
    for _ in range(draw(st.integers(0, 4))):
        g.add((draw(st.sampled_from(CLASSES)), RDFS.subClassOf, draw(st.sampled_from(CLASSES))))
    for _ in range(draw(st.integers(0, 3))):
        g.add((draw(st.sampled_from(PROPS)), RDFS.subPropertyOf, draw(st.sampled_from(PROPS))))
    for axiom in (RDFS.domain, RDFS.range):
        for _ in range(draw(st.integers(0, 2))):
            g.add((draw(st.sampled_from(PROPS)), axiom, draw(st.sampled_from(CLASSES))))
    if draw(st.booleans()):
        g.add((draw(st.sampled_from(PROPS)), OWL.inverseOf, draw(st.sampled_from(PROPS))))
    for kind in (OWL.SymmetricProperty, OWL.TransitiveProperty):
        if draw(st.booleans()):
            g.add((draw(st.sampled_from(PROPS)), RDF.type, kind))
    if draw(st.booleans()):
        g.add((draw(st.sampled_from(CLASSES)), OWL.equivalentClass, draw(st.sampled_from(CLASSES))))
    if draw(st.booleans()):
        g.add((draw(st.sampled_from(PROPS)), OWL.equivalentProperty, draw(st.sampled_from(PROPS))))
    if draw(st.booleans()):
        head = BNode()
        Collection(g, head, [draw(st.sampled_from(PROPS)), draw(st.sampled_from(PROPS))])
        g.add((draw(st.sampled_from(PROPS)), OWL.propertyChainAxiom, head))
    for c in CLASSES:
        g.add((c, RDF.type, OWL.Class))
    for p in PROPS:
        g.add((p, RDF.type, OWL.ObjectProperty))
    return g


@st.composite
def datasets(draw):
    g = Graph()
    for _ in range(draw(st.integers(1, 12))):
        s = draw(st.sampled_from(NODES))
        if draw(st.integers(0, 3)) == 0:
            g.add((s, RDF.type, draw(st.sampled_from(CLASSES))))
        else:
            o = draw(st.one_of(st.sampled_from(NODES), st.just(Literal("x"))))
            g.add((s, draw(st.sampled_from(PROPS)), o))
    return g


@settings(max_examples=80, deadline=None)
@given(ontologies(), datasets())
@pytest.mark.slow
def test_rules_equal_owlrl_on_generated_ontologies(ontology, data):
    expected = data_entailments(owlrl_closure(data, ontology), data, ontology)
    got = data_entailments(infer_fast(data, ontology) | set(data), data, ontology)
    assert got == expected


@settings(max_examples=120, deadline=None)
@given(ontologies(), datasets(), datasets())
def test_incremental_rules_equal_a_full_run_after_additions(ontology, before, more):
    """Deriving only from the added triples, on top of what was derived before, gives the full closure."""
    old, new = set(before), set(before) | set(more)
    known = infer_fast(old, ontology)
    incremental = known | infer_fast(new, ontology, known=known, added=set(more) - old)
    assert incremental | new == infer_fast(new, ontology) | new


@pytest.mark.slow
def test_rules_equal_owlrl_on_the_sample(sample_architecture):
    slow, fast = infer(sample_architecture, "owlrl"), infer(sample_architecture, "rules")
    assert set(slow.graph) == set(fast.graph) and len(fast.graph) == 1806
    # the property chains at work: each profile of the reference focus needs the focus's 15 skills, whether
    # stated as ja:skillRequirement (the focus and M2's overrides) or inherited
    requires = URIRef("https://w3id.org/jobarch#requiresSkill")
    for level in ("M1", "M2", "M3"):
        profile = URIRef(f"https://example.org/jobarch/sample/profile/MANUFA3.MANUFACT13A2.{level}")
        assert len(set(fast.graph.objects(profile, requires))) >= 15
    assert (slow.engine, fast.engine) == ("owlrl", "rules")


@pytest.mark.slow
def test_rules_equal_owlrl_on_a_synthetic_architecture(tmp_path):
    from jobarch.graph.architecture import load
    from jobarch.io.synth import synthesize

    synthesize(60, 3, tmp_path)
    arch = load([tmp_path])
    data, ontology = data_and_ontology(arch)
    assert data_entailments(infer_fast(data, ontology) | set(data), data, ontology) == data_entailments(
        owlrl_closure(data, ontology), data, ontology
    )


@pytest.mark.parametrize(
    "axiom",
    [
        (EX.p0, RDF.type, OWL.FunctionalProperty),
        (EX.a, OWL.sameAs, EX.b),
        (EX.C0, OWL.disjointWith, EX.C1),
        (EX.r, OWL.someValuesFrom, EX.C0),
    ],
)
def test_unsupported_axioms_are_refused(axiom):
    ontology = Graph()
    ontology.add(axiom)
    with pytest.raises(JobarchError, match="does not support"):
        compile_rules(ontology)


@pytest.mark.slow
def test_auto_falls_back_to_owlrl_and_says_so(tmp_path, monkeypatch):
    import jobarch.reasoning as reasoning
    from jobarch.core.resources import sample_data_dir
    from jobarch.graph.architecture import load

    arch = load([sample_data_dir()])
    arch.dataset.graph(__import__("rdflib").URIRef("https://w3id.org/jobarch")).add(
        (EX.p0, RDF.type, OWL.FunctionalProperty)
    )
    monkeypatch.setattr(reasoning, "AUTO_THRESHOLD", 0)
    result = reasoning.infer_architecture(arch, "auto")
    assert result.engine == "owlrl" and "fell back to owlrl" in result.note
    with pytest.raises(JobarchError):
        reasoning.infer_architecture(arch, "rules")


@pytest.mark.slow
def test_cli_engine_choice(runner):
    result = runner.invoke(main, ["reason", "--engine", "rules", "-o", "/dev/null"])
    assert (
        result.exit_code == 0
        and "OWL-RL closure (rules)" in result.stderr
        and "1,806 new data triples" in result.stderr
    )


# ---------------------------------------------------------------------------- inside the Oxigraph store


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["owlrl", "rules"])
def test_store_reasoning_gives_the_memory_entailments(engine, tmp_path):
    """Reasoning on Oxigraph's terms gives the same graph as on rdflib's (blank nodes are named differently)."""
    from collections import Counter

    from jobarch.core.resources import sample_data_dir
    from jobarch.graph.architecture import load
    from jobarch.graph.sources import discover
    from jobarch.store.oxigraph import OxigraphStore

    in_store = OxigraphStore(tmp_path / "store").sync(discover([sample_data_dir()]), reason=engine).inference
    in_memory = infer(load([sample_data_dir()]), engine)
    assert in_store.engine == engine and len(in_store.triples) == len(in_memory.triples) == 1806
    named = lambda g: {t for t in g if not isinstance(t[0], BNode)}  # noqa: E731
    about_blank_nodes = lambda g: Counter((p, o) for s, p, o in g if isinstance(s, BNode))  # noqa: E731
    assert named(in_store.graph) == named(in_memory.graph)
    assert about_blank_nodes(in_store.graph) == about_blank_nodes(in_memory.graph)


@pytest.mark.slow
def test_store_inferences_are_refreshed_only_when_a_file_changes(tmp_path, runner):
    import shutil

    from jobarch.core.resources import sample_data_dir

    data = tmp_path / "arch"
    shutil.copytree(sample_data_dir(), data)
    store = f"oxigraph:{tmp_path / 'store'}"
    first = runner.invoke(
        main, ["reason", "--data", str(data), "--store", store, "--engine", "rules", "-o", str(tmp_path / "a.ttl")]
    )
    assert first.exit_code == 0 and "1,806 new data triples" in first.stderr and "up to date" not in first.stderr
    again = runner.invoke(main, ["reason", "--data", str(data), "--store", store, "-o", str(tmp_path / "b.ttl")])
    assert again.exit_code == 0 and "up to date" in again.stderr and "1,806 new data triples" in again.stderr
    assert len(Graph().parse(tmp_path / "b.ttl")) == 1806

    # saving a file without taking anything away keeps the inferences (its blank nodes are followed
    # to their new labels); taking a triple away drops them until the next --reason
    inherited = (
        "PREFIX ja: <https://w3id.org/jobarch#> SELECT (COUNT(*) AS ?n) "
        "WHERE { GRAPH <urn:jobarch:inferred> { ?p ja:hasProfile ?x } }"
    )

    def count(*extra: str) -> str:
        result = runner.invoke(
            main, ["query", "-e", inherited, "--format", "csv", "--data", str(data), "--store", store, *extra]
        )
        assert result.exit_code == 0, result.output + result.stderr
        return result.output.splitlines()[1]

    before = count()
    assert int(before) > 0
    text = (data / "manufacturing-operations.ttl").read_text(encoding="utf-8")
    (data / "manufacturing-operations.ttl").write_text(text + "\n# edited\n", encoding="utf-8")
    assert count() == before
    assert 'skos:altLabel "Manufacturing Lead, Upstream"@en ;' in text
    (data / "manufacturing-operations.ttl").write_text(
        text.replace('skos:altLabel "Manufacturing Lead, Upstream"@en ;', ""), encoding="utf-8"
    )
    assert count() == "0"  # the edit invalidated the stored inferences
    assert count("--reason") == before  # recomputed on demand


def test_store_inferences_follow_additions_incrementally_and_deletions_in_full(tmp_path):
    """After an edit that only adds, the refresh derives from the additions alone and equals a full run."""
    import shutil

    from jobarch.core.resources import sample_data_dir
    from jobarch.graph.sources import discover
    from jobarch.store.oxigraph import OxigraphStore

    data = tmp_path / "arch"
    shutil.copytree(sample_data_dir(), data)
    store = OxigraphStore(tmp_path / "store")
    first = store.sync(discover([data]), reason="rules").inference

    (data / "more.ttl").write_text(
        """
@prefix ja: <https://w3id.org/jobarch#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix s: <https://example.org/jobarch/sample/> .
<https://example.org/jobarch/sample/profile/NEW.MANUFACT13A2.M9> a ja:JobProfile ; ja:code "NEW.MANUFACT13A2.M9" ;
    ja:focus <https://example.org/jobarch/sample/focus/MANUFACT13A2> ;
    ja:requiresSkill <https://example.org/jobarch/sample/skill/aseptic-technique> .
<https://example.org/jobarch/sample/profile/MANUFA3.MANUFACT13A2.M2>
    ja:requiresSkill <https://example.org/jobarch/sample/skill/aseptic-technique> .  # was inferred: now data
""",
        encoding="utf-8",
    )
    grown = store.sync(discover([data]), reason="rules").inference
    fresh = OxigraphStore(tmp_path / "fresh").sync(discover([data]), reason="rules").inference
    assert grown.note.startswith("incremental: 5 added data triples") and not fresh.note
    assert len(grown.triples) == len(fresh.triples) > len(first.triples)
    named = lambda inference: {t for t in inference.triples if not t[0].startswith("_:")}  # noqa: E731
    assert named(grown) == named(fresh)
    assert set(store.ntriples_of("urn:jobarch:inferred")) == grown.triples  # the store holds exactly that

    family = data / "manufacturing-operations.ttl"
    family.write_text(
        family.read_text(encoding="utf-8")
        + """
profile:NEW2.MANUFACT13A2.M9 a ja:JobProfile ; ja:code "NEW2.MANUFACT13A2.M9" ; ja:focus focus:MANUFACT13A2 ;
    ja:responsibility [ ja:order 1 ; ja:text "Runs the new line."@en ] .
""",
        encoding="utf-8",
    )
    edited = store.sync(discover([data]), reason="rules").inference
    full = OxigraphStore(tmp_path / "fresh3").sync(discover([data]), reason="rules").inference
    assert edited.note.startswith("incremental: 6 added data triples")  # the file's old blank nodes were matched
    assert named(edited) == named(full) and len(edited.triples) == len(full.triples)
    assert set(store.ntriples_of("urn:jobarch:inferred")) == edited.triples
    subjects = {s for uri in store.file_stamps() for s, _, _ in store.ntriples_of(uri)}
    assert all(
        t[0] in subjects for t in edited.triples if t[0].startswith("_:")
    )  # no inference about a vanished blank node

    text = (data / "more.ttl").read_text(encoding="utf-8")
    (data / "more.ttl").write_text(
        text.replace(" ;\n    ja:requiresSkill <https://example.org/jobarch/sample/skill/aseptic-technique>", ""),
        encoding="utf-8",
    )
    shrunk = store.sync(discover([data]), reason="rules").inference
    again = OxigraphStore(tmp_path / "fresh2").sync(discover([data]), reason="rules").inference
    assert not shrunk.note.startswith("incremental") and named(shrunk) == named(again) != named(edited)
    assert len(shrunk.triples) == len(again.triples)
