"""A wide table: `tinkerlab.load` of 500 rows × 10,000 columns against pandas reading it.

The table mixes constant, counting-up (id), numeric and categorical columns, as wide
tables from spreadsheets and feature stores do. tinkerlab reads it, fingerprints it and
decides every column's role with a reason (measuring the columns in NumPy blocks,
``data/_profile.py``); the baseline is the part no tool can skip: ``pd.read_csv`` and
one ``nunique`` per column. Timed alternately in this process, so that machine noise
hits both alike. Before the block measurements the load took 54 s here, and printed
2,000 notices; the notice count is printed too.

Run:  python benchmarks/bench_wide_table.py [--repeats 3] [--columns 10000]
Target: ratio (tinkerlab / pandas) <= 3.
"""

# %%
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def wide_csv(path: Path, n_rows: int, n_columns: int) -> None:
    """Write the table: a tenth constant, a tenth ids, half numbers, the rest categories."""
    rng = np.random.default_rng(0)
    columns = {}
    for j in range(n_columns):
        kind = j % 10
        if kind == 0:
            columns[f"c{j}"] = np.full(n_rows, 7)
        elif kind == 1:
            columns[f"c{j}"] = np.arange(n_rows) + j
        elif kind < 7:
            columns[f"c{j}"] = rng.normal(size=n_rows).round(3)
        else:
            columns[f"c{j}"] = rng.choice(["a", "b", "c", "d"], size=n_rows)
    columns["y"] = rng.choice(["yes", "no"], size=n_rows)
    pd.DataFrame(columns).to_csv(path, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--columns", type=int, default=10_000)
    args = parser.parse_args()
    from tinkerlab.data import load

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wide.csv"
        wide_csv(path, 500, args.columns)
        ours, plain, notices = [], [], 0
        for _ in range(args.repeats):
            tick = time.perf_counter()
            notices = len(load(path, target="y").notices)
            ours.append(time.perf_counter() - tick)
            tick = time.perf_counter()
            pd.read_csv(path).nunique()
            plain.append(time.perf_counter() - tick)

    ours_median, plain_median = statistics.median(ours), statistics.median(plain)
    print(f"tinkerlab load          median {ours_median:.2f} s   ({notices} notices)")
    print(f"pandas read + nunique   median {plain_median:.2f} s")
    ratio = ours_median / plain_median
    verdict = "met" if ratio <= 3 else "NOT met"
    print(f"ratio tinkerlab / pandas: {ratio:.2f}  (target <= 3: {verdict})")


if __name__ == "__main__":
    main()
