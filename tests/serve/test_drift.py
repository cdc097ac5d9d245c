"""Drift: PSI and KS against the training reference; the prediction log behind it."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tinkerlab.serve._drift import compare, drift_report, psi
from tinkerlab.serve._monitor import PredictionLog

REFERENCE = {"kind": "numeric", "edges": [0.0], "shares": [0.5, 0.5], "missing": 0.0}


def test_psi_by_hand():
    # bins (-inf, 0) and [0, inf): training 50/50, live 25/75.
    expected = (0.25 - 0.5) * np.log(0.25 / 0.5) + (0.75 - 0.5) * np.log(0.75 / 0.5)
    assert psi(REFERENCE, [-1.0, 1.0, 2.0, 3.0]) == pytest.approx(expected)
    assert psi(REFERENCE, [-1.0, 1.0]) == pytest.approx(0.0)


def test_categorical_psi_counts_unknown_and_missing_values():
    ref = {"kind": "categorical", "shares": {"a": 0.5, "b": 0.5}, "missing": 0.0}
    same = compare(ref, ["a", "b"] * 50)
    moved = compare(ref, ["a"] * 90 + [None] * 5 + ["z"] * 5)
    assert same["psi"] == pytest.approx(0.0)
    assert same["status"] == "ok"
    assert moved["status"] == "drift"
    assert moved["largest_change"] == {"value": "b", "reference_share": 0.5, "live_share": 0.0}


def test_training_rows_raise_no_alarm_and_shifted_rows_do(titanic, titanic_run):
    import tinkerlab as tl
    from tinkerlab.runner import prepare_frame, split
    from tinkerlab.serve._artifact import rows_from_frame

    X, y = prepare_frame(titanic_run.recipe, tl.load("titanic").frame)
    X_train = split(titanic_run.recipe, X, y)[0]
    rows = rows_from_frame(X_train.iloc[:400], titanic.schema.names)
    predictions = [r["prediction"] for r in titanic.predict(rows)]
    reference = titanic.meta["reference"]
    calm = drift_report(reference, titanic.schema, rows, predictions)
    assert not calm["alarm"]
    assert calm["drifted"] == []
    assert all(f["psi"] < 0.1 for f in calm["features"])

    older = [{**r, "age": (r["age"] or 30) + 40, "sex": "female"} for r in rows]
    predictions = [r["prediction"] for r in titanic.predict(older)]
    alarm = drift_report(reference, titanic.schema, older, predictions)
    assert alarm["alarm"]
    assert set(alarm["drifted"]) == {"age", "sex"}
    age = next(f for f in alarm["features"] if f["name"] == "age")
    assert age["ks_pvalue"] < 1e-6
    assert age["ks_statistic"] > 0.5
    assert age["live_mean"] > age["reference_mean"] + 30
    assert alarm["features"][0]["psi"] >= alarm["features"][-1]["psi"]  # largest first
    assert alarm["prediction"]["status"] == "drift"  # women survived: "yes" far more often


def test_too_few_rows_never_alarm(titanic):
    rows = [{"sex": "female", "age": 99.0, "passengerClass": "1st"}] * 5
    report = drift_report(titanic.meta["reference"], titanic.schema, rows, ["yes"] * 5)
    assert not report["enough_rows"]
    assert not report["alarm"]
    assert report["drifted"]  # the numbers are still shown


def test_the_drift_endpoint_compares_what_was_served(titanic, client_for):
    with client_for(titanic) as client:
        client.post("/predict", json=[{"sex": "male", "age": 80.0, "passengerClass": "1st"}] * 50)
        report = client.get("/drift", params={"window": 40}).json()
        bad = client.get("/drift", params={"window": 0})
    assert report["rows"] == 40
    assert report["alarm"]
    assert report["model_version"] == titanic.version
    assert bad.status_code == 422


def test_the_log_is_sampled_bounded_and_read_from_the_end(tmp_path):
    log = PredictionLog(tmp_path, version="v1", sample=0.5, seed=0, max_bytes=4000)
    for i in range(200):
        log.record([{"i": i}], [i % 2])
    log.close()
    assert 60 < log.written < 140  # about half kept
    files = sorted(p.name for p in tmp_path.glob("*.jsonl"))
    assert files == ["predictions.1.jsonl", "predictions.jsonl"]  # rotated
    assert sum(p.stat().st_size for p in tmp_path.glob("*.jsonl")) <= 4000 + 200
    rows, predictions = PredictionLog(tmp_path, version="v1").recent(30)
    assert len(rows) == 30
    ids = [r["i"] for r in rows]
    assert ids == sorted(ids)  # oldest first
    assert ids[-1] >= 190
    assert predictions == [i % 2 for i in ids]
    last = json.loads((tmp_path / "predictions.jsonl").read_text().splitlines()[-1])
    assert last["v"] == "v1"
