"""The ontology, the shapes and the Python namespace agree with each other."""

import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from vetkg.build.graph import load_ontology
from vetkg.namespaces import VANN, VET
from vetkg.paths import ONTOLOGY_FILE, QUERIES_DIR, SHAPES_FILE

NS = str(VET._NS)


@pytest.fixture(scope="module")
def ontology():
    """The ontology with its concept schemes."""
    return load_ontology()


def test_the_ontology_file_has_one_header_and_the_schemes_are_apart():
    """Documentation generators read vet.ttl alone; a concept scheme there would be taken
    for a second ontology header."""
    alone = Graph().parse(ONTOLOGY_FILE, format="turtle")
    assert list(alone.subjects(RDF.type, OWL.Ontology)) == [URIRef(NS)]
    assert not list(alone.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(list(load_ontology().subjects(RDF.type, SKOS.ConceptScheme))) == 8


def declared_terms(ontology):
    return {str(s)[len(NS):] for s in ontology.subjects() if str(s).startswith(NS) and str(s) != NS}


def test_header(ontology):
    header = URIRef(NS)
    assert (header, RDF.type, OWL.Ontology) in ontology
    for predicate in (DCTERMS.title, DCTERMS.description, OWL.versionInfo, DCTERMS.license,
                      VANN.preferredNamespacePrefix, VANN.preferredNamespaceUri):
        assert ontology.value(header, predicate) is not None, predicate
    assert str(ontology.value(header, VANN.preferredNamespaceUri)) == NS
    assert str(ontology.value(header, VANN.preferredNamespacePrefix)) == "vet"


def test_every_class_and_property_has_zh_and_en_labels_and_definitions(ontology):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = [s for kind in kinds for s in ontology.subjects(RDF.type, kind)]
    assert len(terms) > 50
    for term in terms:
        for predicate in (RDFS.label, SKOS.definition):
            languages = sorted(value.language for value in ontology.objects(term, predicate))
            assert languages == ["en", "zh"], f"{term} {predicate}: {languages}"


def test_python_namespace_matches_the_ontology(ontology):
    in_python = set(VET.__annotations__)
    assert in_python == declared_terms(ontology)
    with pytest.raises(AttributeError):
        VET.NoSuchTerm  # noqa: B018


def test_vet_terms_used_by_shapes_and_queries_are_declared(ontology):
    declared = declared_terms(ontology)
    texts = [SHAPES_FILE.read_text("utf-8")]
    texts += [path.read_text("utf-8") for path in QUERIES_DIR.rglob("*.rq")]
    assert len(texts) > 15
    used = {term for text in texts for term in re.findall(r"\bvet:([A-Za-z_][A-Za-z0-9_]*)", text)}
    assert used
    assert used <= declared, f"undeclared: {sorted(used - declared)}"


def test_shapes_parse_and_target_declared_classes(ontology):
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    targets = set(shapes.objects(predicate=URIRef("http://www.w3.org/ns/shacl#targetClass")))
    assert targets
    for target in targets:
        if str(target).startswith(NS):
            assert (target, RDF.type, OWL.Class) in ontology, target
