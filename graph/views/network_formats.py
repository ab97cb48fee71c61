"""Network files for other tools: GEXF with time spells for Gephi, GraphML, and Kumu CSVs."""

from __future__ import annotations

import csv
import io
import re

import networkx as nx


def _flat(network: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are plain strings and numbers, as GEXF and GraphML need."""
    flat = nx.MultiDiGraph()
    for node, a in sorted(network.nodes(data=True)):
        flat.add_node(node, label=a["label_zh"], label_en=a["label_en"], **{"class": a["class_en"]},
                      locator=a["locator"] or "", links=" ".join(sorted(a["links"])),
                      year=(a.get("date") or "")[:4])
    for source, target, key, a in sorted(network.edges(keys=True, data=True)):
        flat.add_edge(source, target, key=key, label=a["label_en"], relation=a["relation"])
    return flat


def to_gexf(network: nx.MultiDiGraph) -> str:
    """GEXF in which every dated entity has a time spell from its year on, for Gephi."""
    flat = _flat(network)
    flat.graph["mode"] = "dynamic"
    for _, attributes in flat.nodes(data=True):
        if attributes["year"]:
            attributes["start"] = int(attributes["year"])
    out = io.BytesIO()
    nx.write_gexf(flat, out, encoding="utf-8")
    text = out.getvalue().decode("utf-8")
    # networkx stamps today's date into the file; a fixed file keeps builds byte-identical.
    return re.sub(r' lastmodifieddate="[^"]*"', "", text)


def to_graphml(network: nx.MultiDiGraph) -> str:
    return "\n".join(nx.generate_graphml(_flat(network))) + "\n"


def to_kumu(network: nx.MultiDiGraph) -> tuple[str, str]:
    """Kumu's element and connection tables, joined on the element labels (zh)."""
    elements, connections = io.StringIO(), io.StringIO()
    writer = csv.writer(elements, lineterminator="\n")
    writer.writerow(["Label", "Type", "Description", "Label EN", "ID", "Year", "Links"])
    for node, a in sorted(network.nodes(data=True)):
        description = f"{a['quote']} ({a['locator']})" if a["quote"] else ""
        writer.writerow([a["label_zh"], a["class_en"], description, a["label_en"], node,
                         (a.get("date") or "")[:4], " ".join(sorted(a["links"]))])
    writer = csv.writer(connections, lineterminator="\n")
    writer.writerow(["From", "To", "Type", "Relation"])
    for source, target, a in sorted(network.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"])):
        writer.writerow([network.nodes[source]["label_zh"], network.nodes[target]["label_zh"],
                         a["label_en"], a["relation"]])
    return elements.getvalue(), connections.getvalue()
