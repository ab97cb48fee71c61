"""A synthetic national system at three sizes: build, load, serve, query and draw, side by side.

At each size (about 100k, 1M and 3M triples; see benchmarks/synthetic.py) this reports:
- `vetkg build` from the tables: seconds and peak memory;
- `vetkg serve --graph vetkg.nt`: seconds until it answers (the dump bulk-loaded once into
  a store its workers share), and the peak memory of the server and its workers together;
- catalogue-style queries through SPARQLWrapper, median of three, on vetkg's endpoint, on
  `oxigraph serve-read-only` over the same dump, and on an rdflib-backed endpoint where
  rdflib finishes; every engine's rows are checked against vetkg's;
- each network view: seconds to draw the page on its first request, and its first frame in
  headless Chromium; and the first and a later search, a reconciliation, the map and the
  ontology page, each on its first request.
The baseline of each ratio is plain rdflib, or Oxigraph's own server, measured in the same run.

    python benchmarks/scale.py [--sizes 100k,1m,3m] [--rdflib-up-to 1m]
"""

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
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
QUERIES = ("institutions-per-province-by-level", "vocational-share-by-province",
           "private-share-by-province", "sponsors-by-kind", "register-link-coverage",
           "vocational-universities", "contradictory-statements", "graduates-by-level")
RDFLIB_ENDPOINT = Path(__file__).resolve().parent / "rdflib_endpoint.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_measured(command, env=None) -> tuple[float, float]:
    """Seconds and peak resident MiB of a command run to its end."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{child.stderr.read().decode()[-3000:]}")
    child.stderr.close()
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def tree_peak_mib(pid: int) -> float:
    """The summed peak resident memory (VmHWM) of a process and its children."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(status.split("VmHWM:")[1].split()[0])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return total / 1024


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
    """Seconds for a search sent as soon as the server answers.

    It waits for the name index, which each worker builds in the background as it starts.
    """
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


def measure_size(label: str, work: Path, rdflib_up_to: int, driver) -> None:
    schools, indicators = SIZES[label]
    data = generate(work / f"data-{label}", schools, indicators)
    out = work / f"build-{label}"
    empty = work / "no-report"
    empty.mkdir(exist_ok=True)
    # The synthetic rows are not the report's, so its quote check is left out.
    env = {**os.environ, "VETKG_SHARED": str(empty)}
    build_s, build_mib = run_measured([sys.executable, "-m", "vetkg", "build", "--data", str(data),
                                       "--out", str(out)], env)
    dump = out / "vetkg.nt"
    triples = sum(1 for _ in dump.open("rb"))
    print(f"\n## {label}: {triples:,} triples ({schools:,} synthetic schools, {indicators} indicator(s), "
          "2012–2024)\n")
    print(f"vetkg build: {build_s:.1f} s, peak {build_mib:,.0f} MiB")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server, ready_s = start_server([sys.executable, "-m", "vetkg", "serve", "--graph", str(dump),
                                    "--port", str(port)], f"{base}/sparql?query=ASK%7B%7D")
    try:
        first_search_s = search_at_start(base)
        ours = time_queries(f"{base}/sparql", timeout=60)
        pages = time_pages(base, work, driver)
        serve_mib = tree_peak_mib(server.pid)
    finally:
        stop(server)
    print(f"vetkg serve --graph vetkg.nt: answering after {ready_s:.1f} s, a search after "
          f"{first_search_s:.2f} s more; server and workers peak {serve_mib:,.0f} MiB in all")

    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    location = work / f"oxigraph-{label}"
    load_s, load_mib = run_measured([binary, "load", "--location", str(location), "--file", str(dump)])
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
        try:
            plain = time_queries(f"http://127.0.0.1:{port}/sparql", timeout=120)
            rdflib_mib = tree_peak_mib(rdflib_server.pid)
        finally:
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
            for label in args.sizes.split(","):
                measure_size(label, work, int(limit), driver)
        finally:
            if driver is not None:
                driver.quit()


if __name__ == "__main__":
    main()
