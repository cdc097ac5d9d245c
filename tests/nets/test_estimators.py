"""The nets keep scikit-learn's contract, are seeded, learn, and say what is wrong."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.dummy import DummyClassifier

from tinkerlab.exceptions import InputError
from tinkerlab.nets import (
    ConvNetClassifier,
    GRUTextClassifier,
    TokenSequencer,
    TorchMLPClassifier,
    TorchMLPRegressor,
    TransformerTextClassifier,
    listen,
)


def test_clone_and_params_follow_the_estimator_contract():
    net = TorchMLPClassifier(hidden_size=8, epochs=2)
    copy = clone(net)
    assert copy.get_params() == net.get_params()
    assert not hasattr(copy, "module_")
    with pytest.raises(Exception, match="fit"):
        copy.predict(np.zeros((1, 3)))


def test_the_same_seed_gives_the_same_net_and_another_seed_another(digits_xy):
    X, y = digits_xy[0][:300], digits_xy[1][:300]
    a = TorchMLPClassifier(epochs=3, random_state=1).fit(X, y).predict_proba(X)
    b = TorchMLPClassifier(epochs=3, random_state=1).fit(X, y).predict_proba(X)
    c = TorchMLPClassifier(epochs=3, random_state=2).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)  # same process, same threads: the same arithmetic
    assert np.abs(a - c).max() > 1e-3


@pytest.mark.parametrize("cls", [TorchMLPClassifier, ConvNetClassifier])
def test_nets_learn_the_digits_far_above_the_baseline(digits_xy, cls):
    X, y = digits_xy
    net = cls(epochs=8, random_state=0).fit(X[:1200], y[:1200])
    baseline = DummyClassifier().fit(X[:1200], y[:1200]).score(X[1200:], y[1200:])
    assert net.score(X[1200:], y[1200:]) > 0.85 > baseline + 0.7
    assert [row["epoch"] for row in net.history_] == list(range(1, 9))
    losses = [row["train_loss"] for row in net.history_]
    assert losses[-1] < losses[0] / 3
    proba = net.predict_proba(X[:5])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-9)
    assert set(net.predict(X[:50])) <= set(net.classes_)


def test_string_classes_come_back_as_strings(digits_xy):
    X, y = digits_xy
    labels = np.where(y[:200] % 2 == 0, "even", "odd")
    net = TorchMLPClassifier(epochs=2, random_state=0).fit(X[:200], labels)
    assert set(net.predict(X[:20])) <= {"even", "odd"}


def test_the_regressor_predicts_in_the_targets_units(digits_xy):
    X = digits_xy[0][:600]
    y = 1000.0 + 50.0 * X[:, 20] - 30.0 * X[:, 36]  # large offset and scale
    net = TorchMLPRegressor(epochs=20, random_state=0).fit(X[:500], y[:500])
    assert net.score(X[500:], y[500:]) > 0.9
    assert abs(net.predict(X[500:]).mean() - y[500:].mean()) < 10.0


def test_early_stopping_holds_out_rows_and_stops(digits_xy):
    X, y = digits_xy
    net = TorchMLPClassifier(
        epochs=200, lr=0.01, early_stopping=True, random_state=0, hidden_size=128
    ).fit(X, y)
    assert net.n_epochs_ < 200  # the validation loss stopped improving long before
    assert {"valid_loss", "valid_acc"} <= set(net.history_[-1])


def test_the_listener_hears_every_epoch(digits_xy):
    X, y = digits_xy[0][:100], digits_xy[1][:100]
    heard = []
    outer = []
    with (
        listen(lambda epoch, epochs, loss, row: outer.append(epoch)),
        listen(lambda epoch, epochs, loss, row: heard.append((epoch, epochs, loss, row))),
    ):
        net = TorchMLPClassifier(epochs=3, random_state=0).fit(X, y)
    assert [(e, n) for e, n, _, _ in heard] == [(1, 3), (2, 3), (3, 3)]
    assert [row for *_, row in heard] == net.history_  # the rows the journal keeps
    assert [loss for _, _, loss, _ in heard] == [row["train_loss"] for row in net.history_]
    assert outer == [1, 2, 3]  # an outer listener still hears every epoch


def test_a_cnn_refuses_columns_that_are_not_a_square_image():
    with pytest.raises(InputError, match="not a square"):
        ConvNetClassifier(epochs=1).fit(np.zeros((10, 63)), np.arange(10) % 2)
    with pytest.raises(InputError, match=r"Fix: params=\{'depth': 3\}"):  # Python's words
        ConvNetClassifier(epochs=1, depth=4).fit(np.zeros((10, 64)), np.arange(10) % 2)


def test_token_sequencer_pads_left_and_marks_unknown_words():
    seq = TokenSequencer(max_length=5).fit(["the tea is good", "the tea is bad", "good"])
    ids = seq.transform(["good tea", "", "zebra the"])
    assert ids.shape == (3, 5)
    assert (ids[:, :3] == 0).all()  # padding on the left
    vocab = seq.vocabulary_
    assert ids[0, -2:].tolist() == [vocab["good"], vocab["tea"]]
    assert ids[1, -1] == 1  # an empty text reads as one unknown token
    assert ids[2, -2:].tolist() == [1, vocab["the"]]


@pytest.mark.parametrize("cls", [GRUTextClassifier, TransformerTextClassifier])
def test_text_nets_learn_which_word_decides(cls):
    rng = np.random.default_rng(0)
    words = np.array(["tea", "cup", "box", "bag", "jar", "pot"])
    texts, labels = [], []
    for i in range(400):
        body = list(rng.choice(words, size=6))
        good = i % 2 == 0
        body.insert(int(rng.integers(0, 6)), "great" if good else "awful")
        texts.append(" ".join(body))
        labels.append("good" if good else "bad")
    ids = TokenSequencer(max_length=8).fit_transform(texts[:300])
    test_ids = TokenSequencer(max_length=8).fit(texts[:300]).transform(texts[300:])
    net = cls(epochs=15, lr=0.01, random_state=0).fit(ids, labels[:300])
    assert net.score(test_ids, labels[300:]) > 0.9


def test_text_nets_refuse_numbers_that_are_not_token_ids():
    with pytest.raises(InputError, match="TokenSequencer"):
        GRUTextClassifier(epochs=1).fit(np.array([[0.5, 1.0]] * 4), [0, 1, 0, 1])


def test_heads_must_divide_the_width():
    ids = np.ones((4, 3))
    with pytest.raises(InputError, match="split evenly"):
        TransformerTextClassifier(hidden_size=10, heads=3, epochs=1).fit(ids, [0, 1, 0, 1])


def test_an_interrupt_during_training_is_not_swallowed(digits_xy):
    # skorch ends training quietly on KeyboardInterrupt (its early stopping raises one);
    # Ctrl-C during a sweep must still stop the sweep.
    def interrupt(epoch, net):
        if epoch == 2:
            raise KeyboardInterrupt

    X, y = digits_xy[0][:100], digits_xy[1][:100]
    with pytest.raises(KeyboardInterrupt):
        TorchMLPClassifier(epochs=5, random_state=0).fit(X, y, epoch_hook=interrupt)


def test_token_sequencer_reads_a_vocabulary_and_ids_it_made_before(monkeypatch):
    # A sweep fits each fold's texts once per value: the second time nothing is tokenised.
    from tinkerlab.nets import _tokens

    texts = [f"review {i} good tea" if i % 3 else None for i in range(30)]
    fresh = TokenSequencer(max_length=6).fit(texts)
    first = fresh.transform(texts)
    calls = []
    monkeypatch.setattr(_tokens, "_words", lambda text: calls.append(text) or [])
    again = TokenSequencer(max_length=6).fit(texts)
    assert again.vocabulary_ == fresh.vocabulary_
    np.testing.assert_array_equal(again.transform(texts), first)
    assert calls == []
    TokenSequencer(max_length=6, max_tokens=3).fit(texts)  # other parameters: fitted anew
    assert len(calls) == len(texts)
    calls.clear()
    TokenSequencer(max_length=6).fit(["None", *texts[1:]])  # texts[0], missing, is not "None"
    assert len(calls) == len(texts)


def test_token_sequencer_keeps_the_first_or_the_last_words_of_a_long_text():
    texts = ["one two three four five six"]
    first = TokenSequencer(max_length=3).fit(texts)
    last = TokenSequencer(max_length=3, keep="last").fit(texts)
    vocab = first.vocabulary_
    assert first.transform(texts)[0].tolist() == [vocab[w] for w in ("one", "two", "three")]
    assert last.transform(texts)[0].tolist() == [vocab[w] for w in ("four", "five", "six")]
    del last.keep  # a sequencer saved before ``keep`` existed kept the first words
    np.testing.assert_array_equal(last.transform(texts), first.transform(texts))
    with pytest.raises(InputError, match="'keep' parameter of TokenSequencer"):
        TokenSequencer(keep="middle").fit(texts).transform(texts)


def test_the_gru_pipeline_reads_the_last_32_words_and_the_transformer_the_first_64():
    from tinkerlab.data import load
    from tinkerlab.recipe import build_pipeline, make_recipe

    def sequencer(model):
        pipeline = build_pipeline(make_recipe(load("reviews"), model=model))
        return pipeline.named_steps["preprocess"].transformers[0][1]

    assert (sequencer("text_rnn").max_length, sequencer("text_rnn").keep) == (32, "last")
    assert (sequencer("text_transformer").max_length, sequencer("text_transformer").keep) == (
        64,
        "first",
    )
