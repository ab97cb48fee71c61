"""The ``vetkg`` command line: a few lines per command over the library."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from vetkg.paths import DATA_DIR, DEFAULT_BUILD_DIR
from vetkg.query.pool import Limits

DEFAULT_LIMITS = Limits()
MIB = 2**20
FORMATS = ("table", "csv", "tsv", "json", "xml")


def _fail(lines) -> None:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1)


def _graph(data_dir: Path = DATA_DIR):
    from vetkg.build.graph import build_graph
    from vetkg.build.tables import DataError

    try:
        return build_graph(data_dir)
    except DataError as error:
        _fail(error.problems)


def _store_path() -> Path:
    """The store built from the current tables: build/'s, else one built once into the cache."""
    from vetkg.build.built_store import StaleStore, current_store

    rebuild = click.get_current_context().find_root().params.get("if_stale", "rebuild") == "rebuild"
    try:
        return current_store(rebuild=rebuild, say=lambda line: click.echo(line, err=True))
    except StaleStore as error:
        _fail([f"vetkg: {error}"])
    except Exception as error:
        # Imported only here: the table schema brings rdflib, which a current store does without.
        from vetkg.build.rows import DataError

        if not isinstance(error, DataError):
            raise
        _fail(error.problems)


def _store():
    """The built store, opened read-only."""
    import pyoxigraph

    return pyoxigraph.Store.read_only(str(_store_path()))


def _progress():
    from vetkg.pipeline import Progress

    return Progress(lambda line: click.echo(line, err=True))


def _published(command: str, job, *args):
    """What a job of ``vetkg.pipeline`` wrote, shown with progress; exit 1 with its problems."""
    from vetkg.build.tables import DataError
    from vetkg.build.writing import OutputFolderError
    from vetkg.pipeline import ValidationFailed

    try:
        return job(*args, progress=_progress())
    except OutputFolderError as error:
        _fail([f"vetkg {command}: {error}"])
    except DataError as error:
        _fail(error.problems)
    except ValidationFailed as error:
        _fail(error.report.to_text().splitlines())


@click.group()
@click.version_option(package_name="vetkg")
@click.option("--if-stale", type=click.Choice(("rebuild", "refuse")), default="rebuild", show_default=True,
              help="When build/store/ was built from other tables, ontology or code than the current "
                   "ones: build the graph once into the cache folder, or stop with an error.")
def main(if_stale: str) -> None:
    """vetkg: the open knowledge graph of China's vocational education and training.

    The commands that read the graph open the store that `vetkg run` wrote into build/store/,
    read-only, when it was built from the current inputs.
    """


@main.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_BUILD_DIR,
              show_default=True, help="Folder for the exports.")
@click.option("--data", "data_dir", type=click.Path(path_type=Path, exists=True, file_okay=False),
              default=DATA_DIR, help="Folder of curated tables (default: the repository's data/).")
def build(out_dir: Path, data_dir: Path) -> None:
    """Build and check the graph, then write Turtle, N-Triples, JSON-LD and TriG."""
    from vetkg.pipeline import build_exports

    done = _published("build", build_exports, out_dir, data_dir)
    for path in done.paths:
        click.echo(path)


@main.command()
def validate() -> None:
    """Run the SHACL shapes and the QC queries; exit 1 on any ERROR."""
    from vetkg.build.checks import validate_graph

    report = validate_graph(_graph())
    click.echo(report.to_text(), nl=False)
    sys.exit(0 if report.conforms else 1)


@main.command()
@click.argument("name", required=False)
@click.option("--list", "list_queries", is_flag=True, help="List the catalogue's questions.")
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--endpoint", help="Run on this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--graph", "source", type=click.Path(path_type=Path, exists=True),
              help="Run on a built dump (vetkg.nt …) or an Oxigraph store folder "
                   "(default: the built store).")
@click.option("--timeout", type=float, default=60.0, show_default=True,
              help="Seconds before the query is stopped.")
def query(name, list_queries, output, endpoint, source, timeout) -> None:
    """Run a catalogue query by NAME, or any .rq FILE.

    The query is checked as the endpoint checks it, and the command ends at the timeout,
    which stops the query; the formats other than table are the engine's own SPARQL results
    formats.
    """
    from vetkg.query.catalogue import CatalogueError, load_catalogue, resolve_query
    from vetkg.query.results import QueryError
    from vetkg.query.store import StoreError

    if list_queries:
        for item in load_catalogue():
            click.echo(f"{item.name}\n    {item.question_zh}\n    {item.question_en}")
        return
    if not name:
        raise click.UsageError("give a query NAME or FILE, or --list")
    result_format = "json" if output == "table" else output
    try:
        selected = resolve_query(name)
        if endpoint:
            from vetkg.query.remote import fetch_results

            body, rows = fetch_results(endpoint, selected.text, result_format, timeout), True
        else:
            answer = _answer_here(source, selected.text, result_format, timeout)
            if answer.status != 200:
                raise QueryError(answer.body.decode("utf-8").strip())
            body, rows = answer.body, answer.has_rows
        text = body.decode("utf-8")
        if output == "table" and rows:
            from vetkg.query.results import read_results

            text = read_results(body).to_table()
    except (CatalogueError, QueryError, StoreError) as error:
        _fail([f"vetkg query: {error}"])
    click.echo(text, nl=not text.endswith("\n"))


def _answer_here(source, text: str, result_format: str, seconds: float):
    """The answer of a query in this process; at ``seconds`` the command ends, which stops it.

    The engine lets other threads run while it works, so a timer can end the process.
    """
    import os
    import threading

    from vetkg.api import load
    from vetkg.query.pool import WorkerLimits, answer_query

    store = load(source).store if source else _store()

    def stop() -> None:
        click.echo(f"vetkg query: the query did not finish within {seconds:g} s and was stopped", err=True)
        os._exit(1)

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        return answer_query(store, text, result_format, "turtle", WorkerLimits(row_cap=None, byte_cap=None))
    finally:
        timer.cancel()


@main.command()
@click.argument("name")
@click.option("--type", "type_id", default="", help="Only entities of this class (or a subclass), "
              "e.g. VocationalInstitution or vet:City.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--format", "output", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option("--graph", "source", type=click.Path(path_type=Path, exists=True),
              help="A dump or an Oxigraph store folder (default: the built store).")
def search(name, type_id, limit, output, source) -> None:
    """Find entities by NAME: any zh or en label, short name, acronym or 学校标识码, ranked."""
    import json

    from vetkg.curation.reconciliation import type_iri
    from vetkg.curation.search import NameIndex, built_index, format_matches

    if source:
        from vetkg.api import load
        from vetkg.query.store import StoreError

        try:
            index = NameIndex(load(source).store)
        except StoreError as error:
            _fail([f"vetkg search: {error}"])
    else:
        index = built_index(_store_path())
    matches = index.search(name, limit, frozenset([type_iri(type_id)]) if type_id else frozenset())
    if output == "json":
        click.echo(json.dumps([{"id": match.entity.id, "zh": match.entity.zh, "en": match.entity.en,
                                "score": match.score, "name": match.name} for match in matches],
                              ensure_ascii=False, indent=1))
    else:
        click.echo(format_matches(index, matches), nl=False)


NETWORK_FORMATS = ("html", "gexf", "graphml", "kumu")


@main.command()
@click.option("--view", default=None, help="governance, cooperation, regional, timeline, agenda or "
              "neighbourhood (the default with --focus, else governance).")
@click.option("--focus", help="For the neighbourhood view: an entity's id, zh or en name.")
@click.option("--hops", default=1, show_default=True, type=int, help="How far from --focus to reach.")
@click.option("--format", "output", type=click.Choice(NETWORK_FORMATS), default="html", show_default=True,
              help="A page, GEXF for Gephi, GraphML, or Kumu's two CSV tables.")
@click.option("--out", "out_file", type=click.Path(path_type=Path),
              help="The file to write (default: under build/).")
def viz(view, focus, hops, output, out_file) -> None:
    """Write one network view: an interactive page, or a file for Gephi, yEd or Kumu."""
    from vetkg.build.writing import write_atomically
    from vetkg.query.catalogue import CatalogueError
    from vetkg.views.network import project_network
    from vetkg.views.site import network_files

    view = view or ("neighbourhood" if focus else "governance")
    try:
        network = project_network(_store(), view, focus=focus, hops=hops)
    except CatalogueError as error:
        _fail([f"vetkg viz: {error}"])
    files = {DEFAULT_BUILD_DIR / path: text for path, text in network_files(network, view, output).items()}
    if out_file:
        # Kumu's two tables take the name given, with -elements and -connections added.
        files = {out_file if len(files) == 1 else
                 out_file.with_name(f"{out_file.stem}-{path.stem.rsplit('-', 1)[1]}{path.suffix}"): text
                 for path, text in files.items()}
    write_atomically(files)
    for path in files:
        click.echo(f"{path} ({network.number_of_nodes()} nodes, {network.number_of_edges()} edges)")


@main.command()
@click.option("--view", default="governance", show_default=True)
@click.option("--top", default=10, show_default=True, type=int, help="How many brokers to list.")
@click.option("--path", "path", nargs=2, metavar="FROM TO",
              help="Print the shortest chain of relations between two entities, with evidence.")
def analyze(view: str, top: int, path) -> None:
    """Find the brokers and communities of a view, or how two entities are connected."""
    import networkx as nx

    from vetkg.query.catalogue import CatalogueError
    from vetkg.views.analyze import format_analysis, format_path, shortest_path
    from vetkg.views.network import connecting_network, project_network

    store = _store()
    try:
        if path:
            click.echo(format_path(shortest_path(*connecting_network(store, *path))), nl=False)
        else:
            click.echo(format_analysis(project_network(store, view), top), nl=False)
    except (CatalogueError, nx.NetworkXNoPath) as error:
        _fail([f"vetkg analyze: {error}"])


@main.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_BUILD_DIR / "charts",
              show_default=True)
def plot(out_dir: Path) -> None:
    """Write an SVG chart of every time series of the report."""
    from vetkg.build.writing import write_atomically
    from vetkg.views.charts import load_series, render_svg

    files = {out_dir / f"{series.name}.svg": render_svg(series) for series in load_series(_store())}
    write_atomically(files)
    for path in files:
        click.echo(path)


@main.command()
@click.option("--endpoint", required=True,
              help="Graph Store Protocol URL of the target graph, e.g. http://127.0.0.1:7878/store?default")
@click.option("--replace", is_flag=True, help="Replace the graph (PUT) instead of adding to it (POST).")
def load(endpoint: str, replace: bool) -> None:
    """Load the graph into a triplestore through the SPARQL 1.1 Graph Store Protocol."""
    import pyoxigraph

    from vetkg.query.remote import LoadError, load_into

    try:
        ntriples = _store().dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
        count = load_into(ntriples.decode("utf-8"), endpoint, replace=replace)
    except LoadError as error:
        _fail([f"vetkg load: {error}"])
    click.echo(f"loaded {count} triples into {endpoint}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--site", "site_dir", type=click.Path(path_type=Path, exists=True, file_okay=False),
              help="A folder written by `vetkg run`: its pages are served, and its store is the "
                   "graph unless --graph names another.")
@click.option("--graph", "source", type=click.Path(path_type=Path, exists=True),
              help="A built dump (vetkg.nt, .ttl, .nq, .trig) or an Oxigraph store folder "
                   "(default: the site's store or vetkg.nt, else the built store).")
@click.option("--deadline", default=DEFAULT_LIMITS.deadline, show_default=True, type=float,
              help="Seconds before a query is stopped, waiting for a worker included.")
@click.option("--row-cap", default=DEFAULT_LIMITS.row_cap, show_default=True, type=int,
              help="Most rows or triples in one answer.")
@click.option("--byte-cap", default=DEFAULT_LIMITS.byte_cap // MIB, show_default=True, type=int,
              help="Most MiB in one answer.")
@click.option("--memory-cap", default=DEFAULT_LIMITS.memory_cap // MIB, show_default=True, type=int,
              help="Most MiB of address space for one worker.")
@click.option("--workers", default=DEFAULT_LIMITS.workers, show_default=True, type=int,
              help="Query worker processes.")
@click.option("--view-workers", default=DEFAULT_LIMITS.view_workers, show_default=True, type=int,
              help="Worker processes, apart from the query workers, that draw views and register pages.")
@click.option("--queue-cap", default=DEFAULT_LIMITS.queue_cap, show_default=True, type=int,
              help="Requests that may wait for a worker of one lane; more are answered 503 at once.")
@click.option("--trusted-proxy", default=None, help="The address of a proxy in front of the server, "
              "whose X-Forwarded-For names the client that takes turns with the others.")
@click.option("--base-url", default="", help="The public address that the dataset description and "
              "the reconciliation manifest state (default: http://HOST:PORT).")
def serve(host, port, site_dir, source, deadline, row_cap, byte_cap, memory_cap, workers, view_workers,
          queue_cap, trusted_proxy, base_url) -> None:
    """Serve the SPARQL endpoint, entity pages, the dataset description and the networks."""
    from vetkg.build.built_store import STORE
    from vetkg.query.store import StoreError
    from vetkg.web.server import make_endpoint_server

    limits = Limits(deadline=deadline, row_cap=row_cap, workers=workers, byte_cap=byte_cap * MIB,
                    memory_cap=memory_cap * MIB, queue_cap=queue_cap, view_workers=view_workers)
    # SIGTERM stops the server as Ctrl-C does, so that its workers and temporary store go with it.
    signal.signal(signal.SIGTERM, _interrupt)
    if source is None and site_dir is not None:
        # A site is served with its own graph: its store, else its dump.
        source = next((site_dir / name for name in (STORE, "vetkg.nt") if (site_dir / name).exists()), None)
    try:
        server, application = make_endpoint_server(source or _store_path(), host, port, limits, site_dir,
                                                   base_url.rstrip("/"), trusted_proxy)
    except StoreError as error:
        _fail([f"vetkg serve: {error}"])
    try:
        # Within the try, so that a stop that comes as soon as this is printed closes the server too.
        click.echo(f"vetkg: serving on http://{host}:{server.server_port}/ (SPARQL at /sparql)")
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        application.close()


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


@main.group()
def link() -> None:
    """Find links to Wikidata and ROR for review, and accept what a person approved."""


def _candidates_option(function):
    return click.option("--review", "review_file", type=click.Path(path_type=Path), default=None,
                        help="The review file of candidates (default: review/link-candidates.csv).")(function)


def _record(found, review_file) -> None:
    from vetkg.curation.candidates import (
        CANDIDATES_FILE,
        CandidateError,
        merge_candidates,
        read_candidates,
        write_candidates,
    )

    review_file = review_file or CANDIDATES_FILE
    try:
        merged = merge_candidates(read_candidates(review_file), found)
    except CandidateError as error:
        _fail(error.problems)
    write_candidates(merged, review_file)
    waiting = sum(candidate.status in ("proposed", "ambiguous") for candidate in merged)
    click.echo(f"{len(found)} candidates found; {review_file} holds {len(merged)} "
               f"({waiting} awaiting review)")


@link.command("wikidata")
@click.option("--endpoint", default=None, help="SPARQL endpoint to search (default: Wikidata).")
@_candidates_option
@click.option("--batch-size", default=40, show_default=True, type=int, help="Labels per request.")
@click.option("--timeout", default=60.0, show_default=True, type=float, help="Seconds per request.")
@click.option("--attempts", default=4, show_default=True, type=int,
              help="Tries per request when the endpoint answers 429 or 503.")
def link_wikidata(endpoint, review_file, batch_size, timeout, attempts) -> None:
    """Find candidate Wikidata items for unlinked entities by their exact labels."""
    from vetkg.curation.wikidata import DEFAULT_ENDPOINT, LinkError, PoliteClient, find_candidates

    client = PoliteClient(endpoint or DEFAULT_ENDPOINT, timeout=timeout, attempts=attempts)
    try:
        found = find_candidates(_store(), client, batch_size=batch_size)
    except LinkError as error:
        _fail([f"vetkg link wikidata: {error}"])
    _record(found, review_file)


@link.command("ror")
@click.option("--reference", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="ROR records as CSV (default: the shared reference subset).")
@_candidates_option
def link_ror(reference, review_file) -> None:
    """Find ROR records, and their Wikidata items, whose zh names equal an organisation's."""
    from vetkg.curation.ror import ROR_FILE, read_records, ror_candidates

    reference = reference or ROR_FILE
    if not reference.exists():
        _fail([f"vetkg link ror: the ROR reference is not at {reference}; set VETKG_SHARED or --reference"])
    _record(ror_candidates(_store(), read_records(reference)), review_file)


@link.command("accept")
@_candidates_option
def link_accept(review_file) -> None:
    """Move the candidates marked accepted into data/links.csv."""
    from vetkg.curation.candidates import CANDIDATES_FILE, CandidateError, accept_candidates

    try:
        moved = accept_candidates(review_file or CANDIDATES_FILE)
    except CandidateError as error:
        _fail(error.problems)
    click.echo(f"moved {moved} accepted candidates into data/links.csv")


@main.command()
@click.option("--coverage", is_flag=True, help="List each heading of the report with its facts.")
def stats(coverage: bool) -> None:
    """Print triples, entities per class, facts with evidence and links per dataset."""
    if coverage:
        from vetkg.paths import SOURCE_FILE
        from vetkg.views.coverage import facts_per_heading, format_coverage

        if not SOURCE_FILE.exists():
            _fail([f"vetkg stats: the report is not at {SOURCE_FILE}; set VETKG_SHARED"])
        click.echo(format_coverage(facts_per_heading(_store())), nl=False)
        return
    from vetkg.views.stats import format_stats, graph_stats

    click.echo(format_stats(graph_stats(_store())), nl=False)


@main.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_BUILD_DIR,
              show_default=True)
def run(out_dir: Path) -> None:
    """The main job: build, check, and write exports, query results and network pages."""
    from vetkg.pipeline import run_pipeline

    done = _published("run", run_pipeline, out_dir)
    click.echo(f"vetkg: wrote {len(done.paths)} files into {out_dir}/")
    for path in done.paths:
        click.echo(f"  {path}")
    click.echo(done.summary(), nl=False)
