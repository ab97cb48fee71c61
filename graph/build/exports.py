"""The graph's exports: Turtle, N-Triples, JSON-LD and TriG, written deterministically.

Every export is written from the graph's sorted N-Triples lines as a stream, a run of
subjects at a time, so that a national graph is written without being held whole: the
N-Triples file, once written, is the input of the other three.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from pathlib import Path

from rdflib import Graph

from vetkg.build.graph import DATA_GRAPH, ONTOLOGY_GRAPH, load_ontology
from vetkg.build.serialize import (
    canonical_lines,
    kept_lines,
    line_blocks,
    write_jsonld,
    write_ntriples,
    write_trig,
    write_turtle,
)
from vetkg.build.writing import write_output_set
from vetkg.query.ntriples import file_blocks

NTRIPLES = "vetkg.nt"
# The exports that are written from the N-Triples one.
DERIVED = ("vetkg.ttl", "vetkg.jsonld", "vetkg.trig")
EXPORT_NAMES = (NTRIPLES, *DERIVED)


Blocks = Callable[[], Iterable[bytes]]


def _trig(blocks: Blocks, stream) -> None:
    ontology = {line.encode("utf-8") for line in canonical_lines(load_ontology())}
    write_trig({str(ONTOLOGY_GRAPH): kept_lines(blocks(), ontology.__contains__),
                str(DATA_GRAPH): kept_lines(blocks(), lambda line: line not in ontology)}, stream)


# Each derived export's writer, given a function that reads the graph's blocks afresh, and a stream.
WRITERS: dict[str, Callable[[Blocks, object], None]] = {
    "vetkg.ttl": lambda blocks, stream: write_turtle(blocks(), stream),
    "vetkg.jsonld": lambda blocks, stream: write_jsonld(blocks(), stream),
    "vetkg.trig": _trig,
}
EVERY_WRITER = {NTRIPLES: lambda blocks, stream: write_ntriples(blocks(), stream), **WRITERS}


def write_derived_export(name: str, ntriples_file: Path, path: Path) -> None:
    """Write the export ``name`` (one of DERIVED) into ``path`` from a sorted N-Triples file."""
    with open(path, "wb") as stream:
        WRITERS[name](lambda: file_blocks(ntriples_file), stream)


def export_texts(graph: Graph, lines: list[str] | None = None) -> dict[str, str]:
    """The text of every export of a graph held in memory, by file name.

    A caller that already holds the graph's canonical lines passes them. TriG holds the
    ontology and the data in two named graphs.
    """
    lines = lines if lines is not None else canonical_lines(graph)
    return {name: _export_text(name, lines) for name in EXPORT_NAMES}


def _export_text(name: str, lines: list[str]) -> str:
    stream = io.BytesIO()
    EVERY_WRITER[name](lambda: line_blocks(lines), stream)
    return stream.getvalue().decode("utf-8")


def to_ntriples(graph: Graph) -> str:
    return _export_text(NTRIPLES, canonical_lines(graph))


def to_turtle(graph: Graph) -> str:
    return _export_text("vetkg.ttl", canonical_lines(graph))


def write_exports(graph: Graph, out_dir: Path, lines: list[str] | None = None) -> list[Path]:
    """Make ``out_dir`` hold the graph as Turtle, N-Triples, JSON-LD and TriG, in one step."""
    out_dir = Path(out_dir)
    files = {out_dir / name: text for name, text in export_texts(graph, lines).items()}
    return write_output_set(out_dir, files)
