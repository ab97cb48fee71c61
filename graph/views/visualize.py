"""Render a projected network as one self-contained interactive HTML page with pyvis.

pyvis builds the vis-network nodes, edges and options; the page template is vetkg's own,
because pyvis's templates link Bootstrap and vis-network from CDNs. The page inlines
vis-network from the pyvis package, so it opens with the network switched off. Every text
from the data reaches the page only as JSON and is shown with ``textContent``.
"""

from __future__ import annotations

import colorsys
import json
import re
from importlib import resources
from pathlib import Path

import networkx as nx

from vetkg.views.analyze import YEAR_WIDTH, centrality, layout

# Colour-blind-safe palette (Okabe-Ito, then Tol's muted), assigned to classes in sorted order.
PALETTE = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677",
    "#882255", "#AA4499", "#BBBBBB", "#EE7733", "#0077BB", "#33BBEE", "#EE3377", "#CC3311",
    "#009988", "#6699CC", "#997700", "#555555",
)


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


def _colour(index: int) -> str:
    """The palette's colours first, then hues spaced by the golden angle, all distinct."""
    if index < len(PALETTE):
        return PALETTE[index]
    hue = ((index - len(PALETTE)) * 0.381966 + 0.05) % 1.0
    red, green, blue = colorsys.hls_to_rgb(hue, 0.45, 0.55)
    return "#{:02X}{:02X}{:02X}".format(*(round(channel * 255) for channel in (red, green, blue)))


def _classes(network: nx.MultiDiGraph) -> dict[str, tuple[str, str]]:
    """The zh and en name of every class in the view, the classes of grouped members included."""
    found = {}
    for _, attributes in network.nodes(data=True):
        for item in (attributes, *attributes.get("members", ())):
            found[item["cls"]] = (item["class_zh"], item["class_en"])
    return found


def class_colours(network: nx.MultiDiGraph) -> dict[str, str]:
    return {cls: _colour(i) for i, cls in enumerate(sorted(_classes(network)))}


def _year(date: str) -> int | None:
    return int(date[:4]) if date else None


def _described(attributes: dict) -> dict:
    """What the page shows of a node or of a grouped member: names, class, year and evidence."""
    return dict(labelZh=attributes["label_zh"], labelEn=attributes["label_en"], cls=attributes["cls"],
                classZh=attributes["class_zh"], classEn=attributes["class_en"],
                year=_year(attributes.get("date", "")), quote=attributes["quote"],
                locator=attributes["locator"], links=sorted(attributes["links"]))


def _group_data(attributes: dict, colours: dict[str, str]) -> dict:
    """For a group node: its members, as the page draws them once the group is expanded."""
    if "members" not in attributes:
        return {}
    members = [{"id": member["id"], **_described(member), "color": colours[member["cls"]],
                "code": member["code"]} for member in attributes["members"]]
    return {"members": members}


def build_pyvis(network: nx.MultiDiGraph):
    """A pyvis Network: nodes coloured by class, sized by betweenness, at fixed positions."""
    from pyvis.network import Network

    colours = class_colours(network)
    scores = centrality(network)
    top = max((score["betweenness"] for score in scores.values()), default=0.0) or 1.0
    positions = layout(network)
    view = Network(directed=True, cdn_resources="in_line")
    for node, attributes in sorted(network.nodes(data=True)):
        x, y = positions[node]
        view.add_node(
            node, label=attributes["label_zh"], color=colours[attributes["cls"]],
            shape="diamond" if "members" in attributes else "dot",
            size=round(10 + 30 * scores[node]["betweenness"] / top, 1), x=x, y=y,
            **_described(attributes),
            degree=round(scores[node]["degree"], 4), betweenness=round(scores[node]["betweenness"], 4),
            **_group_data(attributes, colours),
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
    colours = class_colours(network)
    names = _classes(network)
    relations = {(e["relation"], e["labelZh"], e["labelEn"]) for e in edges}
    years = [node["year"] for node in nodes if node["year"]]
    data = {
        "title": title or network.graph.get("title", "vetkg"),
        "nodes": nodes, "edges": edges, "options": json.loads(options),
        "legend": [{"cls": cls, "zh": names[cls][0], "en": names[cls][1], "colour": colour}
                   for cls, colour in colours.items()],
        "relations": [{"relation": r, "zh": zh, "en": en} for r, zh, en in sorted(relations)],
        "years": [min(years), max(years)] if years else [],
        "view": network.graph.get("view", ""), "yearWidth": YEAR_WIDTH,
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
