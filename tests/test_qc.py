"""Quality checks: each fires on its broken fixture, and no ERROR check fires on the graph."""

from pathlib import Path

import pytest
from rdflib import Graph

from vetkg.build.checks import validate_graph
from vetkg.build.graph import load_ontology
from vetkg.query.catalogue import load_checks
from vetkg.query.store import open_store, run_query

CHECKS = load_checks()
BROKEN = Path(__file__).parent / "fixtures" / "qc"


def test_checks_were_collected():
    assert len(CHECKS) >= 5
    assert {check.level for check in CHECKS} == {"ERROR", "WARN"}


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.name)
def test_check_fires_on_its_broken_fixture(check):
    fixture = BROKEN / f"{check.name}.ttl"
    assert fixture.exists(), f"every check needs a broken fixture: {fixture}"
    graph = load_ontology() + Graph().parse(fixture, format="turtle")
    assert len(run_query(open_store(graph), check.text)) >= 1


@pytest.mark.parametrize("check", [c for c in CHECKS if c.level == "ERROR"], ids=lambda c: c.name)
def test_error_check_passes_on_the_graph(check, store):
    assert run_query(store, check.text).rows == []


def test_validation_report_keeps_the_known_contradiction_as_a_warning(graph):
    report = validate_graph(graph)
    assert report.conforms
    warned = {finding.focus for finding in report.findings if finding.level == "WARN"}
    assert "https://w3id.org/vetkg/id/table-1-2-teacher-standards" in warned
