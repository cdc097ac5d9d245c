"""Ridge regression from scratch: least squares with an L2 penalty, solved in closed form."""

# mypy: allow-redefinition-new

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data


class Ridge(RegressorMixin, BaseEstimator):  # type: ignore[misc]
    """Least squares that keeps the weights small: minimise ``‖X w + b − y‖² + α ‖w‖²``.

    Setting the gradient to zero gives the closed form ``(XᵀX + α I) w = Xᵀy``: the
    penalty adds ``α`` to every eigenvalue of ``XᵀX``, so the system is always solvable and
    large ``α`` shrinks ``w`` towards 0. As in scikit-learn the intercept is not penalised:
    ``X`` and ``y`` are centred first, and ``b = ȳ − x̄ · w``.

    Twin of :class:`sklearn.linear_model.Ridge` (its ``solver="cholesky"``). Only a 1-d ``y``.

    Parameters
    ----------
    alpha : float, default=1.0
        Strength of the penalty ``α ≥ 0``; 0 gives ordinary least squares.
    fit_intercept : bool, default=True
        Learn ``b``; otherwise ``b = 0``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        The weights ``w``.
    intercept_ : float
        The bias ``b``.
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> from tinkerlab.scratch import Ridge
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> y = 2 * X[:, 0] + 1
    >>> Ridge(alpha=0.0).fit(X, y).coef_.round(6)
    array([2.])
    >>> Ridge(alpha=5.0).fit(X, y).coef_.round(6)  # 2 · 5 / (5 + 5): shrunk towards 0
    array([1.])
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
    }

    def __init__(self, alpha: float = 1.0, *, fit_intercept: bool = True) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def fit(self, X: ArrayLike, y: ArrayLike) -> Ridge:
        """Learn ``coef_`` and ``intercept_`` from ``X`` of shape (n_samples, n_features)."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)  # (n, d), (n,)
        n_features = X.shape[1]
        x_mean = X.mean(axis=0) if self.fit_intercept else np.zeros(n_features)  # (d,)
        y_mean = float(y.mean()) if self.fit_intercept else 0.0
        Xc, yc = X - x_mean, y - y_mean  # (n, d), (n,)  centred: b drops out
        A = Xc.T @ Xc + self.alpha * np.eye(n_features)  # (d, d)  XᵀX + αI
        # lstsq rather than solve: with α = 0 and duplicated columns A is singular.
        w = np.linalg.lstsq(A, Xc.T @ yc, rcond=None)[0]  # (d,)  w = (XᵀX + αI)⁻¹ Xᵀy
        self.coef_ = w
        self.intercept_ = y_mean - float(x_mean @ w)
        return self

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return ``ŷ = X @ w + b``, of shape (n_samples,)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)  # (n, d)
        y_hat: NDArray[np.float64] = X @ self.coef_ + self.intercept_  # (n,)
        return y_hat
