"""Finding entities by name: the index, the command and the pages of the endpoint."""

import json
import re
import urllib.parse

import pytest
from click.testing import CliRunner

from tests.conftest import running_endpoint
from tests.test_serve import LIMITS, http
from vetkg.cli import main
from vetkg.curation.search import NEAR_EQUAL, NameIndex, name_score, normalise
from vetkg.query.store import run_query
from vetkg.web import jobs as pages


@pytest.fixture(scope="module")
def index(store):
    return NameIndex(store)


@pytest.fixture(scope="module")
def base(graph):
    with running_endpoint(graph, LIMITS) as address:
        yield address


def test_the_index_is_built_once_and_kept(store):
    pages.name_index.cache_clear()
    found = pages.search_results(store, "深圳职业技术大学", 1, frozenset())
    assert found["results"][0]["id"] == "moe-4144011113"
    assert pages.name_index(store) is pages.name_index(store)
    assert pages.name_index.cache_info().misses == 1


def test_names_are_compared_without_case_width_spaces_or_punctuation():
    assert normalise("ＳＺＰＵ") == normalise("s z p u") == "szpu"
    assert normalise("《中华人民共和国职业教育法》") == "中华人民共和国职业教育法"
    assert normalise("高等职业学校教育（专科）") == normalise("高等职业学校教育(专科)")
    assert normalise("深圳職業技術大學") == normalise("深圳职业技术大学")


def test_a_name_is_found_by_every_part_and_without_a_division_s_kind(index, store):
    """深圳职业 finds each institution whose name holds 深圳 and 职业; 天津职业大学 is near 天津市职业大学."""
    names = run_query(store, "SELECT ?name WHERE { ?s <https://w3id.org/vetkg/ontology#moeCode> ?c ; "
                             "<http://www.w3.org/2004/02/skos/core#prefLabel> ?name }").plain_rows()
    holding = {name for (name,) in names if "深圳" in name and "职业" in name}
    assert len(holding) >= 3
    assert holding <= {match.entity.zh for match in index.search("深圳职业", 50)}
    near = index.search("天津职业大学", 1)[0]
    assert near.entity.zh == "天津市职业大学" and near.score == NEAR_EQUAL


def test_scores_order_equal_then_part_then_resemblance():
    equal = name_score("深圳职业技术大学", "深圳职业技术大学")
    part = name_score("深圳职业技术", "深圳职业技术大学")
    resembling = name_score("深圳职业技朮大学", "深圳职业技术大学")
    assert equal == 100.0 > part > resembling > 40.0
    assert name_score("哈佛大学", "深圳职业技术大学") < 40.0


@pytest.mark.parametrize("text,first,score", [
    ("中职", "secondary-vocational", 100.0),          # the report's 简称
    ("职教法", "vet-law", 100.0),                      # a short name two documents share
    ("深圳职业技术学院", "moe-4144011113", 100.0),     # the 2017 name from the register
    ("SZPU", "moe-4144011113", 100.0),                 # ROR's acronym
    ("4144011113", "moe-4144011113", 100.0),           # the 学校标识码
    ("Ministry of Education", "moe", 74.5),            # the start of the English label
    ("广西", "CN-GX", 100.0),                          # a division without its kind
])
def test_the_first_result_is_the_entity_of_that_name(index, text, first, score):
    results = index.search(text)
    assert results and results[0].entity.id == first and results[0].score == score


def test_results_are_ranked_deterministically_and_narrowed_by_type(index):
    results = index.search("职业技术学院", limit=50)
    assert len(results) == 50
    assert [m.score for m in results] == sorted((m.score for m in results), reverse=True)
    assert results == index.search("职业技术学院", limit=50)
    universities = index.search("职业技术", limit=20,
                                types=frozenset(["https://w3id.org/vetkg/ontology#VocationalUniversity"]))
    assert universities and all("VocationalUniversity" in " ".join(m.entity.direct) for m in universities)


def test_the_search_command_prints_the_ranked_table(built_once):
    done = CliRunner().invoke(main, ["search", "高职专科", "--limit", "3"])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert lines[0].split()[:3] == ["score", "id", "zh"]
    assert lines[2].split()[:3] == ["100.0", "higher-vocational-short-cycle", "高等职业学校教育(专科)"]
    assert lines[-1] == "(3 rows)"


def test_the_search_page_and_its_json(base):
    status, headers, body = http(f"{base}/search?q={urllib.parse.quote('中职')}",
                                 headers={"Accept": "text/html"})
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert 'href="id/secondary-vocational">中等职业学校教育</a>' in page
    status, headers, body = http(f"{base}/search?q=SZPU&format=json")
    found = json.loads(body)
    assert status == 200 and found[0]["id"] == "moe-4144011113" and found[0]["name"] == "SZPU"
    status, _, body = http(f"{base}/search?q={urllib.parse.quote('深圳')}", headers={"Accept": "text/html"})
    facets = re.findall(r'type=([A-Za-z%0-9:]+)&amp;limit=100">[^<]+</a> \((\d+)\)', body.decode("utf-8"))
    assert status == 200 and ("City", "1") in facets
    assert any(name == "HigherVocationalCollege" for name, _ in facets)


def test_an_unknown_address_gets_an_html_404_with_search_in_a_browser(base):
    status, headers, body = http(f"{base}/id/no-such-school", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    page = body.decode("utf-8")
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert 'action="../search"' in page and 'value="no-such-school"' in page
    status, headers, body = http(f"{base}/id/no-such-school")
    assert status == 404 and headers["Content-Type"].startswith("text/plain")
