"""The built store: the graph in an Oxigraph folder that every command opens read-only.

``vetkg run`` and ``vetkg build`` write it into their output folder (``build/store/``), with
the fingerprint of the inputs it was built from (``build/store-inputs.txt``): the curated
tables, the ontology and the code that turns them into triples. A command opens that store
when its fingerprint is the one of the inputs now. Otherwise it says so and builds a store
once into the user's cache folder (or refuses, if asked), so that no answer comes silently
from an older graph, and an installed package without a build works too.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from vetkg import __version__
from vetkg.paths import DATA_DIR, DEFAULT_BUILD_DIR, ONTOLOGY_DIR
from vetkg.query.ntriples import load_blocks, load_file

STORE = "store"
INPUTS = "store-inputs.txt"
# The code whose change changes the triples: the build stage and the namespaces it mints in.
_PACKAGE_DIR = Path(__file__).parent.parent
_BUILD_CODE = (*sorted(Path(__file__).parent.glob("*.py")), _PACKAGE_DIR / "namespaces.py",
               _PACKAGE_DIR / "spaces.py")


class StaleStore(Exception):
    """No store built from the current inputs exists, and rebuilding was not allowed."""


def _files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith("."))


def inputs_fingerprint(data_dir: Path = DATA_DIR) -> str:
    """The SHA-256 of the tables, the ontology, the build code and the version, by relative path."""
    digest = hashlib.sha256(f"vetkg {__version__}\n".encode())
    parts = [("data", data_dir, _files(Path(data_dir))), ("ontology", ONTOLOGY_DIR, _files(ONTOLOGY_DIR)),
             ("code", _PACKAGE_DIR, list(_BUILD_CODE))]
    for name, root, paths in parts:
        for path in paths:
            digest.update(f"{name}/{path.relative_to(root).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def inputs_text(data_dir: Path = DATA_DIR) -> str:
    """The content of ``store-inputs.txt``: the fingerprint, then what it covers."""
    return (f"{inputs_fingerprint(data_dir)}\n"
            f"SHA-256 of the curated tables, the ontology and the build code of vetkg {__version__}, "
            "from which store/ was built\n")


def write_store(ntriples_file: Path, directory: Path) -> None:
    """The store folder of a build: the N-Triples file loaded into ``directory``, closed when done."""
    load_file(ntriples_file, directory)


def cache_root() -> Path:
    """Where the commands keep what they build: $VETKG_CACHE, else vetkg's XDG cache folder."""
    if os.environ.get("VETKG_CACHE"):
        return Path(os.environ["VETKG_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vetkg"


def cache_folder() -> Path:
    """The output folder of the store a command built."""
    return cache_root() / "graph"


def built_from(folder: Path) -> str | None:
    """The fingerprint a folder's store was built from, if it holds a store and one."""
    inputs = folder / INPUTS
    if not (folder / STORE / "CURRENT").is_file() or not inputs.is_file():
        return None
    return inputs.read_text(encoding="utf-8").split("\n", 1)[0]


def current_store(data_dir: Path = DATA_DIR, build_dir: Path = DEFAULT_BUILD_DIR, *, rebuild: bool = True,
                  say: Callable[[str], None] = lambda line: None) -> Path:
    """The folder of a store built from the inputs as they are now.

    The store of ``build_dir`` if it is current, else the one in the cache folder; if neither
    is, say why and build one into the cache folder (StaleStore if ``rebuild`` is False).
    A table problem raises DataError.
    """
    wanted = inputs_fingerprint(data_dir)
    cache = cache_folder()
    for folder in (Path(build_dir), cache):
        if built_from(folder) == wanted:
            return folder / STORE
    reason = (f"the store in {build_dir}/ was built from other tables, ontology or code than these"
              if built_from(Path(build_dir)) else f"no store has been built into {build_dir}/ (vetkg run)")
    if not rebuild:
        raise StaleStore(f"{reason}; run `vetkg run` to build it")
    say(f"vetkg: {reason}; building the graph into {cache}/ (once, until the inputs change)")
    _build_into(cache, data_dir)
    return cache / STORE


def _build_into(folder: Path, data_dir: Path) -> None:
    from vetkg.build.graph import graph_lines
    from vetkg.build.serialize import line_blocks
    from vetkg.build.writing import write_output_set

    text = inputs_text(data_dir)
    lines = graph_lines(data_dir)
    write_output_set(folder, {folder / INPUTS: text},
                     folders={STORE: lambda path: load_blocks(line_blocks(lines), path)})
