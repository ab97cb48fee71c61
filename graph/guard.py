"""What the public endpoint refuses before a query reaches the engine.

The endpoint is read-only and must not reach outside the graph: update forms, ``LOAD``,
``SERVICE`` and dataset clauses (``FROM``, ``FROM NAMED``) are refused. rdflib's ``FROM``
reads local files or fetches URLs, and both engines follow ``SERVICE``.
"""

from __future__ import annotations

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

QUERY_FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT",
               "AskQuery": "ASK", "DescribeQuery": "DESCRIBE"}


class QueryRefused(Exception):
    """The query is malformed or asks for something the endpoint does not allow."""


def _names(node):
    if isinstance(node, CompValue):
        yield node.name
        for value in node.values():
            yield from _names(value)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for item in node:
            yield from _names(item)


def check_query(text: str) -> str:
    """Return the query form (SELECT, CONSTRUCT, ASK, DESCRIBE) or raise QueryRefused."""
    try:
        parsed = parseQuery(text)
    except ParseException as error:
        raise QueryRefused(f"the query does not parse: {error}") from None
    except Exception as error:  # rdflib's parser raises a handful of other types on bad input
        raise QueryRefused(f"the query does not parse: {error}") from None
    query = parsed[1]
    names = set(_names(query))
    if "ServiceGraphPattern" in names:
        raise QueryRefused("SERVICE is not allowed: the endpoint answers from its own graph only")
    if "datasetClause" in query:
        raise QueryRefused("FROM and FROM NAMED are not allowed: the endpoint has one graph")
    return QUERY_FORMS[query.name]
