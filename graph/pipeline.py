"""The main job: build, check, and write the exports, query results and network pages."""

from __future__ import annotations

from pathlib import Path

from vetkg.build import build_graph, export_texts
from vetkg.catalogue import load_catalogue
from vetkg.exports import to_gexf, to_graphml, to_kumu
from vetkg.network import NEIGHBOURHOOD, project_network, view_names
from vetkg.paths import DEFAULT_BUILD_DIR, QUERIES_DIR
from vetkg.plot import load_series, render_svg
from vetkg.serialize import canonical_lines, jsonld_context
from vetkg.store import open_store, run_query
from vetkg.tables import load_tables
from vetkg.validate import Validation, ValidationReport
from vetkg.visualize import render_network
from vetkg.writing import write_output_set


class ValidationFailed(Exception):
    """The graph has ERROR findings and must not be published."""

    def __init__(self, report: ValidationReport):
        super().__init__(report.to_text())
        self.report = report


def run_pipeline(out_dir: Path = DEFAULT_BUILD_DIR) -> list[Path]:
    """Make ``out_dir`` hold everything a user needs, replaced in one step; return the paths.

    Raises ValidationFailed, and writes nothing, when the graph has ERROR findings.
    """
    out_dir = Path(out_dir)
    tables = load_tables()
    graph = build_graph(tables=tables)
    lines = canonical_lines(graph)
    store = open_store(graph, lines)
    validation = Validation(graph, store=store)
    files = {out_dir / name: text for name, text in export_texts(graph, lines).items()}
    files[out_dir / "vetkg.context.jsonld"] = jsonld_context()
    for query in load_catalogue():
        files[out_dir / "results" / f"{query.name}.csv"] = run_query(store, query.text).to_csv()
    for query in load_catalogue(QUERIES_DIR / "exports"):
        # A byte-order mark, so that spreadsheet programs read the Chinese text as UTF-8.
        files[out_dir / "csv" / f"{query.name}.csv"] = "\ufeff" + run_query(store, query.text).to_csv()
    for view in view_names():
        if view != NEIGHBOURHOOD:
            network = project_network(graph, view, store=store)
            for output in ("html", "gexf", "graphml", "kumu"):
                files.update(network_files(network, out_dir, view, output))
    for series in load_series(graph, store):
        files[out_dir / "charts" / f"{series.name}.svg"] = render_svg(series)
    report = validation.report()
    if not report.conforms:
        raise ValidationFailed(report)
    files[out_dir / "validation.txt"] = report.to_text()
    files[out_dir / "registers-left-out.txt"] = "".join(f"{note}\n" for note in tables.registers.notes)
    return write_output_set(out_dir, files)


def network_files(network, out_dir: Path, view: str, output: str) -> dict[Path, str]:
    """The files of one view in one format: a page, GEXF, GraphML or Kumu's two tables."""
    if output == "html":
        return {out_dir / f"network-{view}.html": render_network(network)}
    if output == "gexf":
        return {out_dir / "network" / f"{view}.gexf": to_gexf(network)}
    if output == "graphml":
        return {out_dir / "network" / f"{view}.graphml": to_graphml(network)}
    elements, connections = to_kumu(network)
    return {out_dir / "network" / f"{view}-kumu-elements.csv": elements,
            out_dir / "network" / f"{view}-kumu-connections.csv": connections}
