"""Queries with a deadline run in a worker of their own, as the endpoint runs them."""

import os
import time
from pathlib import Path

import pytest

from tests.conftest import PATIENCE
from vetkg.query.ntriples import load_blocks
from vetkg.query.pool import Jobs, PoolError, QueryPool, WorkerLimits
from vetkg.query.results import QueryError, read_results
from vetkg.query.store import SharedStore, run_query

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def run_once(store_path, query: str, result_format: str = "json", seconds: float = 60.0):
    """One query in a pool of one worker, without row or byte caps."""
    pool = QueryPool(store_path, size=1, deadline=seconds, limits=WorkerLimits(None, None), queue_cap=1)
    try:
        return pool.run(query, result_format)
    finally:
        pool.close()


@pytest.fixture(scope="module")
def shared(graph):
    shared = SharedStore(graph)
    yield shared
    shared.close()


def test_a_cartesian_query_is_stopped_at_its_deadline(shared):
    with pytest.raises(PoolError, match="did not finish within 1 s"):
        run_once(shared.path, CARTESIAN, seconds=1)


def test_a_quick_query_with_a_deadline_returns_every_row_in_the_engine_s_format(shared, store):
    query = "SELECT ?s WHERE { ?s a <http://purl.org/linked-data/cube#Observation> } ORDER BY ?s"
    answer = run_once(shared.path, query, "json", seconds=30)
    assert answer.status == 200 and not answer.truncated
    local = run_query(store, query)
    assert len(local) > 100
    assert read_results(answer.body).rows == local.rows
    csv_answer = run_once(shared.path, query, "csv", seconds=30)
    assert csv_answer.body.decode("utf-8").splitlines()[1] == str(local.rows[0][0])


def test_syntax_errors_and_non_select_queries_are_refused(store, graph, shared):
    with pytest.raises(QueryError, match="does not parse"):
        run_query(store, "SELECT ?x WHERE { ?x")
    with pytest.raises(QueryError, match="only SELECT"):
        run_query(store, "ASK { ?s ?p ?o }")
    with pytest.raises(QueryError):
        run_query(graph, "SELECT ?x WHERE { ?x")
    answer = run_once(shared.path, "SELECT ?x WHERE { ?x", seconds=5)
    assert answer.status == 400 and b"does not parse" in answer.body


def test_updates_are_refused(store):
    with pytest.raises(QueryError):
        run_query(store, "INSERT DATA { <http://a> <http://b> <http://c> }")


@pytest.mark.parametrize("result_format", ["json", "xml", "csv", "tsv"])
def test_an_answer_under_the_caps_is_byte_for_byte_the_engine_s_own(store, result_format):
    """Cutting rows at the cap re-reads them; under the cap that changes no byte."""
    from vetkg.query.catalogue import load_catalogue
    from vetkg.query.pool import RESULT_FORMATS, WorkerLimits, answer_query

    queries = load_catalogue()
    assert queries
    for query in queries:
        answer = answer_query(store, query.text, result_format, "turtle", WorkerLimits())
        assert answer.status == 200 and not answer.truncated, query.name
        direct = store.query(query.text).serialize(format=RESULT_FORMATS[result_format][1])
        assert answer.body == direct, query.name


# Values that test the rows' way through XML (or TSV, for a control character XML cannot carry).
ODD_VALUES = ('"a\\r\\nb\\t<c> & \\"d\\" ]]>"', '"教育部"@zh-Hans', 'IRI("http://example.org/a?b=1&c=%3C")',
              '"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>', 'BNODE("node")', '"x\\u0001y"', '""',
              '<<( <http://a> <http://b> "c" )>>')


@pytest.mark.parametrize("value", ODD_VALUES)
@pytest.mark.parametrize("result_format", ["json", "xml", "csv", "tsv"])
def test_odd_values_come_through_the_row_cap_unchanged(result_format, value):
    import pyoxigraph

    from vetkg.query.pool import RESULT_FORMATS, answer_query

    empty = pyoxigraph.Store()
    query = f"SELECT ?v ?unbound WHERE {{ BIND({value} AS ?v) }}"
    answer = answer_query(empty, query, result_format, "turtle", WorkerLimits())
    assert answer.status == 200, answer.body
    assert answer.body == empty.query(query).serialize(format=RESULT_FORMATS[result_format][1])


def test_a_pool_is_handed_jobs_with_names_of_their_own():
    def query(store):
        return store

    def count(store):
        return len(store)

    assert set(Jobs((count,)).table(WorkerLimits())) == {"query", "count"}
    for clash in ((count, count), (query,)):
        with pytest.raises(ValueError, match="names of their own"):
            Jobs(clash)


def note_warm_up(store) -> None:
    """An on_start that leaves a line in the file that $VETKG_TEST_WARM_UPS names."""
    with open(os.environ["VETKG_TEST_WARM_UPS"], "a", encoding="utf-8") as marks:
        marks.write(f"{len(store)}\n")


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/status").read_text().split("PPid:")[1].split()[0])


def test_workers_are_forked_from_one_process_that_holds_the_graph_and_warms_up_once(shared, tmp_path,
                                                                                   monkeypatch):
    marks = tmp_path / "warm-ups"
    monkeypatch.setenv("VETKG_TEST_WARM_UPS", str(marks))
    pool = QueryPool(shared.path, size=2, deadline=1, queue_cap=2, jobs=Jobs(on_start=note_warm_up))
    try:
        forker = pool._forker._process.pid
        first = {process.pid for process, _ in pool.idle_workers()}
        assert len(first) == 2 and {parent_of(pid) for pid in first} == {forker}
        with pytest.raises(PoolError, match="did not finish"):
            pool.run(CARTESIAN)
        # The stopped worker's replacement is forked too, with nothing warmed up again.
        # Polled up to the suite's patience, so that a busy machine only makes it slower.
        until = time.monotonic() + PATIENCE
        while time.monotonic() < until:
            workers = {process.pid for process, _ in pool.idle_workers()}
            if len(workers) == 2 and workers != first:
                break
            time.sleep(0.05)
        assert len(workers - first) == 1 and {parent_of(pid) for pid in workers} == {forker}
        assert pool.run("ASK { ?s ?p ?o }").status == 200
        assert marks.read_text().splitlines() == [str(len(shared.open()))]
    finally:
        pool.close()


def test_a_blank_node_is_one_node_whichever_blocks_its_lines_are_loaded_in():
    # Oxigraph names the blank nodes of each bulk load afresh.
    blocks = [b'<http://a> <http://p> _:maker .\n<http://a> <http://q> "a" .\n',
              b'<http://b> <http://q> "b" .\n', b'_:maker <http://name> "vetkg contributors" .\n']
    store = load_blocks(blocks)
    assert len(store) == 4
    names = run_query(store, "SELECT ?name WHERE { <http://a> <http://p> ?b . ?b <http://name> ?name }")
    assert names.plain_rows() == [("vetkg contributors",)]
