"""The lab's chart specs are valid Vega-Lite (the same objects render in Jupyter), and
``tinkerlab lab`` refuses what it must before listening."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from tinkerlab.web import _charts


def _prediction(shape: str | None, hit: bool | None, scored: bool = True) -> SimpleNamespace:
    """A prediction record as the journal hands it back (the fields the chart reads)."""
    return SimpleNamespace(
        knob="max_depth",
        dataset="titanic",
        shape=shape,
        observed_shape="peak",
        shape_hit=hit,
        scored_at=datetime.now(UTC) if scored else None,
    )


PREDICTIONS = [
    _prediction("up", None),  # too noisy to tell
    _prediction("peak", True),
    _prediction("down", False),
    _prediction("peak", None, scored=False),  # still running: not on the chart
    _prediction(None, None),  # no shape predicted: not on the chart
    _prediction("peak", True),
]

SPECS = {
    "metrics": _charts.metrics_chart(
        {"accuracy": {"cv_mean": 0.8, "cv_std": 0.02, "test": 0.81}},
        {"accuracy": {"cv_mean": 0.6, "cv_std": 0.01, "test": float("nan")}},
    ),
    "confusion": _charts.confusion_chart(["no", "yes"], [[30, 4], [6, 20]]),
    "importances": _charts.importance_chart([{"feature": "age", "importance": 0.1, "std": 0.02}]),
    "curve (log)": _charts.sweep_chart(
        _charts.sweep_rows(0, 1, "1", [1.0, 1.0], [0.7, 0.6]),
        knob="n_neighbors",
        metric="accuracy",
        numeric=True,
        log=True,
        domain=(1, 45),
    ),
    "curve (choices)": _charts.sweep_chart(
        _charts.sweep_rows(0, "tfidf", "tfidf", [0.9], [0.8]),
        knob="text_features",
        metric="f1",
        numeric=False,
        labels=["tfidf", "minilm"],
    ),
    "residuals": _charts.residual_chart([1.0, 2.0, 3.5], [1.5, 1.75, float("nan")]),
    "prediction record": _charts.prediction_record_chart(PREDICTIONS),
    "epochs": _charts.epoch_chart(
        [
            {"fit": 1, "epoch": 1, "split": "train", "loss": 1.1},
            {"fit": 1, "epoch": 1, "split": "validation", "loss": 1.2},
            *_charts.history_rows([{"epoch": 1, "train_loss": 0.9}]),
        ]
    ),
    "leaderboard": _charts.leaderboard_chart(
        [{"model": "knn", "mean": 0.9, "low": 0.85, "high": 0.95, "rank": 1}], "accuracy"
    ),
}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_chart_is_valid_vega_lite(name: str) -> None:
    """Altair validates each spec against the Vega-Lite schema: the chart a page draws is
    the chart a notebook shows."""
    pytest.importorskip("altair")
    chart = _charts.to_altair(SPECS[name], validate=True)
    assert chart.to_dict(validate=False)["$schema"].endswith("v6.json")


def test_history_rows_keep_every_recorded_loss() -> None:
    history = [{"epoch": 1, "train_loss": 0.9, "valid_loss": 1.0, "valid_acc": 0.5},
               {"epoch": 2, "train_loss": 0.5, "valid_loss": float("nan")}]  # fmt: skip
    assert _charts.history_rows(history) == [
        {"fit": "final", "epoch": 1, "split": "train", "loss": 0.9},
        {"fit": "final", "epoch": 1, "split": "validation", "loss": 1.0},
        {"fit": "final", "epoch": 2, "split": "train", "loss": 0.5},  # a NaN is left out
    ]


def test_the_lab_starts_without_importing_altair(tmp_path: Path) -> None:
    """The first page needs no Altair (its charts are plain specs): making the app finds
    the vendored Vega builds without importing ``tinkerlab.charts``, and serves the very
    files that package vendors."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from tinkerlab.web import LabConfig, create_app; "
        f"create_app(LabConfig(home=Path({str(tmp_path)!r}))); print('altair' in sys.modules)"
    )
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert answer.stdout.strip() == "False", answer.stderr[-2000:]
    from tinkerlab import charts
    from tinkerlab.web._app import vendor_files

    served = vendor_files()
    assert {n: served[n].resolve() for n in charts.vendor_files()} == {
        n: p.resolve() for n, p in charts.vendor_files().items()
    }


def test_sweep_rows_are_the_folds_mean_and_spread() -> None:
    import numpy as np

    rows = _charts.sweep_rows(3, 0.5, "0.5", [0.9, 0.7, None], [0.6, 0.8, 0.7])
    train, validation = rows
    assert train["mean"] == pytest.approx(0.8)  # the missing fold is left out
    assert train["high"] - train["mean"] == pytest.approx(np.std([0.9, 0.7]))
    assert validation["low"] == pytest.approx(0.7 - np.std([0.6, 0.8, 0.7]))
    assert {r["position"] for r in rows} == {3}


def test_residuals_are_predicted_minus_actual_beside_the_diagonal() -> None:
    spec = SPECS["residuals"]
    diagonal, points = spec["layer"]
    assert points["data"]["values"] == [  # the row without a prediction is left out
        {"actual": 1.0, "predicted": 1.5, "error": 0.5},
        {"actual": 2.0, "predicted": 1.75, "error": -0.25},
    ]
    assert diagonal["data"]["values"] == [{"x": 1.0, "y": 1.0}, {"x": 2.0, "y": 2.0}]


def test_the_prediction_record_counts_only_scored_shapes_in_order() -> None:
    rows = SPECS["prediction record"]["data"]["values"]
    assert [r["outcome"] for r in rows] == ["too noisy to tell", "right", "wrong", "right"]
    assert [r["n"] for r in rows] == [1, 2, 3, 4]
    assert [r["so_far"] for r in rows] == ["none judged yet", "1 of 1", "1 of 2", "2 of 3"]


def test_a_findings_command_becomes_the_form_that_runs_it(tmp_path: Path) -> None:
    from tinkerlab.web._try import link_in

    said = "a gap of 0.22. Sweep a knob: tinkerlab tinker titanic --model knn --knob n_neighbors"
    assert link_in(said, tmp_path) == "/tinker?dataset=titanic&model=knn&knob=n_neighbors"
    stored = tmp_path / "0123456789abcdef" / "my data.csv"
    said = f"gap: tinkerlab tinker '{stored}' --knob max_depth --model decision_tree"
    assert link_in(said, tmp_path) == (
        "/tinker?dataset=upload%3A0123456789abcdef&knob=max_depth&model=decision_tree"
    )
    assert link_in("gap: tinkerlab tinker /etc/data.csv --knob max_depth", tmp_path) is None
    assert link_in("No command in this sentence.", tmp_path) is None


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """``tinkerlab lab ARGS`` as the console script runs it: (exit code, what it said)."""
    from tinkerlab.cli import main

    try:
        main(["lab", *args])
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 0
    said = capsys.readouterr()
    return code, " ".join((said.out + said.err).split())


def test_lab_refuses_another_address_without_a_token(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TINKERLAB_TOKEN", raising=False)
    code, said = _run(capsys, "--host", "0.0.0.0")
    assert code == 2
    assert "without a token" in said
    assert "Traceback" not in said


def test_lab_refuses_a_port_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    code, said = _run(capsys, "--port", "70000")
    assert code == 2
    assert "--port must be in [0, 65535]" in said


def test_lab_help_names_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, said = _run(capsys, "--help")
    assert code == 0
    for flag in ("--host", "--port", "--open", "--journal", "--token-file"):
        assert flag in said
