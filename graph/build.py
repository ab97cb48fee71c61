"""Build the graph from the curated tables and write its exports atomically and deterministically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from rdflib import Graph, URIRef

from vetkg.describe import describe_dataset
from vetkg.mapping import map_rows
from vetkg.namespaces import PREFIX_CONTEXT, PREFIXES, bind_prefixes
from vetkg.paths import DATA_DIR, ONTOLOGY_FILE
from vetkg.tables import load_tables

ONTOLOGY_GRAPH = URIRef("https://w3id.org/vetkg/graph/ontology")
DATA_GRAPH = URIRef("https://w3id.org/vetkg/graph/data")
EXPORT_NAMES = ("vetkg.ttl", "vetkg.nt", "vetkg.jsonld", "vetkg.trig")


def load_ontology(path: Path = ONTOLOGY_FILE) -> Graph:
    return bind_prefixes(Graph()).parse(path, format="turtle")


def build_data_graph(data_dir: Path = DATA_DIR) -> Graph:
    """The triples of every row of every table, without the ontology."""
    graph = bind_prefixes(Graph())
    for _row, triples in map_rows(load_tables(data_dir)):
        for triple in triples:
            graph.add(triple)
    return graph


def build_graph(data_dir: Path = DATA_DIR, ontology: Path = ONTOLOGY_FILE) -> Graph:
    """The whole graph: ontology and data. Raises DataError listing every data problem."""
    graph = build_data_graph(data_dir)
    for triple in load_ontology(ontology):
        graph.add(triple)
    return describe_dataset(graph)


def to_ntriples(graph: Graph) -> str:
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def to_turtle(graph: Graph) -> str:
    return bind_prefixes(_copy(graph)).serialize(format="turtle")


def to_trig(graph: Graph) -> str:
    """TriG with the ontology and the data in two named graphs.

    Each graph's body is its deterministic Turtle; rdflib's own TriG writer orders subjects
    differently from one process to the next.
    """
    ontology_triples = set(load_ontology())
    parts = {ONTOLOGY_GRAPH: Graph(), DATA_GRAPH: Graph()}
    for triple in sorted(graph):
        parts[ONTOLOGY_GRAPH if triple in ontology_triples else DATA_GRAPH].add(triple)
    lines = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in sorted(PREFIXES.items())]
    for name, part in parts.items():
        body = [line for line in to_turtle(part).splitlines() if not line.startswith("@prefix")]
        lines += ["", f"<{name}> {{", *(f"    {line}" if line else "" for line in body), "}"]
    return "\n".join(lines) + "\n"


def _sorted_jsonld(value):
    if isinstance(value, list):
        items = [_sorted_jsonld(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    if isinstance(value, dict):
        return {key: _sorted_jsonld(item) for key, item in value.items()}
    return value


def jsonld_context() -> str:
    """The JSON-LD context of the exports: the project's prefixes."""
    return json.dumps({"@context": PREFIX_CONTEXT}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def to_jsonld(graph: Graph) -> str:
    context = PREFIX_CONTEXT
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    document = {"@context": context, **{k: v for k, v in document.items() if k != "@context"}}
    return json.dumps(_sorted_jsonld(document), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for triple in sorted(graph):
        copy.add(triple)
    return copy


SERIALIZERS = {
    "vetkg.ttl": to_turtle,
    "vetkg.nt": to_ntriples,
    "vetkg.jsonld": to_jsonld,
    "vetkg.trig": to_trig,
}


def write_atomically(files: dict[Path, str]) -> None:
    """Write every file to a temporary name first, then rename them all into place.

    If anything fails before the renames, no existing file has been touched.
    """
    temporary: dict[Path, Path] = {}
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            temporary[path] = Path(name)
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
        for path, temp in temporary.items():
            os.replace(temp, path)
    finally:
        for temp in temporary.values():
            if temp.exists():
                temp.unlink()


def write_exports(graph: Graph, out_dir: Path) -> list[Path]:
    """Serialize the graph as Turtle, N-Triples, JSON-LD and TriG into ``out_dir``."""
    out_dir = Path(out_dir)
    files = {out_dir / name: serialize(graph) for name, serialize in SERIALIZERS.items()}
    write_atomically(files)
    return list(files)
