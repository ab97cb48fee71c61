"""Coverage of the report: its headings are parsed, and every locator names one of them."""

import pytest
from click.testing import CliRunner

from vetkg.build.tables import load_tables
from vetkg.cli import main
from vetkg.views.coverage import facts_per_heading, heading_key, parse_headings


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


def test_every_heading_that_states_facts_has_facts(headings, store):
    """The text of the report sits under its innermost headings: each of those has facts of
    its own, and every heading has facts from it or below it."""
    rows = facts_per_heading(store)
    assert len(rows) == len(headings)
    # A heading is innermost when the next one is not below it.
    innermost = {heading.key for heading, following in zip(headings, [*headings[1:], None], strict=True)
                 if heading.depth > 0 and (following is None or following.depth <= heading.depth)}
    assert len(innermost) > 100
    without_own = [heading.key for heading, own, _below in rows if heading.key in innermost and not own]
    assert without_own == []
    assert [heading.key for heading, _own, below in rows if below == 0] == []


def test_cli_coverage(headings, built_once):
    result = CliRunner().invoke(main, ["stats", "--coverage"])
    assert result.exit_code == 0
    assert "第一编 二(一)" in result.output and "headings have facts" in result.output
