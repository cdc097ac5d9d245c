"""Multinomial naive Bayes from scratch: word counts per class, smoothed, combined by Bayes."""

# mypy: allow-redefinition-new

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, check_non_negative, validate_data


class MultinomialNB(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Classify counts (words in a text, pixels' intensities) with Bayes' rule.

    Each class ``k`` is a bag of features with probabilities ``pₖⱼ``: the share of all the
    counts in class ``k`` that fell on feature ``j``, smoothed by adding ``alpha`` to every
    count (Laplace smoothing, so an unseen word does not zero out a class):

        ``pₖⱼ = (Nₖⱼ + α) / (Nₖ + α d)``

    A row of counts ``x`` then has ``log P(k | x) = log P(k) + Σⱼ xⱼ log pₖⱼ − log Z``: a
    linear model in ``x``, which makes prediction one matrix product.

    Twin of :class:`sklearn.naive_bayes.MultinomialNB` (``force_alpha=True``; without
    ``class_prior``, ``partial_fit`` or sample weights). ``X`` must not be negative.

    Parameters
    ----------
    alpha : float, default=1.0
        Pseudo-count added to every feature count (0: no smoothing).
    fit_prior : bool, default=True
        Learn ``P(k)`` from the class shares; otherwise use a uniform prior.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    class_count_ : ndarray of shape (n_classes,)
        Rows seen per class.
    class_log_prior_ : ndarray of shape (n_classes,)
        ``log P(k)``.
    feature_count_ : ndarray of shape (n_classes, n_features)
        ``Nₖⱼ``, summed counts of each feature per class.
    feature_log_prob_ : ndarray of shape (n_classes, n_features)
        ``log pₖⱼ``.
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> from tinkerlab.scratch import MultinomialNB
    >>> X = [[3, 0, 1], [2, 0, 0], [0, 4, 1], [0, 3, 2]]  # counts of 3 words
    >>> y = ["sport", "sport", "food", "food"]
    >>> nb = MultinomialNB().fit(X, y)
    >>> nb.predict([[1, 0, 0], [0, 1, 1]]).tolist()
    ['sport', 'food']
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "fit_prior": ["boolean"],
    }

    def __init__(self, *, alpha: float = 1.0, fit_prior: bool = True) -> None:
        self.alpha = alpha
        self.fit_prior = fit_prior

    def fit(self, X: ArrayLike, y: ArrayLike) -> MultinomialNB:
        """Count each feature per class and turn the counts into smoothed log-probabilities."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64)  # (n, d), (n,)
        check_non_negative(X, "MultinomialNB (input X)")
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)  # (K,), (n,)
        Y = (y_index[:, None] == np.arange(len(self.classes_))).astype(float)  # (n, K)
        self.class_count_ = Y.sum(axis=0)  # (K,)
        self.feature_count_ = Y.T @ X  # (K, d)  Nₖⱼ
        smoothed = self.feature_count_ + self.alpha  # (K, d)  Nₖⱼ + α
        self.feature_log_prob_ = np.log(smoothed) - np.log(
            smoothed.sum(axis=1, keepdims=True)
        )  # (K, d)  log pₖⱼ = log(Nₖⱼ + α) − log(Nₖ + α d)
        uniform = np.full(len(self.classes_), 1 / len(self.classes_))  # (K,)
        prior = self.class_count_ / len(X) if self.fit_prior else uniform  # (K,)  P(k)
        self.class_log_prior_ = np.log(prior)  # (K,)
        return self

    def predict_log_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return ``log P(k | x)``, shape (n_samples, n_classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)  # (m, d)
        joint = X @ self.feature_log_prob_.T + self.class_log_prior_  # (m, K)
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

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True  # counts: negative values are refused
        # As scikit-learn's: the checks' shifted Gaussian blobs are no count data.
        tags.classifier_tags.poor_score = True
        return tags
