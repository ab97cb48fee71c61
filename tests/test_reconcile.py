"""The reconciliation service over real HTTP, driven by a client that follows the W3C
Reconciliation Service API 0.2 as OpenRefine does, with real names and their variants."""

import csv
import json
import urllib.parse

import pytest

from tests.conftest import FIXTURES, running_endpoint
from tests.test_serve import LIMITS, http

NAMES = list(csv.DictReader((FIXTURES / "reconciliation-names.csv").open(encoding="utf-8")))


@pytest.fixture(scope="module")
def base(graph):
    with running_endpoint(graph, LIMITS) as address:
        yield address


def get_json(url):
    status, headers, body = http(url)
    assert status == 200 and headers["Content-Type"].startswith("application/json"), (url, body)
    return json.loads(body)


def check_candidate(candidate):
    """A candidate has the members and types that the specification gives it."""
    assert isinstance(candidate["id"], str) and candidate["id"]
    assert isinstance(candidate["name"], str) and candidate["name"]
    assert isinstance(candidate["score"], (int, float)) and not isinstance(candidate["score"], bool)
    assert isinstance(candidate["match"], bool)
    assert isinstance(candidate.get("description", ""), str)
    for entity_type in candidate["type"]:
        assert isinstance(entity_type["id"], str) and isinstance(entity_type["name"], str)


class ReconciliationClient:
    """Reads the manifest, then sends queries as a form field ``queries`` in batches no larger
    than the manifest's batchSize, and checks every candidate it gets back."""

    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.manifest = get_json(endpoint)

    def reconcile(self, queries):
        size = self.manifest.get("batchSize", 10)
        results = []
        for start in range(0, len(queries), size):
            batch = {f"q{n}": query for n, query in enumerate(queries[start:start + size])}
            status, _, body = http(self.endpoint, urllib.parse.urlencode(
                {"queries": json.dumps(batch, ensure_ascii=False)}).encode("utf-8"),
                {"Content-Type": "application/x-www-form-urlencoded"})
            assert status == 200, body
            answer = json.loads(body)
            assert set(answer) == set(batch)
            for key in batch:
                for candidate in answer[key]["result"]:
                    check_candidate(candidate)
                results.append(answer[key]["result"])
        return results

    def url(self, template, identifier):
        return template.replace("{{id}}", urllib.parse.quote(identifier))


def query_of(row):
    query = {"query": row["name"], "limit": 5}
    if row["type"]:
        query["type"] = row["type"]
    properties = [{"pid": pid, "v": row[column]} for pid, column in
                  (("province", "province"), ("moeCode", "code")) if row[column]]
    if properties:
        query["properties"] = properties
    return query


def test_the_manifest_follows_the_specification(base):
    manifest = ReconciliationClient(f"{base}/reconcile").manifest
    assert "0.2" in manifest["versions"]
    assert manifest["identifierSpace"] == "https://w3id.org/vetkg/id/"
    assert manifest["schemaSpace"] == "https://w3id.org/vetkg/ontology#"
    assert "{{id}}" in manifest["view"]["url"] and "{{id}}" in manifest["preview"]["url"]
    assert isinstance(manifest["preview"]["width"], int) and isinstance(manifest["preview"]["height"], int)
    assert {"entity", "type", "property"} <= set(manifest["suggest"])
    names = {entity_type["id"]: entity_type["name"] for entity_type in manifest["defaultTypes"]}
    assert names["VocationalInstitution"] == "职业学校 · vocational institution"


def test_real_names_variants_and_near_misses(base):
    """Each name of the fixture gets the outcome it names: a match, the right first candidate
    without a match, an ambiguity, or nothing matched."""
    assert len(NAMES) > 20
    client = ReconciliationClient(f"{base}/reconcile")
    results = client.reconcile([query_of(row) for row in NAMES])
    outcomes = {}
    for row, candidates in zip(NAMES, results, strict=True):
        top = candidates[0] if candidates else None
        matched = [candidate for candidate in candidates if candidate["match"]]
        if row["outcome"] == "match":
            assert top and top["id"] == row["expected"] and top["match"], (row, candidates[:2])
            assert len(matched) == 1
        elif row["outcome"] == "top":
            assert top and top["id"] == row["expected"] and not matched, (row, candidates[:2])
        elif row["outcome"] == "ambiguous":
            assert not matched and [c["score"] for c in candidates[:2]] == [100.0, 100.0], row
        else:
            assert row["outcome"] == "none" and not matched, (row, candidates[:2])
        outcomes[row["outcome"]] = outcomes.get(row["outcome"], 0) + 1
    assert set(outcomes) == {"match", "top", "ambiguous", "none"}


def test_the_view_and_preview_addresses_of_a_candidate_resolve(base):
    client = ReconciliationClient(f"{base}/reconcile")
    (candidates,) = client.reconcile([{"query": "深圳职业技术学院"}])
    identifier = candidates[0]["id"]
    status, headers, body = http(client.url(client.manifest["preview"]["url"], identifier))
    assert status == 200 and "深圳职业技术大学" in body.decode("utf-8")
    assert "4144011113" in body.decode("utf-8")
    status, _, body = http(client.url(client.manifest["view"]["url"], identifier),
                           headers={"Accept": "text/html"})
    assert status == 200 and "Shenzhen Polytechnic University" in body.decode("utf-8")


def test_suggest_entities_types_and_properties(base):
    suggest = ReconciliationClient(f"{base}/reconcile").manifest["suggest"]

    def results(kind, prefix):
        service = suggest[kind]
        url = service["service_url"] + service["service_path"] + "?" + urllib.parse.urlencode(
            {"prefix": prefix})
        found = get_json(url)["result"]
        assert all(isinstance(item["id"], str) and isinstance(item["name"], str) for item in found)
        return [item["id"] for item in found]

    assert "moe-4144011113" in results("entity", "深圳职业技术")
    assert {"VocationalInstitution", "VocationalUniversity"} <= set(results("type", "职业"))
    assert results("property", "学校标识码") == ["moeCode"]
    # A school is not pushed down by the city its name begins with.
    first = results("entity", "深圳")
    assert first[0].startswith("moe-") and "CN-440300" in first


def test_data_extension_adds_an_institution_s_values_from_the_moe_list(base):
    manifest = ReconciliationClient(f"{base}/reconcile").manifest
    service = manifest["extend"]["propose_properties"]
    proposed = get_json(service["service_url"] + service["service_path"] + "?type=VocationalInstitution")
    offered = {item["id"] for item in proposed["properties"]}
    assert {"code", "nameZh", "nameEn", "class", "level", "sponsor", "city", "province", "ownership",
            "shuanggaoTier", "ror", "wikidata"} == offered
    asked = ("code", "province", "shuanggaoTier", "ror", "class")
    extension = {"ids": ["moe-4144011113", "CN-GD", "nothing-here"],
                 "properties": [{"id": name} for name in asked]}
    form = urllib.parse.urlencode({"extend": json.dumps(extension)}).encode()
    status, _, body = http(f"{base}/reconcile", form, {"Content-Type": "application/x-www-form-urlencoded"})
    answer = json.loads(body)
    assert status == 200 and [column["id"] for column in answer["meta"]] == list(asked)
    school = answer["rows"]["moe-4144011113"]
    assert school["code"] == [{"str": "4144011113"}]
    assert school["province"] == [{"id": "CN-GD", "name": "广东省"}]
    assert school["shuanggaoTier"] == [{"str": "A档"}] and school["ror"] == [{"str": "https://ror.org/00d2w9g53"}]
    assert answer["rows"]["CN-GD"]["class"] and answer["rows"]["CN-GD"]["code"] == []
    assert answer["rows"]["nothing-here"] == {name: [] for name in asked}
    bad = urllib.parse.urlencode({"extend": json.dumps({"ids": ["moe"], "properties": [{"id": "colour"}]})})
    status, _, body = http(f"{base}/reconcile?{bad}")
    assert status == 400 and "unknown properties" in json.loads(body)["error"]


def test_candidates_carry_the_parts_of_their_score_as_features(base):
    query = {"q0": {"query": "天津职业大学", "properties": [{"pid": "province", "v": "天津"}]},
             "q1": {"query": "天津职业大学", "properties": [{"pid": "province", "v": "广东"}]}}
    answer = get_json(f"{base}/reconcile?queries={urllib.parse.quote(json.dumps(query))}")
    agreeing, disagreeing = answer["q0"]["result"][0], answer["q1"]["result"][0]
    assert agreeing["features"] == [{"id": "name", "value": 98.0}, {"id": "province", "value": True}]
    assert 98.0 < agreeing["score"] < 100 and not agreeing["match"]
    assert {"id": "province", "value": False} in disagreeing["features"] and disagreeing["score"] < 98


@pytest.mark.parametrize("form,status,message", [
    ({"queries": "{not json"}, 400, "queries is not JSON"),
    ({"queries": json.dumps({f"q{n}": {"query": "x"} for n in range(51)})}, 400, "at most 50"),
    ({"queries": json.dumps({"q0": {"query": "x", "properties": [{"pid": "colour", "v": "red"}]}})},
     400, "unknown property 'colour'"),
    ({"queries": json.dumps({"q0": {"query": "x", "limit": "many"}})}, 400, "limit"),
    ({"queries": json.dumps({"q0": ["x"]})}, 400, "a query is an object"),
])
def test_a_request_that_breaks_the_specification_gets_400_saying_why(base, form, status, message):
    code, headers, body = http(f"{base}/reconcile", urllib.parse.urlencode(form).encode(),
                               {"Content-Type": "application/x-www-form-urlencoded"})
    assert code == status and message in json.loads(body)["error"]


def test_queries_are_accepted_over_get_and_jsonp_only_with_a_plain_callback(base):
    queries = urllib.parse.quote(json.dumps({"q0": {"query": "SZPU"}}))
    assert get_json(f"{base}/reconcile?queries={queries}")["q0"]["result"][0]["id"] == "moe-4144011113"
    status, headers, body = http(f"{base}/reconcile?callback=jsonp_1")
    assert status == 200 and body.startswith(b"jsonp_1({") and body.endswith(b"});")
    assert http(f"{base}/reconcile?callback=alert(1)//")[0] == 400
    status, _, _ = http(f"{base}/reconcile", b'{"q0": {}}', {"Content-Type": "application/json"})
    assert status == 415
