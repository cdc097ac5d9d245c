"""The playground's numbers: 2-D toy data, a model from the registry, its decision map.

:func:`toy_data` draws one of five classic 2-D problems (moons, circles, blobs, a
spiral, XOR) with a noise level and a size; :func:`draw` fits a registry model on 70% of
the points, scores it on both parts, and predicts a grid over the plane: the page paints
the grid as the decision boundary and the points on top. The model is built by the
registry's own pipeline builder (:func:`tinkerlab.recipe.build_pipeline`), so the
playground's kNN, trees, SVMs or scratch twins are exactly the ones ``tinkerlab run``
fits, preprocessing included.

>>> X, y = toy_data("xor", noise=0.1, n=200, seed=0)
>>> X.shape, sorted(set(y.tolist()))
((200, 2), [0, 1])
"""

from __future__ import annotations

import functools
import time
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

#: The toy problems, in the order the page lists them.
TOYS = ("moons", "circles", "blobs", "spiral", "xor")
#: Cells per side of the decision map.
GRID = 60
#: Share of the points held out for the test score.
TEST_SHARE = 0.3


def toy_data(name: str, *, noise: float, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """*n* points of toy problem *name*: ``X`` (n, 2) and class labels ``y`` (n,)."""
    from sklearn import datasets

    rng = np.random.default_rng(seed)
    if name == "moons":
        X, y = datasets.make_moons(n, noise=noise, random_state=seed)
    elif name == "circles":
        X, y = datasets.make_circles(n, noise=noise, factor=0.5, random_state=seed)
    elif name == "blobs":
        X, y = datasets.make_blobs(
            n, centers=3, cluster_std=0.4 + 2 * noise, random_state=seed, center_box=(-6, 6)
        )
    elif name == "spiral":
        t = np.sqrt(rng.uniform(0, 1, n)) * 3 * np.pi  # (n,) angle along the arm
        y = np.arange(n) % 2  # (n,) two interleaved arms
        radius = t / (3 * np.pi)  # (n,) grows along the arm
        arm = np.pi * y  # (n,) the second arm is the first turned half a circle
        X = np.column_stack([radius * np.cos(t + arm), radius * np.sin(t + arm)])  # (n, 2)
        X += rng.normal(0, noise * 0.5, X.shape)
    elif name == "xor":
        X = rng.uniform(-1, 1, (n, 2))  # (n, 2)
        y = ((X[:, 0] > 0) ^ (X[:, 1] > 0)).astype(int)  # (n,) the quadrant's parity
        X += rng.normal(0, noise * 0.5, X.shape)
    else:
        from tinkerlab.exceptions import InputError

        raise InputError(f"No toy problem {name!r}. Fix: choose one of {', '.join(TOYS)}.")
    return np.asarray(X, dtype=float), np.asarray(y, dtype=int)


@functools.lru_cache(maxsize=32)
def _prepared(name: str, noise: float, n: int, seed: int) -> tuple[Any, Any, Any, Any, Any, Any]:
    """The toy data split once into train and test, as frames the pipeline takes."""
    import pandas as pd
    from sklearn.model_selection import train_test_split

    X, y = toy_data(name, noise=noise, n=n, seed=seed)
    frame = pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1]})
    labels = pd.Series([f"class {v}" for v in y], name="label")
    parts = train_test_split(frame, labels, test_size=TEST_SHARE, random_state=seed, stratify=y)
    X_train, X_test, y_train, y_test = parts
    return X, y, X_train, X_test, y_train, y_test


def _mlp_knobs() -> tuple[Any, ...]:
    """The neural network's knobs. The model registry has no MLP row yet (its hidden
    layers are a tuple, which no knob kind holds), so the playground declares one hidden
    layer's width here, with the knobs that shape the boundary."""
    from tinkerlab.recipe import Knob

    return (
        Knob(
            "hidden_layer_sizes",
            "int",
            16,
            "Units in the one hidden layer: more bend the boundary more.",
            low=1,
            high=256,
            scale="log",
        ),
        Knob(
            "activation",
            "choice",
            "relu",
            "The hidden units' non-linearity.",
            choices=("relu", "tanh", "logistic"),
        ),
        Knob(
            "alpha",
            "float",
            1e-4,
            "L2 penalty on the weights: larger smooths the boundary.",
            low=1e-6,
            high=10.0,
            scale="log",
        ),
        Knob(
            "learning_rate_init",
            "float",
            0.01,
            "The size of each Adam step.",
            low=1e-4,
            high=1.0,
            scale="log",
        ),
        Knob(
            "max_iter",
            "int",
            200,
            "Passes over the training points.",
            low=5,
            high=3000,
            scale="log",
        ),
    )


#: The playground's model besides the registry's: a neural network, scikit-learn's or our
#: from-scratch twin (``tinkerlab.scratch.MLPClassifier``).
MLP = "mlp"


def models() -> list[tuple[str, str, bool]]:
    """``(name, title, has a scratch twin)`` of every model the playground offers."""
    from tinkerlab.recipe import models_for

    listed = [
        (m.name, m.title, "classification" in m.scratch)
        for m in models_for("classification")
        if m.name != "dummy"
    ]
    return [*listed, (MLP, "Neural network (MLP, one hidden layer)", True)]


def knobs_of(model: str, impl: str) -> tuple[Any, ...]:
    """The knobs the page draws as sliders for *model*."""
    if model == MLP:
        return _mlp_knobs()
    from tinkerlab.recipe import get_model

    return get_model(model, "classification").knobs_for("classification", impl)  # type: ignore[arg-type]


def _mlp_pipeline(params: dict[str, Any], impl: str, seed: int) -> Any:
    """A scaler and the neural network (scikit-learn's, or our twin)."""
    from sklearn.neural_network import MLPClassifier as SkMLP
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from tinkerlab.scratch import MLPClassifier as TwinMLP

    values: dict[str, Any] = {k.name: k.default for k in _mlp_knobs()}
    for knob in _mlp_knobs():
        if knob.name in params:
            raw = params[knob.name]
            values[knob.name] = (
                knob.parse(raw, "Neural network")
                if isinstance(raw, str)
                else knob.check(raw, "MLP")
            )
    cls: Any = TwinMLP if impl == "scratch" else SkMLP
    return make_pipeline(StandardScaler(), cls(**values, random_state=seed))


@dataclass(frozen=True)
class Drawing:
    """What the page paints: the points, the decision map and the two scores."""

    points: list[list[float]]  # [x1, x2, class index, 1 if test else 0]
    classes: list[str]
    bounds: list[float]  # x1 min, x1 max, x2 min, x2 max of the map
    grid: int  # cells per side
    cells: list[int]  # (grid * grid,) class index, row by row from the bottom, in 0..
    confidence: list[float]  # (grid * grid,) probability of that class (1 without one)
    train: float  # accuracy on the training points
    test: float  # accuracy on the test points
    fit_ms: float  # time to fit
    total_ms: float  # time to fit, score and predict the map

    def to_dict(self) -> dict[str, Any]:
        return {
            "points": self.points,
            "classes": self.classes,
            "bounds": self.bounds,
            "grid": self.grid,
            "cells": self.cells,
            "confidence": self.confidence,
            "train": round(self.train, 4),
            "test": round(self.test, 4),
            "fit_ms": round(self.fit_ms, 1),
            "total_ms": round(self.total_ms, 1),
        }


def draw(
    toy: str,
    *,
    noise: float,
    n: int,
    seed: int,
    model: str,
    params: dict[str, Any],
    impl: str = "sklearn",
) -> Drawing:
    """Fit *model* (a registry name, *params* checked by its knobs) on the toy data and
    predict the plane."""
    from tinkerlab.recipe import Recipe, build_pipeline, get_model, parse_settings

    start = time.perf_counter()
    X, y, X_train, X_test, y_train, y_test = _prepared(toy, round(noise, 4), n, seed)
    if model == MLP:
        pipeline = _mlp_pipeline(params, impl, seed)
    else:
        get_model(model, "classification")
        checked = parse_settings(model, "classification", params, impl)  # type: ignore[arg-type]
        recipe = _recipe(model, impl, tuple(sorted(checked.items(), key=lambda kv: kv[0])), seed)
        assert isinstance(recipe, Recipe)
        pipeline = build_pipeline(recipe)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an MLP stopped early says so: the scores show it
        pipeline.fit(X_train, y_train)
    fit_ms = 1000 * (time.perf_counter() - start)
    train = float((pipeline.predict(X_train) == y_train).mean())
    test = float((pipeline.predict(X_test) == y_test).mean())
    lo, hi = X.min(axis=0), X.max(axis=0)  # (2,) each
    pad = 0.08 * (hi - lo)
    lo, hi = lo - pad, hi + pad
    g1 = np.linspace(lo[0], hi[0], GRID)  # (GRID,)
    g2 = np.linspace(lo[1], hi[1], GRID)  # (GRID,)
    mesh1, mesh2 = np.meshgrid(g1, g2)  # (GRID, GRID) each, rows from the bottom
    import pandas as pd

    plane = pd.DataFrame({"x1": mesh1.ravel(), "x2": mesh2.ravel()})  # (GRID², 2)
    classes = [str(c) for c in pipeline.classes_]
    if hasattr(pipeline, "predict_proba"):
        proba = np.asarray(pipeline.predict_proba(plane))  # (GRID², classes)
        cells = proba.argmax(axis=1)  # (GRID²,)
        confidence = proba.max(axis=1)  # (GRID²,)
    else:
        predicted = np.asarray(pipeline.predict(plane))  # (GRID²,)
        cells = np.searchsorted(np.asarray(pipeline.classes_), predicted)
        confidence = np.ones(len(predicted))
    test_rows = set(X_test.index.tolist())
    points = [
        [round(float(X[i, 0]), 4), round(float(X[i, 1]), 4), int(y[i]), int(i in test_rows)]
        for i in range(len(y))
    ]
    return Drawing(
        points=points,
        classes=classes,
        bounds=[float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])],
        grid=GRID,
        cells=[int(c) for c in cells],
        confidence=[round(float(p), 3) for p in confidence],
        train=train,
        test=test,
        fit_ms=fit_ms,
        total_ms=1000 * (time.perf_counter() - start),
    )


@functools.lru_cache(maxsize=256)
def _recipe(model: str, impl: str, params: tuple[tuple[str, Any], ...], seed: int) -> Any:
    """The Recipe of a playground model: two numeric columns, its knobs, the seed."""
    import pandas as pd

    from tinkerlab.data import load
    from tinkerlab.recipe import make_recipe

    frame = pd.DataFrame({"x1": [0.0, 1.0, 0.5, 0.2], "x2": [1.0, 0.0, 0.3, 0.9]})
    frame["label"] = ["class 0", "class 1", "class 0", "class 1"]
    dataset = load(frame, target="label", task="classification", numeric=("x1", "x2"))
    twin: Any = impl  # "sklearn" or "scratch": the registry checks it
    return make_recipe(dataset, model=model, params=dict(params), impl=twin, seed=seed)
