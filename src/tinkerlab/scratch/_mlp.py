"""A multi-layer perceptron from scratch: forward pass, backpropagation, SGD and Adam."""

# mypy: allow-redefinition-new

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

Array = NDArray[np.float64]

# Each activation f, and its derivative written with the activation's output a = f(z).
ACTIVATIONS: dict[str, Callable[[Array], Array]] = {
    "relu": lambda z: np.maximum(z, 0),
    "tanh": np.tanh,
    "logistic": lambda z: np.exp(-np.logaddexp(0, -z)),  # σ(z) = 1 / (1 + e⁻ᶻ), no overflow
}
DERIVATIVES: dict[str, Callable[[Array], Array]] = {
    "relu": lambda a: (a > 0).astype(float),  # f′ = 1 where z > 0, else 0
    "tanh": lambda a: 1 - a**2,  # f′ = 1 − tanh²
    "logistic": lambda a: a * (1 - a),  # f′ = σ (1 − σ)
}


class MLPClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """A feed-forward neural network trained by backpropagation on the cross-entropy.

    Layer ``l`` computes ``aₗ₊₁ = f(aₗ Wₗ + bₗ)`` with ``a₀ = X`` and a nonlinearity ``f``
    (relu, tanh or logistic); the output layer uses softmax, so the last activation holds
    class probabilities ``P``. The loss on a mini-batch of ``n`` rows is the cross-entropy
    plus an L2 penalty on the weights (not the biases), as in scikit-learn:

        ``L = −(1/n) Σᵢ log Pᵢ,yᵢ + (α / 2n) Σₗ ‖Wₗ‖²``

    ``_forward`` runs the layers and keeps every activation; ``_backward`` applies the chain
    rule from the output back to the input, one layer at a time, to get ``∂L/∂Wₗ`` and
    ``∂L/∂bₗ``; ``solver`` turns those gradients into steps. One epoch is one pass over
    shuffled mini-batches; training stops after ``max_iter`` epochs or when the epoch loss
    has not improved by ``tol`` for more than ``n_iter_no_change`` epochs.

    Twin of :class:`sklearn.neural_network.MLPClassifier`: the same initialisation rule
    (Glorot uniform), loss, Adam update and stopping rule. Deliberate differences: the
    output is always a softmax (scikit-learn uses one logistic unit for two classes); "sgd"
    uses classical momentum (scikit-learn's default is Nesterov's) with a constant learning
    rate; no early stopping on a validation set, ``warm_start`` or ``partial_fit``.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(100,)
        Width of each hidden layer; ``(64, 32)`` is two hidden layers.
    activation : {"relu", "tanh", "logistic"}, default="relu"
        Nonlinearity of the hidden layers.
    solver : {"adam", "sgd"}, default="adam"
        Adam, or mini-batch SGD with momentum.
    alpha : float, default=1e-4
        Strength of the L2 penalty.
    batch_size : int or "auto", default="auto"
        Rows per mini-batch; "auto" is ``min(200, n_samples)``.
    learning_rate_init : float, default=1e-3
        Step size.
    max_iter : int, default=200
        Most epochs.
    shuffle : bool, default=True
        Shuffle the rows before each epoch.
    random_state : int, RandomState or None, default=None
        Seeds the initial weights and the shuffling.
    tol : float, default=1e-4
        Smallest epoch-loss improvement that counts.
    momentum : float, default=0.9
        Momentum of "sgd".
    beta_1, beta_2, epsilon : float, default=0.9, 0.999, 1e-8
        Adam's decay rates of the first and second moment estimates, and its guard.
    n_iter_no_change : int, default=10
        Epochs without improvement tolerated before stopping.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    coefs_ : list of ndarray, the l-th of shape (layer_l_width, layer_l+1_width)
        The weights ``Wₗ``.
    intercepts_ : list of ndarray, the l-th of shape (layer_l+1_width,)
        The biases ``bₗ``.
    history_ : list of float
        Mean training loss of each epoch (scikit-learn's ``loss_curve_``).
    loss_ : float
        The last epoch's loss.
    n_iter_ : int
        Epochs run.
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.preprocessing import StandardScaler
    >>> from tinkerlab.scratch import MLPClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> mlp = MLPClassifier((16,), learning_rate_init=0.01, max_iter=300, random_state=0)
    >>> mlp = mlp.fit(X, y)
    >>> [W.shape for W in mlp.coefs_], round(mlp.score(X, y), 2)
    ([(4, 16), (16, 3)], 0.99)
    >>> mlp.history_[0] > mlp.history_[-1]
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "solver": [StrOptions({"adam", "sgd"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        hidden_layer_sizes: tuple[int, ...] | int = (100,),
        activation: str = "relu",
        *,
        solver: str = "adam",
        alpha: float = 1e-4,
        batch_size: int | str = "auto",
        learning_rate_init: float = 1e-3,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state: int | np.random.RandomState | None = None,
        tol: float = 1e-4,
        momentum: float = 0.9,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        n_iter_no_change: int = 10,
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.momentum = momentum
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change

    def fit(self, X: ArrayLike, y: ArrayLike) -> MLPClassifier:
        """Train the network on ``X`` (n_samples, n_features) and labels ``y``."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64)  # (n, d), (n,)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)  # (K,), (n,)
        Y = (y_index[:, None] == np.arange(len(self.classes_))).astype(float)  # (n, K) one-hot
        n = len(X)
        hidden = np.atleast_1d(self.hidden_layer_sizes).tolist()
        if not all(isinstance(h, int) and h >= 1 for h in hidden):
            raise ValueError(
                f"hidden_layer_sizes must be positive integer widths, got "
                f"{self.hidden_layer_sizes!r}. Example: hidden_layer_sizes=(64, 32)."
            )
        rng = check_random_state(self.random_state)
        self._initialize([X.shape[1], *hidden, len(self.classes_)], rng)
        params = self.coefs_ + self.intercepts_  # the arrays the optimiser updates in place
        # Optimiser memory per parameter: (velocity, unused) for "sgd", (m, v) for "adam".
        state = [(np.zeros_like(p), np.zeros_like(p)) for p in params]  # like params: (m, v)
        batch = min(200, n) if self.batch_size == "auto" else min(int(self.batch_size), n)
        self.history_: list[float] = []
        best_loss, no_improvement, step = np.inf, 0, 0
        order = np.arange(n)  # (n,)
        for _ in range(self.max_iter):
            if self.shuffle:  # re-shuffle the previous order, as scikit-learn does
                order = order[rng.permutation(n)]  # (n,)
            epoch_loss = 0.0
            for start in range(0, n, batch):
                rows = order[start : start + batch]  # (b,)
                loss, coef_grads, intercept_grads = self._backward(self._forward(X[rows]), Y[rows])
                step += 1
                self._step(params, coef_grads + intercept_grads, state, step)
                epoch_loss += loss * len(rows)
            self.history_.append(epoch_loss / n)  # mean loss of the epoch
            # Stopping rule: count epochs that failed to beat the best loss by tol.
            no_improvement = no_improvement + 1 if self.history_[-1] > best_loss - self.tol else 0
            best_loss = min(best_loss, self.history_[-1])
            if no_improvement > self.n_iter_no_change:
                break
        else:
            warnings.warn(
                f"MLPClassifier stopped at max_iter={self.max_iter} epochs before the loss "
                "stopped improving. Increase max_iter or learning_rate_init.",
                ConvergenceWarning,
                stacklevel=2,
            )
        self.loss_, self.n_iter_ = self.history_[-1], len(self.history_)
        return self

    def predict_proba(self, X: ArrayLike) -> Array:
        """Return the softmax output, shape (n_samples, n_classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)  # (m, d)
        return self._forward(X)[-1]  # (m, K)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Return the most probable class, shape (n_samples,)."""
        check_is_fitted(self)
        y_pred: NDArray[Any] = self.classes_[np.argmax(self.predict_proba(X), axis=1)]  # (m,)
        return y_pred

    def _initialize(self, layer_sizes: list[int], rng: np.random.RandomState) -> None:
        """Glorot-uniform weights and biases: U(−r, r), r = √(6 / (fan_in + fan_out))."""
        self.coefs_, self.intercepts_ = [], []
        for fan_in, fan_out in itertools.pairwise(layer_sizes):
            gain = 2.0 if self.activation == "logistic" else 6.0  # as scikit-learn
            r = np.sqrt(gain / (fan_in + fan_out))
            self.coefs_.append(rng.uniform(-r, r, (fan_in, fan_out)))  # (fan_in, fan_out)
            self.intercepts_.append(rng.uniform(-r, r, fan_out))  # (fan_out,)

    def _forward(self, X: Array) -> list[Array]:
        """Run the layers; return every activation ``[X, a₁, …, P]``."""
        f = ACTIVATIONS[self.activation]
        activations = [X]  # a₀: (n, d)
        for W, b in zip(self.coefs_[:-1], self.intercepts_[:-1], strict=True):
            activations.append(f(activations[-1] @ W + b))  # aₗ₊₁ = f(aₗ W + b): (n, width)
        Z = activations[-1] @ self.coefs_[-1] + self.intercepts_[-1]  # (n, K)  output scores
        E = np.exp(Z - Z.max(axis=1, keepdims=True))  # (n, K)  shifted: no overflow
        activations.append(E / E.sum(axis=1, keepdims=True))  # (n, K)  P = softmax(Z)
        return activations

    def _backward(
        self, activations: list[Array], Y: Array
    ) -> tuple[float, list[Array], list[Array]]:
        """Backpropagation: return the loss and ``∂L/∂Wₗ``, ``∂L/∂bₗ`` for every layer."""
        n, P = len(Y), activations[-1]  # P: (n, K)
        penalty = self.alpha / (2 * n) * sum(float((W**2).sum()) for W in self.coefs_)
        loss = -float((Y * np.log(np.maximum(P, np.finfo(float).tiny))).sum()) / n + penalty
        coef_grads: list[Array] = [np.empty(0)] * len(self.coefs_)
        intercept_grads: list[Array] = [np.empty(0)] * len(self.coefs_)
        # Output layer: softmax followed by cross-entropy has the tidy gradient (P − Y) / n.
        delta = (P - Y) / n  # (n, K)  δ = ∂L/∂Z, Z the output layer's pre-activation
        for layer in reversed(range(len(self.coefs_))):  # from the output back to the input
            a_in, W = activations[layer], self.coefs_[layer]  # (n, fan_in), (fan_in, fan_out)
            # Z = a_in W + b, so ∂L/∂W = a_inᵀ δ (plus the penalty's α W / n), ∂L/∂b = Σᵢ δᵢ.
            coef_grads[layer] = a_in.T @ delta + self.alpha / n * W  # (fan_in, fan_out)
            intercept_grads[layer] = delta.sum(axis=0)  # (fan_out,)
            if layer > 0:
                # a_in = f(Z_below), so ∂L/∂Z_below = (δ Wᵀ) ⊙ f′(Z_below): the chain rule.
                delta = (delta @ W.T) * DERIVATIVES[self.activation](a_in)  # (n, fan_in)
        return loss, coef_grads, intercept_grads

    def _step(
        self, params: list[Array], grads: list[Array], state: list[tuple[Array, Array]], t: int
    ) -> None:
        """Update every parameter in place: SGD with momentum, or Adam (step number ``t``)."""
        lr = self.learning_rate_init
        for p, g, (m, v) in zip(params, grads, state, strict=True):
            if self.solver == "sgd":
                m *= self.momentum
                m -= lr * g  # velocity ← μ · velocity − lr · g
                p += m
            else:
                m *= self.beta_1
                m += (1 - self.beta_1) * g  # first moment: running mean of g
                v *= self.beta_2
                v += (1 - self.beta_2) * g**2  # second moment: running mean of g²
                lr_t = lr * np.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)  # bias fix
                p -= lr_t * m / (np.sqrt(v) + self.epsilon)
