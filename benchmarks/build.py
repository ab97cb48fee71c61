"""`vetkg build` and `vetkg run` of this checkout against a baseline revision, side by side.

The baseline is checked out into a temporary git worktree and imported from there; this
checkout runs as installed (with its package data). Both run on the same machine, Python and
libraries, alternating, in one run. Reported: the median
wall time and peak memory of each command, and the ratio of this checkout to the baseline.

    python benchmarks/build.py [--baseline REV] [--repeat N]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The last revision before the MOE registers entered the graph: the bar for their cost.
BEFORE_REGISTERS = "96093b5"
COMMANDS = ("build", "run")


def measure(package_parent: Path | None, workdir: Path, command: str, out_dir: Path) -> tuple[float, float]:
    """Seconds and peak resident MiB of one `python -m vetkg <command> --out <out_dir>`.

    ``package_parent`` holds the vetkg to import; None is the installed one.
    """
    env = {**os.environ, "PYTHONPATH": str(package_parent)} if package_parent else dict(os.environ)
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "vetkg", command, "--out", str(out_dir)],
                             cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"vetkg {command} failed in {workdir}:\n{child.stderr.read().decode()}")
    child.stderr.close()
    return seconds, usage.ru_maxrss / 1024


def importable(tree: Path, folder: Path) -> Path:
    """A new folder under ``folder`` from which ``import vetkg`` gives the tree's graph/."""
    package_parent = Path(tempfile.mkdtemp(dir=folder))
    (package_parent / "vetkg").symlink_to(tree / "graph")
    return package_parent


def checkout(revision: str, folder: Path) -> Path:
    """The revision in a git worktree under ``folder``."""
    tree = folder / "tree"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(tree), revision],
                   check=True)
    return tree


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BEFORE_REGISTERS, help="git revision to compare against")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        tree = checkout(args.baseline, folder)
        sides = {"baseline": (importable(tree, folder), tree), "current": (None, ROOT)}
        samples = {(side, command): [] for side in sides for command in COMMANDS}
        try:
            for round_number in range(args.repeat):
                for command in COMMANDS:
                    for side, (package_parent, workdir) in sides.items():
                        out_dir = folder / f"out-{side}-{command}-{round_number}"
                        samples[side, command].append(measure(package_parent, workdir, command, out_dir))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)
    print(f"baseline {args.baseline} against this checkout, median of {args.repeat} runs each\n")
    print(f"{'command':<14}{'baseline s':>12}{'current s':>12}{'ratio':>8}{'baseline MiB':>14}"
          f"{'current MiB':>13}{'ratio':>8}")
    for command in COMMANDS:
        (base_s, base_mib), (cur_s, cur_mib) = (
            (statistics.median(s for s, _ in samples[side, command]),
             statistics.median(m for _, m in samples[side, command])) for side in sides)
        print(f"{'vetkg ' + command:<14}{base_s:>12.2f}{cur_s:>12.2f}{cur_s / base_s:>8.2f}"
              f"{base_mib:>14.0f}{cur_mib:>13.0f}{cur_mib / base_mib:>8.2f}")


if __name__ == "__main__":
    main()
