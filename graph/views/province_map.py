"""A choropleth map of China's provincial-level divisions for every figure of ``queries/map/``.

Each map query returns one row per province: the province's IRI and a number; its header
names the unit. The page holds the answers as JSON and the boundaries inline, so it works
offline, from a file or a server. The boundaries are the map of China of Apache ECharts
4.9.0 (``static/china.json``: all 34 provincial-level divisions, Taiwan, Hong Kong and Macau
among them) with its inset of the South China Sea Islands (``static/china-nanhai.json``),
drawn as ECharts draws them: in degrees, the latitude stretched by its aspect scale.
"""

from __future__ import annotations

import csv
import functools
import io
import json

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
CREDIT = ("Boundaries: the map of China of Apache ECharts 4.9.0 (map/json/china.json and its "
          "inset of the South China Sea Islands), Apache License 2.0.")
# SVG units per degree of longitude.
UNITS_PER_DEGREE = 10


@functools.cache
def boundary_ids() -> dict[str, str]:
    """Each drawn division's path id, by its ISO 3166-2 code (the vetkg id): the code itself."""
    return {division: division for division in _divisions().values()}


@functools.cache
def _divisions() -> dict[str, str]:
    """The ISO 3166-2 code of each division of the boundary file, by its GB/T 2260 code."""
    rows = csv.DictReader(io.StringIO(static_text("china-divisions.csv")))
    return {row["adcode"]: row["iso_3166_2"] for row in rows}


def _decoded_ring(text: str, offsets: list[int], scale: int) -> list[tuple[float, float]]:
    """A ring of ECharts' compact encoding as (longitude, latitude) pairs.

    Each pair of characters is the zigzag-coded step from the point before, in 1/scale degree.
    """
    x, y, points = offsets[0], offsets[1], []
    for position in range(0, len(text), 2):
        step_x, step_y = ord(text[position]) - 64, ord(text[position + 1]) - 64
        x += (step_x >> 1) ^ -(step_x & 1)
        y += (step_y >> 1) ^ -(step_y & 1)
        points.append((x / scale, y / scale))
    return points


def _points(ring: list[tuple[float, float]], aspect: float) -> list[tuple[float, float]]:
    """A ring in SVG units: x the longitude, y the latitude stretched by 1/aspect, downwards."""
    return [(lon * UNITS_PER_DEGREE, -lat / aspect * UNITS_PER_DEGREE) for lon, lat in ring]


def _text(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


@functools.cache
def boundary_svg() -> str:
    """The map as SVG: a path per division, with its ISO code as id, and the inset's polygons."""
    boundaries = json.loads(static_text("china.json"))
    inset = json.loads(static_text("china-nanhai.json"))
    aspect, scale = inset["aspectScale"], boundaries.get("UTF8Scale", 1024)
    divisions, drawn = [], []
    for feature in boundaries["features"]:
        geometry = feature["geometry"]
        polygons, offsets = geometry["coordinates"], geometry["encodeOffsets"]
        if geometry["type"] == "Polygon":
            polygons, offsets = [polygons], [offsets]
        rings = [_points(_decoded_ring(ring, ring_offsets, scale), aspect)
                 for polygon, polygon_offsets in zip(polygons, offsets, strict=True)
                 for ring, ring_offsets in zip(polygon, polygon_offsets, strict=True)]
        drawn += rings
        code, name = _divisions()[feature["properties"]["id"]], feature["properties"]["name"]
        path = " ".join("M" + _text(ring) + "Z" for ring in rings)
        divisions.append(f'<path id="{code}" aria-label="{name}" d="{path}"/>')
    # The inset's points are in its own units, placed from its corner (in degrees) as ECharts does.
    (east, north), divisor = inset["geoCoord"], inset["divisor"]
    islands = [_points([(east + x / divisor, north - y / divisor * aspect) for x, y in polygon], aspect)
               for polygon in inset["polygons"]]
    drawn += islands
    xs, ys = [x for ring in drawn for x, _ in ring], [y for ring in drawn for _, y in ring]
    margin = UNITS_PER_DEGREE
    box = f"{min(xs) - margin:.0f} {min(ys) - margin:.0f} {max(xs) - min(xs) + 2 * margin:.0f} " \
          f"{max(ys) - min(ys) + 2 * margin:.0f}"
    shapes = "".join(f'<polygon points="{_text(ring)}"/>' for ring in islands)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}" aria-label="中国 China">'
            f'{"".join(sorted(divisions))}<g class="inset" aria-label="{inset["name"]}">{shapes}</g></svg>')


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
                        "unitEn": query.header.get("unit-en", ""), "values": values, "query": query.text})
    return figures


def map_values(store: pyoxigraph.Store, entity_base: str) -> dict:
    """What the map page shows; ``entity_base`` is where entity pages are (``id/`` on a server)."""
    figures = sorted(map_figures(store), key=lambda figure: figure["name"] != FIRST_FIGURE)
    provinces = sorted({code for figure in figures for code in figure["values"]} | set(boundary_ids()))
    names = {code: {"zh": _label(store, str(VKG[code]), "zh"), "en": _label(store, str(VKG[code]), "en")}
             for code in provinces}
    data = {"figures": figures, "names": names, "paths": boundary_ids(), "entityBase": entity_base}
    return {"svg": boundary_svg(), "data_json": json_for_html(data), "credit": CREDIT,
            "figures": figures}
