"""Check a graph: SHACL shapes (ontology/shapes.ttl) and the QC queries (queries/qc/)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from vetkg.build.serialize import canonical_lines
from vetkg.build.shacl import Finding, ShaclCheck, check_part
from vetkg.paths import SHAPES_FILE
from vetkg.query.catalogue import load_checks
from vetkg.query.store import open_store, run_query


@dataclass
class ValidationReport:
    findings: list[Finding] = field(default_factory=list)
    checks_run: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.level == "ERROR"]

    @property
    def conforms(self) -> bool:
        return not self.errors

    def to_text(self) -> str:
        lines = [f"{f.level} {f.check}: {f.focus}: {f.message}" for f in sorted(self.findings)]
        warnings = len(self.findings) - len(self.errors)
        lines.append(
            f"{self.checks_run} checks: {len(self.errors)} error(s), {warnings} warning(s)"
        )
        return "\n".join(lines) + "\n"


def shacl_findings(graph: Graph, shapes_file: Path = SHAPES_FILE) -> list[Finding]:
    """Every SHACL result of a graph held in memory, checked in this process."""
    with tempfile.TemporaryDirectory(prefix="vetkg-shacl-") as folder:
        lines = Path(folder) / "graph.nt"
        lines.write_text("".join(f"{line}\n" for line in canonical_lines(graph)), encoding="utf-8")
        return check_part(lines, shapes_file, 0, 1)


def qc_findings(store: pyoxigraph.Store) -> tuple[list[Finding], int]:
    checks = load_checks()
    findings = []
    for check in checks:
        table = run_query(store, check.text)
        for row in table.plain_rows():
            focus, *rest = row
            findings.append(Finding(check.level, check.name, focus, " ".join(rest) or check.title))
    return findings, len(checks)


class Validation:
    """SHACL started in worker processes on a sorted N-Triples file; the QC queries, when asked.

    ``report()`` gives both. The caller goes on with other work (the store, the exports)
    while the workers check.
    """

    def __init__(self, ntriples_file: Path, shapes_file: Path = SHAPES_FILE):
        self._shacl = ShaclCheck(ntriples_file, shapes_file)
        self._qc: list[Finding] = []
        self._qc_count = 0

    def run_queries(self, store: pyoxigraph.Store) -> None:
        self._qc, self._qc_count = qc_findings(store)

    def report(self) -> ValidationReport:
        return ValidationReport(sorted(self._qc + self._shacl.findings()), checks_run=self._qc_count + 1)


def validate_graph(graph: Graph, shapes_file: Path = SHAPES_FILE) -> ValidationReport:
    """Run SHACL and every QC query; ERROR findings mean the graph must not be published."""
    findings, count = qc_findings(open_store(graph))
    return ValidationReport(sorted(findings + shacl_findings(graph, shapes_file)), checks_run=count + 1)
