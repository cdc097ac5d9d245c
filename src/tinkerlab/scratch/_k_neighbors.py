"""k-nearest neighbours from scratch: remember the training set, let the closest points vote."""

# mypy: allow-redefinition-new

from __future__ import annotations

from numbers import Integral
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

#: Distances held in memory at once (8 bytes each: 32 MB): queries are processed in chunks.
CHUNK_ELEMENTS = 2**22


class _KNeighbors(BaseEstimator):  # type: ignore[misc]
    """What both twins share: store the data, find the k nearest rows, weight them."""

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "weights": [StrOptions({"uniform", "distance"})],
    }

    def __init__(self, n_neighbors: int = 5, *, weights: str = "uniform") -> None:
        self.n_neighbors = n_neighbors
        self.weights = weights

    def _neighbors(self, X: ArrayLike) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """Return the indices of the k nearest training rows (any order) and their weights."""
        X = validate_data(self, X, dtype=np.float64, reset=False)  # (m, d)
        n, k = len(self.X_fit_), self.n_neighbors
        if k > n:
            raise ValueError(
                f"Expected n_neighbors <= n_samples_fit, but n_neighbors = {k}, "
                f"n_samples_fit = {n}. Lower n_neighbors or fit on more rows."
            )
        nearest = np.empty((len(X), k), dtype=np.intp)  # (m, k)
        sq_dist = np.empty((len(X), k))  # (m, k)
        fit_sq_norms = (self.X_fit_**2).sum(axis=1)  # (n,)  ‖x'‖²
        chunk = max(1, CHUNK_ELEMENTS // n)  # queries at a time: (chunk, n) distances in memory
        for start in range(0, len(X), chunk):
            rows = slice(start, start + chunk)
            Q = X[rows]  # (c, d)
            # Squared Euclidean distance, expanded: ‖q − x'‖² = ‖q‖² − 2 q·x' + ‖x'‖². The
            # ‖q‖² term is the same for every x', so the ranking can do without it.
            rank = fit_sq_norms - 2 * Q @ self.X_fit_.T  # (c, n)
            # The k smallest of each row, unsorted: linear time, not a full sort.
            top = np.argpartition(rank, k - 1, axis=1)[:, :k]  # (c, k)
            nearest[rows] = top  # (c, k)
            q_sq_norms = (Q**2).sum(axis=1, keepdims=True)  # (c, 1)  ‖q‖², added back now
            sq_dist[rows] = np.take_along_axis(rank, top, axis=1) + q_sq_norms  # (c, k)
        dist = np.sqrt(np.maximum(sq_dist, 0))  # (m, k)  rounding can dip below 0
        if self.weights == "uniform":
            return nearest, np.ones_like(dist)  # (m, k), (m, k)
        # "distance": weight 1/d. A query that sits exactly on training points gets only them.
        with np.errstate(divide="ignore"):
            w = 1 / dist  # (m, k)
        on_top = np.isinf(w).any(axis=1)  # (m,)
        w[on_top] = np.isinf(w[on_top])  # (m_on_top, k)  1 for the zero-distance points
        return nearest, w


class KNeighborsClassifier(ClassifierMixin, _KNeighbors):  # type: ignore[misc]
    """Predict the class most common among the k training points closest to each query.

    Fitting only stores ``X`` and ``y``; all the work happens in ``predict``: compute the
    Euclidean distance from each query to every training row (brute force, a chunk of
    queries at a time so that memory stays bounded), keep the ``n_neighbors`` closest
    (``np.argpartition``: a partial sort, linear time), and let them vote, each with weight
    1 (``"uniform"``) or ``1/distance`` (``"distance"``). The vote shares are
    ``predict_proba``.

    Twin of :class:`sklearn.neighbors.KNeighborsClassifier` with ``algorithm="brute"`` and
    the Euclidean metric. Among neighbours at exactly equal distance, which ones make the
    k-th place is arbitrary in both, so a tie there can change a vote.

    Parameters
    ----------
    n_neighbors : int, default=5
        ``k``, how many neighbours vote.
    weights : {"uniform", "distance"}, default="uniform"
        Equal votes, or votes weighted by ``1/distance``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    X_fit_ : ndarray of shape (n_samples, n_features)
        The stored training rows.
    y_index_ : ndarray of shape (n_samples,)
        Each training label as an index into ``classes_``.
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> from tinkerlab.scratch import KNeighborsClassifier
    >>> X = [[0.0], [1.0], [2.0], [10.0], [11.0]]
    >>> y = ["a", "a", "a", "b", "b"]
    >>> knn = KNeighborsClassifier(n_neighbors=3).fit(X, y)
    >>> knn.predict([[1.5], [10.5]]).tolist()
    ['a', 'b']
    >>> knn.predict_proba([[10.5]]).round(2)  # neighbours 10, 11 and 2
    array([[0.33, 0.67]])
    """

    def fit(self, X: ArrayLike, y: ArrayLike) -> KNeighborsClassifier:
        """Store the training rows and their labels."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64)  # (n, d), (n,)
        check_classification_targets(y)
        self.classes_, self.y_index_ = np.unique(y, return_inverse=True)  # (K,), (n,)
        self.X_fit_ = X  # (n, d)
        return self

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return the (weighted) vote share of each class, shape (n_samples, n_classes)."""
        check_is_fitted(self)
        nearest, w = self._neighbors(X)  # (m, k), (m, k)
        votes = self.y_index_[nearest]  # (m, k)  class index of each neighbour
        one_hot = votes[:, :, None] == np.arange(len(self.classes_))  # (m, k, K)
        tally = (w[:, :, None] * one_hot).sum(axis=1)  # (m, K)  weighted votes per class
        proba: NDArray[np.float64] = tally / tally.sum(axis=1, keepdims=True)  # (m, K)
        return proba

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Return the winning class of each query (ties go to the first class)."""
        check_is_fitted(self)
        y_pred: NDArray[Any] = self.classes_[np.argmax(self.predict_proba(X), axis=1)]  # (m,)
        return y_pred


class KNeighborsRegressor(RegressorMixin, _KNeighbors):  # type: ignore[misc]
    """Predict the (weighted) mean target of the k training points closest to each query.

    The same search as :class:`KNeighborsClassifier`; the neighbours' ``y`` values are
    averaged, with weight 1 or ``1/distance``. Twin of
    :class:`sklearn.neighbors.KNeighborsRegressor` (brute force, Euclidean). Only a 1-d ``y``.

    Parameters
    ----------
    n_neighbors : int, default=5
        ``k``, how many neighbours are averaged.
    weights : {"uniform", "distance"}, default="uniform"
        Plain mean, or mean weighted by ``1/distance``.

    Attributes
    ----------
    X_fit_ : ndarray of shape (n_samples, n_features)
        The stored training rows.
    y_fit_ : ndarray of shape (n_samples,)
        The stored targets.
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> from tinkerlab.scratch import KNeighborsRegressor
    >>> X = [[0.0], [1.0], [2.0], [10.0]]
    >>> y = [0.0, 1.0, 2.0, 10.0]
    >>> KNeighborsRegressor(n_neighbors=2).fit(X, y).predict([[0.4]])
    array([0.5])
    """

    def fit(self, X: ArrayLike, y: ArrayLike) -> KNeighborsRegressor:
        """Store the training rows and their targets."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)  # (n, d), (n,)
        self.X_fit_, self.y_fit_ = X, y  # (n, d), (n,)
        return self

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return the weighted mean target of each query's neighbours, shape (n_samples,)."""
        check_is_fitted(self)
        nearest, w = self._neighbors(X)  # (m, k), (m, k)
        neighbour_y = self.y_fit_[nearest]  # (m, k)
        y_hat: NDArray[np.float64] = (w * neighbour_y).sum(axis=1) / w.sum(axis=1)  # (m,)
        return y_hat
