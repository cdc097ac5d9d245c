"""Shared by the service tests: small trained runs and their artifacts, built once per worker.

``fitted_run`` fits a registry model on a built-in dataset without cross-validation (the
artifact tests need a fitted pipeline, not its scores); ``titanic`` & co. are real
``tl.run`` results with a few trees, so tests stay fast on two cores.
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path
from typing import Any

import pytest

import tinkerlab as tl
from tinkerlab.runner import Run


@functools.cache
def dataset(name: str) -> Any:
    return tl.load(name)


def fitted_run(name: str, model: str, impl: str = "sklearn", **params: Any) -> tuple[Run, Any]:
    """(a Run whose pipeline is fitted on the training split, the test split's features).

    The scores are placeholders: the artifact tests need the fitted pipeline, not its
    cross-validation, which would take minutes for every model of the registry.
    """
    import pandas as pd

    from tinkerlab.recipe import build_pipeline, make_recipe, metrics_for
    from tinkerlab.runner import prepare_frame, split

    data = dataset(name)
    recipe = make_recipe(data, model=model, params=params, impl=impl)  # type: ignore[arg-type]
    X, y = prepare_frame(recipe, data.frame)
    X_train, X_test, y_train, _y_test = split(recipe, X, y)
    pipeline = build_pipeline(recipe)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence warnings of small solvers
        pipeline.fit(X_train, y_train)
    n_classes = int(y.nunique()) if recipe.task == "classification" else 0
    specs = metrics_for(recipe.task, n_classes, pipeline)
    scores = {
        m.name: {"cv_mean": 0.5, "cv_std": 0.1, "train_mean": 0.6, "test": 0.5} for m in specs
    }
    if recipe.task == "regression":
        scores["rmse"] = {"cv_mean": 1.0, "cv_std": 0.1, "train_mean": 0.9, "test": 1.0}
    run = Run(
        recipe=recipe,
        pipeline=pipeline,
        metrics=scores,
        baseline=scores,
        metric_specs=specs,
        summary={"inputs": {"rows": len(X), "train_rows": len(X_train), "test_rows": len(X_test)}},
        timings={},
        notices=[],
        data_sha256=data.source.sha256,
        predictions=pd.DataFrame({"predicted": pipeline.predict(X_test)}),
    )
    return run, X_test


def held_out(name: str, recipe: Any) -> Any:
    """The held-out test split's feature columns of a built-in dataset."""
    from tinkerlab.runner import prepare_frame, split

    X, y = prepare_frame(recipe, dataset(name).frame)
    return split(recipe, X, y)[1]


@pytest.fixture(scope="session")
def titanic_run() -> Run:
    return tl.run("titanic", params={"n_estimators": 30}, cv=2, record=False)


@pytest.fixture(scope="session")
def titanic_dir(titanic_run: Run, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tinkerlab.serve import save_artifact

    return save_artifact(titanic_run, tmp_path_factory.mktemp("artifacts") / "titanic")


@pytest.fixture
def titanic(titanic_dir: Path, tmp_path: Path) -> Any:
    """A fresh load of the titanic artifact (monitor log in this test's tmp_path)."""
    from tinkerlab.serve import load_artifact

    return load_artifact(titanic_dir)


@pytest.fixture(scope="session")
def diabetes_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tinkerlab.serve import save_artifact

    run = tl.run("diabetes", model="ridge", cv=2, record=False)
    return save_artifact(run, tmp_path_factory.mktemp("artifacts") / "diabetes")


@pytest.fixture(scope="session")
def reviews_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tinkerlab.serve import save_artifact

    data = tl.load("reviews")
    small = data.frame.sample(800, random_state=0)
    run = tl.run(small, target=data.target, text=data.features("text"), cv=2, record=False)
    return save_artifact(
        run, tmp_path_factory.mktemp("artifacts") / "reviews", data=small, name="reviews"
    )


def make_client(artifact: Any, tmp_path: Path, **config: Any) -> Any:
    """A TestClient of the app (lifespan started), its prediction log in *tmp_path*."""
    from fastapi.testclient import TestClient

    from tinkerlab.serve import ServeConfig, create_app

    settings = {"monitor_dir": tmp_path / "monitor", "access_log": False, **config}
    return TestClient(create_app(artifact, ServeConfig(**settings)), raise_server_exceptions=False)


@pytest.fixture
def fit_model():
    """``fit_model("titanic", "knn", "scratch")`` → (Run, X_test); see :func:`fitted_run`."""
    return fitted_run


@pytest.fixture
def client_for(tmp_path: Path):
    """``client_for(artifact, batch=False)`` → a TestClient of the service (use as ``with``)."""
    return lambda artifact, **config: make_client(artifact, tmp_path, **config)
