"""Linear regression from scratch: least squares by the normal equation or by gradient descent."""

# mypy: allow-redefinition-new

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ._convergence import warn_if_not_converged


class LinearRegression(RegressorMixin, BaseEstimator):  # type: ignore[misc]
    """Fit a straight line (a hyperplane) through the data by least squares.

    The model is ``ŷ = X @ w + b`` and the loss is the mean squared error
    ``L(w, b) = 1/(2n) · ‖X @ w + b − y‖²``. It can be minimised two ways:

    - ``solver="lstsq"`` solves the normal equation ``XᵀX w = Xᵀy`` in one step (with
      ``np.linalg.lstsq``, which stays stable when ``XᵀX`` is singular), after centring
      ``X`` and ``y`` so that the intercept is ``b = ȳ − x̄ · w``;
    - ``solver="gd"`` walks downhill from ``w = 0``: ``w ← w − learning_rate · ∂L/∂w``.

    Twin of :class:`sklearn.linear_model.LinearRegression`, which always solves in one step
    (``solver`` and the gradient-descent parameters are ours). Only a 1-d ``y``.

    Parameters
    ----------
    fit_intercept : bool, default=True
        Learn ``b``; otherwise ``b = 0`` and the line goes through the origin.
    solver : {"lstsq", "gd"}, default="lstsq"
        Normal equation or gradient descent.
    learning_rate : float, default=0.1
        Step size of gradient descent. Too large and the loss grows instead of falling.
    max_iter : int, default=1000
        Most gradient-descent steps.
    tol : float, default=1e-6
        Gradient descent stops when every entry of the gradient is below ``tol``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        The weights ``w``.
    intercept_ : float
        The bias ``b``.
    history_ : list of float
        The loss ``L`` before each gradient step (one value, at the solution, for "lstsq").
    n_iter_ : int
        Gradient steps taken (1 for "lstsq": a single solve).
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> from tinkerlab.scratch import LinearRegression
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> y = 2 * X[:, 0] + 1
    >>> model = LinearRegression().fit(X, y)
    >>> model.coef_.round(6), round(model.intercept_, 6)
    (array([2.]), 1.0)
    >>> gd = LinearRegression(solver="gd", max_iter=5000).fit(X, y)
    >>> gd.predict([[4.0]]).round(4)
    array([9.])
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "fit_intercept": ["boolean"],
        "solver": [StrOptions({"lstsq", "gd"})],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        fit_intercept: bool = True,
        solver: str = "lstsq",
        learning_rate: float = 0.1,
        max_iter: int = 1000,
        tol: float = 1e-6,
    ) -> None:
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: ArrayLike, y: ArrayLike) -> LinearRegression:
        """Learn ``coef_`` and ``intercept_`` from ``X`` of shape (n_samples, n_features)."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)  # (n, d), (n,)
        if self.solver == "lstsq":
            self._solve_normal_equation(X, y)
        else:
            self._gradient_descent(X, y)
        return self

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return ``ŷ = X @ w + b``, of shape (n_samples,)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)  # (n, d)
        y_hat: NDArray[np.float64] = X @ self.coef_ + self.intercept_  # (n,)
        return y_hat

    def _solve_normal_equation(self, X: NDArray[np.float64], y: NDArray[np.float64]) -> None:
        x_mean = X.mean(axis=0) if self.fit_intercept else np.zeros(X.shape[1])  # (d,)
        y_mean = float(y.mean()) if self.fit_intercept else 0.0
        # Centring removes b from the problem: minimise ‖(X − x̄) w − (y − ȳ)‖².
        w = np.linalg.lstsq(X - x_mean, y - y_mean, rcond=None)[0]  # (d,)
        self.coef_ = w
        self.intercept_ = y_mean - float(x_mean @ w)
        residual = X @ w + self.intercept_ - y  # (n,)
        self.history_ = [float(residual @ residual) / (2 * len(y))]
        self.n_iter_ = 1

    def _gradient_descent(self, X: NDArray[np.float64], y: NDArray[np.float64]) -> None:
        n, d = X.shape
        w = np.zeros(d)  # (d,)
        b = 0.0
        history: list[float] = []
        grad_size = np.inf
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is shown, not raised
            for _ in range(self.max_iter):
                residual = X @ w + b - y  # (n,)  r = ŷ − y
                history.append(float(residual @ residual) / (2 * n))  # L = ‖r‖² / 2n
                if not np.isfinite(history[-1]):
                    break
                grad_w = X.T @ residual / n  # (d,)  ∂L/∂w = Xᵀr / n
                grad_b = float(residual.mean()) if self.fit_intercept else 0.0  # ∂L/∂b
                grad_size = max(float(np.abs(grad_w).max(initial=0.0)), abs(grad_b))
                if grad_size < self.tol:
                    break
                w = w - self.learning_rate * grad_w  # (d,)
                b = b - self.learning_rate * grad_b
        self.coef_, self.intercept_ = w, b  # (d,), a float
        self.history_, self.n_iter_ = history, len(history)
        warn_if_not_converged(self, grad_size)
