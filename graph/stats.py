"""Counts that describe a built graph, each answered by a query in ``queries/stats/``."""

from __future__ import annotations

from rdflib import Graph

from vetkg.catalogue import read_query
from vetkg.paths import QUERIES_DIR
from vetkg.store import ResultTable, open_store, run_query

STATS_QUERIES = ("entities-per-class", "facts-with-evidence", "links-per-dataset")


def graph_stats(graph: Graph) -> dict[str, ResultTable | int]:
    """The triple count and the answer of every stats query, by name."""
    store = open_store(graph)
    stats: dict[str, ResultTable | int] = {"triples": len(graph)}
    for name in STATS_QUERIES:
        stats[name] = run_query(store, read_query(QUERIES_DIR / "stats" / f"{name}.rq").text)
    return stats


def format_stats(stats: dict[str, ResultTable | int]) -> str:
    parts = [f"triples: {stats['triples']}"]
    for name in STATS_QUERIES:
        parts.append(f"\n{name}:\n{stats[name].to_table()}")
    return "\n".join(parts)
