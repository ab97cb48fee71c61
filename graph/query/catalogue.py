"""The query catalogue: one SPARQL file per question, with a header of ``# key: value`` lines.

Competency questions live in ``queries/``, network views in ``queries/views/`` and quality
checks in ``queries/qc/`` (a check passes when it returns no rows); the other folders hold
the queries of the exports, pages, links and statistics. This module alone knows that layout:
other modules ask for a query by name, ``catalogue.text("stats/entities-per-class")``.
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


def fill_page(query: str, size: int, offset: int) -> str:
    """The query with its one ``LIMIT n OFFSET m`` set to this page's size and place."""
    pattern = re.compile(r"LIMIT\s+[0-9]+\s+OFFSET\s+[0-9]+")
    if len(pattern.findall(query)) != 1:
        raise ValueError("the query has no single LIMIT … OFFSET … to fill")
    return pattern.sub(f"LIMIT {int(size)} OFFSET {int(offset)}", query)


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


def query(name: str) -> CatalogueQuery:
    """Any query of the catalogue by its name: ``co-building-province-plans``, ``views/_around``.

    A group's name is its folder; the query's ``name`` is its name within the group.
    """
    path = QUERIES_DIR / f"{name}.rq"
    if ".." in Path(name).parts or not path.is_file():
        raise CatalogueError(f"no query named {name!r} in the catalogue")
    return read_query(path, (*REQUIRED_KEYS, "level") if name.startswith("qc/") else REQUIRED_KEYS)


def text(name: str) -> str:
    """The SPARQL text of a catalogue query by name (``stats/entities-per-class``)."""
    return query(name).text


def group(name: str = "", pattern: str = "*.rq") -> list[CatalogueQuery]:
    """The queries of one group, sorted by name: the questions (""), ``exports``, ``pages`` and so on."""
    folder = QUERIES_DIR / name
    return [query(f"{name}/{path.stem}" if name else path.stem) for path in sorted(folder.glob(pattern))]


def load_catalogue() -> list[CatalogueQuery]:
    """The competency questions, sorted by name."""
    return group()


def load_checks() -> list[CatalogueQuery]:
    """The quality checks, ``qc/*-violation.rq``, sorted by name."""
    return group("qc", "*-violation.rq")


def load_views() -> dict[str, CatalogueQuery]:
    """The network views by their names within ``views/``."""
    return {item.name: item for item in group("views")}


def resolve_query(name_or_file: str) -> CatalogueQuery:
    """A question of the catalogue by name, or any query file by path."""
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.exists():
        return CatalogueQuery(path.stem, path, parse_header(path.read_text("utf-8")), path.read_text("utf-8"))
    if (QUERIES_DIR / f"{name_or_file}.rq").is_file() and "/" not in name_or_file:
        return query(name_or_file)
    names = ", ".join(item.name for item in load_catalogue())
    raise CatalogueError(f"no query named {name_or_file!r}; the catalogue has: {names}")
