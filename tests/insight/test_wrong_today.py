"""Each case issue 14 found wrong ("Findings a learner can trust"), as a test that passes.

The slow ones read the labelled suite's scenarios (``findings_suite.outcome``: each runs
once per process); the rest build the numbers or the objects directly.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from findings_suite import card_holders, leaky, outcome

from tinkerlab.experiment import NOISY, design_rows, tinker
from tinkerlab.insight import SweepResults, describe_trigger, detect, detect_run, unlocked_cards
from tinkerlab.insight._detect import reconcile
from tinkerlab.insight._detect_run import target_twins
from tinkerlab.insight._findings import Finding
from tinkerlab.options import Surface, speaking


def ids(result: Any) -> set[str]:
    return {f.id for f in result.phenomena}


# --- learning curves called noise ----------------------------------------------------------


def test_train_size_corrects_with_the_full_folds_rows_not_the_subsample():
    train, test = design_rows("train_size", [0.05, 0.5, 1.0], [60, 575, 1150], [287, 287, 287])
    assert list(train) == [1150, 1150, 1150]
    assert list(test) == [287, 287, 287]
    # Another knob keeps each point's own rows.
    assert list(design_rows("max_depth", [1, 2], [80, 80], [20, 20])[0]) == [80, 80]


@pytest.mark.slow
def test_a_rising_learning_curve_is_up_with_monotone_ties_and_no_noise_finding():
    ex = outcome("learning curve, logistic on digits")
    frame = ex.frame
    assert frame["cv_mean"].iloc[-1] - frame["cv_mean"].iloc[0] > 0.1
    assert ex.summary.shape.shape == "up"
    assert "noise_dominated" not in ids(ex)
    tied = list(frame["tied_with_best"])
    first = tied.index(True)
    assert all(tied[first:]), "the ≈ marks are one run of the largest sizes"
    assert not any(tied[:first])


@pytest.mark.slow
def test_a_knn_learning_curve_on_digits_is_not_noise():
    ex = tinker("digits", "train_size", span="0.05:1.0", steps=5, model="knn", n_jobs=1)
    assert ex.frame["cv_mean"].iloc[-1] - ex.frame["cv_mean"].iloc[0] > 0.1
    assert ex.summary.shape.shape == "up"
    assert "noise_dominated" not in {f.id for f in detect(ex)}


# --- leakage on separable data, and a real leak missed ------------------------------------


def test_perfect_folds_alone_are_not_leakage():
    ones = np.ones((3, 10))
    r = SweepResults.build(
        knob="max_depth", kind="param", values=[1, 2, 4], labels=["1", "2", "4"],
        train=ones, test=ones, n_train=[320] * 3, n_test=[80] * 3, ordered=True,
        baseline=np.full(10, 0.5), majority=0.5,
    )  # fmt: skip
    assert "leakage" not in {f.id for f in detect(r)}


@pytest.mark.slow
def test_separable_blobs_and_label_noise_sweeps_show_no_leakage():
    assert "leakage" not in ids(outcome("tree depth, two far blobs"))
    assert "leakage" not in ids(outcome("label noise, 1-NN, far blobs"))


def test_a_sentinel_column_that_decides_the_class_is_found_and_named():
    frame = card_holders()
    assert (frame.loc[frame["y"] == "no", "expenditure"] == 0).all()
    features = ["income", "reports", "age", "expenditure"]
    twins = target_twins(frame, "y", "classification", features)
    assert [c for c, _ in twins] == ["expenditure"]
    assert "= 0" in twins[0][1]


def test_honest_measurements_are_not_twins():
    from tinkerlab.data import load

    iris = load("iris").frame
    features = [c for c in iris.columns if c != "species"]
    assert target_twins(iris, "species", "classification", features) == []


@pytest.mark.slow
def test_a_classification_leak_names_its_column():
    found = {f.id: f for f in outcome("add-one, a copied status column").phenomena}
    assert found["leakage"].numbers["feature"] == "status_code"
    assert "status_code" in found["leakage"].evidence
    ex = tinker(leaky(400), "max_depth", [2, 4], model="decision_tree", target="y", n_jobs=1,
                repeats=1, detect=detect)  # fmt: skip
    leak = {f.id: f for f in ex.phenomena}["leakage"]
    assert leak.numbers["feature"] == "status_code"
    card = {
        f.id: f for f in outcome("model knob, card holders (spending after approval)").phenomena
    }
    assert card["leakage"].numbers["feature"] == "expenditure"


# --- underfitting claimed for a model that fits its training rows -------------------------


def _run(train: float, cv: float, baseline: float, classes: dict[str, int]) -> Any:
    folds = [cv - 0.01, cv + 0.01, cv, cv - 0.005, cv + 0.005]
    return SimpleNamespace(
        task="classification",
        model="decision_tree",
        dataset_name="default",
        recipe=SimpleNamespace(cv_folds=5, target="y", features=[]),
        metrics={"accuracy": {"train_mean": train, "cv_mean": cv, "test": cv}},
        baseline={"accuracy": {"cv_mean": baseline}},
        summary={"inputs": {"classes": classes}, "folds": {"accuracy": folds}},
    )


def test_a_model_scoring_one_on_its_training_rows_is_not_underfitting():
    run = _run(train=1.0, cv=0.955, baseline=0.967, classes={"No": 9667, "Yes": 333})
    found = {f.id for f in detect_run(run)}
    assert "underfitting" not in found
    assert {"overfitting", "accuracy_paradox"} <= found


@pytest.mark.slow
def test_a_tree_on_a_rare_default_overfits_and_does_not_underfit():
    found = ids(outcome("run, tree on a rare default"))
    assert "underfitting" not in found
    assert "overfitting" in found


# --- overfitting and underfitting missed -------------------------------------------------


@pytest.mark.slow
def test_overfitting_is_found_on_600_noisy_rows():
    ex = outcome("tree depth, noisy classes, 600 rows")
    found = {f.id: f for f in ex.phenomena}
    assert "overfitting" in found
    assert "plateau" not in found  # the story: a curve that overfits is not level


@pytest.mark.slow
def test_underfitting_is_found_at_the_simple_end_even_with_a_gap():
    ex = outcome("tree depth, parabola, 300 rows")
    first = ex.frame.iloc[0]
    assert first["train_mean"] - first["cv_mean"] > 0.05  # the gap the old rule refused
    assert "underfitting" in ids(ex)


# --- plateau and label noise missed --------------------------------------------------------


@pytest.mark.slow
def test_a_forest_plateau_on_breast_cancer_is_found():
    ex = outcome("forest trees, breast_cancer")
    assert "plateau" in ids(ex)
    assert ex.summary.shape.shape != NOISY
    assert ex.sequential is not None
    assert ex.sequential["decided"]


@pytest.mark.slow
def test_a_forest_copying_flipped_titanic_labels_is_label_noise_sensitive():
    ex = outcome("label noise, forest, titanic")
    assert ex.frame["cv_mean"].iloc[0] - ex.frame["cv_mean"].iloc[-1] > 0.15
    assert "label_noise_sensitive" in ids(ex)


# --- contradictions ---------------------------------------------------------------------------


def test_contradicting_findings_are_reconciled():
    made = [Finding(i, 0.9, "x") for i in ("plateau", "more_data_helps", "noise_dominated")]
    kept = {f.id for f in reconcile(made)}
    assert kept == {"plateau", "more_data_helps"}
    made = [Finding(i, 0.9, "x") for i in ("plateau", "overfitting")]
    assert {f.id for f in reconcile(made)} == {"overfitting"}


def test_a_learning_curve_is_never_a_plateau_nor_overfitting():
    from tinkerlab.insight import DETECTORS

    rising = np.linspace(0.80, 0.97, 6)[:, None] + np.array([0.0, 0.01, -0.01, 0.005, -0.005])
    r = SweepResults.build(
        knob="train_size", kind="train_size", values=[0.1, 0.28, 0.46, 0.64, 0.82, 1.0],
        labels=["0.1", "0.28", "0.46", "0.64", "0.82", "1"], train=np.ones_like(rising),
        test=rising, n_train=[80, 224, 368, 512, 656, 800], n_test=[200] * 6, ordered=True,
    )  # fmt: skip
    assert DETECTORS["plateau"](r) is None
    assert DETECTORS["overfitting"](r) is None


@pytest.mark.slow
def test_a_peak_prediction_with_the_best_in_the_middle_is_not_called_wrong():
    ex = tinker(
        "iris", "n_neighbors", [1, 3, 5, 9, 15, 31, 61], model="knn", predict="peak", n_jobs=1
    )
    best = ex.frame["cv_mean"].idxmax()
    score = ex.summary.prediction_score
    assert 0 < best < len(ex.frame) - 1
    assert score["shape_hit"] is not False
    if ex.summary.shape.shape in ("up", "down"):
        assert "peak" in ex.summary.shape.also
        assert score["shape_undecided"]


# --- cards unlocked, path math, quickstart, journal ask ------------------------------------


def test_a_classification_forest_does_not_unlock_regression_or_svm_cards():
    runs = [
        SimpleNamespace(
            id=1, model="random_forest", recipe={"params": {}},
            summary={"phenomena": [{"id": "overfitting"}]},
        )
    ]  # fmt: skip
    journal = SimpleNamespace(
        list_runs=lambda limit=None, dataset=None: runs, list_experiments=lambda limit=None: []
    )
    unlocked = unlocked_cards(journal)
    assert "overfitting" in unlocked
    assert "mean_squared_error" not in unlocked
    assert "svm_kernels" not in unlocked


def test_triggers_read_as_plain_words_not_jargon():
    for trigger in ("scaling", "feature_noise", "max_depth", "knn", "overfitting"):
        words = describe_trigger(trigger)
        assert not words.startswith("turning"), words
    assert "tl.tinker('DATA', knob='scaling')" in describe_trigger("scaling")
    with speaking("cli", "theory"):
        assert "tinkerlab tinker DATA --knob scaling" in describe_trigger("scaling")
        assert "(--set max_depth=... or --knob max_depth)" in describe_trigger("max_depth")
    with speaking("web"):
        assert "(Model: knn)" in describe_trigger("knn")


@pytest.mark.parametrize(
    ("surface", "fix"),
    [
        ("cli", "Fix: --drop 'status code'"),
        ("python", "Fix: drop=['status code']"),
        ("web", "Fix: Drop: status code"),
    ],
)
def test_a_leak_says_its_fix_in_the_words_of_the_learners_surface(surface: Surface, fix: str):
    rng = np.random.default_rng(0)
    y = rng.choice(["a", "b"], size=200)
    frame = pd.DataFrame({"x": rng.normal(size=200), "status code": np.where(y == "a", 1, 2)})
    frame["y"] = y
    run = _run(train=0.99, cv=0.98, baseline=0.5, classes={"a": 100, "b": 100})
    run.recipe.features = ["x", "status code"]
    with speaking(surface, "run"):
        leak = {f.id: f for f in detect_run(run, frame)}["leakage"]
    assert leak.evidence.endswith(fix)


# --- metrics and the forest's default -------------------------------------------------------


def test_recall_and_balanced_accuracy_are_explained_and_averaging_can_change():
    from tinkerlab.recipe import explain_metrics, metrics_for

    macro = metrics_for("classification", 3, object())
    notes = " ".join(explain_metrics(macro))
    assert "macro" in notes
    assert "balanced accuracy" in notes
    weighted = [m.name for m in metrics_for("classification", 3, object(), average="weighted")]
    assert "f1_weighted" in weighted
    assert "f1" not in weighted


def test_the_regression_forest_uses_scikit_learns_max_features():
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor

    from tinkerlab.recipe import MODELS

    forest = MODELS["random_forest"]
    regression = forest.knob("max_features", "regression").default
    classification = forest.knob("max_features", "classification").default
    assert RandomForestRegressor(max_features=regression).max_features in (None, 1.0)
    assert RandomForestRegressor().max_features == 1.0  # None and 1.0: every column
    assert classification == RandomForestClassifier().max_features == "sqrt"
