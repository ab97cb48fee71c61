"""Build the graph: the triples of every row of the tables, the ontology and the dataset description.

The triples stream from the typed rows; each becomes one canonical N-Triples line, and the
graph is the sorted set of those lines. Nothing holds the graph in rdflib, so a national
register costs a line of text per triple, not an rdflib graph. ``build_graph`` gives the
same triples as an rdflib graph, for small graphs and the Python API.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from vetkg.build.mapping import map_rows
from vetkg.build.rows import Tables
from vetkg.build.serialize import nt_line
from vetkg.build.tables import load_tables
from vetkg.build.void import dataset_description, triple_count
from vetkg.namespaces import VET, VKG, bind_prefixes
from vetkg.paths import DATA_DIR, ONTOLOGY_FILE, SCHEMES_FILE

ONTOLOGY_GRAPH = URIRef("https://w3id.org/vetkg/graph/ontology")
DATA_GRAPH = URIRef("https://w3id.org/vetkg/graph/data")
ONTOLOGY = (ONTOLOGY_FILE, SCHEMES_FILE)


def load_ontology(paths: tuple[Path, ...] = ONTOLOGY) -> Graph:
    """The OWL ontology and the SKOS concept schemes, as one graph."""
    graph = bind_prefixes(Graph())
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def graph_triples(tables: Tables, ontology: tuple[Path, ...] = ONTOLOGY) -> Iterator[tuple[str, tuple]]:
    """Each distinct triple of the graph once, with its N-Triples line, in the tables' order.

    The rows' triples come first, then the ontology's, then the dataset's description, whose
    last triple counts them all, itself included.
    """
    seen: set[str] = set()
    entities: set = set()
    sources: list = []
    namespace, rdf_type, source_class = str(VKG), str(RDF.type), str(VET.Source)

    def content():
        for _row, triples in map_rows(tables):
            yield from triples
        yield from load_ontology(ontology)

    for triple in content():
        line = nt_line(triple)
        if line in seen:
            continue
        seen.add(line)
        subject, predicate, obj = triple
        # As strings: rdflib's own comparison of terms is many times slower, at millions of triples.
        if str.__eq__(predicate, rdf_type):
            if subject.startswith(namespace):
                entities.add(subject)
            if str.__eq__(obj, source_class):
                sources.append(subject)
        yield line, triple
    for triple in dataset_description(len(entities), sources):
        line = nt_line(triple)
        if line not in seen:
            seen.add(line)
            yield line, triple
    count = triple_count(len(seen) + 1)
    yield nt_line(count), count


def graph_lines(data_dir: Path = DATA_DIR, ontology: tuple[Path, ...] = ONTOLOGY,
                tables: Tables | None = None) -> list[str]:
    """The whole graph as its sorted N-Triples lines. Raises DataError listing every data problem."""
    tables = tables if tables is not None else load_tables(data_dir)
    return sorted(line for line, _triple in graph_triples(tables, ontology))


def build_graph(data_dir: Path = DATA_DIR, ontology: tuple[Path, ...] = ONTOLOGY,
                tables: Tables | None = None) -> Graph:
    """The whole graph in rdflib: ontology, data and description. Raises DataError as graph_lines does.

    A caller that has loaded the tables already, to read what the registers leave out,
    passes them.
    """
    graph = bind_prefixes(Graph())
    for _line, triple in graph_triples(tables if tables is not None else load_tables(data_dir), ontology):
        graph.add(triple)
    return graph
