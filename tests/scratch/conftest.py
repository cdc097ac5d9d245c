"""Real datasets for the parity tests, loaded once: ``load("wine", scale=True)``."""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import pytest
from numpy.typing import NDArray
from sklearn import datasets
from sklearn.preprocessing import StandardScaler

Data = tuple[NDArray[np.float64], NDArray[np.float64]]

LOADERS: dict[str, Callable[[], Data]] = {
    "iris": lambda: datasets.load_iris(return_X_y=True),
    "wine": lambda: datasets.load_wine(return_X_y=True),
    "breast_cancer": lambda: datasets.load_breast_cancer(return_X_y=True),
    "digits": lambda: datasets.load_digits(return_X_y=True),
    "diabetes": lambda: datasets.load_diabetes(return_X_y=True),
    # Iris as a regression: predict petal width from the other three measurements.
    "iris_petal_width": lambda: (
        datasets.load_iris().data[:, :3],
        datasets.load_iris().data[:, 3],
    ),
}


@functools.cache
def _load(name: str, scale: bool, jitter: bool) -> Data:
    X, y = LOADERS[name]()
    X = np.asarray(X, dtype=np.float64)
    if scale:
        X = StandardScaler().fit_transform(X)
    if jitter:  # break exact distance ties (integer pixels, rounded measurements)
        X = X + np.random.RandomState(0).normal(scale=1e-6, size=X.shape)
    X.setflags(write=False)  # shared between tests: nobody may change it
    return X, np.asarray(y)


@pytest.fixture
def load() -> Callable[..., Data]:
    """``load(name, scale=False, jitter=False)`` -> (X, y), cached across tests."""

    def load(name: str, *, scale: bool = False, jitter: bool = False) -> Data:
        return _load(name, scale, jitter)

    return load
