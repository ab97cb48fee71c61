"""Every bad row is refused at its file, line and column, and nothing is silently changed."""

import csv

import pytest

from vetkg.build.tables import DataError, load_tables


def set_cell(data, name, line, column, value):
    """Put ``value`` into one cell of data/<name>.csv, writing the file as the tables are written."""
    path = data / f"{name}.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").split("\n")[:-1]))
    assert len(rows) > line, f"{name}.csv has no line {line}"
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)


def cell(data, name, line, column):
    rows = list(csv.reader((data / f"{name}.csv").read_text(encoding="utf-8").split("\n")[:-1]))
    return rows[line - 1][rows[0].index(column)]


def find_line(data, name, column, wanted):
    """The first line of a table whose cell in ``column`` satisfies ``wanted``."""
    rows = list(csv.reader((data / f"{name}.csv").read_text(encoding="utf-8").split("\n")[:-1]))
    for number, row in enumerate(rows[1:], start=2):
        if wanted(row[rows[0].index(column)]):
            return number
    raise AssertionError(f"no row of {name}.csv fits")


def problems_of(data):
    with pytest.raises(DataError) as caught:
        load_tables(data)
    assert caught.value.problems
    return caught.value.problems


def assert_reported(problems, expected):
    assert any(problem.startswith(expected) for problem in problems), (expected, problems)


BAD_CELLS = [
    ("documents", "issued", "2023-00", "is not a real date"),
    ("documents", "issued", "2023-02-30", "is not a real date"),
    ("documents", "issued", "２０２３", "is not a date"),
    ("observations", "value", "١٠", "is not a plain decimal"),
    ("observations", "value", "-0", "is not a plain decimal"),
    ("observations", "value", "-0.0", "is not a plain decimal"),
    ("observations", "value", "+10", "is not a plain decimal"),
    ("observations", "value", "10_000", "is not a plain decimal"),
    ("observations", "value", "007", "is not a plain decimal"),
    ("units", "multiplier", "+10", "is not a plain whole number"),
    ("units", "multiplier", "10_000", "is not a plain whole number"),
    ("units", "multiplier", "-0", "is not a plain whole number"),
    ("units", "multiplier", "１０", "is not a plain whole number"),
    ("organizations", "label_zh", "教育\u2028部", "contains U+2028 (LINE SEPARATOR)"),
    ("organizations", "label_zh", "教育\u2029部", "contains U+2029 (PARAGRAPH SEPARATOR)"),
    ("organizations", "label_zh", "教育\x00部", "contains U+0000"),
    ("organizations", "label_zh", "教育\x85部", "contains U+0085"),
    ("organizations", "label_zh", "教育\u200b部", "contains U+200B (ZERO WIDTH SPACE)"),
    ("evidence", "quote", "职业教育\x0b", "contains U+000B"),
]


@pytest.mark.parametrize("name,column,value,message", BAD_CELLS, ids=[repr(c[2]) for c in BAD_CELLS])
def test_a_bad_cell_is_refused_at_its_line_and_column(data_copy, name, column, value, message):
    line = find_line(data_copy, name, column, bool)
    set_cell(data_copy, name, line, column, value)
    problems = problems_of(data_copy)
    assert_reported(problems, f"data/{name}.csv:{line}: {column}: ")
    assert any(message in problem for problem in problems), problems


# Made-up Chinese names, one per table that has zh labels and a rule for them.
MADE_UP_LABELS = [
    ("organizations", "星河职业教育研究总署"), ("initiatives", "蓝鲸工匠振兴计划"),
    ("documents", "关于银杏职教的通知"),
    ("levels", "超高等职业教育"), ("themes", "星际产教"), ("groups", "月球务工人员"), ("persons", "赵钱孙"),
    ("statements", "银杏树下共话职教"), ("tasks", "打造蓝鲸工匠品牌"), ("sectors", "星际航运业"),
    ("places", "银杏市"), ("cooperation", "共建蓝鲸学院"), ("indicators", "银杏工坊覆盖率"),
    ("datasets", "蓝鲸指数(正文)"), ("units", "万斤"),
]


def test_a_made_up_zh_label_is_refused_in_every_table_that_has_them(data_copy):
    planted = set()
    for name, label in MADE_UP_LABELS:
        line = find_line(data_copy, name, "base" if name == "units" else "label_zh", bool)
        set_cell(data_copy, name, line, "label_zh", label)
        planted.add(f"data/{name}.csv:{line}: label_zh: {label!r}")
    labels = [problem for problem in problems_of(data_copy) if ": label_zh: " in problem]
    assert {problem.rsplit("' ", 1)[0] + "'" for problem in labels} == planted


def test_a_composed_label_may_join_the_reports_words_with_single_characters():
    from vetkg.build.quotes import words_are_stated

    texts = ["连续参加世界技能大赛，共建省级平台，增长较快"]
    assert words_are_stated("连续参加的世界技能大赛届数", texts)
    assert words_are_stated("共建省份数(增长后)", texts)
    assert not words_are_stated("连续参加银杏大赛", texts)


def test_plain_numbers_are_still_read(data_copy):
    line = find_line(data_copy, "observations", "value", bool)
    for value in ("0", "0.5", "-3", "10000", "12.75"):
        set_cell(data_copy, "observations", line, "value", value)
        row = next(r for r in load_tables(data_copy).rows["observations"] if r.line == line)
        assert str(row.values["value"]) == value


CYCLES = [("places", "within"), ("levels", "broader"), ("documents", "amends"),
          ("initiatives", "part_of"), ("organizations", "parent"), ("themes", "broader")]


@pytest.mark.parametrize("name,column", CYCLES)
def test_a_cycle_is_refused_at_the_row_that_closes_it(data_copy, name, column):
    first = find_line(data_copy, name, "id", bool)
    second = first + 1
    a, b = cell(data_copy, name, first, "id"), cell(data_copy, name, second, "id")
    set_cell(data_copy, name, first, column, b)
    set_cell(data_copy, name, second, column, a)
    problems = [p for p in problems_of(data_copy) if "cycle" in p]
    assert problems == [f"data/{name}.csv:{second}: {column}: closes a cycle: {b} → {a} → {b}"]


def test_an_entity_that_is_its_own_parent_is_a_cycle(data_copy):
    line = find_line(data_copy, "levels", "id", bool)
    own = cell(data_copy, "levels", line, "id")
    set_cell(data_copy, "levels", line, "broader", own)
    assert f"data/levels.csv:{line}: broader: closes a cycle: {own} → {own}" in problems_of(data_copy)


def append_line(data, name, text):
    path = data / f"{name}.csv"
    path.write_bytes(path.read_bytes() + text.encode("utf-8") + b"\n")
    return path.read_bytes().count(b"\n")


def test_a_repeated_link_row_is_refused(data_copy):
    row = (data_copy / "links.csv").read_text(encoding="utf-8").split("\n")[1]
    line = append_line(data_copy, "links", row)
    assert_reported(problems_of(data_copy), f"data/links.csv:{line}: target: ")


def test_a_second_identifier_of_one_target_for_one_entity_is_refused(data_copy):
    line = append_line(data_copy, "links", "AU,geonames,1,,")
    assert f"data/links.csv:{line}: target: 'AU' already has a geonames identifier at line 2" \
        in problems_of(data_copy)


def test_one_identifier_on_two_entities_is_refused(data_copy):
    line = append_line(data_copy, "links", "CN,iso3166-1-alpha2,AU,,")
    problems = problems_of(data_copy)
    assert any(p.startswith(f"data/links.csv:{line}: identifier: iso3166-1-alpha2 'AU' is already the "
                            "identifier of 'AU'") for p in problems), problems


def test_a_quote_that_is_not_in_the_report_is_refused_in_the_build(data_copy, report_text):
    line = find_line(data_copy, "evidence", "source", lambda source: source == "report")
    set_cell(data_copy, "evidence", line, "quote", cell(data_copy, "evidence", line, "quote") + "全文完")
    assert f"data/evidence.csv:{line}: quote: is not in source 'report' (000_8bccd1680dbc5b0d.txt)" in \
        problems_of(data_copy)


def test_a_register_row_that_its_published_list_does_not_hold_is_refused(data_copy, report_text):
    path = data_copy / "registers" / "shuanggao_2019.csv"
    lines = path.read_bytes().split(b"\r\n")
    # A tier that the list does not give the fourth unit.
    assert b",A," in lines[4]
    lines[4] = lines[4].replace(b",A,", b",B,", 1)
    path.write_bytes(b"\r\n".join(lines))
    assert ("data/registers/shuanggao_2019.csv:5: row: is not a row of source 'shuanggao-2019' "
            "(shuanggao_2019.csv)") in problems_of(data_copy)


def test_a_label_that_is_not_in_the_report_is_refused_in_the_build(data_copy, report_text):
    line = find_line(data_copy, "organizations", "label_zh", bool)
    set_cell(data_copy, "organizations", line, "label_zh", "虚构职业教育研究院")
    assert_reported(problems_of(data_copy), f"data/organizations.csv:{line}: label_zh: '虚构职业教育研究院' "
                    "is not in the report")


def test_without_the_report_its_checks_are_left_to_the_report(data_copy, tmp_path):
    line = find_line(data_copy, "organizations", "label_zh", bool)
    set_cell(data_copy, "organizations", line, "label_zh", "虚构职业教育研究院")
    assert len(load_tables(data_copy, shared_dir=tmp_path)) > 0


def test_a_cell_over_the_csv_field_limit_is_a_line_message(data_copy):
    line = find_line(data_copy, "evidence", "quote", bool)
    set_cell(data_copy, "evidence", line, "quote", "职" * (csv.field_size_limit() + 1))
    assert_reported(problems_of(data_copy), f"data/evidence.csv:{line}: row: field larger than field limit")


def replace_bytes_on_line(data, name, line, old, new):
    path = data / f"{name}.csv"
    lines = path.read_bytes().split(b"\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_bytes(b"\n".join(lines))


def test_a_stray_cr_is_reported_at_its_own_line(data_copy):
    replace_bytes_on_line(data_copy, "themes", 4, b",", b"\r,")
    assert "data/themes.csv:4: file: a line must end with '\\n' alone" in problems_of(data_copy)


def test_an_undecodable_byte_is_reported_at_its_own_line(data_copy):
    replace_bytes_on_line(data_copy, "themes", 5, b",", b"\xff,")
    assert_reported(problems_of(data_copy), "data/themes.csv:5: file: byte 0xff at byte ")


def test_an_unclosed_quote_is_reported_at_its_line(data_copy):
    replace_bytes_on_line(data_copy, "themes", 3, b",", b',"')
    assert_reported(problems_of(data_copy), "data/themes.csv:3: row: ")
