"""SHACL shapes in pairs: valid fixtures conform, invalid ones fail on the expected node.

The build checks with pyshacl-turbo, a run of subjects at a time; pySHACL on the whole graph
is the reference it is held to.
"""

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph
from rdflib.namespace import SH

from vetkg.build.checks import shacl_findings
from vetkg.build.graph import load_ontology
from vetkg.build.serialize import canonical_lines, nt_term
from vetkg.build.shacl import Finding, UnboundedShapes, check_part, findings_of_report, inverse_predicates
from vetkg.paths import SHAPES_FILE

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


def reference_findings(graph: Graph) -> list[Finding]:
    """pySHACL's report of a whole graph, read as the build reads pyshacl-turbo's."""
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    _conforms, report, _text = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    every_node = {nt_term(node).encode() for node in report.objects(None, SH.focusNode)}
    return sorted(set(findings_of_report(report, shapes, every_node)))


def comparable(findings: list[Finding]) -> list[tuple]:
    """Findings without the wording of messages that no shape declares: the engines word their own."""
    declared = {str(message) for message in Graph().parse(SHAPES_FILE).objects(None, SH.message)}
    return sorted((f.level, f.check, f.focus, next((d for d in declared if d in f.message), None))
                  for f in findings)


def test_bounded_runs_give_the_report_of_pyshacl_on_the_whole_graph(tmp_path):
    # Every fixture in one graph, checked in runs of a few subjects each: each run's
    # neighbourhood must bring what its shapes look at, or a finding differs.
    whole = load_ontology()
    for path in FIXTURES:
        whole.parse(path, format="turtle")
    lines = tmp_path / "graph.nt"
    lines.write_text("".join(f"{line}\n" for line in canonical_lines(whole)), encoding="utf-8")
    mine = check_part(lines, SHAPES_FILE, 0, 1, run_bytes=64)
    assert len({f.focus for f in mine}) > 5
    assert comparable(mine) == comparable(reference_findings(whole))
    halves = [check_part(lines, SHAPES_FILE, part, 2, run_bytes=64) for part in (0, 1)]
    assert sorted(halves[0] + halves[1]) == mine


@pytest.mark.parametrize("shape", [
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ( ex:a ex:b ) ; sh:minCount 1 ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:a ; sh:node ex:T ] . "
    "ex:T a sh:NodeShape ; sh:property [ sh:path ex:b ; sh:minCount 1 ] .",
    "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:a ; sh:nodeKind sh:IRI .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select \"SELECT $this WHERE { }\" ] .",
], ids=["path-sequence", "value-shape-with-a-path", "objects-target", "sparql"])
def test_a_shape_that_looks_past_a_nodes_neighbourhood_is_refused(shape):
    prefixes = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . "
    shapes = Graph().parse(data=prefixes + shape, format="turtle")
    with pytest.raises(UnboundedShapes):
        inverse_predicates(shapes)


def test_the_project_shapes_look_only_at_a_neighbourhood():
    assert inverse_predicates(Graph().parse(SHAPES_FILE)) == {"<https://w3id.org/vetkg/ontology#majorGroup>"}
