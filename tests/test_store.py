"""The embedded engine: hostile and broken queries end in an error, never a hang."""

import time

import pytest

from vetkg.store import QueryError, run_query

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_a_cartesian_query_is_stopped_at_its_deadline(store):
    started = time.monotonic()
    with pytest.raises(QueryError, match="did not finish within 1 s"):
        run_query(store, CARTESIAN, timeout=1)
    assert time.monotonic() - started < 10


def test_a_quick_query_with_a_deadline_returns_rows(store):
    query = "SELECT ?s WHERE { ?s a <http://purl.org/linked-data/cube#Observation> }"
    table = run_query(store, query, timeout=30)
    assert len(table) > 100


def test_syntax_errors_and_non_select_queries_are_refused(store, graph):
    with pytest.raises(QueryError, match="does not parse"):
        run_query(store, "SELECT ?x WHERE { ?x")
    with pytest.raises(QueryError, match="only SELECT"):
        run_query(store, "ASK { ?s ?p ?o }")
    with pytest.raises(QueryError):
        run_query(graph, "SELECT ?x WHERE { ?x")
    with pytest.raises(QueryError, match="does not parse"):
        run_query(store, "SELECT ?x WHERE { ?x", timeout=5)


def test_updates_are_refused(store):
    with pytest.raises(QueryError):
        run_query(store, "INSERT DATA { <http://a> <http://b> <http://c> }")
