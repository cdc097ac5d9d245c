"""Detectors on real sweeps of the bundled data: each fires where its phenomenon is, and
stays quiet on a look-alike that is not it (the negative cases are chosen to resemble the
positive ones: a curve that rises but does not fall, an imbalanced table with a good
model, a near-perfect score that is honest...)."""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest

from tinkerlab import insight
from tinkerlab.experiment import tinker
from tinkerlab.insight import DETECTORS, PHENOMENA, READ_NEXT, Finding, SweepResults, detect
from tinkerlab.insight._detect import target_twins

#: Named sweeps, each run once per test process (several detectors read the same one).
SWEEPS: dict[str, tuple[tuple[str, str, object], dict[str, object]]] = {
    "credit_tree_depth": (("credit", "max_depth", "1:20"), {"model": "decision_tree"}),
    "credit_tree_leaf": (("credit", "min_samples_leaf", "1:300"), {"model": "decision_tree"}),
    "wine_forest_depth": (("wine", "max_depth", [1, 2, 3, 5, 8, 12]), {"model": "random_forest"}),
    "wine_forest_trees": (
        ("wine", "n_estimators", [1, 2, 5, 10, 20, 50, 100, 200]),
        {"model": "random_forest"},
    ),
    "iris_knn_k": (("iris", "n_neighbors", "1:30"), {"model": "knn"}),
    "digits_tree_depth": (("digits", "max_depth", "1:12"), {"model": "decision_tree"}),
    "cancer_logreg_iter": (
        ("breast_cancer", "max_iter", [1, 2, 5, 10, 20, 50, 100, 200]),
        {"model": "logistic_regression"},
    ),
    "digits_tree_size": (("digits", "train_size", "0.1:1.0"), {"model": "decision_tree"}),
    "digits_bayes_size": (("digits", "train_size", "0.1:1.0"), {"model": "naive_bayes"}),
    "titanic_logreg_size": (
        ("titanic", "train_size", "0.1:1.0"),
        {"model": "logistic_regression"},
    ),
    "penguins_bayes_features": (("penguins", "features", None), {"model": "naive_bayes"}),
    "titanic_knn_features": (("titanic", "features", None), {"model": "knn"}),
    "churn_charge_only": (
        ("churn", "features", None),
        {
            "model": "ridge",
            "mode": "add-one",
            "target": "total_day_charge",
            "task": "regression",
        },
    ),
    "churn_only": (
        ("churn", "features", None),
        {"model": "logistic_regression", "mode": "add-one"},
    ),
    "digits_svm_gamma": (("digits", "gamma", [0.0001, 0.001, 0.01]), {"model": "svm"}),
    "churn_logreg_weight": (
        ("churn", "class_weight", ["none", "balanced"]),
        {"model": "logistic_regression"},
    ),
    "churn_forest_depth": (("churn", "max_depth", [2, 8, 16]), {"model": "random_forest"}),
    "wine_knn_scaling": (("wine", "scaling", None), {"model": "knn"}),
    "wine_forest_scaling": (("wine", "scaling", None), {"model": "random_forest"}),
    "cancer_scratch_rate": (
        ("breast_cancer", "learning_rate", [0.01, 0.1, 1, 10, 100, 1000]),
        {"model": "logistic_regression", "impl": "scratch"},
    ),
    "diabetes_boost_rate": (
        ("diabetes", "learning_rate", [0.01, 0.03, 0.1, 0.3]),
        {"model": "gradient_boosting"},
    ),
    "digits_1nn_noise": (
        ("digits", "label_noise", "0:0.4"),
        {"model": "knn", "params": {"n_neighbors": 1}, "steps": 5},
    ),
    "digits_forest_noise": (
        ("digits", "label_noise", "0:0.4"),
        {"model": "random_forest", "params": {"n_estimators": 100}, "steps": 5, "repeats": 1},
    ),
    # Neural networks (tinkerlab.nets, the deep extra): epochs, learning rate, depth.
    "diabetes_net_epochs": (
        ("diabetes", "epochs", [1, 3, 10, 30, 100]),
        {"model": "mlp_torch", "params": {"hidden_size": 256, "lr": 0.01}},
    ),
    "digits_net_epochs": (
        ("digits", "epochs", [1, 3, 10]),
        {"model": "mlp_torch", "cv": 3, "repeats": 1},
    ),
    "digits_net_rate": (
        ("digits", "lr", [0.00001, 0.0001, 0.001, 0.01]),
        {"model": "mlp_torch", "params": {"epochs": 10}},
    ),
    "digits_net_rate_fine": (
        ("digits", "lr", [0.001, 0.003, 0.01]),
        {"model": "mlp_torch", "params": {"epochs": 10}, "cv": 3, "repeats": 1},
    ),
    "digits_sigmoid_depth": (
        ("digits", "depth", [1, 2, 4, 8]),
        {
            "model": "mlp_torch",
            "params": {"activation": "sigmoid", "optimizer": "sgd", "lr": 0.01, "epochs": 10},
        },
    ),
    "digits_relu_depth": (
        ("digits", "depth", [1, 2, 4]),
        {"model": "mlp_torch", "params": {"epochs": 10}, "cv": 3, "repeats": 1},
    ),
    "digits_net_batch": (
        ("digits", "batch_size", [16, 256, 1024]),
        {"model": "mlp_torch", "params": {"epochs": 5}, "cv": 3, "repeats": 1},
    ),
    "digits_net_batch_enough": (
        ("digits", "batch_size", [32, 64, 128]),
        {"model": "mlp_torch", "params": {"epochs": 10, "lr": 0.01}, "cv": 3, "repeats": 1},
    ),
}


@functools.cache
def sweep(name: str) -> SweepResults:
    (dataset, knob, values), options = SWEEPS[name]
    kwargs = dict(options)
    if isinstance(values, str):
        kwargs["span"] = values
        values = None
    ex = tinker(dataset, knob, values, n_jobs=1, **kwargs)  # type: ignore[arg-type]
    return SweepResults.from_experiment(ex)


def fired(name: str, phenomenon: str) -> Finding | None:
    return DETECTORS[phenomenon](sweep(name))


#: (phenomenon, sweep where it shows, look-alike sweep where it must not).
CASES = [
    ("overfitting", "credit_tree_depth", "wine_forest_depth"),
    ("underfitting", "digits_tree_depth", "wine_forest_trees"),
    ("sweet_spot", "credit_tree_leaf", "iris_knn_k"),
    ("plateau", "cancer_logreg_iter", "credit_tree_depth"),
    ("noise_dominated", "iris_knn_k", "digits_tree_depth"),
    ("high_variance", "digits_tree_size", "digits_bayes_size"),
    ("high_bias", "digits_bayes_size", "digits_tree_size"),
    ("more_data_helps", "digits_tree_size", "titanic_logreg_size"),
    ("more_data_wont_help", "titanic_logreg_size", "digits_tree_size"),
    ("useless_feature", "penguins_bayes_features", "wine_knn_scaling"),
    ("harmful_feature", "penguins_bayes_features", "titanic_knn_features"),
    ("leakage", "churn_charge_only", "digits_svm_gamma"),
    ("leakage", "churn_charge_only", "churn_only"),
    ("accuracy_paradox", "churn_logreg_weight", "churn_forest_depth"),
    ("scaling_sensitive", "wine_knn_scaling", "wine_forest_scaling"),
    ("divergence", "cancer_scratch_rate", "diabetes_boost_rate"),
    ("label_noise_sensitive", "digits_1nn_noise", "digits_forest_noise"),
    ("overtraining", "diabetes_net_epochs", "digits_net_epochs"),
    ("not_converged", "digits_net_rate", "digits_net_rate_fine"),
    ("vanishing_gradients", "digits_sigmoid_depth", "digits_relu_depth"),
    ("batch_too_large", "digits_net_batch", "digits_net_batch_enough"),
]
#: The phenomena whose sweeps train torch nets (skipped without the deep extra).
NET_PHENOMENA = {"overtraining", "not_converged", "vanishing_gradients", "batch_too_large"}


def test_every_phenomenon_has_a_detector_a_card_and_cases():
    assert set(DETECTORS) == set(PHENOMENA)
    assert {case[0] for case in CASES} == set(PHENOMENA)
    for phenomenon, card in READ_NEXT.items():  # the card to read is about it
        assert phenomenon in insight.theory(card).unlocked_by


@pytest.mark.slow
@pytest.mark.parametrize(("phenomenon", "positive", "negative"), CASES)
def test_a_detector_fires_on_its_phenomenon_and_not_on_a_look_alike(phenomenon, positive, negative):
    if phenomenon in NET_PHENOMENA:
        pytest.importorskip("skorch")
    found = fired(positive, phenomenon)
    assert found is not None, f"{phenomenon} missed in {positive}"
    assert found.id == phenomenon
    assert 0.5 <= found.confidence <= 1.0
    assert any(ch.isdigit() for ch in found.evidence)  # the numbers that show it
    assert fired(negative, phenomenon) is None, f"{phenomenon} fired on {negative}"


@pytest.mark.slow
def test_evidence_quotes_the_experiments_own_numbers():
    r = sweep("credit_tree_depth")
    found = DETECTORS["overfitting"](r)
    assert found is not None
    best, end = r.labels.index(str(found.numbers["best"])), r.labels.index(str(found.numbers["at"]))
    train = np.nanmean(r.train, axis=1)
    cv = np.nanmean(r.test, axis=1)
    assert found.numbers["train"] == pytest.approx([train[best], train[end]], abs=1e-4)
    assert found.numbers["cv"] == pytest.approx([cv[best], cv[end]], abs=1e-4)
    assert f"{cv[best]:.2f} → {cv[end]:.2f}" in found.evidence
    assert cv[end] < cv[best]
    assert train[end] > train[best]


@pytest.mark.slow
def test_leakage_names_the_column_that_is_the_target_in_disguise():
    found = fired("churn_charge_only", "leakage")
    assert found is not None
    assert found.numbers["feature"] == "total_day_minutes"


@pytest.mark.slow
def test_harmful_feature_names_island_for_naive_bayes_on_penguins():
    found = fired("penguins_bayes_features", "harmful_feature")
    assert found is not None
    assert "island" in found.numbers["features"]


def test_detect_orders_by_confidence_and_round_trips_through_json():
    folds = np.array([0.80, 0.82, 0.79, 0.81, 0.80, 0.83, 0.81, 0.80, 0.82, 0.79])
    r = SweepResults.build(
        knob="scaling",
        kind="scaling",
        values=["on", "off"],
        labels=["on", "off"],
        train=[folds + 0.05, folds - 0.15],
        test=[folds, folds - 0.20],
        n_train=[120, 120],
        n_test=[30, 30],
        ordered=False,
    )
    found = detect(r)
    assert [f.id for f in found] == ["scaling_sensitive"]
    again = Finding.from_dict(found[0].to_dict())
    assert again.id == found[0].id
    assert again.evidence == found[0].evidence
    assert found[0].to_dict()["card"] == "feature_scaling"


def test_failed_fits_are_not_read_as_a_shape():
    nan = [math.nan] * 6
    good = [0.9, 0.91, 0.89, 0.9, 0.92, 0.9]
    r = SweepResults.build(
        knob="max_depth",
        kind="param",
        values=[1, 2, 3],
        labels=["1", "2", "3"],
        train=[good, nan, good],
        test=[good, nan, good],
        n_train=[100, 100, 100],
        n_test=[25, 25, 25],
        ordered=True,
    )
    assert [f.id for f in detect(r)] == []


def test_divergence_reads_nan_scores_at_a_large_learning_rate():
    good = [0.9, 0.91, 0.89, 0.9, 0.92, 0.9]
    r = SweepResults.build(
        knob="learning_rate",
        kind="param",
        values=[0.1, 1.0, 100.0],
        labels=["0.1", "1", "100"],
        train=[good, good, [math.nan] * 6],
        test=[good, good, [math.nan] * 6],
        n_train=[100, 100, 100],
        n_test=[25, 25, 25],
        ordered=True,
    )
    found = DETECTORS["divergence"](r)
    assert found is not None
    assert found.numbers["failed"] is True


# --- a single run --------------------------------------------------------------------------


@pytest.mark.slow
def test_a_run_shows_the_accuracy_paradox_only_for_a_weak_model_on_imbalanced_classes():
    from tinkerlab import run

    weak = run("churn", model="logistic_regression", record=False)
    strong = run("churn", model="random_forest", record=False)
    assert "accuracy_paradox" in [f.id for f in weak.phenomena]
    assert "accuracy_paradox" not in [f.id for f in strong.phenomena]
    assert weak.to_dict()["phenomena"][0]["id"] in PHENOMENA


@pytest.mark.slow
def test_a_run_shows_a_wide_gap_for_an_unlimited_tree_not_for_a_linear_model():
    from tinkerlab import run

    tree = run("diabetes", model="decision_tree", record=False)
    linear = run("diabetes", model="linear_regression", record=False)
    assert "overfitting" in [f.id for f in tree.phenomena]
    assert "overfitting" not in [f.id for f in linear.phenomena]


def test_target_twins_finds_a_column_computed_from_the_target_and_nothing_else():
    from tinkerlab.data import load

    data = load("churn", target="total_day_charge", task="regression")
    features = [c for c in data.frame.columns if c != "total_day_charge"]
    twins = target_twins(data.frame, "total_day_charge", "regression", features)
    assert [c for c, _ in twins] == ["total_day_minutes"]
    honest = load("churn")
    features = [c for c in honest.frame.columns if c != honest.target]
    assert target_twins(honest.frame, honest.target, "classification", features) == []


def test_target_twins_finds_a_class_code_hidden_in_a_feature():
    from tinkerlab.data import load

    frame = load("penguins").frame.copy()
    frame["species_code"] = frame["species"].map({"Adelie": 1, "Gentoo": 2, "Chinstrap": 3})
    twins = target_twins(frame, "species", "classification", ["island", "species_code", "sex"])
    assert [c for c, _ in twins] == ["species_code"]
    assert "100.0% of rows" in twins[0][1]


@pytest.mark.parametrize(
    ("model", "overfits"),
    [("extra_trees", False), ("random_forest", False), ("gradient_boosting", True)],
)
def test_an_averaged_ensembles_size_is_not_read_as_overfitting(model, overfits):
    # Every size fits its training rows (1.00); the CV score climbs from one tree, then holds.
    # Fewer trees in an averaged ensemble is a noisier vote, not extra fit; boosting rounds
    # are steps of one fit, so there the same numbers are read both ways, as for any knob.
    rng = np.random.default_rng(0)
    cv = [0.80, 0.85, 0.89, 0.90, 0.90, 0.90]
    r = SweepResults.build(
        knob="n_estimators",
        kind="param",
        values=[1, 2, 4, 16, 64, 256],
        labels=["1", "2", "4", "16", "64", "256"],
        train=[[1.0] * 10 for _ in cv],
        test=[m + rng.normal(0, 0.01, 10) for m in cv],
        n_train=[400] * 6,
        n_test=[100] * 6,
        ordered=True,
        model=model,
    )
    ids = [f.id for f in detect(r)]
    assert ("overfitting" in ids) is overfits, ids
    assert ("plateau" in ids) is not overfits, ids  # a plateau gives way to overfitting
