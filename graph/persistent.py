"""A persistent Oxigraph store that the endpoint's workers and ``vetkg query`` share.

The store is bulk-loaded once, from a built dump (vetkg.nt, vetkg.ttl …) or from a graph in
memory, and then opened read-only by every worker: no worker parses the graph itself.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyoxigraph
from rdflib import Graph

# What a dump's name says about its syntax.
DUMP_FORMATS = {".nt": pyoxigraph.RdfFormat.N_TRIPLES, ".ttl": pyoxigraph.RdfFormat.TURTLE,
                ".nq": pyoxigraph.RdfFormat.N_QUADS, ".trig": pyoxigraph.RdfFormat.TRIG}


class StoreError(Exception):
    """The store or dump cannot be opened."""


def is_store(path: Path) -> bool:
    """Whether a folder holds an Oxigraph (RocksDB) store."""
    return Path(path).is_dir() and (Path(path) / "CURRENT").is_file()


def bulk_load(source: Graph | Path, directory: Path) -> Path:
    """Load a graph or a dump into a new store in ``directory``; return the directory."""
    directory = Path(directory)
    store = pyoxigraph.Store(str(directory))
    if isinstance(source, Graph):
        data = source.serialize(format="nt", encoding="utf-8")
        store.bulk_load(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
    else:
        dump = Path(source)
        if dump.suffix not in DUMP_FORMATS:
            raise StoreError(f"{dump}: not a dump vetkg reads ({', '.join(DUMP_FORMATS)})")
        try:
            store.bulk_load(path=str(dump), format=DUMP_FORMATS[dump.suffix])
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(f"{dump}: {error}") from None
    store.flush()
    del store
    return directory


class SharedStore:
    """A read-only store for a graph, a dump or an existing store folder.

    A graph or a dump is bulk-loaded into a temporary folder, which ``close()`` removes.
    """

    def __init__(self, source: Graph | Path):
        self._temporary = None
        if not isinstance(source, Graph) and is_store(Path(source)):
            self.path = Path(source)
        else:
            self._temporary = Path(tempfile.mkdtemp(prefix="vetkg-store-"))
            try:
                self.path = bulk_load(source, self._temporary / "store")
            except BaseException:
                self.close()
                raise

    def open(self) -> pyoxigraph.Store:
        return pyoxigraph.Store.read_only(str(self.path))

    def close(self) -> None:
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None
