"""The endpoint's structural guard: SERVICE and dataset clauses are found wherever they sit."""

import pytest

from vetkg.query.catalogue import load_catalogue
from vetkg.query.guard import QueryRefused, check_query, could_reach_outside
from vetkg.query.pool import answer_query

# Every place the grammar allows a service pattern or a dataset clause, and spellings that a
# lexical check misses: after the triple separator, escaped, in lower case, behind comments.
REFUSED = [
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "select * from named <http://example.org/g> where { ?s ?p ?o }",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o .SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p ?o . SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p ?o.SERVICE<http://127.0.0.1:9/>{?a ?b ?c} }",
    "SELECT * WHERE { SERVICE SILENT <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<http://x/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "SELECT * WHERE { SERV\\u0049CE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o #\n SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } }",
    "PREFIX ex: <http://x/>\nSELECT * WHERE { { SELECT * WHERE { Service ex:e { ?s ?p ?o } } } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://x/> { ?s ?q ?r } } }",
    "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <http://x/> { ?s ?p ?o } } }",
    "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <http://x/> { ?s ?p ?o } } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://x/> { ?s ?p ?o } } }",
    "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { SERVICE <http://x/> { ?s ?p ?o } } }",
    "SELECT * WHERE { GRAPH ?g { SERVICE <http://x/> { ?s ?p ?o } } }",
    "ASK { SERVICE <http://x/> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
    "ASK FROM <http://x/> { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } FROM NAMED <http://x/> WHERE { ?s ?p ?o }",
    "DESCRIBE <http://a/> FROM <http://x/>",
    "SELECT * # a comment\nFROM <http://x/> WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1 SERVICE",
    'SELECT * WHERE { ?s ?p """a\n# """ . SERVICE <http://x/> { ?a ?b ?c } }',
    "SELECT * WHERE { ?s ?p 1SERVICE <http://x/> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p ?o \\U00000053ERVICE <http://x/> { ?a ?b ?c } }",
    "SELECT * FROM <http://x/> WHERE { " + "{ " * 2000 + "}" * 2000 + " }",
]


@pytest.mark.parametrize("query", REFUSED, ids=range(len(REFUSED)))
def test_refused(query):
    with pytest.raises(QueryRefused):
        check_query(query)


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s ?p "SERVICE <http://x/> FROM" }',
    "SELECT * WHERE { ?s ?p '''FROM\nSERVICE''' }",
    "PREFIX service: <http://x/> PREFIX ex: <http://y/> SELECT ?from WHERE { ?from ex:from service:x }",
    "SELECT * WHERE { ?s <http://x/SERVICE> ?o } # FROM <http://x/>",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
    'SELECT * WHERE { ?s ?p "' + "a" * 65_000 + '" }',
])
def test_allowed(query):
    check_query(query)


def test_every_catalogue_query_passes():
    queries = load_catalogue()
    assert queries
    for query in queries:
        check_query(query.text)


def test_most_catalogue_queries_need_no_parse():
    """Comments, variables and prefixed names that say "from" or "service" are not keywords."""
    queries = load_catalogue()
    unparsed = [query.name for query in queries if not could_reach_outside(query.text)]
    assert len(unparsed) > 0.9 * len(queries)


@pytest.mark.parametrize("query", [
    "LOAD <http://x/>",
    "INSERT DATA { <http://a/> <http://b/> <http://c/> }",
    "CLEAR DEFAULT",
])
def test_an_update_never_reaches_the_engine_as_one(store, query):
    answer = answer_query(store, query, "json", "turtle")
    assert answer.status == 400 and b"does not parse" in answer.body
