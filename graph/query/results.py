"""The answer to a SELECT query as a table of rdflib terms, whichever engine gave it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from vetkg.namespaces import PREFIXES
from vetkg.query.text_table import text_table

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

    def __iter__(self):
        """The rows, each a tuple of terms in the order of ``variables``."""
        return iter(self.rows)

    def plain_rows(self) -> list[tuple[str, ...]]:
        """Rows as strings, engine-independent: numbers canonical, unbound as ''."""
        return [tuple(plain_value(term) for term in row) for row in self.rows]

    def plain_records(self) -> list[dict[str, str]]:
        """The plain rows, each as a dict by variable name."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.plain_rows()]

    def to_pandas(self):
        """A pandas DataFrame: IRIs and text as str, integers as int, other numbers as float.

        Floats are for analysis; ``plain_rows()`` keeps every figure as the graph states it.
        """
        import pandas

        return pandas.DataFrame([[python_value(term) for term in row] for row in self.rows],
                                columns=self.variables)

    def to_table(self) -> str:
        """An aligned text table for terminals, with IRIs shortened by the project's prefixes."""
        return text_table(self.variables, [[compact(term) for term in row] for row in self.rows])


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


def from_oxigraph(term):
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


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

