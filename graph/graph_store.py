"""Load the graph into any triplestore that speaks the SPARQL 1.1 Graph Store Protocol."""

from __future__ import annotations

import urllib.error
import urllib.request

from rdflib import Graph

from vetkg.build import to_ntriples
from vetkg.store import USER_AGENT


class LoadError(Exception):
    """The store refused the data or could not be reached."""


def load_into(graph: Graph, url: str, replace: bool = False, timeout: float = 120) -> int:
    """Send the graph as N-Triples to a Graph Store Protocol URL; return the triples sent.

    ``url`` names the target graph, for example ``http://127.0.0.1:7878/store?default``.
    With ``replace`` the request is a PUT, which replaces that graph; otherwise a POST adds
    to it.
    """
    body = to_ntriples(graph).encode("utf-8")
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
    return len(graph)
