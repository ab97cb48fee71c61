"""Check a graph: SHACL shapes (ontology/shapes.ttl) and the QC queries (queries/qc/)."""

from __future__ import annotations

import ctypes
import multiprocessing
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from vetkg.paths import SHAPES_FILE
from vetkg.query.catalogue import load_checks
from vetkg.query.store import open_store, run_query

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


def _node_shape(shapes: Graph, shape) -> Node:
    """The named shape a result comes from: the node shape of an anonymous property shape."""
    return shapes.value(predicate=SH.property, object=shape) or shape


def _focus_count(graph: Graph, shapes: Graph, shape) -> int:
    """How many nodes a shape targets, counting the subclasses of its target classes."""
    classes = set()
    for target in shapes.objects(shape, SH.targetClass):
        classes |= set(graph.transitive_subjects(RDFS.subClassOf, target))
    count = sum(1 for cls in classes for _ in graph.subjects(RDF.type, cls))
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        count += len(set(graph.subjects(predicate)))
    return count


def _shape_groups(graph: Graph, shapes: Graph, count: int) -> list[list]:
    """The shapes that have targets, dealt into ``count`` groups of about equal work.

    The work of a shape is taken to be its focus nodes times its property shapes; the
    largest is placed first, each into the group with the least work so far.
    """
    targeted = {shape for target in (SH.targetClass, SH.targetSubjectsOf)
                for shape in shapes.subjects(target)}
    costs = {shape: _focus_count(graph, shapes, shape) * (1 + len(set(shapes.objects(shape, SH.property))))
             for shape in targeted}
    groups: list[list] = [[] for _ in range(count)]
    loads = [0] * count
    for shape in sorted(costs, key=lambda shape: (-costs[shape], str(shape))):
        lightest = loads.index(min(loads))
        groups[lightest].append(shape)
        loads[lightest] += costs[shape]
    # pySHACL evaluates a shape that another refers to (sh:node) only if it is among those used.
    referred = sorted(set(shapes.subjects(RDF.type, SH.NodeShape)) - targeted, key=str)
    return [group + referred for group in groups if group]


def _validate_shapes(graph: Graph, shapes: Graph, group: list) -> list[Finding]:
    from pyshacl import validate

    _conforms, results, _text = validate(graph, shacl_graph=shapes, inference="none", use_shapes=group)
    findings = []
    for result in results.subjects(predicate=SH.resultSeverity):
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        shape = _node_shape(shapes, results.value(result, SH.sourceShape))
        label = f"shacl {shape.n3(graph.namespace_manager) if shape else ''}".strip()
        detail = f"{path.n3(graph.namespace_manager)}: {message}" if path else str(message)
        findings.append(
            Finding(SEVERITY_LEVELS.get(severity, "ERROR"), label,
                    str(results.value(result, SH.focusNode)), detail)
        )
    return findings


def die_with_parent() -> None:
    """Have the kernel stop this process when the one that started it dies (Linux only).

    A build killed at any moment must not leave its checks running on their own.
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


PR_SET_PDEATHSIG = 1


def _validate_in_child(connection, graph: Graph, shapes: Graph, group: list) -> None:
    die_with_parent()
    try:
        connection.send(_validate_shapes(graph, shapes, group))
    except BaseException as error:  # the parent raises it again
        connection.send(error)
    finally:
        connection.close()


class ShaclCheck:
    """SHACL under way in worker processes that fork from this one; ``findings()`` waits for it.

    pySHACL checks one node at a time in Python, and the registers bring thousands of nodes:
    each child inherits the graph and the shapes by forking (nothing is copied or pickled),
    checks one group of shapes, and sends its findings back, so that more than one core works
    on them and the caller can go on with other work (the QC queries, the exports) meanwhile.
    """

    def __init__(self, graph: Graph, shapes_file: Path = SHAPES_FILE, workers: int = 2):
        shapes = Graph().parse(shapes_file, format="turtle")
        groups = _shape_groups(graph, shapes, workers)
        self._children, self._done = [], []
        if len(groups) > 1 and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            for group in groups:
                receiver, sender = context.Pipe(duplex=False)
                child = context.Process(target=_validate_in_child, args=(sender, graph, shapes, group),
                                        daemon=True)
                child.start()
                sender.close()
                self._children.append((child, receiver))
        else:
            self._done = [_validate_shapes(graph, shapes, group) for group in groups]

    def findings(self) -> list[Finding]:
        parts = list(self._done)
        try:
            for child, receiver in self._children:
                try:
                    part = receiver.recv()
                except EOFError:
                    raise RuntimeError(f"a SHACL check stopped with exit code {child.exitcode}") from None
                if isinstance(part, BaseException):
                    raise part
                parts.append(part)
        finally:
            for child, receiver in self._children:
                receiver.close()
                child.kill()
                child.join()
            self._children = []
        return sorted({finding for part in parts for finding in part})


def shacl_findings(graph: Graph, shapes_file: Path = SHAPES_FILE, workers: int = 2) -> list[Finding]:
    """Every SHACL result of the graph."""
    return ShaclCheck(graph, shapes_file, workers).findings()


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
    """SHACL started in the background and the QC queries run here; ``report()`` gives both."""

    def __init__(self, graph: Graph, store: pyoxigraph.Store, shapes_file: Path = SHAPES_FILE):
        self._shacl = ShaclCheck(graph, shapes_file)
        self._qc, self._qc_count = qc_findings(store)

    def report(self) -> ValidationReport:
        return ValidationReport(sorted(self._qc + self._shacl.findings()), checks_run=self._qc_count + 1)


def validate_graph(graph: Graph, shapes_file: Path = SHAPES_FILE) -> ValidationReport:
    """Run SHACL and every QC query; ERROR findings mean the graph must not be published.

    A caller that holds the graph's store already, or has other work to do meanwhile,
    starts a ``Validation`` instead.
    """
    return Validation(graph, open_store(graph), shapes_file).report()
