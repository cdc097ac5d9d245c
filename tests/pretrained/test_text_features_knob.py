"""Text features as a recipe setting and a knob: TF-IDF, MiniLM embeddings, VADER scores.

Each path runs for real on a slice of the bundled reviews: ``run`` (and the script it
writes reproduces it), ``tinker --knob text_features``, ``compare``, a saved artifact that
loads with the default trusted types, and the errors for a wrong value, a table without
text and a featuriser that is not installed.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import tinkerlab as tl
from tinkerlab.exceptions import RecipeError
from tinkerlab.pretrained import MissingExtraError
from tinkerlab.recipe import Preprocessing, Recipe, build_pipeline, make_recipe

ROWS = 240  # MiniLM encodes this slice in a few seconds on one core


@cache
def reviews_slice():
    """The first ROWS bundled reviews, stratified enough: both classes are common."""
    frame = tl.load("reviews").frame.head(ROWS).drop(columns=["product", "split"])
    return frame.reset_index(drop=True)


def small_reviews():
    return tl.load(reviews_slice(), target="score", text=["review"])


def test_each_featuriser_builds_its_own_step():
    data = small_reviews()
    steps = {}
    for name in ("tfidf", "minilm", "vader"):
        recipe = make_recipe(data, model="logistic_regression", text_features=name)
        preprocess = build_pipeline(recipe).named_steps["preprocess"]
        steps[name] = type(preprocess.transformers[0][1]).__name__
    assert steps == {"tfidf": "TfidfVectorizer", "minilm": "MiniLMEmbedder", "vader": "VaderScores"}


def test_the_setting_round_trips_and_is_checked():
    recipe = make_recipe(small_reviews(), text_features="vader")
    assert Recipe.from_json(recipe.to_json()).preprocessing.text_features == "vader"
    assert Recipe.from_toml(recipe.to_toml()) == recipe
    with pytest.raises(RecipeError, match="'text_features' must be one of tfidf, minilm, vader"):
        Preprocessing(text_features="bert")  # type: ignore[arg-type]
    with pytest.raises(RecipeError, match=r"has none\. Fix: name one with text=\['COLUMN'\]"):
        make_recipe(tl.load("iris"), text_features="minilm")


def test_a_missing_extra_is_named_before_anything_is_fitted(monkeypatch):
    from tinkerlab.pretrained import _registry

    monkeypatch.setattr(_registry, "find_spec", lambda name: None)
    recipe = make_recipe(small_reviews(), text_features="vader")
    with pytest.raises(MissingExtraError, match=r"pip install 'tinkerlab\[text\]'"):
        build_pipeline(recipe)


def test_minilm_run_is_transfer_learning_and_reads_its_cache(monkeypatch):
    from tinkerlab.pretrained import _text

    first = tl.run(
        small_reviews(), model="logistic_regression", text_features="minilm", record=False
    )
    assert first.metrics["accuracy"]["cv_mean"] > 0.6

    def no_encoding(self, texts):
        if not texts:
            return np.empty((0, 384), dtype=np.float32)
        raise AssertionError(f"encoded {len(texts)} texts again instead of reading the cache")

    monkeypatch.setattr(_text.MiniLMEmbedder, "_encode", no_encoding)
    again = tl.run(
        small_reviews(), model="logistic_regression", text_features="minilm", record=False
    )
    assert again.metrics["accuracy"] == first.metrics["accuracy"]


def test_the_knob_compares_the_featurisers_on_the_same_folds():
    ex = tl.tinker(
        small_reviews(),
        "text_features",
        "tfidf,minilm,vader",
        model="logistic_regression",
        predict="up",
        repeats=1,
        n_jobs=1,
        record=False,
    )
    assert list(ex.frame["value"]) == ["tfidf", "minilm", "vader"]
    assert [p.recipe.preprocessing.text_features for p in ex.sweep.points] == [
        "tfidf",
        "minilm",
        "vader",
    ]
    assert ex.sweep.ordered  # a curve in the order listed...
    assert not ex.sweep.numeric_axis  # ...of names, not numbers
    assert ex.summary.prediction_score["observed_shape"] in (
        "up",
        "down",
        "peak",
        "valley",
        "flat",
        "too noisy to tell",
    )
    # The knob's vader point is exactly a run's cross-validation with vader features.
    run = tl.run(small_reviews(), model="logistic_regression", text_features="vader", record=False)
    assert run.recipe == ex.sweep.points[2].recipe
    assert ex.plot().axes[0].get_xticklabels()[1].get_text() == "minilm"


def test_the_default_sweep_leaves_out_what_is_not_installed(monkeypatch):
    from importlib.util import find_spec

    from tinkerlab.experiment import plan_sweep
    from tinkerlab.pretrained import _registry

    recipe = make_recipe(small_reviews())
    assert plan_sweep(recipe, "text_features", None).values == ("tfidf", "minilm", "vader")
    hidden = {"sentence_transformers"}  # as if the MiniLM part of the extra were missing
    monkeypatch.setattr(_registry, "find_spec", lambda m: None if m in hidden else find_spec(m))
    sweep = plan_sweep(recipe, "text_features", None)
    assert sweep.values == ("tfidf", "vader")
    assert "Not compared: minilm (not installed; pip install 'tinkerlab[text]')." in sweep.notices
    with pytest.raises(MissingExtraError, match=r"pip install 'tinkerlab\[text\]'"):
        plan_sweep(recipe, "text_features", ["tfidf", "minilm"])  # asked for by name
    hidden.add("vaderSentiment")  # nothing left to compare TF-IDF with
    with pytest.raises(MissingExtraError, match=r"pip install 'tinkerlab\[text\]'"):
        plan_sweep(recipe, "text_features", None)


@pytest.mark.parametrize(
    ("dataset", "values", "message"),
    [
        ("reviews", ["tfidf", "bert"], "must be one of tfidf, minilm, vader. Got 'bert'"),
        ("iris", None, "does not apply to 'iris': it has no free-text column"),
    ],
)
def test_bad_knob_values_are_refused(dataset, values, message):
    from tinkerlab.experiment import plan_sweep

    data = small_reviews() if dataset == "reviews" else tl.load(dataset)
    with pytest.raises(RecipeError, match=message):
        plan_sweep(make_recipe(data), "text_features", values)


def test_compare_uses_the_featuriser_for_every_model():
    result = tl.compare(
        small_reviews(),
        models="logistic_regression,naive_bayes",
        text_features="vader",
        budget=60,
        record=False,
    )
    assert {r.model for r in result.results} == {"logistic_regression", "naive_bayes"}
    assert all(r.status == "done" for r in result.results), [r.status for r in result.results]


def test_an_artifact_with_text_features_loads_with_the_default_trusted_types(tmp_path):
    import pandas as pd
    from fastapi.testclient import TestClient

    from tinkerlab.serve import ServeConfig, create_app, load_artifact, save_artifact

    rows = [{"review": "Awful. Stale and broken, never again."}, {"review": "Delicious!"}]
    for name in ("vader", "minilm"):
        result = tl.run(
            small_reviews(), model="logistic_regression", text_features=name, record=False
        )
        artifact = load_artifact(
            save_artifact(result, tmp_path / name, data=reviews_slice())
        )  # no trusted=[...]
        expected = result.pipeline.predict_proba(pd.DataFrame(rows))  # (2, 2)
        got = artifact.predict(rows)
        assert [r["prediction"] for r in got] == list(result.pipeline.predict(pd.DataFrame(rows)))
        classes = list(result.pipeline.classes_)
        for row, probabilities in zip(got, expected, strict=True):
            assert [row["probabilities"][c] for c in classes] == pytest.approx(probabilities)
        # ...and served: the same service as any artifact, a text field in the request.
        with TestClient(create_app(artifact, ServeConfig(access_log=False))) as client:
            served = client.post("/predict", json=rows).json()["predictions"]
            empty = client.post("/predict", json={"review": 3}).status_code
        assert [r["prediction"] for r in served] == [r["prediction"] for r in got]
        assert empty == 422
