"""Build the graph from the curated tables and write its exports atomically and deterministically."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from vetkg.mapping import map_rows
from vetkg.namespaces import bind_prefixes
from vetkg.paths import DATA_DIR, ONTOLOGY_FILE, SCHEMES_FILE
from vetkg.serialize import canonical_lines, jsonld, ntriples, parse_lines, trig, turtle
from vetkg.tables import Tables, load_tables
from vetkg.void import describe_dataset
from vetkg.writing import write_output_set

ONTOLOGY_GRAPH = URIRef("https://w3id.org/vetkg/graph/ontology")
DATA_GRAPH = URIRef("https://w3id.org/vetkg/graph/data")
EXPORT_NAMES = ("vetkg.ttl", "vetkg.nt", "vetkg.jsonld", "vetkg.trig")


def load_ontology(paths: tuple[Path, ...] = (ONTOLOGY_FILE, SCHEMES_FILE)) -> Graph:
    """The OWL ontology and the SKOS concept schemes, as one graph."""
    graph = bind_prefixes(Graph())
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def build_data_graph(data_dir: Path = DATA_DIR, tables: Tables | None = None) -> Graph:
    """The triples of every row of every table, without the ontology."""
    graph = bind_prefixes(Graph())
    for _row, triples in map_rows(tables if tables is not None else load_tables(data_dir)):
        for triple in triples:
            graph.add(triple)
    return graph


def build_graph(data_dir: Path = DATA_DIR, ontology: tuple[Path, ...] = (ONTOLOGY_FILE, SCHEMES_FILE),
                tables: Tables | None = None) -> Graph:
    """The whole graph: ontology and data. Raises DataError listing every data problem.

    A caller that has loaded the tables already, to read what the registers leave out,
    passes them.
    """
    graph = build_data_graph(data_dir, tables)
    for triple in load_ontology(ontology):
        graph.add(triple)
    return describe_dataset(graph)


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
