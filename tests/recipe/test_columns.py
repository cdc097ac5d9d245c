"""Wide blocks go to scikit-learn as positions (``recipe/_columns.py``): the same numbers
as the plain lists of names, the same columns read when a table comes in another order,
and an artifact that saves, loads and serves them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tinkerlab as tl
from tinkerlab.recipe import build_pipeline, make_recipe
from tinkerlab.recipe._columns import ColumnsNamed


def _table(n_rows: int = 120) -> pd.DataFrame:
    """Eight numeric and three text columns, some cells empty; a target they explain."""
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({f"x {j}": rng.normal(size=n_rows).round(3) for j in range(8)})
    for j in range(3):
        values = rng.choice(["red", "green", "blue"], size=n_rows).astype(object)
        values[rng.random(n_rows) < 0.1] = None
        frame[f"colour {j}"] = values
    frame.loc[rng.random(n_rows) < 0.1, "x 2"] = np.nan
    frame["y"] = np.where(frame["x 0"] + (frame["colour 0"] == "red") > 0.5, "yes", "no")
    return frame


def test_a_selector_finds_names_by_position_and_says_which_are_missing():
    frame = pd.DataFrame(columns=["a", "b c", "d"])
    assert ColumnsNamed(["d", "a"])(frame) == [2, 0]
    with pytest.raises(ValueError, match=r"\['e'\]"):
        ColumnsNamed(["a", "e"])(frame)
    assert repr(ColumnsNamed(["a", "b", "c", "d", "e"])) == "ColumnsNamed(['a', 'b', 'c', … (+2)])"


def test_only_blocks_of_many_names_are_handed_over_as_positions(monkeypatch):
    recipe = make_recipe(tl.load(_table(), target="y"))
    plain = build_pipeline(recipe)[0].transformers
    assert all(isinstance(columns, list) for _, _, columns in plain)
    monkeypatch.setattr("tinkerlab.recipe._columns.WIDE_COLUMNS", 5)
    wide = {name: columns for name, _, columns in build_pipeline(recipe)[0].transformers}
    assert isinstance(wide["numeric"], ColumnsNamed)  # 8 names
    assert wide["categorical"] == ["colour 0", "colour 1", "colour 2"]  # 3: kept as names


@pytest.mark.parametrize("model", ["random_forest", "logistic_regression"])
def test_a_run_by_position_scores_as_the_run_by_name(monkeypatch, tmp_path, model):
    path = tmp_path / "table.csv"
    _table().to_csv(path, index=False)
    by_name = tl.run(path, target="y", model=model, record=False)
    monkeypatch.setattr("tinkerlab.recipe._columns.WIDE_COLUMNS", 2)
    by_position = tl.run(path, target="y", model=model, record=False)

    transformers = by_position.pipeline[0].transformers
    assert all(isinstance(columns, ColumnsNamed) for _, _, columns in transformers)
    for name, scores in by_name.metrics.items():
        assert by_position.metrics[name] == pytest.approx(scores, rel=0, abs=1e-12)
    pd.testing.assert_frame_equal(by_position.predictions, by_name.predictions)
    assert by_position.summary["outputs"] == by_name.summary["outputs"]  # importances too
    assert "ColumnsNamed" not in by_position.script()  # the script keeps the names

    rows = pd.read_csv(path).drop(columns="y")
    shuffled = rows[list(reversed(rows.columns))]  # the same table, columns in another order
    expected = by_name.pipeline.predict(rows).tolist()
    assert by_position.pipeline.predict(shuffled).tolist() == expected


def test_an_artifact_by_position_loads_untrusted_free_and_serves(monkeypatch, tmp_path):
    """The selector is trusted by default, and the served schema still knows which
    columns the pipeline fills in when empty (read back from positions)."""
    from tinkerlab.serve import load_artifact, save_artifact

    path = tmp_path / "table.csv"
    _table().to_csv(path, index=False)
    by_name = tl.run(path, target="y", model="logistic_regression", record=False)
    monkeypatch.setattr("tinkerlab.recipe._columns.WIDE_COLUMNS", 2)
    run = tl.run(path, target="y", model="logistic_regression", record=False)

    artifact = load_artifact(save_artifact(run, tmp_path / "model"))
    plain = load_artifact(save_artifact(by_name, tmp_path / "plain"))
    assert artifact.schema == plain.schema
    assert artifact.schema.column("x 2").optional  # imputed, found through its position
    rows = pd.read_csv(path).drop(columns="y").head(30)
    served = [answer["prediction"] for answer in artifact.predict(rows)]
    assert served == run.pipeline.predict(rows).tolist()
