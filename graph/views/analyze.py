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
# The timeline's width of a year with dated entities, and of a year without any, so that the
# sparse early years take little room; the page draws its year axis at the same places.
YEAR_WIDTH, EMPTY_YEAR_WIDTH = 160.0, 40.0


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


# Views drawn as a hierarchy: a band for each group of families (vetkg.views.network.FAMILIES),
# from the top down: national government and party bodies; other national bodies; the
# documents and programmes they issue or lead; international partners; provinces and cities;
# provincial and city government bodies; and the institutions they sponsor. In a band,
# whatever a node points to inside the band (its parent body, the programme it is part of)
# is drawn in the row above it.
LAYERED_VIEWS = ("governance",)
BANDS = (("government",), ("body",), ("document", "programme", "concept", "other"), ("international",),
         ("place",), ("local government",), ("school",))
# Of the spacings tried, these place the most labels at the fitted zoom (benchmarks/layout.py).
LAYER_GAP, ROW_GAP, NODE_GAP = 160.0, 80.0, 130.0
# Every other node of a row is drawn this much lower, so that neighbours' labels do not meet.
STAGGER = 40.0
# A row of more nodes than this is folded, so that it stays within a few screens' width.
LAYER_ROW = 28


def _rows(network: nx.MultiDiGraph, members: list[str]) -> list[list[str]]:
    """The rows of one band: a node one row below the lowest of what it points to in the band.

    Cycles are drawn as one row (the strongly connected components of the relations).
    """
    inside = set(members)
    simple = nx.DiGraph()
    simple.add_nodes_from(members)
    simple.add_edges_from(sorted((u, v) for u, v in network.edges()
                                 if u != v and u in inside and v in inside))
    condensed = nx.condensation(simple)
    depth: dict[int, int] = {}
    for component in reversed(list(nx.topological_sort(condensed))):
        depth[component] = 1 + max((depth[target] for target in condensed.successors(component)), default=-1)
    rows: dict[int, list[str]] = {}
    for component, nodes in condensed.nodes(data="members"):
        rows.setdefault(depth[component], []).extend(nodes)
    return [rows[number] for number in sorted(rows)]


def _band_key(attributes: dict) -> str:
    """A node's family; for a government body of a province or city (in CN-…), local government.

    A government body of another country is international.
    """
    family, place = attributes.get("family", "other"), attributes.get("location", "").rsplit("/", 1)[-1]
    if family != "government" or place in ("", "CN"):
        return family
    return "local government" if place.startswith("CN-") else "international"


def layered_layout(network: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Bands from the top down, each in rows, in the order of BANDS.

    In a row, nodes follow the mean position of the nodes above that they are linked with,
    either way, or are located in, so that documents sit below their issuers, provincial
    bodies below their provinces, and the lines run short.
    """
    band_of = {node: next((number for number, keys in enumerate(BANDS) if _band_key(attributes) in keys),
                          len(BANDS)) for node, attributes in network.nodes(data=True)}
    simple = nx.DiGraph()
    simple.add_nodes_from(sorted(network.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in network.edges() if u != v))
    labels = {node: network.nodes[node].get("label_zh", node) for node in network.nodes}
    placed: dict[str, tuple[float, float]] = {}
    y = 0.0
    for band in range(len(BANDS) + 1):
        members = sorted(node for node in network.nodes if band_of[node] == band)
        if not members:
            continue
        for layer in _rows(network, members):
            def beside(node):
                linked = (*simple.successors(node), *simple.predecessors(node),
                          network.nodes[node].get("location"))
                near = [placed[other][0] for other in linked if other in placed]
                return (sum(near) / len(near) if near else 0.0, labels[node], node)

            ordered = sorted(layer, key=beside)
            for start in range(0, len(ordered), LAYER_ROW):
                row = ordered[start:start + LAYER_ROW]
                for index, node in enumerate(row):
                    placed[node] = ((index - (len(row) - 1) / 2) * NODE_GAP, y + STAGGER * (index % 2))
                y += ROW_GAP
        y += LAYER_GAP - ROW_GAP
    return placed


# The agenda view draws the report's three parts side by side: the basic experiences (第二编),
# the strategic tasks (第三编) and the main measures (第四编) each in a column, in the order of
# their headings, and what they concern laid out around and between them.
AGENDA_COLUMNS = ("Experience", "StrategicTask", "Measure")
AGENDA_SPREAD = 3.0


def _agenda_columns(network: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """The fixed positions of the agenda's tasks: a column per part, from -1 to 1 across."""
    columns: dict[int, list[str]] = {}
    for node, attributes in network.nodes(data=True):
        part = attributes.get("cls", "").rsplit("#", 1)[-1]
        if part in AGENDA_COLUMNS:
            columns.setdefault(AGENDA_COLUMNS.index(part), []).append(node)
    placed = {}
    for number, nodes in columns.items():
        ordered = sorted(nodes, key=lambda node: (network.nodes[node].get("locator", ""), node))
        for index, node in enumerate(ordered):
            placed[node] = (float(number - 1), (2 * index - (len(ordered) - 1)) / max(1, len(ordered)))
    return placed


def layout(network: nx.MultiDiGraph, scale: float = 900.0) -> dict[str, tuple[float, float]]:
    """Fixed positions, so that the page draws at once and the same every time.

    The governance view is drawn in bands (``layered_layout``); the agenda's tasks in a column
    per part of the report, with the rest laid out around them; the timeline places each
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
    fixed = _agenda_columns(network) if network.graph.get("view") == "agenda" else {}
    spread = AGENDA_SPREAD if fixed else 1.5
    positions = nx.spring_layout(simple, seed=LAYOUT_SEED, k=spread / max(1, len(simple)) ** 0.5,
                                 iterations=iterations, pos=fixed or None, fixed=sorted(fixed) or None)
    placed = {node: (float(x) * scale, float(y) * scale) for node, (x, y) in positions.items()}
    if network.graph.get("view") == "timeline":
        years = {n: int(a["date"][:4]) for n, a in network.nodes(data=True) if a.get("date")}
        lines = year_lines(network)
        # Undated entities get a column of their own, left of the first year.
        undated = min(lines, default=0)
        placed = {node: (lines.get(years.get(node, undated), 0.0), y) for node, (_x, y) in placed.items()}
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in placed.items()}


def year_lines(network: nx.MultiDiGraph) -> dict[int, float]:
    """The timeline's x of each year, from the undated column (the year before the first) on.

    A year with dated entities is YEAR_WIDTH wide, one without EMPTY_YEAR_WIDTH.
    """
    dated = {int(attributes["date"][:4]) for _, attributes in network.nodes(data=True)
             if attributes.get("date")}
    if not dated:
        return {}
    lines, x = {min(dated) - 1: -YEAR_WIDTH}, 0.0
    for year in range(min(dated), max(dated) + 1):
        lines[year] = x
        x += YEAR_WIDTH if year in dated else EMPTY_YEAR_WIDTH
    return lines


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
