"""The batched permutation importance gives scikit-learn's numbers, from one prediction."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import inspection
from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from tinkerlab.data import load
from tinkerlab.runner._explain import permutation_importance


def _split(name: str, target: str):
    frame = load(name).frame.dropna(subset=[target])
    X, y = frame.drop(columns=target), frame[target]
    return train_test_split(X, y, test_size=0.2, random_state=0)


CASES = [
    ("iris", "species", RandomForestClassifier(n_estimators=20, random_state=0), "accuracy"),
    ("iris", "species", make_pipeline(StandardScaler(), LogisticRegression()), "roc_auc_ovr"),
    ("diabetes", "progression", RandomForestRegressor(n_estimators=20, random_state=0), "r2"),
    (
        "diabetes",
        "progression",
        make_pipeline(StandardScaler(), Ridge()),
        "neg_root_mean_squared_error",
    ),
]


@pytest.mark.parametrize(("dataset", "target", "model", "scoring"), CASES)
def test_same_numbers_as_scikit_learn(dataset, target, model, scoring):
    X_train, X_test, y_train, y_test = _split(dataset, target)
    model.fit(X_train, y_train)
    for seed in (0, 7):
        ours = permutation_importance(model, X_test, y_test, scoring, 3, seed)
        theirs = inspection.permutation_importance(
            model, X_test, y_test, scoring=scoring, n_repeats=3, random_state=seed
        )
        # The same shuffles and the same predictions: equal up to summation order.
        np.testing.assert_allclose(ours.importances, theirs.importances, rtol=0, atol=1e-12)
        np.testing.assert_allclose(ours.importances_mean, theirs.importances_mean, atol=1e-12)
        np.testing.assert_allclose(ours.importances_std, theirs.importances_std, atol=1e-12)
    assert np.abs(ours.importances).max() > 0  # shuffling some column did change the score


def test_categorical_columns_in_a_pipeline():
    """Text categories are shuffled as values, like scikit-learn does it."""
    X_train, X_test, y_train, y_test = _split("titanic", "survived")
    columns = ["sex", "passengerClass", "age"]
    X_train, X_test = X_train[columns].fillna(0), X_test[columns].fillna(0)
    categories = OneHotEncoder(handle_unknown="ignore")
    encode = make_column_transformer(
        (categories, ["sex", "passengerClass"]), remainder="passthrough"
    )
    model = make_pipeline(encode, RandomForestClassifier(n_estimators=10, random_state=0))
    model.fit(X_train, y_train)
    ours = permutation_importance(model, X_test, y_test, "accuracy", 5, 0)
    theirs = inspection.permutation_importance(
        model, X_test, y_test, scoring="accuracy", n_repeats=5, random_state=0
    )
    np.testing.assert_allclose(ours.importances, theirs.importances, atol=1e-12)
    assert ours.importances_mean[0] > 0.05  # sex matters on the Titanic


def test_the_model_is_asked_once_per_response():
    """One prediction of the stacked copies, not one per column and repeat."""
    X_train, X_test, y_train, y_test = _split("iris", "species")
    model = RandomForestClassifier(n_estimators=5, random_state=0).fit(X_train, y_train)
    calls: list[int] = []
    predict = model.predict

    def counted(X):
        calls.append(len(X))
        return predict(X)

    model.predict = counted  # type: ignore[method-assign]
    permutation_importance(model, X_test, y_test, "accuracy", 5, 0)
    assert calls == [len(X_test) * (1 + X_test.shape[1] * 5)]


@pytest.mark.parametrize("scoring", ["accuracy", "f1_macro", "roc_auc_ovr", "neg_log_loss"])
def test_a_forest_scored_from_one_pass_scores_the_same(scoring):
    """``proba_once``: predict from predict_proba, as ForestClassifier.predict does it."""
    from sklearn.ensemble import ExtraTreesClassifier
    from sklearn.metrics import check_scoring

    from tinkerlab.runner._responses import proba_once

    X_train, X_test, y_train, y_test = _split("wine", "cultivar")
    for forest in (RandomForestClassifier(n_estimators=7, random_state=0),
                   ExtraTreesClassifier(n_estimators=7, random_state=1)):  # fmt: skip
        forest.fit(X_train, y_train)
        stand_in = proba_once(forest, X_test)
        assert stand_in is not forest
        np.testing.assert_array_equal(stand_in.predict(X_test), forest.predict(X_test))
        scorer = check_scoring(forest, scoring=scoring)
        assert scorer(stand_in, X_test, y_test) == scorer(forest, X_test, y_test)
    other = LogisticRegression()
    assert proba_once(other, X_test) is other  # not a forest: asked as it is


def test_a_forest_is_asked_once_for_both_responses():
    from sklearn.metrics import check_scoring

    from tinkerlab.runner._responses import proba_once

    X_train, X_test, y_train, y_test = _split("iris", "species")
    forest = RandomForestClassifier(n_estimators=5, random_state=0).fit(X_train, y_train)
    calls: list[str] = []
    proba = forest.predict_proba
    forest.predict_proba = lambda X: calls.append("proba") or proba(X)  # type: ignore[method-assign]
    scoring = {"accuracy": "accuracy", "roc_auc": "roc_auc_ovr"}
    check_scoring(forest, scoring=scoring)(proba_once(forest, X_test), X_test, y_test)
    assert calls == ["proba"]
