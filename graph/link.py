"""Reconciliation: find candidate Wikidata items for unlinked entities, politely.

``vetkg link`` asks a SPARQL endpoint (the Wikidata query service by default) for items
whose zh or en label equals an unlinked entity's label, batching labels in a VALUES block.
It writes the candidates to ``data/link_candidates.csv`` as ``proposed``. A person accepts a
candidate by changing its status to ``accepted``; the build turns accepted rows, and only
those, into ``owl:sameAs`` links. Decisions already taken are kept on the next run.
"""

from __future__ import annotations

import csv
import datetime as dt
import email.utils
import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal

from vetkg.build import write_atomically
from vetkg.catalogue import fill_values, read_query
from vetkg.paths import DATA_DIR, QUERIES_DIR
from vetkg.schema import TABLES
from vetkg.store import QueryError, ResultTable, open_store, run_query

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
CANDIDATES_FILE = DATA_DIR / "link_candidates.csv"
RETRY_STATUSES = (429, 503)
WIKIDATA_ITEM = re.compile(r"^http://www\.wikidata\.org/entity/(Q\d+)$")


class LinkError(Exception):
    """The endpoint could not answer, even after the allowed retries."""


@dataclass(frozen=True, order=True)
class Candidate:
    """A proposed match between a vetkg entity and a Wikidata item."""

    entity: str
    identifier: str
    label_zh: str
    label_en: str
    score: str
    status: str
    retrieved: str

    def row(self) -> list[str]:
        return [self.entity, "wikidata", self.identifier, self.label_zh, self.label_en,
                self.score, self.status, self.retrieved]


def retry_delay(header: str | None, attempt: int) -> float:
    """Seconds to wait: the Retry-After header (seconds or an HTTP date), else backing off."""
    if header:
        header = header.strip()
        if header.isdigit():
            return float(header)
        when = email.utils.parsedate_to_datetime(header)
        if when is not None:
            return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())
    return float(2 ** attempt)


@dataclass
class PoliteClient:
    """A SPARQL client that identifies itself, times out, and retries 429 and 503 a few times."""

    endpoint: str = DEFAULT_ENDPOINT
    timeout: float = 60.0
    attempts: int = 4
    max_wait: float = 120.0
    sleep: Callable[[float], None] = time.sleep

    def select(self, query: str) -> ResultTable:
        for attempt in range(1, self.attempts + 1):
            try:
                return run_query(self.endpoint, query, timeout=self.timeout)
            except QueryError as error:
                if error.status not in RETRY_STATUSES or attempt == self.attempts:
                    raise LinkError(f"{self.endpoint}: {error} (attempt {attempt} of "
                                    f"{self.attempts})") from None
                self.sleep(min(retry_delay(error.retry_after, attempt), self.max_wait))
        raise AssertionError("unreachable")


def unlinked_entities(graph: Graph) -> list[tuple[str, str, str]]:
    """(IRI, zh label, en label) of every place and organisation without a Wikidata link."""
    table = run_query(open_store(graph), read_query(QUERIES_DIR / "exports" / "unlinked.rq").text)
    return [(row[0], row[1], row[2]) for row in table.plain_rows()]


def find_candidates(graph: Graph, client: PoliteClient, batch_size: int = 40,
                    today: dt.date | None = None) -> list[Candidate]:
    """Candidates for every unlinked entity, scored by how many of its two labels match."""
    query = read_query(QUERIES_DIR / "link" / "wikidata-candidates.rq").text
    entities = unlinked_entities(graph)
    by_label: dict[Literal, list[str]] = {}
    for iri, label_zh, label_en in entities:
        by_label.setdefault(Literal(label_zh, lang="zh"), []).append(iri)
        by_label.setdefault(Literal(label_en, lang="en"), []).append(iri)
    labels = sorted(by_label)
    matches: dict[tuple[str, str], dict] = {}
    for start in range(0, len(labels), batch_size):
        table = client.select(fill_values(query, "label", labels[start:start + batch_size]))
        for label, item, item_zh, item_en in table.rows:
            found = WIKIDATA_ITEM.match(str(item))
            if not found:
                continue
            for iri in by_label.get(Literal(str(label), lang=label.language), []):
                match = matches.setdefault((iri, found.group(1)), {
                    "languages": set(), "zh": str(item_zh or ""), "en": str(item_en or "")})
                match["languages"].add(label.language)
    retrieved = str(today or dt.date.today())
    return sorted(
        Candidate(iri.rsplit("/", 1)[1], item, match["zh"], match["en"],
                  f"{len(match['languages']) / 2:.1f}", "proposed", retrieved)
        for (iri, item), match in matches.items()
    )


def read_candidates(path: Path = CANDIDATES_FILE) -> list[Candidate]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as stream:
        return [Candidate(r["entity"], r["identifier"], r["label_zh"], r["label_en"], r["score"],
                          r["status"], r["retrieved"]) for r in csv.DictReader(stream)]


def merge_candidates(existing: list[Candidate], found: list[Candidate]) -> list[Candidate]:
    """New candidates are proposed; a candidate a person accepted or rejected keeps its status."""
    merged = {(c.entity, c.identifier): c for c in found}
    for candidate in existing:
        if candidate.status != "proposed" or (candidate.entity, candidate.identifier) not in merged:
            merged[(candidate.entity, candidate.identifier)] = candidate
    return sorted(merged.values(), key=lambda c: c.row())


def write_candidates(candidates: list[Candidate], path: Path = CANDIDATES_FILE) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([column.name for column in TABLES["link_candidates"].columns])
    writer.writerows(candidate.row() for candidate in candidates)
    write_atomically({Path(path): out.getvalue()})
