"""Executing a Recipe: honest, deterministic numbers beside a baseline, and what went in/out."""

from __future__ import annotations

import pytest
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import tinkerlab as tl
from tinkerlab.data import load
from tinkerlab.exceptions import SchemaError
from tinkerlab.options import speaking
from tinkerlab.recipe import make_recipe
from tinkerlab.runner import execute


@pytest.fixture(scope="module")
def iris_run():
    return tl.run("iris", model="knn", record=False)


def test_same_seed_same_numbers_other_seed_other_numbers():
    first = tl.run("wine", model="random_forest", params={"n_estimators": 20}, record=False)
    again = tl.run("wine", model="random_forest", params={"n_estimators": 20}, record=False)
    other = tl.run("wine", model="random_forest", params={"n_estimators": 20}, seed=1, record=False)
    assert first.metrics == again.metrics
    assert first.summary["folds"] == again.summary["folds"]
    assert other.summary["folds"] != first.summary["folds"]


def test_cv_scores_match_plain_scikit_learn(iris_run):
    """Parity: the CV mean is what scikit-learn computes for the same pipeline and folds."""
    frame = load("iris").frame
    X, y = frame.drop(columns="species"), frame["species"]
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
    scores = cross_val_score(
        make_pipeline(StandardScaler(), KNeighborsClassifier()),
        X_train,
        y_train,
        cv=StratifiedKFold(5, shuffle=True, random_state=0),
    )
    assert iris_run.metrics["accuracy"]["cv_mean"] == pytest.approx(scores.mean(), abs=1e-12)
    assert iris_run.summary["folds"]["accuracy"] == pytest.approx(list(scores), abs=1e-12)


def test_classification_metrics_and_baseline(iris_run):
    assert list(iris_run.metrics) == [
        "accuracy",
        "balanced_accuracy",
        "precision",
        "recall",
        "f1",
        "roc_auc",
    ]
    for scores in iris_run.metrics.values():
        assert set(scores) == {"cv_mean", "cv_std", "train_mean", "test"}
    assert iris_run.baseline["accuracy"]["test"] == pytest.approx(1 / 3, abs=0.01)
    assert iris_run.metrics["accuracy"]["test"] > 0.9


def test_svm_multiclass_has_no_roc_auc_without_probabilities():
    run = tl.run("penguins", model="svm", record=False)
    assert "roc_auc" not in run.metrics
    binary = tl.run("breast_cancer", model="svm", record=False)
    assert "roc_auc" in binary.metrics  # two classes: the decision function is enough


def test_regression_reports_errors_in_target_units():
    run = tl.run("diabetes", model="linear_regression", record=False)
    assert list(run.metrics) == ["mae", "rmse", "r2"]
    assert 0 < run.metrics["mae"]["test"] < run.metrics["rmse"]["test"]
    assert run.metrics["rmse"]["test"] < run.baseline["rmse"]["test"]
    assert run.baseline["r2"]["cv_mean"] <= 0.0
    residuals = run.summary["outputs"]["residuals"]
    assert residuals["max_abs"] >= residuals["median_abs"] > 0
    assert set(run.plots) == {"predicted_vs_actual.png", "importances.png"}


def test_inputs_and_outputs_are_described(iris_run):
    inputs = iris_run.summary["inputs"]
    assert inputs["rows"] == 150
    assert inputs["train_rows"] == 120
    assert inputs["test_rows"] == 30
    assert inputs["classes"] == {"setosa": 50, "versicolor": 50, "virginica": 50}
    assert len(inputs["features"]["numeric"]) == 4
    matrix = iris_run.summary["outputs"]["confusion_matrix"]
    assert sum(map(sum, matrix["matrix"])) == 30
    found = iris_run.summary["outputs"]["importances"]
    assert found[0]["method"] == "permutation"
    assert found[0]["feature"].startswith("petal")  # petals separate iris species


def test_plots_are_png(iris_run):
    assert {"confusion_matrix.png", "importances.png"} <= set(iris_run.plots)
    for png in iris_run.plots.values():
        assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_images_use_model_importances_not_625_permutations():
    run = tl.run("faces", model="random_forest", params={"n_estimators": 20}, record=False)
    found = run.summary["outputs"]["importances"]
    assert found
    assert found[0]["method"] == "impurity"
    assert run.summary["inputs"]["image_shape"] == [25, 25]


def test_text_column_goes_through_tfidf():
    run = tl.run("reviews", model="logistic_regression", record=False)
    assert run.recipe.text == ("review",)
    vectorizer = run.pipeline.named_steps["preprocess"].named_transformers_["text_review"]
    assert len(vectorizer.vocabulary_) > 1000
    assert run.metrics["accuracy"]["test"] > run.baseline["accuracy"]["test"] + 0.05


def test_too_rare_class_for_the_folds_is_a_schema_error():
    dataset = load("iris")
    recipe = make_recipe(dataset, model="knn", cv_folds=45)
    with pytest.raises(SchemaError, match=r"fewer folds \(cv=3\)"):  # Python's words
        execute(recipe, dataset)
    with speaking("web", "run"), pytest.raises(SchemaError, match=r"fewer folds \(Folds: 3\)"):
        execute(recipe, dataset)


def test_html_repr_shows_scores_and_plots(iris_run):
    html = iris_run._repr_html_()
    assert "<table>" in html
    assert "accuracy" in html
    assert "data:image/png;base64," in html
    assert "baseline" in html


def test_repr_is_one_line(iris_run):
    assert "\n" not in repr(iris_run)
    assert "knn on iris" in repr(iris_run)


def test_solver_warnings_become_counted_notices():
    run = tl.run(
        "titanic", model="logistic_regression", impl="scratch", params={"max_iter": 5}, record=False
    )
    notices = [n for n in run.notices if n.startswith("ConvergenceWarning")]
    assert len(notices) == 1  # one line, however many folds warned
    assert "×)" in notices[0]


def test_scratch_twin_is_the_fitted_model():
    from tinkerlab.scratch import KNeighborsClassifier as Twin

    run = tl.run("iris", model="knn", impl="scratch", record=False)
    assert isinstance(run.pipeline.named_steps["model"], Twin)
    reference = tl.run("iris", model="knn", record=False)
    # No ties in iris after scaling? Not guaranteed: compare scores, not every prediction.
    assert run.metrics["accuracy"]["test"] == pytest.approx(
        reference.metrics["accuracy"]["test"], abs=0.034
    )  # at most one of 30 test rows differs


# --------------------------------------------------------------------------- wide tables


def _wide(n_rows: int, n_columns: int):
    """Constant, counting-up (id), numeric and categorical columns in turn, and a target."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    columns = {}
    for j in range(n_columns):
        kind = j % 10
        if kind == 0:
            columns[f"c{j}"] = np.full(n_rows, 7)
        elif kind == 1:
            columns[f"c{j}"] = np.arange(n_rows) + j
        elif kind < 7:
            columns[f"c{j}"] = rng.normal(size=n_rows).round(3)
        else:
            columns[f"c{j}"] = rng.choice(["a", "b", "c", "d"], size=n_rows)
    columns["y"] = rng.choice(["yes", "no"], size=n_rows)
    return pd.DataFrame(columns)


def test_a_wide_run_preprocesses_each_scored_split_once(monkeypatch):
    """Every metric, the predictions and the ROC curve come from one pass of the
    preprocessing per split: 1 per fold (its validation rows: the training rows' scores
    reuse what fit_transform returned, ``runner/_folds.py``) and 1 for the test split.
    Scoring metric by metric ran it 28 times here, and 11 before the reuse."""
    from sklearn.compose import ColumnTransformer

    calls = []
    transform = ColumnTransformer.transform

    def counted(self, X, **params):
        calls.append(len(X))
        return transform(self, X, **params)

    monkeypatch.setattr(ColumnTransformer, "transform", counted)
    run = tl.run(_wide(120, 100), target="y", model="knn", record=False)
    assert len(calls) == run.recipe.cv_folds + 1
    assert run.summary["outputs"]["importances"] == []  # > 40 columns, and kNN has none
    assert "Dropped 10 constant columns: 'c0', 'c10', 'c20', … (+7)" in " ".join(run.notices)


@pytest.mark.parametrize(
    ("dataset", "model", "average"),
    [
        ("titanic", "logistic_regression", "macro"),  # two classes, a probability
        ("make_classification", "decision_tree", "binary"),  # classes 0 and 1
        ("iris", "random_forest", "macro"),  # a forest: predict read off predict_proba
        ("wine", "knn", "weighted"),
        ("penguins", "naive_bayes", "macro"),
        ("diabetes", "ridge", "macro"),  # regression: no averaging
    ],
)
def test_one_pass_scores_equal_scikit_learns_metric_by_metric(dataset, model, average):
    """The same arithmetic on the same rows in this process, only the preprocessing, the
    predictions and (precision, recall, F1) the one ``precision_recall_fscore_support``
    call shared: equal to the last bit, so compared exactly, in the same order."""
    from sklearn.metrics import get_scorer

    from tinkerlab.recipe import build_pipeline, metrics_for
    from tinkerlab.runner._execute import prepare_frame, score_all

    if dataset == "make_classification":  # the binary average scores class 1
        import pandas as pd
        from sklearn.datasets import make_classification

        features, labels = make_classification(n_samples=300, random_state=0)
        ds = load(pd.DataFrame(features).add_prefix("x").assign(label=labels), target="label")
    else:
        ds = load(dataset)
    recipe = make_recipe(ds, model=model)
    X, y = prepare_frame(recipe, ds.frame)
    pipeline = build_pipeline(recipe).fit(X, y)
    n_classes = int(y.nunique()) if recipe.task == "classification" else 0
    metrics = metrics_for(recipe.task, n_classes, pipeline, average=average)
    expected = {m.name: get_scorer(m.scorer)(pipeline, X, y) for m in metrics}
    got = score_all(metrics)(pipeline, X, y)
    assert got == expected
    assert list(got) == list(expected)


def test_a_run_asks_the_model_for_its_predictions_once_per_scoring(monkeypatch):
    """Six metrics, one ``predict`` and one ``predict_proba`` on the rows scored."""
    from tinkerlab.recipe import build_pipeline, metrics_for
    from tinkerlab.runner._execute import prepare_frame, score_all

    ds = load("wine")
    recipe = make_recipe(ds, model="knn")
    X, y = prepare_frame(recipe, ds.frame)
    pipeline = build_pipeline(recipe).fit(X, y)
    model = pipeline[-1]
    asked: list[str] = []
    for name in ("predict", "predict_proba"):
        method = getattr(model, name)
        monkeypatch.setattr(model, name, lambda rows, m=method, n=name: asked.append(n) or m(rows))
    metrics = metrics_for(recipe.task, 3, pipeline)
    assert len(score_all(metrics)(pipeline, X, y)) == 6
    assert sorted(asked) == ["predict", "predict_proba"]


def test_text_columns_become_one_object_block_with_the_same_values():
    """``as_object_strings``: pandas keeps each ``str`` column apart; the run hands
    scikit-learn one object block (a fold's rows are then one take, not thousands)."""
    import numpy as np
    import pandas as pd

    from tinkerlab.runner._execute import as_object_strings

    X = pd.DataFrame({"a": ["x", None, "y"], "n": [1.0, 2.0, 3.0], "b": ["p", "q", None]})
    X = X.astype({"a": "str", "b": "str"})
    blocked = as_object_strings(X, ["a", "b"])
    assert list(blocked.columns) == ["a", "n", "b"]
    assert blocked.dtypes.astype(str).tolist() == ["object", "float64", "object"]
    assert len(blocked._mgr.blocks) == 2  # one object block, one float block
    expected = np.array([["x", 1.0, "p"], [np.nan, 2.0, "q"], ["y", 3.0, np.nan]], dtype=object)
    assert pd.isna(blocked.to_numpy()).tolist() == pd.isna(expected).tolist()
    assert (
        blocked.fillna("-").to_numpy().tolist()
        == pd.DataFrame(expected).fillna("-").to_numpy().tolist()
    )
    assert blocked.columns.dtype == object  # names scikit-learn reads quickly
    plain = pd.DataFrame({"n": [1.0]}).set_axis(pd.Index(["n"], dtype=object), axis=1)
    assert as_object_strings(plain, ["n"]) is plain  # nothing to convert
