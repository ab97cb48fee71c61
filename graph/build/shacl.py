"""SHACL on a national graph: pyshacl-turbo on bounded subgraphs, in worker processes.

The shapes look no further than a focus node's own triples, the triples that point at it
along an inverse path, and the classes of the nodes next to it (``inverse_predicates``
checks that they do). So the graph is checked a run of subjects at a time: each run with that
neighbourhood and the class hierarchy, in a small in-memory store that pyshacl-turbo
checks in Rust. A result counts where its focus node is one of the run's subjects; the
nodes of the neighbourhood are checked in their own run. The runs stream from the sorted
N-Triples file, so memory stays bounded however large the graph, and the runs are dealt
to worker processes, one per core.
"""

from __future__ import annotations

import multiprocessing
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from vetkg.build.serialize import nt_term
from vetkg.namespaces import bind_prefixes
from vetkg.paths import SHAPES_FILE
from vetkg.query.forker import die_with_parent
from vetkg.query.ntriples import file_blocks

SEVERITY_LEVELS = {SH.Violation: "ERROR", SH.Warning: "WARN", SH.Info: "WARN"}
# The bytes of subjects' lines in one run (about 10,000 lines): large enough that a run's fixed
# cost is small beside its work, small enough that pyshacl-turbo's cost per focus node stays low.
RUN_BYTES = 1 << 20
RDF_TYPE = nt_term(RDF.type)
SUBCLASS_OF = nt_term(RDFS.subClassOf)
# What a shape may say only of the whole graph, not of a node's neighbourhood.
_UNBOUNDED = (SH.sparql, SH.target, SH.targetObjectsOf)
_VALUE_SHAPE_LISTS = (SH["or"], SH["and"], SH.xone)


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: its level, the check that found it, the node it concerns and why."""

    level: str
    check: str
    focus: str
    message: str


class UnboundedShapes(ValueError):
    """The shapes need more of the graph than a node's neighbourhood."""


def _value_shapes(shapes: Graph, shape) -> Iterator:
    """The shapes that a shape applies to its value nodes, directly."""
    yield from shapes.objects(shape, SH.node)
    yield from shapes.objects(shape, SH["not"])
    yield from shapes.objects(shape, SH.qualifiedValueShape)
    for predicate in _VALUE_SHAPE_LISTS:
        for members in shapes.objects(shape, predicate):
            yield from Collection(shapes, members)


def inverse_predicates(shapes: Graph) -> set[str]:
    """The predicates of the shapes' inverse paths, as N-Triples terms; UnboundedShapes otherwise.

    A path is a predicate or the inverse of one, and a shape applied to value nodes checks
    the value itself (its datatype, class or form), never the value's own triples.
    """
    for predicate in _UNBOUNDED:
        if (None, predicate, None) in shapes:
            raise UnboundedShapes(f"the shapes use {predicate.n3(shapes.namespace_manager)}")
    inverse = set()
    for path in shapes.objects(None, SH.path):
        inverse_only = not isinstance(path, BNode) or len(set(shapes.predicate_objects(path))) == 1
        target = shapes.value(path, SH.inversePath) if isinstance(path, BNode) else path
        if not isinstance(target, URIRef) or not inverse_only:
            raise UnboundedShapes(f"a path is neither a predicate nor its inverse: {path}")
        if isinstance(path, BNode):
            inverse.add(nt_term(target))
    pending = [value for shape in shapes.subjects(SH.path) for value in _value_shapes(shapes, shape)]
    seen = set()
    while pending:
        shape = pending.pop()
        if shape in seen:
            continue
        seen.add(shape)
        if (shape, SH.path, None) in shapes or (shape, SH.property, None) in shapes:
            raise UnboundedShapes(f"a shape checks the triples of a value node: {shape}")
        pending += _value_shapes(shapes, shape)
    return inverse


def _lines_with(block: bytes, predicate: str) -> Iterator[tuple[bytes, bytes, bytes]]:
    """The subject, the object and the whole line of each line of a block with this predicate."""
    needle = f" {predicate} ".encode()
    at = block.find(needle)
    while at >= 0:
        start = block.rfind(b"\n", 0, at) + 1
        end = block.index(b"\n", at)
        subject = block[start:at]
        # A subject has no space: a match after one is inside a literal.
        if b" " not in subject:
            yield subject, block[at + len(needle):end - 2], block[start:end]
        at = block.find(needle, end)


_SUBJECT = re.compile(rb"^(\S+) ", re.MULTILINE)
# An object that is a node (an IRI or a blank node): a literal's datatype follows "^^", never a space.
_NODE_VALUE = re.compile(rb" (<[^ >]*>|_:\S+) \.$", re.MULTILINE)


@dataclass
class Neighbours:
    """What a run needs beside its subjects' lines, read in one pass over the graph."""

    types: dict[bytes, list[bytes]] = field(default_factory=lambda: defaultdict(list))
    pointing: dict[bytes, list[bytes]] = field(default_factory=lambda: defaultdict(list))
    hierarchy: list[bytes] = field(default_factory=list)

    @classmethod
    def read(cls, blocks: Iterable[bytes], inverse: set[str]) -> Neighbours:
        """Every node's rdf:type lines, the lines along inverse paths by their object, the subclass lines."""
        found = cls()
        for block in blocks:
            for subject, _value, line in _lines_with(block, RDF_TYPE):
                found.types[subject].append(line)
            found.hierarchy += (line for _subject, _value, line in _lines_with(block, SUBCLASS_OF))
            for predicate in inverse:
                for _subject, value, line in _lines_with(block, predicate):
                    found.pointing[value].append(line)
        return found

    def around(self, run: bytes) -> tuple[set[bytes], bytes]:
        """A run's subjects, and its lines with the neighbourhood that its shapes look at."""
        subjects = set(_SUBJECT.findall(run))
        closure = set(self.hierarchy)
        for subject in subjects:
            for line in self.pointing.get(subject, ()):
                closure.add(line)
                closure.update(self.types.get(line[:line.index(b" ")], ()))
        for value in set(_NODE_VALUE.findall(run)):
            closure.update(self.types.get(value, ()))
        return subjects, run + b"\n".join(sorted(closure)) + b"\n"


def findings_of_report(report: Graph, shapes: Graph, subjects: set[bytes]) -> list[Finding]:
    """The results of a SHACL report about ``subjects`` (N-Triples terms), with their details."""
    names = bind_prefixes(Graph()).namespace_manager
    details = set(report.objects(None, SH.detail))
    pending = [result for result in report.subjects(SH.resultSeverity)
               if result not in details and nt_term(report.value(result, SH.focusNode)).encode() in subjects]
    findings, seen = [], set()
    while pending:
        result = pending.pop()
        if result in seen:
            continue
        seen.add(result)
        pending += report.objects(result, SH.detail)
        path, message = report.value(result, SH.resultPath), report.value(result, SH.resultMessage)
        source = report.value(result, SH.sourceShape)
        shape = shapes.value(predicate=SH.property, object=source) or source
        label = f"shacl {shape.n3(names) if shape else ''}".strip()
        focus = report.value(result, SH.focusNode)
        findings.append(Finding(SEVERITY_LEVELS.get(report.value(result, SH.resultSeverity), "ERROR"), label,
                                str(focus), f"{path.n3(names)}: {message}" if path else str(message)))
    return findings


def check_run(data: bytes, subjects: set[bytes], shapes: Graph) -> list[Finding]:
    """pyshacl-turbo on one bounded subgraph (N-Triples); the findings about one of ``subjects``."""
    from pyshacl_turbo import validate

    store = pyoxigraph.Store()
    store.load(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
    # Only the run's own subjects are focus nodes: the neighbourhood's nodes are checked in their
    # runs. pyshacl-turbo takes focus nodes by IRI only, so a run with a blank subject is checked
    # whole, and its results are sorted out afterwards.
    focus = None if any(subject.startswith(b"_:") for subject in subjects) else [
        URIRef(subject[1:-1].decode("utf-8")) for subject in subjects]
    _conforms, report, _text = validate(store, shacl_graph=shapes, inference="none", focus_nodes=focus)
    return findings_of_report(report, shapes, subjects)


def check_part(ntriples_file: Path, shapes_file: Path, part: int, parts: int,
               run_bytes: int = RUN_BYTES) -> list[Finding]:
    """Every run whose number is ``part`` modulo ``parts``, checked; the findings, sorted."""
    shapes = Graph().parse(shapes_file, format="turtle")
    neighbours = Neighbours.read(file_blocks(ntriples_file), inverse_predicates(shapes))
    findings = set()
    for number, run in enumerate(file_blocks(ntriples_file, run_bytes)):
        if number % parts == part:
            subjects, data = neighbours.around(run)
            findings.update(check_run(data, subjects, shapes))
    return sorted(findings)


class ShaclCheck:
    """SHACL under way in worker processes; ``findings()`` waits for them.

    Each worker is a new interpreter (nothing of this process's memory is shared with it)
    that reads the N-Triples file itself and checks every ``parts``-th run.
    """

    def __init__(self, ntriples_file: Path, shapes_file: Path = SHAPES_FILE, workers: int = 2,
                 run_bytes: int = RUN_BYTES):
        # The shapes are checked here first, so that a shape that needs the whole graph fails at once.
        inverse_predicates(Graph().parse(shapes_file, format="turtle"))
        context = multiprocessing.get_context("spawn")
        self._pool = context.Pool(workers, initializer=die_with_parent)
        self._parts = [self._pool.apply_async(check_part, (ntriples_file, shapes_file, part, workers,
                                                           run_bytes)) for part in range(workers)]
        self._pool.close()

    def findings(self) -> list[Finding]:
        try:
            return sorted({finding for part in self._parts for finding in part.get()})
        finally:
            self._pool.terminate()
            self._pool.join()
