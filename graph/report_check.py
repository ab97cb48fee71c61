"""The report's own words: every report quote, and every report entity's zh label, occur in it.

The check runs in every build for which the report is present, so that a quote mistyped
or a label made up never reaches the graph. Whitespace is ignored: the report's text
breaks lines inside sentences.
"""

from __future__ import annotations

import re

from vetkg.schema import TABLES

REPORT_SOURCE = "report"
# The tables whose zh labels are the report's names of things.
LABELLED_TABLES = ("organizations", "initiatives", "documents", "levels", "themes", "groups", "persons",
                   "statements")


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", text)


def evidence_texts(tables) -> dict[str, str]:
    """The text of every piece of evidence by id: a report quote, or a register row's cells."""
    texts = {row.key: row.values["quote"] or "" for row in tables.rows.get("evidence", [])}
    texts |= {row.evidence_id: row.text for name, rows in tables.rows.items()
              if TABLES[name].rows_are == "register" for row in rows}
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


def check_against_report(tables, displays: dict[str, str], report_text: str,
                         problems: list[str]) -> None:
    """Report a quote of the report, or a report entity's zh label, that the report does not hold."""
    report = normalise(report_text)
    for row in tables.rows.get("evidence", []):
        quote = row.values["quote"]
        if row.values["source"] == (REPORT_SOURCE,) and quote and normalise(quote) not in report:
            problems.append(f"{displays['evidence']}:{row.line}: quote: is not in the report")
    texts = evidence_texts(tables)
    for name in LABELLED_TABLES:
        for row in tables.rows.get(name, []):
            label = row.values["label_zh"]
            evidence = [texts.get(ref, "") for ref in row.values["evidence"] or ()]
            if label and not label_is_stated(label, report, evidence):
                problems.append(f"{displays[name]}:{row.line}: label_zh: {label!r} is not in the report "
                                "or the row's evidence")
