"""Linear support vector classifier from scratch: the hinge loss, by subgradient descent."""

# mypy: allow-redefinition-new

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data


class LinearSVC(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Find the separating hyperplane with the widest margin, allowing some violations.

    With labels ``y ∈ {−1, +1}`` and score ``f(x) = w·x + b``, a row is safely classified
    when its margin ``y f(x) ≥ 1``. The hinge loss ``max(0, 1 − y f(x))`` charges rows
    inside the margin; ``½‖w‖²`` rewards a wide margin (width ``2/‖w‖``); ``C`` trades
    them off. Divided by ``C n`` (same minimum) the objective is

        ``J(w, b) = (λ/2)(‖w‖² + b²) + (1/n) Σᵢ max(0, 1 − yᵢ (w·xᵢ + b)),   λ = 1/(C n)``

    The hinge has a kink at margin 1, so there is no gradient there, only a *subgradient*:
    ``λw − (1/n) Σ_{i: margin < 1} yᵢ xᵢ``. We step along it with the Pegasos step size
    ``ηₜ = 1/(λ t)``, which guarantees convergence for this strongly convex objective
    (Shalev-Shwartz et al., 2007). The objective does not fall at every step, and a kink
    has no "small gradient" test, so the method simply runs ``max_iter`` steps.
    With K > 2 classes, K one-vs-rest problems are solved side by side.

    Twin of :class:`sklearn.svm.LinearSVC` with ``loss="hinge"`` (liblinear; its default is
    the squared hinge). Like liblinear with ``intercept_scaling=1``, the intercept is
    penalised too, so both minimise the same objective. No ``tol``: see above.

    Parameters
    ----------
    C : float, default=1.0
        Cost of margin violations: large ``C`` fits the training data harder.
    fit_intercept : bool, default=True
        Learn ``b``; otherwise ``b = 0``.
    max_iter : int, default=1000
        Subgradient steps.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        ``w``: one row for two classes (positive: ``classes_[1]``), else one per class.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        ``b``.
    history_ : list of float
        The objective ``J`` before each step.
    n_iter_ : int
        Steps taken (``max_iter``).
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> from tinkerlab.scratch import LinearSVC
    >>> X = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [3.0, 3.0], [4.0, 3.0], [3.0, 4.0]]
    >>> y = [0, 0, 0, 1, 1, 1]
    >>> svc = LinearSVC().fit(X, y)
    >>> svc.predict([[0.5, 0.5], [3.5, 3.5]]).tolist()
    [0, 1]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "C": [Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, *, C: float = 1.0, fit_intercept: bool = True, max_iter: int = 1000) -> None:
        self.C = C
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter

    def fit(self, X: ArrayLike, y: ArrayLike) -> LinearSVC:
        """Learn ``coef_`` and ``intercept_`` by subgradient descent on the hinge loss."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64)  # (n, d), (n,)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)  # (K,), (n,)
        if len(self.classes_) < 2:
            raise ValueError(
                "LinearSVC needs samples of at least 2 classes in the data, but the data "
                f"contains only one class: {self.classes_[0]!r}. Add samples of another class."
            )
        n, d = X.shape
        Y = np.where(y_index[:, None] == np.arange(len(self.classes_)), 1.0, -1.0)  # (n, K) ±1
        if len(self.classes_) == 2:
            Y = Y[:, 1:]  # (n, 1)  one problem: +1 for classes_[1]
        lam = 1 / (self.C * n)  # λ
        W, b = np.zeros((Y.shape[1], d)), np.zeros(Y.shape[1])  # (K', d), (K',)
        self.history_ = []
        for t in range(1, self.max_iter + 1):
            margin = Y * (X @ W.T + b)  # (n, K')  yᵢ f(xᵢ)
            hinge = np.maximum(0, 1 - margin)  # (n, K')
            penalty = lam / 2 * float((W**2).sum() + (b**2).sum())
            self.history_.append(penalty + float(hinge.sum()) / n)  # J(w, b)
            A = Y * (margin < 1)  # (n, K')  yᵢ for rows inside the margin, else 0
            grad_W = lam * W - A.T @ X / n  # (K', d)  a subgradient of J
            grad_b = lam * b - A.sum(axis=0) / n if self.fit_intercept else 0 * b  # (K',)
            eta = 1 / (lam * t)  # Pegasos step size
            W, b = W - eta * grad_W, b - eta * grad_b  # (K', d), (K',)
        self.coef_, self.intercept_, self.n_iter_ = W, b, self.max_iter  # (K', d), (K',)
        return self

    def decision_function(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return the scores ``X @ wᵀ + b``: shape (n_samples,) for two classes, else (n, K)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)  # (m, d)
        scores: NDArray[np.float64] = X @ self.coef_.T + self.intercept_  # (m, K')
        return scores[:, 0] if scores.shape[1] == 1 else scores  # (m,) or (m, K)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Return the class on the positive side (two classes) or with the top score."""
        check_is_fitted(self)
        scores = self.decision_function(X)  # (m,) or (m, K)
        two_classes = scores.ndim == 1  # one score: its positive side is classes_[1]
        index = (scores > 0).astype(int) if two_classes else np.argmax(scores, axis=1)  # (m,)
        y_pred: NDArray[Any] = self.classes_[index]  # (m,)
        return y_pred
