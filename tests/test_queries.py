"""Every query file parses, has its header and runs; catalogue answers match expected rows."""

import ast
import csv
import io
from pathlib import Path

import pytest

from vetkg.catalogue import REQUIRED_KEYS, load_catalogue, parse_header
from vetkg.paths import QUERIES_DIR
from vetkg.store import run_query

ALL_FILES = sorted(QUERIES_DIR.rglob("*.rq"))
CATALOGUE = load_catalogue()
EXPECTED = Path(__file__).parent / "expected" / "queries"


REPORT_PARTS = ("前言", "第一编", "第二编", "第三编", "第四编")


def test_query_files_were_collected():
    assert len(CATALOGUE) >= 40
    assert len(ALL_FILES) > len(CATALOGUE)


def test_the_catalogue_covers_every_part_of_the_report():
    """Each question names the parts of the report it draws on; together they cover all five."""
    asked = {part: [] for part in REPORT_PARTS}
    for query in CATALOGUE:
        parts = [part.strip() for part in query.header.get("parts", "").split(",") if part.strip()]
        assert parts, f"{query.name}: header lacks parts"
        for part in parts:
            assert part in asked, f"{query.name}: {part!r} is not a part of the report"
            asked[part].append(query.name)
    assert all(asked.values()), {part: names for part, names in asked.items() if not names}


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(QUERIES_DIR)))
def test_query_file_has_header_and_runs(path, store):
    text = path.read_text("utf-8")
    header = parse_header(text)
    for key in REQUIRED_KEYS:
        assert header.get(key), f"{path.name}: header lacks {key}"
    assert run_query(store, text).variables


@pytest.mark.parametrize("query", CATALOGUE, ids=lambda q: q.name)
def test_catalogue_query_returns_expected_rows(query, store, update_snapshots):
    table = run_query(store, query.text)
    assert table.rows, f"{query.name} returned no rows"
    expected_file = EXPECTED / f"{query.name}.csv"
    if update_snapshots:
        expected_file.parent.mkdir(parents=True, exist_ok=True)
        expected_file.write_text(table.to_csv(), encoding="utf-8")
    assert expected_file.exists(), f"run pytest --update-snapshots, then review {expected_file}"
    expected = list(csv.reader(io.StringIO(expected_file.read_text("utf-8"))))
    assert [table.variables, *map(list, table.plain_rows())] == expected


def test_key_answers_read_as_the_report_states():
    """A few answers spelled out, independent of the snapshots."""
    def rows(name):
        return list(csv.DictReader(io.StringIO((EXPECTED / f"{name}.csv").read_text("utf-8"))))

    plans = rows("co-building-province-plans")
    assert len(plans) == 8
    assert (plans[0]["provinceZh"], plans[0]["issued"]) == ("广西壮族自治区", "2023-04-19")
    assert (plans[-1]["provinceZh"], plans[-1]["issued"]) == ("湖南省", "2023-12-29")
    brands = {row["brandZh"]: row for row in rows("brands-by-province")}
    assert len(brands) == 6
    assert brands["丝路学院"]["partnerCountries"] == "34" and brands["丝路学院"]["unitsEstablished"] == "52"
    graduates = {(r["year"], r["levelEn"]): r["value"] for r in rows("graduates-by-level")}
    assert len(graduates) == 36
    assert graduates[("2023", "vocational education")] == "1094"
    assert {row["value"] for row in rows("contradictory-statements")} == {"4", "5"}
    responsible = {(row["bodyZh"], row["itemZh"]) for row in rows("responsible-bodies")}
    assert ("教育部", "建强省域职业教育体系") in responsible
    assert ("市级政府", "深化新型职业农民培养培训") in responsible
    served = {row["groupZh"] for row in rows("learner-groups-served")}
    assert {"农民工", "退役军人", "社区居民"} <= served
    assert [row["part"] for row in rows("facts-per-part")] == list(REPORT_PARTS)


def test_no_python_module_builds_a_query_from_strings():
    """Queries are files; parameters go in VALUES blocks, never through string formatting."""
    package = Path(__file__).parent.parent / "graph"
    modules = sorted(package.glob("*.py"))
    assert modules
    for module in modules:
        for node in ast.walk(ast.parse(module.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.upper()
                assert not ("SELECT" in text and "WHERE" in text), f"{module.name} holds a query"


@pytest.fixture(scope="module")
def plain_graph(graph):
    """The same triples in a plain rdflib.Graph, queried by rdflib's own engine."""
    from rdflib import Graph

    plain = Graph()
    for triple in graph:
        plain.add(triple)
    return plain


@pytest.mark.parametrize("query", CATALOGUE, ids=lambda q: q.name)
def test_rdflib_gives_the_same_rows(query, store, plain_graph):
    """Every query is portable: its order is total and its answer the same on both engines."""
    assert run_query(plain_graph, query.text).plain_rows() == run_query(store, query.text).plain_rows()
