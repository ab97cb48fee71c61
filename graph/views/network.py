"""Project the graph into a networkx graph through a view query in ``queries/views/``.

A view query returns ``?source ?relation ?target`` between entities; literals never become
nodes. A row whose ``?target`` is unbound adds ``?source`` alone, as the timeline does for
dated entities without relations. The support queries ``_nodes.rq`` and ``_relations.rq`` give
the view's nodes their labels, class, date, evidence and links out, and every relation its
labels; ``_match.rq`` finds an entity by name.
The neighbourhood view reads, hop by hop from one entity, the relations of the entities it
has reached (``_around.rq``), so that its cost grows with the neighbourhood, not the graph.
"""

from __future__ import annotations

import networkx as nx
import pyoxigraph
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from vetkg.namespaces import VET
from vetkg.query import catalogue
from vetkg.query.catalogue import CatalogueError, fill_values, load_views
from vetkg.query.store import run_query, select_bindings

NEIGHBOURHOOD = "neighbourhood"
# Above this many, the institutions of one sponsor or province are drawn as one node.
GROUP_ABOVE = 5
# Not a class of the ontology: the key under which the page draws groups.
GROUP_CLASS = "group"
# Most nodes one neighbourhood may have, after grouping: a page of this many is laid out and
# drawn in seconds, and one of many more cannot be read.
NODE_BUDGET = 2_000
MEMBER_KEYS = ("label_zh", "label_en", "cls", "class_zh", "class_en", "family", "code", "quote", "locator",
               "links")
# The families that a view colours its nodes by, a legend entry each: a class belongs to the
# first whose roots it is a kind of. Each node's exact class is in its tooltip and panel.
FAMILIES = (
    ("international", "国际", "international", (VET.InternationalOrganisation, VET.Country, VET.CountryGroup,
                                               VET.CooperationProject, VET.CooperationBrand)),
    ("government", "党政机关", "government and party bodies", (VET.PublicAuthority,)),
    ("school", "院校", "schools and universities", (VET.EducationalInstitution, VET.ConstructionUnit,
                                                  VET.MajorGroup)),
    ("body", "其他机构", "other bodies", (VET.PublicInstitution, VET.ResearchInstitution,
                                       VET.SocialOrganisation, VET.SteeringCommittee, VET.Alliance,
                                       VET.Company, VET.Industry)),
    ("document", "文件", "documents", (VET.PolicyDocument, VET.Periodical, VET.Task, VET.Experience,
                                      VET.Statement)),
    ("programme", "项目与活动", "programmes and events", (VET.Initiative, VET.Event, VET.Competition)),
    ("place", "地方", "places", (VET.ProvincialDivision, VET.City, VET.KeyRegion, VET.EconomicZone)),
    ("concept", "概念与目录", "concepts and catalogues", (SKOS.Concept, VET.MajorCatalogue)),
)
OTHER_FAMILY = ("other", "其他", "other")


class TooLarge(CatalogueError):
    """A neighbourhood has more nodes than the budget; the message says how to narrow it."""


def view_names() -> list[str]:
    """The views a user can ask for: every view file but the support ones, and neighbourhood."""
    names = [name for name in load_views() if not name.startswith("_")]
    return sorted([*names, NEIGHBOURHOOD])


def _records(store, query: str) -> list[dict[str, str]]:
    """Each solution as a dict of the variables' values, '' where a variable is unbound."""
    names, rows = select_bindings(store, query)
    return [{name: row[name]["value"] if name in row else "" for name in names} for row in rows]


def find_entity(store: pyoxigraph.Store, name: str) -> str:
    """The IRI of the entity best named by ``name``: its id, or a zh, en or alternative label.

    An exact name wins, then a name that starts with ``name``, then one that holds it; among
    those, the entity with the most relations, then the shortest name. So 广西 finds
    广西壮族自治区 before 广西大学, and a school's former name finds the school.
    """
    query = fill_values(catalogue.text("views/_match"), "text", [Literal(name.strip())])
    table = run_query(store, query)
    wanted = name.strip().casefold()
    ranked = set()
    for node, label, _text, relations in table.plain_rows():
        folded = label.casefold()
        rank = 0 if folded == wanted else 1 if folded.startswith(wanted) else 2
        ranked.add((rank, -int(relations), len(folded), node))
    if not wanted or not ranked:
        raise CatalogueError(f"no entity is named {name!r}")
    best = min(ranked)
    tied = sorted({node for *key, node in ranked if tuple(key) == best[:3]})
    if len(tied) > 1:
        raise CatalogueError(f"{name!r} names several entities: {', '.join(tied[:8])}")
    return best[3]


def project_network(store: pyoxigraph.Store, view: str = "governance", focus: str | None = None,
                    hops: int = 1, node_budget: int | None = NODE_BUDGET) -> nx.MultiDiGraph:
    """The entities and relations of one view as a directed multigraph with node attributes.

    For the neighbourhood view, ``focus`` names the entity (id, zh or en label) and ``hops``
    how far from it to reach; TooLarge if it has more nodes than ``node_budget`` (None: no budget).
    """
    views = load_views()
    if view not in view_names():
        raise CatalogueError(f"no view named {view!r}; views: {', '.join(view_names())}")
    if view == NEIGHBOURHOOD and not focus:
        raise CatalogueError("the neighbourhood view needs an entity to focus on (--focus)")
    if view == NEIGHBOURHOOD:
        center = find_entity(store, focus)
        edges, reached = _edges_around(store, center, hops, node_budget)
        if node_budget is not None and reached[-1] > node_budget * (GROUP_ABOVE + 1):
            raise TooLarge(_narrower(focus, hops, f"more than {reached[-1]:,} nodes", node_budget, reached))
    else:
        edges = _records(store, views[view].text)
    network = nx.MultiDiGraph(view=view, title=views[view].title if view in views else "",
                              query=views[view].text if view in views else "")
    relations = {r["relation"]: r for r in _records(store, catalogue.text("views/_relations"))}
    for edge in edges:
        if not edge["target"]:
            network.add_node(edge["source"])
            continue
        relation = relations.get(edge["relation"], {})
        network.add_edge(
            edge["source"], edge["target"], key=edge["relation"], relation=edge["relation"],
            label_zh=relation.get("labelZh", ""), label_en=relation.get("labelEn", ""),
        )
    if view == NEIGHBOURHOOD:
        network.add_node(center)
        network.graph["focus"] = center
    _add_node_attributes(network, store)
    if view == NEIGHBOURHOOD:
        # Titled with the entity's labels, not the words it was asked for by.
        named = network.nodes[center]
        network.graph["title"] = (f"{named['label_zh']}的{hops}跳邻域 · Neighbourhood of {named['label_en']} "
                                  f"within {hops} hop(s)")
    group_institutions(network, keep=network.graph.get("focus"))
    if view == NEIGHBOURHOOD and node_budget is not None and len(network) > node_budget:
        raise TooLarge(_narrower(focus, hops, f"{len(network):,} nodes", node_budget, reached))
    return network


def _narrower(focus: str, hops: int, nodes: str, budget: int, reached: list[int]) -> str:
    """Why a neighbourhood is not drawn, and the hops at which it would be."""
    message = (f"the neighbourhood of {focus} within {hops} hop(s) has {nodes}, "
               f"more than the {budget:,} that one page draws")
    fitting = [(hop, count) for hop, count in enumerate(reached[:hops]) if hop and count <= budget]
    if fitting:
        hop, count = fitting[-1]
        message += f"; within {hop} hop(s) it reaches {count:,} entities: ask for hops={hop}"
    return message + ", or focus on an entity nearer to the part you want"


def connecting_network(store: pyoxigraph.Store, start: str, end: str) -> tuple[nx.MultiDiGraph, str, str]:
    """Everything that the entity named ``start`` reaches, however far, and the two entities' IRIs.

    Raises NetworkXNoPath if the entity named ``end`` is not among what it reaches.
    """
    reached = project_network(store, NEIGHBOURHOOD, focus=start, hops=10**6, node_budget=None)
    target = find_entity(store, end)
    if target not in reached:
        raise nx.NetworkXNoPath(f"{end} is not connected to {start}")
    return reached, reached.graph["focus"], target


def _edges_around(store, center: str, hops: int,
                  budget: int | None = None) -> tuple[list[dict[str, str]], list[int]]:
    """The relations among the entities within ``hops`` of ``center``, found hop by hop.

    Also how many entities are within 0, 1, 2, … hops. Reading stops early once more are
    reached than any grouping could fold into ``budget`` nodes: a group holds more than
    GROUP_ABOVE institutions, so GROUP_ABOVE + 1 times the budget.
    """
    around = catalogue.text("views/_around")
    reached, frontier, edges, counts = {center}, [center], {}, [1]
    stop_above = None if budget is None else budget * (GROUP_ABOVE + 1)
    for hop in range(hops + 1):
        if not frontier or (stop_above is not None and len(reached) > stop_above):
            break
        terms = [URIRef(node) for node in sorted(frontier)]
        query = fill_values(fill_values(around, "source", terms), "target", terms)
        found = []
        for edge in _records(store, query):
            # The last round only closes the relations among entities already reached.
            if hop == hops and not {edge["source"], edge["target"]} <= reached:
                continue
            edges[(edge["source"], edge["relation"], edge["target"])] = edge
            found += [edge["source"], edge["target"]]
        frontier = sorted(set(found) - reached)
        reached.update(frontier)
        counts.append(len(reached))
    return [edges[key] for key in sorted(edges)], counts


def class_families(store) -> dict[str, str]:
    """The family (a key of FAMILIES) of each class of the ontology."""
    above: dict[str, set[str]] = {}
    for row in _records(store, catalogue.text("views/_classes_above")):
        above.setdefault(row["class"], set()).add(row["above"])
    return {cls: next((key for key, _zh, _en, roots in FAMILIES if above[cls] & set(map(str, roots))),
                      OTHER_FAMILY[0]) for cls in above}


def _add_node_attributes(network: nx.MultiDiGraph, store) -> None:
    """Give every node its labels, class and family, earliest date, first evidence, links out and place."""
    if not network.number_of_nodes():
        return
    query = fill_values(catalogue.text("views/_nodes"), "node",
                        [URIRef(node) for node in sorted(network.nodes)])
    found: dict[str, dict] = {}
    for row in select_bindings(store, query)[1]:
        facts = found.setdefault(row["node"]["value"], {"label": {}, "class": {}, "date": [], "evidence": {},
                                                        "link": set(), "code": "", "location": ""})
        attribute, value = row["attribute"]["value"], row["value"]
        if attribute == "label":
            facts["label"][value.get("xml:lang")] = value["value"]
        elif attribute == "class":
            facts["class"].setdefault(row["key"]["value"], {})[value.get("xml:lang")] = value["value"]
        elif attribute == "date":
            facts["date"].append(value["value"])
        elif attribute == "evidence":
            facts["evidence"][row["key"]["value"]] = (value["value"], row["detail"]["value"])
        elif attribute == "code":
            facts["code"] = value["value"]
        elif attribute == "location":
            # The first place in IRI order, the same every time.
            facts["location"] = min(filter(None, (facts["location"], value["value"])))
        else:
            facts["link"].add(value["value"])
    families = class_families(store)
    for node, attributes in network.nodes(data=True):
        facts = found.get(node)
        named = (facts or {}).get("class", {})
        classes = sorted(cls for cls, names in named.items() if {"zh", "en"} <= set(names))
        if not facts or not facts["label"] or not classes:
            raise CatalogueError(f"the view reaches {node}, which has no labels or class")
        labels, names = facts["label"], facts["class"][classes[0]]
        quote, locator = facts["evidence"][min(facts["evidence"])] if facts["evidence"] else ("", "")
        attributes.update(
            # An entity with a label in only one language shows that label in both.
            label_zh=labels.get("zh") or labels["en"], label_en=labels.get("en") or labels["zh"],
            cls=classes[0], class_zh=names["zh"], class_en=names["en"],
            family=families.get(classes[0], OTHER_FAMILY[0]), date=min(facts["date"], default=""),
            quote=quote, locator=locator, links=sorted(facts["link"]), code=facts["code"],
            location=facts["location"],
        )


def group_institutions(network: nx.MultiDiGraph, keep: str | None = None) -> None:
    """Draw the register's institutions that only one relation ties into the view as one node.

    Institutions that the view reaches by the same relation to the same body or place, and by
    nothing else, form a group; a group of more than GROUP_ABOVE becomes a single node with
    their count, whose page expands it on a click. ``keep`` (a neighbourhood's centre) stays.
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for node, attributes in network.nodes(data=True):
        out = list(network.out_edges(node, keys=True))
        if attributes.get("code") and node != keep and len(out) == 1 and not network.in_degree(node):
            _source, target, relation = out[0]
            groups.setdefault((target, relation), []).append(node)
    for (target, relation), members in sorted(groups.items()):
        if len(members) <= GROUP_ABOVE:
            continue
        edge = dict(network.get_edge_data(members[0], target, relation))
        listed = [{"id": node, **{key: network.nodes[node][key] for key in MEMBER_KEYS}} for node in members]
        network.remove_nodes_from(members)
        group = f"{target}#{relation.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}-institutions"
        # A group names its owner and the relation that ties it: 广东省（主管部门）· 104所.
        owner = network.nodes[target]
        network.add_node(group, label_zh=f"{owner['label_zh']}（{edge['label_zh']}）· {len(members)}所",
                         label_en=f"{owner['label_en']} ({edge['label_en']}) · {len(members)} institutions",
                         cls=GROUP_CLASS, class_zh="高校(合并)", class_en="institutions (grouped)",
                         family="school", location="", date="",
                         quote="", locator="", links=[], code="",
                         members=sorted(listed, key=lambda member: member["code"]))
        network.add_edge(group, target, key=relation, **edge)
