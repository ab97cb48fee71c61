"""Each source's own words: a quote occurs in its source's file, and the report's names in the report.

``sources.csv`` names each source's file in the shared folder. Where the file is there, every
quote of an evidence row must occur in it, and every row of a register in its published file;
whitespace is ignored, since the report's text breaks lines inside sentences. The zh labels
of every table are checked by the rule its declaration states (``LabelRule``): most must
occur in the report or in the row's own evidence.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from vetkg.build.schema import TABLES, LabelRule, RowsAre

REPORT_SOURCE = "report"
# The words a composed label may add to the report's: the measures of indicators (名次, 届数,
# 间隔, 省份数) and the mark of a part's body text, 正文.
MEASURE_WORDS = ("名次", "届数", "间隔", "省份", "正文")
# A composed label's parts, between punctuation.
LABEL_PUNCTUATION = re.compile(r"[()（）、，,·：:]+")
# A unit's multiplier, as the numeral that a multiple's label puts before its base's.
MULTIPLIER_NUMERALS = {1000: "千", 10_000: "万", 100_000_000: "亿"}


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", text)


class SourceText:
    """A source's file, asked whether it states a text: a whole line of it, or a run of it.

    The file is read when a check first asks: most sources have no quote to check.
    """

    def __init__(self, path: Path):
        self.path = path

    @functools.cached_property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8-sig")

    @functools.cached_property
    def lines(self) -> set[str]:
        return set(self.text.splitlines())

    @functools.cached_property
    def normalised(self) -> str:
        return normalise(self.text)

    def states(self, text: str) -> bool:
        return text in self.lines or normalise(text) in self.normalised


def source_files(tables, shared_dir: Path) -> dict[str, SourceText]:
    """The file of each source that ``sources.csv`` names and the shared folder holds, by id."""
    files = {}
    for row in tables.rows.get("sources", []):
        path = Path(shared_dir) / row.values["path"] if row.values["path"] else None
        if path is not None and path.is_file():
            files[row.key] = SourceText(path)
    return files


def check_quotes(tables, files: dict[str, SourceText], problems: list[str]) -> None:
    """A quote that its source's file does not hold, or a register row its published list does not."""
    display = TABLES["evidence"].display
    for row in tables.rows.get("evidence", []):
        (source,), quote = row.values["source"] or ("",), row.values["quote"]
        if quote and source in files and not files[source].states(quote):
            problems.append(f"{display}:{row.line}: quote: is not in source {source!r} "
                            f"({files[source].path.name})")
    for name, rows in tables.rows.items():
        table = TABLES[name]
        if table.rows_are is not RowsAre.REGISTER or table.source not in files:
            continue
        published = files[table.source]
        for row in rows:
            if row.text not in published.lines:
                problems.append(f"{table.display}:{row.line}: row: is not a row of source {table.source!r} "
                                f"({published.path.name})")


def evidence_texts(tables) -> dict[str, str]:
    """The text of every piece of evidence by id: a report quote, or a register row's cells."""
    texts = {row.key: row.values["quote"] or "" for row in tables.rows.get("evidence", [])}
    texts |= {row.evidence_id: row.text for name, rows in tables.rows.items()
              if TABLES[name].rows_are is RowsAre.REGISTER for row in rows}
    return texts


def label_is_stated(label: str, report: str, evidence: list[str]) -> bool:
    """Whether the report, or the row's own evidence, states a zh label.

    Where the report elides a name, the label is the report's word for the kind of thing with
    its qualifier in brackets: 职教条例(安徽) for 安徽…的职教条例; then each part occurs in
    the report. A body that only a register names reads as its register row writes it.
    """
    label = normalise(label)
    if label in report or any(label in normalise(text) for text in evidence):
        return True
    head, _, bracketed = label.partition("(")
    return bool(bracketed) and all(part in report for part in (head, bracketed.removesuffix(")")))


def words_are_stated(label: str, texts: list[str]) -> bool:
    """Whether a composed label is made of words that the texts state.

    Each part between punctuation must be cut into pieces that the texts, or MEASURE_WORDS,
    hold, or single characters (a joining or measure word: 数, 的, 市), with no two single
    characters together: two would be a word that none states.
    """
    texts = [*texts, *MEASURE_WORDS]

    @functools.cache
    def stated(piece: str) -> bool:
        return any(piece in text for text in texts)

    for part in LABEL_PUNCTUATION.split(normalise(label)):
        # The positions reachable by such a cut, ending after a word, or after a single character.
        after_word, after_single = {0}, set()
        for start in range(len(part)):
            if start in after_word:
                after_single.add(start + 1)
            if start in after_word or start in after_single:
                after_word.update(end for end in range(start + 2, len(part) + 1) if stated(part[start:end]))
        if part and len(part) not in after_word | after_single:
            return False
    return True


def _label_problem(table, row, label: str, report: str, evidence: list[str], units: dict) -> str | None:
    rule = table.label_rule
    if rule is LabelRule.STATED and not label_is_stated(label, report, evidence):
        return "is not in the report or the row's evidence"
    if (rule is LabelRule.WORDS and not label_is_stated(label, report, evidence)
            and not words_are_stated(label, [report, *map(normalise, evidence)])):
        return "holds a word that neither the report nor the row's evidence states"
    if rule is LabelRule.MULTIPLE and row.values.get("base"):
        numeral = MULTIPLIER_NUMERALS.get(row.values.get("multiplier"), "?")
        if label != numeral + units.get(row.values["base"][0], ""):
            return f"is not the multiplier's numeral {numeral} before the base unit's label"
    return None


def check_report_names(tables, files: dict[str, SourceText], problems: list[str]) -> None:
    """A zh label that its table's rule does not find in the report or the row's evidence."""
    if REPORT_SOURCE not in files:
        return
    report = files[REPORT_SOURCE].normalised
    texts = evidence_texts(tables)
    units = {row.values["id"]: row.values["label_zh"] for row in tables.rows.get("units", [])}
    for name, table in TABLES.items():
        if not any(column.name == "label_zh" for column in table.columns):
            continue
        for row in tables.rows.get(name, []):
            label = row.values["label_zh"]
            evidence = [texts.get(ref, "") for ref in row.values.get("evidence") or ()]
            problem = label and _label_problem(table, row, label, report, evidence, units)
            if problem:
                problems.append(f"{table.display}:{row.line}: label_zh: {label!r} {problem}")
