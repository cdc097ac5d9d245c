"""Recording and reading runs, notes and questions: the same behaviour on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import create_engine, text

from tinkerlab.exceptions import InputError, NotFoundError, UsageError
from tinkerlab.journal import Journal, RunEntry, RunLike


@pytest.fixture
def journal(journal_url):
    with Journal(journal_url) as journal:
        yield journal


def test_every_field_round_trips(journal, make_run):
    before = datetime.now(UTC)
    run = make_run()
    recorded = journal.record_run(run)

    assert isinstance(recorded.id, int)
    assert len(recorded.uid) == 32
    int(recorded.uid, 16)  # hex
    assert recorded.created_at.tzinfo is not None
    assert recorded.created_at.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= recorded.created_at <= datetime.now(UTC)
    assert recorded.dataset == "titanic"
    assert recorded.task == "classification"
    assert recorded.model == "logistic_regression"
    assert recorded.recipe == run.recipe.to_dict()
    assert recorded.metrics == {"accuracy": {"cv_mean": 0.81, "cv_std": 0.02, "test": 0.8}}
    assert recorded.baseline == {"accuracy": {"cv_mean": 0.62, "cv_std": 0.01, "test": 0.61}}
    assert recorded.summary == run.summary
    assert recorded.timings == {"fit": 0.12, "cv": 0.5}
    assert recorded.notices == ["Dropped 2 rows with no target."]
    assert recorded.data_sha256 == "ab" * 32
    assert isinstance(recorded.tinkerlab_version, str)
    assert recorded.tinkerlab_version
    assert recorded.plots_dir == journal.plots_dir / recorded.uid
    assert recorded.plot_paths == [
        recorded.plots_dir / "confusion_matrix.png",
        recorded.plots_dir / "roc.png",
    ]
    assert [p.read_bytes() for p in recorded.plot_paths] == list(run.plots.values())

    # Read back through every door: what was stored is what was returned.
    assert journal.get_run(recorded.id) == recorded
    assert journal.list_runs() == [recorded]


def test_numpy_values_tuples_and_nan_are_stored_as_plain_json(journal, make_run):
    run = make_run(
        metrics={"r2": {"cv_mean": np.float64(0.5), "cv_std": float("nan"), "test": np.float32(1)}},
        summary={
            "class_balance": {np.int64(0): np.int64(3), 1: 4},
            "importances": np.array([0.25, 0.75]),
            "shape": (891, 3),
            "flag": np.bool_(True),
        },
        timings={"fit": np.float64(0.25)},
    )
    stored = journal.get_run(journal.record_run(run).id)
    assert stored.metrics == {"r2": {"cv_mean": 0.5, "cv_std": None, "test": 1.0}}
    assert stored.summary == {
        "class_balance": {"0": 3, "1": 4},
        "importances": [0.25, 0.75],
        "shape": [891, 3],
        "flag": True,
    }
    assert stored.timings == {"fit": 0.25}


def test_a_run_without_plots_has_no_plot_directory(journal, make_run):
    entry = journal.get_run(journal.record_run(make_run(plots={})).id)
    assert entry.plots_dir is None
    assert entry.plot_paths == []
    assert list(journal.plots_dir.iterdir()) == []


def test_list_runs_is_newest_first_and_filters(journal, make_run):
    ids = [journal.record_run(make_run(dataset_name=name, plots={})).id for name in "aba"]

    assert [r.id for r in journal.list_runs()] == ids[::-1]
    assert [r.id for r in journal.list_runs(limit=2)] == ids[:0:-1]
    assert [r.id for r in journal.list_runs(limit=None)] == ids[::-1]
    assert journal.list_runs(limit=0) == []
    assert [r.id for r in journal.list_runs(dataset="a")] == [ids[2], ids[0]]
    assert [r.id for r in journal.list_runs(dataset="a", limit=1)] == [ids[2]]
    assert journal.list_runs(dataset="missing") == []
    assert journal.count_runs() == 3
    with pytest.raises(InputError, match=r"limit must be 0 or more.*got -1"):
        journal.list_runs(limit=-1)


def test_unknown_run_ids_raise_not_found_with_the_way_to_list_runs(journal):
    with pytest.raises(NotFoundError, match=r"No run with id 42 .*tinkerlab journal") as caught:
        journal.get_run(42)
    assert isinstance(caught.value, LookupError)
    assert isinstance(caught.value, UsageError)
    for call in (
        lambda: journal.add_note(42, "hello"),
        lambda: journal.notes(42),
        lambda: journal.add_question("why?", run_id=42),
        lambda: journal.questions(run_id=42),
    ):
        with pytest.raises(NotFoundError, match="id 42"):
            call()
    assert journal.questions() == []


@pytest.mark.parametrize("bad_id", ["3", 2.0, True, None])
def test_run_ids_must_be_whole_numbers(journal, bad_id):
    with pytest.raises(InputError, match="A run id is a whole number"):
        journal.get_run(bad_id)


def test_notes_belong_to_a_run_and_read_oldest_first(journal, make_run):
    first = journal.record_run(make_run(plots={})).id
    second = journal.record_run(make_run(plots={})).id
    a = journal.add_note(first, "  accuracy fell when I dropped Age \n")
    b = journal.add_note(first, "the baseline is 0.62")
    journal.add_note(second, "other run")

    assert a.text == "accuracy fell when I dropped Age"  # trimmed
    assert a.run_id == first
    assert a.created_at.tzinfo is not None
    assert journal.notes(first) == [a, b]
    assert [n.text for n in journal.notes(second)] == ["other run"]
    for empty in ("", "   ", None):
        with pytest.raises(InputError, match="A note needs some text"):
            journal.add_note(first, empty)
    assert journal.notes(first) == [a, b]


def test_questions_with_and_without_a_run(journal, make_run):
    run_id = journal.record_run(make_run(plots={})).id
    general = journal.add_question("What is a learning curve?")
    about_run = journal.add_question("Why does test beat CV?", run_id=run_id)

    assert general.run_id is None
    assert about_run.run_id == run_id
    assert journal.questions() == [general, about_run]
    assert journal.questions(run_id=run_id) == [about_run]
    with pytest.raises(InputError, match="A question needs some text"):
        journal.add_question(" ")


def test_deleting_a_run_deletes_its_notes_and_unlinks_its_questions(journal, make_run):
    # No delete API yet; this checks the foreign keys themselves (SQLite enforces them only
    # with PRAGMA foreign_keys=ON, which the journal sets on every connection).
    run_id = journal.record_run(make_run(plots={})).id
    journal.add_note(run_id, "a note")
    question = journal.add_question("a question", run_id=run_id)
    with journal._db.writing("change") as session:
        session.execute(text("DELETE FROM runs WHERE id = :id"), {"id": run_id})
        session.commit()
        assert session.execute(text("SELECT count(*) FROM notes")).scalar() == 0
    assert [(q.id, q.run_id) for q in journal.questions()] == [(question.id, None)]


def test_a_note_for_a_missing_run_is_refused_by_the_database_too(journal_url):
    # The check in add_note gives the friendly error; the foreign key is the real guarantee.
    Journal(journal_url).close()
    engine = create_engine(journal_url)
    if engine.dialect.name == "sqlite":  # a raw engine: foreign keys are off unless asked
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys = ON")
            with pytest.raises(Exception, match="FOREIGN KEY"):
                connection.exec_driver_sql(
                    "INSERT INTO notes (run_id, created_at, text) VALUES (7, '2024-01-01', 'x')"
                )
    else:
        with engine.connect() as connection, pytest.raises(Exception, match="foreign key"):
            connection.exec_driver_sql(
                "INSERT INTO notes (run_id, created_at, text) VALUES (7, now(), 'x')"
            )
    engine.dispose()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"summary": {"seen": {1, 2}}}, r"run.summary\['seen'\] holds a set"),
        ({"summary": ["not", "a", "dict"]}, "run.summary must be a dict"),
        ({"metrics": {"accuracy": 0.8}}, r"run.metrics\['accuracy'\] must map score names"),
        ({"metrics": {"accuracy": {"test": "high"}}}, "must map score names to numbers"),
        ({"plots": {"../escape.png": b"png"}}, "not a plain file name"),
        ({"plots": {"a\\b.png": b"png"}}, "backslash"),
        ({"plots": {"a.png": "not bytes"}}, "must be bytes"),
        ({"notices": ["ok", 3]}, "run.notices must be a list of strings"),
        ({"timings": {"fit": "fast"}}, "run.timings must map step names to seconds"),
        ({"dataset_name": None}, "run.dataset_name must be a string"),
        ({"recipe": object()}, "to_dict"),
    ],
)
def test_values_the_journal_cannot_store_are_refused_before_anything_is_written(
    journal, make_run, changes, message
):
    with pytest.raises(InputError, match=message):
        journal.record_run(make_run(**changes))
    assert journal.count_runs() == 0
    assert list(journal.plots_dir.iterdir()) == []


def test_an_object_that_is_not_a_run_is_refused_with_what_it_lacks(journal):
    with pytest.raises(InputError, match="the str given has no recipe, dataset_name"):
        journal.record_run("titanic")  # type: ignore[arg-type]


def test_the_fake_run_is_a_runlike_and_the_attribute_list_matches_the_protocol(make_run):
    from tinkerlab.journal._entries import RUN_ATTRIBUTES

    declared = {name for name, value in vars(RunLike).items() if isinstance(value, property)}
    assert declared == set(RUN_ATTRIBUTES)
    run: RunLike = make_run()  # mypy would flag a mismatch here
    assert all(hasattr(run, name) for name in RUN_ATTRIBUTES)


def test_run_entry_repr_is_short(journal, make_run):
    entry = journal.record_run(make_run(plots={}))
    assert repr(entry).startswith(f"RunEntry(id={entry.id}, dataset='titanic', model=")
    assert "confusion" not in repr(entry)
    assert isinstance(entry, RunEntry)
