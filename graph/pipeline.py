"""The main job and ``vetkg build``: build and check the graph, then write what it gives.

``vetkg build`` writes the exports; the main job adds the query results and the site. Each
stage is shown as it starts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from vetkg.build.built_store import INPUTS, STORE, inputs_text, load_lines
from vetkg.build.checks import Validation, ValidationReport
from vetkg.build.exports import export_texts
from vetkg.build.graph import build_graph
from vetkg.build.serialize import canonical_lines, jsonld_context
from vetkg.build.tables import load_tables
from vetkg.build.writing import write_output_set
from vetkg.paths import DATA_DIR, DEFAULT_BUILD_DIR
from vetkg.query import catalogue
from vetkg.query.pool import RESULT_FORMATS
from vetkg.query.store import open_store

SHOWN_WARNINGS = 10


class ValidationFailed(Exception):
    """The graph has ERROR findings and must not be published."""

    def __init__(self, report: ValidationReport):
        super().__init__(report.to_text())
        self.report = report


class Progress:
    """Each stage of a long job as one line, with the seconds since the job began."""

    def __init__(self, say=lambda line: None):
        self.say, self.started = say, time.monotonic()

    def __call__(self, message: str) -> None:
        self.say(f"[{time.monotonic() - self.started:6.1f} s] {message}")


@dataclass
class Run:
    """What the main job wrote, how many triples the graph has, and what the checks found."""

    out_dir: Path
    paths: list[Path]
    triples: int
    report: ValidationReport

    def summary(self) -> str:
        """The triples, the checks' verdict with any warning, and what to run next."""
        warnings = [finding for finding in self.report.findings if finding.level != "ERROR"]
        lines = [f"{self.triples:,} triples; {self.report.checks_run} checks passed with "
                 f"{len(warnings)} warning(s) (see {self.out_dir}/validation.txt)"]
        lines += [f"  WARN {f.check}: {f.focus}: {f.message}" for f in warnings[:SHOWN_WARNINGS]]
        if len(warnings) > SHOWN_WARNINGS:
            lines.append(f"  and {len(warnings) - SHOWN_WARNINGS} more")
        lines += ["Next:",
                  f"  vetkg serve --site {self.out_dir}   # the SPARQL endpoint, entity pages and networks",
                  f"  vetkg query --list          # the questions; answers in {self.out_dir}/results/",
                  f"  {self.out_dir}/network-governance.html opens offline in a browser"]
        return "\n".join(lines) + "\n"


def results_csv(store, query: str) -> str:
    """A SELECT's answer as SPARQL 1.1 CSV, written by Oxigraph's own serialiser."""
    return store.query(query).serialize(format=RESULT_FORMATS["csv"][1]).decode("utf-8")


@dataclass
class Begun:
    """A graph built from the tables, in its store, with its checks running in the background.

    ``left_out`` are the notes on the register rows that the graph leaves out; the tables
    themselves are not kept.
    """

    left_out: list[str]
    inputs: str
    graph: Graph
    lines: list[str]
    store: pyoxigraph.Store
    validation: Validation


def _begin(data_dir: Path, progress: Progress) -> Begun:
    progress("reading the tables")
    inputs = inputs_text(data_dir)
    tables = load_tables(data_dir)
    progress("building the graph")
    graph = build_graph(tables=tables)
    left_out = tables.registers.notes
    # The typed rows are large beside the graph, and nothing after this needs them.
    del tables
    lines = canonical_lines(graph)
    store = open_store(graph, lines)
    progress(f"checking {len(lines):,} triples with SHACL and the QC queries, in the background")
    return Begun(left_out, inputs, graph, lines, store, Validation(graph, store))


def _exports(out_dir: Path, begun: Begun, progress: Progress) -> dict[Path, str]:
    progress("writing Turtle, N-Triples, JSON-LD and TriG")
    return {out_dir / name: text for name, text in export_texts(begun.graph, begun.lines).items()}


def _checked(begun: Begun, progress: Progress) -> ValidationReport:
    progress("waiting for the checks")
    report = begun.validation.report()
    if not report.conforms:
        raise ValidationFailed(report)
    return report


def _written(out_dir: Path, files: dict[Path, str], begun: Begun, report: ValidationReport,
             progress: Progress) -> Run:
    progress(f"writing {len(files)} files and their checksums, and the store, into {out_dir}")
    files[out_dir / INPUTS] = begun.inputs
    paths = write_output_set(out_dir, files, folders={STORE: lambda path: load_lines(begun.lines, path)})
    return Run(out_dir, paths, len(begun.lines), report)


def build_exports(out_dir: Path = DEFAULT_BUILD_DIR, data_dir: Path = DATA_DIR,
                  progress: Progress | None = None) -> Run:
    """``vetkg build``: make ``out_dir`` hold the checked graph as Turtle, N-Triples, JSON-LD and TriG.

    Raises ValidationFailed, and writes nothing, when the graph has ERROR findings.
    """
    out_dir, progress = Path(out_dir), progress or Progress()
    begun = _begin(data_dir, progress)
    files = _exports(out_dir, begun, progress)
    return _written(out_dir, files, begun, _checked(begun, progress), progress)


def run_pipeline(out_dir: Path = DEFAULT_BUILD_DIR, progress: Progress | None = None) -> Run:
    """Make ``out_dir`` hold everything a user needs, replaced in one step.

    Raises ValidationFailed, and writes nothing, when the graph has ERROR findings.
    """
    # The site's renderer brings networkx, scipy and pyvis, which `vetkg build` does without.
    from vetkg.views.site import render_site

    out_dir, progress = Path(out_dir), progress or Progress()
    begun = _begin(DATA_DIR, progress)
    store = begun.store
    files = _exports(out_dir, begun, progress)
    files[out_dir / "vetkg.context.jsonld"] = jsonld_context()
    progress("answering the query catalogue")
    for query in catalogue.load_catalogue():
        files[out_dir / "results" / f"{query.name}.csv"] = results_csv(store, query.text)
    for query in catalogue.group("exports"):
        # A byte-order mark, so that spreadsheet programs read the Chinese text as UTF-8.
        files[out_dir / "csv" / f"{query.name}.csv"] = "\ufeff" + results_csv(store, query.text)
    for path, text in render_site(store, progress=lambda what: progress(f"drawing {what}")).items():
        files[out_dir / path] = text
    report = _checked(begun, progress)
    files[out_dir / "validation.txt"] = report.to_text()
    files[out_dir / "registers-left-out.txt"] = "".join(f"{note}\n" for note in begun.left_out)
    return _written(out_dir, files, begun, report, progress)
