"""``tinkerlab scratch``: list, show, compare and ladder, through the real entry point.

Until ``scratch`` is registered on the main app (``app.add_typer(_scratch.app,
name="scratch")`` in ``cli/__init__.py``), the ``registered`` fixture mounts it on a copy
of the app, so ``main()`` and its exit codes are exercised exactly as they will be.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

import tinkerlab.cli
from tinkerlab.cli import _scratch
from tinkerlab.scratch import TWINS


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    app = tinkerlab.cli.app
    if any(group.name == "scratch" for group in app.registered_groups):
        return
    mounted = typer.Typer(name="tinkerlab", add_completion=False, pretty_exceptions_enable=False)
    mounted.registered_commands = list(app.registered_commands)
    mounted.registered_groups = list(app.registered_groups)
    mounted.add_typer(_scratch.app, name="scratch")
    monkeypatch.setattr(tinkerlab.cli, "app", mounted)


def test_list_json_names_every_twin_with_its_parity_test(cli: Any) -> None:
    result = cli("scratch", "list", "--json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert [row["name"] for row in rows] == list(TWINS)
    assert all(row["parity"].startswith("tested: tests/scratch/") for row in rows)
    assert all(row["lines"] > 0 for row in rows)


def test_list_prints_a_table(cli: Any) -> None:
    result = cli("scratch", "list")
    assert result.code == 0, result.err
    assert "logistic_regression" in result.out
    assert "sklearn.linear_model" in result.out  # the module column (wide terminal)


def test_show_prints_the_source_and_the_sklearn_original(cli: Any) -> None:
    result = cli("scratch", "show", "ridge")
    assert result.code == 0, result.err
    assert "class Ridge(RegressorMixin, BaseEstimator)" in result.out
    assert "sklearn.linear_model" in result.out  # the module column (wide terminal)
    assert "docs/scratch.md" in result.out
    assert "test_scratch_linear_models.py" in result.out


def test_show_json_holds_the_whole_file(cli: Any) -> None:
    result = cli("scratch", "show", "KMeans", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["name"] == "kmeans"
    assert "def _lloyd(" in data["source"]


def test_compare_json(cli: Any) -> None:
    result = cli("scratch", "compare", "gaussian_nb", "iris", "--seed", "1", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["dataset"], data["seed"], data["agreement"]) == ("iris", 1, 1.0)
    assert data["ours"]["estimator"] == "tinkerlab.scratch.GaussianNB"
    assert data["theirs"]["score"] == data["ours"]["score"]


def test_compare_prints_both_sides_and_the_agreement(cli: Any) -> None:
    result = cli("scratch", "compare", "linear_regression")
    assert result.code == 0, result.err
    assert "sklearn.linear_model.LinearRegression" in result.out
    assert "Identical test predictions: 100.0%" in result.out


def test_ladder_json_and_plot(cli: Any, tmp_path: Path) -> None:
    plot = tmp_path / "ladder.png"
    result = cli("scratch", "ladder", "faces", "--epochs", "2", "--plot", str(plot), "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert [step["step"] for step in data["steps"]] == [1, 2, 3, 4, 5]
    assert data["settings"]["epochs"] == 2
    assert data["plot"] == str(plot)
    assert plot.read_bytes().startswith(b"\x89PNG")


def test_ladder_table_names_the_baseline_and_any_skipped_rung(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # as if torch were not installed
    result = cli("scratch", "ladder", "--epochs", "1", "--seed", "2")
    assert result.code == 0, result.err
    assert "Baseline (always the most frequent class): 0.500" in result.out
    assert "pip install 'tinkerlab[deep]'" in " ".join(result.out.split())


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("show", "knn_clasifier"), "Did you mean 'knn_classifier'?"),
        (("compare", "logistic_regresion"), "Did you mean 'logistic_regression'?"),
        (("compare", "knn_classifier", "diabetes"), "Datasets it works on:"),
        (("compare", "ridge", "nope"), "There is no built-in dataset called 'nope'"),
        (("ladder", "iris"), "Choose one of: faces, digits"),
        (("ladder", "faces", "--epochs", "0"), "epochs=0"),
    ],
)
def test_bad_names_exit_2_with_one_paragraph_and_no_traceback(
    cli: Any, args: tuple[str, ...], says: str
) -> None:
    result = cli("scratch", *args)
    assert result.code == 2, result.out + result.err
    assert result.message.startswith("Error:")
    assert says in result.message
    assert "Traceback" not in result.err + result.out


def test_every_command_has_an_example_in_its_help(cli: Any) -> None:
    for command in ("list", "show", "compare", "ladder"):
        result = cli("scratch", command, "--help")
        assert result.code == 0
        assert "Example:" in result.out
