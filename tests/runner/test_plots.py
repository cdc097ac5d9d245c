"""A run draws no plots; they are drawn when first asked for, the same PNGs as before.

The reference is how a run drew them during the run until December 2026
(``ConfusionMatrixDisplay.from_predictions``, ``RocCurveDisplay.from_estimator`` on the
fitted model): the plots drawn later from the journal's ``plot_data.json`` must be those
files, byte for byte.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tinkerlab as tl
import tinkerlab.runner._execute as execute_module
from tinkerlab.journal import Journal
from tinkerlab.runner._plots import draw_plot


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _eager(recipe: Any, model: Any, X_test: Any, y_test: Any, y_pred: Any) -> dict[str, bytes]:
    """The confusion matrix and ROC curve as the run drew them during the run before."""
    from matplotlib.figure import Figure
    from sklearn.metrics import ConfusionMatrixDisplay, RocCurveDisplay

    name = recipe.source.name or recipe.dataset
    labels = sorted(set(np.asarray(y_test)) | set(np.asarray(y_pred)), key=str)
    size = min(4.0 + 0.4 * len(labels), 12.0)
    figure = Figure(figsize=(size, size * 0.85), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    ConfusionMatrixDisplay.from_predictions(
        y_test,
        y_pred,
        labels=labels,
        ax=axes,
        colorbar=False,
        cmap="Blues",
        xticks_rotation=45 if len(labels) > 4 else "horizontal",
    )
    axes.set_title(f"{recipe.model} on {name}: test split")
    drawn = {"confusion_matrix.png": _png(figure)}
    if len(labels) == 2:
        figure = Figure(figsize=(5.0, 4.0), dpi=100, layout="constrained")
        axes = figure.add_subplot()
        RocCurveDisplay.from_estimator(model, X_test, y_test, ax=axes, name=recipe.model)
        axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance")
        axes.legend(loc="lower right")
        axes.set_title(f"ROC curve on {name}: test split")
        drawn["roc_curve.png"] = _png(figure)
    return drawn


@pytest.mark.parametrize(
    ("dataset", "model", "names"),
    [
        ("iris", "knn", {"confusion_matrix.png", "importances.png"}),
        ("breast_cancer", "svm", {"confusion_matrix.png", "roc_curve.png", "importances.png"}),
        ("breast_cancer", "logistic_regression", {"confusion_matrix.png", "roc_curve.png"}),
        ("diabetes", "ridge", {"predicted_vs_actual.png", "importances.png"}),
    ],
)
def test_plots_drawn_from_the_journal_are_those_drawn_during_the_run_before(
    dataset: str, model: str, names: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def keep(*args: Any) -> Any:
        seen["args"] = args
        return real(*args)

    real = execute_module.plot_data
    monkeypatch.setattr(execute_module, "plot_data", keep)
    run = tl.run(dataset, model=model)
    recipe, fitted, X_test, y_test, y_pred, _found, _outputs = seen["args"]

    folder = run.plot_paths[0].parent
    assert sorted(p.name for p in folder.iterdir()) == ["plot_data.json"]  # nothing drawn yet
    with Journal() as journal:
        paths = journal.get_run(run.id).plot_paths  # asking for them draws them
    assert names <= {p.name for p in paths}
    drawn = {p.name: p.read_bytes() for p in paths}
    assert set(drawn) == set(run.plot_data)
    if recipe.task == "classification":
        for name, png in _eager(recipe, fitted, X_test, y_test, y_pred).items():
            assert drawn[name] == png, name
    for name, spec in run.plot_data.items():  # the JSON file lost nothing
        assert drawn[name] == draw_plot(spec), name
    assert run.plots == drawn  # the Python API draws the same
    with Journal() as journal:  # kept: asked again, the files are read, not drawn
        before = {p: p.stat().st_mtime_ns for p in paths}
        assert {p: p.stat().st_mtime_ns for p in journal.get_run(run.id).plot_paths} == before


def test_a_run_imports_no_matplotlib_and_writes_no_picture(tmp_path: Path) -> None:
    code = (
        "import sys, tinkerlab as tl\n"
        "run = tl.run('iris', model='random_forest', params={'n_estimators': 10})\n"
        "print('matplotlib' in sys.modules)\n"
        "print(','.join(sorted(p.name for p in run.plot_paths[0].parent.iterdir())))\n"
    )
    env = {**os.environ, "TINKERLAB_HOME": str(tmp_path), "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("TINKERLAB_DB", None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "plot_data.json"]


def test_journal_show_draws_the_plots_of_a_run(capsys: pytest.CaptureFixture[str]) -> None:
    from tinkerlab.cli import main

    run = tl.run("iris", model="knn")
    folder = run.plot_paths[0].parent
    assert not any(p.exists() for p in run.plot_paths)
    code: object = 0
    try:
        main(["journal", "show", str(run.id)])
    except SystemExit as done:  # Typer ends a command this way
        code = done.code
    assert code in (0, None)
    assert "importances.png" in capsys.readouterr().out
    assert {p.name for p in folder.iterdir()} == {
        "plot_data.json",
        "confusion_matrix.png",
        "importances.png",
    }
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in run.plot_paths)


def test_runs_recorded_with_their_pictures_read_as_they_were() -> None:
    from types import SimpleNamespace

    png = b"\x89PNG\r\n\x1a\n drawn during the run"
    old = SimpleNamespace(
        recipe=SimpleNamespace(to_dict=lambda: {"model": "knn"}),
        dataset_name="iris",
        task="classification",
        model="knn",
        metrics={"accuracy": {"cv_mean": 0.9, "cv_std": 0.01, "test": 0.91}},
        baseline={"accuracy": {"cv_mean": 0.3, "cv_std": 0.01, "test": 0.33}},
        summary={},
        timings={},
        notices=[],
        plots={"confusion_matrix.png": png},
        data_sha256="0" * 64,
    )
    with Journal() as journal:
        entry = journal.get_run(journal.record_run(old).id)
        assert [p.read_bytes() for p in entry.plot_paths] == [png]
        assert entry.plots_dir is not None
        assert sorted(p.name for p in entry.plots_dir.iterdir()) == ["confusion_matrix.png"]


def test_a_plot_that_cannot_be_drawn_is_left_missing() -> None:
    run = tl.run("iris", model="knn")
    data_file = run.plot_paths[0].parent / "plot_data.json"
    document = json.loads(data_file.read_text())
    document["plots"]["importances.png"]["kind"] = "from_a_later_version"
    data_file.write_text(json.dumps(document))
    with Journal() as journal:
        paths = journal.get_run(run.id).plot_paths
    assert [p.exists() for p in paths] == [True, False]  # confusion_matrix, importances
