"""A choropleth map of China's provincial-level divisions for every figure of ``queries/map/``.

Each map query returns one row per province: the province's IRI and a number; its header
names the unit. The page holds the answers as JSON and the vendored boundary file
(``static/china-provinces.svg``) inline, so it works offline, from a file or a server.
"""

from __future__ import annotations

import csv
import functools
import io

import pyoxigraph
from rdflib.namespace import SKOS

from vetkg.namespaces import VKG
from vetkg.query import catalogue
from vetkg.query.store import run_query
from vetkg.views.assets import static_text
from vetkg.views.visualize import json_for_html

MAP_PAGE = "map.html"
# The figure a page opens with, unless its address names another (#figure=…).
FIRST_FIGURE = "institutions"
CREDIT = ("Boundaries: “Map of China” by MapSVG (mapsvg.com), CC BY 4.0, via @svg-maps/china "
          "2.0.0; Taiwan is not in the boundary file.")


@functools.cache
def boundary_ids() -> dict[str, str]:
    """Each path id of the boundary file, by the ISO 3166-2 code (the vetkg id) of its division."""
    rows = csv.DictReader(io.StringIO(static_text("china-provinces.csv")))
    return {row["iso_3166_2"]: row["path_id"] for row in rows}


def _label(store: pyoxigraph.Store, iri: str, language: str) -> str:
    label = pyoxigraph.NamedNode(str(SKOS.prefLabel))
    for quad in store.quads_for_pattern(pyoxigraph.NamedNode(iri), label, None):
        if quad.object.language == language:
            return quad.object.value
    return ""


def map_figures(store: pyoxigraph.Store) -> list[dict]:
    """Each map query's question, unit and values by province id, in catalogue order."""
    figures = []
    for query in catalogue.group("map", "*.rq"):
        values = {}
        for province, value in run_query(store, query.text).plain_rows():
            if province.startswith(str(VKG)) and value:
                values[province[len(str(VKG)):]] = float(value) if "." in value else int(value)
        figures.append({"name": query.name, "title": query.title, "zh": query.question_zh,
                        "en": query.question_en, "unitZh": query.header.get("unit-zh", ""),
                        "unitEn": query.header.get("unit-en", ""), "values": values})
    return figures


def map_values(store: pyoxigraph.Store, entity_base: str) -> dict:
    """What the map page shows; ``entity_base`` is where entity pages are (``id/`` on a server)."""
    figures = sorted(map_figures(store), key=lambda figure: figure["name"] != FIRST_FIGURE)
    provinces = sorted({code for figure in figures for code in figure["values"]} | set(boundary_ids()))
    names = {code: {"zh": _label(store, str(VKG[code]), "zh"), "en": _label(store, str(VKG[code]), "en")}
             for code in provinces}
    data = {"figures": figures, "names": names, "paths": boundary_ids(), "entityBase": entity_base}
    return {"svg": static_text("china-provinces.svg"), "data_json": json_for_html(data), "credit": CREDIT,
            "figures": figures}
