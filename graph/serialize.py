"""Write a graph as N-Triples, Turtle, TriG and JSON-LD, the same bytes for the same graph.

Every format is written from one canonical form: the graph's N-Triples lines, sorted. Oxigraph
writes Turtle and TriG from those lines in their order, so each subject's triples stay
together and the output never depends on the order of a hash table. JSON-LD is written here,
as a flat ``@graph`` whose keys and ``@id`` values are compact IRIs of the project's context.
"""

from __future__ import annotations

import json

import pyoxigraph
from rdflib import Graph

from vetkg.namespaces import PREFIX_CONTEXT, PREFIXES

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
PREFIX_IRIS = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
# Longest namespace first, so that an IRI takes its most specific prefix.
_BY_LENGTH = sorted(PREFIX_IRIS.items(), key=lambda item: (-len(item[1]), item[0]))


def canonical_lines(graph: Graph) -> list[str]:
    """The graph's triples as sorted N-Triples lines."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return sorted(line for line in text.splitlines() if line.strip())


def _triples(lines: list[str]):
    data = ("\n".join(lines) + "\n").encode("utf-8")
    return [quad.triple for quad in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES)]


def ntriples(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def turtle(lines: list[str]) -> str:
    body = pyoxigraph.serialize(_triples(lines), format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIX_IRIS)
    return body.decode("utf-8")


def trig(named_lines: dict[str, list[str]]) -> str:
    """TriG with one named graph per entry, in the order given."""
    quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.NamedNode(name))
             for name, lines in named_lines.items() for t in _triples(lines)]
    return pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.TRIG, prefixes=PREFIX_IRIS).decode("utf-8")


def compact(iri: str) -> str:
    """The IRI as a compact IRI of the project's context, or unchanged if no prefix fits."""
    for prefix, namespace in _BY_LENGTH:
        # A suffix that begins with "//" would read as an absolute IRI.
        suffix = iri[len(namespace):]
        if iri.startswith(namespace) and suffix and not suffix.startswith("//"):
            return f"{prefix}:{suffix}"
    return iri


def _jsonld_term(term) -> dict:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"@id": compact(term.value)}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD_STRING:
        return {"@value": term.value}
    return {"@value": term.value, "@type": compact(term.datatype.value)}


def jsonld(lines: list[str]) -> str:
    """JSON-LD: the project's context and one node object per subject, in canonical order."""
    nodes: dict[str, dict] = {}
    for triple in _triples(lines):
        subject = triple.subject
        key = compact(subject.value) if isinstance(subject, pyoxigraph.NamedNode) else f"_:{subject.value}"
        node = nodes.setdefault(key, {"@id": key})
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, pyoxigraph.NamedNode):
            node.setdefault("@type", []).append(compact(triple.object.value))
        else:
            node.setdefault(compact(triple.predicate.value), []).append(_jsonld_term(triple.object))
    document = {"@context": PREFIX_CONTEXT, "@graph": list(nodes.values())}
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def jsonld_context() -> str:
    """The JSON-LD context of the exports: the project's prefixes."""
    return json.dumps({"@context": PREFIX_CONTEXT}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
