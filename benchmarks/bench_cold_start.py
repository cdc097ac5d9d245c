"""Cold start: `tinkerlab run iris` against a plain scikit-learn script doing the same work.

Both are fresh processes (Python start-up and imports included), timed alternately so
that machine noise hits both alike. The baseline is the script tinkerlab itself writes
for that run (`--script`): pandas + scikit-learn only, same split, same folds, same
model, same baseline model, the same printed numbers. tinkerlab additionally records
the run in the journal, draws its plots and computes permutation importances; that
extra work is what the ratio measures.

Run:  python benchmarks/bench_cold_start.py [--repeats 7]
Target: ratio (tinkerlab / plain) <= 1.15.
"""

# %%
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(command: list[str], env: dict[str, str]) -> float:
    """Wall time of one fresh process, in seconds; fail loudly if it fails."""
    tick = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - tick


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="tinkerlab-bench-"))
    env = {**os.environ, "TINKERLAB_HOME": str(home), "OMP_NUM_THREADS": "1"}
    tinkerlab = shutil.which("tinkerlab") or sys.exit(
        "tinkerlab is not installed: pip install -e ."
    )
    script = home / "plain_iris.py"
    # Write the baseline script (and warm the file cache and the journal's schema once).
    subprocess.run(
        [tinkerlab, "run", "iris", "--script", str(script), "--json"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )

    ours, plain = [], []
    for _ in range(args.repeats):
        ours.append(timed([tinkerlab, "run", "iris", "--json"], env))
        plain.append(timed([sys.executable, str(script)], env))
    shutil.rmtree(home, ignore_errors=True)

    ours_median, plain_median = statistics.median(ours), statistics.median(plain)
    print(
        f"tinkerlab run iris      median {ours_median:.3f} s   (runs: "
        + ", ".join(f"{t:.2f}" for t in ours)
        + ")"
    )
    print(
        f"plain sklearn script    median {plain_median:.3f} s   (runs: "
        + ", ".join(f"{t:.2f}" for t in plain)
        + ")"
    )
    ratio = ours_median / plain_median
    print(
        f"ratio tinkerlab / plain: {ratio:.2f}  (target <= 1.15: "
        f"{'met' if ratio <= 1.15 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
