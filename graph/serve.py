"""The graph on HTTP: a read-only SPARQL 1.1 Protocol endpoint, entity pages and views.

Routes:
    /sparql               SPARQL 1.1 Protocol (GET, POST form, POST query); the query page
    /id/<id>              every entity IRI, as HTML, Turtle or JSON-LD by content negotiation
    /.well-known/void     the VoID and DCAT description, Turtle or JSON-LD
    /network/<view>       the interactive network pages; /network/neighbourhood?focus=…&hops=…
    /                     a front page that links them

Queries run in a pool of worker processes (``vetkg.workers``) with a deadline that holds,
a row cap that is signalled in the ``X-Vetkg-Truncated`` header, and a request-size cap.
"""

from __future__ import annotations

import socketserver
import urllib.parse
from dataclasses import dataclass
from importlib import resources
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, SKOS

from vetkg.build import to_ntriples
from vetkg.catalogue import CatalogueError, load_catalogue, read_query
from vetkg.describe import DATASET
from vetkg.guard import QueryRefused, check_query
from vetkg.namespaces import PREFIX_CONTEXT, VKG, VOID, bind_prefixes
from vetkg.network import NEIGHBOURHOOD, project_network, view_names
from vetkg.paths import QUERIES_DIR
from vetkg.plot import load_series, render_svg
from vetkg.store import open_store, run_query
from vetkg.visualize import json_for_html, render_network
from vetkg.workers import GRAPH_FORMATS, RESULT_FORMATS, DeadlineExceeded, PoolBusy, QueryPool

HTML = "text/html; charset=utf-8"
STATUS_TEXT = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
               405: "Method Not Allowed", 406: "Not Acceptable", 413: "Payload Too Large",
               414: "URI Too Long", 415: "Unsupported Media Type", 500: "Internal Server Error",
               503: "Service Unavailable"}
MEDIA_TYPES = {**{v: k for k, v in RESULT_FORMATS.items()}, **{v: k for k, v in GRAPH_FORMATS.items()},
               "application/json": "json", "application/xml": "xml", "text/xml": "xml",
               "text/html": "html", "application/xhtml+xml": "html"}


@dataclass(frozen=True)
class Limits:
    """The endpoint's limits; the README states them and tests hold them."""

    deadline: float = 10.0
    row_cap: int = 10_000
    max_request_bytes: int = 64 * 1024
    workers: int = 2


def _accepted(environ) -> list[str]:
    """Media types of the Accept header, best first."""
    weighted = []
    for position, part in enumerate(environ.get("HTTP_ACCEPT", "").split(",")):
        media, *params = [piece.strip() for piece in part.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if media:
            weighted.append((-quality, position, media.lower()))
    return [media for _, _, media in sorted(weighted)]


def _choose(environ, params, choices: dict[str, str], default: str) -> str | None:
    """A format name from ?format= or the Accept header, or None if nothing fits."""
    if "format" in params:
        # Clients send a short name (json) or a media type (application/sparql-results+json).
        name = params["format"]
        name = name if name in choices else MEDIA_TYPES.get(name.lower())
        return name if name in choices else None
    accepted = _accepted(environ)
    if not accepted:
        return default
    for media in accepted:
        if MEDIA_TYPES.get(media) in choices:
            return MEDIA_TYPES[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


class Endpoint:
    """The WSGI application."""

    def __init__(self, graph: Graph, limits: Limits = Limits(), base_url: str = ""):
        from jinja2 import Environment

        self.graph, self.limits, self.base_url = graph, limits, base_url.rstrip("/")
        self.pool = QueryPool(to_ntriples(graph).encode("utf-8"), size=limits.workers,
                              deadline=limits.deadline, row_cap=limits.row_cap)
        self.store = open_store(graph)
        environment = Environment(autoescape=True)
        self.templates = {
            name: environment.from_string(
                resources.files("vetkg").joinpath(f"templates/{name}").read_text("utf-8"))
            for name in ("index.html", "query.html", "entity.html")
        }
        self.examples_json = json_for_html([
            {"name": q.name, "title": q.title, "zh": q.question_zh, "en": q.question_en, "text": q.text}
            for q in load_catalogue()
        ])
        self.page_queries = {path.stem: read_query(path).text
                             for path in sorted((QUERIES_DIR / "pages").glob("entity-*.rq"))}
        self.network_pages = {
            view: render_network(project_network(graph, view, store=self.store)).encode("utf-8")
            for view in view_names() if view != NEIGHBOURHOOD
        }
        self.charts = [(series, render_svg(series)) for series in load_series(graph, self.store)]

    def close(self) -> None:
        self.pool.close()

    # -- helpers -------------------------------------------------------------------------

    def _template(self, name: str, **values) -> bytes:
        return self.templates[name].render(**values).encode("utf-8")

    @staticmethod
    def _respond(start_response, status: int, media_type: str, body: bytes, headers=()):
        start_response(f"{status} {STATUS_TEXT.get(status, '')}", [
            ("Content-Type", media_type), ("Content-Length", str(len(body))),
            ("Access-Control-Allow-Origin", "*"), ("Vary", "Accept"), *headers,
        ])
        return [body]

    def _error(self, start_response, status: int, message: str, headers=()):
        return self._respond(start_response, status, "text/plain; charset=utf-8",
                             (message + "\n").encode("utf-8"), headers)

    # -- routing -------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "/")
        method = environ.get("REQUEST_METHOD", "GET")
        if len(environ.get("QUERY_STRING", "")) > self.limits.max_request_bytes:
            return self._error(start_response, 414, "the request is larger than "
                               f"{self.limits.max_request_bytes} bytes")
        params = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        if path == "/sparql":
            return self.sparql(environ, start_response, method, params)
        if method not in ("GET", "HEAD"):
            return self._error(start_response, 405, "this resource is read-only", [("Allow", "GET")])
        if path == "/":
            return self._respond(start_response, 200, HTML, self._template(
                "index.html", views=list(self.network_pages), limits=self.limits))
        if path == "/.well-known/void":
            return self.void(environ, start_response, params)
        if path.startswith("/id/"):
            return self.entity(environ, start_response, params, path[len("/id/"):])
        if path == f"/network/{NEIGHBOURHOOD}":
            return self.neighbourhood(start_response, params)
        if path.startswith("/network/") and path[len("/network/"):] in self.network_pages:
            return self._respond(start_response, 200, HTML, self.network_pages[path[len("/network/"):]])
        return self._error(start_response, 404, f"nothing at {path}")

    # -- SPARQL protocol -----------------------------------------------------------------

    def _read_body(self, environ) -> bytes | None:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limits.max_request_bytes:
            return None
        return environ["wsgi.input"].read(length) if length else b""

    def sparql(self, environ, start_response, method, params):
        if method == "POST":
            body = self._read_body(environ)
            if body is None:
                return self._error(start_response, 413, "the request is larger than "
                                   f"{self.limits.max_request_bytes} bytes")
            media = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            if media == "application/x-www-form-urlencoded":
                params = {**params, **dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"),
                                                                  keep_blank_values=True))}
            elif media == "application/sparql-query":
                params = {**params, "query": body.decode("utf-8", "replace")}
            elif media == "application/sparql-update":
                params = {**params, "update": body.decode("utf-8", "replace")}
            else:
                return self._error(start_response, 415, f"unsupported request type {media!r}")
        elif method not in ("GET", "HEAD"):
            return self._error(start_response, 405, "use GET or POST", [("Allow", "GET, POST")])
        if "update" in params:
            return self._error(start_response, 403, "this endpoint is read-only: updates are refused")
        if "query" not in params:
            return self._respond(start_response, 200, HTML, self._template(
                "query.html", examples_json=self.examples_json, limits=self.limits))
        if any(key in params for key in ("default-graph-uri", "named-graph-uri")):
            return self._error(start_response, 400, "default-graph-uri and named-graph-uri are "
                               "not allowed: the endpoint has one graph")
        try:
            check_query(params["query"])
        except QueryRefused as error:
            return self._error(start_response, 400, str(error))
        result_format = _choose(environ, params, RESULT_FORMATS, "json")
        graph_format = _choose(environ, params, GRAPH_FORMATS, "turtle")
        if result_format is None and graph_format is None:
            return self._error(start_response, 406, "acceptable formats: "
                               + ", ".join([*RESULT_FORMATS.values(), *GRAPH_FORMATS.values()]))
        try:
            answer = self.pool.run(params["query"], result_format or "json", graph_format or "turtle")
        except DeadlineExceeded as error:
            return self._error(start_response, 503, str(error))
        except PoolBusy as error:
            return self._error(start_response, 503, str(error), [("Retry-After", "5")])
        headers = [("X-Vetkg-Truncated", "true" if answer.truncated else "false"),
                   ("X-Vetkg-Row-Cap", str(self.limits.row_cap))]
        return self._respond(start_response, answer.status, answer.media_type, answer.body, headers)

    # -- linked data ---------------------------------------------------------------------

    def _rdf(self, start_response, graph: Graph, graph_format: str):
        body = bind_prefixes(graph).serialize(
            format={"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}[graph_format],
            **({"context": PREFIX_CONTEXT, "auto_compact": True}
               if graph_format == "jsonld" else {}),
        )
        return self._respond(start_response, 200, f"{GRAPH_FORMATS[graph_format]}; charset=utf-8",
                             body.encode("utf-8") if isinstance(body, str) else body)

    def neighbourhood(self, start_response, params):
        try:
            hops = min(max(int(params.get("hops", "1")), 1), 4)
            network = project_network(self.graph, NEIGHBOURHOOD, focus=params.get("focus", ""),
                                      hops=hops, store=self.store)
        except (ValueError, CatalogueError) as error:
            return self._error(start_response, 400, str(error))
        return self._respond(start_response, 200, HTML, render_network(network).encode("utf-8"))

    def void(self, environ, start_response, params):
        graph_format = _choose(environ, params, GRAPH_FORMATS, "turtle")
        if graph_format is None:
            return self._error(start_response, 406, "acceptable: " + ", ".join(GRAPH_FORMATS.values()))
        description = Graph()
        for triple in self.graph.triples((DATASET, None, None)):
            description.add(triple)
        if self.base_url:
            description.add((DATASET, VOID.sparqlEndpoint, URIRef(f"{self.base_url}/sparql")))
        return self._rdf(start_response, description, graph_format)

    def entity(self, environ, start_response, params, identifier: str):
        iri = VKG[identifier]
        if (iri, None, None) not in self.graph:
            return self._error(start_response, 404, f"no entity {iri}")
        choices = {"html": HTML, **GRAPH_FORMATS}
        chosen = _choose(environ, params, choices, "html")
        if chosen is None:
            return self._error(start_response, 406, "acceptable: " + ", ".join(choices.values()))
        if chosen != "html":
            description = Graph()
            for triple in self.graph.triples((iri, None, None)):
                description.add(triple)
            for evidence in self.graph.objects(iri, PROV.wasDerivedFrom):
                for triple in self.graph.triples((evidence, None, None)):
                    description.add(triple)
            return self._rdf(start_response, description, chosen)
        sections = {name: [dict(zip(table.variables, row, strict=True))
                           for row in table.plain_rows()]
                    for name, table in ((name, run_query(self.store, text, bindings={"entity": iri}))
                                        for name, text in self.page_queries.items())}
        labels = {str(o.language): str(o) for o in self.graph.objects(iri, SKOS.prefLabel)}
        # Charts of the series this entity is the dataset, indicator or a scope of.
        charts = [svg for series, svg in self.charts
                  if identifier in (series.dataset, series.indicator)
                  or str(iri) in {scope for scope, _zh, _en in series.lines}]
        return self._respond(start_response, 200, HTML, self._template(
            "entity.html", iri=str(iri), labels=labels, sections=sections, charts=charts))


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the name is the base class's
        pass


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    """A WSGI server that answers each request in its own thread."""

    daemon_threads = True
    # socketserver's default backlog of 5 drops connections from concurrent clients, which
    # then wait a second to retry.
    request_queue_size = 128


def make_endpoint_server(graph: Graph, host: str = "127.0.0.1", port: int = 8000,
                         limits: Limits = Limits()):
    """A ready server and its application; call ``serve_forever()`` on the server."""
    base = f"http://{host}:{port}"
    application = Endpoint(graph, limits, base_url=base)
    server = make_server(host, port, application, server_class=ThreadingWSGIServer,
                         handler_class=_QuietHandler)
    if port == 0:
        application.base_url = f"http://{host}:{server.server_port}"
    return server, application
