"""Benchmark: `tinkerlab look` against ydata-profiling, and a 1 GB CSV streamed.

Two measurements, each printed with its baseline from the same run:

1. **100,000 rows × 30 columns** (20 numbers, 8 categories, 1 date, a target), the same
   CSV file for both: ``tinkerlab.report.look(path, target=...)`` and writing its HTML
   report, against ydata-profiling's default ``ProfileReport(frame).to_file(...)``
   (reading the CSV with pandas included). Each runs in a fresh process; imports are
   timed apart from the work. Goal: under 5 s, and at least 5× faster.
2. **A 1 GB CSV** generated into a temporary folder (deleted afterwards), looked at in
   a fresh process: wall time and peak memory (the child's maximum resident set size).
   Goal: under 60 s, peak memory at most 2× the file.

ydata-profiling is never a dependency of tinkerlab: it lives in the benchmark's own
virtual environment (``--peer-venv``, default ``/tmp/tinkerlab-bench-ydata``), created
with ``python -m venv`` and ``pip install ydata-profiling`` when missing.

Usage::

    python benchmarks/bench_look.py                  # both parts
    python benchmarks/bench_look.py --skip-big       # only the comparison
    python benchmarks/bench_look.py --big-gb 0.2     # a smaller "big" file
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SOURCE = Path(__file__).resolve().parents[1] / "src"

OURS = """
import json, sys, time
tick = time.perf_counter()
from tinkerlab.report import look
imported = time.perf_counter() - tick
tick = time.perf_counter()
result = look(sys.argv[1], target="target", stream={stream})
result.to_html(sys.argv[2])
work = time.perf_counter() - tick
cpu = time.process_time()
import resource
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KB on Linux
print(json.dumps({{"import": imported, "work": work, "cpu": cpu, "rows": result.rows, "peak": peak,
                  "sampled": result.sampling is not None, "alerts": len(result.alerts),
                  "timings": result.timings}}))
"""

PEER = """
import json, sys, time
tick = time.perf_counter()
import pandas as pd
from ydata_profiling import ProfileReport
imported = time.perf_counter() - tick
tick = time.perf_counter()
frame = pd.read_csv(sys.argv[1])
ProfileReport(frame, title="bench", progress_bar=False).to_file(sys.argv[2])
work = time.perf_counter() - tick
print(json.dumps({"import": imported, "work": work, "cpu": time.process_time()}))
"""


def make_table(rows: int, seed: int = 0):  # -> pyarrow.Table
    """rows × 30: 20 numbers (some skewed, some empty), 8 categories, a date, a target."""
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    columns: dict[str, object] = {}
    base = rng.normal(size=rows)
    for i in range(20):
        x = rng.normal(size=rows) + (base if i % 4 == 0 else 0)
        if i % 5 == 1:
            x = np.exp(x)  # skewed
        if i % 6 == 2:
            x[rng.random(rows) < 0.1] = np.nan  # 10 % empty
        columns[f"num_{i}"] = np.round(x, 4)
    for i in range(8):
        k = (3, 5, 12, 40, 200, 4, 7, 2)[i]
        columns[f"cat_{i}"] = pa.array(np.char.add("c", rng.integers(0, k, rows).astype(str)))
    days = rng.integers(0, 2000, rows)
    columns["day"] = pa.array(np.datetime64("2018-01-01") + days.astype("timedelta64[D]")).cast(
        pa.string()
    )
    columns["target"] = pa.array(np.where(base + rng.normal(size=rows) > 0.8, "yes", "no"))
    return pa.table(columns)


def write_csv(path: Path, rows: int, chunk: int = 250_000) -> None:
    """Write *rows* rows in chunks (memory stays one chunk)."""
    from pyarrow import csv

    with csv.CSVWriter(path, make_table(1).schema) as writer:
        for start in range(0, rows, chunk):
            writer.write_table(make_table(min(chunk, rows - start), seed=start))


def run_child(python: str, code: str, *args: str, env: dict[str, str]) -> tuple[dict, float]:
    """Run *code* in a fresh process: (its JSON, wall seconds)."""
    tick = time.perf_counter()
    done = subprocess.run(
        [python, "-c", code, *args], capture_output=True, text=True, env=env, check=False
    )
    wall = time.perf_counter() - tick
    if done.returncode != 0:
        raise SystemExit(f"child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]), wall


def peer_python(venv: Path) -> str:
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"creating the peer's own venv in {venv} (pip install ydata-profiling)...")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "ydata-profiling", "setuptools"],
            check=True,
        )
    return str(python)


def compare(folder: Path, rows: int, venv: Path, env: dict[str, str]) -> None:
    path = folder / "bench_100k.csv"
    write_csv(path, rows)
    size = path.stat().st_size
    print(f"\n== {rows:,} rows × 30 columns ({size / 1024**2:.1f} MB CSV)")
    ours, ours_wall = run_child(
        sys.executable, OURS.format(stream="None"), str(path), str(folder / "ours.html"), env=env
    )
    print(
        f"tinkerlab look:   {ours['work']:.2f} s (read + profile + HTML; imports "
        f"{ours['import']:.2f} s; process {ours_wall:.2f} s, CPU {ours['cpu']:.2f} s) — "
        f"{ours['alerts']} alerts, steps {ours['timings']}"
    )
    peer, peer_wall = run_child(
        peer_python(venv), PEER, str(path), str(folder / "peer.html"), env=env
    )
    print(
        f"ydata-profiling:  {peer['work']:.2f} s (read + ProfileReport default + to_file; "
        f"imports {peer['import']:.2f} s; process {peer_wall:.2f} s, CPU {peer['cpu']:.2f} s)"
    )
    print(
        f"ratio:            {peer['work'] / ours['work']:.1f}× faster in wall time, "
        f"{peer['cpu'] / ours['cpu']:.1f}× in CPU time (goal ≥ 5×; under 5 s)"
    )


def big(folder: Path, gigabytes: float, env: dict[str, str]) -> None:
    path = folder / "bench_big.csv"
    per_row = 200  # bytes, about, for this table
    rows = int(gigabytes * 1024**3 / per_row)
    tick = time.perf_counter()
    write_csv(path, rows)
    size = path.stat().st_size
    print(
        f"\n== a {size / 1024**3:.2f} GB CSV ({rows:,} rows × 30 columns; written in "
        f"{time.perf_counter() - tick:.0f} s)"
    )
    result, wall = run_child(
        sys.executable, OURS.format(stream="None"), str(path), str(folder / "big.html"), env=env
    )
    print(
        f"tinkerlab look:   {result['work']:.1f} s (process {wall:.1f} s, CPU "
        f"{result['cpu']:.1f} s; goal < 60 s); "
        f"streamed: {result['sampled']}; rows {result['rows']:,}"
    )
    peak = result["peak"]
    print(
        f"peak memory:      {peak / 1024**2:,.0f} MB = {peak / size:.2f}× the file "
        "(goal ≤ 2×; the child's maximum resident set size)"
    )
    path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--big-gb", type=float, default=1.0)
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--skip-peer", action="store_true")
    parser.add_argument("--peer-venv", type=Path, default=Path("/tmp/tinkerlab-bench-ydata"))
    args = parser.parse_args()
    env = {
        **os.environ,
        "PYTHONPATH": f"{SOURCE}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
        "TINKERLAB_HOME": tempfile.mkdtemp(prefix="bench-look-home-"),
    }
    print(
        f"machine: {os.cpu_count()} cores (shared with other work: figures vary run to run), "
        f"Python {sys.version.split()[0]}"
    )
    folder = Path(tempfile.mkdtemp(prefix="bench-look-"))
    try:
        if not args.skip_peer:
            compare(folder, args.rows, args.peer_venv, env)
        if not args.skip_big:
            big(folder, args.big_gb, env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(env["TINKERLAB_HOME"], ignore_errors=True)


if __name__ == "__main__":
    main()
