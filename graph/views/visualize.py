"""Render a projected network as one self-contained interactive HTML page with pyvis.

pyvis builds the vis-network nodes, edges and options; the page template is vetkg's own,
because pyvis's templates link Bootstrap and vis-network from CDNs. The page inlines
vis-network from the pyvis package, so it opens with the network switched off. Every text
from the data reaches the page only as JSON and is shown with ``textContent``.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import networkx as nx

from vetkg.views.analyze import centrality, layout, year_lines
from vetkg.views.network import FAMILIES, OTHER_FAMILY

# A colour for each family of classes (vetkg.views.network.FAMILIES): the Okabe-Ito palette,
# which readers with any common colour blindness can tell apart, Tol's indigo, and grey.
FAMILY_COLOURS = {"government": "#D55E00", "school": "#0072B2", "body": "#E69F00", "document": "#009E73",
                  "programme": "#CC79A7", "place": "#56B4E9", "international": "#332288",
                  "concept": "#F0E442", "other": "#999999"}


def _vis_asset(name: str) -> str:
    import pyvis

    path = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / name
    return path.read_text(encoding="utf-8")


def _script_safe(code: str) -> str:
    # Code placed inside <script> or <style> must never close the element early. Only the
    # closing tags are touched: a blanket "</" rewrite would break regex literals in the code.
    return re.sub(r"</(script|style)", r"<\\/\1", code, flags=re.IGNORECASE)


def vis_network_script() -> str:
    """The vendored vis-network, as a page holds it inline."""
    return _script_safe(_vis_asset("vis-network.min.js"))


def json_for_html(value) -> str:
    # As Jinja's tojson does: no '<', '>' or '&' from the data reaches the page unescaped.
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _legend(network: nx.MultiDiGraph) -> list[dict]:
    """A legend entry for each family that the view's nodes (grouped members included) belong to."""
    present = {item["family"] for _, attributes in network.nodes(data=True)
               for item in (attributes, *attributes.get("members", ()))}
    return [{"family": key, "zh": zh, "en": en, "colour": FAMILY_COLOURS[key]}
            for key, zh, en, *_roots in (*FAMILIES, OTHER_FAMILY) if key in present]


def _year(date: str) -> int | None:
    return int(date[:4]) if date else None


def _described(attributes: dict) -> dict:
    """What the page shows of a node or of a grouped member: names, class, year and evidence."""
    return dict(labelZh=attributes["label_zh"], labelEn=attributes["label_en"], cls=attributes["cls"],
                classZh=attributes["class_zh"], classEn=attributes["class_en"], family=attributes["family"],
                year=_year(attributes.get("date", "")), quote=attributes["quote"],
                locator=attributes["locator"], links=sorted(attributes["links"]))


def _group_data(attributes: dict) -> dict:
    """For a group node: its members, as the page draws them once the group is expanded."""
    if "members" not in attributes:
        return {}
    members = [{"id": member["id"], **_described(member), "color": FAMILY_COLOURS[member["family"]],
                "code": member["code"]} for member in attributes["members"]]
    return {"members": members}


def build_pyvis(network: nx.MultiDiGraph):
    """A pyvis Network: nodes coloured by family of class, sized by betweenness, at fixed positions."""
    from pyvis.network import Network

    scores = centrality(network)
    top = max((score["betweenness"] for score in scores.values()), default=0.0) or 1.0
    positions = layout(network)
    view = Network(directed=True, cdn_resources="in_line")
    for node, attributes in sorted(network.nodes(data=True)):
        x, y = positions[node]
        view.add_node(
            node, label=attributes["label_zh"], color=FAMILY_COLOURS[attributes["family"]],
            shape="diamond" if "members" in attributes else "dot",
            size=round(10 + 30 * scores[node]["betweenness"] / top, 1), x=x, y=y,
            **_described(attributes),
            degree=round(scores[node]["degree"], 4), betweenness=round(scores[node]["betweenness"], 4),
            **_group_data(attributes),
        )
    edges = sorted(network.edges(data=True), key=lambda edge: (edge[0], edge[1], edge[2]["relation"]))
    for source, target, attributes in edges:
        years = [y for y in (_year(network.nodes[source]["date"]), _year(network.nodes[target]["date"])) if y]
        view.add_edge(
            source, target, label=attributes["label_zh"], labelZh=attributes["label_zh"],
            labelEn=attributes["label_en"], relation=attributes["relation"],
            year=max(years) if years else None, arrows="to", font={"size": 10, "align": "middle"},
        )
    view.set_options(json.dumps({
        # Positions are computed beforehand, so the picture is still from the first frame.
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 150},
        "edges": {"smooth": False, "color": {"inherit": False, "color": "#9aa0a6"}},
    }))
    return view


def render_network(network: nx.MultiDiGraph, title: str | None = None) -> str:
    """The network as a self-contained HTML page."""
    from jinja2 import Environment

    view = build_pyvis(network)
    nodes, edges, _heading, _height, _width, options = view.get_network_data()
    for number, edge in enumerate(edges):
        edge["id"] = f"e{number}"
    relations = {(e["relation"], e["labelZh"], e["labelEn"]) for e in edges}
    years = [node["year"] for node in nodes if node["year"]]
    data = {
        "title": title or network.graph.get("title", "vetkg"),
        "nodes": nodes, "edges": edges, "options": json.loads(options),
        "legend": _legend(network),
        "relations": [{"relation": r, "zh": zh, "en": en} for r, zh, en in sorted(relations)],
        "years": [min(years), max(years)] if years else [],
        "view": network.graph.get("view", ""),
        # The x of each year's line on the timeline, the undated column's first.
        "yearLines": [[year, x] for year, x in sorted(year_lines(network).items())]
        if network.graph.get("view") == "timeline" else [],
        "focus": network.graph.get("focus"),
        # The view's query, which the page links to on the SPARQL page.
        "query": network.graph.get("query", ""),
    }
    template = resources.files("vetkg.views").joinpath("templates/network.html").read_text("utf-8")
    return Environment(autoescape=True).from_string(template).render(
        title=data["title"],
        data_json=json_for_html(data),
        vis_js=vis_network_script(),
        vis_css=_script_safe(_vis_asset("vis-network.css")),
        node_count=network.number_of_nodes(), edge_count=network.number_of_edges(),
    )
