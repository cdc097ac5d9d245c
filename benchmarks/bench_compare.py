"""tinkerlab compare against LazyPredict: wall time and the best model's test score.

Five tables, each split once by tinkerlab's hold-out split (80 % train, 20 % test,
stratified for classification, seed 0) and written to CSV files, so both see the same
rows: breast_cancer and digits (classification), a 20 000-row synthetic classification
table (``make_classification``, 20 features), diabetes and house_prices (regression).

* **tinkerlab**: ``compare(dataset, budget=...)`` in this process: the registry's models
  raced by successive halving over 5 paired folds of the training rows, the winner chosen
  by its mean CV score, fitted once on all training rows and scored **once** on the test
  rows. Wall time of the call (worker processes started inside it, when it uses them).
* **LazyPredict** (``LazyClassifier`` / ``LazyRegressor``, default settings): every
  scikit-learn estimator of the task (24 classifiers, 40 regressors) fitted once on the
  training rows and scored on the test rows, in its own virtual environment (created on
  first use with ``pip install lazypredict``; it never enters tinkerlab's dependencies),
  in a subprocess; wall time of ``fit``. Its "best" is picked *on* the test rows: the
  maximum of many test scores, an optimistic number.

Each table is run ``--repeats`` times, tinkerlab and LazyPredict alternating (which goes
first alternates too), so a change in the machine's load hits both; the medians are
printed, and the ratio is the median of the paired ratios. On a shared machine the wall
time follows the other programs' load, so the CPU time of each call (``process_time``:
this process and its threads, not worker processes) is printed beside it: it moves far
less with the load, except where OpenMP threads spin while they wait for a core.

Run:  python benchmarks/bench_compare.py [--quick] [--repeats 3] [--only digits]
Targets: wall <= 0.5x LazyPredict's, and the CV winner's test score >= LazyPredict's best
test score, each on at least 4 of the 5 tables.
"""

# %%
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tinkerlab.data import load
from tinkerlab.experiment import compare
from tinkerlab.recipe import make_recipe
from tinkerlab.runner import prepare_frame, split

#: Where LazyPredict's own environment lives (kept between runs; outside the repository).
DEFAULT_VENV = Path(tempfile.gettempdir()) / "tinkerlab-lazypredict"
WALL_TARGET = 0.5  # tinkerlab's wall / LazyPredict's, at most
TABLES_TO_MEET = 4  # of 5

LAZY_SCRIPT = """
import json, sys, time, warnings
import pandas as pd
warnings.filterwarnings("ignore")
from lazypredict.Supervised import LazyClassifier, LazyRegressor

folder, task = sys.argv[1], sys.argv[2]
X_train = pd.read_csv(f"{folder}/X_train.csv")
X_test = pd.read_csv(f"{folder}/X_test.csv")
y_train = pd.read_csv(f"{folder}/y_train.csv")["target"]
y_test = pd.read_csv(f"{folder}/y_test.csv")["target"]
kind, column = (LazyClassifier, "Accuracy") if task == "classification" else (
    LazyRegressor, "R-Squared")
tick, cpu = time.perf_counter(), time.process_time()
scores = kind(verbose=0, ignore_warnings=True, random_state=0).fit(
    X_train, X_test, y_train, y_test)
wall, cpu = time.perf_counter() - tick, time.process_time() - cpu
scores = scores[0] if isinstance(scores, tuple) else scores
best = scores[column].idxmax()
print(json.dumps({"wall": wall, "cpu": cpu, "best_model": str(best),
                  "best": float(scores.loc[best, column]), "models": int(len(scores))}))
"""


# %%
def lazy_python(venv: Path) -> Path:
    """LazyPredict's interpreter, installing it into its own venv the first time."""
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import lazypredict"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    print(f"installing lazypredict into {venv} (once)...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "lazypredict"], check=True)
    return python


def synthetic(rows: int) -> Any:
    """make_classification: 20 features, 10 informative, 4 redundant, two classes."""
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=rows, n_features=20, n_informative=10, n_redundant=4, random_state=0
    )
    frame = pd.DataFrame(X, columns=[f"x{i:02d}" for i in range(X.shape[1])])
    frame["label"] = y
    return load(frame, target="label")


def write_split(dataset: Any, folder: str) -> str:
    """tinkerlab's hold-out split of *dataset* as CSV files for LazyPredict; the task."""
    recipe = make_recipe(dataset)
    X, y = prepare_frame(recipe, dataset.frame)
    X_train, X_test, y_train, y_test = split(recipe, X, y)
    X_train.to_csv(f"{folder}/X_train.csv", index=False)
    X_test.to_csv(f"{folder}/X_test.csv", index=False)
    pd.DataFrame({"target": np.asarray(y_train)}).to_csv(f"{folder}/y_train.csv", index=False)
    pd.DataFrame({"target": np.asarray(y_test)}).to_csv(f"{folder}/y_test.csv", index=False)
    return str(recipe.task)


def run_lazy(python: Path, folder: str, task: str) -> dict[str, Any]:
    """LazyClassifier / LazyRegressor on the split in *folder*, in its own process."""
    done = subprocess.run(
        [str(python), "-c", LAZY_SCRIPT, folder, task], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"LazyPredict failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_ours(dataset: Any, budget: float) -> dict[str, Any]:
    tick, cpu = time.perf_counter(), time.process_time()
    board = compare(dataset, budget=budget)
    wall, cpu = time.perf_counter() - tick, time.process_time() - cpu
    name = board.metric.name
    return {
        "wall": wall,
        "cpu": cpu,
        "best_model": board.best or "(none finished)",
        "test": board.test_scores.get(name, float("nan")),
        "where": "this process" if board.in_process else f"{board.workers} workers",
        "fits": sum(r.folds_done for r in board.results),
    }


# %%
def measure(
    name: str, make: Callable[[], Any], repeats: int, budget: float, python: Path
) -> dict[str, Any]:
    """*repeats* alternating runs of both on one table; medians and paired ratios."""
    dataset = make()
    ours: list[dict[str, Any]] = []
    lazy: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        task = write_split(dataset, folder)
        for i in range(repeats):
            steps = [lambda: ours.append(run_ours(dataset, budget)),
                     lambda: lazy.append(run_lazy(python, folder, task))]  # fmt: skip
            for step in steps if i % 2 == 0 else steps[::-1]:
                step()
    ratios = [o["wall"] / lp["wall"] for o, lp in zip(ours, lazy, strict=True)]
    cpu_ratios = [o["cpu"] / lp["cpu"] for o, lp in zip(ours, lazy, strict=True)]
    return {
        "name": name,
        "task": task,
        "ours": ours[-1] | {k: statistics.median(o[k] for o in ours) for k in ("wall", "cpu")},
        "lazy": lazy[-1] | {k: statistics.median(lp[k] for lp in lazy) for k in ("wall", "cpu")},
        "ratio": statistics.median(ratios),
        "ratios": ratios,
        "cpu_ratio": statistics.median(cpu_ratios),
    }


def report(row: dict[str, Any]) -> tuple[bool, bool]:
    """Print one table's line; (wall target met, score target met)."""
    ours, lazy = row["ours"], row["lazy"]
    wall_ok = row["ratio"] <= WALL_TARGET
    score_ok = ours["test"] >= lazy["best"] - 1e-12
    metric = "accuracy" if row["task"] == "classification" else "R²"
    spread = ", ".join(f"{r:.2f}" for r in row["ratios"])
    print(
        f"{row['name']:<15} {ours['wall']:>7.1f}s {lazy['wall']:>8.1f}s {row['ratio']:>6.2f}x "
        f"({spread}) {'met' if wall_ok else 'NOT met':<8} "
        f"{ours['best_model']:<19} {ours['test']:>7.4f}   "
        f"{lazy['best_model'][:29]:<29} {lazy['best']:>7.4f} ({lazy['models']})  "
        f"{'met' if score_ok else 'NOT met'} [{metric}; ours {ours['where']}, {ours['fits']} fits]"
        f"\n{'':<15} CPU {ours['cpu']:>6.2f}s {lazy['cpu']:>8.2f}s {row['cpu_ratio']:>6.2f}x "
        "(medians; CPU of this process, its threads included)",
        flush=True,
    )
    return wall_ok, score_ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 000 synthetic rows")
    parser.add_argument("--repeats", type=int, default=3, help="paired runs per table")
    parser.add_argument(
        "--synthetic-repeats", type=int, default=1, help="paired runs of the synthetic table"
    )
    parser.add_argument("--budget", type=float, default=60.0, help="tinkerlab's budget (s)")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--only", default=None, help="one table: breast_cancer, digits...")
    args = parser.parse_args()
    rows = 5_000 if args.quick else 20_000
    python = lazy_python(args.venv)
    cases: list[tuple[str, Callable[[], Any], int]] = [
        ("breast_cancer", lambda: load("breast_cancer"), args.repeats),
        ("digits", lambda: load("digits"), args.repeats),
        (f"synthetic {rows // 1000}k", lambda: synthetic(rows), args.synthetic_repeats),
        ("diabetes", lambda: load("diabetes"), args.repeats),
        ("house_prices", lambda: load("house_prices"), args.repeats),
    ]
    print(
        f"tinkerlab compare (budget {args.budget:g} s) vs LazyPredict, paired runs; "
        f"{os.cpu_count()} cores, load average at start {os.getloadavg()[0]:.1f} "
        "(a shared machine: figures are noisy)\n"
    )
    print(
        f"{'table':<15} {'ours':>8} {'Lazy':>9} {'ratio':>7} {'(runs)':<8} {'wall':<8} "
        f"{'our CV winner':<19} {'test':>7}   {'LazyPredict best on test':<29} {'test':>7} "
        "     score"
    )
    met_wall = met_score = 0
    for name, make, repeats in cases:
        if args.only and not name.startswith(args.only):
            continue
        wall_ok, score_ok = report(measure(name, make, repeats, args.budget, python))
        met_wall, met_score = met_wall + wall_ok, met_score + score_ok
    print(
        f"\nwall <= {WALL_TARGET}x LazyPredict's: met on {met_wall} tables; CV winner's test "
        f">= LazyPredict's best test: met on {met_score} (target: {TABLES_TO_MEET} of 5 "
        f"each). Load average at the end {os.getloadavg()[0]:.1f}."
    )


if __name__ == "__main__":
    main()
