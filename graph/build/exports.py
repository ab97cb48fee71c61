"""The graph's exports: Turtle, N-Triples, JSON-LD and TriG, written atomically and deterministically."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from vetkg.build.graph import DATA_GRAPH, ONTOLOGY_GRAPH, load_ontology
from vetkg.build.serialize import canonical_lines, jsonld, ntriples, parse_lines, trig, turtle
from vetkg.build.writing import write_output_set

EXPORT_NAMES = ("vetkg.ttl", "vetkg.nt", "vetkg.jsonld", "vetkg.trig")


def to_ntriples(graph: Graph) -> str:
    return ntriples(canonical_lines(graph))


def to_turtle(graph: Graph) -> str:
    return turtle(parse_lines(canonical_lines(graph)))


def export_texts(graph: Graph, lines: list[str] | None = None) -> dict[str, str]:
    """The text of every export, by file name, all written from one canonical form.

    A caller that already holds the graph's canonical lines passes them. TriG holds the
    ontology and the data in two named graphs.
    """
    lines = lines if lines is not None else canonical_lines(graph)
    triples = parse_lines(lines)
    ontology = set(canonical_lines(load_ontology()))
    in_ontology = [line in ontology for line in lines]
    return {
        "vetkg.ttl": turtle(triples),
        "vetkg.nt": ntriples(lines),
        "vetkg.jsonld": jsonld(triples),
        "vetkg.trig": trig({
            str(ONTOLOGY_GRAPH): [t for t, inside in zip(triples, in_ontology, strict=True) if inside],
            str(DATA_GRAPH): [t for t, inside in zip(triples, in_ontology, strict=True) if not inside],
        }),
    }


def write_exports(graph: Graph, out_dir: Path, lines: list[str] | None = None) -> list[Path]:
    """Make ``out_dir`` hold the graph as Turtle, N-Triples, JSON-LD and TriG, in one step."""
    out_dir = Path(out_dir)
    files = {out_dir / name: text for name, text in export_texts(graph, lines).items()}
    return write_output_set(out_dir, files)
