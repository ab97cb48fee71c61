"""The embedded Oxigraph store: a graph in memory, a shared store on disk, and SELECT on either.

A persistent store is bulk-loaded once, from a built dump (vetkg.nt, vetkg.ttl …) or from a
graph in memory, and then opened read-only by every worker of the pool: no worker parses the
graph itself. ``run_query`` answers a SELECT on the embedded store, an rdflib graph or an
endpoint with the same ``ResultTable``. Work that needs a deadline or caps goes through the
worker pool of ``vetkg.query.pool`` instead, which also writes the standard result formats.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from vetkg.query.remote import query_endpoint
from vetkg.query.results import QueryError, ResultTable, from_oxigraph


def open_store(graph: Graph, lines: list[str] | None = None) -> pyoxigraph.Store:
    """An in-memory Oxigraph store holding the graph's triples.

    A caller that holds the graph's N-Triples lines already passes them, to save writing them.
    """
    store = pyoxigraph.Store()
    data = ("\n".join(lines) + "\n").encode("utf-8") if lines is not None else graph.serialize(
        format="nt", encoding="utf-8")
    store.load(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def _run(store: pyoxigraph.Store, query: str):
    try:
        return store.query(query)
    except SyntaxError as error:
        raise QueryError(f"the query does not parse: {error}") from None
    except (OSError, ValueError, RuntimeError) as error:
        raise QueryError(f"the query failed: {error}") from None


def _select(store: pyoxigraph.Store, query: str) -> pyoxigraph.QuerySolutions:
    """The solutions of a SELECT query on the embedded store; QueryError for any other query."""
    solutions = _run(store, query)
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise QueryError("only SELECT queries are supported")
    return solutions


def answer(store: pyoxigraph.Store, query: str) -> ResultTable | bool | Graph:
    """The answer to any query form.

    SELECT gives a ResultTable, ASK a bool, CONSTRUCT and DESCRIBE an rdflib Graph.
    """
    result = _run(store, query)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return bool(result)
    if isinstance(result, pyoxigraph.QueryTriples):
        return Graph().parse(data=result.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt")
    return _table(result)


def _table(solutions: pyoxigraph.QuerySolutions) -> ResultTable:
    variables = [variable.value for variable in solutions.variables]
    rows = [tuple(from_oxigraph(solution[name]) for name in variables) for solution in solutions]
    return ResultTable(variables, rows)


def select_bindings(store: pyoxigraph.Store, query: str) -> tuple[list[str], list[dict]]:
    """The variables and solutions of a SELECT query on the embedded store, as SPARQL JSON results.

    Oxigraph writes them itself, which is many times faster than making rdflib terms, for
    code that needs only each term's value and language.
    """
    solutions = _select(store, query)
    document = json.loads(solutions.serialize(format=pyoxigraph.QueryResultsFormat.JSON))
    return document["head"]["vars"], document["results"]["bindings"]


def _query_rdflib(graph: Graph, query: str) -> ResultTable:
    try:
        result = graph.query(query)
    except Exception as error:  # rdflib raises pyparsing and many other error types
        raise QueryError(f"the query failed: {error}") from None
    if result.type != "SELECT":
        raise QueryError("only SELECT queries are supported")
    variables = [str(variable) for variable in result.vars]
    return ResultTable(variables, [tuple(row) for row in result])


def run_query(target, query: str) -> ResultTable:
    """Run a SELECT query on a pyoxigraph Store, an rdflib Graph, or an endpoint URL.

    A caller gives a query its values by filling its VALUES blocks (``catalogue.fill_values``):
    Oxigraph applies substitutions only after its joins.
    """
    if isinstance(target, str):
        return query_endpoint(target, query)
    if isinstance(target, pyoxigraph.Store):
        return _table(_select(target, query))
    if isinstance(target, Graph):
        return _query_rdflib(target, query)
    raise TypeError(f"cannot query a {type(target).__name__}")


# What a dump's name says about its syntax.
DUMP_FORMATS = {".nt": pyoxigraph.RdfFormat.N_TRIPLES, ".ttl": pyoxigraph.RdfFormat.TURTLE,
                ".nq": pyoxigraph.RdfFormat.N_QUADS, ".trig": pyoxigraph.RdfFormat.TRIG}


class StoreError(Exception):
    """The store or dump cannot be opened."""


def is_store(path: Path) -> bool:
    """Whether a folder holds an Oxigraph (RocksDB) store."""
    return Path(path).is_dir() and (Path(path) / "CURRENT").is_file()


def bulk_load(source: Graph | Path, directory: Path) -> Path:
    """Load a graph or a dump into a new store in ``directory``; return the directory."""
    directory = Path(directory)
    store = pyoxigraph.Store(str(directory))
    if isinstance(source, Graph):
        data = source.serialize(format="nt", encoding="utf-8")
        store.bulk_load(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
    else:
        dump = Path(source)
        if dump.suffix not in DUMP_FORMATS:
            raise StoreError(f"{dump}: not a dump vetkg reads ({', '.join(DUMP_FORMATS)})")
        try:
            store.bulk_load(path=str(dump), format=DUMP_FORMATS[dump.suffix])
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(f"{dump}: {error}") from None
    store.flush()
    del store
    return directory


class SharedStore:
    """A read-only store for a graph, a dump or an existing store folder.

    A graph or a dump is bulk-loaded into a temporary folder, which ``close()`` removes.
    """

    def __init__(self, source: Graph | Path):
        self._temporary = None
        # The same graph as N-Triples, where there is such a file: the dump it was loaded from,
        # or the one a build wrote beside its store. A copy in memory loads fastest from it.
        self.dump = Path(source) if not isinstance(source, Graph) and Path(source).suffix == ".nt" else None
        if not isinstance(source, Graph) and is_store(Path(source)):
            self.path = Path(source)
            self.dump = self.path.parent / "vetkg.nt"
        else:
            self._temporary = Path(tempfile.mkdtemp(prefix="vetkg-store-"))
            try:
                self.path = bulk_load(source, self._temporary / "store")
            except BaseException:
                self.close()
                raise

    def open(self) -> pyoxigraph.Store:
        return pyoxigraph.Store.read_only(str(self.path))

    def close(self) -> None:
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None
