"""SHACL shapes in pairs: valid fixtures conform, invalid ones fail on the expected node."""

from pathlib import Path

import pytest
from rdflib import Graph

from vetkg.build.checks import shacl_findings
from vetkg.build.graph import load_ontology

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "shacl").glob("*.ttl"))


def expectation(path):
    first = path.read_text("utf-8").splitlines()[0]
    key, _, value = first.lstrip("# ").partition(":")
    return key.strip(), value.strip()


def test_fixtures_were_collected_in_pairs():
    kinds = {path.name.split("-")[0] for path in FIXTURES}
    assert kinds == {"valid", "invalid"}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.stem)
def test_shapes_on_fixture(path):
    key, value = expectation(path)
    graph = load_ontology() + Graph().parse(path, format="turtle")
    errors = [finding for finding in shacl_findings(graph) if finding.level == "ERROR"]
    if key == "expect":
        assert value == "conforms"
        assert errors == []
    else:
        assert key == "expect-focus"
        assert value in {finding.focus for finding in errors}, errors


def test_the_built_graph_conforms(graph):
    errors = [finding for finding in shacl_findings(graph) if finding.level == "ERROR"]
    assert errors == []
