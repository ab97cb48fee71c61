"""Project the graph into a networkx graph through a view query in ``queries/views/``.

A view query returns ``?source ?relation ?target`` between entities; literals never become
nodes. A row whose ``?target`` is unbound adds ``?source`` alone, as the timeline does for
dated entities without relations. The support queries ``_nodes.rq`` and ``_relations.rq`` give
every node its labels, class, date, evidence and links out, and every relation its labels.
The neighbourhood view keeps, of every relation (``all.rq``), what lies within N hops of one
entity.
"""

from __future__ import annotations

import networkx as nx
from rdflib import Graph

from vetkg.catalogue import CatalogueError, load_views, read_query
from vetkg.paths import QUERIES_DIR
from vetkg.store import open_store, run_query

VIEWS_DIR = QUERIES_DIR / "views"
NEIGHBOURHOOD = "neighbourhood"


def view_names() -> list[str]:
    """The views a user can ask for: every view file but the support ones, and neighbourhood."""
    names = [name for name in load_views(VIEWS_DIR) if not name.startswith("_") and name != "all"]
    return sorted([*names, NEIGHBOURHOOD])


def _records(store, query: str) -> list[dict[str, str]]:
    table = run_query(store, query)
    return [dict(zip(table.variables, row, strict=True)) for row in table.plain_rows()]


def _node_records(store) -> list[dict[str, str]]:
    return _records(store, read_query(VIEWS_DIR / "_nodes.rq").text)


def find_entity(graph: Graph, name: str, store=None) -> str:
    """The IRI of the entity best named by ``name``: its id, or its zh or en label.

    An exact name wins; otherwise the shortest label that starts with, then contains, the
    name, so that 广西 finds 广西壮族自治区 before 广西农业职业技术大学.
    """
    return _best_match(name, _node_records(store or open_store(graph)))


def _best_match(name: str, records: list[dict[str, str]]) -> str:
    wanted = name.strip().casefold()
    ranked = set()
    for record in records:
        for label in (record["node"].rsplit("/", 1)[-1], record["labelZh"], record["labelEn"]):
            folded = label.casefold()
            if wanted == folded:
                ranked.add((0, 0, record["node"]))
            elif wanted and wanted in folded:
                ranked.add((1 if folded.startswith(wanted) else 2, len(folded), record["node"]))
    if not ranked:
        raise CatalogueError(f"no entity is named {name!r}")
    best = min(ranked)
    tied = sorted({node for rank, length, node in ranked if (rank, length) == best[:2]})
    if len(tied) > 1:
        raise CatalogueError(f"{name!r} names several entities: {', '.join(tied[:8])}")
    return best[2]


def project_network(graph: Graph, view: str = "governance", focus: str | None = None,
                    hops: int = 1, store=None) -> nx.MultiDiGraph:
    """The entities and relations of one view as a directed multigraph with node attributes.

    For the neighbourhood view, ``focus`` names the entity (id, zh or en label) and ``hops``
    how far from it to reach. A caller that already holds the graph's store passes it.
    """
    views = load_views(VIEWS_DIR)
    if view not in view_names():
        raise CatalogueError(f"no view named {view!r}; views: {', '.join(view_names())}")
    if view == NEIGHBOURHOOD and not focus:
        raise CatalogueError("the neighbourhood view needs an entity to focus on (--focus)")
    store = store or open_store(graph)
    nodes = _node_records(store)
    query = views["all" if view == NEIGHBOURHOOD else view]
    network = nx.MultiDiGraph(view=view, title=query.title)
    relations = {r["relation"]: r for r in _records(store, read_query(VIEWS_DIR / "_relations.rq").text)}
    for edge in _records(store, query.text):
        if not edge["target"]:
            network.add_node(edge["source"])
            continue
        relation = relations.get(edge["relation"], {})
        network.add_edge(
            edge["source"], edge["target"], key=edge["relation"], relation=edge["relation"],
            label_zh=relation.get("labelZh", ""), label_en=relation.get("labelEn", ""),
        )
    if view == NEIGHBOURHOOD:
        center = _best_match(focus, nodes)
        if center not in network:
            network.add_node(center)
        kept = nx.ego_graph(network.to_undirected(as_view=True), center, radius=hops).nodes
        network = nx.MultiDiGraph(network.subgraph(kept), view=view, focus=center,
                                  title=f"Neighbourhood of {focus} within {hops} hop(s)")
    _add_node_attributes(network, nodes)
    return network


def _add_node_attributes(network: nx.MultiDiGraph, records: list[dict[str, str]]) -> None:
    for record in records:
        node = record["node"]
        if node not in network:
            continue
        attributes = network.nodes[node]
        if "label_zh" not in attributes:
            attributes.update(
                label_zh=record["labelZh"], label_en=record["labelEn"], cls=record["class"],
                class_zh=record["classZh"], class_en=record["classEn"], date=record["date"],
                quote=record["quote"], locator=record["locator"], links=[],
            )
        if record["link"] and record["link"] not in attributes["links"]:
            attributes["links"].append(record["link"])
    for node, attributes in network.nodes(data=True):
        if "label_zh" not in attributes:
            raise CatalogueError(f"the view reaches {node}, which has no labels or class")
