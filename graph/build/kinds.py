"""The kinds of column of the curated tables: how each reads a cell, and the RDF term it becomes.

One record per kind, so that reading (``vetkg.build.reading``) and mapping
(``vetkg.build.mapping``) can never disagree about a kind. A reader raises ValueError saying
what is wrong with the cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from vetkg.namespaces import VKG

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
# Digits are ASCII only: Python's \d and int() also take full-width and Arabic-Indic digits.
DATE_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
DECIMAL_PATTERN = re.compile(r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$")
INTEGER_PATTERN = re.compile(r"^-?(?:0|[1-9][0-9]*)$")
# Looked up once: a lookup in rdflib's XSD namespace costs more than the literal it types.
DATE, YEAR_MONTH, YEAR, DECIMAL = XSD.date, XSD.gYearMonth, XSD.gYear, XSD.decimal
CJK_PATTERN = re.compile(r"[\u3400-\u9fff]")
IRI_PATTERN = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class PartialDate:
    """A date given to the year, the month or the day, as the report gives it."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


@dataclass(frozen=True)
class Kind:
    """How a kind of cell is read and written as RDF.

    ``listed`` kinds always read as a tuple (a ref names one id or, when the column is
    ``many``, several); other kinds do only in a ``many`` column. ``term`` is None for kinds
    that make no triple of their own (an id is the subject, a class the rdf:type).
    """

    name: str
    read: Callable
    term: Callable | None = None
    listed: bool = False
    # What one item of a list is called in the error about a repeated item.
    item: str = "a value"


@lru_cache(maxsize=1 << 16)
def entity_iri(identifier: str) -> URIRef:
    """The IRI of an entity: the vetkg id namespace plus its ASCII id."""
    return VKG[identifier]


def parse_date(text: str) -> PartialDate:
    match = DATE_PATTERN.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        dt.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError as error:
        raise ValueError(f"{text!r} is not a real date: {error}") from None
    return PartialDate(year, month, day)


def date_literal(value: PartialDate) -> Literal:
    if value.day is not None:
        return Literal(str(value), datatype=DATE)
    if value.month is not None:
        return Literal(str(value), datatype=YEAR_MONTH)
    return Literal(str(value), datatype=YEAR)


def _negative_zero(text: str) -> bool:
    return text.startswith("-") and not text.strip("-0.")


def _read_id(column, text: str) -> str:
    if not ID_PATTERN.match(text):
        raise ValueError(f"{text!r} is not an ASCII id (letters, digits, '-' and '_')")
    return text


def _read_zh(column, text: str) -> str:
    if not CJK_PATTERN.search(text) and not column.any_script:
        raise ValueError(f"{text!r} has no Chinese character")
    return text


def _read_en(column, text: str) -> str:
    if CJK_PATTERN.search(text):
        raise ValueError(f"{text!r} contains Chinese characters")
    return text


def _read_code(column, text: str) -> str:
    if not re.fullmatch(column.pattern, text):
        raise ValueError(f"{text!r} does not have the form {column.pattern}")
    return text


def _read_iri(column, text: str) -> str:
    if not IRI_PATTERN.match(text):
        raise ValueError(f"{text!r} is not an http(s) IRI")
    return text


def _read_decimal(column, text: str) -> Decimal:
    if not DECIMAL_PATTERN.match(text) or _negative_zero(text):
        raise ValueError(f"{text!r} is not a plain decimal number (ASCII digits, no sign but '-', "
                         "no leading zeros, separators or units)")
    return Decimal(text)


def _decimal_literal(column, value: Decimal) -> Literal:
    # Keep the report's digits (88.10 stays 88.10). Whole numbers get ".0" so that the Turtle
    # shorthand, which always carries a point, reads back as the same literal.
    text = format(value, "f")
    return Literal(text if "." in text else f"{text}.0", datatype=DECIMAL)


def _read_integer(column, text: str) -> int:
    if not INTEGER_PATTERN.match(text) or _negative_zero(text):
        raise ValueError(f"{text!r} is not a plain whole number (ASCII digits, no sign but '-', "
                         "no leading zeros or separators)")
    return int(text)


def _read_choice(column, text: str) -> str:
    if text not in column.choices:
        raise ValueError(f"{text!r} is not one of {', '.join(sorted(column.choices))}")
    return text


def _choice_term(column, value: str):
    return dict(column.concepts)[value] if column.concepts else Literal(value)


def _read_ref(column, text: str) -> str:
    if not ID_PATTERN.match(text):
        raise ValueError(f"{text!r} is not an id")
    return text


def _plain(column, text: str) -> str:
    return text


KINDS = {kind.name: kind for kind in (
    Kind("id", _read_id),
    Kind("label_zh", _read_zh, lambda column, value: Literal(value, lang="zh")),
    Kind("label_en", _read_en, lambda column, value: Literal(value, lang="en")),
    Kind("text", _plain, lambda column, value: Literal(value)),
    # Text in the report's own words, such as a quote: tagged zh, whatever script it uses.
    Kind("text_zh", _plain, lambda column, value: Literal(value, lang="zh")),
    Kind("code", _read_code, lambda column, value: Literal(value)),
    Kind("iri", _read_iri, lambda column, value: URIRef(value)),
    Kind("date", lambda column, text: parse_date(text), lambda column, value: date_literal(value)),
    Kind("decimal", _read_decimal, _decimal_literal),
    Kind("integer", _read_integer, lambda column, value: Literal(value)),
    Kind("choice", _read_choice, _choice_term),
    Kind("class", _read_choice),
    Kind("ref", _read_ref, lambda column, value: entity_iri(value), listed=True, item="an id"),
)}


def read_cell(column, text: str):
    """One cell's typed value: a tuple for a list, else the item; ValueError if it is wrong."""
    kind = KINDS[column.kind]
    if not (column.many or kind.listed):
        return kind.read(column, text)
    items = text.split(";") if column.many else [text]
    values = tuple(kind.read(column, item) for item in items)
    if len(set(items)) != len(items):
        raise ValueError(f"{text!r} lists {kind.item} twice")
    return values


def cell_terms(column, value) -> list:
    """The RDF terms of one typed cell value, one per item of a list."""
    kind = KINDS[column.kind]
    if kind.term is None:
        return []
    items = value if column.many or kind.listed else (value,)
    return [kind.term(column, item) for item in items]
