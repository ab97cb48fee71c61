"""The pages for people who do not write SPARQL, over real HTTP: ontology, dataset, dumps, map."""

import csv
import hashlib
import io
import json
import random
import re
import urllib.parse

import pytest
from rdflib import Graph, Literal, URIRef, namespace

from tests.conftest import running_endpoint
from tests.test_links import reference
from tests.test_serve import LIMITS, http
from vetkg.build.void import DATASET, SPDX
from vetkg.build.writing import write_output_set
from vetkg.namespaces import VET, VKG
from vetkg.query.store import run_query
from vetkg.views.province_map import boundary_ids, map_figures
from vetkg.web.jobs import RELATION_PAGE

PUBLIC = "https://vetkg.example.org"


@pytest.fixture(scope="module")
def site_dir(graph, tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    write_output_set(folder, {folder / "vetkg.nt": graph.serialize(format="nt")})
    return folder


@pytest.fixture(scope="module")
def base(graph, site_dir):
    with running_endpoint(graph, LIMITS, site_dir=site_dir, base_url=PUBLIC) as address:
        yield address


def test_the_ontology_is_documented_for_browsers_and_served_as_rdf(base):
    status, headers, body = http(f"{base}/ontology", headers={"Accept": "text/html"})
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    for term in ("HigherVocationalCollege", "Alliance", "indicator"):
        assert f'id="{term}"' in page, term
    assert "高等职业学校" in page and "Concept schemes" in page
    # The server's page carries the site's header and its search box, once.
    assert page.count('<form action="search" role="search">') == 1
    assert 'href="static/vetkg.css"' in page and '<a href="map">' in page
    status, headers, body = http(f"{base}/ontology", headers={"Accept": "text/turtle"})
    ontology = Graph().parse(data=body, format="turtle")
    assert status == 200 and (VET.HigherVocationalCollege, None, None) in ontology
    assert http(f"{base}/ontology", headers={"Accept": "image/png"})[0] == 406


def test_the_dataset_description_states_the_public_address_and_the_dumps_checksums(base, site_dir):
    status, _, body = http(f"{base}/.well-known/void", headers={"Accept": "text/turtle"})
    description = Graph().parse(data=body, format="turtle")
    dump = URIRef(f"{PUBLIC}/dumps/vetkg.nt")
    assert status == 200 and (DATASET, namespace.DCAT.distribution, dump) in description
    written = (site_dir / "vetkg.nt").read_bytes()
    checksum = description.value(dump, SPDX.checksum)
    assert description.value(checksum, SPDX.checksumValue) == Literal(
        hashlib.sha256(written).hexdigest(), datatype=namespace.XSD.hexBinary)
    assert description.value(dump, namespace.DCAT.byteSize).toPython() == len(written)
    assert (dump, namespace.RDF.type, namespace.DCAT.Distribution) in description
    assert not any(str(term).startswith("http://127.0.0.1") for term in description.all_nodes())

    status, headers, page = http(f"{base}/.well-known/void", headers={"Accept": "text/html"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "中国职业教育知识图谱".encode() in page and hashlib.sha256(written).hexdigest().encode() in page
    status, _, page = http(f"{base}/dataset")
    assert status == 200 and f"{PUBLIC}/dumps/vetkg.nt".encode() in page


def test_a_dump_downloads_as_written(base, site_dir):
    status, headers, body = http(f"{base}/dumps/vetkg.nt")
    assert status == 200 and headers["Content-Type"] == "application/n-triples"
    assert body == (site_dir / "vetkg.nt").read_bytes()
    assert http(f"{base}/dumps/vetkg.ttl")[0] == 404
    assert http(f"{base}/dumps/..%2FSHA256SUMS")[0] == 404


def test_every_division_of_the_reference_table_is_drawn_and_the_south_china_sea_islands_inset():
    from vetkg.views.province_map import boundary_svg

    provinces = reference("cn_provinces_34.csv", "iso_3166_2")
    assert set(boundary_ids()) == set(provinces) and len(provinces) == 34
    svg = boundary_svg()
    drawn = dict(re.findall(r'<path id="(CN-[A-Z]{2})" aria-label="([^"]+)"', svg))
    assert drawn.keys() == provinces.keys()
    # The boundary file names each division by its short name: 广西 for 广西壮族自治区.
    assert all(provinces[code]["name_zh"].startswith(name) for code, name in drawn.items())
    inset = svg.split('<g class="inset" aria-label="南海诸岛">', 1)[1]
    assert inset.count("<polygon ") == 12


def test_every_map_figure_has_values_for_drawn_provinces(store):
    figures = map_figures(store)
    assert len(figures) >= 5
    for figure in figures:
        assert figure["values"], figure["name"]
        assert set(figure["values"]) <= set(boundary_ids()), figure["name"]
        assert figure["unitZh"] and figure["unitEn"], figure["name"]


def test_the_map_page_carries_the_boundaries_and_the_figures(base):
    status, _, body = http(f"{base}/map")
    page = body.decode("utf-8")
    assert status == 200 and page.count("<path") == 34 and 'id="CN-TW"' in page
    assert "Apache ECharts 4.9.0" in page and "广东省" in page
    assert re.search(r'"entityBase":\s*"id/"', page)


def test_the_catalogue_page_lists_every_major_under_its_class_and_category(base):
    status, _, body = http(f"{base}/catalogue")
    page = body.decode("utf-8")
    majors = re.findall(r'<li><span class="code">(\d{6})(K?)</span> <a href="id/major-2021-(\d{6})">', page)
    assert status == 200 and len(majors) == 1349
    assert all(code == linked for code, _, linked in majors)
    assert sum(mark == "K" for _, mark, _ in majors) == 47
    # Three levels, each with its 19 categories; a class names its namesakes at the other levels.
    assert page.count("<h2>") == page.count(">19 专业大类") == 3
    assert re.search(r'6101</span> <a href="id/major-class-2021-6101">农业类</a>.*?'
                     r'id/major-class-2021-4101">4101</a>.*?id/major-class-2021-2101">2101</a>', page, re.S)


def test_a_major_and_a_class_show_what_points_to_them_whatever_its_labels(base):
    """A 双高 major group, a major and a class have zh labels only; their links are not dropped."""
    status, _, body = http(f"{base}/id/major-2021-460103")
    page = body.decode("utf-8")
    assert status == 200 and "数控技术" in page
    assert re.search(r'核心专业</a> <span class="muted">core major</span> <span class="muted">\(\d+\)', page)
    status, _, body = http(f"{base}/id/major-class-2021-4601")
    page = body.decode("utf-8")
    listed = re.search(r'上位概念</a> <span class="muted">[^<]*</span> <span class="muted">\((\d+)\)', page)
    assert status == 200 and listed and int(listed.group(1)) > 0
    assert 'href="major-2021-460103"' in page and 'href="major-class-2021-6601"' in page


GROUP = re.compile(r'<h3 id="([^"]+)">.*?\((\d+)\)</span></h3>\n<ul class="relation">(.*?)</ul>', re.S)
COUNTS = {
    "in": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p <{iri}> } GROUP BY ?p",
    "out": "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX prov: <http://www.w3.org/ns/prov#> "
           "SELECT ?p (COUNT(*) AS ?n) WHERE { <{iri}> ?p ?o "
           "FILTER(?p NOT IN (skos:prefLabel, prov:wasDerivedFrom)) } GROUP BY ?p",
}


def _groups(base, identifier, query=""):
    """Each relation group of an entity page: its key, the count it states and the rows it lists."""
    status, _, body = http(f"{base}/id/{identifier}{query}")
    assert status == 200, identifier
    return {urllib.parse.unquote(key).replace("-", " ", 1): (int(count), rows.count("<li>"))
            for key, count, rows in GROUP.findall(body.decode("utf-8"))}


def _page_of(key: str, page: int) -> str:
    return f"?relation={urllib.parse.quote(key)}&page={page}"


def test_an_entity_page_shows_as_many_links_per_relation_as_sparql_counts(base, store):
    """Random entities (with a fixed seed) and a province: every link, both ways, on its pages.

    The page's title shows the labels (skos:prefLabel) and its evidence section the sources
    (prov:wasDerivedFrom), so the outgoing count leaves those two out.
    """
    entities = sorted(row[0][len(str(VKG)):] for row in run_query(
        store, f'SELECT DISTINCT ?s WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{VKG}")) }}').plain_rows())
    assert len(entities) > 1000
    for identifier in [*random.Random(22).sample(entities, 12), "CN-GD"]:
        iri = str(VKG[identifier])
        expected = {f"{direction} {predicate}": int(count) for direction, query in COUNTS.items()
                    for predicate, count in run_query(store, query.replace("{iri}", iri)).plain_rows()}
        shown = _groups(base, identifier)
        assert {key: count for key, (count, _) in shown.items()} == expected, identifier
        for key, (count, listed) in shown.items():
            pages = -(-count // RELATION_PAGE)
            assert listed == min(count, RELATION_PAGE)
            if 1 < pages <= 5:
                rest = sum(_groups(base, identifier, _page_of(key, page))[key][1]
                           for page in range(2, pages + 1))
                assert listed + rest == count, (identifier, key)


def test_a_province_page_reaches_every_institution_in_it(base, store):
    query = ("PREFIX vet: <https://w3id.org/vetkg/ontology#> SELECT (COUNT(*) AS ?n) WHERE "
             "{ ?school vet:province <https://w3id.org/vetkg/id/CN-GD> }")
    schools = int(run_query(store, query).plain_rows()[0][0])
    key = "in https://w3id.org/vetkg/ontology#province"
    count, listed = _groups(base, "CN-GD")[key]
    assert schools > 100 and count == schools
    pages = -(-count // RELATION_PAGE)
    rest = [_groups(base, "CN-GD", _page_of(key, page))[key][1] for page in range(2, pages + 1)]
    assert listed + sum(rest) == schools


def test_an_institution_page_shows_its_shuanggao_unit_tier_and_major_groups(base):
    status, _, body = http(f"{base}/id/moe-4144011113")
    page = body.decode("utf-8")
    assert status == 200 and "双高计划 Double High Plan (2019)" in page
    assert re.search(r'href="shuanggao-2019-unit-009">高水平学校建设单位</a>.*?A档', page, re.S)
    assert 'href="shuanggao-2019-unit-009-group-2">电子信息工程技术(深圳职业技术学院)</a>' in page
    assert 'href="major-2021-510101">电子信息工程技术</a>' in page


def test_institutions_browse_by_facets_with_counts_and_downloads(base):
    status, _, body = http(f"{base}/institutions?province=CN-GD")
    page = body.decode("utf-8")
    assert status == 200 and re.search(r"院校 Institutions <span class=\"muted\">(\d+) of 2919", page)
    selected = int(re.search(r"(\d+) of 2919", page).group(1))
    assert selected > 100
    # Each facet's counts add up to the selection (a school of two sponsors counts under both).
    levels = re.search(r"<strong>办学层次</strong>.*?</ul>", page, re.S).group(0)
    assert sum(int(count) for count in re.findall(r'<span class="score">(\d+)</span>', levels)) == selected
    assert 'href="id/CN-GD"' in page and 'href="id/moe-4144011113">深圳职业技术大学</a>' in page
    status, headers, body = http(f"{base}/institutions?province=CN-GD&format=csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert status == 200 and len(rows) == selected and {row["provinceZh"] for row in rows} == {"广东省"}
    status, _, body = http(f"{base}/institutions?province=CN-GD&tier=A%E6%A1%A3&format=json")
    chosen = json.loads(body)
    assert status == 200 and chosen and all(row["shuanggaoTierZh"] == "A档" for row in chosen)
    assert "4144011113" in {row["code"] for row in chosen}
    status, _, body = http(f"{base}/institutions?province=nowhere&format=json")
    assert status == 200 and json.loads(body) == []
    status, _, body = http(f"{base}/institutions?sort=name&page=30")
    assert status == 200 and "page 30 of 30" in body.decode("utf-8")


def test_every_entity_can_be_browsed_by_class_whatever_its_labels(base, store):
    status, _, body = http(f"{base}/browse?class=Major&format=json")
    majors = json.loads(body)
    assert status == 200 and len(majors) == 1349 and not any(row["labelEn"] for row in majors)
    status, _, body = http(f"{base}/browse?class=Regulation")
    page = body.decode("utf-8")
    regulations = int(run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s a "
                                       "<https://w3id.org/vetkg/ontology#Regulation> }").plain_rows()[0][0])
    assert status == 200 and f"{regulations} of " in page and regulations > 0
    assert page.count('<tr><td><a href="id/') == regulations


def test_a_link_shows_the_other_language_s_label_when_one_is_missing(base):
    """ISCED 2011's levels have English labels only: they show, not the bare id."""
    status, _, body = http(f"{base}/id/general-bachelor")
    assert status == 200 and '<a href="isced-6">Bachelor’s or equivalent level</a>' in body.decode("utf-8")
