"""The understanding test: experiments drawn from what the learner has not run, scored by
the curve they show; findings of their own explained, scored against the detectors."""

from __future__ import annotations

import pytest

import tinkerlab as tl
from tinkerlab.exceptions import InputError
from tinkerlab.journal import Journal
from tinkerlab.path import PredictQuestion
from tinkerlab.path._understanding import QUESTIONS


def test_the_draw_skips_experiments_the_learner_has_run(worked_copy):
    question = tl.path.draw_prediction(db=worked_copy["url"])
    # iris n_neighbors is in the journal already: the first question is the next row
    assert (question.dataset, question.knob) != ("iris", "n_neighbors")
    assert (question.dataset, question.model, question.knob) == QUESTIONS[1][:3]
    assert "what does the validation score do?" in question.text


def test_a_predicted_experiment_runs_is_scored_and_kept(worked_copy):
    url = worked_copy["url"]
    question = PredictQuestion("iris", "knn", "label_noise", (0.0, 0.25, 0.5))
    scored = tl.path.answer_prediction(question, "down", db=url)
    with Journal(url) as journal:
        experiment = journal.get_experiment(scored.experiment_id)
        (answer,) = journal.answers()
    assert experiment.knob == "label_noise"
    assert experiment.prediction.shape == "down"
    assert answer.kind == "predict"
    assert answer.answer == "down"
    assert answer.expected == experiment.prediction.observed_shape
    assert answer.correct == experiment.prediction.shape_hit == scored.correct
    # the drawn experiments now skip this one too
    assert ("iris", "label_noise") not in {
        (q.dataset, q.knob) for q in [tl.path.draw_prediction(db=url)] if q
    }


def test_a_shape_that_is_not_one_is_refused_before_anything_runs(worked_copy):
    question = PredictQuestion("iris", "knn", "label_noise", (0.0, 0.5))
    with pytest.raises(InputError, match="up, down, peak, valley, flat; got 'sideways'"):
        tl.path.answer_prediction(question, "sideways", db=worked_copy["url"])
    with Journal(worked_copy["url"]) as journal:
        assert journal.answers() == []


def test_explaining_a_finding_is_scored_against_the_detectors(worked_copy):
    url = worked_copy["url"]
    question = tl.path.draw_explanation(db=url)
    assert question is not None
    ids = [c for c, _ in question.choices]
    assert len(ids) == 4
    assert len(set(ids)) == 4
    right = next(i for i, c in enumerate(ids, start=1) if c in question.expected)
    wrong = next(i for i, c in enumerate(ids, start=1) if c not in question.expected)
    assert "Which explains what happened?" in question.text
    assert "training" in question.text
    assert "validation" in question.text
    assert tl.path.answer_explanation(question, right, db=url).correct is True
    missed = tl.path.answer_explanation(question, str(wrong), db=url)
    assert missed.correct is False
    assert "tinkerlab theory" in missed.explanation
    record = tl.path.score(db=url)
    assert (record["answers"], record["scored"], record["right"]) == (2, 2, 1)
    assert [h["share"] for h in record["history"]] == [1.0, 0.5]


def test_the_overfitting_experiment_is_asked_about(worked_copy):
    question = tl.path.draw_explanation(db=worked_copy["url"])
    found = {question.experiment_id: question.expected}
    assert worked_copy["overfit"] in found or worked_copy["blind"] in found
    if question.experiment_id == worked_copy["overfit"]:
        assert "overfitting" in question.expected


def test_a_choice_out_of_range_is_refused(worked_copy):
    question = tl.path.draw_explanation(db=worked_copy["url"])
    with pytest.raises(InputError, match="from 1 to 4; got 7"):
        tl.path.answer_explanation(question, 7, db=worked_copy["url"])


def test_without_findings_there_is_nothing_to_explain():
    assert tl.path.draw_explanation(db="sqlite://") is None


def test_the_explanation_quotes_the_tables_numbers_with_added_repeats():
    # adaptive repeats add folds after a point was recorded: the summary's extra_folds
    from types import SimpleNamespace

    from tinkerlab.path._understanding import _numbers

    first = SimpleNamespace(
        position=0, label="1", test={"accuracy": [0.6, 0.6]}, train={"accuracy": [0.7, 0.7]}
    )
    last = SimpleNamespace(
        position=1, label="16", test={"accuracy": [0.5, 0.5]}, train={"accuracy": [1.0, 1.0]}
    )
    entry = SimpleNamespace(
        knob="max_depth",
        spec={"metric": "accuracy"},
        summary={
            "best": 0,
            "best_label": "1",
            "extra_folds": {"0": {"test": [0.9, 0.9], "train": [0.9, 0.9]}},
        },
        points=[first, last],
    )
    text = _numbers(entry)
    assert "at max_depth = 1: training 0.800, validation 0.750" in text  # 4 folds, not 2
    assert "at max_depth = 16: training 1.000, validation 0.500" in text
    assert "best value 1 (accuracy)" in text
