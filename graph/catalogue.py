"""The query catalogue: one SPARQL file per question, with a header of ``# key: value`` lines.

Competency questions live in ``queries/``, network views in ``queries/views/`` and quality
checks in ``queries/qc/`` (a check passes when it returns no rows).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from vetkg.paths import QUERIES_DIR

HEADER_LINE = re.compile(r"^#\s*([a-z-]+):\s*(.*?)\s*$")
REQUIRED_KEYS = ("title", "question-zh", "question-en", "tags")
LEVELS = ("ERROR", "WARN")


class CatalogueError(Exception):
    """A query file lacks its header, or a name matches no query."""


@dataclass(frozen=True)
class CatalogueQuery:
    """One query file: its name, header fields and SPARQL text."""

    name: str
    path: Path
    header: dict[str, str]
    text: str

    @property
    def title(self) -> str:
        return self.header["title"]

    @property
    def question_zh(self) -> str:
        return self.header["question-zh"]

    @property
    def question_en(self) -> str:
        return self.header["question-en"]

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(tag.strip() for tag in self.header["tags"].split(",") if tag.strip())

    @property
    def level(self) -> str:
        """For a quality check: ERROR or WARN."""
        return self.header.get("level", "ERROR")


def fill_values(query: str, variable: str, terms: Iterable) -> str:
    """The query with each of its ``VALUES ?variable { … }`` blocks holding the given terms.

    Each term is written by rdflib in N-Triples syntax, so labels are escaped, never pasted.
    """
    pattern = re.compile(r"VALUES\s+\?" + re.escape(variable) + r"\s*\{[^}]*\}")
    if not pattern.search(query):
        raise ValueError(f"the query has no VALUES block for ?{variable}")
    block = "VALUES ?" + variable + " { " + " ".join(term.n3() for term in terms) + " }"
    return pattern.sub(lambda _match: block, query)


def parse_header(text: str) -> dict[str, str]:
    header = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = HEADER_LINE.match(line)
        if match:
            header[match.group(1)] = match.group(2)
    return header


def read_query(path: Path, required: tuple[str, ...] = REQUIRED_KEYS) -> CatalogueQuery:
    text = Path(path).read_text(encoding="utf-8")
    header = parse_header(text)
    missing = [key for key in required if not header.get(key)]
    if missing:
        raise CatalogueError(f"{path}: header lacks {', '.join(missing)}")
    if "level" in header and header["level"] not in LEVELS:
        raise CatalogueError(f"{path}: level must be one of {', '.join(LEVELS)}")
    return CatalogueQuery(Path(path).stem, Path(path), header, text)


def load_catalogue(directory: Path = QUERIES_DIR) -> list[CatalogueQuery]:
    """The competency questions, sorted by name."""
    return [read_query(path) for path in sorted(Path(directory).glob("*.rq"))]


def load_checks(directory: Path = QUERIES_DIR / "qc") -> list[CatalogueQuery]:
    """The quality checks, ``*-violation.rq``, sorted by name."""
    return [
        read_query(path, (*REQUIRED_KEYS, "level"))
        for path in sorted(Path(directory).glob("*-violation.rq"))
    ]


def load_views(directory: Path = QUERIES_DIR / "views") -> dict[str, CatalogueQuery]:
    """The network views by name."""
    return {path.stem: read_query(path) for path in sorted(Path(directory).glob("*.rq"))}


def resolve_query(name_or_file: str, directory: Path = QUERIES_DIR) -> CatalogueQuery:
    """A catalogue query by name, or any query file by path."""
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.exists():
        return CatalogueQuery(path.stem, path, parse_header(path.read_text("utf-8")), path.read_text("utf-8"))
    candidate = Path(directory) / f"{name_or_file}.rq"
    if candidate.exists():
        return read_query(candidate)
    names = ", ".join(query.name for query in load_catalogue(directory))
    raise CatalogueError(f"no query named {name_or_file!r}; the catalogue has: {names}")
