"""A graph's N-Triples file, read in blocks of whole lines and loaded into Oxigraph block by block.

The build writes the graph as sorted N-Triples, and every later step reads that file a block
at a time, so that none holds a national graph whole. In a sorted file each subject's lines
are next to each other, and a block never splits them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph

# The bytes that the streams read at a time, before cutting at the last whole subject.
BLOCK_BYTES = 1 << 22
# Bytes of N-Triples per bulk load: Oxigraph's loader holds about five times a load's size in
# memory, so a national graph is loaded in parts (3 M triples: 283 MiB rather than 1.4 GiB).
LOAD_BYTES = 1 << 25


def _last_run_start(data: bytes) -> int:
    """Where the lines of the last whole line's subject begin, in a block of whole lines and a rest."""
    end = data.rfind(b"\n")
    start = data.rfind(b"\n", 0, end) + 1
    subject = data[start:data.index(b" ", start) + 1]
    while start > 0:
        previous = data.rfind(b"\n", 0, start - 1) + 1
        if not data.startswith(subject, previous):
            break
        start = previous
    return start


def file_blocks(path: Path, size: int | None = None) -> Iterator[bytes]:
    """An N-Triples file in blocks of about ``size`` bytes, each cut where the subject changes."""
    size = size or BLOCK_BYTES
    with open(path, "rb") as stream:
        rest = b""
        while block := stream.read(size):
            data = rest + block
            cut = _last_run_start(data) if b"\n" in data else 0
            if cut:
                yield data[:cut]
            rest = data[cut:]
        if rest:
            yield rest


def load_blocks(blocks: Iterable[bytes], directory: Path | None = None) -> pyoxigraph.Store:
    """Bulk-load blocks of N-Triples lines into a new store: on disk in ``directory``, or in memory.

    Oxigraph names the blank nodes of each load afresh, so the lines that hold one are kept
    back and loaded together in one last load, where all the lines of a blank node meet.
    """
    store = pyoxigraph.Store(str(directory)) if directory is not None else pyoxigraph.Store()
    with_blank_nodes: list[bytes] = []
    for block in blocks:
        if b"_:" in block:
            lines = block.split(b"\n")[:-1]
            with_blank_nodes += (line for line in lines if b"_:" in line)
            block = b"".join(line + b"\n" for line in lines if b"_:" not in line)
        store.bulk_load(block, format=pyoxigraph.RdfFormat.N_TRIPLES)
    store.bulk_load(b"\n".join([*with_blank_nodes, b""]), format=pyoxigraph.RdfFormat.N_TRIPLES)
    if directory is not None:
        store.flush()
    return store


def load_file(ntriples_file: Path, directory: Path | None = None) -> pyoxigraph.Store:
    """``load_blocks`` of an N-Triples file, in parts of about LOAD_BYTES."""
    return load_blocks(file_blocks(ntriples_file, LOAD_BYTES), directory)
