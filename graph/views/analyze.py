"""Network analytics with networkx: who brokers, which groups form, and how two entities connect."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

LAYOUT_SEED = 7
# Betweenness costs one breadth-first search from each pivot node, each visiting every node and
# relation. It is exact while that costs at most CENTRALITY_WORK visits, and above that estimated
# from a seeded sample of as many pivots as the work allows (never fewer than MIN_PIVOTS).
CENTRALITY_WORK = 2_000_000
MIN_PIVOTS = 100
# Above this size the layout takes fewer steps: a full layout grows with the square of the nodes.
FULL_LAYOUT_UP_TO = 1_000
SHORT_LAYOUT_ITERATIONS = 15
# The timeline's width of one year; the page draws its year axis with the same width.
YEAR_WIDTH = 160.0


def simple_undirected(network: nx.MultiDiGraph) -> nx.Graph:
    """The network with directions and parallel relations folded, for centrality and layout."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(network.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in network.edges() if u != v))
    return simple


def centrality(network: nx.MultiDiGraph) -> dict[str, dict[str, float]]:
    """Degree and betweenness centrality of every node, both normalised to 0..1.

    Betweenness is exact while it costs at most CENTRALITY_WORK visits, then estimated.
    """
    simple = simple_undirected(network)
    degree = nx.degree_centrality(simple) if len(simple) > 1 else {n: 0.0 for n in simple}
    pivots = max(MIN_PIVOTS, CENTRALITY_WORK // max(1, len(simple) + simple.number_of_edges()))
    sample = pivots if len(simple) > pivots else None
    betweenness = nx.betweenness_centrality(simple, k=sample, seed=LAYOUT_SEED)
    return {node: {"degree": degree[node], "betweenness": betweenness[node]} for node in simple}


def communities(network: nx.MultiDiGraph) -> list[list[str]]:
    """Louvain communities, largest first, each sorted; seeded, so always the same."""
    simple = simple_undirected(network)
    found = nx.community.louvain_communities(simple, seed=LAYOUT_SEED) if simple.number_of_edges() else []
    return sorted((sorted(group) for group in found), key=lambda group: (-len(group), group))


@dataclass(frozen=True)
class Hop:
    """One step of a path, with the evidence of the row that states its relation.

    ``reversed`` is true where the step runs against the relation's direction.
    """

    source: str
    source_label: str
    relation_label: str
    target: str
    target_label: str
    reversed: bool
    quote: str
    locator: str


def shortest_path(network: nx.MultiDiGraph, source: str, target: str) -> list[Hop]:
    """The shortest chain of relations between two nodes of a network, with each hop's evidence."""
    if source not in network or target not in network:
        raise nx.NetworkXNoPath(f"{target} is not connected to {source}")
    nodes = nx.shortest_path(simple_undirected(network), source, target)
    hops = []
    for here, there in zip(nodes, nodes[1:], strict=False):
        forward = network.has_edge(here, there)
        stated_by, other = (here, there) if forward else (there, here)
        relation = min(network.get_edge_data(stated_by, other).values(), key=lambda e: e["relation"])
        evidence = network.nodes[stated_by]
        hops.append(Hop(here, network.nodes[here]["label_zh"], relation["label_zh"] or relation["relation"],
                        there, network.nodes[there]["label_zh"], not forward,
                        evidence["quote"], evidence["locator"]))
    return hops


# Views drawn in layers: whatever a node points to (its parent body, issuer, sponsor) is
# drawn in the layer above it.
LAYERED_VIEWS = ("governance",)
LAYER_GAP, ROW_GAP, NODE_GAP = 220.0, 70.0, 130.0
# A layer of more nodes than this is folded into rows, so that it stays on a screen's width.
LAYER_ROW = 28


def layered_layout(network: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Layers from the top down: a node sits one layer below the lowest of its targets.

    Cycles are drawn as one layer (the strongly connected components of the relations); in
    a layer, nodes follow the mean position of their targets, so that the lines run short.
    """
    simple = nx.DiGraph()
    simple.add_nodes_from(sorted(network.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in network.edges() if u != v))
    condensed = nx.condensation(simple)
    depth: dict[int, int] = {}
    for component in reversed(list(nx.topological_sort(condensed))):
        depth[component] = 1 + max((depth[target] for target in condensed.successors(component)), default=-1)
    layers: dict[int, list[str]] = {}
    for component, members in condensed.nodes(data="members"):
        layers.setdefault(depth[component], []).extend(members)
    labels = {node: network.nodes[node].get("label_zh", node) for node in network.nodes}
    placed: dict[str, tuple[float, float]] = {}
    y = 0.0
    for number in sorted(layers):
        def after_targets(node):
            above = [placed[target][0] for target in simple.successors(node) if target in placed]
            return (sum(above) / len(above) if above else 0.0, labels[node], node)

        ordered = sorted(layers[number], key=after_targets)
        for start in range(0, len(ordered), LAYER_ROW):
            row = ordered[start:start + LAYER_ROW]
            for index, node in enumerate(row):
                placed[node] = ((index - (len(row) - 1) / 2) * NODE_GAP, y)
            y += ROW_GAP
        y += LAYER_GAP - ROW_GAP
    return placed


def layout(network: nx.MultiDiGraph, scale: float = 900.0) -> dict[str, tuple[float, float]]:
    """Fixed positions, so that the page draws at once and the same every time.

    The governance view is drawn in layers (``layered_layout``); the timeline places each
    dated node by its year from left to right, the undated in a column before the first year;
    the others are spring layouts.
    """
    simple = simple_undirected(network)
    if not len(simple):
        return {}
    if network.graph.get("view") in LAYERED_VIEWS:
        placed = layered_layout(network)
        return {node: (round(x, 1), round(y, 1)) for node, (x, y) in placed.items()}
    iterations = 50 if len(simple) <= FULL_LAYOUT_UP_TO else SHORT_LAYOUT_ITERATIONS
    positions = nx.spring_layout(simple, seed=LAYOUT_SEED, k=1.5 / max(1, len(simple)) ** 0.5,
                                 iterations=iterations)
    placed = {node: (float(x) * scale, float(y) * scale) for node, (x, y) in positions.items()}
    if network.graph.get("view") == "timeline":
        years = {n: int(a["date"][:4]) for n, a in network.nodes(data=True) if a.get("date")}
        first = min(years.values(), default=0)
        # Undated entities get a column of their own, left of the first year.
        placed = {node: ((years.get(node, first - 1) - first) * YEAR_WIDTH, y)
                  for node, (_x, y) in placed.items()}
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in placed.items()}


def format_path(hops: list[Hop]) -> str:
    """Each hop on a line, with the quote and locator of the row that states it."""
    lines = []
    for number, hop in enumerate(hops, start=1):
        arrow = "←" if hop.reversed else "→"
        lines.append(f"{number}. {hop.source_label} {arrow} {hop.relation_label} {arrow} {hop.target_label}")
        lines.append(f"   {hop.locator}: {hop.quote}")
    return "\n".join(lines) + "\n"


def format_analysis(network: nx.MultiDiGraph, top: int = 10) -> str:
    """The brokers of a view, by betweenness, and its communities, by zh label."""
    scores = centrality(network)
    ranked = sorted(scores, key=lambda node: (-scores[node]["betweenness"], node))[:top]
    view = network.graph.get("view", "")
    lines = [f"{view}: {network.number_of_nodes()} nodes, {network.number_of_edges()} edges",
             "brokers (betweenness, degree):"]
    for node in ranked:
        lines.append(f"  {scores[node]['betweenness']:.3f}  {scores[node]['degree']:.3f}  "
                     f"{network.nodes[node]['label_zh']}")
    lines.append("communities:")
    for number, group in enumerate(communities(network), start=1):
        lines.append(f"  {number}. " + "、".join(network.nodes[node]["label_zh"] for node in group))
    return "\n".join(lines) + "\n"
