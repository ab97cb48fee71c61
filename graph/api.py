"""The Python API: ``vetkg.load()`` and the KnowledgeGraph it returns, ready to query."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph

from vetkg.query import catalogue
from vetkg.query.results import ResultTable
from vetkg.query.store import DUMP_FORMATS, StoreError, is_store, run_query

# A catalogue name is one word of letters, digits, '-' and '/'; anything else is SPARQL.
QUERY_NAME = re.compile(r"^[a-z0-9][a-z0-9/-]*$")


class KnowledgeGraph:
    """The graph in an Oxigraph store, with the query catalogue at hand."""

    def __init__(self, store: pyoxigraph.Store):
        self.store = store

    def __len__(self) -> int:
        return len(self.store)

    def query(self, name_or_sparql: str) -> ResultTable:
        """The rows of a catalogue query by name, or of a SELECT query.

        A name is a question (``co-building-province-plans``) or any query of the catalogue
        by its group (``stats/entities-per-class``). Raises CatalogueError for an unknown
        name, QueryError for a query that fails.
        """
        text = catalogue.text(name_or_sparql) if QUERY_NAME.match(name_or_sparql) else name_or_sparql
        return run_query(self.store, text)


def load(source: str | Path | None = None) -> KnowledgeGraph:
    """The built graph: from a dump (vetkg.nt, .ttl, .nq, .trig), a store folder, or the tables.

    With no source, the graph is built from the curated tables shipped with the package; a
    table problem raises DataError, and a dump that does not parse raises StoreError.
    """
    if source is None:
        from vetkg.build.graph import build_graph
        from vetkg.query.store import open_store

        return KnowledgeGraph(open_store(build_graph()))
    path = Path(source)
    if is_store(path):
        return KnowledgeGraph(pyoxigraph.Store.read_only(str(path)))
    if path.suffix not in DUMP_FORMATS or not path.is_file():
        raise StoreError(f"{path}: not a dump ({', '.join(DUMP_FORMATS)}) or an Oxigraph store folder")
    store = pyoxigraph.Store()
    try:
        store.bulk_load(path=str(path), format=DUMP_FORMATS[path.suffix])
    except (OSError, SyntaxError, ValueError) as error:
        raise StoreError(f"{path}: {error}") from None
    return KnowledgeGraph(store)
