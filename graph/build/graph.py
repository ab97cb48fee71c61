"""Build the graph: the triples of every row of the tables, the ontology and the dataset description."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from vetkg.build.mapping import map_rows
from vetkg.build.rows import Tables
from vetkg.build.tables import load_tables
from vetkg.build.void import describe_dataset
from vetkg.namespaces import bind_prefixes
from vetkg.paths import DATA_DIR, ONTOLOGY_FILE, SCHEMES_FILE

ONTOLOGY_GRAPH = URIRef("https://w3id.org/vetkg/graph/ontology")
DATA_GRAPH = URIRef("https://w3id.org/vetkg/graph/data")


def load_ontology(paths: tuple[Path, ...] = (ONTOLOGY_FILE, SCHEMES_FILE)) -> Graph:
    """The OWL ontology and the SKOS concept schemes, as one graph."""
    graph = bind_prefixes(Graph())
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def build_data_graph(data_dir: Path = DATA_DIR, tables: Tables | None = None) -> Graph:
    """The triples of every row of every table, without the ontology."""
    graph = bind_prefixes(Graph())
    for _row, triples in map_rows(tables if tables is not None else load_tables(data_dir)):
        for triple in triples:
            graph.add(triple)
    return graph


def build_graph(data_dir: Path = DATA_DIR, ontology: tuple[Path, ...] = (ONTOLOGY_FILE, SCHEMES_FILE),
                tables: Tables | None = None) -> Graph:
    """The whole graph: ontology and data. Raises DataError listing every data problem.

    A caller that has loaded the tables already, to read what the registers leave out,
    passes them.
    """
    graph = build_data_graph(data_dir, tables)
    for triple in load_ontology(ontology):
        graph.add(triple)
    return describe_dataset(graph)
