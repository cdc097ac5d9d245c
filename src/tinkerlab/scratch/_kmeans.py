"""k-means from scratch: k-means++ seeding, then Lloyd's assign-and-average iterations."""

# mypy: allow-redefinition-new

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data


class KMeans(ClusterMixin, TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Split the rows into ``n_clusters`` groups around centres, minimising the inertia.

    The inertia is ``Σᵢ ‖xᵢ − μ_c(i)‖²``, each row's squared distance to its centre. Lloyd's
    algorithm lowers it by alternating two steps until the assignment stops changing (or the
    centres move less than ``tol``): **assign** each row to its nearest centre, then
    **update** each centre to the mean of its rows. It only finds a local minimum, so it
    starts from well-spread centres (k-means++: each new seed is drawn with probability
    proportional to its squared distance from the seeds so far) and can restart ``n_init``
    times, keeping the run with the lowest inertia.

    Twin of :class:`sklearn.cluster.KMeans` (``algorithm="lloyd"``). Deliberate differences:
    plain k-means++ (scikit-learn's is "greedy", trying several candidates per seed), and a
    cluster left empty keeps its old centre (scikit-learn moves it to a far point). Given
    the same starting centres (``init=array``) both run the same iterations.

    Parameters
    ----------
    n_clusters : int, default=8
        ``k``, the number of clusters.
    init : {"k-means++", "random"} or ndarray of shape (n_clusters, n_features), \
default="k-means++"
        How to seed: k-means++, k random rows, or these centres.
    n_init : "auto" or int, default="auto"
        Runs from different seeds; "auto" is 1 for k-means++ or an array, 10 for "random".
    max_iter : int, default=300
        Most Lloyd iterations per run.
    tol : float, default=1e-4
        Stop when the centres' total squared movement is below ``tol`` times the mean
        feature variance of ``X`` (scikit-learn's relative tolerance).
    random_state : int, RandomState or None, default=None
        Seeds the initialisation.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
        The centres ``μ``.
    labels_ : ndarray of shape (n_samples,)
        Cluster of each training row.
    inertia_ : float
        Sum of squared distances of the rows to their centres.
    n_iter_ : int
        Lloyd iterations of the best run.
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> from tinkerlab.scratch import KMeans
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    >>> km = KMeans(n_clusters=2, random_state=0).fit(X)
    >>> sorted(km.cluster_centers_.tolist()), float(km.inertia_)
    ([[0.0, 0.5], [10.0, 0.5]], 1.0)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "n_clusters": [Interval(Integral, 1, None, closed="left")],
        "init": [StrOptions({"k-means++", "random"}), "array-like"],
        "n_init": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_clusters: int = 8,
        *,
        init: str | ArrayLike = "k-means++",
        n_init: str | int = "auto",
        max_iter: int = 300,
        tol: float = 1e-4,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def fit(self, X: ArrayLike, y: object = None) -> KMeans:
        """Run k-means ``n_init`` times on ``X`` (n_samples, n_features); keep the best run."""
        self._validate_params()
        X = validate_data(self, X, dtype=np.float64)  # (n, d)
        if len(X) < self.n_clusters:
            raise ValueError(
                f"n_samples={len(X)} should be >= n_clusters={self.n_clusters}: every cluster "
                "needs a row. Lower n_clusters or pass more rows."
            )
        if not isinstance(self.init, str):
            n_init = 1  # the caller's centres: one run
            if np.shape(self.init) != (self.n_clusters, X.shape[1]):
                raise ValueError(
                    f"init has shape {np.shape(self.init)} but should be (n_clusters, "
                    f"n_features) = {(self.n_clusters, X.shape[1])}: one centre per cluster."
                )
        elif self.n_init == "auto":
            n_init = 10 if self.init == "random" else 1
        else:
            n_init = int(self.n_init)
        rng = check_random_state(self.random_state)
        tol = self.tol * float(np.var(X, axis=0).mean())  # relative to the data's spread
        best = None
        for _ in range(n_init):
            run = _lloyd(X, self._seed(X, rng), self.max_iter, tol)
            if best is None or run[2] < best[2]:
                best = run
        assert best is not None
        self.cluster_centers_, self.labels_, self.inertia_, self.n_iter_ = best
        return self

    def predict(self, X: ArrayLike) -> NDArray[np.intp]:
        """Return the index of the nearest centre of each row, shape (n_samples,)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)  # (m, d)
        return _nearest(X, self.cluster_centers_)  # (m,)

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return the distance of each row to each centre, shape (n_samples, n_clusters)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)  # (m, d)
        return np.sqrt(_squared_distances(X, self.cluster_centers_))  # (m, k)

    def score(self, X: ArrayLike, y: object = None) -> float:
        """Return minus the inertia of ``X`` with the fitted centres (higher is better)."""
        check_is_fitted(self)
        return -float((self.transform(X).min(axis=1) ** 2).sum())

    def _seed(self, X: NDArray[np.float64], rng: np.random.RandomState) -> NDArray[np.float64]:
        """Starting centres, shape (n_clusters, n_features)."""
        if not isinstance(self.init, str):
            return np.array(self.init, dtype=np.float64)  # (k, d)  given by the caller
        if self.init == "random":
            return X[rng.choice(len(X), self.n_clusters, replace=False)]  # (k, d)
        # Squared distances, expanded: ‖x − c‖² = ‖x‖² − 2 x·c + ‖c‖², one product per seed.
        x_sq = np.einsum("ij,ij->i", X, X)  # (n,)  ‖x‖² of every row
        centers = X[[rng.randint(len(X))]]  # (1, d)  first seed: a uniform draw
        d2 = x_sq - 2 * X @ centers[0] + centers[0] @ centers[0]  # (n,)  to the nearest seed
        for _ in range(1, self.n_clusters):
            d2 = np.maximum(d2, 0)  # (n,)  rounding can dip below 0
            p = d2 / d2.sum() if d2.sum() > 0 else np.full(len(X), 1 / len(X))  # (n,)
            new = X[rng.choice(len(X), p=p)]  # (d,)  far rows are likelier
            centers = np.vstack([centers, new])  # (j+1, d)
            d2 = np.minimum(d2, x_sq - 2 * X @ new + new @ new)  # (n,)  a nearer seed now?
        return centers


def _lloyd(
    X: NDArray[np.float64], centers: NDArray[np.float64], max_iter: int, tol: float
) -> tuple[NDArray[np.float64], NDArray[np.intp], float, int]:
    """One k-means run from ``centers``: (centres, labels, inertia, iterations)."""
    k = len(centers)
    labels = np.full(len(X), -1)  # (n,)
    iteration, converged = 0, False
    while iteration < max_iter:
        iteration += 1
        new_labels = _nearest(X, centers)  # (n,)  assign
        # Update, all clusters at once: a one-hot (n, k) matrix sums each cluster's rows.
        one_hot = (new_labels[:, None] == np.arange(k)).astype(float)  # (n, k)
        counts = np.bincount(new_labels, minlength=k)  # (k,)  rows per cluster
        sums = one_hot.T @ X  # (k, d)  Σ of each cluster's rows
        filled = counts > 0  # (k,)  an empty cluster keeps its centre
        new_centers = centers.copy()  # (k, d)
        new_centers[filled] = sums[filled] / counts[filled, None]  # (k_filled, d)  the means
        shift = float(((new_centers - centers) ** 2).sum())  # total squared movement
        centers = new_centers  # (k, d)
        if np.array_equal(new_labels, labels):  # same assignment twice: a fixed point
            converged = True
            break
        labels = new_labels  # (n,)
        if shift <= tol:
            break
    if not converged:  # the centres moved after the last assignment: assign once more
        labels = _nearest(X, centers)  # (n,)
    inertia = float(((X - centers[labels]) ** 2).sum())  # Σᵢ ‖xᵢ − μ_c(i)‖²
    return centers, labels, inertia, iteration


def _nearest(X: NDArray[np.float64], C: NDArray[np.float64]) -> NDArray[np.intp]:
    """The nearest centre of each row, shape (n,).

    ``‖x − c‖² = ‖x‖² − 2 x·c + ‖c‖²``, and ``‖x‖²`` is the same for every centre, so the
    nearest centre is the one with the largest ``x·c − ‖c‖²/2``: one matrix product decides.
    """
    closeness = X @ C.T  # (n, k)  x·c
    closeness -= (C**2).sum(axis=1) / 2  # (n, k)  x·c − ‖c‖²/2, in place
    nearest: NDArray[np.intp] = np.argmax(closeness, axis=1)  # (n,)
    return nearest


def _squared_distances(X: NDArray[np.float64], C: NDArray[np.float64]) -> NDArray[np.float64]:
    """‖x − c‖² for every row and centre, shape (n, k), via ‖x‖² − 2 x·c + ‖c‖²."""
    d2 = (X**2).sum(axis=1)[:, None] - 2 * X @ C.T + (C**2).sum(axis=1)[None, :]  # (n, k)
    clipped: NDArray[np.float64] = np.maximum(d2, 0)  # (n, k)  rounding can dip below 0
    return clipped
