"""The categorical block (``recipe/_onehot.py``) gives the numbers of scikit-learn's
``Pipeline([SimpleImputer, OneHotEncoder])`` it replaces: the same 0/1 matrix (compared
exactly: both only ever write ones), the same feature names, and the same run."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

import tinkerlab as tl
from tinkerlab.recipe import build_pipeline, make_recipe
from tinkerlab.recipe._onehot import CategoryBlock


def _texts(n_rows: int, n_columns: int, seed: int) -> pd.DataFrame:
    """Text columns of 2 to 41 values with a tenth of the cells empty (pandas ``str``)."""
    rng = np.random.default_rng(seed)
    columns = {}
    for j in range(n_columns):
        levels = [f"v{i}" for i in range(2 + j % 40)]
        weights = rng.random(len(levels))  # uneven counts, so the rare ones are pooled
        values = rng.choice(levels, size=n_rows, p=weights / weights.sum()).astype(object)
        values[rng.random(n_rows) < 0.1] = np.nan
        columns[f"col {j}"] = values
    return pd.DataFrame(columns).astype("str")


def _dense(matrix: Any) -> np.ndarray:
    return matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix)


@pytest.mark.parametrize("strategy", ["most_frequent", "constant"])
@pytest.mark.parametrize("max_categories", [None, 2, 6, 30])
@pytest.mark.parametrize("sparse_output", [True, False])
def test_the_block_encodes_as_scikit_learns_pair(strategy, max_categories, sparse_output):
    train, test = _texts(200, 45, seed=0), _texts(80, 45, seed=1)
    test.iloc[0, 3] = "never seen"  # pooled with the rare ones, or all zeros
    test.iloc[1, 0] = "never seen"  # column 0 has two values: no rare ones, all zeros
    fill = "missing" if strategy == "constant" else None
    block = CategoryBlock(strategy, fill, max_categories, sparse_output)
    plain = block.plain()

    ours, theirs = block.fit_transform(train), plain.fit_transform(train)
    assert block.plain_ is None  # the block's own path, not the fallback
    assert sparse.issparse(ours) == sparse.issparse(theirs) == sparse_output
    np.testing.assert_array_equal(_dense(ours), _dense(theirs))
    np.testing.assert_array_equal(_dense(block.transform(test)), _dense(plain.transform(test)))
    # fit_transform encodes the fit's own ranks: the very matrix fit().transform() gives
    # (the fold reuse in runner/_folds.py relies on it)
    np.testing.assert_array_equal(_dense(block.transform(train)), _dense(ours))
    assert block.get_feature_names_out().tolist() == plain.get_feature_names_out().tolist()
    imputer = plain.named_steps["impute"]
    assert block.statistics_.tolist() == imputer.statistics_.tolist()
    encoder = plain.named_steps["encode"]
    for mine, sklearns in zip(block.categories_, encoder.categories_, strict=True):
        assert mine.tolist() == sklearns.tolist()


def test_many_distinct_texts_are_counted_by_sorting_to_the_same_result(monkeypatch):
    """Past ``COUNTED_PAIRS`` possible (column, text) pairs the block sorts instead of
    counting in an array; same categories, same matrix."""
    train, test = _texts(200, 45, seed=4), _texts(50, 45, seed=5)
    counted = CategoryBlock(max_categories=6).fit(train)
    monkeypatch.setattr("tinkerlab.recipe._onehot.COUNTED_PAIRS", 0)
    sorted_ = CategoryBlock(max_categories=6).fit(train)
    np.testing.assert_array_equal(sorted_.keys_, counted.keys_)
    np.testing.assert_array_equal(
        sorted_.transform(test).toarray(), counted.plain().fit(train).transform(test).toarray()
    )


@pytest.mark.parametrize(
    "odd",
    [
        pytest.param([1.0, 2.0, 1.0, 3.0], id="numbers"),
        pytest.param(["a", None, "b", "a"], id="None"),
        pytest.param([np.nan] * 4, id="an-empty-column"),
    ],
)
def test_anything_but_texts_goes_to_the_plain_pipeline(odd):
    X = pd.DataFrame({"odd": pd.Series(odd, dtype=object), "t": ["x", "y", "x", "z"]})
    block = CategoryBlock(sparse_output=False)
    ours = block.fit_transform(X)
    assert block.plain_ is not None
    np.testing.assert_array_equal(ours, block.plain().fit_transform(X))


def _wide_frame(n_rows: int = 160) -> pd.DataFrame:
    frame = _texts(n_rows, 30, seed=2)
    rng = np.random.default_rng(3)
    for j in range(10):
        frame[f"x{j}"] = rng.normal(size=n_rows).round(3)
    # a target the first columns say something about, so the models have a signal
    frame["y"] = np.where((frame["col 1"] == "v0") | (frame["x0"] > 0.5), "yes", "no")
    return frame


def test_a_wide_recipe_encodes_its_categories_as_one_block(monkeypatch):
    monkeypatch.setattr("tinkerlab.recipe._onehot.WIDE_CATEGORICAL", 20)
    recipe = make_recipe(tl.load(_wide_frame(), target="y"))
    assert len(recipe.categorical) == 30
    blocks = {name: step for name, step, _ in build_pipeline(recipe)[0].transformers}
    assert isinstance(blocks["categorical"], CategoryBlock)
    from tinkerlab.runner._folds import reuses_fit_output

    assert reuses_fit_output(build_pipeline(recipe))  # the folds still reuse fit_transform


@pytest.mark.parametrize("model", ["random_forest", "logistic_regression"])
def test_a_run_with_the_block_scores_as_the_plain_pipeline(monkeypatch, tmp_path, model):
    """Every score, prediction and importance of a run equal, with and without the block
    (floats compared to 1e-12: the same arithmetic on the same matrix)."""
    frame = tmp_path / "wide.csv"
    _wide_frame().to_csv(frame, index=False)
    monkeypatch.setattr("tinkerlab.recipe._onehot.WIDE_CATEGORICAL", 10**9)
    plain = tl.run(frame, target="y", model=model, record=False)
    monkeypatch.setattr("tinkerlab.recipe._onehot.WIDE_CATEGORICAL", 20)
    block = tl.run(frame, target="y", model=model, record=False)

    assert isinstance(block.pipeline[0].named_transformers_["categorical"], CategoryBlock)
    for name, scores in plain.metrics.items():
        assert block.metrics[name] == pytest.approx(scores, rel=0, abs=1e-12)
    assert block.baseline == plain.baseline
    pd.testing.assert_frame_equal(block.predictions, plain.predictions)
    assert block.summary["outputs"] == plain.summary["outputs"]  # importances too
    assert "OneHotEncoder(" in block.script()  # the script keeps scikit-learn's pair


def test_a_wide_run_saves_and_serves_its_block(monkeypatch, tmp_path):
    """The block is trusted by default: its artifact loads without --trust and predicts
    what the run's pipeline predicts."""
    from tinkerlab.serve import load_artifact, save_artifact

    monkeypatch.setattr("tinkerlab.recipe._onehot.WIDE_CATEGORICAL", 20)
    path = tmp_path / "wide.csv"
    frame = _wide_frame()
    frame.to_csv(path, index=False)
    run = tl.run(path, target="y", model="logistic_regression", record=False)
    artifact = load_artifact(save_artifact(run, tmp_path / "model"))
    assert artifact.schema.column("col 0").optional  # the block fills empty cells
    rows = pd.read_csv(path).drop(columns="y").head(20)
    served = [answer["prediction"] for answer in artifact.predict(rows)]
    assert served == run.pipeline.predict(rows).tolist()
