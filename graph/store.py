"""Run SPARQL SELECT queries in process: on the embedded store, an rdflib graph or any endpoint.

The embedded store is Oxigraph; endpoints are reached through SPARQLWrapper. Each engine
returns the same ``ResultTable``. Work that needs a deadline or caps goes through the worker
pool of ``vetkg.execution`` instead, which also writes the standard result formats.
"""

from __future__ import annotations

import json
import urllib.error
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from vetkg.namespaces import PREFIXES

USER_AGENT = "vetkg (https://w3id.org/vetkg; SPARQL client of the vetkg knowledge graph)"
INTEGER_TYPES = {XSD.integer, XSD.int, XSD.long}
NUMERIC_TYPES = {*INTEGER_TYPES, XSD.decimal, XSD.double, XSD.float}


class QueryError(Exception):
    """A query could not be run: it did not parse, failed, timed out or is not a SELECT.

    From an endpoint, ``status`` is the HTTP status and ``retry_after`` its Retry-After header.
    """

    def __init__(self, message: str, status: int | None = None, retry_after: str | None = None):
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


@dataclass
class ResultTable:
    """The answer to a SELECT query: variable names and rows of rdflib terms (None if unbound)."""

    variables: list[str]
    rows: list[tuple]

    def __len__(self) -> int:
        return len(self.rows)

    def plain_rows(self) -> list[tuple[str, ...]]:
        """Rows as strings, engine-independent: numbers canonical, unbound as ''."""
        return [tuple(plain_value(term) for term in row) for row in self.rows]

    def to_pandas(self):
        """A pandas DataFrame: IRIs and text as str, integers as int, other numbers as float.

        Floats are for analysis; ``plain_rows()`` keeps every figure as the graph states it.
        """
        import pandas

        return pandas.DataFrame([[python_value(term) for term in row] for row in self.rows],
                                columns=self.variables)

    def to_table(self) -> str:
        """An aligned text table for terminals, with IRIs shortened by the project's prefixes."""
        rows = [self.variables, *([compact(term) for term in row] for row in self.rows)]
        widths = [max(_width(row[i]) for row in rows) for i in range(len(self.variables))]
        lines = []
        for n, row in enumerate(rows):
            cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
            lines.append("  ".join(cells).rstrip())
            if n == 0:
                lines.append("  ".join("-" * width for width in widths))
        lines.append(f"({len(self.rows)} rows)")
        return "\n".join(lines) + "\n"


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if "\u2e80" <= char <= "\uffef" else 1 for char in text)


def compact(term) -> str:
    if isinstance(term, URIRef):
        for prefix, namespace in PREFIXES.items():
            namespace = str(namespace)
            if term.startswith(namespace) and len(term) > len(namespace):
                return f"{prefix}:{term[len(namespace):]}"
    return plain_value(term)


def plain_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal) and term.datatype in NUMERIC_TYPES:
        try:
            number = Decimal(str(term))
        except InvalidOperation:
            return str(term)
        return format(number.normalize(), "f")
    return str(term)


def python_value(term):
    if term is None:
        return None
    if isinstance(term, Literal) and term.datatype in NUMERIC_TYPES:
        try:
            number = Decimal(str(term))
        except InvalidOperation:
            return str(term)
        return int(number) if term.datatype in INTEGER_TYPES else float(number)
    return str(term)


def open_store(graph: Graph, lines: list[str] | None = None) -> pyoxigraph.Store:
    """An in-memory Oxigraph store holding the graph's triples.

    A caller that holds the graph's N-Triples lines already passes them, to save writing them.
    """
    store = pyoxigraph.Store()
    data = ("\n".join(lines) + "\n").encode("utf-8") if lines is not None else graph.serialize(
        format="nt", encoding="utf-8")
    store.load(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def _from_oxigraph(term):
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _select(store: pyoxigraph.Store, query: str) -> pyoxigraph.QuerySolutions:
    """The solutions of a SELECT query on the embedded store; QueryError for any other query."""
    try:
        solutions = store.query(query)
    except SyntaxError as error:
        raise QueryError(f"the query does not parse: {error}") from None
    except (OSError, ValueError, RuntimeError) as error:
        raise QueryError(f"the query failed: {error}") from None
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise QueryError("only SELECT queries are supported")
    return solutions


def _query_oxigraph(store: pyoxigraph.Store, query: str) -> ResultTable:
    solutions = _select(store, query)
    variables = [variable.value for variable in solutions.variables]
    rows = [tuple(_from_oxigraph(solution[name]) for name in variables) for solution in solutions]
    return ResultTable(variables, rows)


def read_results(body: bytes) -> ResultTable:
    """A ResultTable from SPARQL 1.1 JSON results, as an endpoint or a worker writes them.

    An ASK answer is one row of one variable, ``boolean``.
    """
    try:
        document = json.loads(body)
    except ValueError as error:
        raise QueryError(f"the answer is not SPARQL JSON results: {error}") from None
    if isinstance(document, dict) and isinstance(document.get("boolean"), bool):
        return ResultTable(["boolean"], [(Literal(document["boolean"]),)])
    if not isinstance(document, dict) or "results" not in document:
        raise QueryError("the answer is not the results of a SELECT query")
    variables = document["head"]["vars"]
    rows = [tuple(_from_json(binding.get(name)) for name in variables)
            for binding in document["results"]["bindings"]]
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


def _from_json(binding: dict | None):
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    return Literal(value, datatype=URIRef(datatype) if datatype else None)


def _ask_endpoint(endpoint: str, query: str, return_format: str, timeout: float | None):
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(endpoint, agent=USER_AGENT)
    client.setQuery(query)
    client.setMethod(POST)
    client.setReturnFormat(return_format)
    if timeout:
        client.setTimeout(int(max(1, timeout)))
    try:
        return client.query()
    except SPARQLWrapperException as error:
        raise QueryError(f"the endpoint refused the query: {error}") from None
    except urllib.error.HTTPError as error:
        raise QueryError(f"the endpoint answered {error.code} {error.reason}", error.code,
                         error.headers.get("Retry-After")) from None
    except OSError as error:
        raise QueryError(f"the endpoint could not be reached: {error}") from None


def query_endpoint(endpoint: str, query: str, timeout: float | None = None) -> ResultTable:
    """The rows of a SELECT query on a SPARQL endpoint, waiting ``timeout`` seconds at most."""
    return read_results(fetch_results(endpoint, query, "json", timeout))


def fetch_results(endpoint: str, query: str, result_format: str, timeout: float | None = None) -> bytes:
    """The endpoint's own serialisation of a query's answer: csv, tsv, json or xml."""
    response = _ask_endpoint(endpoint, query, result_format, timeout)
    try:
        return response.response.read()
    except OSError as error:
        raise QueryError(f"the endpoint's answer could not be read: {error}") from None


def run_query(target, query: str) -> ResultTable:
    """Run a SELECT query on a pyoxigraph Store, an rdflib Graph, or an endpoint URL.

    A caller gives a query its values by filling its VALUES blocks (``catalogue.fill_values``):
    Oxigraph applies substitutions only after its joins.
    """
    if isinstance(target, str):
        return query_endpoint(target, query)
    if isinstance(target, pyoxigraph.Store):
        return _query_oxigraph(target, query)
    if isinstance(target, Graph):
        return _query_rdflib(target, query)
    raise TypeError(f"cannot query a {type(target).__name__}")
