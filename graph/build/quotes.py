"""Each source's own words: a quote occurs in its source's file, and the report's names in the report.

``sources.csv`` names each source's file in the shared folder. Where the file is there, every
quote of an evidence row must occur in it, and every row of a register in its published file;
whitespace is ignored, since the report's text breaks lines inside sentences. The zh labels
of the entities the report names must occur in the report, or in the row's own evidence.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from vetkg.build.schema import TABLES, RowsAre

REPORT_SOURCE = "report"
# The tables whose zh labels are the report's names of things.
LABELLED_TABLES = ("organizations", "initiatives", "documents", "levels", "themes", "groups", "persons",
                   "statements")


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


def check_report_names(tables, files: dict[str, SourceText], problems: list[str]) -> None:
    """A report entity's zh label that neither the report nor the row's evidence holds."""
    if REPORT_SOURCE not in files:
        return
    report = files[REPORT_SOURCE].normalised
    texts = evidence_texts(tables)
    for name in LABELLED_TABLES:
        for row in tables.rows.get(name, []):
            label = row.values["label_zh"]
            evidence = [texts.get(ref, "") for ref in row.values["evidence"] or ()]
            if label and not label_is_stated(label, report, evidence):
                problems.append(f"{TABLES[name].display}:{row.line}: label_zh: {label!r} is not in the "
                                "report or the row's evidence")
