"""Fast exact sweeps against the naive loop: one fit per value and fold.

On a synthetic classification table (20 000 rows, 20 numeric features), the recipe's
training split (80 %) and 5 paired folds, each sweep is run twice:

* **naive**: for every value and every fold, build the pipeline, fit it, score it on the
  fold's training and validation rows (what ``tinkerlab tinker`` does for any knob that
  has no fast path, and what a learner's own loop does);
* **fast**: ``tinkerlab.experiment._fast`` (one fit per fold serves every value);
* **tinker**: the whole ``tinkerlab.experiment.tinker`` call that ``tinkerlab tinker``
  makes (split, folds, the engine's fast-path jobs, the dummy baseline, the statistics
  and the plot), whose fold scores must equal the fast path's; timed twice: in this
  process (``n_jobs=1``, like for like with the one-process naive loop) and as
  ``tinkerlab tinker`` runs by default (the engine's fold jobs on every core).

Both score the metric the sweep shows (accuracy; ``tinkerlab tinker`` scores only that
one, since each extra metric costs about as much as a fit of a fast model), or every
classification metric with ``--all-metrics``. Both run single-threaded in this process
and must give *identical* scores: the script checks every number with ``==``.

The grids: random forest ``n_estimators`` on tinkerlab's default sweep (8 values from 1
to 300, log-spaced); kNN ``n_neighbors`` every k from 1 to 60; gradient boosting
``max_iter`` every 10 rounds from 10 to 300 (the training folds have 12 800 rows, so
scikit-learn's ``early_stopping="auto"`` is on, in both paths).

Run:  python benchmarks/bench_sweeps.py [--quick] [--rows 20000] [--cv 5] [--all-metrics]
Targets (fast vs naive): kNN >= 30x, gradient boosting >= 5x, random forest >= 1.8x,
identical scores; the whole default ``tinker`` of the forest >= 2x the naive loop.

The forest's one-process ratio is bounded by the grid: the naive loop grows
1 + 2 + 5 + 12 + 26 + 59 + 133 + 300 = 538 trees per fold, the fast path the 300 of
the largest value, so no exact path can beat 538 / 300 = 1.79x in one process; the
default ``tinker`` also spreads the folds over the cores, as the naive loop (a plain
``for`` loop, as a learner writes it) does not.
"""

# %%
from __future__ import annotations

import argparse
import os
import time
import warnings
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from tinkerlab.data import load
from tinkerlab.experiment import paired_folds, tinker
from tinkerlab.experiment._fast import fast_path_for
from tinkerlab.recipe import build_pipeline, make_recipe, metrics_for
from tinkerlab.runner import prepare_frame, split

#: The whole default tinker of a forest against the naive loop, at least.
END_TO_END_TARGET = 2.0
#: (model, knob, values, target speed-up)
CASES: list[tuple[str, str, list[int], float]] = [
    ("random_forest", "n_estimators", [1, 2, 5, 12, 26, 59, 133, 300], 1.8),
    ("knn", "n_neighbors", list(range(1, 61)), 30.0),
    ("gradient_boosting", "max_iter", list(range(10, 301, 10)), 5.0),
]


# %%
def synthetic(rows: int) -> Any:
    """A tinkerlab Dataset: make_classification with 20 features, 10 of them informative."""
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=rows, n_features=20, n_informative=10, n_redundant=4, random_state=0
    )
    frame = pd.DataFrame(X, columns=[f"x{i:02d}" for i in range(X.shape[1])])
    frame["label"] = np.where(y == 1, "yes", "no")
    return load(frame, target="label")


def naive(
    recipe: Any, knob: str, values: list[int], X: Any, y: Any, fold: Any, metrics: Any
) -> dict[int, dict[str, dict[str, float]]]:
    """The plain loop on one fold: a fresh pipeline per value, scored on both sides."""
    from sklearn.metrics import check_scoring

    scoring = {m.name: m.scorer for m in metrics}
    signs = {m.name: m.sign for m in metrics}
    train, test = fold
    out: dict[int, dict[str, dict[str, float]]] = {}
    for value in values:
        point = recipe.with_changes(params={**recipe.params, knob: value})
        pipeline = build_pipeline(point).fit(X.iloc[train], y.iloc[train])
        scorer = check_scoring(pipeline, scoring=scoring)
        out[value] = {
            side: {
                name: float(signs[name] * score)
                for name, score in scorer(pipeline, X.iloc[rows], y.iloc[rows]).items()
            }
            for side, rows in (("train", train), ("test", test))
        }
    return out


def identical(fast: dict[int, Any], slow: dict[int, Any]) -> tuple[int, int]:
    """(scores that are equal with ==, scores compared) on one fold."""
    same = total = 0
    for value, scores in slow.items():
        for side in ("train", "test"):
            for name, score in scores[side].items():
                same += fast[value][side][name] == score
                total += 1
    return same, total


# %%
def main() -> None:
    with threadpool_limits(limits=1):  # one BLAS / OpenMP thread: both paths single-threaded
        _main()


def _main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 000 rows and 3 folds")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--cv", type=int, default=None)
    parser.add_argument("--only", default=None, help="one model: random_forest, knn, ...")
    parser.add_argument("--all-metrics", action="store_true", help="score every metric")
    args = parser.parse_args()
    rows = args.rows or (5_000 if args.quick else 20_000)
    cv = args.cv or (3 if args.quick else 5)
    warnings.simplefilter("ignore")  # convergence / undefined-metric chatter, same on both sides

    dataset = synthetic(rows)
    scored = "every classification metric" if args.all_metrics else "accuracy"
    print(
        f"synthetic classification: {rows} rows x 20 features, {cv} paired folds, {scored}; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (a shared machine)\n"
    )
    print(
        f"{'sweep':<46} {'naive':>9} {'fast':>9} {'ratio':>7} {'target':>7}  identical scores"
        f"  {'tinker, 1 process':>9} {'ratio':>7}  {'tinker, default':>9} {'ratio':>7}"
        "  same as fast"
    )
    for model, knob, values, target in CASES:
        if args.only and model != args.only:
            continue
        recipe = make_recipe(dataset, model=model, cv_folds=cv)
        X, y = prepare_frame(recipe, dataset.frame)
        X_train, _, y_train, _ = split(recipe, X, y)
        folds = paired_folds(recipe, X_train, y_train, repeats=1)
        metrics = metrics_for(recipe.task, 2, build_pipeline(recipe))
        metrics = metrics if args.all_metrics else metrics[:1]  # accuracy
        path = fast_path_for(recipe, knob)
        assert path is not None

        # Fold by fold, fast then naive: a change in the machine's load hits both alike.
        fast_s = naive_s = 0.0
        same = total = 0
        by_fold: dict[int, list[float]] = {}  # value -> fast validation score per fold
        for train, test in folds:
            fit_rows = (X_train.iloc[train], y_train.iloc[train])
            valid_rows = (X_train.iloc[test], y_train.iloc[test])
            tick = time.perf_counter()
            fast = path.sweep_fold(recipe, values, *fit_rows, *valid_rows, metrics)
            fast_s += time.perf_counter() - tick
            tick = time.perf_counter()
            slow = naive(recipe, knob, values, X_train, y_train, (train, test), metrics)
            naive_s += time.perf_counter() - tick
            agree, compared = identical(fast, slow)
            same, total = same + agree, total + compared
            for value in values:
                by_fold.setdefault(value, []).append(fast[value]["test"][metrics[0].name])

        tick = time.perf_counter()
        ex = tinker(dataset, knob, values, model=model, cv=cv, repeats=1, n_jobs=1)
        tinker_s = time.perf_counter() - tick
        engine_same = [p.test[metrics[0].name] for p in ex.points] == list(by_fold.values())
        tick = time.perf_counter()
        ex = tinker(dataset, knob, values, model=model, cv=cv, repeats=1)  # as by default
        default_s = time.perf_counter() - tick
        engine_same &= [p.test[metrics[0].name] for p in ex.points] == list(by_fold.values())
        ratio = naive_s / fast_s
        label = f"{model} {knob} ({values[0]}…{values[-1]}, {len(values)} values)"
        verdict = "met" if ratio >= target and same == total else "NOT met"
        end_to_end = naive_s / default_s
        met = "met" if end_to_end >= END_TO_END_TARGET else "NOT met"
        whole = f" (target {END_TO_END_TARGET:g}x: {met})" if model == "random_forest" else ""
        print(
            f"{label:<46} {naive_s:>8.1f}s {fast_s:>8.1f}s {ratio:>6.1f}x {target:>6.1f}x  "
            f"{same}/{total}  ({verdict})  {tinker_s:>8.1f}s {naive_s / tinker_s:>6.1f}x  "
            f"{default_s:>8.1f}s {end_to_end:>6.1f}x{whole}  {'yes' if engine_same else 'NO'}",
            flush=True,
        )


if __name__ == "__main__":
    main()
