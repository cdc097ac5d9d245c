"""The learning path's records: labs done (once each) and the understanding test's answers."""

from __future__ import annotations

import pytest

from tinkerlab.exceptions import InputError, NotFoundError
from tinkerlab.journal import Journal


def test_a_lab_keeps_its_first_pass(journal_url):
    with Journal(journal_url) as journal:
        first = journal.record_lab_done("1.1", ["run #1: knn on iris"])
        again = journal.record_lab_done("1.1", ["run #7"])
        journal.record_lab_done("1.2", [])
        assert again.created_at == first.created_at
        assert again.evidence == ["run #1: knn on iris"]
        assert [e.lab_id for e in journal.labs_done()] == ["1.1", "1.2"]


def test_answers_round_trip_oldest_first(journal_url):
    with Journal(journal_url) as journal:
        journal.record_answer("predict", {"dataset": "iris", "values": [1, 2]}, "up", "down", False)
        journal.record_answer("explain", {"choices": ["a"]}, "overfitting", "overfitting", True)
        journal.record_answer("predict", {}, "up", "too noisy to tell", None)
        answers = journal.answers()
    assert [a.kind for a in answers] == ["predict", "explain", "predict"]
    assert answers[0].question == {"dataset": "iris", "values": [1, 2]}
    assert [a.correct for a in answers] == [False, True, None]


def test_bad_answers_are_refused_before_anything_is_written(journal_url):
    with Journal(journal_url) as journal:
        with pytest.raises(InputError, match="predict, explain; got 'guess'"):
            journal.record_answer("guess", {}, "up", "up", True)
        with pytest.raises(NotFoundError):
            journal.record_answer("predict", {}, "up", "up", True, experiment_id=99)
        with pytest.raises(InputError):
            journal.record_lab_done("  ", [])
        assert journal.answers() == []
        assert journal.labs_done() == []
