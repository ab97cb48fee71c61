"""Write a graph as N-Triples, Turtle, TriG and JSON-LD, the same bytes for the same graph.

Every format is written from one canonical form: the graph's N-Triples lines, sorted. Oxigraph
writes Turtle and TriG from those lines in their order, so each subject's triples stay
together and the output never depends on the order of a hash table. JSON-LD is written here,
as a flat ``@graph`` whose keys and ``@id`` values are compact IRIs of the project's context.
"""

from __future__ import annotations

import json
from functools import cache

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


def parse_lines(lines: list[str]) -> list[pyoxigraph.Triple]:
    """The triples of N-Triples lines, in the lines' order."""
    data = ("\n".join(lines) + "\n").encode("utf-8")
    return [quad.triple for quad in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES)]


def ntriples(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


PREFIX_LINES = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in sorted(PREFIX_IRIS.items())]


def _turtle_body(triples: list[pyoxigraph.Triple]) -> list[str]:
    # The prefix lines are the project's own, in a fixed order, whatever order Oxigraph uses.
    text = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIX_IRIS)
    return [line for line in text.decode("utf-8").splitlines() if not line.startswith("@prefix ")]


def turtle(triples: list[pyoxigraph.Triple]) -> str:
    return "\n".join([*PREFIX_LINES, "", *_turtle_body(triples)]) + "\n"


def trig(named_triples: dict[str, list[pyoxigraph.Triple]]) -> str:
    """TriG with one named graph per entry, in the order given: each graph's Turtle body."""
    out = list(PREFIX_LINES)
    for name, triples in named_triples.items():
        out += ["", f"<{name}> {{", *(f"\t{line}" for line in _turtle_body(triples)), "}"]
    return "\n".join(out) + "\n"


@cache
def compact(iri: str) -> str:
    """The IRI as a compact IRI of the project's context, or unchanged if no prefix fits."""
    for prefix, namespace in _BY_LENGTH:
        suffix = iri[len(namespace):]
        # A suffix that begins with "//" would read as an absolute IRI.
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


def jsonld(triples: list[pyoxigraph.Triple]) -> str:
    """JSON-LD: the project's context and one node object per subject, in canonical order.

    Each node object is written on a line of its own, so that the file diffs by entity.
    """
    nodes: dict[str, dict] = {}
    for triple in triples:
        subject = triple.subject
        key = compact(subject.value) if isinstance(subject, pyoxigraph.NamedNode) else f"_:{subject.value}"
        node = nodes.setdefault(key, {"@id": key})
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, pyoxigraph.NamedNode):
            node.setdefault("@type", []).append(compact(triple.object.value))
        else:
            node.setdefault(compact(triple.predicate.value), []).append(_jsonld_term(triple.object))
    context = json.dumps(PREFIX_CONTEXT, ensure_ascii=False, sort_keys=True)
    body = ",\n".join(json.dumps(node, ensure_ascii=False, sort_keys=True) for node in nodes.values())
    return f'{{"@context": {context},\n"@graph": [\n{body}\n]}}\n'


def jsonld_context() -> str:
    """The JSON-LD context of the exports: the project's prefixes."""
    return json.dumps({"@context": PREFIX_CONTEXT}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
