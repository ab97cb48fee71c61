"""How readable each network view's layout is, for this checkout beside a baseline revision.

For every view, in the same run and on the same graph: the edge crossings, counted from the
computed positions (straight lines between node centres, pairs that share no node); the
share of nodes whose label the page places at the fitted zoom, in headless Chromium at
1366 x 768; and the drawing's width in screen widths of 1,366 px at zoom 1. The baseline is
checked out into a temporary git worktree and imported from there (as benchmarks/build.py
does).

    python benchmarks/layout.py [--baseline REV]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build import ROOT, checkout, importable  # noqa: E402

# The last revision before the governance view was drawn in bands.
BEFORE_BANDS = "9d1e813"
SCREEN_WIDTH = 1366


def crossings(network, positions) -> int:
    """Pairs of relations whose straight lines cross, among pairs that share no node."""
    segments = sorted({tuple(sorted((u, v))) for u, v in network.edges() if u != v})

    def side(a, b, c):
        value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return (value > 0) - (value < 0)

    count = 0
    for (a, b), (c, d) in combinations(segments, 2):
        if {a, b} & {c, d}:
            continue
        p, q, r, s = positions[a], positions[b], positions[c], positions[d]
        if side(p, q, r) * side(p, q, s) < 0 and side(r, s, p) * side(r, s, q) < 0:
            count += 1
    return count


def placed_share(driver, html: str, folder: Path, view: str) -> float:
    page = folder / f"{view}.html"
    page.write_text(html, encoding="utf-8")
    driver.get(page.as_uri())
    deadline = time.monotonic() + 120
    while driver.execute_script("return window.vetkgFirstFrame === undefined"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{view} never drew")
        time.sleep(0.05)
    time.sleep(0.3)
    return driver.execute_script("return window.vetkg.labels().length / window.vetkg.nodes.length")


def measure() -> dict:
    """Every view's figures, for the vetkg that this process imports."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from vetkg.build.graph import build_graph
    from vetkg.query.store import open_store
    from vetkg.views.analyze import layout
    from vetkg.views.network import NEIGHBOURHOOD, project_network, view_names
    from vetkg.views.visualize import render_network

    store = open_store(build_graph())
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", f"--window-size={SCREEN_WIDTH},768"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    figures = {}
    try:
        with tempfile.TemporaryDirectory() as folder:
            for view in view_names():
                if view == NEIGHBOURHOOD:
                    continue
                network = project_network(store, view)
                positions = layout(network)
                xs = [x for x, _ in positions.values()]
                figures[view] = {
                    "nodes": network.number_of_nodes(), "crossings": crossings(network, positions),
                    "placed": placed_share(driver, render_network(network), Path(folder), view),
                    "screens": (max(xs) - min(xs)) / SCREEN_WIDTH,
                }
    finally:
        driver.quit()
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BEFORE_BANDS, help="git revision to compare against")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return
    with tempfile.TemporaryDirectory(prefix="vetkg-layout-") as folder:
        tree = checkout(args.baseline, Path(folder))
        try:
            runs = {}
            for name, parent in (("baseline", importable(tree, Path(folder))), ("this", None)):
                env = {**os.environ, "PYTHONPATH": str(parent)} if parent else dict(os.environ)
                output = subprocess.run([sys.executable, __file__, "--measure"], env=env, cwd=ROOT,
                                        check=True, capture_output=True, text=True).stdout
                runs[name] = json.loads(output)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)
    print(f"| view | nodes | crossings, {args.baseline} | crossings, this | labels placed, {args.baseline} "
          "| labels placed, this | screen widths, baseline | screen widths, this |")
    print("|---|---|---|---|---|---|---|---|")
    for view, mine in runs["this"].items():
        before = runs["baseline"].get(view)
        if before is None:
            continue
        print(f"| {view} | {mine['nodes']} | {before['crossings']:,} | {mine['crossings']:,} | "
              f"{before['placed']:.0%} | {mine['placed']:.0%} | {before['screens']:.1f} | "
              f"{mine['screens']:.1f} |")


if __name__ == "__main__":
    main()
