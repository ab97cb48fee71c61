"""A synthetic national system at three sizes: build, load, serve, query and draw, side by side.

At each size (about 100k, 1M and 3M triples; see benchmarks/synthetic.py) this reports:
- `vetkg build` from the tables: seconds, CPU-seconds, and the peak memory of its whole
  process tree (the sum of the processes' proportional set sizes, sampled every 0.1 s);
- `vetkg serve --site` on what the build wrote: seconds until it answers (its forker copies
  the graph into memory once, from the dump beside the store, and builds the name index once;
  the workers share both), and the peak memory of the server, the forker and the workers;
- catalogue-style queries through SPARQLWrapper, median of three, on vetkg's endpoint, on
  `oxigraph serve-read-only` over the same dump, and on an rdflib-backed endpoint where
  rdflib finishes; every engine's rows are checked against vetkg's;
- each network view: seconds to draw the page on its first request, and its first frame in
  headless Chromium; and the first and a later search, a reconciliation, the map and the
  ontology page, each on its first request.
The baseline of each ratio is plain rdflib, or Oxigraph's own server, measured in the same run.
At the end, a table gives each cost at every size and how it grew against the triples: a
growth of 1.00 is linear, more is a cost that grows faster than the data.

    python benchmarks/scale.py [--sizes 100k,1m,3m] [--rdflib-up-to 1m]
"""

import argparse
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate  # noqa: E402
from views import chromium, first_frame_ms  # noqa: E402

from vetkg.query.catalogue import resolve_query  # noqa: E402
from vetkg.query.remote import query_endpoint  # noqa: E402
from vetkg.query.results import QueryError  # noqa: E402
from vetkg.views.network import NEIGHBOURHOOD, view_names  # noqa: E402

# Schools and indicators per size; every school has yearly figures for 2012–2024.
SIZES = {"100k": (330, 1), "1m": (8_000, 1), "3m": (12_000, 2)}
SEARCH = "/search?" + urllib.parse.urlencode({"q": "职业技术学院", "format": "json"})
# The first five read the whole register.
REGISTER_WIDE = ("institutions-per-province-by-level", "vocational-share-by-province",
                 "private-share-by-province", "sponsors-by-kind", "register-link-coverage")
QUERIES = (*REGISTER_WIDE, "vocational-universities", "contradictory-statements", "graduates-by-level")
RDFLIB_ENDPOINT = Path(__file__).resolve().parent / "rdflib_endpoint.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tree_mib(pid: int) -> float:
    """The memory of a process and all its descendants now: the sum of their proportional set sizes.

    A page that processes share (a forked worker's view of the forker's store) counts once in all.
    """
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(rollup.split("\nPss:")[1].split()[0])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, IndexError, PermissionError):
            continue
    return total / 1024


class TreePeak:
    """The largest ``tree_mib`` of a process, sampled every 0.1 s in a thread until ``stop``."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._done = pid, 0.0, threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        while not self._done.wait(0.1):
            self.peak = max(self.peak, tree_mib(self.pid))

    def stop(self) -> float:
        self._done.set()
        self._sampler.join()
        return self.peak


def run_measured(command, env=None) -> tuple[float, float, float]:
    """Seconds, CPU-seconds and peak MiB of a command run to its end, its descendants included."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    memory = TreePeak(child.pid)
    _, status, usage = os.wait4(child.pid, 0)
    peak = memory.stop()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{child.stderr.read().decode()[-3000:]}")
    child.stderr.close()
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, peak


def start_server(command, ready_url: str, limit: float = 600):
    """Start a server; return it and the seconds until ``ready_url`` answered."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while True:
        try:
            urllib.request.urlopen(ready_url, timeout=5).read()
            return process, time.perf_counter() - started
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"{command[0]} stopped: {process.stderr.read().decode()[-2000:]}") from None
            if time.perf_counter() - started > limit:
                process.kill()
                raise SystemExit(f"{command[0]} did not answer within {limit} s") from None
            time.sleep(0.1)


def stop(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def time_queries(endpoint: str, timeout: float) -> dict[str, tuple[list[float] | None, list]]:
    """Milliseconds of three runs of each query, and its rows; None where it failed."""
    results = {}
    for name in QUERIES:
        text = resolve_query(name).text
        times, rows = [], []
        for _ in range(3):
            started = time.perf_counter()
            try:
                rows = query_endpoint(endpoint, text, timeout=timeout).plain_rows()
            except QueryError as error:
                times, rows = None, str(error)[:80]
                break
            times.append((time.perf_counter() - started) * 1000)
        results[name] = (times, rows)
    return results


def search_at_start(base: str) -> float:
    """Seconds for a search sent as soon as the server answers (the forker built the index before)."""
    started = time.perf_counter()
    urllib.request.urlopen(base + SEARCH, timeout=600).read()
    return time.perf_counter() - started


def time_pages(base: str, folder: Path, driver) -> dict[str, tuple[float, float | None, int | str]]:
    """Seconds to draw each page on its first request, its first frame in ms, and its bytes.

    Where the server refused to draw a page, its error stands in for the bytes.
    """
    pages = {view: f"/network/{view}" for view in view_names() if view != NEIGHBOURHOOD}
    pages["neighbourhood 广西, 2 hops"] = "/network/neighbourhood?" + urllib.parse.urlencode(
        {"focus": "广西", "hops": 2})
    pages["entity page"] = "/id/moe-9000000001"
    # An indicator with a yearly figure for every synthetic school.
    pages["indicator page"] = "/id/syn-indicator-0"
    # Each worker has built its name index by now (see search_at_start for the wait before).
    pages["search"] = SEARCH
    pages["reconcile, one name"] = "/reconcile?" + urllib.parse.urlencode(
        {"queries": '{"q0": {"query": "深圳职业技术大学"}}'})
    pages["map page"] = "/map"
    pages["ontology page"] = "/ontology"
    measured = {}
    for name, path in pages.items():
        started = time.perf_counter()
        try:
            body = urllib.request.urlopen(base + path, timeout=600).read()
        except urllib.error.HTTPError as error:
            measured[name] = (time.perf_counter() - started, None, f"{error.code}: {error.read()[:120]!r}")
            continue
        seconds = time.perf_counter() - started
        frame = None
        if driver is not None and path.startswith("/network/"):
            page = folder / f"{abs(hash(name))}.html"
            page.write_bytes(body)
            frame = first_frame_ms(driver, page)
        measured[name] = (seconds, frame, len(body))
    return measured


def browser(folder: Path):
    """Chromium for first frames, or None where it is not installed."""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        return None
    return chromium(folder)


def measure_size(label: str, work: Path, rdflib_up_to: int, driver) -> dict[str, float]:
    """Measure one size, print its tables, and return its costs for the table of growth."""
    schools, indicators = SIZES[label]
    data = generate(work / f"data-{label}", schools, indicators)
    out = work / f"build-{label}"
    empty = work / "no-report"
    empty.mkdir(exist_ok=True)
    # The synthetic rows are not the report's, so its quote check is left out.
    env = {**os.environ, "VETKG_SHARED": str(empty)}
    build_s, build_cpu, build_mib = run_measured([sys.executable, "-m", "vetkg", "build", "--data", str(data),
                                                  "--out", str(out)], env)
    dump = out / "vetkg.nt"
    triples = sum(1 for _ in dump.open("rb"))
    print(f"\n## {label}: {triples:,} triples ({schools:,} synthetic schools, {indicators} indicator(s), "
          "2012–2024)\n")
    print(f"vetkg build: {build_s:.1f} s, {build_cpu:.0f} CPU-seconds, peak {build_mib:,.0f} MiB for its "
          "process tree")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server, ready_s = start_server([sys.executable, "-m", "vetkg", "serve", "--site", str(out),
                                    "--port", str(port)], f"{base}/sparql?query=ASK%7B%7D")
    memory = TreePeak(server.pid)
    try:
        first_search_s = search_at_start(base)
        ours = time_queries(f"{base}/sparql", timeout=60)
        pages = time_pages(base, work, driver)
    finally:
        serve_mib = memory.stop()
        stop(server)
    print(f"vetkg serve --site: answering after {ready_s:.1f} s, a search after {first_search_s:.2f} s more; "
          f"server, forker and workers peak {serve_mib:,.0f} MiB in all")

    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    location = work / f"oxigraph-{label}"
    load_s, _, load_mib = run_measured([binary, "load", "--location", str(location), "--file", str(dump)])
    port = free_port()
    oxigraph, oxigraph_ready = start_server([binary, "serve-read-only", "--location", str(location),
                                             "--bind", f"127.0.0.1:{port}"],
                                            f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")
    try:
        theirs = time_queries(f"http://127.0.0.1:{port}/query", timeout=60)
    finally:
        stop(oxigraph)
    print(f"oxigraph load: {load_s:.1f} s, peak {load_mib:,.0f} MiB; serve-read-only answering after "
          f"{oxigraph_ready:.1f} s")

    plain = {}
    if triples <= rdflib_up_to:
        port = free_port()
        command = [sys.executable, str(RDFLIB_ENDPOINT), str(dump), str(port)]
        rdflib_server, rdflib_ready = start_server(command, f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D",
                                                   1800)
        memory = TreePeak(rdflib_server.pid)
        try:
            plain = time_queries(f"http://127.0.0.1:{port}/sparql", timeout=120)
        finally:
            rdflib_mib = memory.stop()
            stop(rdflib_server)
        print(f"rdflib endpoint: answering after {rdflib_ready:.1f} s, peak {rdflib_mib:,.0f} MiB")
    else:
        print(f"rdflib endpoint: not run above {rdflib_up_to:,} triples")

    # The first run of a query includes the guard's parse, which a worker then remembers.
    print("\n| query | vetkg ms, first | vetkg ms | oxigraph serve-read-only ms | ratio | rdflib ms | ratio "
          "| rows agree |")
    print("|---|---|---|---|---|---|---|---|")
    for name in QUERIES:
        mine_times, rows = ours[name]
        first = f"{mine_times[0]:,.0f}" if mine_times else "—"
        mine, other, slow = (statistics.median(times) if times else None
                             for times in (mine_times, theirs[name][0], plain.get(name, (None,))[0]))
        other_rows, slow_rows = theirs[name][1], plain.get(name, (None, None))[1]
        agree = rows == other_rows and (slow_rows is None or slow_rows == rows)
        cells = [f"{value:,.0f}" if value is not None else "—" for value in (mine, other)]
        ratio = f"{mine / other:.2f}×" if mine and other else "—"
        slow_cell = f"{slow:,.0f}" if slow is not None else ("failed" if slow_rows else "—")
        slow_ratio = f"{mine / slow:.3f}×" if mine and slow else "—"
        print(f"| {name} | {first} | {cells[0]} | {cells[1]} | {ratio} | {slow_cell} | {slow_ratio} | "
              f"{'yes' if agree else 'NO'} |")
    print("\n| page | drawn on first request, s | first frame, ms | bytes |")
    print("|---|---|---|---|")
    for name, (seconds, frame, size) in pages.items():
        size = f"{size:,}" if isinstance(size, int) else size
        print(f"| {name} | {seconds:.2f} | {f'{frame:,.0f}' if frame is not None else '—'} | {size} |")
    sys.stdout.flush()
    def median_ms(name: str) -> float:
        return statistics.median(ours[name][0]) if ours[name][0] else math.nan

    return {"triples": triples, "build, s": build_s, "build, CPU-s": build_cpu, "build, peak MiB": build_mib,
            "serve: answering after, s": ready_s, "serve, peak MiB": serve_mib,
            "slowest register-wide question, ms": max(median_ms(name) for name in REGISTER_WIDE),
            "slowest view, s": max(pages[name][0] for name in pages if name in view_names()),
            "indicator page, s": pages["indicator page"][0],
            "contradictory-statements, ms": median_ms("contradictory-statements")}


def print_growth(measured: dict[str, dict[str, float]]) -> None:
    """Each cost at every size, and its growth: log(cost ratio) / log(triples ratio) from the smallest."""
    labels = list(measured)
    first = measured[labels[0]]
    print("\n## Growth\n")
    print(f"| | {' | '.join(labels)} | growth, {labels[0]} to {labels[-1]} |")
    print(f"|---|{'---|' * len(labels)}---|")
    for cost in first:
        cells = [f"{measured[label][cost]:,.1f}" if cost != "triples" else f"{measured[label][cost]:,}"
                 for label in labels]
        growth = "—"
        if cost != "triples" and len(labels) > 1 and first[cost] > 0:
            ratio = measured[labels[-1]][cost] / first[cost]
            growth = f"{math.log(ratio) / math.log(measured[labels[-1]]['triples'] / first['triples']):.2f}"
        print(f"| {cost} | {' | '.join(cells)} | {growth} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--rdflib-up-to", default="1.5m", help="largest graph to try in plain rdflib")
    args = parser.parse_args()
    # A stop by SIGTERM removes the temporary folder, as Ctrl-C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    limit = float(args.rdflib_up_to.rstrip("mk")) * (1e6 if args.rdflib_up_to.endswith("m") else 1e3)
    with tempfile.TemporaryDirectory(prefix="vetkg-scale-") as folder:
        work = Path(folder)
        driver = browser(work)
        try:
            measured = {label: measure_size(label, work, int(limit), driver)
                        for label in args.sizes.split(",")}
            print_growth(measured)
        finally:
            if driver is not None:
                driver.quit()


if __name__ == "__main__":
    main()
