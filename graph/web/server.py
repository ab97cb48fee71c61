"""The graph on HTTP: a read-only SPARQL 1.1 Protocol endpoint, entity pages and views.

Every route is a row of ``ROUTES``, below, which names the handler that answers it.

The HTTP threads only read requests and write answers. Everything that reads query text or
the graph runs in the worker pool (``vetkg.query.pool``), under its deadline and caps; the
workers share one read-only store (``vetkg.query.store``). The network pages are the files
of a site that ``vetkg run`` wrote, or, without one, drawn by a worker on first request
with the same renderer (``vetkg.views.site``). A request body must state its length, which is
bounded, and is read no further than that.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

from rdflib import Graph

from vetkg.build.void import read_dumps
from vetkg.curation import reconciliation
from vetkg.query.forker import Forker
from vetkg.query.pool import (
    GRAPH_FORMATS,
    HTML,
    RESULT_FORMATS,
    Answer,
    Limits,
    PoolError,
    QueryPool,
    plain,
)
from vetkg.query.store import SharedStore
from vetkg.views import site
from vetkg.views.assets import static_files
from vetkg.views.network import NEIGHBOURHOOD, NODE_BUDGET
from vetkg.web import jobs
from vetkg.web.serving import EndpointServer

# Format name: media type.
RESULT_MEDIA = {name: media for name, (media, _) in RESULT_FORMATS.items()}
GRAPH_MEDIA = {name: media for name, (media, _) in GRAPH_FORMATS.items()}
MEDIA_TYPES = {**{media: name for name, media in RESULT_MEDIA.items()},
               **{media: name for name, media in GRAPH_MEDIA.items()},
               "application/json": "json", "application/xml": "xml", "text/xml": "xml",
               "text/html": "html", "application/xhtml+xml": "html"}


MAX_SEARCH_CHARACTERS = 200
JSONP_CALLBACK = re.compile(r"[A-Za-z_$][\w$.]{0,63}")
STATIC_MEDIA = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml", ".csv": "text/csv; charset=utf-8",
                ".md": "text/markdown; charset=utf-8"}


class BadRequest(Exception):
    """The request itself is wrong; ``status`` says how."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class NotFound(Exception):
    """Nothing is at the path asked for; a browser gets a page with a search box."""


@dataclass(frozen=True)
class Request:
    """One request as a handler sees it; ``rest`` is the path after a route's prefix."""

    environ: dict
    start_response: Callable
    method: str
    params: dict[str, str]
    path: str
    rest: str = ""


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


def _wants_page(environ) -> bool:
    """Whether an error should be a page (for a browser) rather than plain text."""
    return _choose(environ, {}, {"html": HTML, "text": "text/plain"}, "text") == "html"


class Endpoint:
    """The WSGI application over a shared store, which it closes with itself.

    ``site_dir`` is a folder that ``vetkg run`` wrote; its network pages are served as they are.
    """

    def __init__(self, shared: SharedStore, limits: Limits = Limits(), base_url: str = "",
                 site_dir: Path | None = None):
        self.shared, self.limits, self.base_url = shared, limits, base_url.rstrip("/")
        self.site_dir = Path(site_dir) if site_dir is not None else None
        # Two lanes: SPARQL and light pages, and the pages that draw or read much of the graph,
        # so that no number of the second kind takes a worker that a query needs.
        # Both lanes' workers are forked from one process that holds the graph and the name index.
        self.forker = Forker(shared.path, shared.dump, limits.worker_limits().in_memory_up_to,
                             jobs.QUERY_JOBS.warm() + jobs.VIEW_JOBS.warm())
        self.pool = self.view_pool = None
        try:
            self.pool = QueryPool(shared.path, size=limits.workers, deadline=limits.deadline,
                                  limits=limits.worker_limits(), queue_cap=limits.queue_cap,
                                  client_queue_cap=limits.client_queue_cap, jobs=jobs.QUERY_JOBS,
                                  forker=self.forker)
            self.view_pool = QueryPool(shared.path, size=limits.view_workers, deadline=limits.view_deadline,
                                       limits=limits.worker_limits(), queue_cap=limits.queue_cap,
                                       client_queue_cap=limits.client_queue_cap, jobs=jobs.VIEW_JOBS,
                                       forker=self.forker)
        except BaseException:
            self.close()
            raise
        self.views = site.drawn_views()
        self.static = static_files()
        self.dumps = read_dumps(self.site_dir) if self.site_dir else []
        # A view's or the ontology's page is read from the site, or drawn by a worker, on its
        # first request; then kept.
        self.site_pages: dict[str, Answer] = {}

    def close(self) -> None:
        for pool in (self.pool, self.view_pool):
            if pool is not None:
                pool.close()
        self.forker.close()
        self.shared.close()

    def _do(self, request: Request, job, *args, seconds: float | None = None):
        """Do a job in its lane's pool, in the turn of the request's client (its address)."""
        lane = self.view_pool if job in jobs.VIEW_JOBS.functions else self.pool
        return lane.call(job, *args, seconds=seconds, client=request.environ.get("REMOTE_ADDR"))

    # -- helpers -------------------------------------------------------------------------

    @staticmethod
    def _respond(start_response, status: int, media_type: str, body: bytes, headers=()):
        start_response(f"{status} {HTTPStatus(status).phrase}", [
            ("Content-Type", media_type), ("Content-Length", str(len(body))),
            ("Access-Control-Allow-Origin", "*"), ("Vary", "Accept"), *security_headers(media_type), *headers,
        ])
        return [body]

    def _error(self, start_response, status: int, message: str, headers=()):
        return self._answer(start_response, plain(status, message), headers)

    def _answer(self, start_response, answer: Answer, headers=()):
        return self._respond(start_response, answer.status, answer.media_type, answer.body, headers)

    def _not_acceptable(self, start_response, choices: dict[str, str]):
        return self._error(start_response, 406, "acceptable formats: " + ", ".join(choices.values()))

    def _pool_error(self, start_response, error: PoolError):
        headers = [("Retry-After", str(error.retry_after))] if error.retry_after else []
        return self._error(start_response, error.status, str(error), headers)

    def _page(self, start_response, path: str, template: str, status: int = 200, **values):
        # Links in the templates are relative to the site's root, so that a proxy may mount it anywhere.
        root = "../" * (path.count("/") - 1)
        return self._respond(start_response, status, HTML, site.page(template, root=root, **values))

    def _not_found(self, environ, start_response, path: str, message: str):
        """A 404 page with a search box for a browser; plain text for other clients."""
        if not _wants_page(environ):
            return self._error(start_response, 404, message)
        guess = urllib.parse.unquote(path.rstrip("/").rsplit("/", 1)[-1])
        return self._page(start_response, path, "not_found.html", 404, message=message, guess=guess)

    def _json(self, start_response, status: int, document, headers=()):
        body = json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return self._respond(start_response, status, "application/json; charset=utf-8", body, headers)

    # -- routing -------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        body = self._route(environ, start_response)
        # A HEAD answer has the headers of GET, Content-Length included, and no body.
        if environ.get("REQUEST_METHOD") == "HEAD":
            getattr(body, "close", lambda: None)()
            return []
        return body

    def _route(self, environ, start_response):
        path = environ.get("PATH_INFO", "/")
        method = environ.get("REQUEST_METHOD", "GET")
        if len(environ.get("QUERY_STRING", "")) > self.limits.max_request_bytes:
            return self._error(start_response, 414, "the request is larger than "
                               f"{self.limits.max_request_bytes} bytes")
        params = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        route, rest = find_route(path)
        request = Request(environ, start_response, method, params, path, rest)
        try:
            if route is None:
                raise NotFound(f"nothing at {path}")
            if method not in route.methods:
                allowed = [name for name in route.methods if name != "HEAD"]
                message = ("this resource is read-only" if allowed == ["GET"]
                           else f"use {' or '.join(allowed)}")
                return self._error(start_response, 405, message, [("Allow", ", ".join(allowed))])
            return route.handler(self, request)
        except PoolError as error:
            return self._pool_error(start_response, error)
        except BadRequest as error:
            return self._error(start_response, error.status, str(error))
        except NotFound as error:
            return self._not_found(environ, start_response, path, str(error))

    # -- SPARQL protocol -----------------------------------------------------------------

    def _read_body(self, environ) -> bytes:
        """The request body, read no further than its stated, bounded length."""
        stated = environ.get("CONTENT_LENGTH", "").strip()
        if not stated:
            raise BadRequest(411, "a POST request must state its Content-Length")
        if not stated.isascii() or not stated.isdigit():
            raise BadRequest(400, f"Content-Length {stated[:40]!r} is not a length in bytes")
        length = int(stated)
        if length > self.limits.max_request_bytes:
            raise BadRequest(413, f"the request is larger than {self.limits.max_request_bytes} bytes")
        body = environ["wsgi.input"].read(length) if length else b""
        if len(body) != length:
            raise BadRequest(400, f"the body ended after {len(body)} of {length} bytes")
        return body

    def sparql(self, request: Request):
        environ, start_response, params = request.environ, request.start_response, request.params
        method = request.method
        if method == "POST":
            body = self._read_body(environ)
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
        if "update" in params:
            return self._error(start_response, 403, "this endpoint is read-only: updates are refused")
        if "query" not in params or self._wants_query_page(environ, method, params):
            return self._page(start_response, "/sparql", "query.html",
                              page_json=site.query_page_json(self.limits.row_cap), limits=self.limits)
        if any(key in params for key in ("default-graph-uri", "named-graph-uri")):
            return self._error(start_response, 400, "default-graph-uri and named-graph-uri are "
                               "not allowed: the endpoint has one graph")
        result_format = _choose(environ, params, RESULT_MEDIA, "json")
        graph_format = _choose(environ, params, GRAPH_MEDIA, "turtle")
        if result_format is None and graph_format is None:
            return self._not_acceptable(start_response, {**RESULT_MEDIA, **GRAPH_MEDIA})
        # The guard checks the query inside the worker, under the deadline.
        answer = self.pool.run(params["query"], result_format or "json", graph_format or "turtle",
                               client=environ.get("REMOTE_ADDR"))
        headers = [("X-Vetkg-Truncated", "true" if answer.truncated else "false"),
                   ("X-Vetkg-Row-Cap", str(self.limits.row_cap))]
        return self._answer(start_response, answer, headers)

    @staticmethod
    def _wants_query_page(environ, method: str, params) -> bool:
        """A browser following a permalink (/sparql?query=…) gets the page, which runs it.

        Only a GET that names no format and puts HTML first among what it accepts; SPARQL
        clients ask for results or graphs, and get them.
        """
        if method != "GET" or "format" in params:
            return False
        return _choose(environ, {}, {**RESULT_MEDIA, **GRAPH_MEDIA, "html": HTML}, "json") == "html"

    # -- linked data and views -----------------------------------------------------------

    def _site_page(self, request: Request, name: str, job, *args, from_site: bool = True,
                   media_type: str = HTML, headers=()):
        """A file of the built site, or one a worker draws on first request; then kept."""
        if name not in self.site_pages:
            built = self.site_dir / name if self.site_dir and from_site else None
            if built is not None and built.is_file():
                answer = Answer(200, media_type, built.read_bytes())
            else:
                answer = self._do(request, job, *args)
            if answer.status != 200:
                return self._answer(request.start_response, answer)
            self.site_pages[name] = answer
        return self._answer(request.start_response, self.site_pages[name], headers)

    def index(self, request: Request):
        return self._page(request.start_response, request.path, "index.html", views=self.views,
                          limits=self.limits)

    def map(self, request: Request):
        # The site's map.html links to the w3id IRIs; this one links to this server.
        return self._site_page(request, "map", jobs.map_page, from_site=False)

    def institutions(self, request: Request):
        return self._browse(request, "institutions")

    def entities(self, request: Request):
        return self._browse(request, "entities")

    def _browse(self, request: Request, name: str):
        """Rows by facets, as a page, or the whole selection as CSV or JSON."""
        environ, start_response, params = request.environ, request.start_response, request.params
        choices = {"html": HTML, "csv": "text/csv", "json": "application/json"}
        output = _choose(environ, params, choices, "html")
        if output is None:
            return self._not_acceptable(start_response, choices)
        facets = jobs.BROWSABLE[name][1].facets
        chosen = {facet.key: params[facet.key] for facet in facets if params.get(facet.key)}
        sort = params.get("sort", "")
        if output != "html":
            answer = self._do(request, jobs.browse_download, name, chosen, sort, output)
            return self._answer(start_response, answer, [
                ("Content-Disposition", f'attachment; filename="{name}.{output}"')])
        page = _bounded_int(params, "page", 1, 1, 10**6)
        values = self._do(request, jobs.browse_page, name, chosen, sort, page)
        return self._page(start_response, request.path, f"{name}.html", page_name=request.path[1:],
                          export=jobs.BROWSABLE[name][0].rsplit("/", 1)[1], **values)

    def catalogue(self, request: Request):
        return self._site_page(request, "catalogue", jobs.catalogue_page, from_site=False)

    def network(self, request: Request):
        """A view's page, or one of its files for other tools (GEXF, GraphML, Kumu's CSVs)."""
        name = request.rest
        if name in self.views:
            return self._site_page(request, site.network_page_path(name), jobs.network_page, name)
        media = next((media for ending, (_output, media) in site.NETWORK_DOWNLOADS.items()
                      if name.endswith(ending)), None)
        if media is None:
            raise NotFound(f"nothing at {request.path}")
        return self._site_page(request, f"network/{name}", jobs.network_download, name, media_type=media,
                               headers=[("Content-Disposition", f'attachment; filename="{name}"')])

    def ontology(self, request: Request):
        """The ontology's documentation for a browser; the ontology itself for RDF clients."""
        environ, start_response, params = request.environ, request.start_response, request.params
        choices = {"html": HTML, **GRAPH_MEDIA}
        chosen = _choose(environ, params, choices, "html")
        if chosen is None:
            return self._not_acceptable(start_response, choices)
        if chosen == "html":
            # The site's ontology.html stands alone; this one carries the server's header.
            return self._site_page(request, site.ONTOLOGY_PAGE, jobs.ontology_page, from_site=False)
        return self._answer(start_response, self._do(request, jobs.ontology_graph, chosen))

    def neighbourhood(self, request: Request):
        start_response, params = request.start_response, request.params
        try:
            hops = min(max(int(params.get("hops", "1")), 1), 4)
        except ValueError:
            return self._error(start_response, 400, f"hops {params.get('hops')!r} is not a number")
        focus = params.get("focus", "")
        answer = self._do(request, jobs.network_page, NEIGHBOURHOOD, focus, hops)
        if answer.status == 422 and _wants_page(request.environ):
            # A browser gets the message with links to the neighbourhoods that fewer hops draw.
            return self._page(start_response, request.path, "too_large.html", 422, focus=focus,
                              message=answer.body.decode("utf-8").strip(), fewer=range(1, hops),
                              budget=NODE_BUDGET)
        return self._answer(start_response, answer)

    def void(self, request: Request):
        """The VoID and DCAT description; a browser is sent to the dataset page."""
        environ, start_response, params = request.environ, request.start_response, request.params
        choices = {**GRAPH_MEDIA, "html": HTML}
        chosen = _choose(environ, params, choices, "turtle")
        if chosen is None:
            return self._not_acceptable(start_response, choices)
        if chosen == "html":
            return self.dataset(request)
        return self._answer(start_response, self._do(request, jobs.void_description, self.base_url, chosen,
                                                           self.dumps))

    def dataset(self, request: Request):
        values = self._do(request, jobs.dataset_values, self.base_url, self.dumps)
        return self._page(request.start_response, request.path, "dataset.html", **values)

    def dump(self, request: Request):
        """A dump of the built site, streamed from its file."""
        environ, start_response = request.environ, request.start_response
        dump = next((dump for dump in self.dumps if dump.name == request.rest), None)
        if dump is None:
            raise NotFound(f"nothing at {request.path}")
        start_response("200 OK", [("Content-Type", dump.media_type), ("Content-Length", str(dump.size)),
                                  ("Access-Control-Allow-Origin", "*"), *security_headers(dump.media_type),
                                  ("Content-Disposition", f'attachment; filename="{dump.name}"')])
        wrapper = environ.get("wsgi.file_wrapper", lambda file, size: iter(lambda: file.read(size), b""))
        return wrapper((self.site_dir / dump.name).open("rb"), 1 << 16)

    def entity(self, request: Request):
        environ, start_response, params = request.environ, request.start_response, request.params
        identifier = request.rest
        if not ENTITY_ID.fullmatch(identifier):
            return self._not_found(environ, start_response, request.path, f"no entity {identifier!r}")
        choices = {"html": HTML, **GRAPH_MEDIA}
        chosen = _choose(environ, params, choices, "html")
        if chosen is None:
            return self._not_acceptable(start_response, choices)
        if chosen != "html":
            return self._answer(start_response, self._do(request, jobs.describe_entity, identifier, chosen))
        page = self._do(request, jobs.entity_page, identifier, params.get("relation", ""),
                              _bounded_int(params, "page", 1, 1, 10**6))
        if page is None:
            return self._not_found(environ, start_response, f"/id/{identifier}", f"no entity {identifier}")
        return self._page(start_response, "/id/", "entity.html", **page)

    # -- search and reconciliation --------------------------------------------------------

    def _search_call(self, request: Request, job, *args):
        # A search may wait for its worker to finish building the name index: a view's deadline.
        return self._do(request, job, *args, seconds=self.limits.view_deadline)

    def search(self, request: Request):
        environ, start_response, params = request.environ, request.start_response, request.params
        choices = {"html": HTML, "json": "application/json"}
        chosen = _choose(environ, params, choices, "html")
        if chosen is None:
            return self._not_acceptable(start_response, choices)
        text = params.get("q", "").strip()[:MAX_SEARCH_CHARACTERS]
        limit = _bounded_int(params, "limit", 20, 1, 100)
        type_id = params.get("type", "")
        types = frozenset([reconciliation.type_iri(type_id)]) if type_id else frozenset()
        found = self._search_call(request, jobs.search_results, text, limit, types)
        if chosen == "json":
            return self._json(start_response, 200, found["results"])
        return self._page(start_response, "/search", "search.html", q=text, chosen_type=type_id,
                          results=found["results"], types=found["types"], count=found["count"],
                          facets=found["facets"])

    def reconcile(self, request: Request):
        """The service manifest, or the answer to a batch of queries (GET or POST form)."""
        environ, start_response, params = request.environ, request.start_response, request.params
        method = request.method
        if method == "POST":
            media = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            body = self._read_body(environ)
            if media != "application/x-www-form-urlencoded":
                return self._error(start_response, 415, "send the queries as a form: queries=…")
            params = {**params, **dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"),
                                                              keep_blank_values=True))}
        if "queries" in params or "extend" in params:
            field = "queries" if "queries" in params else "extend"
            try:
                document = json.loads(params[field])
            except ValueError as error:
                return self._json(start_response, 400, {"error": f"{field} is not JSON: {error}"})
            except RecursionError:
                return self._json(start_response, 400, {"error": f"{field} is nested too deeply"})
            job = jobs.reconcile_job if field == "queries" else jobs.extend_job
            answer = self._search_call(request, job, document)
        else:
            manifest = reconciliation.manifest(self.base_url)
            answer = self._search_call(request, jobs.reconcile_manifest, manifest)
        callback = params.get("callback", "")
        if callback and answer.status == 200:
            # JSONP, for clients that cannot use CORS; the name is checked, never echoed raw.
            if not JSONP_CALLBACK.fullmatch(callback):
                return self._error(start_response, 400, "callback must be a JavaScript identifier")
            return self._respond(start_response, 200, "application/javascript; charset=utf-8",
                                 callback.encode() + b"(" + answer.body + b");")
        return self._answer(start_response, answer)

    def properties(self, request: Request):
        """What data extension can add (propose_properties)."""
        params = request.params
        limit = _bounded_int(params, "limit", len(reconciliation.EXTENSION), 0, 100)
        return self._json(request.start_response, 200,
                          reconciliation.propose_properties(params.get("type", ""), limit))

    def preview(self, request: Request):
        environ, start_response, params = request.environ, request.start_response, request.params
        hit = self._search_call(request, jobs.preview_values, params.get("id", ""))
        if hit is None:
            return self._not_found(environ, start_response, "/reconcile/preview",
                                   f"no entity {params.get('id', '')!r}")
        return self._respond(start_response, 200, HTML, site.page("preview.html", hit=hit))

    def suggest(self, request: Request):
        start_response, params, kind = request.start_response, request.params, request.rest
        cursor = _bounded_int(params, "cursor", 0, 0, 1000)
        prefix = params.get("prefix", "")[:MAX_SEARCH_CHARACTERS]
        answer = self._search_call(request, jobs.suggest_job, kind, prefix, cursor)
        return self._answer(start_response, answer)

    def static_file(self, request: Request):
        name = request.rest
        if name not in self.static:
            raise NotFound(f"nothing at {request.path}")
        media = STATIC_MEDIA.get(Path(name).suffix, "application/octet-stream")
        return self._respond(request.start_response, 200, media, self.static[name],
                             [("Cache-Control", "public, max-age=86400")])


@dataclass(frozen=True)
class Route:
    """A path (or, ending in '/', a prefix of paths), the methods it answers, and its handler."""

    path: str
    handler: Callable
    methods: tuple[str, ...] = ("GET", "HEAD")

    @property
    def is_prefix(self) -> bool:
        return self.path.endswith("/") and self.path != "/"


# A page runs only the site's script files (YASGUI and vis-network are vendored) and the
# inline scripts of the site's templates, named by their hashes. Styles may be inline, since
# the vendored YASGUI writes style elements as it runs. A page may ask this server, and no
# other, for data (YASGUI reads its prefixes from a data: address).
POLICY = ("default-src 'self'; script-src 'self'{scripts}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; connect-src 'self' data:; object-src 'none'; base-uri 'none'; "
          "form-action 'self'")


def security_headers(media_type: str) -> list[tuple[str, str]]:
    """Headers on every answer: no type sniffing, no full address in Referer; a page's policy."""
    headers = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "strict-origin-when-cross-origin")]
    if media_type.startswith("text/html"):
        scripts = "".join(" " + value for value in site.inline_script_hashes())
        headers.append(("Content-Security-Policy", POLICY.format(scripts=scripts)))
    return headers


# An entity's id as the graph mints it: no space, control character or IRI delimiter.
ENTITY_ID = re.compile(r"[^\s<>\"{}|\\^`#?/\x00-\x1f\x7f]+")


READ_OR_POST = ("GET", "HEAD", "POST")
# Every route of the server, in one place: a request goes to the first whose path is its path
# or a prefix of it. The handlers send work to the pool as jobs of ``vetkg.web.jobs``.
ROUTES = (
    # A front page that links the others.
    Route("/", Endpoint.index),
    # SPARQL 1.1 Protocol (GET, POST form, POST query); the query page for a browser.
    Route("/sparql", Endpoint.sparql, READ_OR_POST),
    # The W3C Reconciliation API: the manifest and batches of queries; previews; suggestions.
    Route("/reconcile", Endpoint.reconcile, READ_OR_POST),
    Route("/reconcile/preview", Endpoint.preview),
    Route("/reconcile/properties", Endpoint.properties),
    Route("/reconcile/suggest/", Endpoint.suggest),
    # Entities by any name, as a page or JSON.
    Route("/search", Endpoint.search),
    # The ontology's documentation, or the ontology in RDF.
    Route("/ontology", Endpoint.ontology),
    # Figures per province on a map of China.
    Route("/map", Endpoint.map),
    # The institutions of the MOE list by facets, with downloads of a selection.
    Route("/institutions", Endpoint.institutions),
    # Every entity by class and link status, with downloads of a selection.
    Route("/browse", Endpoint.entities),
    # The catalogue of majors by level, category and class.
    Route("/catalogue", Endpoint.catalogue),
    # The VoID and DCAT description as a page and in RDF, and the dumps of a built site.
    Route("/dataset", Endpoint.dataset),
    Route("/dumps/", Endpoint.dump),
    Route("/.well-known/void", Endpoint.void),
    # Every entity IRI, as HTML, Turtle or JSON-LD by content negotiation.
    Route("/id/", Endpoint.entity),
    # The interactive network pages: a neighbourhood (?focus=…&hops=…) and each view.
    Route(f"/network/{NEIGHBOURHOOD}", Endpoint.neighbourhood),
    Route("/network/", Endpoint.network),
    # The pages' style sheet, scripts and boundary file.
    Route("/static/", Endpoint.static_file),
)
_EXACT = {route.path: route for route in ROUTES if not route.is_prefix}
_PREFIXES = [route for route in ROUTES if route.is_prefix]


def find_route(path: str) -> tuple[Route | None, str]:
    """The route of a path, and the rest of the path after its prefix."""
    if path in _EXACT:
        return _EXACT[path], ""
    for route in _PREFIXES:
        if path.startswith(route.path):
            return route, path[len(route.path):]
    return None, ""


def _bounded_int(params, name: str, default: int, lowest: int, highest: int) -> int:
    try:
        value = int(params.get(name, default))
    except ValueError:
        raise BadRequest(400, f"{name} {params.get(name)!r} is not a number") from None
    return min(max(value, lowest), highest)


def make_endpoint_server(source: Graph | Path, host: str = "127.0.0.1", port: int = 8000,
                         limits: Limits = Limits(), site_dir: Path | None = None,
                         base_url: str = "", trusted_proxy: str | None = None):
    """A ready server, its application and its store, for a graph, a dump or a store folder.

    ``site_dir`` is a folder written by ``vetkg run``, whose pages and dumps are served.
    ``base_url`` is the public address that the dataset description and the reconciliation
    manifest state, for a server behind a proxy; by default, the address it listens on.
    Clients take turns by address; behind a proxy at ``trusted_proxy``, by the address it
    states in X-Forwarded-For. Call ``serve_forever()`` on the server, and close the
    application at the end.
    """
    shared = SharedStore(source)
    application = None
    try:
        application = Endpoint(shared, limits, base_url=base_url or f"http://{host}:{port}",
                               site_dir=site_dir)
        server = EndpointServer(application, host, port, limits, trusted_proxy)
    except BaseException:
        (application or shared).close()
        raise
    if port == 0 and not base_url:
        application.base_url = f"http://{host}:{server.server_port}"
    return server, application
