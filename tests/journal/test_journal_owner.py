"""Who runs an experiment: a running one whose owner is gone reads "interrupted", on its own
machine at once (a free, zombie or reused process id), elsewhere once its heartbeat is stale.

On SQLite and PostgreSQL. The owner record and the heartbeat time are set directly in the
table, as another process or machine would have left them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tinkerlab.exceptions import InputError, JournalError
from tinkerlab.journal import Journal, _owner
from tinkerlab.journal._tables import ExperimentRow

EXPERIMENT = {
    "dataset": "iris",
    "task": "classification",
    "model": "knn",
    "knob": "n_neighbors",
    "knob_kind": "param",
    "spec": {"values": [1, 5], "metric": "accuracy", "repeats": 1},
    "notices": [],
}
needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


@pytest.fixture
def journal(journal_url):
    with Journal(journal_url) as j:
        yield j


def set_row(journal, experiment_id, **values):
    with journal._db.writing("change") as session:
        session.execute(
            update(ExperimentRow).where(ExperimentRow.id == experiment_id).values(**values)
        )
        session.commit()


def heartbeat_of(journal, experiment_id):
    with journal._db.reading() as session:
        return session.scalar(
            select(ExperimentRow.heartbeat_at).where(ExperimentRow.id == experiment_id)
        )


def here(pid, started="same"):
    """An owner on this machine: process *pid*, with its real start time unless given."""
    return {
        "host": socket.gethostname(),
        "pid": pid,
        "started": _owner._start_time(pid) if started == "same" else started,
    }


def test_a_new_experiment_names_this_process_and_its_start(journal):
    experiment_id = journal.start_experiment(EXPERIMENT)
    entry = journal.get_experiment(experiment_id)
    assert entry.owner["host"] == socket.gethostname()
    assert entry.owner["pid"] == os.getpid()
    assert entry.owner["started"] == _owner._start_time(os.getpid())  # None without /proc
    assert entry.heartbeat_at is not None
    assert abs(entry.heartbeat_at - entry.created_at) < timedelta(seconds=1)
    assert entry.status == "running"


@needs_proc
def test_a_killed_owner_not_yet_reaped_reads_interrupted(journal):
    """kill -9 leaves a zombie until its parent reads the exit status; signal 0 still
    reaches a zombie, so asking whether the pid exists is not enough."""
    experiment_id = journal.start_experiment(EXPERIMENT)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        set_row(journal, experiment_id, owner=here(child.pid))
        with pytest.raises(InputError, match=rf"still running \(process {child.pid} on"):
            journal.claim_experiment(experiment_id)
        child.kill()  # SIGKILL, and no wait(): a zombie
        deadline = time.monotonic() + 10
        while _owner._state(child.pid) != "Z" and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _owner._state(child.pid) == "Z"
        os.kill(child.pid, 0)  # the zombie still "exists"...
        assert journal.get_experiment(experiment_id).status == "interrupted"  # ...but not for us
        assert [e.status for e in journal.list_experiments()] == ["interrupted"]
        assert journal.claim_experiment(experiment_id).owner["pid"] == os.getpid()
    finally:
        child.kill()
        child.wait()


@needs_proc
def test_a_process_id_given_to_a_newer_process_reads_interrupted(journal):
    experiment_id = journal.start_experiment(EXPERIMENT)
    # Our parent is alive, but it is not the process that started the experiment: that
    # one started at another time (a pid is reused once its process is gone).
    parent = os.getppid()
    set_row(journal, experiment_id, owner=here(parent, started=_owner._start_time(parent) + 1))
    assert journal.get_experiment(experiment_id).status == "interrupted"
    set_row(journal, experiment_id, owner=here(parent))
    assert journal.get_experiment(experiment_id).status == "running"
    set_row(journal, experiment_id, owner=here(parent, started=None))  # a row from before 0005
    assert journal.get_experiment(experiment_id).status == "running"


def test_a_free_process_id_reads_interrupted(journal):
    experiment_id = journal.start_experiment(EXPERIMENT)
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: its pid is free
    set_row(journal, experiment_id, owner=here(child.pid, started=None))
    assert journal.get_experiment(experiment_id).status == "interrupted"


def test_another_machine_runs_it_until_its_heartbeat_is_stale(journal):
    experiment_id = journal.start_experiment(EXPERIMENT)
    now = datetime.now(UTC)
    elsewhere = {"host": "lab-7.example", "pid": 4242, "started": 99}
    set_row(journal, experiment_id, owner=elsewhere, heartbeat_at=now - timedelta(seconds=40))
    assert journal.get_experiment(experiment_id).status == "running"
    with pytest.raises(InputError) as refused:
        journal.claim_experiment(experiment_id)
    message = " ".join(str(refused.value).split())
    assert "process 4242 on lab-7.example, last heard from 4" in message  # 40-ish seconds
    assert f"tinkerlab tinker --resume {experiment_id} --force" in message
    assert "not been heard from for 5 minutes" in message

    stale = now - _owner.STALE_AFTER - timedelta(seconds=1)
    set_row(journal, experiment_id, heartbeat_at=stale)
    assert journal.get_experiment(experiment_id).status == "interrupted"
    claimed = journal.claim_experiment(experiment_id)  # no --force needed any more
    assert claimed.status == "running"
    assert claimed.owner["pid"] == os.getpid()
    assert claimed.heartbeat_at > stale


def test_rows_from_before_heartbeats_go_by_their_last_update(journal):
    experiment_id = journal.start_experiment(EXPERIMENT)
    elsewhere = {"host": "lab-7.example", "pid": 4242}
    now = datetime.now(UTC)
    set_row(journal, experiment_id, owner=elsewhere, heartbeat_at=None, updated_at=now)
    assert journal.get_experiment(experiment_id).status == "running"
    set_row(journal, experiment_id, updated_at=now - timedelta(days=2))
    assert journal.get_experiment(experiment_id).status == "interrupted"


def test_the_heartbeat_beats_while_it_runs_and_stops_when_it_ends(journal, monkeypatch):
    monkeypatch.setattr(_owner, "HEARTBEAT_SECONDS", 0.05)
    experiment_id = journal.start_experiment(EXPERIMENT)
    old = datetime.now(UTC) - timedelta(hours=1)
    set_row(journal, experiment_id, heartbeat_at=old)
    assert _wait_for(lambda: heartbeat_of(journal, experiment_id) > old)

    journal.finish_experiment(experiment_id, {}, {})
    set_row(journal, experiment_id, heartbeat_at=old)
    time.sleep(0.3)  # six beats' time: none is written for a finished experiment
    assert heartbeat_of(journal, experiment_id) == old

    second = journal.start_experiment(EXPERIMENT)
    journal.mark_experiment(second, "interrupted")  # Ctrl-C: no more beats either
    set_row(journal, second, heartbeat_at=old)
    time.sleep(0.3)
    assert heartbeat_of(journal, second) == old
    journal.mark_experiment(second, "running")  # taken up again: beating again
    set_row(journal, second, heartbeat_at=old)
    assert _wait_for(lambda: heartbeat_of(journal, second) > old)

    thread = journal._heartbeat._thread
    assert thread is not None
    assert thread.is_alive()
    journal.close()
    assert not thread.is_alive()  # closing the journal ends the thread


def test_no_heartbeat_for_an_experiment_another_process_took_over(journal, monkeypatch):
    monkeypatch.setattr(_owner, "HEARTBEAT_SECONDS", 0.05)
    experiment_id = journal.start_experiment(EXPERIMENT)
    old = datetime.now(UTC) - timedelta(hours=1)
    # Resumed with --force on another machine: this process must not speak for it.
    set_row(journal, experiment_id, owner={"host": "lab-7.example", "pid": 1}, heartbeat_at=old)
    time.sleep(0.3)
    assert heartbeat_of(journal, experiment_id) == old


def test_a_failing_beat_never_stops_the_heartbeat(monkeypatch):
    monkeypatch.setattr(_owner, "HEARTBEAT_SECONDS", 0.01)
    calls: list[frozenset[int]] = []

    def beat(ids):
        calls.append(ids)
        if len(calls) == 1:
            raise JournalError("the database is locked")

    heartbeat = _owner.Heartbeat(beat)
    heartbeat.add(3)
    assert _wait_for(lambda: len(calls) >= 3)
    heartbeat.stop()
    assert set(calls) == {frozenset({3})}  # it went on beating after the failure


def test_an_in_memory_journal_starts_no_thread():
    before = {t.ident for t in threading.enumerate()}
    with Journal("sqlite://") as journal:
        experiment_id = journal.start_experiment(EXPERIMENT)
        assert journal.get_experiment(experiment_id).status == "running"
        assert {t.ident for t in threading.enumerate()} == before


def test_finishing_again_keeps_the_old_plots_when_the_commit_fails(journal, monkeypatch):
    experiment_id = journal.start_experiment(EXPERIMENT)
    first = journal.finish_experiment(experiment_id, {"best": 1}, {"curve.png": b"first"})

    def fail_commit(session):
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    with monkeypatch.context() as patch:
        patch.setattr(Session, "commit", fail_commit)
        with pytest.raises(JournalError, match="Could not finish the experiment in"):
            journal.finish_experiment(experiment_id, {"best": 5}, {"curve.svg": b"<svg/>"})
    entry = journal.get_experiment(experiment_id)
    assert entry.summary == {"best": 1}
    assert entry.plot_paths == first
    assert first[0].read_bytes() == b"first"
    assert sorted(p.name for p in first[0].parent.parent.iterdir()) == [entry.uid]


def _wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False
