"""Thread oversubscription: a gradient boosting fit with every core's OpenMP threads, and
capped at the cores other programs leave idle (what `tinkerlab run` does).

On a quiet machine the two are alike (idle_cores() is every core). On a busy one,
OpenMP's threads wait at the end of each parallel region for a thread the operating
system has parked, many times per tree: a 2-core machine at load 8 took 19-31 s for this
fit with two threads and 1 s with one. Timed alternately in this process.

Run:  python benchmarks/bench_threads.py [--repeats 3]
Target: ratio (capped / all threads) <= 1.1 on a quiet machine, far below 1 on a busy one.
"""

# %%
from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    from tinkerlab._threads import cores, idle_cores, limited_threads

    rng = np.random.default_rng(0)
    X = rng.normal(size=(6366, 25))  # (n, d): the size of the table in the report
    y = (X[:, 0] - 0.5 * X[:, 1] + rng.normal(size=len(X)) > 0).astype(int)
    capped, every = [], []
    for _ in range(args.repeats):
        with limited_threads(idle_cores()):
            tick = time.perf_counter()
            HistGradientBoostingClassifier(random_state=0).fit(X, y)
            capped.append(time.perf_counter() - tick)
        with threadpool_limits(limits=cores()):
            tick = time.perf_counter()
            HistGradientBoostingClassifier(random_state=0).fit(X, y)
            every.append(time.perf_counter() - tick)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {cores()} cores, load {load:.1f}, idle cores {idle_cores()}")
    print(f"capped at idle cores    median {statistics.median(capped):.2f} s")
    print(f"every core ({cores()} threads) median {statistics.median(every):.2f} s")
    ratio = statistics.median(capped) / statistics.median(every)
    print(f"ratio capped / every core: {ratio:.2f}")


if __name__ == "__main__":
    main()
