"""The MLP's backpropagation against finite differences and torch autograd, and its training
against scikit-learn's MLPClassifier."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import neural_network
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from tinkerlab.scratch import MLPClassifier

# Central differences in float64 with step 1e-5: truncation error ~ step² and rounding
# ~ 1e-16 / step, both far below the 1e-6 relative error we require.
FD_STEP = 1e-5
MAX_FD_RELATIVE_ERROR = 1e-6
# Torch computes the same float64 expressions in another order.
RTOL_TORCH = 1e-10
# Same initial weights (the same generator draws, in the same order), the same shuffled
# batches and the same updates as scikit-learn: only rounding differs, which Adam's division
# by √v amplifies a little (measured: 4e-11 after 30 epochs on digits).
ATOL_SKLEARN_WEIGHTS = 1e-8
# Two classes: scikit-learn uses one logistic output unit, we a 2-way softmax, so only the
# held-out accuracy is comparable.
MAX_BINARY_ACCURACY_GAP = 0.03

ACTIVATIONS = ["relu", "tanh", "logistic"]


def _small_problem(activation, alpha=0.1):
    """A 3-layer network with fixed weights on 12 random rows, 3 classes."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(12, 4))
    Y = np.eye(3)[rng.randint(0, 3, size=12)]
    mlp = MLPClassifier(hidden_layer_sizes=(6, 5), activation=activation, alpha=alpha)
    mlp._initialize([4, 6, 5, 3], np.random.RandomState(1))
    return mlp, X, Y


def _loss(mlp, X, Y):
    return mlp._backward(mlp._forward(X), Y)[0]


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_backprop_matches_finite_differences(activation):
    mlp, X, Y = _small_problem(activation)
    _, coef_grads, intercept_grads = mlp._backward(mlp._forward(X), Y)
    for params, grads in [(mlp.coefs_, coef_grads), (mlp.intercepts_, intercept_grads)]:
        for p, g in zip(params, grads, strict=True):
            numeric = np.zeros_like(p)
            for i in np.ndindex(p.shape):
                old = p[i]
                p[i] = old + FD_STEP
                up = _loss(mlp, X, Y)
                p[i] = old - FD_STEP
                down = _loss(mlp, X, Y)
                p[i] = old
                numeric[i] = (up - down) / (2 * FD_STEP)  # ∂L/∂p ≈ (L(p+h) − L(p−h)) / 2h
            relative = np.abs(g - numeric) / np.maximum(np.abs(g) + np.abs(numeric), 1e-12)
            assert relative.max() < MAX_FD_RELATIVE_ERROR


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_forward_and_backward_match_torch_autograd(activation):
    torch = pytest.importorskip("torch")
    mlp, X, Y = _small_problem(activation)
    activations = mlp._forward(X)
    loss, coef_grads, intercept_grads = mlp._backward(activations, Y)

    layers = [torch.nn.Linear(*W.shape, dtype=torch.float64) for W in mlp.coefs_]
    with torch.no_grad():
        for layer, W, b in zip(layers, mlp.coefs_, mlp.intercepts_, strict=True):
            layer.weight.copy_(torch.from_numpy(W.T))  # torch stores (fan_out, fan_in)
            layer.bias.copy_(torch.from_numpy(b))
    f = {"relu": torch.relu, "tanh": torch.tanh, "logistic": torch.sigmoid}[activation]
    a = torch.from_numpy(X)
    for layer in layers[:-1]:
        a = f(layer(a))
    logits = layers[-1](a)
    penalty = sum((layer.weight**2).sum() for layer in layers) * mlp.alpha / (2 * len(X))
    torch_loss = torch.nn.functional.cross_entropy(logits, torch.from_numpy(Y)) + penalty
    torch_loss.backward()

    assert_allclose(activations[-1], torch.softmax(logits, dim=1).detach().numpy(), rtol=1e-12)
    assert_allclose(loss, torch_loss.item(), rtol=RTOL_TORCH)
    for layer, g_W, g_b in zip(layers, coef_grads, intercept_grads, strict=True):
        assert_allclose(g_W, layer.weight.grad.numpy().T, rtol=RTOL_TORCH, atol=1e-14)
        assert_allclose(g_b, layer.bias.grad.numpy(), rtol=RTOL_TORCH, atol=1e-14)


@pytest.mark.parametrize("name", ["iris", "wine", "digits"])
@pytest.mark.parametrize(
    ("solver", "activation"), [("adam", "relu"), ("adam", "tanh"), ("sgd", "logistic")]
)
def test_training_follows_sklearn_step_by_step(load, name, solver, activation):
    X, y = load(name, scale=True)
    params = {
        "hidden_layer_sizes": (16, 8),
        "activation": activation,
        "solver": solver,
        "alpha": 1e-3,
        "batch_size": 64,
        "learning_rate_init": 0.01,
        "max_iter": 15,
        "random_state": 0,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 15 epochs is on purpose
        ours = MLPClassifier(**params).fit(X, y)
        # Our "sgd" uses classical momentum; scikit-learn's default is Nesterov's.
        extra = {"nesterovs_momentum": False} if solver == "sgd" else {}
        theirs = neural_network.MLPClassifier(**params, **extra).fit(X, y)
    for ours_W, their_W in zip(
        ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_, strict=True
    ):
        assert_allclose(ours_W, their_W, atol=ATOL_SKLEARN_WEIGHTS)
    assert_allclose(ours.history_, theirs.loss_curve_, rtol=1e-9)
    assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-8)


def test_binary_accuracy_matches_sklearn(load):
    X, y = load("breast_cancer", scale=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    params = {"hidden_layer_sizes": (32,), "learning_rate_init": 0.01, "random_state": 0}
    ours = MLPClassifier(**params).fit(X_train, y_train)
    theirs = neural_network.MLPClassifier(**params).fit(X_train, y_train)
    assert ours.coefs_[-1].shape == (32, 2)  # softmax over both classes
    assert abs(ours.score(X_test, y_test) - theirs.score(X_test, y_test)) <= (
        MAX_BINARY_ACCURACY_GAP
    )


def test_training_stops_when_the_loss_stops_improving(load):
    X, y = load("iris", scale=True)
    mlp = MLPClassifier((16,), learning_rate_init=0.05, max_iter=1000, random_state=0).fit(X, y)
    assert mlp.n_iter_ < 1000
    assert mlp.history_[-1] < 0.2 * mlp.history_[0]
    assert mlp.loss_ == mlp.history_[-1]


def test_running_out_of_epochs_warns(load):
    X, y = load("iris", scale=True)
    with pytest.warns(ConvergenceWarning, match="Increase max_iter"):
        MLPClassifier(max_iter=3, random_state=0).fit(X, y)


def test_predictions_are_labels_of_the_training_set(load):
    X, y = load("iris", scale=True)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    mlp = MLPClassifier((8,), learning_rate_init=0.05, max_iter=300, random_state=0)
    mlp.fit(X, names)
    assert_array_equal(mlp.classes_, ["setosa", "versicolor", "virginica"])
    assert set(mlp.predict(X)) <= set(names)
