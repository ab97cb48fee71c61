"""Browsing the institutions by facets: what ``/institutions`` shows, and its downloads.

The rows are the answer to ``queries/exports/institutions.rq``, the same as
``build/csv/institutions.csv``, one per institution of the MOE list. A selection is a value
for any of the facets; each facet counts its values within the selection, and the rows of
the selection are sorted and cut into pages.
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


FACETS = (
    Facet("province", "省份", "province", "province", "provinceZh"),
    Facet("city", "城市", "city", "city", "cityZh"),
    Facet("level", "办学层次", "level", "level", "levelZh"),
    Facet("class", "类别", "class", "class", "classZh"),
    Facet("sponsor", "主管部门", "sponsor", "sponsor", "sponsorZh"),
    Facet("ownership", "办学性质", "ownership", "ownership", "ownershipZh"),
    Facet("tier", "双高档次", "双高 tier", "shuanggaoTierZh", "shuanggaoTierZh", entities=False),
    Facet("links", "链接", "links", "links", "links", entities=False),
)
SORTS = {"code": ("code",), "name": ("nameZh", "code"), "province": ("provinceZh", "nameZh", "code"),
         "level": ("levelZh", "nameZh", "code")}
LINK_STATUS = {(True, True): "ROR + Wikidata", (True, False): "ROR", (False, True): "Wikidata",
               (False, False): "无链接 none"}


def short(iri: str) -> str:
    """The id of a vetkg entity or the name of a class of the ontology, as a URL parameter takes it."""
    for namespace in (str(VKG), str(VET)):
        if iri.startswith(namespace):
            return iri[len(namespace):]
    return iri


def with_link_status(rows: list[dict]) -> list[dict]:
    """The rows, each with which of ROR and Wikidata it links to, a facet of its own."""
    return [{**row, "links": LINK_STATUS[bool(row["ror"]), bool(row["wikidata"])]} for row in rows]


def _values(row: dict, facet: Facet) -> list[tuple[str, str]]:
    """The row's values of a facet with their labels: a school of two sponsors has both."""
    values = [(short(row[facet.value]) or NO_VALUE, row[facet.label])]
    if facet.key == "sponsor" and row["coSponsor"]:
        values.append((short(row["coSponsor"]), row["coSponsorZh"]))
    return values


def select(rows: list[dict], chosen: dict[str, str]) -> list[dict]:
    """The rows that have every chosen facet value."""
    wanted = [(facet, chosen[facet.key]) for facet in FACETS if facet.key in chosen]
    return [row for row in rows
            if all(any(key == value for key, _ in _values(row, facet)) for facet, value in wanted)]


def facet_counts(selected: list[dict], chosen: dict[str, str]) -> list[dict]:
    """Each facet's values with their counts among the selected rows, most frequent first."""
    facets = []
    for facet in FACETS:
        counts = Counter(value for row in selected for value in _values(row, facet))
        values = [{"key": key, "label": label or "—", "count": count, "chosen": chosen.get(facet.key) == key,
                   "page": key if facet.entities and key != NO_VALUE else ""}
                  for (key, label), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
        facets.append({"key": facet.key, "zh": facet.zh, "en": facet.en, "values": values,
                       "chosen": chosen.get(facet.key, "")})
    return facets


def sorted_selection(rows: list[dict], chosen: dict[str, str], sort: str) -> list[dict]:
    """The selected rows in the order asked for (by code if the order is unknown)."""
    order = SORTS.get(sort, SORTS["code"])
    return sorted(select(rows, chosen), key=lambda row: tuple(row[column] for column in order))


def browse(rows: list[dict], chosen: dict[str, str], sort: str = "code", page: int = 1) -> dict:
    """What the page shows: the facets, the selection's size, its sorted page of rows, and paging."""
    selected = sorted_selection(rows, chosen, sort)
    pages = max(1, -(-len(selected) // PAGE_ROWS))
    page = min(max(page, 1), pages)
    return {"facets": facet_counts(selected, chosen), "chosen": chosen,
            "sort": sort if sort in SORTS else "code", "sorts": list(SORTS), "total": len(rows),
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
