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

from vetkg.namespaces import VET, VKG

PAGE_ROWS = 100
NO_VALUE = "none"


@dataclass(frozen=True)
class Facet:
    """A way to narrow the institutions: a parameter, its names, and the row's value and label.

    ``entities`` says whether a value is an entity (or a class), with a page of its own.
    """

    key: str
    zh: str
    en: str
    value: str
    label: str
    entities: bool = True


@dataclass(frozen=True)
class Browsable:
    """Rows to browse: their facets and the orders they can be sorted in, the first by default."""

    facets: tuple[Facet, ...]
    sorts: dict[str, tuple[str, ...]]


LINKS = Facet("links", "链接", "links", "links", "links", entities=False)
INSTITUTIONS = Browsable((
    Facet("province", "省份", "province", "province", "provinceZh"),
    Facet("city", "城市", "city", "city", "cityZh"),
    Facet("level", "办学层次", "level", "level", "levelZh"),
    Facet("class", "类别", "class", "class", "classZh"),
    Facet("sponsor", "主管部门", "sponsor", "sponsor", "sponsorZh"),
    Facet("ownership", "办学性质", "ownership", "ownership", "ownershipZh"),
    Facet("tier", "双高档次", "双高 tier", "shuanggaoTierZh", "shuanggaoTierZh", entities=False),
    LINKS,
), {"code": ("code",), "name": ("nameZh", "code"), "province": ("provinceZh", "nameZh", "code"),
    "level": ("levelZh", "nameZh", "code")})
ENTITIES = Browsable((Facet("class", "类别", "class", "class", "classZh"), LINKS),
                     {"class": ("classZh", "label", "iri"), "name": ("label", "iri")})
LINK_STATUS = {(True, True): "ROR + Wikidata", (True, False): "ROR", (False, True): "Wikidata",
               (False, False): "无链接 none"}


def short(iri: str) -> str:
    """The id of a vetkg entity or the name of a class of the ontology, as a URL parameter takes it."""
    for namespace in (str(VKG), str(VET)):
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
    values = [(short(row[facet.value]) or NO_VALUE, row[facet.label])]
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
        facets.append({"key": facet.key, "zh": facet.zh, "en": facet.en, "values": values,
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
    pages = max(1, -(-len(selected) // PAGE_ROWS))
    page = min(max(page, 1), pages)
    return {"facets": facet_counts(kind, selected, chosen), "chosen": chosen,
            "sort": _sort(kind, sort), "sorts": list(kind.sorts), "total": len(rows),
            "count": len(selected), "page": page, "pages": pages,
            "rows": selected[(page - 1) * PAGE_ROWS:page * PAGE_ROWS], "page_rows": PAGE_ROWS}


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
