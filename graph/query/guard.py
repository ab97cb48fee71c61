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
Most queries never need it: one in which neither word can be a keyword (see
``could_reach_outside``) is let through at once, without importing the parser.
"""

from __future__ import annotations

import functools
import re

SERVICE = "ServiceGraphPattern"
# SPARQL reads \u and \U escapes anywhere in a query, keywords included.
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Never a keyword: a variable (?from) and the local part of a prefixed name
# (prov:wasDerivedFrom, which is one token however it goes on); and, in a query without long
# strings (which may span lines), a line that is a comment from its start.
_NAMES = re.compile(r"[?$:][A-Za-z0-9_]+")
_COMMENT_LINES = re.compile(r"^[ \t]*#.*$", re.MULTILINE)
_LONG_QUOTES = ('"""', "'''")
_REFUSED_WORDS = re.compile(r"service|from", re.IGNORECASE)


class QueryRefused(Exception):
    """The query asks for something the endpoint does not allow, or cannot be checked."""


def _unescaped(text: str) -> str:
    return _ESCAPE.sub(lambda match: chr(int(match.group(1) or match.group(2), 16)), text)


def _without_names(text: str) -> str:
    if not any(quotes in text for quotes in _LONG_QUOTES):
        text = _COMMENT_LINES.sub(" ", text)
    return _NAMES.sub(" ", text)


def could_reach_outside(text: str) -> bool:
    """Whether SERVICE or FROM could be a keyword of the query, as written or unescaped.

    A lexical test that errs one way: it says True for every query that holds either
    keyword (and for some that do not, such as a comment after code that says "from"), so
    that only those need the full parse.
    """
    try:
        forms = (text, _unescaped(text))
    except (ValueError, OverflowError):  # an escape past the last code point
        return True
    return any(_REFUSED_WORDS.search(_without_names(form)) for form in forms)


def _reaches_outside(node) -> str | None:
    """'SERVICE' or 'FROM' if the syntax tree under ``node`` holds one, else None."""
    from rdflib.plugins.sparql.parserutils import CompValue

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
    from rdflib.plugins.sparql.parser import parseQuery

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
    """Raise QueryRefused if the query uses SERVICE, FROM or FROM NAMED, or cannot be parsed.

    A query in which neither can be a keyword goes to the engine unparsed; the engine's own
    parser refuses it if it does not parse.
    """
    refusal = _refusal(text) if could_reach_outside(text) else None
    if refusal:
        raise QueryRefused(refusal)
