"""How long the everyday commands take on the built store, as ratios to `vetkg --help`.

Each command runs in a process of its own, as a user runs it, several times; the figure is
the median wall time. The baseline, `vetkg --help`, is measured in the same run, so that the
ratios hold on a busy machine too. The store is built once into a temporary cache folder
first (its time is reported apart, as the cost a user pays once after the inputs change).

    python benchmarks/commands.py [--repeat N]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

VETKG = [sys.executable, "-m", "vetkg"]
COMMANDS = {
    "vetkg --help": [*VETKG, "--help"],
    "vetkg query vocational-universities": [*VETKG, "query", "vocational-universities"],
    "vetkg search 深圳职业技术大学": [*VETKG, "search", "深圳职业技术大学"],
    "vetkg.load()": [sys.executable, "-c", "import vetkg; vetkg.load()"],
}
# The issue that set the goal: each command within this many times `vetkg --help`.
GOAL = 3.0


def seconds(command: list[str], env: dict, folder: str) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=folder, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        # Run in a folder without build/, so that the store is the one built here.
        env = {**os.environ, "VETKG_CACHE": cache}
        cold = seconds([*VETKG, "stats"], env, cache)
        print(f"building the store into an empty cache folder (once): {cold:.2f} s")
        medians = {}
        for name, command in COMMANDS.items():
            seconds(command, env, cache)  # the search index is made on first use, like the store
            medians[name] = statistics.median(seconds(command, env, cache) for _ in range(args.repeat))
    baseline = medians["vetkg --help"]
    print(f"{'command':40} {'median':>9} {'ratio':>7}  goal ≤ {GOAL:g}×")
    for name, median in medians.items():
        ratio = median / baseline
        verdict = "" if name == "vetkg --help" else ("ok" if ratio <= GOAL else "over")
        print(f"{name:40} {median * 1000:7.0f} ms {ratio:6.1f}×  {verdict}")


if __name__ == "__main__":
    sys.exit(main())
