"""Logistic regression from scratch: a linear model of log-odds, fit by gradient descent."""

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

from ._convergence import warn_if_not_converged


class LogisticRegression(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Turn a linear score into class probabilities and fit it by gradient descent.

    Scores are ``Z = X @ Wᵀ + b``. With two classes there is one score per sample and
    ``P(y=1) = σ(z) = 1 / (1 + e⁻ᶻ)``; with K > 2 classes there are K scores and
    ``P = softmax(Z)`` (multinomial). The loss is the cross-entropy plus an L2 penalty,

        ``L(W, b) = −(1/n) Σᵢ log P(yᵢ | xᵢ) + ‖W‖² / (2 C n)``,

    which is scikit-learn's objective ``C Σᵢ log-loss + ½ ‖W‖²`` divided by ``C n``: same
    minimum, so the same coefficients. For both links the gradient is the same tidy formula,
    ``∂L/∂Z = (P − Y) / n`` with ``Y`` the one-hot targets. Each step moves every weight:
    ``W ← W − learning_rate · ∂L/∂W``. The intercept is not penalised.

    Twin of :class:`sklearn.linear_model.LogisticRegression` (its default lbfgs solver).
    Deliberate differences: the solver is plain gradient descent, hence ``learning_rate``,
    ``history_`` and a larger ``max_iter`` default (2000 cheap steps, not 100 lbfgs ones);
    ``tol`` bounds the largest gradient entry; the penalty is always L2.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularisation strength: smaller ``C``, smaller weights.
    fit_intercept : bool, default=True
        Learn ``b``; otherwise ``b = 0``.
    learning_rate : float, default=0.5
        Step size. Too large and the loss grows (see ``history_``) with a warning. 0.5 is
        safe for standardised features: the cross-entropy curves at most half as much as
        a squared error (``σ′ ≤ ¼``), so steps can be larger than in LinearRegression.
    max_iter : int, default=2000
        Most gradient steps.
    tol : float, default=1e-4
        Stop when every entry of the gradient is below ``tol``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        ``W``: one row for two classes (the score of ``classes_[1]``), else one per class.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        ``b``.
    history_ : list of float
        The loss ``L`` before each step: falling if all is well, growing or NaN if not.
    n_iter_ : int
        Number of steps taken.
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import StandardScaler
    >>> from tinkerlab.scratch import LogisticRegression
    >>> X, y = load_iris(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)  # gradient descent wants features on one scale
    >>> model = LogisticRegression().fit(X, y)
    >>> model.coef_.shape, round(model.score(X, y), 2)
    ((3, 4), 0.97)
    >>> model.history_[0] > model.history_[-1]  # the loss went down
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "C": [Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        C: float = 1.0,
        fit_intercept: bool = True,
        learning_rate: float = 0.5,
        max_iter: int = 2000,
        tol: float = 1e-4,
    ) -> None:
        self.C = C
        self.fit_intercept = fit_intercept
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: ArrayLike, y: ArrayLike) -> LogisticRegression:
        """Learn ``coef_`` and ``intercept_`` by gradient descent on the cross-entropy."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64)  # (n, d), (n,)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)  # (K,), (n,)
        if len(self.classes_) < 2:
            raise ValueError(
                "LogisticRegression needs samples of at least 2 classes in the data, but the "
                f"data contains only one class: {self.classes_[0]!r}. Add samples of another "
                "class."
            )
        n, d = X.shape
        Y = (y_index[:, None] == np.arange(len(self.classes_))).astype(float)  # (n, K) one-hot
        if len(self.classes_) == 2:
            Y = Y[:, 1:]  # (n, 1)  two classes need one score: 1 for classes_[1]
        W, b = np.zeros((Y.shape[1], d)), np.zeros(Y.shape[1])  # (K', d), (K',)  K' = 1 or K
        history: list[float] = []
        grad_size = np.inf
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is shown, not raised
            for _ in range(self.max_iter):
                Z = X @ W.T + b  # (n, K')  scores
                history.append(_cross_entropy(Z, Y) + float((W**2).sum()) / (2 * self.C * n))
                if not np.isfinite(history[-1]):
                    break
                G = (_probabilities(Z) - Y) / n  # (n, K')  ∂L/∂Z = (P − Y) / n
                grad_W = G.T @ X + W / (self.C * n)  # (K', d)  ∂L/∂W, data + penalty
                grad_b = G.sum(axis=0) if self.fit_intercept else np.zeros_like(b)  # (K',)
                grad_size = max(float(np.abs(grad_W).max()), float(np.abs(grad_b).max()))
                if grad_size < self.tol:
                    break
                W = W - self.learning_rate * grad_W  # (K', d)
                b = b - self.learning_rate * grad_b  # (K',)
        self.coef_, self.intercept_ = W, b
        self.history_, self.n_iter_ = history, len(history)
        warn_if_not_converged(self, grad_size)
        return self

    def decision_function(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return the scores ``X @ Wᵀ + b``: shape (n_samples,) for two classes, else (n, K)."""
        check_is_fitted(self)
        Z = self._scores(X)  # (n, K')
        return Z[:, 0] if Z.shape[1] == 1 else Z  # (n,) or (n, K)

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return class probabilities, shape (n_samples, n_classes), rows summing to 1."""
        check_is_fitted(self)
        P = _probabilities(self._scores(X))  # (n, K')
        return np.hstack([1 - P, P]) if P.shape[1] == 1 else P  # (n, K)

    def predict_log_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return ``log P``, shape (n_samples, n_classes)."""
        check_is_fitted(self)
        return np.log(self.predict_proba(X))  # (n, K)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Return the most probable class of each sample, shape (n_samples,)."""
        check_is_fitted(self)
        y_pred: NDArray[Any] = self.classes_[np.argmax(self.predict_proba(X), axis=1)]  # (n,)
        return y_pred

    def _scores(self, X: ArrayLike) -> NDArray[np.float64]:
        X = validate_data(self, X, dtype=np.float64, reset=False)  # (n, d)
        Z: NDArray[np.float64] = X @ self.coef_.T + self.intercept_  # (n, K')
        return Z


def _probabilities(Z: NDArray[np.float64]) -> NDArray[np.float64]:
    """Sigmoid of a single score column, softmax of several: shape (n, K') like ``Z``."""
    P: NDArray[np.float64]
    if Z.shape[1] == 1:
        P = np.exp(-np.logaddexp(0, -Z))  # (n, 1)  σ(z) = 1 / (1 + e⁻ᶻ), without overflow
    else:
        E = np.exp(Z - Z.max(axis=1, keepdims=True))  # (n, K)  shifted: no overflow
        P = E / E.sum(axis=1, keepdims=True)  # (n, K)  softmax(Z)
    return P


def _cross_entropy(Z: NDArray[np.float64], Y: NDArray[np.float64]) -> float:
    """Mean of ``−log P(y | x)``, computed from the scores without taking log of 0."""
    if Z.shape[1] == 1:  # −[y log σ(z) + (1−y) log(1−σ(z))] = log(1 + eᶻ) − y z
        return float(np.mean(np.logaddexp(0, Z) - Y * Z))
    Z_max = Z.max(axis=1, keepdims=True)  # (n, 1)
    log_sum_exp = Z_max[:, 0] + np.log(np.exp(Z - Z_max).sum(axis=1))  # (n,)
    return float(np.mean(log_sum_exp - (Y * Z).sum(axis=1)))  # −log softmax(Z) at the true y
