"""The service's prediction shortcuts give what scikit-learn's predict and predict_proba give."""

from __future__ import annotations

import numpy as np
import pytest

from tinkerlab.recipe import MODELS
from tinkerlab.serve._fastpath import argmax_classifiers, predict_both

CASES = [
    (name, task)
    for name, spec in MODELS.items()
    for task in sorted(spec.tasks)
    if task in ("classification", "regression") and spec.extra is None  # nets: tests/nets
]
DATASET = {"classification": "titanic", "regression": "diabetes"}
#: The shortcuts do the same float operations in the same order as scikit-learn, so the
#: numbers agree to the last bit on one machine; the relative tolerance only leaves room
#: for a future scikit-learn that sums its trees in another order.
RTOL = 1e-12


@pytest.mark.parametrize(("model", "task"), CASES, ids=lambda v: str(v))
def test_predict_both_equals_predict_and_predict_proba(fit_model, model, task):
    run, X_test = fit_model(DATASET[task], model)
    pipeline = run.pipeline
    Xt = pipeline[:-1].transform(X_test)  # (n_test, n_features)
    estimator = pipeline[-1]
    probabilities = task == "classification" and hasattr(estimator, "predict_proba")
    predicted, proba = predict_both(estimator, Xt, probabilities)
    np.testing.assert_array_equal(predicted, pipeline.predict(X_test))
    if probabilities:
        np.testing.assert_allclose(proba, pipeline.predict_proba(X_test), rtol=RTOL, atol=0)
    else:
        assert proba is None


def test_a_forest_is_not_asked_twice(fit_model, monkeypatch):
    run, X_test = fit_model("titanic", "random_forest", n_estimators=25)
    forest = run.pipeline[-1]
    Xt = run.pipeline[:-1].transform(X_test)
    expected = (forest.predict(Xt), forest.predict_proba(Xt))

    def refused(*_args, **_kwargs):
        raise AssertionError("the forest's own predict / predict_proba ran")

    monkeypatch.setattr(type(forest), "predict", refused)
    monkeypatch.setattr(type(forest), "predict_proba", refused)
    predicted, proba = predict_both(forest, Xt, probabilities=True)
    np.testing.assert_array_equal(predicted, expected[0])
    np.testing.assert_allclose(proba, expected[1], rtol=RTOL, atol=0)


def test_a_parallel_forest_and_boosting_take_the_ordinary_path(fit_model, monkeypatch):
    run, X_test = fit_model("titanic", "random_forest", n_estimators=10)
    forest = run.pipeline[-1]
    forest.set_params(n_jobs=2)  # its own sums come in any order: do not pretend to match
    Xt = run.pipeline[:-1].transform(X_test)
    calls = []
    real = type(forest).predict_proba
    monkeypatch.setattr(
        type(forest), "predict_proba", lambda self, X: calls.append(1) or real(self, X)
    )
    predict_both(forest, Xt, probabilities=True)
    assert calls == [1]
    names = {t.__name__ for t in argmax_classifiers()}
    assert "HistGradientBoostingClassifier" not in names  # predict tests raw scores


def test_rows_predicted_alone_or_together_agree(fit_model):
    run, X_test = fit_model("titanic", "random_forest", n_estimators=20)
    forest = run.pipeline[-1]
    Xt = run.pipeline[:-1].transform(X_test)
    together = predict_both(forest, Xt, True)[1]
    alone = np.vstack([predict_both(forest, Xt[i : i + 1], True)[1] for i in range(len(Xt))])
    np.testing.assert_allclose(alone, together, rtol=RTOL, atol=0)
