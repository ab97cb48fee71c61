"""The Python API: ``vetkg.load()`` and the KnowledgeGraph it returns, ready to query."""

from __future__ import annotations

import re
import warnings
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


def _warn(message: str) -> None:
    warnings.warn(message, stacklevel=3)


def load(source: str | Path | None = None) -> KnowledgeGraph:
    """The built graph: from a dump (vetkg.nt, .ttl, .nq, .trig), a store folder, or the tables.

    With no source, it is the store that ``vetkg run`` wrote into build/store/ when that was
    built from the current tables; otherwise (and in an installed package) a store built once
    into the user's cache folder, with a warning that says why. A table problem raises
    DataError, and a dump that does not parse raises StoreError.
    """
    if source is None:
        from vetkg.build.built_store import current_store

        return KnowledgeGraph(pyoxigraph.Store.read_only(str(current_store(say=_warn))))
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
