"""Throughput and latency of `vetkg serve` beside `oxigraph serve-read-only`, at 1 and 16 clients.

Both servers answer the whole catalogue from the same N-Triples dump of the graph, each in a
process of its own, in the same run. Each client has an address of its own on the loopback
network (127.0.0.0/8), as clients on other machines would, since vetkg gives turns by
address; every client asks for SPARQL JSON results over HTTP GET. The ratio is vetkg's rate
over Oxigraph's; the embedded store in this process, without HTTP, is shown beside them.

    python benchmarks/endpoint.py [--rounds N]
"""

import argparse
import shutil
import signal
import statistics
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import free_port, run_measured, start_server, stop  # noqa: E402
from soak import ask  # noqa: E402

from vetkg.build.graph import build_graph  # noqa: E402
from vetkg.build.serialize import canonical_lines, ntriples  # noqa: E402
from vetkg.query.catalogue import load_catalogue  # noqa: E402
from vetkg.query.pool import Limits  # noqa: E402
from vetkg.query.store import open_store, run_query  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(run_one, queries, clients, rounds):
    """Queries per second, p99 and median seconds, and failures, of ``clients`` clients at once."""
    latencies, failures = [], []

    def client(number):
        for text in (queries[number % len(queries):] + queries[:number % len(queries)]) * rounds:
            started = time.perf_counter()
            if not run_one(number, text):
                failures.append(text)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client, range(clients)))
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, percentile(latencies, 0.99), statistics.median(latencies), failures


def over_http(port: int, path: str):
    def run_one(number, text):
        target = f"{path}?" + urllib.parse.urlencode({"query": text})
        return ask(port, f"127.0.0.{10 + number}", target)[0] == 200
    return run_one


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the catalogue per client")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    graph = build_graph()
    queries = [query.text for query in load_catalogue()]
    store = open_store(graph)
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    failed = False
    with tempfile.TemporaryDirectory(prefix="vetkg-endpoint-") as folder:
        dump = Path(folder) / "vetkg.nt"
        dump.write_text(ntriples(canonical_lines(graph)), encoding="utf-8")
        run_measured([binary, "load", "--location", f"{folder}/oxigraph", "--file", str(dump)])
        ours, theirs = free_port(), free_port()
        commands = {
            "vetkg serve": ([sys.executable, "-m", "vetkg", "serve", "--graph", str(dump),
                             "--port", str(ours)], ours, "/sparql"),
            "oxigraph serve-read-only": ([binary, "serve-read-only", "--location", f"{folder}/oxigraph",
                                          "--bind", f"127.0.0.1:{theirs}"], theirs, "/query"),
        }
        servers = {}
        try:
            for name, (command, port, path) in commands.items():
                servers[name] = start_server(command, f"http://127.0.0.1:{port}{path}?query=ASK%7B%7D")[0]
            in_process, *_ = measure(lambda _number, text: run_query(store, text) is not None, queries, 1,
                                     args.rounds)
            print(f"{len(queries)} catalogue queries, {args.rounds} rounds per client; vetkg with "
                  f"{Limits().workers} query workers; embedded store in process: {in_process:.1f} queries/s")
            print("\n| clients | server | queries/s | median ms | p99 ms | failed | vetkg / oxigraph |")
            print("|---|---|---|---|---|---|---|")
            for clients in (1, 16):
                rates = {}
                for name, (_command, port, path) in commands.items():
                    run_one = over_http(port, path)
                    rate, p99, median, failures = measure(run_one, queries, clients, args.rounds)
                    rates[name] = rate
                    failed |= bool(failures)
                    ratio = f"{rates['vetkg serve'] / rate:.2f}x" if name != "vetkg serve" else ""
                    print(f"| {clients} | {name} | {rate:.1f} | {median * 1000:.1f} | {p99 * 1000:.1f} | "
                          f"{len(failures)} | {ratio} |")
        finally:
            for process in servers.values():
                stop(process)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
