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
# of the package (say vetkg.writing) does not import the build and its dependencies.
_PUBLIC = {
    "KnowledgeGraph": "vetkg.api",
    "load": "vetkg.api",
    "build_graph": "vetkg.build",
    "write_exports": "vetkg.build",
    "CatalogueQuery": "vetkg.catalogue",
    "load_catalogue": "vetkg.catalogue",
    "project_network": "vetkg.network",
    "QueryError": "vetkg.store",
    "ResultTable": "vetkg.store",
    "open_store": "vetkg.store",
    "run_query": "vetkg.store",
    "DataError": "vetkg.tables",
    "load_tables": "vetkg.tables",
    "validate_graph": "vetkg.validate",
    "render_network": "vetkg.visualize",
}
__all__ = ["__version__", *sorted(_PUBLIC)]


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'vetkg' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_PUBLIC[name]), name)
