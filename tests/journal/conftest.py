"""A fake run for the journal's tests: the journal reads runs by duck typing only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

#: Not real PNGs: the journal stores bytes without looking inside.
PNG_1 = b"\x89PNG\r\n\x1a\n first plot"
PNG_2 = b"\x89PNG\r\n\x1a\n second plot"


@dataclass(frozen=True)
class FakeRecipe:
    model: str = "logistic_regression"
    params: dict[str, Any] = field(default_factory=lambda: {"C": 1.0, "max_iter": 200})

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": "titanic", "model": self.model, "params": self.params, "seed": 0}


@dataclass(frozen=True)
class FakeRun:
    recipe: FakeRecipe = field(default_factory=FakeRecipe)
    dataset_name: str = "titanic"
    task: str = "classification"
    model: str = "logistic_regression"
    metrics: dict[str, dict[str, float]] = field(
        default_factory=lambda: {"accuracy": {"cv_mean": 0.81, "cv_std": 0.02, "test": 0.8}}
    )
    baseline: dict[str, dict[str, float]] = field(
        default_factory=lambda: {"accuracy": {"cv_mean": 0.62, "cv_std": 0.01, "test": 0.61}}
    )
    summary: dict[str, Any] = field(
        default_factory=lambda: {
            "rows": 891,
            "features": {"numeric": ["Age", "Fare"], "categorical": ["Sex"]},
            "class_balance": {"0": 549, "1": 342},
            "confusion_matrix": [[100, 10], [20, 50]],
        }
    )
    timings: dict[str, float] = field(default_factory=lambda: {"fit": 0.12, "cv": 0.5})
    notices: list[str] = field(default_factory=lambda: ["Dropped 2 rows with no target."])
    plots: dict[str, bytes] = field(
        default_factory=lambda: {"confusion_matrix.png": PNG_1, "roc.png": PNG_2}
    )
    data_sha256: str = "ab" * 32


@pytest.fixture
def make_run() -> Callable[..., FakeRun]:
    """``make_run(dataset_name="iris", plots={})``: a FakeRun with some fields changed."""
    return FakeRun
