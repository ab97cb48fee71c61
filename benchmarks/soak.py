"""A soak of `vetkg serve`: 15 clients asking catalogue questions beside abusive clients.

Each client has an address of its own on the loopback network (127.0.0.0/8), as clients on
other machines would. For ``--seconds`` (60 by default), 15 clients each ask the catalogue's
questions one after another, and each of ``--abusive`` clients (1 by default) keeps six
requests going at once: Cartesian queries that run until the deadline, neighbourhoods past
the node budget, and views to draw.
The server runs with its default limits. The report gives each kind's answers by status,
whether every normal answer equals the one given before the soak, and the normal
questions' latency against the same questions asked by one client alone, before the soak,
in the same run (the baseline).

    python benchmarks/soak.py [--seconds 60] [--abusive 1]
"""

import argparse
import collections
import signal
import statistics
import sys
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import free_port, start_server, stop  # noqa: E402

from vetkg.query.catalogue import load_catalogue  # noqa: E402

NORMAL_CLIENTS = 15
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ABUSE = ["/sparql?" + urllib.parse.urlencode({"query": CARTESIAN})] * 3 + [
    "/network/neighbourhood?focus=moe&hops=4", "/network/neighbourhood?focus=moe&hops=2",
    "/network/neighbourhood?focus=CN-GD&hops=2"]


def ask(port: int, address: str, path: str) -> tuple[int, bytes, float]:
    """Status, body and seconds of one GET from ``address``."""
    started = time.perf_counter()
    connection = HTTPConnection("127.0.0.1", port, timeout=120, source_address=(address, 0))
    try:
        connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        response = connection.getresponse()
        return response.status, response.read(), time.perf_counter() - started
    finally:
        connection.close()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--abusive", type=int, default=1, help="abusive clients, each at its own address")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    paths = ["/sparql?" + urllib.parse.urlencode({"query": query.text}) for query in load_catalogue()]
    port = free_port()
    server, ready = start_server([sys.executable, "-m", "vetkg", "serve", "--port", str(port)],
                                 f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D")
    try:
        alone = {path: ask(port, "127.0.0.2", path) for path in paths}
        baseline = statistics.median(seconds for _, _, seconds in alone.values())
        refused_alone = [path for path, (status, _, _) in alone.items() if status != 200]
        stop_at = time.monotonic() + args.seconds
        normal, abuse = [], collections.Counter()

        def client(number):
            address = f"127.0.0.{10 + number}"
            order = paths[number * 4 % len(paths):] + paths[:number * 4 % len(paths)]
            while time.monotonic() < stop_at:
                for path in order:
                    if time.monotonic() >= stop_at:
                        break
                    status, body, seconds = ask(port, address, path)
                    normal.append((status, body == alone[path][1], seconds))

        def abuser(address, path):
            while time.monotonic() < stop_at:
                abuse[(path.split("?")[0], ask(port, address, path)[0])] += 1

        threads = ([threading.Thread(target=client, args=(n,)) for n in range(NORMAL_CLIENTS)]
                   + [threading.Thread(target=abuser, args=(f"127.0.0.{200 + n}", path))
                      for n in range(args.abusive) for path in ABUSE])
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        stop(server)
    statuses = collections.Counter(status for status, _, _ in normal)
    answered = [seconds for status, _, seconds in normal if status == 200]
    wrong = sum(1 for status, same, _ in normal if status == 200 and not same)
    print(f"vetkg serve answering after {ready:.1f} s; {len(paths)} catalogue questions, "
          f"{NORMAL_CLIENTS} normal clients and {args.abusive} abusive for {args.seconds:g} s")
    print(f"baseline, one client alone before the soak: median {baseline * 1000:.0f} ms"
          + (f"; refused alone: {refused_alone}" if refused_alone else ""))
    print(f"normal questions: {len(normal)} asked, {statuses[200]} answered "
          f"({statuses[200] / max(1, len(normal)):.1%}), by status {dict(sorted(statuses.items()))}, "
          f"{wrong} answered wrong")
    if answered:
        median, p95 = statistics.median(answered), percentile(answered, 0.95)
        print(f"normal latency: median {median * 1000:.0f} ms ({median / baseline:.1f}x baseline), "
              f"p95 {p95 * 1000:.0f} ms ({p95 / baseline:.1f}x), max {max(answered) * 1000:.0f} ms")
    print("abusive requests by route and status: "
          + ", ".join(f"{route} {status}: {count}" for (route, status), count in sorted(abuse.items())))
    return 0 if statuses[200] == len(normal) and not wrong else 1


if __name__ == "__main__":
    sys.exit(main())
