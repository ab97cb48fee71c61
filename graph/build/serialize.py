"""Write a graph as N-Triples, Turtle, TriG and JSON-LD, the same bytes for the same graph.

Every format is written from one canonical form: the graph's N-Triples lines, sorted. Oxigraph
writes Turtle and TriG from those lines in their order, so each subject's triples stay
together and the output never depends on the order of a hash table. JSON-LD is written here,
as a flat ``@graph`` whose keys and ``@id`` values are compact IRIs of the project's context.
Each format can be written from an N-Triples file as a stream, a subject at a time, so that a
national graph is never held whole.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from json.encoder import encode_basestring
from typing import BinaryIO

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef

from vetkg.namespaces import PREFIX_CONTEXT, PREFIXES

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
PREFIX_IRIS = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
# Longest namespace first, so that an IRI takes its most specific prefix.
_BY_LENGTH = sorted(PREFIX_IRIS.items(), key=lambda item: (-len(item[1]), item[0]))


def canonical_lines(graph: Graph) -> list[str]:
    """The graph's triples as sorted N-Triples lines."""
    return sorted({nt_line(triple) for triple in graph})


def _literal_text(literal: Literal) -> str:
    # The escapes of rdflib's N-Triples writer, so that the lines are the ones it writes.
    text = literal.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    quoted = f'"{text}"'
    if literal.language:
        return f"{quoted}@{literal.language}"
    if literal.datatype:
        return f"{quoted}^^<{literal.datatype}>"
    return quoted


# The characters that rdflib's writer, too, refuses in an IRI.
_BAD_IRI = re.compile('[<>" {}|\\\\^`]')


def _iri_text(iri) -> str:
    if _BAD_IRI.search(iri):
        raise ValueError(f"{str(iri)!r} is not an IRI that N-Triples can write")
    return f"<{iri}>"


def _blank_text(node: BNode) -> str:
    return f"_:{node}"


_WRITERS = {URIRef: _iri_text, Literal: _literal_text, BNode: _blank_text}


def nt_term(term) -> str:
    """One term as N-Triples writes it."""
    writer = _WRITERS.get(term.__class__)
    if writer is None:
        writer = next(write for cls, write in _WRITERS.items() if isinstance(term, cls))
    return writer(term)


def nt_line(triple) -> str:
    """One triple as a line of N-Triples, without its newline."""
    subject, predicate, obj = triple
    return f"{nt_term(subject)} {_iri_text(predicate)} {nt_term(obj)} ."


# How many lines a run of subjects holds at least: enough for Oxigraph's writers to run at
# full speed, few enough that a run's terms take a few megabytes.
CHUNK_LINES = 20_000


def subject_chunks(lines: Iterable[str], size: int = CHUNK_LINES) -> Iterator[list[str]]:
    """Sorted lines in runs of about ``size``, each cut where the subject changes.

    In sorted N-Triples every subject's lines are next to each other, so a run never splits one.
    """
    chunk: list[str] = []
    subject = ""
    for line in lines:
        if len(chunk) >= size and not line.startswith(subject):
            yield chunk
            chunk = []
        if not chunk or not line.startswith(subject):
            subject = line[:line.index(" ") + 1]
        chunk.append(line)
    if chunk:
        yield chunk


def line_blocks(lines: Iterable[str]) -> Iterator[bytes]:
    """Sorted lines in blocks, as ``file_blocks`` gives a file's."""
    for chunk in subject_chunks(lines):
        yield ("\n".join(chunk) + "\n").encode("utf-8")


def kept_lines(blocks: Iterable[bytes], keep) -> Iterator[bytes]:
    """The blocks with only the lines that ``keep`` accepts."""
    for block in blocks:
        kept = [line for line in block.split(b"\n")[:-1] if keep(line)]
        if kept:
            yield b"\n".join(kept) + b"\n"


def parse_block(block: bytes) -> Iterator[pyoxigraph.Triple]:
    return (quad.triple for quad in pyoxigraph.parse(block, format=pyoxigraph.RdfFormat.N_TRIPLES))


def write_ntriples(blocks: Iterable[bytes], stream: BinaryIO) -> None:
    for block in blocks:
        stream.write(block)


PREFIX_LINES = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in sorted(PREFIX_IRIS.items())]


def _turtle_body(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """Each block as Turtle without its prefix lines: whole lines, each with its newline."""
    for block in blocks:
        text = pyoxigraph.serialize(parse_block(block), format=pyoxigraph.RdfFormat.TURTLE,
                                    prefixes=PREFIX_IRIS)
        # The prefix lines are the project's own, in a fixed order, whatever order Oxigraph uses.
        start = 0
        while text.startswith(b"@prefix ", start):
            start = text.index(b"\n", start) + 1
        if start < len(text):
            yield text[start:]


def write_turtle(blocks: Iterable[bytes], stream: BinaryIO) -> None:
    stream.write(("\n".join(PREFIX_LINES) + "\n\n").encode("utf-8"))
    for body in _turtle_body(blocks):
        stream.write(body)


def write_trig(named_blocks: dict[str, Iterable[bytes]], stream: BinaryIO) -> None:
    """TriG with one named graph per entry, in the order given: each graph's Turtle body."""
    stream.write("\n".join(PREFIX_LINES).encode("utf-8"))
    for name, blocks in named_blocks.items():
        stream.write(f"\n\n<{name}> {{".encode())
        for body in _turtle_body(blocks):
            stream.write(b"\n\t" + body[:-1].replace(b"\n", b"\n\t"))
        stream.write(b"\n}")
    stream.write(b"\n")


@lru_cache(maxsize=1 << 16)
def compact(iri: str) -> str:
    """The IRI as a compact IRI of the project's context, or unchanged if no prefix fits."""
    for prefix, namespace in _BY_LENGTH:
        suffix = iri[len(namespace):]
        # A suffix that begins with "//" would read as an absolute IRI.
        if iri.startswith(namespace) and suffix and not suffix.startswith("//"):
            return f"{prefix}:{suffix}"
    return iri


# JSON-LD is written as text, as json.dumps(..., ensure_ascii=False, sort_keys=True) writes the
# same objects: a national graph has millions of values, each a small object.
_json = encode_basestring


@lru_cache(maxsize=1 << 16)
def _compact_json(iri: str) -> str:
    return _json(compact(iri))


def _jsonld_term(term) -> str:
    """A value object of JSON-LD, as text."""
    if isinstance(term, pyoxigraph.NamedNode):
        return f'{{"@id": {_compact_json(term.value)}}}'
    if isinstance(term, pyoxigraph.BlankNode):
        return f'{{"@id": {_json(f"_:{term.value}")}}}'
    value = _json(term.value)
    if term.language:
        return f'{{"@language": {_json(term.language)}, "@value": {value}}}'
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return f'{{"@value": {value}}}'
    return f'{{"@type": {_compact_json(datatype)}, "@value": {value}}}'


def _jsonld_node(triples: list[pyoxigraph.Triple]) -> str:
    """A subject's node object, as text: its keys sorted, each key's values in the lines' order."""
    subject = triples[0].subject
    named = isinstance(subject, pyoxigraph.NamedNode)
    key = _compact_json(subject.value) if named else _json(f"_:{subject.value}")
    values: dict[str, list[str]] = {}
    for triple in triples:
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, pyoxigraph.NamedNode):
            values.setdefault("@type", []).append(_compact_json(triple.object.value))
        else:
            values.setdefault(compact(triple.predicate.value), []).append(_jsonld_term(triple.object))
    entries = {"@id": key, **{name: f"[{', '.join(items)}]" for name, items in values.items()}}
    return "{" + ", ".join(f"{_json(name)}: {entries[name]}" for name in sorted(entries)) + "}"


def write_jsonld(blocks: Iterable[bytes], stream: BinaryIO) -> None:
    """JSON-LD: the project's context and one node object per subject, in canonical order.

    Each node object is written on a line of its own, so that the file diffs by entity.
    """
    context = json.dumps(PREFIX_CONTEXT, ensure_ascii=False, sort_keys=True)
    stream.write(f'{{"@context": {context},\n"@graph": [\n'.encode())
    separator = ""
    for block in blocks:
        for _subject, triples in itertools.groupby(parse_block(block), key=lambda triple: triple.subject):
            node = _jsonld_node(list(triples))
            stream.write(f"{separator}{node}".encode())
            separator = ",\n"
    stream.write(b"\n]}\n")


def jsonld_context() -> str:
    """The JSON-LD context of the exports: the project's prefixes."""
    return json.dumps({"@context": PREFIX_CONTEXT}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
