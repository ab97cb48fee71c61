"""The site: network pages and files, charts, and the pages that the endpoint fills in.

One renderer serves both uses. ``vetkg run`` writes ``render_site(store)`` into its output
folder and ``vetkg serve --site`` serves those files; a server without a built site draws a
view's page with ``network_page`` on its first request. The endpoint's front page, query page
and entity pages are the templates of ``page()``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from importlib import resources

import networkx as nx
import pyoxigraph

from vetkg.namespaces import PREFIX_CONTEXT, VKG
from vetkg.query import catalogue
from vetkg.query.catalogue import CatalogueError, load_catalogue
from vetkg.query.pool import HTML, Answer, plain
from vetkg.views.assets import static_text
from vetkg.views.catalogue_page import CATALOGUE_PAGE, catalogue_values
from vetkg.views.charts import load_series, render_svg
from vetkg.views.network import NEIGHBOURHOOD, TooLarge, project_network, view_names
from vetkg.views.network_formats import to_gexf, to_graphml, to_kumu
from vetkg.views.ontology_docs import ontology_html
from vetkg.views.province_map import MAP_PAGE, map_values
from vetkg.views.visualize import json_for_html, render_network, vis_network_script

NETWORK_OUTPUTS = ("html", "gexf", "graphml", "kumu")
ONTOLOGY_PAGE = "ontology.html"


def drawn_views() -> list[str]:
    """The views that have a page of their own: all but the neighbourhood, which needs a focus."""
    return [view for view in view_names() if view != NEIGHBOURHOOD]


def network_page_path(view: str) -> str:
    return f"network-{view}.html"


# A view's files for other tools, by the end of their names: the format and its media type.
NETWORK_DOWNLOADS = {".gexf": ("gexf", "application/gexf+xml"),
                     ".graphml": ("graphml", "application/graphml+xml"),
                     "-kumu-elements.csv": ("kumu", "text/csv; charset=utf-8"),
                     "-kumu-connections.csv": ("kumu", "text/csv; charset=utf-8")}


def network_download(store: pyoxigraph.Store, name: str) -> Answer:
    """One of a view's files for other tools (``governance.gexf``), or 404."""
    for ending, (output, media_type) in NETWORK_DOWNLOADS.items():
        view = name.removesuffix(ending)
        if view != name and view in drawn_views():
            files = network_files(project_network(store, view), view, output)
            return Answer(200, media_type, files[f"network/{name}"].encode("utf-8"))
    return plain(404, f"no network file {name!r}")


def network_files(network: nx.MultiDiGraph, view: str, output: str) -> dict[str, str]:
    """The files of one view in one format, by path in the site: a page, GEXF, GraphML or Kumu."""
    if output == "html":
        return {network_page_path(view): render_network(network)}
    if output == "gexf":
        return {f"network/{view}.gexf": to_gexf(network)}
    if output == "graphml":
        return {f"network/{view}.graphml": to_graphml(network)}
    elements, connections = to_kumu(network)
    return {f"network/{view}-kumu-elements.csv": elements,
            f"network/{view}-kumu-connections.csv": connections}


def render_site(store: pyoxigraph.Store, progress=lambda message: None) -> dict[str, str]:
    """Every file of the site by its path: views in every format, charts, ontology docs, map."""
    files: dict[str, str] = {}
    for view in drawn_views():
        progress(f"view {view}")
        network = project_network(store, view)
        for output in NETWORK_OUTPUTS:
            files.update(network_files(network, view, output))
    progress("charts")
    for series in load_series(store):
        files[f"charts/{series.name}.svg"] = render_svg(series)
    progress("ontology documentation")
    files[ONTOLOGY_PAGE] = ontology_html()
    progress("province map")
    files[MAP_PAGE] = map_html(store, offline=True)
    progress("catalogue of majors")
    files[CATALOGUE_PAGE] = catalogue_html(store, offline=True)
    return files


def map_html(store: pyoxigraph.Store, offline: bool) -> str:
    """The province map page.

    Offline, as a file of the site, it links entities to their w3id IRIs and carries its
    style sheet; on a server, it links them to the server's pages.
    """
    values = map_values(store, str(VKG) if offline else "id/")
    extra = {"offline": True, "offline_css": static_text("vetkg.css")} if offline else {}
    return page("map.html", root="", **values, **extra).decode("utf-8")


def catalogue_html(store: pyoxigraph.Store, offline: bool) -> str:
    """The catalogue of majors to browse, offline (linking w3id IRIs) or on a server."""
    extra = {"offline": True, "offline_css": static_text("vetkg.css")} if offline else {}
    values = catalogue_values(store)
    return page(CATALOGUE_PAGE, root="", base=str(VKG) if offline else "id/",
                query=catalogue.text("pages/catalogue-tree"), **values, **extra).decode("utf-8")


def catalogue_page(store: pyoxigraph.Store) -> Answer:
    return Answer(200, HTML, catalogue_html(store, offline=False).encode("utf-8"))


def map_page(store: pyoxigraph.Store) -> Answer:
    return Answer(200, HTML, map_html(store, offline=False).encode("utf-8"))


def ontology_page(store: pyoxigraph.Store) -> Answer:
    """The ontology's documentation page as a server shows it: under the site's header.

    The site's sheet comes before pyLODE's own style, so that pyLODE's rules win where both
    style the same element; the header is as wide as pyLODE's content, clear of its contents
    panel.
    """
    html = ontology_html()
    sheet = ('<link rel="stylesheet" href="static/vetkg.css">'
             "<style>body > header{width:calc(100% - 150px);box-sizing:border-box}</style>")
    for marker, inserted in (("<head>", sheet),
                             ("<body>", page("_header.html", root="").decode("utf-8"))):
        if marker not in html:
            raise RuntimeError(f"pyLODE's page has no {marker} to put the site's header in")
        html = html.replace(marker, f"{marker}\n{inserted}", 1)
    return Answer(200, HTML, html.encode("utf-8"))


def network_page(store: pyoxigraph.Store, view: str, focus: str | None = None, hops: int = 1) -> Answer:
    """A view's page, or 400 (422 if it is over the node budget) saying why it cannot be drawn."""
    try:
        network = project_network(store, view, focus=focus, hops=hops)
    except TooLarge as error:
        return plain(422, str(error))
    except (ValueError, CatalogueError) as error:
        return plain(400, str(error))
    return Answer(200, HTML, render_network(network).encode("utf-8"))


INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
# A script element that a browser does not run: one with a src, or a block of JSON data.
NOT_RUN = re.compile(r"\bsrc\s*=|type\s*=\s*[\"']?application/(?:ld\+)?json", re.IGNORECASE)


def script_hash(text: str) -> str:
    """A script's hash as a content security policy names it."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@functools.cache
def inline_script_hashes() -> tuple[str, ...]:
    """The hashes of the inline scripts that the site's pages run: the templates' own, and vis-network.

    They come from the templates, never from a page, so that a script that the data slipped
    into a page would not run.
    """
    folder = resources.files("vetkg.views").joinpath("templates")
    scripts = [vis_network_script()]
    for entry in folder.iterdir():
        if entry.name.endswith(".html"):
            scripts += [text for attributes, text in INLINE_SCRIPT.findall(entry.read_text("utf-8"))
                        if not NOT_RUN.search(attributes) and "{{" not in text and "{%" not in text]
    return tuple(sorted({script_hash(text) for text in scripts}))


@functools.cache
def _environment():
    from jinja2 import DictLoader, Environment

    folder = resources.files("vetkg.views").joinpath("templates")
    sources = {entry.name: entry.read_text("utf-8") for entry in folder.iterdir()
               if entry.name.endswith(".html")}
    return Environment(loader=DictLoader(sources), autoescape=True)


# The query the page opens with: a short one whose answer has entities, labels and numbers.
START_QUERY = "brands-by-province"
CHART_ROWS = 60


@functools.cache
def query_page_json(row_cap: int) -> str:
    """What the query page's script reads: the catalogue as examples, the prefixes, the limits."""
    queries = load_catalogue()
    start = next((q.text for q in queries if q.name == START_QUERY), queries[0].text)
    return json_for_html({
        "examples": [{"name": q.name, "title": q.title, "zh": q.question_zh, "en": q.question_en,
                      "tags": list(q.tags), "text": q.text} for q in queries],
        "prefixes": PREFIX_CONTEXT, "entities": str(VKG), "lang": "zh",
        "rowCap": row_cap, "chartRows": CHART_ROWS, "start": start})


def page(name: str, **values) -> bytes:
    """One of the endpoint's templates, filled in."""
    return _environment().get_template(name).render(**values).encode("utf-8")
