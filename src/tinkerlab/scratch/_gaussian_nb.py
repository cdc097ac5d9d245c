"""Gaussian naive Bayes from scratch: one bell curve per class and feature, combined by Bayes."""

# mypy: allow-redefinition-new

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data


class GaussianNB(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Classify with Bayes' rule, assuming features are independent normals within a class.

    Fitting measures, for each class ``k``, its prior ``P(k)`` (its share of the rows) and,
    for each feature ``j``, the mean ``θₖⱼ`` and variance ``σ²ₖⱼ`` of that feature in the
    class. Predicting applies Bayes' rule in logs, with the "naive" independence assumption
    turning the likelihood into a sum over features:

        ``log P(k | x) = log P(k) − ½ Σⱼ [log(2π σ²ₖⱼ) + (xⱼ − θₖⱼ)² / σ²ₖⱼ] − log Z``

    where ``log Z`` normalises the probabilities to sum to 1. To avoid dividing by a zero
    variance, ``var_smoothing`` times the largest feature variance is added to every ``σ²``.

    Twin of :class:`sklearn.naive_bayes.GaussianNB` (without ``priors``, ``partial_fit`` or
    sample weights).

    Parameters
    ----------
    var_smoothing : float, default=1e-9
        Share of the largest feature variance added to all variances, for stability.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    class_count_ : ndarray of shape (n_classes,)
        Rows seen per class.
    class_prior_ : ndarray of shape (n_classes,)
        ``P(k)``.
    theta_ : ndarray of shape (n_classes, n_features)
        Mean of each feature per class.
    var_ : ndarray of shape (n_classes, n_features)
        Variance of each feature per class, plus ``epsilon_``.
    epsilon_ : float
        The variance added for stability.
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> from tinkerlab.scratch import GaussianNB
    >>> X = [[1.0], [1.2], [0.8], [3.0], [3.2], [2.8]]
    >>> y = [0, 0, 0, 1, 1, 1]
    >>> nb = GaussianNB().fit(X, y)
    >>> nb.theta_.round(2).tolist(), nb.predict([[1.1], [2.9]]).tolist()
    ([[1.0], [3.0]], [0, 1])
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "var_smoothing": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, var_smoothing: float = 1e-9) -> None:
        self.var_smoothing = var_smoothing

    def fit(self, X: ArrayLike, y: ArrayLike) -> GaussianNB:
        """Estimate each class's prior and per-feature mean and variance."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64)  # (n, d), (n,)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)  # (K,), (n,)
        self.epsilon_ = self.var_smoothing * float(np.var(X, axis=0).max())
        rows = [X[y_index == k] for k in range(len(self.classes_))]  # K arrays (n_k, d)
        self.class_count_ = np.array([len(r) for r in rows], dtype=float)  # (K,)
        self.class_prior_ = self.class_count_ / len(X)  # (K,)  P(k)
        self.theta_ = np.array([r.mean(axis=0) for r in rows])  # (K, d)  θ
        self.var_ = np.array([r.var(axis=0) for r in rows]) + self.epsilon_  # (K, d)  σ²
        return self

    def predict_log_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return ``log P(k | x)``, shape (n_samples, n_classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)  # (m, d)
        log_likelihood = -0.5 * (
            np.log(2 * np.pi * self.var_).sum(axis=1)  # (K,)
            + ((X[:, None, :] - self.theta_) ** 2 / self.var_).sum(axis=2)  # (m, K)
        )  # (m, K)  log P(x | k), a sum over features because of the naive assumption
        joint = np.log(self.class_prior_) + log_likelihood  # (m, K)  log P(k) + log P(x | k)
        top = joint.max(axis=1, keepdims=True)  # (m, 1)
        log_Z = top + np.log(np.exp(joint - top).sum(axis=1, keepdims=True))  # (m, 1)
        log_proba: NDArray[np.float64] = joint - log_Z  # (m, K)
        return log_proba

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return ``P(k | x)``, shape (n_samples, n_classes)."""
        check_is_fitted(self)
        return np.exp(self.predict_log_proba(X))  # (m, K)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Return the most probable class, shape (n_samples,)."""
        check_is_fitted(self)
        best = np.argmax(self.predict_log_proba(X), axis=1)  # (m,)
        y_pred: NDArray[Any] = self.classes_[best]  # (m,)
        return y_pred
