"""Experiments, their points and predictions in the journal, on SQLite and PostgreSQL.

The journal reads plain data only (it does not import tinkerlab.experiment): these tests
hand it dicts shaped like the ones an experiment sends.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys

import pytest

from tinkerlab.exceptions import InputError, NotFoundError
from tinkerlab.experiment import summarize_predictions
from tinkerlab.journal import Journal

PNG = b"\x89PNG\r\n\x1a\n curve"


def experiment(**changes):
    data = {
        "dataset": "iris",
        "task": "classification",
        "model": "knn",
        "knob": "n_neighbors",
        "knob_kind": "param",
        "spec": {"values": [1, 5, 25], "metric": "accuracy", "repeats": 1},
        "notices": [],
    }
    data.update(changes)
    return data


def point(position, value, scores=(0.9, 0.8, float("nan"))):
    return {
        "position": position,
        "value": value,
        "label": str(value),
        "train": {"accuracy": [1.0, 1.0, 1.0]},
        "test": {"accuracy": list(scores)},
        "fit_time": 0.01,
        "n_train": 96.0,
        "n_test": 24.0,
        "notices": [],
    }


@pytest.fixture
def journal(journal_url):
    with Journal(journal_url) as j:
        yield j


def test_points_are_committed_one_by_one_and_read_back(journal):
    guess = {"shape": "peak", "best_value": 5, "best_score": None}
    experiment_id = journal.start_experiment(experiment(), guess)
    entry = journal.get_experiment(experiment_id)
    assert (entry.status, entry.n_points, entry.n_values) == ("running", 0, 3)
    assert entry.prediction.shape == "peak"
    assert entry.prediction.scored_at is None

    journal.record_point(experiment_id, point(1, 5))
    journal.record_point(experiment_id, point(0, None))
    journal.record_point(experiment_id, point(1, 5, scores=(0.1, 0.1, 0.1)))  # already there
    entry = journal.get_experiment(experiment_id)
    assert [p.position for p in entry.points] == [0, 1]
    assert entry.points[0].value is None  # JSON null comes back as None
    assert entry.points[1].test == {"accuracy": [0.9, 0.8, None]}  # NaN is stored as null
    assert entry.points[1].created_at.tzinfo is not None


def test_finishing_stores_summary_plots_and_the_scored_prediction(journal):
    experiment_id = journal.start_experiment(
        experiment(), {"shape": "up", "best_value": 25, "best_score": 0.9}
    )
    for i, v in enumerate([1, 5, 25]):
        journal.record_point(experiment_id, point(i, v))
    score = {
        "observed_shape": "up",
        "shape_hit": True,
        "best_hit": False,
        "best_closeness": 0.5,
        "score_error": 0.02,
        "score_in_interval": True,
    }
    paths = journal.finish_experiment(
        experiment_id, {"best": 25, "shape": "up"}, {"curve.png": PNG}, score
    )
    assert [p.name for p in paths] == ["curve.png"]
    assert paths[0].read_bytes() == PNG
    entry = journal.get_experiment(experiment_id)
    assert entry.status == "finished"
    assert entry.summary == {"best": 25, "shape": "up"}
    assert entry.plot_paths == paths
    assert entry.prediction.shape_hit is True
    assert entry.prediction.best_closeness == 0.5
    # finishing again (after a resume) replaces the plots
    again = journal.finish_experiment(experiment_id, {"best": 5}, {"curve.svg": b"<svg/>"}, None)
    assert [p.name for p in again] == ["curve.svg"]
    assert not paths[0].exists()
    assert journal.get_experiment(experiment_id).summary == {"best": 5}


def test_listing_and_statuses(journal):
    first = journal.start_experiment(experiment())
    second = journal.start_experiment(experiment(knob="weights"))
    journal.record_point(second, point(0, "uniform"))
    journal.mark_experiment(first, "interrupted")
    listed = journal.list_experiments()
    assert [(e.id, e.status, e.n_points) for e in listed] == [
        (second, "running", 1),
        (first, "interrupted", 0),
    ]
    with pytest.raises(InputError, match="set to running, interrupted or failed"):
        journal.mark_experiment(first, "finished")


def test_a_killed_owner_reads_interrupted_and_can_be_claimed(journal):
    experiment_id = journal.start_experiment(experiment())
    assert journal.get_experiment(experiment_id).status == "running"
    # another live process owns it: claiming it is refused
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        _set_owner_pid(journal, experiment_id, owner.pid)
        with pytest.raises(InputError, match=rf"still running \(process {owner.pid} on"):
            journal.claim_experiment(experiment_id)
    finally:
        owner.kill()  # like kill -9: it cannot mark anything
        owner.wait()
    assert journal.get_experiment(experiment_id).status == "interrupted"
    claimed = journal.claim_experiment(experiment_id)
    assert claimed.status == "running"
    assert claimed.owner["pid"] == os.getpid()
    # the process that owns it may claim it again (a notebook retrying a resume)
    assert journal.claim_experiment(experiment_id).status == "running"


def test_another_machine_can_only_be_overridden_with_force(journal):
    experiment_id = journal.start_experiment(experiment())
    _set_owner_pid(journal, experiment_id, 12345, host="elsewhere.example")
    assert journal.get_experiment(experiment_id).status == "running"  # cannot know
    with pytest.raises(InputError, match="--force"):
        journal.claim_experiment(experiment_id)
    assert journal.claim_experiment(experiment_id, force=True).status == "running"


def test_unknown_ids_and_bad_points(journal):
    with pytest.raises(NotFoundError, match=r"No experiment with id 99.*journal experiments"):
        journal.get_experiment(99)
    with pytest.raises(InputError, match="An experiment id is a whole number"):
        journal.get_experiment("3")
    experiment_id = journal.start_experiment(experiment())
    bad = point(0, 1)
    bad["test"] = {"accuracy": "high"}
    with pytest.raises(InputError, match=r"point\['test'\]\['accuracy'\] must be a list"):
        journal.record_point(experiment_id, bad)
    with pytest.raises(InputError, match="must be a string"):
        journal.start_experiment(experiment(dataset=3))
    assert journal.get_experiment(experiment_id).n_points == 0


def test_the_prediction_record(journal):
    hits = [True, False, None, True]
    for i, hit in enumerate(hits):
        experiment_id = journal.start_experiment(
            experiment(knob_kind="param" if i < 2 else "train_size"),
            {"shape": "up", "best_value": 5 if i == 0 else None, "best_score": 0.8},
        )
        journal.finish_experiment(
            experiment_id,
            {},
            {},
            {
                "observed_shape": "up" if hit else "too noisy to tell",
                "shape_hit": hit,
                "best_hit": True if i == 0 else None,
                "best_closeness": 1.0 if i == 0 else None,
                "score_error": 0.01 * i,
                "score_in_interval": i % 2 == 0,
            },
        )
    journal.start_experiment(
        experiment(), {"shape": "flat", "best_value": None, "best_score": None}
    )
    record = summarize_predictions(journal.predictions())
    assert record["predictions"] == 5
    assert record["pending"] == 1
    assert record["shapes"] == {
        "predicted": 4,
        "judged": 3,
        "hits": 2,
        "too_noisy": 1,
        "hit_rate": 0.6667,
    }
    assert record["per_knob_kind"]["param"]["hit_rate"] == 0.5
    assert record["per_knob_kind"]["train_size"]["too_noisy"] == 1
    assert record["over_time"][-1]["running_hit_rate"] == 0.6667
    assert record["best_value"] == {"guesses": 1, "hits": 1, "hit_rate": 1.0, "mean_closeness": 1.0}
    assert record["score"]["calibration"] == 0.5
    assert math.isclose(record["score"]["mean_error"], 0.015)


def _set_owner_pid(journal, experiment_id, pid, host=None):
    import socket

    from sqlalchemy import update

    from tinkerlab.journal._tables import ExperimentRow

    owner = {"host": host or socket.gethostname(), "pid": pid}
    with journal._db.writing("change") as session:
        session.execute(
            update(ExperimentRow).where(ExperimentRow.id == experiment_id).values(owner=owner)
        )
        session.commit()


def test_notes_about_an_experiment_are_its_own_and_go_with_it(journal, make_run):
    from sqlalchemy import text

    first = journal.start_experiment(experiment())
    second = journal.start_experiment(experiment(knob="weights"))
    a = journal.add_experiment_note(first, "  the curve turns at 5 \n")
    b = journal.add_experiment_note(first, "k=1 memorises the training rows")
    journal.add_experiment_note(second, "weights barely matter")

    assert (a.text, a.experiment_id) == ("the curve turns at 5", first)  # trimmed
    assert a.created_at.tzinfo is not None
    assert journal.experiment_notes(first) == [a, b]
    assert [n.text for n in journal.experiment_notes(second)] == ["weights barely matter"]
    # An experiment's notes are not a run's: run 1 (made now) has none.
    assert journal.notes(journal.record_run(make_run(plots={})).id) == []

    with pytest.raises(InputError, match="A note needs some text"):
        journal.add_experiment_note(first, "   ")
    with pytest.raises(NotFoundError):
        journal.add_experiment_note(999, "about nothing")
    with pytest.raises(NotFoundError):
        journal.experiment_notes(999)
    with pytest.raises(InputError, match="experiment id is a whole number"):
        journal.add_experiment_note("e1", "a string id")  # type: ignore[arg-type]
    assert journal.experiment_notes(first) == [a, b]  # nothing half-written

    # The foreign key deletes them with their experiment (no delete API: SQL, as for runs).
    with journal._db.writing("change") as session:
        session.execute(text("DELETE FROM experiments WHERE id = :id"), {"id": first})
        session.commit()
        left = session.execute(text("SELECT experiment_id FROM experiment_notes")).all()
    assert left == [(second,)]
