"""The k-nearest-neighbours fast path: one neighbour query at the largest k, then the
first k neighbours vote (or are averaged) for every smaller k. The same predictions as
fitting each k, because the neighbours of a row at k are the first k of those at the
largest k (ties broken alike). ``_fast.py`` holds the table of paths and the scoring.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import numpy as np

#: Per method name ("predict", "predict_proba"...): that method's output (``_fast.Responses``).
Responses = dict[str, Any]
#: (value, model fit seconds, responses per set, a fitted estimator): see ``_fast.Stage``.
Stage = tuple[int, float, list[Responses], Any]


def _knn_method(model: Any, X: Any, k: int) -> str:
    """The search scikit-learn's ``algorithm="auto"`` picks for *k* neighbours of *X*."""
    from scipy.sparse import issparse

    n, width = X.shape
    if issparse(X) or width > 15 or k >= n // 2:
        return "brute"
    return "kd_tree"  # minkowski p in {1, 2}: the registry's only metrics


def read_knn(
    model: Any, values: list[int], X: Any, y: Any, sets: list[Any], methods: set[str]
) -> Iterator[Stage]:
    """Per search method, one query at the largest k (+1 to see ties at the k-th place);
    the first k neighbours then vote, or are averaged, value by value."""
    from sklearn.base import clone

    n_fit = X.shape[0]
    groups: dict[str, list[int]] = {}
    for value in values:
        if value > n_fit:  # more neighbours than rows: scikit-learn refuses, so do we
            yield _naive_knn(model, value, X, y, sets, methods)
        else:
            groups.setdefault(_knn_method(model, X, value), []).append(value)
    for group in groups.values():
        largest = group[-1]
        estimator = clone(model).set_params(n_neighbors=largest)
        tick = time.perf_counter()
        estimator.fit(X, y)
        fit_time = time.perf_counter() - tick
        first = clone(model).set_params(n_neighbors=group[0]).fit(X, y)
        if estimator._fit_method != first._fit_method:
            # A search we did not foresee: every value of the group takes the naive path.
            for value in group:
                yield _naive_knn(model, value, X, y, sets, methods)
            continue
        width = min(largest + 1, n_fit)
        found = [estimator.kneighbors(X_set, n_neighbors=width) for X_set in sets]
        votes = [_Votes(estimator, dist, ind, methods) for dist, ind in found]
        for value in group:
            if any(v.tied(value) for v in votes):
                yield _naive_knn(model, value, X, y, sets, methods)
            else:
                yield value, fit_time, [v.responses(value) for v in votes], estimator


def _naive_knn(model: Any, value: int, X: Any, y: Any, sets: list[Any], methods: set[str]) -> Stage:
    """Fit *value* neighbours the ordinary way (ties, or a value the query cannot serve)."""
    from sklearn.base import clone

    estimator = clone(model).set_params(n_neighbors=value)
    tick = time.perf_counter()
    estimator.fit(X, y)
    fit_time = time.perf_counter() - tick
    responses: list[Responses] = []
    for X_set in sets:
        try:
            responses.append({m: getattr(estimator, m)(X_set) for m in methods})
        except ValueError as error:  # e.g. "Expected n_neighbors <= n_samples_fit"
            responses.append({"error": " ".join(f"ValueError: {error}".split())[:300]})
    return value, fit_time, responses, estimator


class _Votes:
    """The neighbours of one set of rows, and what the first k of them predict."""

    def __init__(self, estimator: Any, dist: np.ndarray, ind: np.ndarray, methods: set[str]):
        from sklearn.base import is_classifier

        self.estimator = estimator
        self.dist = dist  # (n, width) ascending, as kneighbors returns them
        self.ind = ind  # (n, width) row numbers in the fitted data
        self.methods = methods
        self.classifier = is_classifier(estimator)
        self.distance = estimator.weights == "distance"
        self.y = estimator._y  # (n_fit,) class codes 0..C-1, or the targets themselves
        # Equal neighbouring distances: tie[:, j] is True when places j and j+1 tie.
        self.ties = dist[:, 1:] == dist[:, :-1]  # (n, width - 1)
        if self.classifier:
            n_classes = len(estimator.classes_)
            self.labels = self.y[ind]  # (n, width) class code of each neighbour
            self.counts = np.zeros((len(ind), n_classes))  # (n, C) votes so far
            self.proba = np.zeros((len(ind), n_classes))  # (n, C) weighted votes so far
            self.k = 0

    def tied(self, k: int) -> bool:
        """Whether a tie could make scikit-learn's k neighbours differ from ours."""
        if k >= self.dist.shape[1]:  # every row of the data is a neighbour: no choice
            return False
        if self.distance:  # the order inside the first k feeds the weighted sums
            return bool(self.ties[:, :k].any())
        return bool(self.ties[:, k - 1].any())  # the k-th and (k+1)-th neighbours tie

    def responses(self, k: int) -> Responses:
        """What the fitted estimator with ``n_neighbors=k`` would return."""
        weights = self._weights(k)  # (n, k) or None
        if not self.classifier:
            return {"predict": self._regress(k, weights)}
        rows = np.arange(len(self.ind))
        while self.k < k:  # add neighbour number self.k to the running votes
            column = self.labels[:, self.k]  # (n,)
            self.counts[rows, column] += 1
            if weights is not None:  # predict_proba's loop: one neighbour at a time
                self.proba[rows, column] += weights[:, self.k]
            self.k += 1
        classes = self.estimator.classes_
        out: Responses = {}
        if weights is None:
            out["predict"] = classes.take(np.argmax(self.counts, axis=1))
            out["predict_proba"] = self.counts / k  # scikit-learn: votes / k
        else:
            from sklearn.utils.extmath import weighted_mode

            labels = np.ascontiguousarray(self.labels[:, :k])  # (n, k)
            mode, _ = weighted_mode(labels, weights, axis=1)
            out["predict"] = classes.take(np.asarray(mode.ravel(), dtype=np.intp))
            proba = self.proba.copy()
            proba /= proba.sum(axis=1)[:, np.newaxis]
            out["predict_proba"] = proba
        return {m: v for m, v in out.items() if m in self.methods}

    def _weights(self, k: int) -> np.ndarray | None:
        """scikit-learn's ``_get_weights``: 1 / distance, or only the exact matches."""
        if not self.distance:
            return None
        with np.errstate(divide="ignore"):
            weights = 1.0 / np.ascontiguousarray(self.dist[:, :k])  # (n, k)
        exact = np.isinf(weights)  # (n, k) zero distance
        rows = np.any(exact, axis=1)  # (n,) rows with an exact match
        weights[rows] = exact[rows]
        return weights

    def _regress(self, k: int, weights: np.ndarray | None) -> np.ndarray:
        """KNeighborsRegressor.predict on the first k neighbours, array for array."""
        y = self.y.reshape((-1, 1))  # (n_fit, 1)
        ind = np.ascontiguousarray(self.ind[:, :k])  # (n, k)
        if weights is None:
            return np.asarray(np.mean(y[ind], axis=1)).ravel()  # (n,)
        predicted = np.empty((len(ind), 1), dtype=np.float64)
        denominator = np.sum(weights, axis=1)  # (n,)
        predicted[:, 0] = np.sum(y[ind, 0] * weights, axis=1) / denominator
        return predicted.ravel()
