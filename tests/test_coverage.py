"""Coverage of the report: its headings are parsed, and every locator names one of them."""

import pytest
from click.testing import CliRunner

from vetkg.cli import main
from vetkg.coverage import facts_per_heading, heading_key, parse_headings
from vetkg.tables import load_tables


@pytest.fixture(scope="module")
def headings(report_text):
    return parse_headings(report_text)


def test_headings_of_all_four_parts_are_parsed(headings):
    keys = [heading.key for heading in headings]
    assert len(keys) == len(set(keys)) > 130
    assert {"前言", "第一编", "第二编", "第三编", "第四编"} <= set(keys)
    titles = {heading.key: heading.title for heading in headings}
    assert titles["第一编 一(一)1"] == "职业学校层级完整，成为技能人才供给的主渠道"
    assert titles["第二编 一4"] == "加大投入，支持社会力量广泛平等参与职业教育"
    assert titles["第四编 六4"] == "共建共享职业教育标准"
    assert not any(key.startswith("第一编 一(一)0") for key in keys), "a percentage is no heading"


def test_every_locator_names_a_heading_of_the_report(headings):
    keys = {heading.key for heading in headings}
    locators = {row.values["locator"] for row in load_tables().rows["evidence"]
                if row.values["source"] == ("report",)}
    assert locators
    assert {locator for locator in locators if heading_key(locator) not in keys} == set()


def test_every_section_of_the_first_part_has_facts(graph, headings):
    rows = facts_per_heading(graph)
    below = {heading.key: count for heading, _own, count in rows}
    assert below["前言"] > 0
    for section in "一二三四五":
        assert below[f"第一编 {section}"] > 0, section
    assert below["第一编"] == sum(below[f"第一编 {s}"] for s in "一二三四五") + 0


def test_cli_coverage(headings):
    result = CliRunner().invoke(main, ["stats", "--coverage"])
    assert result.exit_code == 0
    assert "第一编 二(一)" in result.output and "headings have facts" in result.output
