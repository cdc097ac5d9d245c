"""Understand from the command line: findings printed by tinker and run, ``explain``,
``path math``, questions linked to experiments and answered by reading their cards, and
unlocked cards recorded in the journal."""

from __future__ import annotations

import json

import pytest

from tinkerlab.journal import Journal

SCALING = ("tinker", "wine", "--model", "knn", "--knob", "scaling", "--no-predict", "--jobs", "1")


def test_tinker_prints_its_findings_with_a_card_and_records_them(cli) -> None:
    result = cli(*SCALING)
    assert result.code == 0, result.err
    assert "Spotted in your results: scaling sensitive" in result.out
    assert "(tinkerlab theory feature_scaling)" in result.out
    assert "Unlocked:" in result.out
    with Journal() as journal:
        [entry] = journal.list_experiments()
        assert [p["id"] for p in entry.summary["phenomena"]] == ["scaling_sensitive"]
        unlocked = {u.card_id: (u.trigger, u.source) for u in journal.unlocks()}
    assert unlocked["feature_scaling"][1] == f"experiment #{entry.id}"


def test_tinker_json_carries_phenomena_ids_and_evidence(cli) -> None:
    result = cli(*SCALING, "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    [finding] = data["phenomena"]
    assert finding["id"] == "scaling_sensitive"
    assert finding["card"] == "feature_scaling"
    assert "on" in finding["evidence"]
    assert 0.5 <= finding["confidence"] <= 1
    assert "feature_scaling" in data["unlocked_cards"]
    again = json.loads(cli(*SCALING, "--json").out)
    assert "feature_scaling" not in again["unlocked_cards"]  # unlocked once, not twice


def test_explain_reads_the_stored_numbers_again(cli) -> None:
    data = json.loads(cli(*SCALING, "--json").out)
    explained = cli("explain", str(data["id"]), "--json")
    assert explained.code == 0, explained.err
    body = json.loads(explained.out)
    assert [p["id"] for p in body["phenomena"]] == [p["id"] for p in data["phenomena"]]
    assert [p["evidence"] for p in body["phenomena"]] == [p["evidence"] for p in data["phenomena"]]
    text = cli("explain", str(data["id"]))
    assert f"experiment #{data['id']}: scaling on wine (knn)" in text.out
    assert "Spotted in your results: scaling sensitive" in text.out


def test_run_prints_and_records_its_findings(cli) -> None:
    result = cli("run", "churn", "--model", "logistic_regression")
    assert result.code == 0, result.err
    assert "Spotted in your results: accuracy paradox" in result.out
    assert "tinkerlab theory class_imbalance" in result.out
    explained = json.loads(cli("explain", "--run", "1", "--json").out)
    # A linear model barely beats "always no" even on the rows it learned from.
    assert sorted(p["id"] for p in explained["phenomena"]) == ["accuracy_paradox", "underfitting"]
    with Journal() as journal:
        assert "class_imbalance" in {u.card_id for u in journal.unlocks()}


def test_path_math_unlocks_topics_by_what_the_journal_shows(cli) -> None:
    before = json.loads(cli("path", "math", "--json").out)
    assert [s["card"] for s in before] == [
        "matrix_operations",
        "derivatives_chain_rule",
        "probability_basics",
        "variance_confidence_intervals",
    ]
    assert not any(s["unlocked"] for s in before)
    assert "0 of 4 topics unlocked" in cli("path", "math").out
    cli(*SCALING)  # manipulating data: standardising the features
    after = {s["card"]: s for s in json.loads(cli("path", "math", "--json").out)}
    assert after["matrix_operations"]["unlocked"]
    assert after["matrix_operations"]["trigger"] == "scaling"
    assert not after["derivatives_chain_rule"]["unlocked"]
    text = cli("path", "math").out
    assert "1 of 4 topics unlocked" in text
    assert "locked: unlock it by" in text


def test_a_question_about_an_experiment_stays_open_until_a_card_is_read(cli) -> None:
    experiment = json.loads(cli(*SCALING, "--json").out)["id"]
    asked = cli("why", "why does knn need scaled features?", "--experiment", str(experiment))
    assert asked.code == 0, asked.err
    assert f"about experiment #{experiment}" in asked.out
    [question] = json.loads(cli("journal", "questions", "--json").out)
    assert question["experiment_id"] == experiment
    assert question["open"]
    assert question["cards"][0] == "feature_scaling"
    assert cli("journal", "questions", "--open", "--json").out.count('"id"') == 1
    assert cli("theory", "feature_scaling").code == 0
    [question] = json.loads(cli("journal", "questions", "--json").out)
    assert question["cards_read"] == ["feature_scaling"]
    assert not question["open"]
    assert json.loads(cli("journal", "questions", "--open", "--json").out) == []
    assert "✓ read" in cli("journal", "questions").out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("explain", "999"), "999"),
        (("explain",), "Name one experiment or one run"),
        (("explain", "1", "--run", "1"), "Name one experiment or one run"),
        (("explain", "--run", "42"), "42"),
        (("why", "what is a tree?", "--experiment", "7"), "7"),
        (("theory", "overfiting"), "overfitting"),
        (("why", "   "), "question"),
    ],
)
def test_bad_understand_input_exits_2_and_changes_nothing(cli, args, words) -> None:
    result = cli(*args)
    assert result.code == 2, result.out
    assert words in result.message
    assert "Traceback" not in result.err
    with Journal() as journal:
        assert journal.questions() == []
        assert journal.unlocks() == []
        assert journal.cards_read() == {}


def test_explain_refuses_an_unfinished_experiment(cli) -> None:
    with Journal() as journal:
        from tinkerlab.experiment import tinker

        ex = tinker("iris", "n_neighbors", [1, 5], model="knn", repeats=1, n_jobs=1, store=journal)
        journal.mark_experiment(ex.id, "interrupted")
    result = cli("explain", str(ex.id))
    assert result.code == 2
    assert f"tinkerlab tinker --resume {ex.id}" in result.message
