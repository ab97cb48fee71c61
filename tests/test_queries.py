"""Every query file parses, has its header and runs; catalogue answers match expected rows."""

import ast
import csv
import io
from pathlib import Path

import pytest

from vetkg.build.schema import TABLES, RowsAre
from vetkg.paths import DATA_DIR, QUERIES_DIR
from vetkg.query.catalogue import REQUIRED_KEYS, load_catalogue, parse_header
from vetkg.query.store import run_query

ALL_FILES = sorted(QUERIES_DIR.rglob("*.rq"))
CATALOGUE = load_catalogue()
EXPECTED = Path(__file__).parent / "expected" / "queries"


REPORT_PARTS = ("前言", "第一编", "第二编", "第三编", "第四编")


def test_query_files_were_collected():
    assert len(CATALOGUE) >= 40
    assert len(ALL_FILES) > len(CATALOGUE)


def _listed(query, key):
    return [item.strip() for item in query.header.get(key, "").split(",") if item.strip()]


def test_the_catalogue_covers_every_part_of_the_report_and_every_register():
    """Each question names the parts of the report and the registers it draws on; together
    they cover all five parts and every register."""
    registers = {TABLES[name].source for name in TABLES if TABLES[name].rows_are is RowsAre.REGISTER}
    asked = {part: [] for part in (*REPORT_PARTS, *sorted(registers))}
    for query in CATALOGUE:
        drawn = _listed(query, "parts") + _listed(query, "registers")
        assert drawn, f"{query.name}: header names no part of the report and no register"
        for part in _listed(query, "parts"):
            assert part in REPORT_PARTS, f"{query.name}: {part!r} is not a part of the report"
        for register in _listed(query, "registers"):
            assert register in registers, f"{query.name}: {register!r} is not a register"
        for item in drawn:
            asked[item].append(query.name)
    assert all(asked.values()), {item: names for item, names in asked.items() if not names}


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
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([table.variables, *table.plain_rows()])
        expected_file.write_text(out.getvalue(), encoding="utf-8")
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


def _register(name):
    with (DATA_DIR / TABLES[name].path).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_register_answers_agree_with_the_registers_themselves():
    """The questions about the registers, counted again straight from the published files."""
    def rows(name):
        return list(csv.DictReader(io.StringIO((EXPECTED / f"{name}.csv").read_text("utf-8"))))

    listed = _register("institutions")
    bachelor = {row["moe_code"] for row in _register("vocational_bachelor_register")}
    assert len(listed) == 2919 and len(bachelor) == 87
    per_province = {}
    for row in listed:
        level = "bachelor" if row["moe_code"] in bachelor else row["level"]
        per_province.setdefault(row["province"], {}).setdefault(level, 0)
        per_province[row["province"]][level] += 1
    by_level = {(r["provinceZh"], r["levelEn"]): int(r["institutions"])
                for r in rows("institutions-per-province-by-level")}
    names = {"专科": "higher vocational school education (short-cycle)",
             "本科": "general bachelor's education",
             "bachelor": "higher vocational school education (bachelor's level)"}
    assert by_level == {(province, names[level]): count for province, levels in per_province.items()
                        for level, count in levels.items()}
    private = {r["provinceZh"]: int(r["private"]) for r in rows("private-share-by-province")}
    assert private == {province: sum(r["province"] == province and r["remark"] == "民办" for r in listed)
                       for province in per_province}
    assert sum(private.values()) == 829
    assert {r["code"] for r in rows("vocational-universities")} == bachelor
    units = _register("shuanggao_register")
    tiers = rows("shuanggao-by-province-and-tier")
    schools = sum(row["unit_kind"] == "school" for row in units)
    assert sum(int(r["schoolUnits"]) for r in tiers) == schools == 56
    assert sum(int(r["majorGroupUnits"]) for r in tiers) == 141
    counts = {(r["indicatorZh"], r["scopeZh"]): (r["reportValue"], r["registerCount"])
              for r in rows("register-versus-report-counts")}
    assert counts[("职业学校数量", "高等职业学校教育(专科)")] == ("1547", "1554")
    assert counts[("职业学校数量", "高等职业学校教育(本科)")] == ("33", "87")
    assert counts[("中国特色高水平高职学校", "双高计划")] == ("197", "197")
    assert counts[("高水平高职专业/群", "双高计划")] == ("253", "253")
    assert counts[("目录专业数", "职业教育专业目录(2021年)")] == ("1349", "1349")
    assert counts[("专业类数", "职业教育专业目录(2021年)")] == ("97", "97")


def test_catalogue_answers_agree_with_the_catalogue_itself():
    """The questions about the catalogue of majors and the 双高 groups, counted again from the files."""
    def rows(name):
        return list(csv.DictReader(io.StringIO((EXPECTED / f"{name}.csv").read_text("utf-8"))))

    majors = _register("majors_catalogue")
    assert len(majors) == 1349
    per_category = {}
    for row in majors:
        per_category.setdefault(row["category_code"], []).append(row)
    assert {r["code"]: int(r["majors"]) for r in rows("majors-per-category-and-level")} == {
        code: len(members) for code, members in per_category.items()}
    names_by_level = {}
    for row in majors:
        names_by_level.setdefault(row["class_zh"], set()).add(row["level"])
    everywhere = {name for name, levels in names_by_level.items() if len(levels) == 3}
    assert everywhere and {r["classZh"] for r in rows("classes-across-three-levels")} == everywhere
    controlled = {row["major_code"].removesuffix("K") for row in majors if row["major_code"].endswith("K")}
    assert len(controlled) == 47 and {r["code"] for r in rows("nationally-controlled-majors")} == controlled
    short_cycle = {row["major_zh"]: row["category_zh"] for row in majors if row["level"] == "gaozhi_zhuanke"}
    groups = {}
    for unit in _register("shuanggao_register"):
        for name in filter(None, unit["major_group_zh"].split("、")):
            key = (short_cycle.get(name, "(2021年目录无同名专科专业)"), unit["tier"])
            groups[key] = groups.get(key, 0) + 1
    assert sum(groups.values()) == 253
    assert {(r["categoryZh"], r["tier"]): int(r["groups"])
            for r in rows("shuanggao-groups-by-category-and-tier")} == groups
    renamed = rows("renamed-institutions")
    assert len(renamed) == 267 and ("4133012872", "杭州职业技术学院", "杭州职业技术大学") in {
        (r["code"], r["name2017"], r["name2025"]) for r in renamed}


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


def test_the_luban_workshops_are_the_reported_rows_with_partners_the_lists_name():
    rows = list(csv.DictReader(io.StringIO((EXPECTED / "luban-workshops.csv").read_text("utf-8"))))
    reported = _register("luban_workshops")
    assert len(reported) == 23 and len({row["workshop"] for row in rows}) == 23
    thailand = next(row for row in rows if row["workshop"].endswith("/luban-workshop-01"))
    assert (thailand["countryZh"], thailand["partnerZh"], thailand["opened"]) == (
        "泰国", "天津渤海职业技术学院", "2016-03-08")
    # Two partners of the Egyptian workshops, each a school of the 2025 list; a name no list
    # holds is kept as the page gives it.
    egypt = {row["partnerZh"] for row in rows if row["countryZh"] == "埃及"}
    assert egypt == {"天津轻工职业技术学院", "天津交通职业学院"}
    assert "天津职业大学" in {row["partnerZh"] for row in rows if row["countryZh"] == "哈萨克斯坦"}
