"""Browsing by facets: what ``/institutions`` and ``/browse`` show, and their downloads.

The rows are the answer to an export of ``queries/exports/``, the same as the CSV files of
``build/csv/``: one per institution of the MOE list (``institutions.rq``), or one per entity
and class (``entities.rq``). A selection is a value for any of the facets; each facet counts
its values within the selection, and the rows of the selection are sorted and cut into pages.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass

from vetkg.spaces import ID_SPACE, ONTOLOGY_SPACE

PAGE_ROWS = 100
NO_VALUE = "none"


@dataclass(frozen=True)
class Column:
    """A value of an institution's row (institutions.csv, or entities.csv for the shared ones).

    Its id and names, the column that holds it and, for an entity or a class, the column of
    its label.
    """

    id: str
    zh: str
    en: str
    value: str
    label: str = ""


INSTITUTION_COLUMNS = {column.id: column for column in (
    Column("code", "学校标识码", "MOE school code", "code"),
    Column("nameZh", "中文名称", "name (zh)", "nameZh"),
    Column("nameEn", "英文名称", "name (en)", "nameEn"),
    Column("class", "类别", "class", "class", "classZh"),
    Column("level", "办学层次", "education level", "level", "levelZh"),
    Column("sponsor", "主管部门", "sponsor", "sponsor", "sponsorZh"),
    Column("city", "所在地", "city", "city", "cityZh"),
    Column("province", "所属省份", "province", "province", "provinceZh"),
    Column("ownership", "办学性质", "ownership", "ownership", "ownershipZh"),
    Column("shuanggaoTier", "双高档次", "双高 tier (2019)", "shuanggaoTierZh"),
    Column("ror", "ROR", "ROR", "ror"),
    Column("wikidata", "Wikidata", "Wikidata", "wikidata"),
)}


@dataclass(frozen=True)
class Facet:
    """A way to narrow the rows: its URL parameter, and the column whose values it counts.

    ``entities`` says whether a value is an entity (or a class), with a page of its own.
    """

    key: str
    column: Column
    entities: bool = True

    @property
    def label(self) -> str:
        """The column of a value's label: its own, or the value where it is text."""
        return self.column.label or self.column.value


@dataclass(frozen=True)
class Browsable:
    """Rows to browse: their facets and the orders they can be sorted in, the first by default."""

    facets: tuple[Facet, ...]
    sorts: dict[str, tuple[str, ...]]


LINKS = Facet("links", Column("links", "链接", "links", "links"), entities=False)
INSTITUTIONS = Browsable((
    *(Facet(key, INSTITUTION_COLUMNS[key]) for key in ("province", "city", "level", "class", "sponsor",
                                                       "ownership")),
    Facet("tier", INSTITUTION_COLUMNS["shuanggaoTier"], entities=False),
    LINKS,
), {"code": ("code",), "name": ("nameZh", "code"), "province": ("provinceZh", "nameZh", "code"),
    "level": ("levelZh", "nameZh", "code")})
ENTITIES = Browsable((Facet("class", INSTITUTION_COLUMNS["class"]), LINKS),
                     {"class": ("classZh", "label", "iri"), "name": ("label", "iri")})
LINK_STATUS = {(True, True): "ROR + Wikidata", (True, False): "ROR", (False, True): "Wikidata",
               (False, False): "无链接 none"}


def short(iri: str) -> str:
    """The id of a vetkg entity or the name of a class of the ontology, as a URL parameter takes it."""
    for namespace in (ID_SPACE, ONTOLOGY_SPACE):
        if iri.startswith(namespace):
            return iri[len(namespace):]
    return iri


def prepared(rows: list[dict]) -> list[dict]:
    """The rows, each with its link status and the label it is shown and sorted by.

    The link status (which of ROR and Wikidata it links to) is a facet of its own; the label
    is the zh one, else the en one, else the IRI.
    """
    return [{**row, "links": LINK_STATUS[bool(row.get("ror")), bool(row["wikidata"])],
             "label": row.get("nameZh") or row.get("labelZh") or row.get("labelEn") or row["iri"]}
            for row in rows]


def _values(row: dict, facet: Facet) -> list[tuple[str, str]]:
    """The row's values of a facet with their labels: a school of two sponsors has both."""
    values = [(short(row[facet.column.value]) or NO_VALUE, row[facet.label])]
    if facet.key == "sponsor" and row.get("coSponsor"):
        values.append((short(row["coSponsor"]), row["coSponsorZh"]))
    return values


def select(kind: Browsable, rows: list[dict], chosen: dict[str, str]) -> list[dict]:
    """The rows that have every chosen facet value."""
    wanted = [(facet, chosen[facet.key]) for facet in kind.facets if facet.key in chosen]
    return [row for row in rows
            if all(any(key == value for key, _ in _values(row, facet)) for facet, value in wanted)]


def facet_counts(kind: Browsable, selected: list[dict], chosen: dict[str, str]) -> list[dict]:
    """Each facet's values with their counts among the selected rows, most frequent first."""
    facets = []
    for facet in kind.facets:
        counts = Counter(value for row in selected for value in _values(row, facet))
        values = [{"key": key, "label": label or "—", "count": count, "chosen": chosen.get(facet.key) == key,
                   "page": key if facet.entities and key != NO_VALUE and not key.startswith("http") else ""}
                  for (key, label), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
        facets.append({"key": facet.key, "zh": facet.column.zh, "en": facet.column.en, "values": values,
                       "chosen": chosen.get(facet.key, "")})
    return facets


def _sort(kind: Browsable, sort: str) -> str:
    return sort if sort in kind.sorts else next(iter(kind.sorts))


def sorted_selection(kind: Browsable, rows: list[dict], chosen: dict[str, str], sort: str) -> list[dict]:
    """The selected rows in the order asked for (the first order if that one is unknown)."""
    order = kind.sorts[_sort(kind, sort)]
    return sorted(select(kind, rows, chosen), key=lambda row: tuple(row[column] for column in order))


def browse(kind: Browsable, rows: list[dict], chosen: dict[str, str], sort: str = "", page: int = 1) -> dict:
    """What the page shows: the facets, the selection's size, its sorted page of rows, and paging."""
    selected = sorted_selection(kind, rows, chosen, sort)
    shown, page, pages = paged(selected, page, PAGE_ROWS)
    return {"facets": facet_counts(kind, selected, chosen), "chosen": chosen,
            "sort": _sort(kind, sort), "sorts": list(kind.sorts), "total": len(rows),
            "count": len(selected), "page": page, "pages": pages, "rows": shown, "page_rows": PAGE_ROWS}


def paged(rows: list, page: int, size: int) -> tuple[list, int, int]:
    """One page of rows: its rows, its number (within the first and the last) and the pages."""
    pages = max(1, -(-len(rows) // size))
    page = min(max(page, 1), pages)
    return rows[(page - 1) * size:page * size], page, pages


def as_csv(rows: list[dict], columns: list[str]) -> str:
    """The rows as CSV with a byte-order mark, as spreadsheet programs read Chinese text."""
    stream = io.StringIO()
    writer = csv.DictWriter(stream, columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff" + stream.getvalue()


def as_json(rows: list[dict], columns: list[str]) -> str:
    return json.dumps([{column: row[column] for column in columns} for row in rows], ensure_ascii=False,
                      indent=1)
