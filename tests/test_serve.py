"""The endpoint over real HTTP on 127.0.0.1, with SPARQLWrapper as the client."""

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from tests.conftest import PATIENCE, running_endpoint
from vetkg.query.catalogue import load_catalogue
from vetkg.query.pool import Limits
from vetkg.query.remote import query_endpoint
from vetkg.query.results import read_results
from vetkg.query.store import run_query

# A deadline that no catalogue question nears, even on a busy machine: the tests of the
# deadline itself have a server of their own.
LIMITS = Limits(deadline=60.0, row_cap=50, max_request_bytes=16 * 1024, workers=2)
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def base(graph):
    with running_endpoint(graph, LIMITS) as address:
        yield address


@pytest.fixture(scope="module")
def short_deadline(graph):
    with running_endpoint(graph, Limits(deadline=2.0, workers=1)) as address:
        yield address


def client(base, query, return_format=JSON, method=None):
    sparql = SPARQLWrapper(f"{base}/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(return_format)
    if method:
        sparql.setMethod(method)
    return sparql.query()


def http(url, data=None, headers=None, method=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=PATIENCE) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_select_over_get_and_post_in_every_result_format(base):
    query = "SELECT ?law WHERE { ?law a <https://w3id.org/vetkg/ontology#Law> } ORDER BY ?law"
    for method in (None, POST):
        document = client(base, query, JSON, method).convert()
        assert [b["law"]["value"].rsplit("/", 1)[1] for b in document["results"]["bindings"]] == [
            "vet-law", "vet-law-2022-revision"]
    assert client(base, query, XML).convert().getElementsByTagName("result").length == 2
    assert client(base, query, CSV).convert().decode("utf-8").splitlines()[0] == "law"
    assert client(base, query, TSV).convert().decode("utf-8").splitlines()[0] == "?law"


def test_construct_and_describe_in_turtle_ntriples_and_jsonld(base, graph):
    moe = URIRef("https://w3id.org/vetkg/id/moe")
    expected = len(set(graph.triples((moe, None, None))))
    assert expected > 5
    construct = "CONSTRUCT WHERE { <https://w3id.org/vetkg/id/moe> ?p ?o }"
    turtle = client(base, construct, TURTLE).convert()
    assert len(Graph().parse(data=turtle, format="turtle")) == expected
    for media, rdf_format in (("application/n-triples", "nt"), ("application/ld+json", "json-ld")):
        status, headers, body = http(f"{base}/sparql?" + urllib.parse.urlencode({"query": construct}),
                                     headers={"Accept": media})
        assert status == 200 and headers["Content-Type"].startswith(media)
        assert len(Graph().parse(data=body, format=rdf_format)) == expected
    describe = http(f"{base}/sparql?" + urllib.parse.urlencode(
        {"query": "DESCRIBE <https://w3id.org/vetkg/id/moe>"}), headers={"Accept": "text/turtle"})
    assert describe[0] == 200 and b"Q1042167" in describe[2]


@pytest.mark.parametrize("query, message", [
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
    ("SELECT * FROM NAMED <http://example.org/g> WHERE { ?s ?p ?o }", "FROM"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("LOAD <http://example.org/data.ttl>", "does not parse"),
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "does not parse"),
    ("SELECT ?x WHERE { ?x", "does not parse"),
])
def test_refusals_are_400_with_a_reason(base, query, message):
    status, _, body = http(f"{base}/sparql", data=urllib.parse.urlencode({"query": query}).encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and message in body.decode("utf-8")
    # SPARQLWrapper sends LOAD and INSERT as updates, which the endpoint forbids (403).
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        client(base, query)


def test_update_operations_are_forbidden(base):
    for data, media in ((b"update=INSERT+DATA+%7B%7D", "application/x-www-form-urlencoded"),
                        (b"INSERT DATA {}", "application/sparql-update")):
        status, _, body = http(f"{base}/sparql", data=data, headers={"Content-Type": media})
        assert status == 403 and b"read-only" in body
    assert http(f"{base}/id/moe", data=b"x", method="PUT")[0] == 405


def test_each_route_answers_its_own_methods_and_nothing_else_is_found(base):
    status, headers, body = http(f"{base}/sparql", data=b"x", method="PUT")
    assert status == 405 and headers["Allow"] == "GET, POST" and b"use GET or POST" in body
    status, headers, body = http(f"{base}/search?q=x", data=b"x", method="DELETE")
    assert status == 405 and headers["Allow"] == "GET" and b"read-only" in body
    for path in ("/nothing", "/static/nothing.js", "/network/nothing", "/dumps/vetkg.nt", "/ids/moe"):
        assert http(f"{base}{path}")[0] == 404, path
    assert http(f"{base}/static/vetkg.css")[0] == 200


def test_a_cartesian_query_is_stopped_at_the_deadline_and_the_endpoint_recovers(short_deadline):
    status, _, body = http(f"{short_deadline}/sparql?" + urllib.parse.urlencode({"query": CARTESIAN}))
    assert status == 503 and b"did not finish within 2 s" in body
    document = json.loads(asked_until_answered(short_deadline, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert int(document["results"]["bindings"][0]["n"]["value"]) > 1000


def test_the_row_cap_is_signalled(base):
    query = "SELECT ?s WHERE { ?s a <http://purl.org/linked-data/cube#Observation> }"
    status, headers, body = http(f"{base}/sparql?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and headers["X-Vetkg-Truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == LIMITS.row_cap
    small = http(f"{base}/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
    assert small[1]["X-Vetkg-Truncated"] == "false" and json.loads(small[2])["boolean"] is True


def test_request_size_cap(base):
    padding = "#" + "x" * LIMITS.max_request_bytes + "\nSELECT * WHERE { ?s ?p ?o } LIMIT 1"
    status, _, _ = http(f"{base}/sparql", data=padding.encode(),
                        headers={"Content-Type": "application/sparql-query"})
    assert status == 413
    assert http(f"{base}/sparql?" + urllib.parse.urlencode({"query": padding}))[0] == 414


def test_entity_iris_dereference_with_content_negotiation(base):
    status, headers, body = http(f"{base}/id/moe", headers={"Accept": "text/html"})
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "教育部" in page and "教育部负责职业教育工作的统筹规划" in page and "Q1042167" in page
    status, headers, body = http(f"{base}/id/moe", headers={"Accept": "text/turtle"})
    described = Graph().parse(data=body, format="turtle")
    assert status == 200 and len(described) > 9
    status, headers, body = http(f"{base}/id/moe", headers={"Accept": "application/ld+json"})
    assert status == 200 and len(Graph().parse(data=body, format="json-ld")) == len(described)
    observations = http(f"{base}/id/worldskills-47")[2].decode("utf-8")
    assert "金牌数" in observations and "36" in observations
    assert http(f"{base}/id/no-such-entity")[0] == 404
    assert http(f"{base}/id/moe", headers={"Accept": "image/png"})[0] == 406


def test_hostile_text_on_pages_is_escaped(base):
    assert "<script>" not in http(f"{base}/id/ev-fig-1-1")[2].decode("utf-8").split("<body>")[1]


def test_void_description_network_pages_and_query_page(base):
    status, _, body = http(f"{base}/.well-known/void", headers={"Accept": "text/turtle"})
    void = Graph().parse(data=body, format="turtle")
    assert status == 200
    text = body.decode("utf-8")
    assert "void:sparqlEndpoint" in text and "Data from GeoNames.org" not in text
    assert any("sparql" in str(o) for o in void.objects())
    assert "void:triples" in text and "creativecommons.org/licenses/by/4.0" in text
    for view in ("governance", "cooperation"):
        status, _, page = http(f"{base}/network/{view}")
        assert status == 200 and b"vis.Network" in page
    status, _, page = http(f"{base}/sparql")
    assert status == 200 and b"co-building-province-plans" in page
    assert "共建省域现代职业教育体系建设新模式".encode() in page


def test_catalogue_answers_over_http_equal_the_embedded_store(base, store):
    for query in load_catalogue():
        remote = query_endpoint(f"{base}/sparql", query.text, timeout=PATIENCE)
        # This server's row cap is small, to test it; longer answers arrive cut at the cap.
        local = run_query(store, query.text).plain_rows()[:LIMITS.row_cap]
        assert remote.plain_rows() == local, query.name


def asked_until_answered(base, text, attempts=8):
    """The answer as a client that honours Retry-After gets it: after a 503 that says when to
    come back, it waits that long and asks again, a bounded number of times."""
    form = urllib.parse.urlencode({"query": text}).encode()
    for _ in range(attempts):
        status, headers, body = http(f"{base}/sparql", data=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
        if status != 503 or "Retry-After" not in headers:
            assert status == 200, body
            return body
        time.sleep(int(headers["Retry-After"]))
    raise AssertionError(f"still busy after {attempts} attempts: {text[:80]}")


def test_sixteen_concurrent_clients_for_a_bounded_run_get_every_answer_right(base, store):
    """Sixteen clients, each asking six questions of the catalogue at once; each answer is the
    embedded store's, cut at the row cap. A client told to come back later (503 with
    Retry-After, when the queue is full) does so."""
    queries = load_catalogue()
    assert len(queries) >= 16
    expected = {query.name: run_query(store, query.text).plain_rows()[:LIMITS.row_cap] for query in queries}

    def one_client(number):
        asked = [queries[(number * 6 + step) % len(queries)] for step in range(6)]
        for query in asked:
            answer = read_results(asked_until_answered(base, query.text))
            assert answer.plain_rows() == expected[query.name], query.name
        return len(asked)

    with ThreadPoolExecutor(max_workers=16) as pool:
        counts = list(pool.map(one_client, range(16)))
    assert counts == [6] * 16


def test_dataset_parameters_of_the_protocol_are_refused(base):
    for name in ("default-graph-uri", "named-graph-uri"):
        query = urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", name: "file:///etc"})
        status, _, body = http(f"{base}/sparql?{query}")
        assert status == 400 and b"not allowed" in body


def test_neighbourhood_pages_and_charts_are_served(base):
    query = urllib.parse.urlencode({"focus": "广西", "hops": 2})
    status, _, page = http(f"{base}/network/neighbourhood?{query}")
    assert status == 200 and b"vis.Network" in page and b"CN-GX" in page
    assert http(f"{base}/network/neighbourhood?focus=nothing-by-this-name")[0] == 400
    for entity in ("graduates", "fig-1-4", "vocational-education"):
        status, _, page = http(f"{base}/id/{entity}")
        assert status == 200 and b"<svg" in page and b"polyline" in page, entity


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_a_permalink_opens_the_query_page_in_a_browser_and_answers_any_other_client(base):
    query = urllib.parse.urlencode(
        {"query": "SELECT ?law WHERE { ?law a <https://w3id.org/vetkg/ontology#Law> }"})
    status, headers, page = http(f"{base}/sparql?{query}", headers={"Accept": BROWSER_ACCEPT})
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"static/yasgui.min.js" in page and b"static/query-page.js" in page
    for accept in ("application/sparql-results+json", "*/*", "application/xml"):
        status, headers, body = http(f"{base}/sparql?{query}", headers={"Accept": accept})
        assert status == 200 and not headers["Content-Type"].startswith("text/html"), accept
    status, headers, _ = http(f"{base}/sparql?{query}&format=json", headers={"Accept": BROWSER_ACCEPT})
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    for name in ("yasgui.min.js", "yasgui.min.css", "query-page.js"):
        status, _, body = http(f"{base}/static/{name}")
        assert status == 200 and len(body) > 1000, name


def test_a_view_s_files_for_other_tools_are_served_beside_its_page(base):
    status, headers, body = http(f"{base}/network/governance.gexf")
    assert status == 200 and headers["Content-Type"] == "application/gexf+xml"
    assert 'attachment; filename="governance.gexf"' == headers["Content-Disposition"]
    assert b"<gexf" in body and body.count(b"<node ") > 100
    status, headers, body = http(f"{base}/network/governance-kumu-elements.csv")
    assert status == 200 and body.decode("utf-8").splitlines()[0].startswith("Label")
    assert http(f"{base}/network/nowhere.gexf")[0] == 404
    assert http(f"{base}/network/governance.exe")[0] == 404


def test_a_neighbourhood_over_the_node_budget_is_422_with_the_hops_that_fit(base):
    address = f"{base}/network/neighbourhood?focus=moe&hops=3"
    status, headers, body = http(address)
    message = body.decode("utf-8")
    assert status == 422 and headers["Content-Type"].startswith("text/plain")
    assert "more than the 2,000 that one page draws" in message and "ask for hops=2" in message
    status, headers, body = http(address, headers={"Accept": "text/html"})
    page = body.decode("utf-8")
    assert status == 422 and headers["Content-Type"].startswith("text/html")
    assert 'href="../network/neighbourhood?focus=moe&amp;hops=2"' in page
    assert "hops=3" not in page.split("<h1>")[1]
