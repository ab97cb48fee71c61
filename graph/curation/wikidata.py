"""Reconciliation: find candidate Wikidata items for unlinked entities, politely.

``vetkg link wikidata`` asks a SPARQL endpoint (the Wikidata query service by default) for
items whose zh or en label equals an unlinked entity's label, batching labels in a VALUES
block. It writes the candidates to the review file of ``vetkg.curation.candidates`` as ``proposed``;
what a person accepts there, ``vetkg link accept`` moves into ``data/links.csv``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph
from rdflib import Literal

from vetkg.build.schema import LINK_TARGETS
from vetkg.curation.candidates import Candidate
from vetkg.query import catalogue
from vetkg.query.catalogue import fill_values
from vetkg.query.remote import query_endpoint
from vetkg.query.results import QueryError, ResultTable
from vetkg.query.store import run_query

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
RETRY_STATUSES = (429, 503)


class LinkError(Exception):
    """The endpoint could not answer, even after the allowed retries."""


def retry_delay(header: str | None, attempt: int) -> float:
    """Seconds to wait: the Retry-After header (seconds or an HTTP date), else backing off."""
    if header:
        header = header.strip()
        if header.isdigit():
            return float(header)
        when = email.utils.parsedate_to_datetime(header)
        if when is not None:
            return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
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
                return query_endpoint(self.endpoint, query, timeout=self.timeout)
            except QueryError as error:
                if error.status not in RETRY_STATUSES or attempt == self.attempts:
                    raise LinkError(f"{self.endpoint}: {error} (attempt {attempt} of "
                                    f"{self.attempts})") from None
                self.sleep(min(retry_delay(error.retry_after, attempt), self.max_wait))
        raise AssertionError("unreachable")


def unlinked_entities(store: pyoxigraph.Store) -> list[tuple[str, str, str]]:
    """(IRI, zh label, en label or '') of every place and organisation without a Wikidata link."""
    table = run_query(store, catalogue.text("exports/unlinked"))
    return [(row[0], row[1], row[2]) for row in table.plain_rows() if row[4] == "true"]


def find_candidates(store: pyoxigraph.Store, client: PoliteClient, batch_size: int = 40,
                    today: dt.date | None = None) -> list[Candidate]:
    """Candidates for every unlinked entity, scored by how many of its two labels match."""
    query = catalogue.text("link/wikidata-candidates")
    entities = unlinked_entities(store)
    by_label: dict[Literal, list[str]] = {}
    for iri, label_zh, label_en in entities:
        for label in (Literal(label_zh, lang="zh"), Literal(label_en, lang="en")):
            if label:
                by_label.setdefault(label, []).append(iri)
    labels = sorted(by_label)
    matches: dict[tuple[str, str], dict] = {}
    for start in range(0, len(labels), batch_size):
        table = client.select(fill_values(query, "label", labels[start:start + batch_size]))
        for label, item, item_zh, item_en in table.rows:
            found = LINK_TARGETS["wikidata"].identifier_of(str(item))
            if not found:
                continue
            for iri in by_label.get(Literal(str(label), lang=label.language), []):
                match = matches.setdefault((iri, found), {
                    "languages": set(), "zh": str(item_zh or ""), "en": str(item_en or "")})
                match["languages"].add(label.language)
    retrieved = str(today or dt.date.today())
    return sorted(
        Candidate(iri.rsplit("/", 1)[1], "wikidata", item, match["zh"], match["en"],
                  f"{len(match['languages']) / 2:.1f}", "proposed", retrieved)
        for (iri, item), match in matches.items()
    )
