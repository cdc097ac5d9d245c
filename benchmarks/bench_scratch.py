"""Scratch twins against scikit-learn: fit and predict time on the same synthetic data.

Each twin and its scikit-learn original get the same rows (``sklearn.datasets.make_*``,
seeded) and the same parameters; we time fit and predict for both in this one run and
print the ratio (ours / scikit-learn's, on the operation that matters: fit + predict,
predict only for kNN, whose fit just stores the rows) and the parity we measured
(share of identical predictions, or the largest difference).

Sizes: 100k rows for the vectorisable ones (linear and logistic regression, kNN with
1k queries, k-means, PCA), 10k rows for the decision tree and the MLP, whose Python
loops over nodes and mini-batches are the point of reading them. ``--quick`` divides
every size by 10.

Times are the best of at least ``--repeats`` runs (3; more for fast cases, until each
side has run a second), the two sides alternating: the first call on a large array pays
for page faults and BLAS start-up, and a shared machine is noisy.

Run:  python benchmarks/bench_scratch.py [--quick] [--repeats 3]   (about 3 minutes in full)
Target: the vectorisable twins within 3× of scikit-learn.
"""

# %%
from __future__ import annotations

import argparse
import os
import platform
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sklearn
from scipy.optimize import linear_sum_assignment
from sklearn import cluster, datasets, decomposition, linear_model, neighbors, neural_network, tree
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics.cluster import contingency_matrix
from sklearn.preprocessing import StandardScaler

from tinkerlab import scratch

TARGET_RATIO = 3.0
SEED = 0


@dataclass
class Case:
    """One twin against its original: the data, both estimators, how to judge parity."""

    name: str
    rows: int  # training rows
    data: Callable[[int], tuple[Any, Any, Any]]  # rows -> (X_train, y_train, X_query)
    ours: Callable[[], Any]
    theirs: Callable[[], Any]
    parity: str  # "labels", "clusters" or "values"
    vectorised: bool  # held to the 3x target
    timed: str = "fit + predict"  # which operations the ratio compares
    why_slower: str = ""  # the reason, printed if it misses the target; may use {ours}, {theirs}


# %% Data: seeded synthetic tables, standardised where the model wants it


def regression(n: int) -> tuple[Any, Any, Any]:
    X, y = datasets.make_regression(n, 20, noise=10.0, random_state=SEED)
    return X, y, X


def classification(n: int, features: int = 20) -> tuple[Any, Any, Any]:
    X, y = datasets.make_classification(
        n, features, n_informative=10, n_classes=3, random_state=SEED
    )
    X = StandardScaler().fit_transform(X)
    return X, y, X


def knn_data(n: int) -> tuple[Any, Any, Any]:
    X, y = datasets.make_classification(n + n // 100, 20, n_informative=10, random_state=SEED)
    return X[:n], y[:n], X[n:]  # n training rows, n/100 queries (1k for 100k)


def blobs(n: int) -> tuple[Any, Any, Any]:
    X, _ = datasets.make_blobs(n, 10, centers=8, cluster_std=1.0, random_state=SEED)
    return X, None, X


def wide(n: int) -> tuple[Any, Any, Any]:
    X, _ = datasets.make_classification(n, 50, n_informative=20, random_state=SEED)
    return X, None, X


# Nets train a fixed number of epochs on both sides (tol=0, patience longer than training).
MLP: dict[str, Any] = {"hidden_layer_sizes": (64,), "max_iter": 10, "tol": 0.0}
MLP |= {"n_iter_no_change": 100, "random_state": SEED}

CASES = [
    Case(
        "linear_regression",
        100_000,
        regression,
        scratch.LinearRegression,
        linear_model.LinearRegression,
        "values",
        vectorised=True,
    ),
    Case(
        "logistic_regression",
        100_000,
        classification,
        scratch.LogisticRegression,
        linear_model.LogisticRegression,
        "labels",
        vectorised=True,
        why_slower=(
            "a different algorithm: plain gradient descent took {ours.n_iter_} full-batch "
            "steps to reach tol where lbfgs took {theirs.n_iter_[0]} iterations"
        ),
    ),
    Case(
        "knn_classifier (predict)",
        100_000,
        knn_data,
        scratch.KNeighborsClassifier,
        neighbors.KNeighborsClassifier,
        "labels",
        vectorised=True,
        timed="predict",
        why_slower=(
            "ours builds the whole (queries x rows) float64 distance matrix (800 MB at full "
            "size, written several times) and fully sorts every row with a stable argsort, so "
            "that ties break as in scikit-learn (the sort is most of the time); scikit-learn's "
            "brute force keeps only the k best per query, in chunked, multi-threaded Cython"
        ),
    ),
    Case(
        "kmeans",
        100_000,
        blobs,
        # Ten restarts, as in the parity test: plain k-means++ (ours) needs them to find the
        # minimum that scikit-learn's greedy k-means++ finds with fewer.
        lambda: scratch.KMeans(8, n_init=10, random_state=SEED),
        lambda: cluster.KMeans(8, n_init=10, random_state=SEED),
        "clusters",
        vectorised=True,
        why_slower=(
            "scikit-learn's Lloyd iterations are chunked, multi-threaded Cython; ours builds "
            "the whole (rows x centres) distance matrix in NumPy and loops over the clusters "
            "in Python to average them, every iteration"
        ),
    ),
    Case(
        "pca",
        100_000,
        wide,
        lambda: scratch.PCA(10),
        lambda: decomposition.PCA(10),
        "values",
        vectorised=True,
        why_slower=(
            "ours takes the SVD of the whole (rows x 50) matrix; scikit-learn's default "
            "'auto' solver picks 'covariance_eigh' here and eigen-decomposes the 50 x 50 "
            "covariance matrix instead (against svd_solver='full', our twin, see the next row)"
        ),
    ),
    Case(
        "pca (sklearn svd_solver=full)",
        100_000,
        wide,
        lambda: scratch.PCA(10),
        lambda: decomposition.PCA(10, svd_solver="full"),
        "values",
        vectorised=True,
    ),
    Case(
        "decision_tree_classifier",
        10_000,
        classification,
        lambda: scratch.DecisionTreeClassifier(random_state=SEED),
        lambda: tree.DecisionTreeClassifier(random_state=SEED),
        "labels",
        vectorised=False,
    ),
    Case(
        "mlp_classifier (10 epochs)",
        10_000,
        classification,
        lambda: scratch.MLPClassifier(**MLP),
        lambda: neural_network.MLPClassifier(**MLP),
        "labels",
        vectorised=False,
    ),
]


# %% Timing and parity


@dataclass
class Timing:
    """Best fit and predict times of one side (seconds), its last output and model."""

    fit: float = float("inf")
    predict: float = float("inf")
    output: Any = None
    model: Any = None


def run_once(estimator: Callable[[], Any], X: Any, y: Any, X_query: Any, best: Timing) -> float:
    """Fit and predict once, keep the best times in *best*; return the seconds spent."""
    model = estimator()
    tick = time.perf_counter()
    model.fit(X, y)
    fitted = time.perf_counter()
    output = model.predict(X_query) if hasattr(model, "predict") else model.transform(X_query)
    done = time.perf_counter()
    best.fit, best.predict = min(best.fit, fitted - tick), min(best.predict, done - fitted)
    best.output, best.model = np.asarray(output), model
    return done - tick


def measure(case: Case, X: Any, y: Any, X_query: Any, repeats: int) -> tuple[Timing, Timing]:
    """Best-of-N times of both sides, run alternately so machine noise hits both alike.

    N is at least *repeats*, and more (up to 30) for fast cases, until each side has run
    for a second: on a shared machine a single 50 ms run says little. A first, untimed fit
    on 500 rows loads the code paths for both sides.
    """
    for estimator in (case.ours, case.theirs):
        estimator().fit(X[:500], None if y is None else y[:500])
    ours, theirs = Timing(), Timing()
    spent_ours = spent_theirs = 0.0
    for run in range(30):
        if run >= repeats and min(spent_ours, spent_theirs) >= 1.0:
            break
        spent_ours += run_once(case.ours, X, y, X_query, ours)
        spent_theirs += run_once(case.theirs, X, y, X_query, theirs)
    return ours, theirs


def parity(kind: str, ours: Any, theirs: Any, ours_model: Any, their_model: Any) -> str:
    """How closely the two outputs agree, in words."""
    if kind == "labels":
        return f"{np.mean(ours == theirs):.1%} identical predictions"
    if kind == "clusters":  # cluster numbers are arbitrary: match them first
        table = contingency_matrix(ours, theirs)
        rows, cols = linear_sum_assignment(table, maximize=True)
        inertia = ours_model.inertia_ / their_model.inertia_  # a worse local minimum shows here
        share = table[rows, cols].sum() / len(ours)
        return f"{share:.1%} identical labels (matched), inertia ours/theirs {inertia:.3f}"
    gap = np.max(np.abs(ours - theirs)) / max(np.max(np.abs(theirs)), 1e-300)
    return f"max |difference| {gap:.1e} of the largest output"


# %% Run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="every size divided by 10")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    warnings.simplefilter("ignore", ConvergenceWarning)  # fixed budgets on purpose

    print(
        f"scratch twins vs scikit-learn {sklearn.__version__}, NumPy {np.__version__}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, "
        f"best of at least {args.repeats} runs, sides alternating"
        f"{', --quick' if args.quick else ''}"
    )
    header = (
        f"{'twin':30} {'rows':>7} {'ours':>9} {'sklearn':>9} {'ratio':>7}  timed          parity"
    )
    print(header)
    print("-" * len(header))
    met: list[tuple[str, float, str]] = []
    missed: list[tuple[str, float, str]] = []
    for case in CASES:
        rows = case.rows // scale
        X, y, X_query = case.data(rows)
        us, sk = measure(case, X, y, X_query, args.repeats)
        if case.timed == "predict":
            ours, theirs = us.predict, sk.predict
        else:
            ours, theirs = us.fit + us.predict, sk.fit + sk.predict
        ratio = ours / theirs
        print(
            f"{case.name:30} {rows:>7} {ours:>8.3f}s {theirs:>8.3f}s {ratio:>6.1f}x  "
            f"{case.timed:14} {parity(case.parity, us.output, sk.output, us.model, sk.model)}"
        )
        if case.vectorised:
            why = case.why_slower.format(ours=us.model, theirs=sk.model)
            (met if ratio <= TARGET_RATIO else missed).append((case.name, ratio, why))

    print()
    print(
        f"Within {TARGET_RATIO:.0f}x of scikit-learn: "
        + (", ".join(f"{name} ({r:.1f}x)" for name, r, _ in met) or "none")
        + "."
    )
    for name, ratio, why in missed:
        print(f"Over {TARGET_RATIO:.0f}x: {name} ({ratio:.1f}x): {why or 'no known reason'}.")
    print(
        "Not held to the target: decision_tree_classifier and mlp_classifier loop in Python "
        "(over tree nodes and mini-batches) by design."
    )


if __name__ == "__main__":
    main()
