"""Time to a stable frame for every network view, in headless Chromium.

Positions are computed beforehand and physics is off, so the first frame is the stable one.
Each page is loaded several times; the baseline, measured in the same run, is the same page
with an empty network. Beside the views as drawn, whose institutions of one body or place are
one node above GROUP_ABOVE, the governance and regional views are also drawn with every
institution of the register as a node of its own: the sizes that grouping avoids.

    python benchmarks/views.py [--repeat N]
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from vetkg.build.graph import build_graph
from vetkg.query.store import open_store
from vetkg.views import network as network_module
from vetkg.views.network import NEIGHBOURHOOD, project_network, view_names
from vetkg.views.visualize import render_network


def first_frame_ms(driver, page: Path) -> float:
    driver.get(page.as_uri())
    deadline = time.monotonic() + 60
    while True:
        value = driver.execute_script("return window.vetkgFirstFrame")
        if value is not None:
            return float(value)
        if time.monotonic() > deadline:
            raise RuntimeError(f"{page.name} never drew")
        time.sleep(0.02)


def chromium(folder: Path):
    """Debian's headless Chromium with its profile in ``folder``, kept off the network."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--proxy-server=http://127.0.0.1:9",
                     "--window-size=1400,900", f"--user-data-dir={folder}/profile"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        driver = chromium(Path(folder))
        try:
            store = open_store(build_graph())
            empty = nx.MultiDiGraph(title="empty")
            pages = {"(baseline: empty network)": (empty, Path(folder) / "empty.html")}
            for view in view_names():
                network = project_network(store, view, focus="广西" if view == NEIGHBOURHOOD else None,
                                          hops=2)
                pages[view] = (network, Path(folder) / f"{view}.html")
            ungrouped, network_module.GROUP_ABOVE = network_module.GROUP_ABOVE, 10**9
            try:
                for view in ("governance", "regional"):
                    pages[f"{view}, ungrouped"] = (project_network(store, view),
                                                   Path(folder) / f"{view}-ungrouped.html")
            finally:
                network_module.GROUP_ABOVE = ungrouped
            for network, path in pages.values():
                path.write_text(render_network(network), encoding="utf-8")
            baseline = None
            print(f"{'view':28} {'nodes':>5} {'edges':>5} {'first stable frame':>20} {'ratio':>7}")
            for name, (network, path) in pages.items():
                median = statistics.median(first_frame_ms(driver, path) for _ in range(args.repeat))
                baseline = baseline or median
                print(f"{name:28} {network.number_of_nodes():5d} {network.number_of_edges():5d} "
                      f"{median:17.0f} ms {median / baseline:6.2f}x")
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
