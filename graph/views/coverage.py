"""How much of the report the graph covers: facts per heading.

Headings are parsed from the report's text: the preface (前言), the parts (第一编 …), the
sections (一、), subsections ((一)) and items (1.). Each has a key in the form the evidence
locators use, such as ``第一编 一(一)1``. The report's text has no heading line for its second
part, so a section numbered 一 that follows the first part's sections opens the next part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from vetkg.paths import SOURCE_FILE
from vetkg.query import catalogue
from vetkg.query.store import run_query

PARTS = ("第一编", "第二编", "第三编", "第四编")
# The preface names the four parts; the second has no heading line in the text.
PART_TITLES = {"第一编": "发展成就", "第二编": "基本经验", "第三编": "战略任务", "第四编": "主要举措"}
PART_LINE = re.compile(r"^\s*(第[一二三四]编)\s*([^\d\s]+)\s*$")
SECTION_LINE = re.compile(r"^\s*([一二三四五六七八九十]+)\s*、\s*(\S.*)$")
SUBSECTION_LINE = re.compile(r"^\s*\(\s*([一二三四五六七八九十]+)\s*\)\s*(\S.*)$")
ITEM_LINE = re.compile(r"^\s*(\d{1,2})\s*\.\s*([^\d\s%—].*)$")
PREFACE = "前言"


@dataclass(frozen=True)
class Heading:
    """A heading of the report: its locator key, title and depth (0 for a part)."""

    key: str
    title: str
    depth: int


def parse_headings(text: str) -> list[Heading]:
    """Every heading of the report, in reading order."""
    headings = [Heading(PREFACE, "前言", 0)]
    part = section = subsection = ""
    for line in text.splitlines():
        if match := PART_LINE.match(line):
            part, section, subsection = match.group(1), "", ""
            headings.append(Heading(part, match.group(2), 0))
        elif part and (match := SECTION_LINE.match(line)):
            if match.group(1) == "一" and section:
                # The next part begins without a heading line of its own.
                part = PARTS[PARTS.index(part) + 1]
                headings.append(Heading(part, PART_TITLES[part], 0))
            section, subsection = match.group(1), ""
            headings.append(Heading(f"{part} {section}", match.group(2).strip(), 1))
        elif section and (match := SUBSECTION_LINE.match(line)):
            subsection = f"({match.group(1)})"
            headings.append(Heading(f"{part} {section}{subsection}", match.group(2).strip(), 2))
        elif section and (match := ITEM_LINE.match(line)):
            headings.append(Heading(f"{part} {section}{subsection}{match.group(1)}",
                                    match.group(2).strip(), 3))
    return headings


def heading_key(locator: str) -> str:
    """The heading part of an evidence locator: ``第一编 二(三) 表1-2`` → ``第一编 二(三)``."""
    words = locator.split()
    return words[0] if words[0] == PREFACE else " ".join(words[:2])


def facts_per_heading(store: pyoxigraph.Store, source: Path = SOURCE_FILE) -> list[tuple[Heading, int, int]]:
    """Each heading with the facts drawn from it alone and from it with its subheadings."""
    headings = parse_headings(source.read_text(encoding="utf-8"))
    query = catalogue.text("stats/facts-per-locator")
    own: dict[str, int] = {}
    for locator, facts in run_query(store, query).plain_rows():
        key = heading_key(locator)
        own[key] = own.get(key, 0) + int(facts)
    rows = []
    for heading in headings:
        below = sum(count for key, count in own.items()
                    if key == heading.key or key.startswith(heading.key + " ")
                    or (heading.depth > 0 and key.startswith(heading.key)
                        and key[len(heading.key)] in "(0123456789"))
        rows.append((heading, own.get(heading.key, 0), below))
    return rows


def format_coverage(rows: list[tuple[Heading, int, int]]) -> str:
    lines = [f"{'heading':18} {'facts':>5} {'with subheadings':>16}  title"]
    for heading, own, below in rows:
        lines.append(f"{heading.key:18} {own:5d} {below:16d}  {'  ' * heading.depth}{heading.title}")
    covered = sum(1 for _, _, below in rows if below)
    lines.append(f"{covered} of {len(rows)} headings have facts")
    return "\n".join(lines) + "\n"
