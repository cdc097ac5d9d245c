"""``tinkerlab theory`` and ``tinkerlab why``: cards in the terminal, unlocked by the journal,
questions recorded; bad input exits 2 with one clear paragraph."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tinkerlab.insight import cards, journal_triggers, unlocked_cards
from tinkerlab.journal import Journal


def test_theory_renders_one_card(cli) -> None:
    result = cli("theory", "gradient_descent")
    assert result.code == 0, result.err
    assert "Gradient descent and the learning rate" in result.out
    assert "wₜ₊₁ = wₜ − η ∇L(wₜ)" in result.out
    assert "tinkerlab tinker digits" in result.out


def test_theory_json_and_html(cli, tmp_path: Path) -> None:
    page = tmp_path / "card.html"
    result = cli("theory", "overfitting", "--json", "--html", str(page))
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["id"] == "overfitting"
    assert data["shows"] == "overfitting"
    assert data["try_this"].startswith("tinkerlab tinker ")
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<math" in html


def test_theory_lists_every_card_and_what_unlocks_it(cli) -> None:
    result = cli("theory", "--json")
    assert result.code == 0, result.err
    listed = json.loads(result.out)
    assert len(listed) == len(cards()) >= 28
    assert not any(c["unlocked"] for c in listed)  # a fresh journal has unlocked nothing
    table = cli("theory")
    assert table.code == 0
    assert f"0 of {len(cards())} unlocked" in table.out
    assert "by seeing overfitting or sweeping max_depth" in table.out


def test_a_recorded_run_unlocks_the_cards_of_its_model_and_knobs(cli) -> None:
    import tinkerlab as tl

    run = tl.run("iris", model="decision_tree", params={"max_depth": 3})
    listed = {c["id"]: c for c in json.loads(cli("theory", "--json").out)}
    with Journal() as journal:
        assert journal_triggers(journal)["max_depth"] == f"run #{run.id}"  # set with --set
    assert listed["decision_trees"]["unlocked"]
    assert listed["decision_trees"]["unlocked_because"]["where"] == f"run #{run.id}"
    assert listed["train_test_split"]["unlocked"]  # first_run
    assert not listed["gradient_descent"]["unlocked"]
    assert "unlocked by your work so far" in cli("theory").out


def test_a_recorded_experiment_unlocks_the_cards_of_its_knob(cli) -> None:
    from tinkerlab import _api

    experiment = _api.tinker("iris", "n_neighbors", [1, 5], model="knn", repeats=1, n_jobs=1)
    with Journal() as journal:
        met = journal_triggers(journal)
        unlocked = unlocked_cards(journal)
    assert met["n_neighbors"] == met["knn"] == f"experiment #{experiment.id}"
    assert unlocked["knn_distance"] == ("knn", f"experiment #{experiment.id}")
    assert "first_run" not in met  # an experiment is not a recorded run


def test_phenomena_recorded_with_an_experiment_unlock_their_cards() -> None:
    runs: list[Any] = []
    experiments = [
        SimpleNamespace(
            id=4, model="svm", knob="gamma", summary={"phenomena": [{"id": "divergence"}]}
        ),
        SimpleNamespace(
            id=2, model="knn", knob="scaling", summary={"phenomena": ["leakage", "junk"]}
        ),
    ]
    journal = SimpleNamespace(
        list_runs=lambda limit=None, dataset=None: runs,
        list_experiments=lambda limit=None: experiments,
    )
    met = journal_triggers(journal)
    assert met["scaling"] == "experiment #2"
    assert met["divergence"] == "experiment #4"
    assert "junk" not in met
    unlocked = unlocked_cards(journal)
    assert unlocked["gradient_descent"] == ("divergence", "experiment #4")
    assert unlocked["data_leakage"] == ("leakage", "experiment #2")
    assert "feature_scaling" in unlocked
    assert "overfitting" not in unlocked


def test_why_finds_cards_and_records_the_question(cli) -> None:
    result = cli("why", "why does accuracy go down when the tree gets deeper?")
    assert result.code == 0, result.err
    assert "Question #1 recorded" in result.out
    assert "1. Overfitting and the train/test gap" in result.out
    with Journal() as journal:
        [question] = journal.questions()
    assert question.text == "why does accuracy go down when the tree gets deeper?"
    assert question.run_id is None


def test_why_links_the_question_to_a_run_and_speaks_json(cli) -> None:
    import tinkerlab as tl

    run = tl.run("iris", model="knn")
    result = cli("why", "what does the learning rate do?", "--run", str(run.id), "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["run_id"] == run.id
    assert data["cards"][0]["id"] == "gradient_descent"
    assert data["cards"][0]["read"] == "tinkerlab theory gradient_descent"
    with Journal() as journal:
        assert [q.text for q in journal.questions(run.id)] == ["what does the learning rate do?"]


def test_why_without_recording_leaves_the_journal_alone(cli) -> None:
    result = cli("why", "what is cross-validation", "--no-record")
    assert result.code == 0
    assert "recorded" not in result.out
    with Journal() as journal:
        assert journal.questions() == []


def test_why_with_no_matching_card_says_how_to_browse(cli) -> None:
    result = cli("why", "zebra giraffe xylophone")
    assert result.code == 0
    assert "tinkerlab theory" in result.out


# --- bad input: exit 2, one paragraph, no traceback, nothing recorded ---------------------


def _bad(cli, *args: str) -> str:
    result = cli(*args)
    assert result.code == 2, (result.code, result.out, result.err)
    assert "Traceback" not in result.err + result.out
    assert result.message.startswith("Error:")
    with Journal() as journal:
        assert journal.questions() == []
    return result.message


def test_an_unknown_card_suggests_the_closest(cli) -> None:
    message = _bad(cli, "theory", "overfit")
    assert "No theory card 'overfit'" in message
    assert "'overfitting'" in message
    assert "tinkerlab theory" in message


@pytest.mark.parametrize("question", ["", "   "])
def test_an_empty_question_is_refused(cli, question: str) -> None:
    message = _bad(cli, "why", question)
    assert "needs some words" in message


def test_a_question_about_a_run_that_does_not_exist_is_refused(cli) -> None:
    assert "No run with id 99" in _bad(cli, "why", "why so slow?", "--run", "99")
    assert "No run with id 99" in _bad(cli, "why", "why so slow?", "--run", "99", "--no-record")


def test_a_bad_limit_and_html_without_a_card_are_refused(cli, tmp_path: Path) -> None:
    assert "limit" in _bad(cli, "why", "overfitting", "--limit", "0")
    assert "--html writes one card" in _bad(cli, "theory", "--html", str(tmp_path / "x.html"))
    assert "Could not write" in _bad(
        cli, "theory", "overfitting", "--html", str(tmp_path / "missing" / "x.html")
    )
