"""Principal component analysis from scratch: the directions of largest variance."""

# mypy: allow-redefinition-new

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted, validate_data


class PCA(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Rotate the data onto the orthogonal directions along which it varies most.

    Centre ``X`` and take its singular value decomposition ``X − x̄ = U S Vᵀ``. The rows of
    ``Vᵀ`` are the principal axes, sorted by the variance along them, ``S² / (n − 1)``.
    Keeping the first ``n_components`` rows and projecting, ``Z = (X − x̄) Vₖ``, gives the
    best ``k``-dimensional linear summary of ``X`` in squared error; ``Z Vₖᵀ + x̄`` maps back.

    The same axes are the eigenvectors of the covariance matrix
    ``Σ = (X − x̄)ᵀ(X − x̄) / (n − 1)``, with the variances as eigenvalues. When there are
    many more rows than columns, that is the quicker road: ``Σ`` is only d × d, built in one
    pass (``XᵀX − n x̄x̄ᵀ``, so no centred copy of ``X`` is made), and its eigenvectors cost
    nothing next to an SVD of the whole n × d table. The price: forming ``XᵀX`` squares the
    condition number, so the smallest variances come out less precise (the leading axes,
    the ones kept, are fine).

    An axis and its opposite are equally valid, so signs are fixed as scikit-learn's
    ``svd_flip(u_based_decision=False)`` does: the largest-magnitude entry of each axis is
    positive. Twin of :class:`sklearn.decomposition.PCA` with ``svd_solver="full"`` or
    ``"covariance_eigh"``; ``"auto"`` picks between them by scikit-learn's rule (the
    covariance when ``n_features <= 1000`` and ``n_samples >= 10 * n_features``), except
    that where scikit-learn would pick its randomized solver we use ``"full"``. No ``"mle"``,
    noise variance or ``score``.

    Parameters
    ----------
    n_components : int, float or None, default=None
        Axes to keep: an int, a float in (0, 1) for "enough axes to explain this share of
        the variance", or None for all ``min(n_samples, n_features)``.
    whiten : bool, default=False
        Divide each projected coordinate by its standard deviation (unit variance output).
    svd_solver : {"auto", "full", "covariance_eigh"}, default="auto"
        SVD of the centred data, eigenvectors of the covariance matrix, or the quicker of
        the two for the shape of ``X``.

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
        The principal axes, as rows.
    explained_variance_ : ndarray of shape (n_components,)
        Variance along each axis.
    explained_variance_ratio_ : ndarray of shape (n_components,)
        Share of the total variance along each axis.
    singular_values_ : ndarray of shape (n_components,)
        The matching singular values ``S``.
    mean_ : ndarray of shape (n_features,)
        ``x̄``.
    n_components_ : int
        Number of axes kept.
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> from tinkerlab.scratch import PCA
    >>> X = np.array([[2.0, 0.0], [0.0, 1.0], [-2.0, 0.0], [0.0, -1.0]])  # wide, not tall
    >>> pca = PCA(n_components=1).fit(X)
    >>> pca.components_.round(6).tolist(), pca.explained_variance_ratio_.round(6).tolist()
    ([[1.0, 0.0]], [0.8])
    >>> pca.inverse_transform(pca.transform([[1.0, 1.0]])).round(6).tolist()  # y is lost
    [[1.0, 0.0]]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "n_components": [
            Interval(Integral, 1, None, closed="left"),
            Interval(Real, 0, 1, closed="neither"),
            None,
        ],
        "whiten": ["boolean"],
        "svd_solver": [StrOptions({"auto", "full", "covariance_eigh"})],
    }

    def __init__(
        self,
        n_components: int | float | None = None,
        *,
        whiten: bool = False,
        svd_solver: str = "auto",
    ) -> None:
        self.n_components = n_components
        self.whiten = whiten
        self.svd_solver = svd_solver

    def fit(self, X: ArrayLike, y: object = None) -> PCA:
        """Find the principal axes of ``X`` (n_samples, n_features)."""
        self._validate_params()
        X = validate_data(self, X, dtype=np.float64)  # (n, d)
        n, d = X.shape
        if n < 2:
            raise ValueError(
                f"PCA needs at least 2 samples to measure a variance, got n_samples = {n}."
            )
        self.mean_ = X.mean(axis=0)  # (d,)
        solver = self.svd_solver
        if solver == "auto":  # scikit-learn's rule: tall and narrow data go by the covariance
            solver = "covariance_eigh" if d <= 1000 and n >= 10 * d else "full"
        if solver == "full":  # r = min(n, d) axes
            _, S, Vt = np.linalg.svd(X - self.mean_, full_matrices=False)  # (r,), (r, d)
            variance = S**2 / (n - 1)  # (r,)  variance along each axis
        else:  # r = d axes
            cov = (X.T @ X - n * np.outer(self.mean_, self.mean_)) / (n - 1)  # (d, d)  Σ
            eigenvalues, eigenvectors = np.linalg.eigh(cov)  # (d,), (d, d)  ascending
            variance = np.maximum(eigenvalues[::-1], 0)  # (d,)  largest first; rounding < 0
            Vt = eigenvectors[:, ::-1].T  # (d, d)  one axis per row
            S = np.sqrt(variance * (n - 1))  # (d,)  the singular values an SVD would give
        # svd_flip: make the largest-|.| entry of each axis positive, so signs are defined.
        signs = np.sign(Vt[np.arange(len(Vt)), np.argmax(np.abs(Vt), axis=1)])  # (r,)
        Vt = Vt * signs[:, None]  # (r, d)
        ratio = variance / variance.sum()  # (r,)
        if self.n_components is None:
            k = min(n, d)
        elif isinstance(self.n_components, float):  # smallest k reaching that share
            k = int(np.searchsorted(np.cumsum(ratio), self.n_components, side="right")) + 1
        else:
            k = int(self.n_components)
        if k > min(n, d):
            raise ValueError(
                f"n_components={self.n_components} must be at most min(n_samples, n_features)"
                f" = {min(n, d)}. Lower n_components."
            )
        self.n_components_ = k
        self.components_ = Vt[:k]  # (k, d)
        self.explained_variance_ = variance[:k]  # (k,)
        self.explained_variance_ratio_ = ratio[:k]  # (k,)
        self.singular_values_ = S[:k]  # (k,)
        return self

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Project onto the axes: ``Z = (X − x̄) Vₖ``, shape (n_samples, n_components)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)  # (m, d)
        # (X − x̄) Vₖ = X Vₖ − x̄ Vₖ: the same numbers, without a centred copy of X.
        V = self.components_.T  # (d, k)
        Z: NDArray[np.float64] = X @ V - self.mean_ @ V  # (m, k)
        return Z / np.sqrt(self.explained_variance_) if self.whiten else Z  # (m, k)

    def inverse_transform(self, Z: ArrayLike) -> NDArray[np.float64]:
        """Map projected points back: ``X ≈ Z Vₖᵀ + x̄``, shape (n_samples, n_features)."""
        check_is_fitted(self)
        Z = check_array(Z, dtype=np.float64)  # (m, k)
        if self.whiten:
            Z = Z * np.sqrt(self.explained_variance_)  # (m, k)  undo the scaling
        X: NDArray[np.float64] = Z @ self.components_ + self.mean_  # (m, d)
        return X

    @property
    def _n_features_out(self) -> int:
        """Output columns, named pca0, pca1, … by ``get_feature_names_out``."""
        return int(self.n_components_)
