"""The main job and ``vetkg build``: build and check the graph, then write what it gives.

``vetkg build`` writes the exports; the main job adds the query results and the site. Each
stage is shown as it starts.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from vetkg.build.built_store import INPUTS, STORE, inputs_text, write_store
from vetkg.build.checks import Validation, ValidationReport
from vetkg.build.exports import DERIVED, NTRIPLES, write_derived_export
from vetkg.build.graph import graph_lines
from vetkg.build.serialize import jsonld_context, line_blocks, write_ntriples
from vetkg.build.tables import load_tables
from vetkg.build.writing import OutputSet
from vetkg.paths import DATA_DIR, DEFAULT_BUILD_DIR
from vetkg.query import catalogue
from vetkg.query.forker import die_with_parent
from vetkg.query.ntriples import load_file
from vetkg.query.pool import RESULT_FORMATS

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
    """A graph built from the tables, written as N-Triples and loaded into its store.

    Its checks and its other exports are under way in worker processes meanwhile.
    ``left_out`` are the notes on the register rows that the graph leaves out.
    """

    left_out: list[str]
    triples: int
    store: pyoxigraph.Store
    validation: Validation
    files: list[Future]


def write_graph_file(data_dir: Path, ntriples_file: Path) -> tuple[int, list[str]]:
    """Load the tables and write the graph's sorted N-Triples lines into ``ntriples_file``.

    Gives the number of triples and the notes on the register rows that the graph leaves out.
    Raises DataError listing every problem of the tables.
    """
    tables = load_tables(data_dir)
    lines = graph_lines(tables=tables)
    with open(ntriples_file, "wb") as stream:
        write_ntriples(line_blocks(lines), stream)
    return len(lines), tables.registers.notes


def _begin(data_dir: Path, output: OutputSet, progress: Progress, workers: Executor) -> Begun:
    progress("reading the tables and building the graph")
    output.write(INPUTS, inputs_text(data_dir))
    ntriples_file = output.path(NTRIPLES)
    # In a process that ends with it: the typed rows and the lines are the build's largest
    # memory, and everything after this reads the file.
    with _workers(1) as builder:
        triples, left_out = builder.submit(write_graph_file, data_dir, ntriples_file).result()
    progress(f"checking {triples:,} triples with SHACL, and writing Turtle, JSON-LD and TriG, "
             "in the background")
    validation = Validation(ntriples_file)
    # The store folder that `vetkg serve` opens, and the other exports, each from the file.
    files = [workers.submit(write_store, ntriples_file, output.folder(STORE))]
    files += [workers.submit(write_derived_export, name, ntriples_file, output.path(name))
              for name in DERIVED]
    progress("loading the graph into memory, and running the QC queries")
    store = load_file(ntriples_file)
    validation.run_queries(store)
    return Begun(left_out, triples, store, validation, files)


def _checked(begun: Begun, progress: Progress) -> ValidationReport:
    progress("waiting for the checks and the exports")
    for written in begun.files:
        written.result()
    report = begun.validation.report()
    if not report.conforms:
        raise ValidationFailed(report)
    return report


@contextmanager
def _workers(count: int = 2) -> Iterator[Executor]:
    """Worker processes: new interpreters that share nothing with this one and die with it."""
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn"),
                             initializer=die_with_parent) as workers:
        yield workers


def build_exports(out_dir: Path = DEFAULT_BUILD_DIR, data_dir: Path = DATA_DIR,
                  progress: Progress | None = None) -> Run:
    """``vetkg build``: make ``out_dir`` hold the checked graph as Turtle, N-Triples, JSON-LD and TriG.

    Raises ValidationFailed, and writes nothing, when the graph has ERROR findings.
    """
    out_dir, progress = Path(out_dir), progress or Progress()
    with OutputSet(out_dir) as output, _workers() as workers:
        begun = _begin(data_dir, output, progress, workers)
        report = _checked(begun, progress)
        progress(f"writing the checksums into {out_dir}")
        return Run(out_dir, output.commit(), begun.triples, report)


def run_pipeline(out_dir: Path = DEFAULT_BUILD_DIR, progress: Progress | None = None) -> Run:
    """Make ``out_dir`` hold everything a user needs, replaced in one step.

    Raises ValidationFailed, and writes nothing, when the graph has ERROR findings.
    """
    # The site's renderer brings networkx, scipy and pyvis, which `vetkg build` does without.
    from vetkg.views.site import render_site

    out_dir, progress = Path(out_dir), progress or Progress()
    with OutputSet(out_dir) as output, _workers() as workers:
        begun = _begin(DATA_DIR, output, progress, workers)
        store = begun.store
        output.write("vetkg.context.jsonld", jsonld_context())
        progress("answering the query catalogue")
        for query in catalogue.load_catalogue():
            output.write(f"results/{query.name}.csv", results_csv(store, query.text))
        for query in catalogue.group("exports"):
            # A byte-order mark, so that spreadsheet programs read the Chinese text as UTF-8.
            output.write(f"csv/{query.name}.csv", "\ufeff" + results_csv(store, query.text))
        for path, text in render_site(store, progress=lambda what: progress(f"drawing {what}")).items():
            output.write(path, text)
        report = _checked(begun, progress)
        output.write("validation.txt", report.to_text())
        output.write("registers-left-out.txt", "".join(f"{note}\n" for note in begun.left_out))
        progress(f"writing the checksums into {out_dir}")
        return Run(out_dir, output.commit(), begun.triples, report)
