"""Journals built with the real library on small data, shared by the path's tests.

``worked`` is a journal (a SQLite file) holding what a learner a few days in would have:
a run on a built-in dataset, an experiment on a file of their own predicted first in which
the detectors found overfitting, and an experiment without a prediction. Tests that add to
it work on a copy (``worked_copy``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest


def write_noisy_csv(path: Path, rows: int = 300, seed: int = 0) -> Path:
    """Two informative columns, one useless, 20 % flipped labels: a deep tree overfits."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, 3))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    flip = rng.random(rows) < 0.2
    y[flip] = 1 - y[flip]
    frame = pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "c": X[:, 2]})
    frame["label"] = np.where(y == 1, "yes", "no")
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def noisy_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_noisy_csv(tmp_path_factory.mktemp("data") / "noisy.csv")


@pytest.fixture(scope="session")
def worked(tmp_path_factory: pytest.TempPathFactory, noisy_csv: Path) -> Iterator[dict]:
    """A journal with a built-in run and two experiments (see the module's docstring)."""
    import tinkerlab as tl

    home = tmp_path_factory.mktemp("home")
    url = f"sqlite:///{home / 'journal.sqlite'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TINKERLAB_HOME", str(home))
        run = tl.run("iris", model="knn", db=url)
        overfit = tl.tinker(
            noisy_csv, "max_depth", [1, 2, 4, 8, 16], target="label",
            model="decision_tree", predict="peak", repeats=1, db=url,
        )  # fmt: skip
        blind = tl.tinker("iris", "n_neighbors", [1, 5, 25], model="knn", repeats=1, db=url)
    assert "overfitting" in {f.id for f in overfit.phenomena}  # what the tests build on
    return {"url": url, "run": run.id, "overfit": overfit.id, "blind": blind.id, "home": home}


@pytest.fixture
def worked_copy(worked: dict, tmp_path: Path) -> dict:
    """A private copy of ``worked`` to add records to."""
    target = tmp_path / "journal.sqlite"
    shutil.copy(worked["home"] / "journal.sqlite", target)
    return {**worked, "url": f"sqlite:///{target}"}
