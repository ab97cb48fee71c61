"""Project the graph into a networkx graph through a view query in ``queries/views/``.

A view query returns ``?source ?relation ?target`` between entities; literals never become
nodes. The support queries ``_nodes.rq`` and ``_relations.rq`` give every node its labels,
class, evidence and links out, and every relation its labels.
"""

from __future__ import annotations

import networkx as nx
from rdflib import Graph

from vetkg.catalogue import CatalogueError, load_views, read_query
from vetkg.paths import QUERIES_DIR
from vetkg.store import open_store, run_query

VIEWS_DIR = QUERIES_DIR / "views"


def view_names() -> list[str]:
    return [name for name in load_views(VIEWS_DIR) if not name.startswith("_")]


def _support(name: str) -> str:
    return read_query(VIEWS_DIR / f"{name}.rq").text


def _records(store, query: str) -> list[dict[str, str]]:
    table = run_query(store, query)
    return [dict(zip(table.variables, row, strict=True)) for row in table.plain_rows()]


def project_network(graph: Graph, view: str = "governance") -> nx.MultiDiGraph:
    """The entities and relations of one view as a directed multigraph with node attributes."""
    views = load_views(VIEWS_DIR)
    if view not in views or view.startswith("_"):
        raise CatalogueError(f"no view named {view!r}; views: {', '.join(view_names())}")
    store = open_store(graph)
    network = nx.MultiDiGraph(view=view, title=views[view].title)
    relations = {record["relation"]: record for record in _records(store, _support("_relations"))}
    for edge in sorted(_records(store, views[view].text), key=lambda r: tuple(r.values())):
        relation = relations.get(edge["relation"], {})
        network.add_edge(
            edge["source"], edge["target"], key=edge["relation"], relation=edge["relation"],
            label_zh=relation.get("labelZh", ""), label_en=relation.get("labelEn", ""),
        )
    for record in _records(store, _support("_nodes")):
        node = record["node"]
        if node not in network:
            continue
        attributes = network.nodes[node]
        if "label_zh" not in attributes:
            attributes.update(
                label_zh=record["labelZh"], label_en=record["labelEn"], cls=record["class"],
                class_zh=record["classZh"], class_en=record["classEn"],
                quote=record["quote"], locator=record["locator"], links=[],
            )
        if record["link"] and record["link"] not in attributes["links"]:
            attributes["links"].append(record["link"])
    for node, attributes in network.nodes(data=True):
        if "label_zh" not in attributes:
            raise CatalogueError(f"view {view!r} reaches {node}, which has no labels or class")
    return network
