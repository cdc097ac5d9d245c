"""The warning every gradient-descent twin gives when it blew up or ran out of steps."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from sklearn.exceptions import ConvergenceWarning


def warn_if_not_converged(model: Any, grad_size: float) -> None:
    """Warn when the loss grew (or became inf/NaN), or when ``max_iter`` ran out.

    ``model`` has ``history_`` (loss per step), ``n_iter_``, ``learning_rate``, ``max_iter``
    and ``tol`` (and maybe ``solver``: lbfgs has no learning rate to suggest);
    ``grad_size`` is the largest gradient entry at the last step. Divergence is a result a
    learner should see in ``history_``, so it is a warning, never an exception.
    """
    name, history = type(model).__name__, model.history_
    gradient_descent = getattr(model, "solver", "gd") == "gd"  # a fixed learning_rate
    if not np.isfinite(history[-1]) or history[-1] > history[0]:
        warnings.warn(
            f"{name} diverged: the loss went from {history[0]:.3g} to {history[-1]:.3g} "
            f"in {model.n_iter_} steps. learning_rate={model.learning_rate} is too large for "
            "this data: try a smaller learning_rate (10 times smaller is a good start) "
            "or standardise X.",
            ConvergenceWarning,
            stacklevel=3,
        )
    elif grad_size >= model.tol:
        remedy = "max_iter or learning_rate" if gradient_descent else "max_iter"
        warnings.warn(
            f"{name} did not converge in max_iter={model.max_iter} steps: the largest "
            f"gradient entry is {grad_size:.3g} > tol={model.tol}. Increase {remedy}, "
            "or standardise X.",
            ConvergenceWarning,
            stacklevel=3,
        )
