"""The ontology parses, covers the data, documents every term and reasons soundly."""

from __future__ import annotations

import owlrl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from jobarch.core.namespaces import JA
from jobarch.core.resources import ontology_path

TERM_CLASSES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_path(), format="turtle")


def declared_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(str(JA))}


def test_every_ja_term_used_in_the_data_is_declared(ontology, sample_architecture):
    declared = declared_terms(ontology)
    used = set()
    for path in sample_architecture.files:
        for triple in sample_architecture.graph_of(path):
            used |= {t for t in triple if isinstance(t, URIRef) and str(t).startswith(str(JA))}
    assert used, "the sample uses the ontology"
    assert sorted(used - declared) == []


def test_every_term_has_a_label_and_a_definition(ontology):
    terms = declared_terms(ontology)
    assert len(terms) > 60
    missing = [t for t in terms if not (ontology.value(t, RDFS.label) and ontology.value(t, SKOS.definition))]
    assert missing == []


def test_alignments_are_declared(ontology):
    assert (JA.JobProfile, RDFS.subClassOf, URIRef("https://schema.org/Occupation")) in ontology
    assert (JA.JobProfile, SKOS.closeMatch, URIRef("http://data.europa.eu/esco/model#Occupation")) in ontology
    assert (JA.Skill, SKOS.closeMatch, URIRef("http://data.europa.eu/esco/model#Skill")) in ontology
    assert (JA.Source, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in ontology


def test_no_functional_properties_that_could_merge_resources(ontology):
    assert list(ontology.subjects(RDF.type, OWL.FunctionalProperty)) == []
    assert list(ontology.subjects(RDF.type, OWL.InverseFunctionalProperty)) == []


@pytest.mark.slow
def test_owl_rl_closure_adds_only_intended_data_triples(sample_architecture, ontology):
    """Reason with owlrl and inspect what it adds about the data (not its own axioms)."""
    data = Graph()
    for path in sample_architecture.files:
        data += sample_architecture.graph_of(path)
    graph = Graph() + data + ontology
    before = set(graph)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    subjects = set(data.subjects())
    added = [t for t in graph if t not in before and t[0] in subjects and not isinstance(t[0], Literal)]
    # owlrl's own bookkeeping: x owl:sameAs x, x a owl:Thing
    added = [t for t in added if not (t[1] == OWL.sameAs and t[0] == t[2]) and t[2] != OWL.Thing]
    assert not [t for t in graph if t[1] == OWL.sameAs and t[0] != t[2]], "no resources merged"
    predicates = {t[1] for t in added}
    assert predicates <= {RDF.type, JA.requiresSkill, JA.hasProfile, JA.distinctFrom, SKOS.notation}
    types = {t[2] for t in added if t[1] == RDF.type}
    ontology_classes = set(ontology.subjects(RDF.type, OWL.Class)) | {
        SKOS.Concept,
        SKOS.ConceptScheme,
        URIRef("https://schema.org/Occupation"),
        URIRef("http://www.w3.org/ns/prov#Entity"),
    }
    assert types <= ontology_classes, types - ontology_classes
    # the intended entailments are there
    profile = URIRef("https://example.org/jobarch/sample/profile/MANUFA3.MANUFACT13A2.M2")
    focus = URIRef("https://example.org/jobarch/sample/focus/MANUFACT13A2")
    assert len(set(graph.objects(profile, JA.requiresSkill))) == 15
    assert (focus, JA.hasProfile, profile) in graph
    assert (profile, RDF.type, URIRef("https://schema.org/Occupation")) in graph
    assert (profile, SKOS.notation, Literal("MANUFA3.MANUFACT13A2.M2")) in graph
    # proportionate: fewer new data triples than the data itself
    assert len(added) < len(data)
    assert not any(isinstance(t[0], BNode) and t[1] == JA.requiresSkill for t in added)


def test_the_version_is_written_once(ontology, runner):
    """The package metadata is the one source; the ontology's owl:versionInfo and `jobarch --version` follow it."""
    from importlib.metadata import version

    from jobarch import __version__
    from jobarch.cli import main

    assert __version__ == version("jobarch")
    assert str(ontology.value(URIRef("https://w3id.org/jobarch"), OWL.versionInfo)) == __version__
    assert __version__ in runner.invoke(main, ["--version"]).output
