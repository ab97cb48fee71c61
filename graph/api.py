"""The Python API: ``vetkg.load()`` and the KnowledgeGraph it returns, ready to query."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from vetkg.curation.search import Match, NameIndex
from vetkg.namespaces import VKG
from vetkg.query import catalogue
from vetkg.query.catalogue import fill_values
from vetkg.query.results import ResultTable
from vetkg.query.store import DUMP_FORMATS, StoreError, answer, is_store, run_query

# A catalogue name is one word of letters, digits, '-' and '/'; anything else is SPARQL.
QUERY_NAME = re.compile(r"^[a-z0-9][a-z0-9/-]*$")


class KnowledgeGraph:
    """The graph in an Oxigraph store, with the query catalogue at hand."""

    def __init__(self, store: pyoxigraph.Store):
        self.store = store
        self._index: NameIndex | None = None

    def __len__(self) -> int:
        return len(self.store)

    def query(self, name_or_sparql: str) -> ResultTable | bool | Graph:
        """The answer to a catalogue query by name, or to any SPARQL query.

        A name is a question (``co-building-province-plans``) or any query of the catalogue
        by its group (``stats/entities-per-class``). SELECT gives a ResultTable (iterate it
        for its rows), ASK a bool, CONSTRUCT and DESCRIBE an rdflib Graph. Raises
        CatalogueError for an unknown name, QueryError for a query that fails.
        """
        text = catalogue.text(name_or_sparql) if QUERY_NAME.match(name_or_sparql) else name_or_sparql
        return answer(self.store, text)

    def search(self, name: str, limit: int = 10, type_id: str = "") -> list[Match]:
        """The entities whose names fit ``name``, best first, as ``vetkg search`` finds them.

        ``type_id`` narrows them to a class of the ontology and its subclasses (``City``).
        """
        from vetkg.curation.reconciliation import type_iri

        if self._index is None:
            self._index = NameIndex(self.store)
        return self._index.search(name, limit, frozenset([type_iri(type_id)]) if type_id else frozenset())

    def entity(self, identifier: str) -> dict | None:
        """An entity's labels and every link both ways, by relation; None if there is none.

        ``outgoing`` and ``incoming`` map a relation's IRI to the values (IRIs or literal
        text) at the other end, complete, as the entity's page shows them a page at a time.
        """
        iri = URIRef(VKG[identifier])
        subject = pyoxigraph.NamedNode(str(iri))
        if next(self.store.quads_for_pattern(subject, None, None), None) is None:
            return None
        labels = [quad.object for quad in self.store.quads_for_pattern(
            subject, pyoxigraph.NamedNode(str(SKOS.prefLabel)), None)]
        links = {}
        for name, column in (("entity-statements", "object"), ("incoming", "subject")):
            grouped: dict[str, list[str]] = {}
            for row in run_query(self.store, fill_values(catalogue.text(f"pages/{name}"), "entity", [iri])
                                 ).plain_records():
                grouped.setdefault(row["predicate"], []).append(row[column])
            links[column] = grouped
        return {"iri": str(iri), "id": identifier,
                "labels": {label.language or "": label.value for label in labels},
                "outgoing": links["object"], "incoming": links["subject"]}


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
