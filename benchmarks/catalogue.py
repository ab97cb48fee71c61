"""Run the query catalogue on the embedded Oxigraph store and on a plain rdflib.Graph.

Both engines answer every query in the same run; the script checks that their rows are
identical and prints, per query, the median time of each and the ratio rdflib / Oxigraph.

    python benchmarks/catalogue.py [--repeat N]
"""

import argparse
import statistics
import sys
import time

from rdflib import Graph

from vetkg.build.graph import build_graph
from vetkg.query.catalogue import load_catalogue
from vetkg.query.store import open_store, run_query


def median_seconds(target, text, repeat):
    timings, table = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        table = run_query(target, text)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), table


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per query and engine")
    args = parser.parse_args()

    graph = build_graph()
    plain = Graph()
    for triple in graph:
        plain.add(triple)
    store = open_store(graph)
    print(f"graph: {len(graph)} triples; {args.repeat} runs per query and engine (median)")
    print(f"{'query':48} {'oxigraph ms':>12} {'rdflib ms':>10} {'ratio':>8}")
    ratios, mismatches = [], []
    for query in load_catalogue():
        oxigraph_time, oxigraph_rows = median_seconds(store, query.text, args.repeat)
        rdflib_time, rdflib_rows = median_seconds(plain, query.text, args.repeat)
        if oxigraph_rows.plain_rows() != rdflib_rows.plain_rows():
            mismatches.append(query.name)
        ratio = rdflib_time / oxigraph_time
        ratios.append(ratio)
        print(f"{query.name:48} {oxigraph_time * 1000:12.2f} {rdflib_time * 1000:10.2f} {ratio:7.1f}x")
    print(f"geometric mean ratio: {statistics.geometric_mean(ratios):.1f}x "
          f"(min {min(ratios):.1f}x, max {max(ratios):.1f}x) over {len(ratios)} queries")
    if mismatches:
        print(f"rows differ between the engines for: {', '.join(mismatches)}", file=sys.stderr)
        return 1
    print("rows identical on both engines for every query")
    return 0


if __name__ == "__main__":
    sys.exit(main())
