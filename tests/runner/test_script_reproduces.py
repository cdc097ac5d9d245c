"""The code you own: a generated script, run on its own, prints the run's numbers.

Each case runs tinkerlab in-process, writes the script, runs it with a fresh Python in a
subprocess (only pandas and scikit-learn needed), and compares every printed line of
scores — model and baseline, CV mean ± std and test — with the run's own, to the printed
precision (at most one unit of the last digit apart: see LAST_DIGIT). Cases cover both
tasks, every column role, sniffed reader options, a sampled file and the
long-column-list form used for images.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tinkerlab as tl
from tinkerlab.recipe._codegen import PRECISION

#: The run and the script compute the same scores in two processes. Same machine, same
#: libraries, same arithmetic: the digits agree. But the run caps its BLAS/OpenMP threads
#: at the cores left idle and the script does not, and a BLAS may add in another order
#: with another thread count; a score sitting exactly on a rounding boundary can then
#: print one unit apart in the last digit. That much, and no more, is allowed.
LAST_DIGIT = 1.01 * 10.0**-PRECISION
_NUMBER = re.compile(r"-?\d+\.\d+")


def script_output(run: tl.Run, tmp_path: Path) -> str:
    path = tmp_path / "train.py"
    path.write_text(run.script(), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def assert_same_numbers(run: tl.Run, printed: str) -> None:
    expected = [run.model, *run.metric_lines("model"), "baseline", *run.metric_lines("baseline")]
    lines = printed.splitlines()
    assert [_NUMBER.sub("#", line) for line in lines] == [_NUMBER.sub("#", e) for e in expected]
    got = [float(v) for line in lines for v in _NUMBER.findall(line)]
    want = [float(v) for line in expected for v in _NUMBER.findall(line)]
    np.testing.assert_allclose(got, want, rtol=0, atol=LAST_DIGIT, err_msg=printed)


CASES = [
    pytest.param("iris", "knn", {"n_neighbors": 7}, id="iris-knn"),
    pytest.param("titanic", "random_forest", {"n_estimators": 30}, id="titanic-forest"),
    pytest.param("diabetes", "ridge", {"alpha": 3.0}, id="diabetes-ridge"),
    pytest.param("penguins", "svm", {}, id="penguins-svm-missing-values"),
    pytest.param("faces", "logistic_regression", {"C": 0.1}, id="faces-625-pixels"),
    pytest.param("credit", "gradient_boosting", {"max_iter": 30}, id="credit-boosting-dense"),
    pytest.param("house_prices", "decision_tree", {"max_depth": 6}, id="ames-tree-regression"),
    pytest.param("reviews", "logistic_regression", {}, id="reviews-text", marks=pytest.mark.slow),
]
SCRATCH_CASES = [
    pytest.param("iris", "knn", {}, id="iris-knn-scratch"),
    pytest.param("titanic", "logistic_regression", {"learning_rate": 0.5}, id="titanic-scratch"),
    pytest.param("diabetes", "decision_tree", {"max_depth": 4}, id="diabetes-tree-scratch"),
]


@pytest.mark.parametrize(("dataset", "model", "params"), CASES)
def test_builtin_script_reproduces_the_run(dataset, model, params, tmp_path):
    run = tl.run(dataset, model=model, params=params, record=False)
    assert_same_numbers(run, script_output(run, tmp_path))


@pytest.mark.parametrize(("dataset", "model", "params"), SCRATCH_CASES)
def test_scratch_twin_script_reproduces_the_run(dataset, model, params, tmp_path):
    """--impl scratch: the script imports the twin from tinkerlab.scratch, same numbers."""
    run = tl.run(dataset, model=model, params=params, impl="scratch", record=False)
    script = run.script()
    assert "from tinkerlab.scratch import" in script
    assert_same_numbers(run, script_output(run, tmp_path))


def test_sniffed_csv_options_replay(tmp_path):
    """A ';'-separated cp1252 file: the script must read it with the same options."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "région": rng.choice(["Zürich", "Málaga", "Köln"], 300),
            "surface": rng.normal(80, 20, 300).round(1),
            "étage": rng.integers(0, 6, 300),
        }
    )
    frame["prix"] = (
        frame["surface"] * 3000 + frame["étage"] * 5000 + rng.normal(0, 20000, 300)
    ).round(0)
    path = tmp_path / "maisons.csv"
    frame.to_csv(path, sep=";", index=False, encoding="cp1252")
    run = tl.run(path, target="prix", model="linear_regression", record=False)
    assert run.recipe.source.read_options.get("sep") == ";"
    assert_same_numbers(run, script_output(run, tmp_path))


def test_sampled_file_replays_the_same_sample(tmp_path):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.normal(size=4000), "b": rng.normal(size=4000)})
    frame["y"] = np.where(frame["a"] + rng.normal(0, 0.5, 4000) > 0, "up", "down")
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False)
    run = tl.run(path, target="y", model="knn", record=False, max_bytes=60_000)
    assert run.summary["inputs"]["rows"] < 4000
    assert_same_numbers(run, script_output(run, tmp_path))


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl", ".xlsx"])
def test_other_formats_replay(suffix, tmp_path):
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"x": rng.normal(size=120).round(3), "kind": rng.choice(["a", "b"], 120)})
    frame["y"] = np.where(frame["x"] > 0, "pos", "neg")
    path = tmp_path / f"table{suffix}"
    if suffix == ".parquet":
        frame.to_parquet(path)
    elif suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True)
    else:
        frame.to_excel(path, index=False)
    run = tl.run(path, target="y", model="logistic_regression", record=False)
    assert_same_numbers(run, script_output(run, tmp_path))


@pytest.mark.slow
def test_notebook_executes_to_the_same_numbers(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    run = tl.run("iris", model="knn", record=False)
    notebook = nbformat.reads(run.notebook(), as_version=4)
    nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    printed = "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("name") == "stdout"
    )
    assert_same_numbers(run, printed)


def test_backslash_in_the_data_path_still_gives_valid_python(tmp_path):
    folder = tmp_path / "d\\Nata"
    folder.mkdir()
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"x": rng.normal(size=80), "y": rng.choice(["u", "v"], 80)})
    frame.to_csv(folder / "q.csv", index=False)
    run = tl.run(folder / "q.csv", target="y", model="knn", record=False)
    assert_same_numbers(run, script_output(run, tmp_path))


@pytest.mark.parametrize(
    ("dataset", "model", "impl"),
    [
        ("titanic", "random_forest", "sklearn"),
        ("faces", "knn", "sklearn"),
        ("reviews", "logistic_regression", "sklearn"),
        ("diabetes", "ridge", "scratch"),
    ],
)
def test_generated_scripts_pass_our_own_lint(dataset, model, impl, tmp_path):
    path = tmp_path / "train.py"
    path.write_text(tl.run(dataset, model=model, impl=impl, record=False).script())
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--isolated",
            "--line-length",
            "100",
            "--select",
            "E,F,W,I,B",
            str(path),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout


def test_decimal_comma_file_is_read_as_numbers_and_replays(tmp_path):
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(
        {"area": rng.normal(80, 20, 200).round(2), "rooms": rng.integers(1, 6, 200)}
    )
    frame["price"] = (frame["area"] * 1.5 + rng.normal(0, 5, 200)).round(2)
    path = tmp_path / "euro.csv"
    frame.to_csv(path, sep=";", decimal=",", index=False)
    run = tl.run(path, target="price", model="ridge", record=False)
    assert run.task == "regression"
    assert run.recipe.source.read_options["decimal"] == ","
    assert "area" in run.recipe.numeric
    assert_same_numbers(run, script_output(run, tmp_path))


@pytest.mark.parametrize("name", ["vader", "minilm"])
def test_pretrained_text_features_script_reproduces_the_run(name, tmp_path):
    """The script imports the featuriser from tinkerlab.pretrained, the rest is scikit-learn."""
    data_file = tmp_path / "reviews.csv"
    tl.load("reviews").frame.head(240).drop(columns=["product", "split"]).to_csv(
        data_file, index=False
    )
    result = tl.run(
        data_file,
        target="score",
        text=["review"],
        model="logistic_regression",
        text_features=name,
        record=False,
    )
    assert result.recipe.preprocessing.text_features == name
    assert result.metrics["accuracy"]["cv_mean"] > 0.6  # both carry real signal about "great"
    featuriser = {"vader": "VaderScores", "minilm": "MiniLMEmbedder"}[name]
    assert f"from tinkerlab.pretrained import {featuriser}" in result.script()
    assert_same_numbers(result, script_output(result, tmp_path))


NEW_FEATURE_CASES = [
    pytest.param("diabetes", "ridge", ["log:bmi", "bins:age=4", "poly:2"], "sklearn", id="steps"),
    pytest.param("titanic", "logistic_regression", ["sqrt:age", "inter"], "sklearn", id="inter"),
    pytest.param("iris", "knn", ["bins:petal length (cm)=3"], "scratch", id="bins-scratch"),
]


@pytest.mark.parametrize(("dataset", "model", "add", "impl"), NEW_FEATURE_CASES)
def test_new_feature_steps_script_reproduces_the_run(dataset, model, add, impl, tmp_path):
    """log, sqrt, bins, poly and interaction terms are pipeline steps: same numbers."""
    run = tl.run(dataset, model=model, add=add, impl=impl, record=False)
    assert_same_numbers(run, script_output(run, tmp_path))


def test_date_parts_and_text_length_script_reproduces_the_run(tmp_path):
    """A file with dates and text: the script reads the date column too (DATES) and
    imports DateParts and TextLength from tinkerlab."""
    rng = np.random.default_rng(0)
    n = 300
    when = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    notes = [" ".join(rng.choice(["ok", "late", "fast"], k)) for k in rng.integers(1, 12, n)]
    frame = pd.DataFrame({"sold on": when.strftime("%Y-%m-%d"), "note": notes})
    frame["price"] = (when.month * 3 + frame["note"].str.len() / 4 + rng.normal(0, 1, n)).round(2)
    path = tmp_path / "sales.csv"
    frame.to_csv(path, index=False)
    run = tl.run(
        path,
        target="price",
        text=["note"],
        model="ridge",
        add=["date:sold on", "len:note"],
        record=False,
    )
    script = run.script()
    assert 'DATES = ["sold on"]' in script
    assert "from tinkerlab.recipe import DateParts, TextLength" in script
    assert_same_numbers(run, script_output(run, tmp_path))


def test_a_wide_table_script_reproduces_the_run(monkeypatch, tmp_path):
    """The run encodes the categories as one block (``recipe/_onehot.py``); the script
    keeps scikit-learn's SimpleImputer + OneHotEncoder and prints the same numbers."""
    monkeypatch.setattr("tinkerlab.recipe._onehot.WIDE_CATEGORICAL", 20)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {f"c{j}": rng.choice(["a", "b", "c", None], size=150) for j in range(25)}
        | {f"x{j}": rng.normal(size=150).round(3) for j in range(5)}
    )
    frame["y"] = np.where((frame["c0"] == "a") | (frame["x0"] > 0.5), "yes", "no")
    path = tmp_path / "wide.csv"
    frame.to_csv(path, index=False)
    run = tl.run(
        str(path), target="y", model="random_forest", params={"n_estimators": 30}, record=False
    )
    assert type(run.pipeline[0].named_transformers_["categorical"]).__name__ == "CategoryBlock"
    assert "OneHotEncoder(" in run.script()
    assert_same_numbers(run, script_output(run, tmp_path))
