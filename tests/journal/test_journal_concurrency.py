"""Several writers and readers at once: other processes see commits, writers queue."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from tinkerlab.journal import Journal

# Runs in a second Python process: reads what the first one committed, and adds a note.
OTHER_PROCESS = """
import sys
from tinkerlab.journal import Journal

with Journal(sys.argv[1]) as journal:
    run = journal.get_run(int(sys.argv[2]))
    journal.add_note(run.id, "seen from another process")
    print(run.dataset, journal.count_runs())
"""


def test_another_process_sees_committed_runs_and_we_see_its_notes(journal_url, make_run):
    with Journal(journal_url) as journal:
        run_id = journal.record_run(make_run(dataset_name="iris", plots={})).id
        # The journal stays open while the other process reads and writes (WAL on SQLite).
        out = subprocess.run(
            [sys.executable, "-c", OTHER_PROCESS, journal_url, str(run_id)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
            timeout=60,
        )
        assert out.returncode == 0, out.stderr
        assert out.stdout.split() == ["iris", "1"]
        assert [n.text for n in journal.notes(run_id)] == ["seen from another process"]


def test_two_threads_writing_at_once_both_succeed(journal_url, make_run):
    runs_per_thread = 8
    journals = [Journal(journal_url), Journal(journal_url)]  # two engines, two connection pools
    start = threading.Barrier(3)
    errors: list[BaseException] = []
    ids: list[int] = []

    def write(journal, name):
        start.wait()
        try:
            for i in range(runs_per_thread):
                run = journal.record_run(make_run(dataset_name=name))
                journal.add_note(run.id, f"{name} {i}")
                ids.append(run.id)
        except BaseException as exc:  # collected, so the assertion shows it
            errors.append(exc)

    def read(journal):
        start.wait()
        for _ in range(runs_per_thread):
            journal.list_runs(limit=5)

    threads = [
        threading.Thread(target=write, args=(journals[0], "a")),
        threading.Thread(target=write, args=(journals[1], "b")),
        threading.Thread(target=read, args=(journals[0],)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(set(ids)) == 2 * runs_per_thread
    with Journal(journal_url) as journal:
        assert journal.count_runs() == 2 * runs_per_thread
        assert len(journal.list_runs(dataset="a", limit=None)) == runs_per_thread
        assert all(len(journal.notes(run_id)) == 1 for run_id in ids)
        assert all(len(run.plot_paths) == 2 for run in journal.list_runs(limit=None))
    for journal in journals:
        journal.close()
