"""Issue 14's command-line cases: the quickstart and a plain run teach theory (findings,
a "What next?" that points at tinker, why and theory, metrics explained), and
``journal ask`` points to the cards that answer the question."""

from __future__ import annotations

import json

import pytest


@pytest.mark.slow
def test_quickstart_spots_its_gap_and_points_at_tinker_why_and_theory(cli):
    result = cli("quickstart")
    assert result.code == 0, result.err
    assert "Spotted in your results" in result.out
    next_steps = result.out.split("What next?")[1]
    for command in ("tinkerlab tinker", "tinkerlab why", "tinkerlab theory"):
        assert command in next_steps


@pytest.mark.slow
def test_a_plain_run_has_what_next_and_explains_its_macro_metrics(cli):
    result = cli("run", "iris", "--model", "knn", "--no-record")
    assert result.code == 0, result.err
    assert "What next?" in result.out
    assert "balanced accuracy" in result.out
    assert "macro" in result.out


def test_journal_ask_points_to_the_cards_that_answer(cli):
    asked = cli("journal", "ask", "why does accuracy go down when the tree gets deeper?")
    assert asked.code == 0, asked.err
    assert "tinkerlab theory overfitting" in asked.out
    data = json.loads(cli("journal", "ask", "what does the learning rate do?", "--json").out)
    assert data["cards"]
    assert all(c["read"].startswith("tinkerlab theory ") for c in data["cards"])
