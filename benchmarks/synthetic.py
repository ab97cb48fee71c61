"""A synthetic national system in vetkg's own tables, for measuring how costs grow.

The curated tables are copied as they are, and the register gains ``schools`` made-up
institutions, spread over the register's own sponsors, provinces and cities. Each gets
yearly observations of ``indicators`` made-up indicators. Every made-up row cites one
evidence row of a source named ``synthetic``, so nothing of it can pass for the report's.
The output is the same for the same arguments.

    python benchmarks/synthetic.py OUT --schools 11000 --indicators 2 --years 2012-2024
"""

import argparse
import csv
import io
import shutil
from pathlib import Path

from vetkg.build.schema import TABLES
from vetkg.paths import DATA_DIR

SOURCE = ("synthetic,合成数据,synthetic data for benchmarks,synthetic,,"
          "made-up rows for benchmarks; no rights,,,\n")
EVIDENCE = "ev-synthetic,synthetic,synthetic,合成数据\n"
DATASET = "syn-school-stats,合成学校统计,synthetic school statistics,,ev-synthetic\n"
# A code no real school has: the register's codes start with 1 to 5.
CODE_PREFIX = "9"


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8", newline="") as stream:
        stream.write(text)


def generate(out: Path, schools: int, indicators: int = 1, years: range = range(2012, 2025)) -> Path:
    """Write the tables of a synthetic system into ``out`` (a new folder); return it."""
    out = Path(out)
    shutil.copytree(DATA_DIR, out)
    register = out / TABLES["institutions"].path
    rows = list(csv.DictReader(io.StringIO(register.read_text(encoding="utf-8"), newline="")))
    places = sorted({(row["sponsor"], row["city"], row["province"]) for row in rows})
    first = max(int(row["seq"]) for row in rows) + 1
    schools_text, observations = io.StringIO(), io.StringIO()
    writer = csv.writer(schools_text, lineterminator="\r\n")
    for number in range(schools):
        sponsor, city, province = places[number % len(places)]
        code = f"{CODE_PREFIX}{number:09d}"
        writer.writerow([first + number, f"合成职业技术学院{number:05d}", code, sponsor, city,
                         "本科" if number % 3 == 0 else "专科", "", province])
        for indicator in range(indicators):
            for year in years:
                value = (number * 7919 + indicator * 104729 + year * 31) % 100_000
                observations.write(f"syn-{code}-{indicator}-{year},syn-school-stats,syn-indicator-{indicator},"
                                   f"moe-{code},{year},,{value},institution,,ev-synthetic\n")
    _append(register, schools_text.getvalue())
    _append(out / "sources.csv", SOURCE)
    _append(out / "evidence.csv", EVIDENCE)
    _append(out / "datasets.csv", DATASET)
    _append(out / "indicators.csv", "".join(f"syn-indicator-{k},合成指标{k},synthetic indicator {k},"
                                            "ev-synthetic\n" for k in range(indicators)))
    _append(out / "observations.csv", observations.getvalue())
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--schools", type=int, required=True)
    parser.add_argument("--indicators", type=int, default=1)
    parser.add_argument("--years", default="2012-2024", help="first-last")
    args = parser.parse_args()
    first, last = (int(year) for year in args.years.split("-"))
    print(generate(args.out, args.schools, args.indicators, range(first, last + 1)))


if __name__ == "__main__":
    main()
