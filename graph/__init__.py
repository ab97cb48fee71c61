"""vetkg: an open, linked-data knowledge graph of China's vocational education and training.

The library turns the curated tables under ``data/`` into one RDF graph, checks it, and
serves queries and network views over it. Every public function returns rdflib or networkx
objects, and the ``vetkg`` command line is a thin layer over them.
"""

from vetkg.build import build_graph, write_exports
from vetkg.catalogue import CatalogueQuery, load_catalogue
from vetkg.network import project_network
from vetkg.store import ResultTable, open_store, run_query
from vetkg.tables import DataError, load_tables
from vetkg.validate import validate_graph
from vetkg.visualize import render_network

__all__ = [
    "CatalogueQuery",
    "DataError",
    "ResultTable",
    "build_graph",
    "load_catalogue",
    "load_tables",
    "open_store",
    "project_network",
    "render_network",
    "run_query",
    "validate_graph",
    "write_exports",
]
