"""Analytics, network files for other tools, and charts."""

import csv
import io
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from click.testing import CliRunner

from vetkg.cli import main
from vetkg.views.analyze import centrality, communities, layout, shortest_path
from vetkg.views.charts import load_series, render_svg
from vetkg.views.network import connecting_network, project_network
from vetkg.views.network_formats import to_gexf, to_graphml, to_kumu

VKG = "https://w3id.org/vetkg/id/"


def test_brokers_of_the_governance_network(store):
    network = project_network(store, "governance")
    scores = centrality(network)
    assert set(scores) == set(network.nodes)
    top = sorted(scores, key=lambda node: -scores[node]["betweenness"])[:3]
    assert VKG + "moe" in top
    assert all(0 <= s["degree"] <= 1 and 0 <= s["betweenness"] <= 1 for s in scores.values())


def test_communities_cover_every_node_once_and_are_stable(store):
    network = project_network(store, "governance")
    groups = communities(network)
    members = [node for group in groups for node in group]
    assert len(groups) > 1 and sorted(members) == sorted(network.nodes)
    assert groups == communities(network)
    regions = next(group for group in groups if VKG + "jing-jin-ji" in group)
    assert VKG + "regional-coordinated-development-strategy" in regions


def test_shortest_path_between_names_with_evidence(store):
    hops = shortest_path(*connecting_network(store, "广西", "老挝"))
    assert hops and hops[0].source == VKG + "CN-GX" and hops[-1].target == VKG + "LA"
    for before, after in zip(hops, hops[1:], strict=False):
        assert before.target == after.source
    assert all(hop.quote and hop.locator for hop in hops)
    assert hops[-1].relation_label == "合作国家"
    with pytest.raises(nx.NetworkXNoPath):
        connecting_network(store, "广西", "万亩")


def test_layout_is_fixed_and_the_timeline_runs_left_to_right(store):
    network = project_network(store, "timeline")
    assert layout(network) == layout(network)
    positions = layout(network)
    dated = sorted((a["date"][:4], positions[n][0]) for n, a in network.nodes(data=True) if a["date"])
    assert [x for _, x in dated] == sorted(x for _, x in dated)


def test_governance_is_drawn_as_a_hierarchy_of_bands(store):
    from vetkg.views.analyze import BANDS, _band_key

    network = project_network(store, "governance")
    positions = layout(network)
    assert positions == layout(network) and len(positions) == network.number_of_nodes()
    band = {node: next(number for number, keys in enumerate(BANDS) if _band_key(attributes) in keys)
            for node, attributes in network.nodes(data=True)}
    # Every band lies wholly above the next: national government at the top, schools at the bottom.
    spans: dict[int, list[float]] = {}
    for node, number in band.items():
        spans.setdefault(number, []).append(positions[node][1])
    order = sorted(spans)
    assert order[0] == 0 and order[-1] == len(BANDS) - 1 and len(order) >= 6
    assert all(max(spans[upper]) < min(spans[lower]) for upper, lower in zip(order, order[1:], strict=False))
    # Inside a band, what a node points to is above it (cycles aside).
    cyclic = {node for component in nx.strongly_connected_components(nx.DiGraph(network))
              if len(component) > 1 for node in component}
    inner = [(u, v) for u, v in network.edges() if u != v and band[u] == band[v] and not {u, v} <= cyclic]
    assert inner and all(positions[v][1] < positions[u][1] for u, v in inner)
    # The ministry is above all that it sponsors or issues; a provincial department is below the provinces.
    moe = VKG + "moe"
    below_moe = [u for u, v in network.edges() if v == moe]
    assert below_moe and all(positions[u][1] > positions[moe][1] for u in below_moe)
    hebei = VKG + "hebei-education-department"
    assert positions[hebei][1] > positions[VKG + "CN-HE"][1] > positions[VKG + "mohrss"][1]
    # No two nodes share a place.
    assert len(set(positions.values())) == len(positions)


def test_the_agenda_draws_each_part_of_the_report_in_a_column_of_its_own(store):
    from vetkg.views.analyze import AGENDA_COLUMNS

    network = project_network(store, "agenda")
    positions = layout(network)
    assert positions == layout(network)
    columns = {}
    for node, attributes in network.nodes(data=True):
        part = attributes["cls"].rsplit("#", 1)[-1]
        if part in AGENDA_COLUMNS:
            columns.setdefault(AGENDA_COLUMNS.index(part), set()).add(positions[node][0])
    # Every task of a part shares its part's x; the parts run left to right as the report does.
    assert sorted(columns) == [0, 1, 2] and all(len(xs) == 1 for xs in columns.values())
    xs = [next(iter(columns[number])) for number in (0, 1, 2)]
    assert xs == sorted(xs) and len(set(xs)) == 3
    # What the tasks concern is spread around them, not piled on a column.
    others = [positions[node][0] for node, a in network.nodes(data=True)
              if a["cls"].rsplit("#", 1)[-1] not in AGENDA_COLUMNS]
    assert len(others) > 100 and len({round(x) for x in others} - set(xs)) > 100


def test_gexf_has_time_spells_and_reads_back(store):
    network = project_network(store, "timeline")
    text = to_gexf(network)
    assert 'mode="dynamic"' in text and "lastmodifieddate" not in text
    spells = ET.fromstring(text).findall(".//{http://www.gexf.net/1.2draft}node[@start]")
    assert spells and {node.get("start") for node in spells} >= {"1996", "2022", "2023"}
    assert nx.read_gexf(io.BytesIO(text.encode("utf-8"))).number_of_nodes() == network.number_of_nodes()


def test_graphml_and_kumu_hold_every_node_and_edge(store):
    network = project_network(store, "cooperation")
    read = nx.read_graphml(io.StringIO(to_graphml(network)))
    assert read.number_of_nodes() == network.number_of_nodes()
    assert read.number_of_edges() == network.number_of_edges()
    elements, connections = to_kumu(network)
    element_rows = list(csv.DictReader(io.StringIO(elements)))
    connection_rows = list(csv.DictReader(io.StringIO(connections)))
    assert len(element_rows) == network.number_of_nodes()
    assert len(connection_rows) == network.number_of_edges()
    labels = {row["Label"] for row in element_rows}
    assert all(row["From"] in labels and row["To"] in labels for row in connection_rows)


def test_charts_of_the_series(store):
    series = {chart.name: chart for chart in load_series(store)}
    assert "fig-1-4--graduates" in series and "fig-1-6--full-time-teachers" in series
    graduates = series["fig-1-4--graduates"]
    assert len(graduates.lines) == 3 and all(len(points) == 12 for points in graduates.lines.values())
    svg = render_svg(graduates)
    root = ET.fromstring(svg)
    namespace = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{namespace}polyline")) == 3
    assert len(root.findall(f"{namespace}circle")) == 36
    assert "2023: 1094 万人" in svg and "<script" not in svg
    assert svg == render_svg(graduates)


def test_cli_analyze_viz_formats_and_plot(tmp_path, built_once):
    runner = CliRunner()
    path = runner.invoke(main, ["analyze", "--path", "广西", "老挝"])
    assert path.exit_code == 0 and "老挝" in path.output and "第一编" in path.output
    brokers = runner.invoke(main, ["analyze", "--view", "governance", "--top", "3"])
    assert brokers.exit_code == 0 and "教育部" in brokers.output and "communities:" in brokers.output
    for output, name in (("gexf", "g.gexf"), ("graphml", "g.graphml"), ("kumu", "g.csv"), ("html", "g.html")):
        result = runner.invoke(main, ["viz", "--focus", "广西", "--hops", "2", "--format", output,
                                      "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "g-elements.csv").exists() and (tmp_path / "g-connections.csv").exists()
    charts = runner.invoke(main, ["plot", "--out", str(tmp_path / "charts")])
    written = sorted(path.stem for path in (tmp_path / "charts").glob("*.svg"))
    assert charts.exit_code == 0 and len(written) >= 5
    assert {"fig-1-4--graduates", "fig-1-6--full-time-teachers", "fig-1-16--destination-rate"} <= set(written)
    assert runner.invoke(main, ["viz", "--view", "neighbourhood"]).exit_code == 1


def test_a_network_above_the_exact_sizes_is_laid_out_and_ranked_with_samples(monkeypatch):
    """A layout of 500 nodes or more needs scipy (declared). Above the stated sizes,
    betweenness is sampled and the layout shortened, both seeded, so both stay the same."""
    from vetkg.views import analyze

    monkeypatch.setattr(analyze, "CENTRALITY_WORK", 100_000)
    monkeypatch.setattr(analyze, "FULL_LAYOUT_UP_TO", 400)
    network = nx.MultiDiGraph(nx.barabasi_albert_graph(600, 2, seed=1))
    network = nx.relabel_nodes(network, {node: f"n{node:05d}" for node in network})
    scores, again = centrality(network), centrality(network)
    assert len(scores) == network.number_of_nodes() and scores == again
    assert max(score["betweenness"] for score in scores.values()) > 0
    positions = layout(network)
    assert len(positions) == network.number_of_nodes() and positions == layout(network)
