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
