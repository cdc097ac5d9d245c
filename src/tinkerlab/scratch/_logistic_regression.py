"""Logistic regression from scratch: a linear model of log-odds, by L-BFGS or gradient descent."""

# mypy: allow-redefinition-new

from __future__ import annotations

from collections.abc import Callable
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._convergence import warn_if_not_converged

Array = NDArray[np.float64]
MEMORY = 10  # L-BFGS: how many past steps shape the next one


class LogisticRegression(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Turn a linear score into class probabilities; fit it by L-BFGS or gradient descent.

    Scores are ``Z = X @ Wᵀ + b``, one per class, and ``P = softmax(Z)``. With two classes
    one score ``z`` is enough: the scores ``(0, z)`` give ``P(y=1) = σ(z) = 1 / (1 + e⁻ᶻ)``.
    The loss is the cross-entropy plus an L2 penalty (the intercept is not penalised),

        ``L(W, b) = −(1/n) Σᵢ log P(yᵢ | xᵢ) + ‖W‖² / (2 C n)``,

    scikit-learn's ``C Σᵢ log-loss + ½ ‖W‖²`` divided by ``C n``: the same minimum. Its
    gradient is tidy, ``∂L/∂Z = (P − Y) / n`` with ``Y`` the one-hot targets. Two ways down:

    - ``solver="gd"``, gradient descent: ``W ← W − learning_rate · ∂L/∂W``. It is slow
      because one step size must suit every direction: it has to be below 2 / (the
      steepest curvature of ``L``) or the walk diverges, so along the flattest directions
      each step barely moves. The number of steps grows with the ratio of the two
      curvatures (the condition number): hundreds or thousands of passes over the data.
    - ``solver="lbfgs"`` (the default, as in scikit-learn): remember the last ``MEMORY``
      steps ``s`` and how the gradient changed along them, ``y``; together they say how
      the loss curves, and the two-loop recursion turns that into a step ``≈ −H⁻¹ ∂L``
      that is long where the loss is flat and short where it is steep. A backtracking
      line search makes sure each step lowers the loss. Tens of passes, not thousands.

    Twin of :class:`sklearn.linear_model.LogisticRegression` (its lbfgs solver, L2 penalty,
    multinomial for K > 2 classes). Ours adds ``solver="gd"`` with ``learning_rate``, and
    ``history_``; ``tol`` bounds the largest gradient entry, as scipy's lbfgs does for
    scikit-learn. No ``penalty``, ``class_weight`` or sample weights.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularisation strength: smaller ``C``, smaller weights.
    fit_intercept : bool, default=True
        Learn ``b``; otherwise ``b = 0``.
    solver : {"lbfgs", "gd"}, default="lbfgs"
        L-BFGS, or plain gradient descent with a fixed ``learning_rate``.
    learning_rate : float, default=0.5
        Step size of ``"gd"`` (unused by lbfgs). Too large and the loss grows (see
        ``history_``) with a warning; 0.5 is safe for standardised features.
    max_iter : int, default=100
        Most steps (each one pass over the data; gradient descent needs many more).
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
        The loss ``L`` at the start and after every step: falling if all is well.
    n_iter_ : int
        Steps taken.
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import StandardScaler
    >>> from tinkerlab.scratch import LogisticRegression
    >>> X, y = load_iris(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> model = LogisticRegression().fit(X, y)
    >>> model.coef_.shape, round(model.score(X, y), 2)
    ((3, 4), 0.97)
    >>> gd = LogisticRegression(solver="gd", max_iter=2000).fit(X, y)
    >>> model.n_iter_ < 50 < gd.n_iter_  # the same minimum, many more steps
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "C": [Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "solver": [StrOptions({"lbfgs", "gd"})],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        C: float = 1.0,
        fit_intercept: bool = True,
        solver: str = "lbfgs",
        learning_rate: float = 0.5,
        max_iter: int = 100,
        tol: float = 1e-4,
    ) -> None:
        self.C = C
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: ArrayLike, y: ArrayLike) -> LogisticRegression:
        """Learn ``coef_`` and ``intercept_`` by minimising the penalised cross-entropy."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64)  # (n, d), (n,)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)  # (K,), (n,)
        K = len(self.classes_)
        if K < 2:
            raise ValueError(
                "LogisticRegression needs samples of at least 2 classes in the data, but the "
                f"data contains only one class: {self.classes_[0]!r}. Add samples of another "
                "class."
            )
        n, d = X.shape
        Y = (y_index[:, None] == np.arange(K)).astype(float)  # (n, K) one-hot
        rows = 1 if K == 2 else K  # K' score rows: two classes need only one
        with_b = self.fit_intercept

        def loss_and_gradient(theta: Array) -> tuple[float, Array]:
            """``L`` and ``∂L/∂θ`` at ``θ = (W, b)`` flattened into one vector."""
            W, b = theta[: rows * d].reshape(rows, d), theta[rows * d :]  # (K', d), (K',)
            Z = X @ W.T + (b if with_b else 0)  # (n, K')  scores
            if K == 2:
                Z = np.hstack([np.zeros((n, 1)), Z])  # (n, 2)  scores (0, z): softmax = σ
            log_P = _log_softmax(Z)  # (n, K)
            loss = -float((Y * log_P).sum()) / n + float((W**2).sum()) / (2 * self.C * n)
            G = (np.exp(log_P) - Y)[:, K - rows :] / n  # (n, K')  ∂L/∂Z = (P − Y) / n
            grad_W = G.T @ X + W / (self.C * n)  # (K', d)  ∂L/∂W, data + penalty
            grad_b = G.sum(axis=0) if with_b else np.zeros(0)  # (K',) or (0,)  ∂L/∂b
            return loss, np.concatenate([grad_W.ravel(), grad_b])  # (K'·d [+ K'],)

        theta = np.zeros(rows * d + (rows if with_b else 0))  # (K'·d [+ K'],)  start at 0
        descend = _lbfgs if self.solver == "lbfgs" else _gradient_descent
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is shown, not raised
            theta, self.history_, grad_size = descend(self, loss_and_gradient, theta)
        self.coef_ = theta[: rows * d].reshape(rows, d)  # (K', d)
        self.intercept_ = theta[rows * d :] if with_b else np.zeros(rows)  # (K',)
        self.n_iter_ = len(self.history_) - 1
        warn_if_not_converged(self, grad_size)
        return self

    def decision_function(self, X: ArrayLike) -> Array:
        """Return the scores ``X @ Wᵀ + b``: shape (n_samples,) for two classes, else (n, K)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)  # (n, d)
        Z: Array = X @ self.coef_.T + self.intercept_  # (n, K')
        return Z[:, 0] if Z.shape[1] == 1 else Z  # (n,) or (n, K)

    def predict_proba(self, X: ArrayLike) -> Array:
        """Return class probabilities, shape (n_samples, n_classes), rows summing to 1."""
        check_is_fitted(self)
        Z = self.decision_function(X)  # (n,) or (n, K)
        Z = np.column_stack([np.zeros(len(Z)), Z]) if Z.ndim == 1 else Z  # (n, K)
        return np.exp(_log_softmax(Z))  # (n, K)

    def predict_log_proba(self, X: ArrayLike) -> Array:
        """Return ``log P``, shape (n_samples, n_classes)."""
        check_is_fitted(self)
        return np.log(self.predict_proba(X))  # (n, K)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Return the most probable class of each sample, shape (n_samples,)."""
        check_is_fitted(self)
        y_pred: NDArray[Any] = self.classes_[np.argmax(self.predict_proba(X), axis=1)]  # (n,)
        return y_pred


Objective = Callable[[Array], tuple[float, Array]]


def _gradient_descent(
    model: LogisticRegression, f: Objective, theta: Array
) -> tuple[Array, list[float], float]:
    """Fixed steps downhill; return θ, the loss at the start and after every step, max|g|."""
    loss, g = f(theta)  # g: like θ
    history = [loss]
    for _ in range(model.max_iter):
        if not np.isfinite(loss) or np.abs(g).max() < model.tol:
            break
        theta = theta - model.learning_rate * g  # like θ
        loss, g = f(theta)  # g: like θ
        history.append(loss)
    return theta, history, float(np.abs(g).max())


def _lbfgs(
    model: LogisticRegression, f: Objective, theta: Array
) -> tuple[Array, list[float], float]:
    """L-BFGS with a backtracking line search; return θ, the losses, the final max|g|."""
    loss, g = f(theta)  # g: like θ
    history = [loss]
    pairs: list[tuple[Array, Array]] = []  # the last steps s and the gradient changes y
    for _ in range(model.max_iter):
        if np.abs(g).max() < model.tol:
            break
        direction = -_inverse_hessian_times(g, pairs)  # like θ
        slope = float(g @ direction)  # < 0: downhill
        step = 1.0 if pairs else 1.0 / float(np.linalg.norm(g))  # first step: a unit move
        new_loss, new_g = f(theta + step * direction)  # new_g: like θ
        # Armijo: halve the step until the loss falls by a fair share of what slope promises.
        while new_loss > loss + 1e-4 * step * slope:
            step /= 2
            if step < 1e-12:  # no step lowers the loss any more: the minimum, to rounding
                return theta, history, float(np.abs(g).max())
            new_loss, new_g = f(theta + step * direction)  # new_g: like θ
        s, y = step * direction, new_g - g  # like θ
        if s @ y > 1e-12:  # the curvature along s; skip the pair if rounding ate it
            pairs = [*pairs, (s, y)][-MEMORY:]
        theta, loss, g = theta + s, new_loss, new_g  # θ and g: like θ
        history.append(loss)
    return theta, history, float(np.abs(g).max())


def _inverse_hessian_times(g: Array, pairs: list[tuple[Array, Array]]) -> Array:
    """``H⁻¹ g`` for the curvature the pairs (s, y) reveal: the two-loop recursion.

    (Nocedal & Wright, *Numerical Optimization*, Algorithm 7.4.) With no pairs yet it is
    ``g`` itself: the first step is a gradient step.
    """
    q = g.copy()  # like θ
    alphas = []
    for s, y in reversed(pairs):  # newest pair first
        alphas.append(float(s @ q) / float(s @ y))
        q -= alphas[-1] * y  # like θ
    if pairs:  # start from H₀ = γ I, γ matching the newest curvature along its step
        s, y = pairs[-1]
        q *= float(s @ y) / float(y @ y)  # like θ
    for (s, y), alpha in zip(pairs, reversed(alphas), strict=True):  # oldest pair first
        q += (alpha - float(y @ q) / float(s @ y)) * s  # like θ
    return q


def _log_softmax(Z: Array) -> Array:
    """``log softmax(Z)`` row by row, shape (n, K) like ``Z``, without overflow."""
    Z = Z - Z.max(axis=1, keepdims=True)  # (n, K)  shifted: exp(0) is the largest term
    log_P: Array = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))  # (n, K)
    return log_P
