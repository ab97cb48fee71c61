"""The endpoint's lexical guard: SERVICE and dataset clauses are found, and only they."""

import pytest

from vetkg.catalogue import load_catalogue
from vetkg.guard import QueryRefused, check_query


@pytest.mark.parametrize("query", [
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "select * from named <http://example.org/g> where { ?s ?p ?o }",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://x/> { ?s ?p ?o } }",
    "PREFIX ex: <http://x/>\nSELECT * WHERE { { SELECT * WHERE { Service ex:e { ?s ?p ?o } } } }",
    "SELECT * # a comment\nFROM <http://x/> WHERE { ?s ?p ?o }",
])
def test_refused(query):
    with pytest.raises(QueryRefused):
        check_query(query)


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s ?p "SERVICE <http://x/> FROM" }',
    "SELECT * WHERE { ?s ?p '''FROM\nSERVICE''' }",
    "PREFIX service: <http://x/> PREFIX ex: <http://y/> SELECT ?from WHERE { ?from ex:from service:x }",
    "SELECT * WHERE { ?s <http://x/SERVICE> ?o } # FROM <http://x/>",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
])
def test_allowed(query):
    check_query(query)


def test_every_catalogue_query_passes():
    queries = load_catalogue()
    assert queries
    for query in queries:
        check_query(query.text)
