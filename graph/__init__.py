"""vetkg: an open, linked-data knowledge graph of China's vocational education and training.

The library turns the curated tables under ``data/`` into one RDF graph, checks it, and
serves queries and network views over it. ``vetkg.load()`` gives the built graph, ready to
query::

    import vetkg
    kg = vetkg.load()
    table = kg.query("co-building-province-plans")
    frame = table.to_pandas()

The ``vetkg`` command line is a thin layer over the same functions.
"""

# The one statement of the version: pyproject.toml, the dataset description, CHANGELOG.md and
# CITATION.cff agree with it, and a test holds them to it.
__version__ = "0.2.0"

from vetkg.api import KnowledgeGraph, load  # noqa: E402
from vetkg.build import build_graph, write_exports  # noqa: E402
from vetkg.catalogue import CatalogueQuery, load_catalogue  # noqa: E402
from vetkg.network import project_network  # noqa: E402
from vetkg.store import QueryError, ResultTable, open_store, run_query  # noqa: E402
from vetkg.tables import DataError, load_tables  # noqa: E402
from vetkg.validate import validate_graph  # noqa: E402
from vetkg.visualize import render_network  # noqa: E402

__all__ = [
    "CatalogueQuery",
    "DataError",
    "KnowledgeGraph",
    "QueryError",
    "ResultTable",
    "__version__",
    "build_graph",
    "load",
    "load_catalogue",
    "load_tables",
    "open_store",
    "project_network",
    "render_network",
    "run_query",
    "validate_graph",
    "write_exports",
]
