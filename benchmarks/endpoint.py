"""Throughput and latency of `vetkg serve` over HTTP, at 1 and at 16 concurrent clients.

The server runs as `vetkg serve` in a process of its own. The baseline, measured in the same
run, is the same queries on the embedded store in this process, without HTTP or worker
processes. Every client is SPARQLWrapper, as a user's is.

    python benchmarks/endpoint.py [--rounds N]
"""

import argparse
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from vetkg.build.graph import build_graph
from vetkg.query.catalogue import load_catalogue
from vetkg.query.pool import Limits
from vetkg.query.remote import query_endpoint
from vetkg.query.results import QueryError
from vetkg.query.store import open_store, run_query


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(run_one, queries, clients, rounds):
    latencies, errors = [], []

    def client(number):
        for text in (queries[number % len(queries):] + queries[:number % len(queries)]) * rounds:
            started = time.perf_counter()
            try:
                run_one(text)
            except Exception as error:  # every failure counts, whatever its kind
                errors.append(error)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, percentile(latencies, 0.99), statistics.median(latencies), errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the catalogue per client")
    args = parser.parse_args()
    graph = build_graph()
    queries = [query.text for query in load_catalogue()]
    store = open_store(graph)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "vetkg", "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}/sparql"
    failed = False
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                query_endpoint(endpoint, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", timeout=5)
                break
            except QueryError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        baseline, *_ = measure(lambda text: run_query(store, text), queries, 1, args.rounds)
        print(f"{len(queries)} catalogue queries, {args.rounds} rounds per client; "
              f"{Limits().workers} query workers")
        print(f"baseline, embedded store in process: {baseline:8.1f} queries/s")
        for clients in (1, 16):
            qps, p99, median, errors = measure(lambda text: query_endpoint(endpoint, text, timeout=30),
                                               queries, clients, args.rounds)
            failed |= bool(errors)
            print(f"HTTP, {clients:2d} client(s): {qps:8.1f} queries/s ({qps / baseline:.2f}x baseline), "
                  f"median {median * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, errors {len(errors)}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
