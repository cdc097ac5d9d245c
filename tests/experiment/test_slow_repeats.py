"""Slow models on big tables start with one repeat, and the sweep says why in one line."""

from __future__ import annotations

import pytest

from tinkerlab.data import load
from tinkerlab.experiment._sweep import (
    DEFAULT_REPEATS,
    SLOW_MODELS,
    SLOW_ROWS,
    _insert_repeats_line,
    _one_repeat_why,
    _repeats,
)
from tinkerlab.recipe import make_recipe


@pytest.fixture(scope="module")
def reviews_recipe():
    return make_recipe(load("reviews"), model="text_rnn")


@pytest.mark.parametrize("net", ["mlp_torch", "cnn", "text_rnn", "text_transformer"])
def test_neural_networks_are_slow_models(net):
    assert net in SLOW_MODELS


def test_a_net_on_a_big_table_starts_with_one_repeat_and_says_why(reviews_recipe):
    rows = 4_000
    first = _repeats(reviews_recipe, rows, None)
    assert first == 1
    why = _one_repeat_why(reviews_recipe, rows, None, first, adaptive=True)
    assert why is not None
    assert "\n" not in why
    assert f"not {DEFAULT_REPEATS}" in why
    assert "text_rnn is slow to fit" in why
    assert "4,000 training rows" in why
    assert "--repeats N" in why


def test_a_small_table_or_fixed_repeats_need_no_reason(reviews_recipe):
    small = _repeats(reviews_recipe, SLOW_ROWS, None)
    assert small == DEFAULT_REPEATS
    assert _one_repeat_why(reviews_recipe, SLOW_ROWS, None, small, adaptive=True) is None
    assert _one_repeat_why(reviews_recipe, 4_000, 1, 1, adaptive=False) is None


def test_the_repeats_line_follows_the_reason_for_one_repeat(reviews_recipe):
    why = _one_repeat_why(reviews_recipe, 4_000, None, 1, adaptive=True)
    notices = ["Fast exact path: ...", why]
    _insert_repeats_line(notices, "Repeats: 3 (decided).")
    assert notices == ["Fast exact path: ...", why, "Repeats: 3 (decided)."]
    alone = ["Fast exact path: ..."]
    _insert_repeats_line(alone, "Repeats: 2 (decided).")
    assert alone == ["Repeats: 2 (decided).", "Fast exact path: ..."]
