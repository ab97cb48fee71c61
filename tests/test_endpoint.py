"""The catalogue through SPARQLWrapper on a real Oxigraph server on 127.0.0.1."""

import csv
import io

import pytest
from click.testing import CliRunner

from tests.conftest import PATIENCE
from vetkg.cli import main
from vetkg.query.catalogue import load_catalogue
from vetkg.query.remote import query_endpoint
from vetkg.query.results import QueryError
from vetkg.query.store import run_query

CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def endpoint(oxigraph_server, built_once):
    """The server loaded by `vetkg load` through the SPARQL 1.1 Graph Store Protocol."""
    command = ["load", "--replace", "--endpoint", f"{oxigraph_server}/store?default"]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0, result.output
    assert f"loaded {len(built_once)} triples" in result.output
    return f"{oxigraph_server}/query"


def test_the_store_holds_exactly_the_build(endpoint, graph):
    count = run_query(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").plain_rows()
    assert count == [(str(len(graph)),)]


def test_load_into_an_unreachable_store_is_an_error(built_once):
    result = CliRunner().invoke(main, ["load", "--endpoint", "http://127.0.0.1:9/store?default"])
    assert result.exit_code == 1 and "could not be reached" in result.output


def test_catalogue_was_collected():
    assert len(CATALOGUE) >= 15


@pytest.mark.parametrize("query", CATALOGUE, ids=lambda q: q.name)
def test_endpoint_answers_equal_the_embedded_store(query, endpoint, store):
    remote = query_endpoint(endpoint, query.text, timeout=PATIENCE)
    local = run_query(store, query.text)
    assert remote.variables == local.variables
    assert remote.plain_rows() == local.plain_rows()
    assert remote.rows
    through_cli = CliRunner().invoke(main, ["query", query.name, "--endpoint", endpoint, "--format", "csv"])
    assert through_cli.exit_code == 0, through_cli.output
    written = list(csv.reader(io.StringIO(through_cli.output)))
    assert written == [local.variables, *map(list, local.plain_rows())]


def test_cli_query_with_endpoint(endpoint):
    result = CliRunner().invoke(main, ["query", "law-revisions", "--endpoint", endpoint, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].startswith("中华人民共和国职业教育法,1996,")


def test_endpoint_errors_are_query_errors(endpoint):
    with pytest.raises(QueryError):
        run_query(endpoint, "SELECT ?x WHERE { ?x")
    with pytest.raises(QueryError, match="could not be reached|refused"):
        query_endpoint("http://127.0.0.1:9/query", "SELECT * WHERE { ?s ?p ?o }", timeout=5)
