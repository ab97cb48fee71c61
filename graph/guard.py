"""What the public endpoint refuses before a query reaches the engine.

The endpoint is read-only and must not reach outside its graph. ``SERVICE`` and dataset
clauses (``FROM``, ``FROM NAMED``) are refused here: rdflib's ``FROM`` reads local files or
fetches URLs, and both engines follow ``SERVICE``. Update forms, ``LOAD`` among them, never
parse as a query, so the engine's own parser refuses them with its message.

The check is lexical and fast: strings, IRIs and comments are blanked out, then the two
keywords are looked for as whole tokens, which in SPARQL can mean nothing else.
"""

from __future__ import annotations

import re

# In order: long strings, short strings, IRIs, comments. Each is replaced by a space.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n]*",
    re.S,
)
# A keyword, not part of a prefixed name (ex:from, service:x) or a variable (?from).
_FORBIDDEN = re.compile(r"(?<![\w:?$.-])(SERVICE|FROM)(?![\w:-])", re.I)


class QueryRefused(Exception):
    """The query asks for something the endpoint does not allow."""


def check_query(text: str) -> None:
    """Raise QueryRefused if the query uses SERVICE, FROM or FROM NAMED."""
    found = _FORBIDDEN.search(_OPAQUE.sub(" ", text))
    if not found:
        return
    if found.group(1).upper() == "SERVICE":
        raise QueryRefused("SERVICE is not allowed: the endpoint answers from its own graph only")
    raise QueryRefused("FROM and FROM NAMED are not allowed: the endpoint has one graph")
