"""The network pages: self-contained, faithful to their projection, safe with hostile labels."""

import json
import re
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from vetkg.namespaces import VKG
from vetkg.query.catalogue import load_views
from vetkg.query.store import open_store, run_query
from vetkg.views.network import (
    GROUP_ABOVE,
    NEIGHBOURHOOD,
    TooLarge,
    find_entity,
    project_network,
    view_names,
)
from vetkg.views.visualize import render_network

VIEWS = view_names()
FOCUS = "广西"


def project(store, view):
    return project_network(store, view, focus=FOCUS if view == NEIGHBOURHOOD else None, hops=2)


def page_data(html):
    match = re.search(r'<script type="application/json" id="vetkg-data">(.*?)</script>', html, re.S)
    assert match, "the page carries its data as JSON"
    return json.loads(match.group(1))


def test_views_were_collected():
    assert set(VIEWS) == {"governance", "cooperation", "regional", "timeline", "agenda", NEIGHBOURHOOD}


@pytest.mark.parametrize("view", VIEWS)
def test_page_has_no_external_resource(view, store):
    html = render_network(project(store, view))
    assert not re.findall(r"""(?:src|href)\s*=\s*["']?(?:[a-z]+:)?//""", html, re.I)
    assert not re.findall(r"""url\(\s*["']?(?:[a-z]+:)?//""", html, re.I)
    assert "@import" not in html
    assert "default-src 'none'" in html
    assert "vis.Network" in html
    assert "cdnjs.cloudflare.com" not in html and "cdn.jsdelivr.net" not in html


@pytest.mark.parametrize("view", [view for view in VIEWS if view != NEIGHBOURHOOD])
def test_node_and_edge_counts_equal_the_projection(store, view):
    rows = run_query(store, load_views()[view].text).plain_rows()
    assert rows, f"view {view} projects nothing"
    nodes = {row[0] for row in rows} | {row[2] for row in rows if row[2]}
    edges = {row for row in rows if row[2]}
    network = project_network(store, view)
    data = page_data(render_network(network))
    # A group stands for its members, and its one edge for theirs.
    groups = [node for node in data["nodes"] if node.get("members")]
    members = {member["id"] for group in groups for member in group["members"]}
    assert len(data["nodes"]) == network.number_of_nodes() == len(nodes) - len(members) + len(groups)
    assert len(data["edges"]) == network.number_of_edges() == len(edges) - len(members) + len(groups)
    assert {node["id"] for node in data["nodes"] if not node.get("members")} | members == nodes


def test_institutions_of_one_sponsor_or_province_are_grouped_above_the_stated_size(store):
    for view, relation in (("governance", "sponsor"), ("regional", "province")):
        network = project_network(store, view)
        groups = {node: a for node, a in network.nodes(data=True) if "members" in a}
        assert groups, view
        for node, attributes in groups.items():
            assert len(attributes["members"]) > GROUP_ABOVE
            ((_, target, key),) = network.out_edges(node, keys=True)
            # The group names its owner and the relation: 广东省（主管部门）· 104所.
            owner, tie = network.nodes[target], network.get_edge_data(node, target, key)
            count = len(attributes["members"])
            assert attributes["label_zh"] == f"{owner['label_zh']}（{tie['label_zh']}）· {count}所"
            assert attributes["label_en"].startswith(owner["label_en"])
            assert key.endswith(relation) and node.startswith(target)
        grouped = {member["id"] for a in groups.values() for member in a["members"]}
        assert not grouped & set(network.nodes), "a grouped institution is not drawn again"
    regional = project_network(store, "regional")
    jiangsu = regional.nodes[str(VKG["CN-JS"]) + "#province-institutions"]
    assert len(jiangsu["members"]) == 175
    assert jiangsu["label_zh"].startswith("江苏省（") and jiangsu["label_zh"].endswith("· 175所")


def test_the_neighbourhood_of_an_institution(store):
    network = project_network(store, NEIGHBOURHOOD, focus="深圳职业技术大学", hops=1)
    szpu = str(VKG["moe-4144011113"])
    assert network.graph["focus"] == szpu
    assert {str(VKG["CN-GD"]), str(VKG["CN-440300"]), str(VKG["higher-vocational-bachelor"])} <= set(network)
    assert project_network(store, NEIGHBOURHOOD, focus="深圳职业技术学院", hops=1).graph["focus"] == szpu


def test_neighbourhood_holds_what_lies_within_the_hops(store):
    network = project_network(store, NEIGHBOURHOOD, focus=FOCUS, hops=2)
    center = find_entity(store, FOCUS)
    assert center == str(VKG["CN-GX"]) and network.graph["focus"] == center
    everything = project_network(store, NEIGHBOURHOOD, focus=FOCUS, hops=99, node_budget=None)
    distances = nx.single_source_shortest_path_length(everything.to_undirected(), center)
    near = {node for node, hops in distances.items() if hops <= 2}
    drawn = set(network.nodes)
    grouped = {member["id"] for node in drawn for member in network.nodes[node].get("members", ())}
    assert {node for node in drawn if "members" not in network.nodes[node]} | grouped <= near
    assert near - grouped <= drawn
    assert project_network(store, NEIGHBOURHOOD, focus="Laos", hops=1).graph["focus"] == str(VKG.LA)


def test_a_neighbourhood_over_the_node_budget_says_how_to_narrow_it(store):
    wide = project_network(store, NEIGHBOURHOOD, focus=FOCUS, hops=2)
    budget = len(wide) - 1
    expected = rf"has {len(wide):,} nodes, more than the {budget:,} .* ask for hops=1,"
    with pytest.raises(TooLarge, match=expected):
        project_network(store, NEIGHBOURHOOD, focus=FOCUS, hops=2, node_budget=budget)
    # Far past the budget, the reading stops before the labels are read.
    with pytest.raises(TooLarge, match=r"has more than [\d,]+ nodes"):
        project_network(store, NEIGHBOURHOOD, focus=FOCUS, hops=2, node_budget=1)


def test_nodes_carry_labels_class_evidence_size_and_legend(store):
    data = page_data(render_network(project_network(store, "governance")))
    moe = next(node for node in data["nodes"] if node["id"] == str(VKG.moe))
    assert moe["label"] == "教育部" == moe["labelZh"]
    assert moe["labelEn"].startswith("Ministry of Education")
    assert moe["quote"] and moe["locator"].startswith("第一编")
    assert "http://www.wikidata.org/entity/Q1042167" in moe["links"]
    # The legend names a few families of classes; the tooltip and panel name the exact class.
    assert {entry["en"] for entry in data["legend"]} >= {"government and party bodies", "documents"}
    assert 3 <= len(data["legend"]) <= 12
    colours = {entry["family"]: entry["colour"] for entry in data["legend"]}
    assert moe["family"] == "government" and moe["color"] == colours["government"]
    assert moe["classEn"] == "government body"
    assert all(edge["label"] and edge["labelEn"] for edge in data["edges"])
    assert max(node["size"] for node in data["nodes"]) > min(node["size"] for node in data["nodes"])
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(node["x"], float) for node in data["nodes"])


def test_timeline_places_nodes_by_year(store):
    data = page_data(render_network(project_network(store, "timeline")))
    # Undated nodes appear only as what a dated one is part of, succeeds or set up.
    dated = [node for node in data["nodes"] if node["year"]]
    assert dated and len(dated) >= len(data["nodes"]) - 4
    by_year = sorted(dated, key=lambda node: node["x"])
    assert [node["year"] for node in by_year] == sorted(node["year"] for node in dated)
    # From the first law to the last Luban Workshop the news pages date (2025-08-30).
    assert data["years"] == [1996, 2025]


def test_a_script_in_a_label_is_escaped(graph):
    html = render_network(project_network(open_store(hostile(graph)), "governance"))
    assert "<script>alert" not in html
    assert "\\u003cscript\\u003ealert" in html
    labels = {node["label"] for node in page_data(html)["nodes"]}
    assert HOSTILE in labels
    assert "textContent" in html and "innerHTML" not in html


HOSTILE = '<script>alert("x")</script><img src=x onerror="window.pwned=1">'


def hostile(graph, node=str(VKG.moe)):
    """A copy of the graph in which the node's zh label is a script."""
    copy = graph + Graph()  # a copy, so the session graph stays clean
    node = URIRef(node)
    for label in list(copy.objects(node, SKOS.prefLabel)):
        if label.language == "zh":
            copy.remove((node, SKOS.prefLabel, label))
    copy.add((node, SKOS.prefLabel, Literal(HOSTILE, lang="zh")))
    return copy


def test_pages_are_deterministic(store):
    assert render_network(project_network(store, "cooperation")) == render_network(
        project_network(store, "cooperation"))


def test_vis_network_is_inlined_unaltered(store):
    """The library code reaches the page byte for byte, but for closing-tag escapes."""
    import pyvis

    asset = (Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js").read_text("utf-8")
    html = render_network(project_network(store, "governance"))
    assert asset in re.findall(r"<script>(.*?)</script>", html, re.S)


def test_families_get_distinct_colours_and_at_most_twelve_legend_entries(store):
    for view in VIEWS:
        legend = page_data(render_network(project(store, view)))["legend"]
        colours = [entry["colour"] for entry in legend]
        assert colours and len(colours) == len(set(colours)) and len(colours) <= 12


@pytest.mark.parametrize("view", VIEWS)
def test_page_draws_in_headless_chromium_with_the_network_off(view, tmp_path, chromium, store):
    page = tmp_path / f"{view}.html"
    page.write_text(render_network(project(store, view)), encoding="utf-8")
    result = subprocess.run(
        [chromium[0], "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--proxy-server=http://127.0.0.1:9",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=20000", "--dump-dom",
         page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
    assert "<canvas" in result.stdout
