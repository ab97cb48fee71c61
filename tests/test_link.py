"""Reconciliation against a real SPARQL server on 127.0.0.1, and the client's manners."""

import csv
import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import OWL

from vetkg.build.graph import build_graph
from vetkg.build.tables import DataError, load_tables
from vetkg.cli import main
from vetkg.curation.candidates import (
    Candidate,
    CandidateError,
    accept_candidates,
    merge_candidates,
    read_candidates,
)
from vetkg.curation.ror import ror_candidates
from vetkg.curation.wikidata import LinkError, PoliteClient, find_candidates, retry_delay
from vetkg.query.catalogue import fill_values

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


def test_candidates_from_a_wikidata_shaped_server(wikidata, store):
    found = find_candidates(store, PoliteClient(wikidata, timeout=10), batch_size=400)
    assert found
    by_entity = {(c.entity, c.identifier): c for c in found}
    assert by_entity[("mohrss", "Q90000001")].score == "1.0"
    assert by_entity[("acftu", "Q90000002")].score == "0.5"
    assert by_entity[("jing-jin-ji", "Q90000003")].status == "proposed"
    assert {c.target for c in found} == {"wikidata"}
    assert not any(c.entity == "moe" for c in found), "linked entities are not searched"
    assert not any(c.entity == "cvea" for c in found), "only Wikidata items are candidates"


def test_cli_writes_candidates_and_keeps_decisions(wikidata, tmp_path, built_once):
    out = tmp_path / "link-candidates.csv"
    command = ["link", "wikidata", "--endpoint", wikidata, "--review", str(out), "--batch-size", "400"]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {row["status"] for row in rows} == {"proposed"} and len(rows) == 3
    rows[0]["status"] = "accepted"
    with out.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert CliRunner().invoke(main, command).exit_code == 0
    statuses = {(c.entity, c.status) for c in read_candidates(out)}
    assert (rows[0]["entity"], "accepted") in statuses and len(statuses) == 3


def _candidates(path, *rows):
    header = "entity,target,identifier,label_zh,label_en,score,status,retrieved,name\n"
    path.write_text(header + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def test_accept_moves_only_accepted_rows_into_the_links_table(data_copy, tmp_path):
    review = _candidates(
        tmp_path / "review.csv",
        "acftu,wikidata,Q90000002,中华全国总工会,,0.5,rejected,2026-11-29,",
        "mohrss,wikidata,Q90000001,人力资源和社会保障部,,1.0,accepted,2026-11-29,",
        "mva,wikidata,Q90000004,退役军人事务部,,1.0,ambiguous,2026-11-29,")
    assert accept_candidates(review, data_copy / "links.csv") == 1
    graph = build_graph(data_copy)
    vkg = "https://w3id.org/vetkg/id/"
    assert (URIRef(vkg + "mohrss"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q90000001")) in graph
    assert not list(graph.objects(URIRef(vkg + "acftu"), OWL.sameAs))
    assert not list(graph.objects(URIRef(vkg + "mva"), OWL.sameAs)), "an ambiguous row waits for a person"
    assert {c.entity for c in read_candidates(review)} == {"acftu", "mva"}
    load_tables(data_copy)


def refused_acceptance(data_copy, review, *rows) -> list[str]:
    """The problems for which accepting these review rows is refused; the links table stays as it was."""
    links = data_copy / "links.csv"
    before = links.read_bytes()
    with pytest.raises(CandidateError) as caught:
        accept_candidates(_candidates(review, *rows), links)
    assert links.read_bytes() == before
    return caught.value.problems


def test_accept_refuses_a_second_identifier_and_a_shared_one(data_copy, tmp_path):
    problems = "\n".join(refused_acceptance(
        data_copy, tmp_path / "review.csv",
        "moe,wikidata,Q90000005,教育部,,1.0,accepted,2026-11-29,",
        "mohrss,wikidata,Q1042167,人力资源和社会保障部,,1.0,accepted,2026-11-29,",
        "mva,wikidata,90000004,退役军人事务部,,1.0,accepted,2026-11-29,"))
    assert "moe already has the wikidata identifier Q1042167" in problems
    assert "wikidata Q1042167 already belongs to moe" in problems
    assert "'90000004' is not a wikidata identifier" in problems


def test_a_review_status_that_is_not_a_status_is_refused_at_its_line(data_copy, tmp_path):
    review = tmp_path / "review.csv"
    assert refused_acceptance(
        data_copy, review,
        "mohrss,wikidata,Q90000001,人力资源和社会保障部,,1.0,acepted,2026-11-29,",
        "mva,wikidata,Q90000004,退役军人事务部,,1.0,accepted,2026-11-29") == [
        f"{review}:2: status: 'acepted' is not one of proposed, ambiguous, accepted, rejected",
        f"{review}:3: row: does not have the header's 9 cells"]


def test_ror_candidates_match_exact_names_and_aliases_and_hold_back_ambiguity(store):
    def record(ror, zh, en, wikidata="", status="active"):
        return {"ror": f"https://ror.org/{ror}", "name_zh": zh, "name_en": en, "wikidata": wikidata,
                "status": status, "ror_release": "v1.0", "names": [n.strip() for n in zh.split(";")]}
    records = [
        record("0aaaaaa11", "测试旧名; 深圳职业技术大学", "A Polytechnic", "Q1"),
        record("0bbbbbb22", "广东轻工职业技术大学", "First", "Q2; Q3"),
        record("0cccccc33", "广东轻工职业技术大学", "Second"),
        record("0dddddd44", "青岛大学", "Withdrawn", status="withdrawn"),
        record("0eeeeee55", "青岛大学x", "Nothing"),
    ]
    live = [r for r in records if r["status"] == "active"]
    found = {(c.entity, c.target, c.identifier): c for c in ror_candidates(store, live)}
    assert found, "the register's schools are matched"
    szpu = "moe-4144011113"
    assert (szpu, "ror", "0aaaaaa11") not in found, "a school linked to ROR is not searched again"
    light = [key for key in found if key[0] != szpu]
    assert {c.status for key, c in found.items() if key in light} == {"ambiguous"}
    assert {key[2] for key in light if key[1] == "ror"} == {"0bbbbbb22", "0cccccc33"}
    assert not any(key[2] == "0dddddd44" for key in found)


def test_merge_keeps_a_persons_decision():
    accepted = Candidate("mohrss", "wikidata", "Q1", "", "", "1.0", "accepted", "2026-01-01")
    rejected = Candidate("acftu", "wikidata", "Q2", "", "", "0.5", "rejected", "2026-01-01")
    fresh = [Candidate("mohrss", "wikidata", "Q1", "", "", "1.0", "proposed", "2026-11-29"),
             Candidate("acftu", "wikidata", "Q3", "", "", "0.5", "proposed", "2026-11-29")]
    merged = {(c.entity, c.identifier): c.status for c in merge_candidates([accepted, rejected], fresh)}
    assert merged == {("mohrss", "Q1"): "accepted", ("acftu", "Q2"): "rejected", ("acftu", "Q3"): "proposed"}


def test_malformed_identifiers_are_data_errors(data_copy):
    path = data_copy / "links.csv"
    path.write_text(path.read_text("utf-8").replace(",wikidata,Q148", ",wikidata,148"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_tables(data_copy)
    assert any("identifier: '148' is not a wikidata identifier" in p for p in caught.value.problems)


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
