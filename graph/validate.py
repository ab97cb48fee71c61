"""Check a graph: SHACL shapes (ontology/shapes.ttl) and the QC queries (queries/qc/)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH

from vetkg.catalogue import load_checks
from vetkg.paths import QUERIES_DIR, SHAPES_FILE
from vetkg.store import open_store, run_query

SEVERITY_LEVELS = {SH.Violation: "ERROR", SH.Warning: "WARN", SH.Info: "WARN"}


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: its level, the check that found it, the node it concerns and why."""

    level: str
    check: str
    focus: str
    message: str


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
    from pyshacl import validate

    shapes = Graph().parse(shapes_file, format="turtle")
    _conforms, results, _text = validate(graph, shacl_graph=shapes, inference="none")
    findings = []
    for result in results.subjects(predicate=SH.resultSeverity):
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        shape = results.value(result, SH.sourceShape)
        label = f"shacl {shape.n3(graph.namespace_manager) if shape else ''}".strip()
        detail = f"{path.n3(graph.namespace_manager)}: {message}" if path else str(message)
        findings.append(
            Finding(SEVERITY_LEVELS.get(severity, "ERROR"), label,
                    str(results.value(result, SH.focusNode)), detail)
        )
    return sorted(set(findings))


def qc_findings(graph: Graph, qc_dir: Path = QUERIES_DIR / "qc", store=None) -> tuple[list[Finding], int]:
    store = store or open_store(graph)
    checks = load_checks(qc_dir)
    findings = []
    for check in checks:
        table = run_query(store, check.text)
        for row in table.plain_rows():
            focus, *rest = row
            findings.append(Finding(check.level, check.name, focus, " ".join(rest) or check.title))
    return findings, len(checks)


def validate_graph(graph: Graph, shapes_file: Path = SHAPES_FILE,
                   qc_dir: Path = QUERIES_DIR / "qc", store=None) -> ValidationReport:
    """Run SHACL and every QC query; ERROR findings mean the graph must not be published.

    A caller that already holds the graph's store passes it, so the QC queries reuse it.
    """
    findings, qc_count = qc_findings(graph, qc_dir, store)
    findings += shacl_findings(graph, shapes_file)
    return ValidationReport(sorted(findings), checks_run=qc_count + 1)
