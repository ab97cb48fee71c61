"""The catalogue of majors as a page to browse: level → category → class → major.

Each major links to its entity page and shows its code, the K of a nationally controlled
major and the number of 双高 major groups named after it; each category and class names its
namesakes at the other levels, so that a reader can follow one class from 中职 to 本科.
"""

from __future__ import annotations

import pyoxigraph

from vetkg.build.schema import CATALOGUE_LEVELS
from vetkg.namespaces import VKG
from vetkg.query import catalogue
from vetkg.query.store import run_query

CATALOGUE_PAGE = "catalogue.html"
# The levels in the catalogue's own order: 中职, 专科, 本科.
LEVEL_ORDER = {str(VKG[level]): rank for rank, level in enumerate(CATALOGUE_LEVELS.values())}


def _rows(store: pyoxigraph.Store, name: str) -> list[dict]:
    return run_query(store, catalogue.text(f"pages/{name}")).plain_records()


def _local(iri: str) -> str:
    return iri.removeprefix(str(VKG))


def catalogue_values(store: pyoxigraph.Store) -> dict:
    """The levels of the catalogue, each with its categories, their classes and their majors."""
    namesakes = {}
    for row in _rows(store, "catalogue-namesakes"):
        namesakes.setdefault(row["concept"], []).append(
            {"code": row["namesakeCode"], "level": row["levelZh"], "id": _local(row["namesake"]),
             "rank": LEVEL_ORDER[row["level"]]})
    for found in namesakes.values():
        found.sort(key=lambda namesake: namesake["rank"])
    levels = {}
    rows = _rows(store, "catalogue-tree")
    for row in sorted(rows, key=lambda row: (LEVEL_ORDER[row["level"]], row["majorCode"])):
        level = levels.setdefault(row["level"], {"zh": row["levelZh"], "categories": {}, "majors": 0})
        category = level["categories"].setdefault(row["category"], {
            "code": row["categoryCode"], "zh": row["categoryZh"], "id": _local(row["category"]),
            "namesakes": namesakes.get(row["category"], []), "classes": {}})
        group = category["classes"].setdefault(row["class"], {
            "code": row["classCode"], "zh": row["classZh"], "id": _local(row["class"]),
            "namesakes": namesakes.get(row["class"], []), "majors": []})
        group["majors"].append({"code": row["majorCode"], "zh": row["majorZh"], "id": _local(row["major"]),
                                "controlled": row["controlled"] == "true", "groups": int(row["groups"])})
        level["majors"] += 1
    return {"levels": list(levels.values())}
