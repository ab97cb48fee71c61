"""Other SPARQL stores: query an endpoint through SPARQLWrapper, load one by the Graph Store Protocol."""

from __future__ import annotations

import urllib.error
import urllib.request

from vetkg.query.results import QueryError, ResultTable, read_results

USER_AGENT = "vetkg (https://w3id.org/vetkg; SPARQL client of the vetkg knowledge graph)"

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


class LoadError(Exception):
    """The store refused the data or could not be reached."""


def load_into(ntriples: str, url: str, replace: bool = False, timeout: float = 120) -> int:
    """Send a graph's N-Triples to a Graph Store Protocol URL; return the triples sent.

    ``url`` names the target graph, for example ``http://127.0.0.1:7878/store?default``.
    With ``replace`` the request is a PUT, which replaces that graph; otherwise a POST adds
    to it.
    """
    body = ntriples.encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="PUT" if replace else "POST",
        headers={"Content-Type": "application/n-triples", "User-Agent": USER_AGENT},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace")[:500]
        raise LoadError(f"{url} answered {error.code}: {detail}") from None
    except OSError as error:
        raise LoadError(f"{url} could not be reached: {error}") from None
    return ntriples.count("\n")
