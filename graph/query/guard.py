"""What the public endpoint refuses before a query reaches the engine.

The endpoint is read-only and must not reach outside its graph. ``SERVICE`` and dataset
clauses (``FROM``, ``FROM NAMED``) are refused: rdflib's ``FROM`` reads local files or
fetches URLs, and both engines follow ``SERVICE``. The check is structural: the query is
parsed by rdflib's SPARQL 1.1 parser, and its syntax tree is walked for a service pattern
or a dataset clause wherever it sits (in a subquery, an EXISTS filter, a union branch …).
A query that the parser cannot read is refused too, so nothing the check has not seen
reaches the engine. Update forms, ``LOAD`` among them, never parse as a query.

The parser takes tens of milliseconds on a catalogue query and is slow on pathological
input, so the check runs inside a query worker, under the deadline, never in the HTTP
thread; a worker remembers its last verdicts, for the queries that clients send again.
"""

from __future__ import annotations

import functools

from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

SERVICE = "ServiceGraphPattern"


class QueryRefused(Exception):
    """The query asks for something the endpoint does not allow, or cannot be checked."""


def _reaches_outside(node) -> str | None:
    """'SERVICE' or 'FROM' if the syntax tree under ``node`` holds one, else None."""
    stack, seen = [node], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            if item.name == SERVICE:
                return "SERVICE"
            # CompValue.get answers a missing key with the key's name, so ask the dict itself.
            if dict.get(item, "datasetClause"):
                return "FROM"
            stack.extend(dict.values(item))
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(item)
    return None


@functools.lru_cache(maxsize=256)
def _refusal(text: str) -> str | None:
    """Why the query is refused, or None."""
    try:
        parsed = parseQuery(text)
    except RecursionError:
        return "the query is nested too deeply for the endpoint to check"
    except Exception as error:  # pyparsing and rdflib raise many error types
        return f"the query does not parse: {str(error)[:500]}"
    found = _reaches_outside(parsed)
    if found == "SERVICE":
        return "SERVICE is not allowed: the endpoint answers from its own graph only"
    if found == "FROM":
        return "FROM and FROM NAMED are not allowed: the endpoint has one graph"
    return None


def check_query(text: str) -> None:
    """Raise QueryRefused if the query uses SERVICE, FROM or FROM NAMED, or cannot be parsed."""
    refusal = _refusal(text)
    if refusal:
        raise QueryRefused(refusal)
