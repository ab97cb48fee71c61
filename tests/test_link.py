"""Reconciliation against a real SPARQL server on 127.0.0.1, and the client's manners."""

import csv
import json
import shutil
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import OWL

from vetkg.build import build_graph
from vetkg.cli import main
from vetkg.link import (
    LinkError,
    PoliteClient,
    fill_values,
    find_candidates,
    merge_candidates,
    read_candidates,
    retry_delay,
)
from vetkg.tables import DataError, load_tables

FIXTURE = Path(__file__).parent / "fixtures" / "wikidata-fixture.ttl"


@pytest.fixture(scope="module")
def wikidata(oxigraph_server):
    """The shared test server, given a Wikidata-shaped graph in a named graph of its own."""
    graph = "http://example.org/wikidata-fixture"
    request = urllib.request.Request(
        f"{oxigraph_server}/store?graph={graph}", data=FIXTURE.read_bytes(), method="PUT",
        headers={"Content-Type": "text/turtle"})
    urllib.request.urlopen(request, timeout=30).read()
    # Queries name no graph, so they are sent to a view of that graph alone.
    return f"{oxigraph_server}/query?default-graph-uri={graph}"


def test_fill_values_escapes_labels():
    query = "SELECT ?label WHERE { VALUES ?label { } ?x ?p ?label }"
    filled = fill_values(query, "label", [Literal('a "quoted" } label', lang="zh"), Literal("b", lang="en")])
    assert 'VALUES ?label { "a \\"quoted\\" } label"@zh "b"@en }' in filled
    with pytest.raises(ValueError):
        fill_values("SELECT * WHERE { ?s ?p ?o }", "label", [])


def test_candidates_from_a_wikidata_shaped_server(graph, wikidata):
    found = find_candidates(graph, PoliteClient(wikidata, timeout=10), batch_size=7)
    assert found
    by_entity = {(c.entity, c.identifier): c for c in found}
    assert by_entity[("mohrss", "Q90000001")].score == "1.0"
    assert by_entity[("acftu", "Q90000002")].score == "0.5"
    assert by_entity[("jing-jin-ji", "Q90000003")].status == "proposed"
    assert not any(c.entity == "moe" for c in found), "linked entities are not searched"
    assert not any(c.entity == "cvea" for c in found), "only Wikidata items are candidates"


def test_cli_writes_candidates_and_keeps_decisions(wikidata, tmp_path):
    out = tmp_path / "link_candidates.csv"
    shutil.copy(Path("data/link_candidates.csv"), out)
    result = CliRunner().invoke(main, ["link", "--endpoint", wikidata, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {row["status"] for row in rows} == {"proposed"} and len(rows) == 3
    rows[0]["status"] = "accepted"
    with out.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert CliRunner().invoke(main, ["link", "--endpoint", wikidata, "--out", str(out)]).exit_code == 0
    statuses = {(c.entity, c.status) for c in read_candidates(out)}
    assert (rows[0]["entity"], "accepted") in statuses and len(statuses) == 3


def test_only_accepted_candidates_become_links(data_copy):
    header = "entity,target,identifier,label_zh,label_en,score,status,retrieved\n"
    (data_copy / "link_candidates.csv").write_text(
        header + "acftu,wikidata,Q90000002,中华全国总工会,,0.5,rejected,2026-11-29\n"
        "mohrss,wikidata,Q90000001,人力资源和社会保障部,,1.0,accepted,2026-11-29\n", encoding="utf-8")
    graph = build_graph(data_copy)
    vkg = "https://w3id.org/vetkg/id/"
    assert (URIRef(vkg + "mohrss"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q90000001")) in graph
    assert not list(graph.objects(URIRef(vkg + "acftu"), OWL.sameAs))


def test_malformed_identifiers_are_data_errors(data_copy):
    path = data_copy / "links.csv"
    path.write_text(path.read_text("utf-8").replace(",wikidata,Q148", ",wikidata,148"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_tables(data_copy)
    assert any("identifier: '148' is not a wikidata identifier" in p for p in caught.value.problems)


def test_merge_keeps_a_persons_decision():
    from vetkg.link import Candidate
    accepted = Candidate("mohrss", "Q1", "", "", "1.0", "accepted", "2026-01-01")
    rejected = Candidate("acftu", "Q2", "", "", "0.5", "rejected", "2026-01-01")
    fresh = [Candidate("mohrss", "Q1", "", "", "1.0", "proposed", "2026-11-29"),
             Candidate("acftu", "Q3", "", "", "0.5", "proposed", "2026-11-29")]
    merged = {(c.entity, c.identifier): c.status for c in merge_candidates([accepted, rejected], fresh)}
    assert merged == {("mohrss", "Q1"): "accepted", ("acftu", "Q2"): "rejected", ("acftu", "Q3"): "proposed"}


class Flaky(BaseHTTPRequestHandler):
    """Answers each request with the next scripted status; records what clients sent."""

    script: list = []
    seen: list = []

    def do_POST(self):  # noqa: N802 - the name http.server dispatches to
        length = int(self.headers.get("Content-Length", 0))
        self.seen.append({"agent": self.headers.get("User-Agent"), "body": self.rfile.read(length)})
        status, retry_after = self.script.pop(0) if self.script else (200, None)
        body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": []}}).encode()
        self.send_response(status)
        if retry_after:
            self.send_header("Retry-After", retry_after)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def flaky():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Flaky.seen.clear()
    yield f"http://127.0.0.1:{server.server_port}/sparql"
    server.shutdown()


def test_retries_honour_retry_after_and_identify_the_client(flaky):
    Flaky.script[:] = [(429, "3"), (503, "1")]
    waits = []
    table = PoliteClient(flaky, timeout=5, attempts=4, sleep=waits.append).select("SELECT ?x WHERE {}")
    assert table.variables == ["x"]
    assert waits == [3.0, 1.0]
    assert len(Flaky.seen) == 3 and all("vetkg" in request["agent"] for request in Flaky.seen)


def test_retries_are_bounded(flaky):
    Flaky.script[:] = [(503, None)] * 10
    waits = []
    with pytest.raises(LinkError, match="attempt 3 of 3"):
        PoliteClient(flaky, timeout=5, attempts=3, sleep=waits.append).select("SELECT ?x WHERE {}")
    assert len(Flaky.seen) == 3 and waits == [2.0, 4.0]


def test_other_errors_are_not_retried(flaky):
    Flaky.script[:] = [(400, None)]
    with pytest.raises(LinkError):
        PoliteClient(flaky, timeout=5, attempts=3, sleep=lambda _: None).select("SELECT ?x WHERE {}")
    assert len(Flaky.seen) == 1


def test_retry_delay_reads_seconds_and_dates():
    assert retry_delay("7", 1) == 7.0
    assert retry_delay(None, 3) == 8.0
    assert retry_delay("Wed, 21 Oct 2015 07:28:00 GMT", 1) == 0.0
