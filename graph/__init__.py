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

# The public names, each imported from its module on first use, so that importing one module
# of the package (say vetkg.build.writing) does not import the build and its dependencies.
_PUBLIC = {
    "KnowledgeGraph": "vetkg.api",
    "load": "vetkg.api",
    "build_graph": "vetkg.build.graph",
    "write_exports": "vetkg.build.exports",
    "CatalogueQuery": "vetkg.query.catalogue",
    "load_catalogue": "vetkg.query.catalogue",
    "project_network": "vetkg.views.network",
    "QueryError": "vetkg.query.results",
    "ResultTable": "vetkg.query.results",
    "open_store": "vetkg.query.store",
    "run_query": "vetkg.query.store",
    "DataError": "vetkg.build.rows",
    "load_tables": "vetkg.build.tables",
    "validate_graph": "vetkg.build.checks",
    "render_network": "vetkg.views.visualize",
}
__all__ = ["__version__", *sorted(_PUBLIC)]


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'vetkg' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_PUBLIC[name]), name)
