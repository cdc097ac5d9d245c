"""The tree-growing algorithm both decision-tree twins share (see ``_decision_tree.py``)."""

# mypy: allow-redefinition-new

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import validate_data

FEATURE_THRESHOLD = 1e-7  # values closer than this are "equal", as in scikit-learn
LEAF = -1  # children_left_/children_right_ of a leaf


class _DecisionTree(BaseEstimator):  # type: ignore[misc]
    """Grow a binary tree greedily; each node asks "is ``x[feature] <= threshold``?".

    Starting with all rows at the root, a node becomes a leaf when it is pure, too small or
    too deep; otherwise it is split by the best cut and both halves are grown the same way.

    Finding the best cut is the heart of it. Each row carries statistics ``S`` (a one-hot
    class row, or ``[y, y²]``) and a node's impurity is a function of their sums. Sort the
    node's rows by a feature: the sums on the left of every possible cut are the prefix
    sums (``cumsum``), those on the right are the total minus them. So every cut of every
    feature is scored at once, and the best minimises
    ``n_left · impurity_left + n_right · impurity_right``.
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "max_depth": [Interval(Integral, 1, None, closed="left"), None],
        "min_samples_split": [Interval(Integral, 2, None, closed="left")],
        "min_samples_leaf": [Interval(Integral, 1, None, closed="left")],
        "max_features": [
            Interval(Integral, 1, None, closed="left"),
            Interval(Real, 0, 1, closed="right"),
            StrOptions({"sqrt", "log2"}),
            None,
        ],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        criterion: str = "gini",
        max_depth: int | None = None,
        min_samples_split: int = 2,
        min_samples_leaf: int = 1,
        max_features: int | float | str | None = None,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.random_state = random_state

    def _grow(self, X: NDArray[np.float64], S: NDArray[np.float64]) -> None:
        """Build the tree from ``X`` (n, d) and per-sample statistics ``S`` (n, m)."""
        n_features = X.shape[1]
        k, rng = self._n_split_features(n_features), check_random_state(self.random_state)
        nodes: list[list[Any]] = []  # one row per node: feature, threshold, left, right, ...

        def grow(rows: NDArray[np.intp], depth: int) -> int:
            """Add the node for these rows (and, recursively, its subtree); return its id."""
            total = S[rows].sum(axis=0)  # (m,)
            impurity = float(self._impurity(total, np.array(len(rows))))
            node = len(nodes)
            value = self._leaf_value(total / len(rows))  # class fractions, or [mean of y]
            nodes.append([LEAF, -2.0, LEAF, LEAF, value, impurity, len(rows)])
            if (
                (self.max_depth is not None and depth >= self.max_depth)
                or len(rows) < max(self.min_samples_split, 2 * self.min_samples_leaf)
                or impurity <= np.finfo(float).eps  # pure: nothing left to separate
            ):
                return node
            features = np.arange(n_features)  # (d,)
            if k < n_features:  # random forests: a fresh random subset at every node
                features = np.sort(rng.permutation(n_features)[:k])  # (k,)
            split = self._best_split(X[rows][:, features], S[rows])
            if split is None:  # every candidate feature is constant here
                return node
            feature, threshold = features[split[0]], split[1]
            go_left = X[rows, feature] <= threshold  # (n_rows,)
            left, right = grow(rows[go_left], depth + 1), grow(rows[~go_left], depth + 1)
            nodes[node][:4] = [feature, threshold, left, right]
            return node

        grow(np.arange(len(X)), depth=0)
        feature, threshold, left, right, value, impurity, n = zip(*nodes, strict=True)
        self.feature_ = np.array(feature)  # (n_nodes,)  LEAF for leaves
        self.threshold_ = np.array(threshold)  # (n_nodes,)
        self.children_left_ = np.array(left)  # (n_nodes,)
        self.children_right_ = np.array(right)  # (n_nodes,)
        self.value_ = np.array(value)  # (n_nodes, K) class fractions, or (n_nodes, 1) means
        self.impurity_ = np.array(impurity)  # (n_nodes,)
        self.n_node_samples_ = np.array(n)  # (n_nodes,)
        # Importance of a feature: the impurity its splits removed, n-weighted, summing to 1.
        removed = self.n_node_samples_ * self.impurity_  # (n_nodes,)
        inner = np.flatnonzero(self.feature_ != LEAF)  # (n_inner,)
        gain = np.zeros(n_features)  # (d,)
        np.add.at(
            gain,
            self.feature_[inner],
            removed[inner]
            - removed[self.children_left_[inner]]
            - removed[self.children_right_[inner]],
        )
        self.feature_importances_ = gain / gain.sum() if gain.sum() > 0 else gain  # (d,)

    def _n_split_features(self, n_features: int) -> int:
        """How many features each split may look at (``max_features``)."""
        if self.max_features is None:
            return n_features
        if self.max_features == "sqrt":
            k = int(np.sqrt(n_features))
        elif self.max_features == "log2":
            k = int(np.log2(n_features))
        elif isinstance(self.max_features, float):
            k = int(self.max_features * n_features)
        else:
            k = int(self.max_features)
        return max(1, min(k, n_features))

    def _best_split(
        self, X: NDArray[np.float64], S: NDArray[np.float64]
    ) -> tuple[int, float] | None:
        """Score every (cut, column) candidate at once; return the best (column, threshold)."""
        n = len(X)
        order = np.argsort(X, axis=0, kind="stable")  # (n, f)
        x_sorted = np.take_along_axis(X, order, axis=0)  # (n, f)
        left = np.cumsum(S[order], axis=0)[:-1]  # (n-1, f, m)  sums of the first i+1 rows
        right = S.sum(axis=0) - left  # (n-1, f, m)
        n_left = np.arange(1, n)[:, None]  # (n-1, 1)
        n_right = n - n_left  # (n-1, 1)
        impurity_left = self._impurity(left, n_left)  # (n-1, f)
        impurity_right = self._impurity(right, n_right)  # (n-1, f)
        cost = n_left * impurity_left + n_right * impurity_right  # (n-1, f)  to minimise
        valid = (
            (x_sorted[1:] > x_sorted[:-1] + FEATURE_THRESHOLD)  # a cut between distinct values
            & (n_left >= self.min_samples_leaf)
            & (n_right >= self.min_samples_leaf)
        )  # (n-1, f)
        if not valid.any():
            return None
        # Transposed so that argmin breaks ties by the first column, then the first cut.
        cost = np.where(valid, cost, np.inf).T  # (f, n-1)
        j, i = np.unravel_index(np.argmin(cost), cost.shape)
        lo, hi = x_sorted[i, j], x_sorted[i + 1, j]
        threshold = lo / 2 + hi / 2  # the midpoint, or lo if rounding lands on hi
        return int(j), float(lo if threshold == hi else threshold)

    def _impurity(self, sums: NDArray[np.float64], n: NDArray[Any]) -> NDArray[np.float64]:
        """Impurity from summed statistics (..., m) and sample counts (...)."""
        mean = sums / n[..., None]  # (..., m)  class fractions p, or [E[y], E[y²]]
        impurity: NDArray[np.float64]
        if self.criterion == "squared_error":  # variance: E[y²] − E[y]²
            impurity = mean[..., 1] - mean[..., 0] ** 2  # (...)
        elif self.criterion == "gini":  # chance two random draws disagree: 1 − Σ p²
            impurity = 1 - (mean**2).sum(axis=-1)  # (...)
        else:  # entropy in bits: −Σ p log₂ p  (0 · log 0 counts as 0)
            impurity = -(mean * np.log2(np.where(mean > 0, mean, 1))).sum(axis=-1)  # (...)
        return impurity

    def _leaf_value(self, mean: NDArray[np.float64]) -> NDArray[np.float64]:
        """What a node predicts, from the mean statistics of its rows (set by each twin)."""
        raise NotImplementedError

    def _apply(self, X: ArrayLike) -> NDArray[np.intp]:
        """Drop every row down the tree at once; return the leaf each one lands in."""
        X = validate_data(self, X, dtype=np.float64, reset=False)  # (m, d)
        node = np.zeros(len(X), dtype=np.intp)  # (m,)  everyone starts at the root
        while (inner := self.feature_[node] != LEAF).any():  # (m,)
            # Each row reads the feature its node asks about (rows at a leaf read column 0
            # and are not moved).
            x = X[np.arange(len(X)), np.maximum(self.feature_[node], 0)]  # (m,)
            child = np.where(
                x <= self.threshold_[node], self.children_left_[node], self.children_right_[node]
            )  # (m,)
            node = np.where(inner, child, node)  # (m,)
        return node
