"""tinkerlab compare against LazyPredict's LazyClassifier: best score and wall time.

Both get the same split of each dataset: tinkerlab's held-out split (80 % train, 20 %
test, stratified, seed 0), written to CSV files. Then

* **tinkerlab**: ``compare(...)`` with a time budget: 11 registry models, 5-fold CV on the
  training rows, ranked by mean CV accuracy; the best is fitted once on all training rows
  and scored once on the test rows. Wall time of the call in this process (starting its
  worker processes included).
* **LazyPredict**: ``LazyClassifier().fit(X_train, X_test, y_train, y_test)``: about 30
  scikit-learn classifiers, each fitted once on the training rows and scored on the test
  rows. It runs in its own virtual environment (created on first use, with
  ``pip install lazypredict``), in a subprocess; wall time of ``fit``.

Printed side by side: tinkerlab's best mean CV accuracy (and the test accuracy of the
model CV chose), LazyPredict's best test accuracy (picked *on* the test rows, so it is
an optimistic number), and the wall times with their ratio.

Run:  python benchmarks/bench_compare.py [--quick] [--budget 60] [--venv PATH]
Targets: tinkerlab's best CV accuracy >= LazyPredict's best; wall time <= 0.3x.
"""

# %%
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tinkerlab.data import load
from tinkerlab.experiment._compare import compare
from tinkerlab.recipe import make_recipe
from tinkerlab.runner import prepare_frame, split

#: Where LazyPredict's own environment lives (kept between runs).
DEFAULT_VENV = Path(tempfile.gettempdir()) / "tinkerlab-lazypredict"

LAZY_SCRIPT = """
import json, sys, time, warnings
import pandas as pd
warnings.filterwarnings("ignore")
from lazypredict.Supervised import LazyClassifier

folder = sys.argv[1]
X_train = pd.read_csv(f"{folder}/X_train.csv")
X_test = pd.read_csv(f"{folder}/X_test.csv")
y_train = pd.read_csv(f"{folder}/y_train.csv")["target"]
y_test = pd.read_csv(f"{folder}/y_test.csv")["target"]
tick = time.perf_counter()
scores = LazyClassifier(verbose=0, ignore_warnings=True, random_state=0).fit(
    X_train, X_test, y_train, y_test
)
wall = time.perf_counter() - tick
scores = scores[0] if isinstance(scores, tuple) else scores
best = scores["Accuracy"].idxmax()
print(json.dumps({
    "wall": wall, "best_model": str(best), "best_accuracy": float(scores.loc[best, "Accuracy"]),
    "models": int(len(scores)),
}))
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
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "lazypredict"],
        check=True,
    )
    return python


def synthetic(rows: int) -> Any:
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=rows, n_features=20, n_informative=10, n_redundant=4, random_state=0
    )
    frame = pd.DataFrame(X, columns=[f"x{i:02d}" for i in range(X.shape[1])])
    frame["label"] = y
    return load(frame, target="label")


def run_lazy(python: Path, dataset: Any) -> dict[str, Any]:
    """LazyClassifier on tinkerlab's split of *dataset*, in its own process."""
    recipe = make_recipe(dataset)
    X, y = prepare_frame(recipe, dataset.frame)
    X_train, X_test, y_train, y_test = split(recipe, X, y)
    with tempfile.TemporaryDirectory() as folder:
        X_train.to_csv(f"{folder}/X_train.csv", index=False)
        X_test.to_csv(f"{folder}/X_test.csv", index=False)
        pd.DataFrame({"target": np.asarray(y_train)}).to_csv(f"{folder}/y_train.csv", index=False)
        pd.DataFrame({"target": np.asarray(y_test)}).to_csv(f"{folder}/y_test.csv", index=False)
        done = subprocess.run(
            [str(python), "-c", LAZY_SCRIPT, folder], capture_output=True, text=True, check=False
        )
    if done.returncode != 0:
        raise RuntimeError(f"LazyPredict failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# %%
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 000 synthetic rows, 30 s budget")
    parser.add_argument("--budget", type=float, default=None, help="tinkerlab's budget (s)")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--only", default=None, help="one dataset: breast_cancer, digits...")
    args = parser.parse_args()
    budget = args.budget or (30.0 if args.quick else 60.0)
    rows = 5_000 if args.quick else 20_000

    python = lazy_python(args.venv)
    cases = [
        ("breast_cancer", lambda: load("breast_cancer")),
        ("digits", lambda: load("digits")),
        (f"synthetic {rows // 1000}k", lambda: synthetic(rows)),
    ]
    print(f"tinkerlab compare (budget {budget:g} s) vs LazyPredict LazyClassifier\n")
    header = (
        f"{'dataset':<16} {'tinkerlab best (CV acc)':<34} {'its test':>8}   "
        f"{'LazyPredict best (test acc)':<40} {'tl wall':>8} {'lazy wall':>9} {'ratio':>6}"
    )
    print(header)
    for name, make in cases:
        if args.only and not name.startswith(args.only):
            continue
        dataset = make()
        tick = time.perf_counter()
        ours = compare(dataset, budget=budget)
        ours_wall = time.perf_counter() - tick
        lazy = run_lazy(python, dataset)
        best = ours.results[0]
        cv_acc = best.mean("accuracy")
        test_acc = ours.test_scores.get("accuracy", float("nan"))
        stopped = [r.model for r in ours.results if r.status != "done"]
        ours_text = f"{best.model} {cv_acc:.4f}"
        lazy_text = f"{lazy['best_model']} {lazy['best_accuracy']:.4f} ({lazy['models']} models)"
        ratio = ours_wall / lazy["wall"]
        print(
            f"{name:<16} {ours_text:<34} {test_acc:>8.4f}   {lazy_text:<40} "
            f"{ours_wall:>7.1f}s {lazy['wall']:>8.1f}s {ratio:>5.2f}x",
            flush=True,
        )
        score_ok = "met" if cv_acc >= lazy["best_accuracy"] else "NOT met"
        like_for_like = "yes" if test_acc >= lazy["best_accuracy"] else "no"
        wall_ok = "met" if ratio <= 0.3 else "NOT met"
        print(
            f"{'':<16} score target, CV >= LazyPredict's test ({score_ok}); CV winner's test "
            f">= LazyPredict's best test ({like_for_like}); wall target ({wall_ok})"
            + (f"; stopped by the budget: {', '.join(stopped)}" if stopped else ""),
            flush=True,
        )


if __name__ == "__main__":
    main()
