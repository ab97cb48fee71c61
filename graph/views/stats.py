"""Counts that describe a built graph, each answered by a query in ``queries/stats/``."""

from __future__ import annotations

import pyoxigraph

from vetkg.query import catalogue
from vetkg.query.results import ResultTable
from vetkg.query.store import run_query

STATS_QUERIES = ("entities-per-class", "facts-with-evidence", "links-per-dataset")


def graph_stats(store: pyoxigraph.Store) -> dict[str, ResultTable | int]:
    """The triple count and the answer of every stats query, by name."""
    stats: dict[str, ResultTable | int] = {"triples": len(store)}
    for name in STATS_QUERIES:
        stats[name] = run_query(store, catalogue.text(f"stats/{name}"))
    return stats


def format_stats(stats: dict[str, ResultTable | int]) -> str:
    parts = [f"triples: {stats['triples']}"]
    for name in STATS_QUERIES:
        parts.append(f"\n{name}:\n{stats[name].to_table()}")
    return "\n".join(parts)
