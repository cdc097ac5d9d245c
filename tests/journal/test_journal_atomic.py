"""A failed run records nothing half-written: no row, no plot files, no leftover folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tinkerlab.exceptions import JournalError
from tinkerlab.journal import Journal


@pytest.fixture
def journal(journal_url, make_run):
    with Journal(journal_url) as journal:
        journal.record_run(make_run())  # one good run, which must survive the failures
        yield journal


def _state(journal):
    """What a failed record_run must leave untouched: the rows and the runs folder."""
    return journal.count_runs(), sorted(p.name for p in journal.plots_dir.rglob("*"))


def test_a_failing_plot_write_records_nothing(journal, make_run, monkeypatch):
    before = _state(journal)
    real_write_bytes = Path.write_bytes
    calls = []

    def write_bytes_then_fail(self, data):
        calls.append(self.name)
        if len(calls) == 2:  # the first plot is on disk when the second fails
            raise OSError(28, "No space left on device")
        return real_write_bytes(self, data)

    with monkeypatch.context() as patch:
        patch.setattr(Path, "write_bytes", write_bytes_then_fail)
        with pytest.raises(JournalError) as caught:
            journal.record_run(make_run())
    assert str(caught.value).startswith(f"Could not save the run's plots in {journal.plots_dir}")
    assert "No space left on device" in str(caught.value)
    assert calls == ["confusion_matrix.png", "roc.png"]
    assert _state(journal) == before


@pytest.mark.parametrize(
    ("failure", "raised"),
    [
        (OperationalError("COMMIT", {}, Exception("disk I/O error")), JournalError),
        (KeyboardInterrupt(), KeyboardInterrupt),
    ],
)
def test_a_failing_commit_records_nothing(journal, make_run, monkeypatch, failure, raised):
    before = _state(journal)
    seen_at_commit = []

    def fail_commit(session):
        # By now the row is flushed and the plots renamed into place: both must be undone.
        seen_at_commit.append(sorted(p.name for p in journal.plots_dir.iterdir()))
        raise failure

    with monkeypatch.context() as patch:
        patch.setattr(Session, "commit", fail_commit)
        with pytest.raises(raised):
            journal.record_run(make_run())

    assert len(seen_at_commit) == 1
    assert len(seen_at_commit[0]) == 2  # the good run's folder and the new one
    assert not any(name.endswith(".partial") for name in seen_at_commit[0])
    assert _state(journal) == before


def test_a_database_failure_message_names_the_journal(journal, make_run, monkeypatch):
    def fail_commit(session):
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    with monkeypatch.context() as patch:
        patch.setattr(Session, "commit", fail_commit)
        with pytest.raises(JournalError) as caught:
            journal.record_run(make_run())
    assert f"Could not record the run in the journal at {journal.display_url}" in str(caught.value)
    assert "disk I/O error" in str(caught.value)


def test_a_failing_insert_records_nothing(journal, make_run, monkeypatch):
    before = _state(journal)

    def fail_flush(session, objects=None):
        raise OperationalError("INSERT", {}, Exception("database or disk is full"))

    with monkeypatch.context() as patch:
        patch.setattr(Session, "flush", fail_flush)
        with pytest.raises(JournalError, match="disk is full"):
            journal.record_run(make_run())
    assert _state(journal) == before
