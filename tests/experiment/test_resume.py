"""Durable sweeps: a killed sweep keeps every finished point, and --resume fits only the rest.

The sweep runs in a real subprocess (``python -m tinkerlab tinker``), which is killed with
SIGKILL once the journal holds its first points: no handler runs, nothing is tidied up.
Then the experiment is resumed and compared with one that ran without interruption.
On SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tinkerlab import _api
from tinkerlab.journal import Journal

VALUES = "10,15,20,25,30,35"
# --no-fast: fitted value by value, so the points land one at a time. (On the fast path one
# fit per fold serves every value, so the points land together when the last fold ends; the
# resume below takes the fast path for what is missing.)
SWEEP = [
    "iris",
    "--model",
    "random_forest",
    "--knob",
    "n_estimators",
    "--values",
    VALUES,
    "--repeats",
    "1",
    "--jobs",
    "1",
    "--no-predict",
    "--no-fast",
]


def start_sweep(db: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tinkerlab", "tinker", *SWEEP, "--db", db, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A pytest-xdist worker ignores SIGINT, and a child inherits that: give the sweep
        # the default disposition, as a terminal would, so Python turns Ctrl-C into
        # KeyboardInterrupt.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_for_points(db: str, process: subprocess.Popen[str], at_least: int) -> int:
    """Poll the journal until the sweep has committed *at_least* points; the experiment id."""
    deadline = time.monotonic() + 120
    with Journal(db) as journal:
        while time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()
            found = journal.list_experiments(limit=1)
            if found and found[0].n_points >= at_least:
                return found[0].id
            time.sleep(0.05)
    raise AssertionError("the sweep recorded no point in time")


@pytest.mark.slow
def test_a_killed_sweep_resumes_with_only_the_missing_points(journal_url):
    process = start_sweep(journal_url)
    try:
        experiment_id = wait_for_points(journal_url, process, 2)
    finally:
        process.send_signal(signal.SIGKILL)  # no handler, no cleanup: like a power cut
        process.wait()
    assert process.returncode == -signal.SIGKILL
    with Journal(journal_url) as journal:
        killed = journal.get_experiment(experiment_id)
    done = killed.n_points
    assert 2 <= done < 6, "the sweep should have been killed mid-way"
    assert killed.status == "interrupted"  # its process is gone
    kept = {p.position: p.test for p in killed.points}

    progress: list[int] = []
    resumed = _api.tinker(
        resume=experiment_id, db=journal_url, n_jobs=1, progress=lambda d, t, w: progress.append(d)
    )
    assert progress[0] == done * 5  # the finished points were not fitted again
    assert progress[-1] == 6 * 5
    with Journal(journal_url) as journal:
        finished = journal.get_experiment(experiment_id)
    assert finished.status == "finished"
    assert finished.n_points == 6
    assert {p.position: p.test for p in finished.points if p.position in kept} == kept
    assert [p.name for p in finished.plot_paths] == ["curve.png", "curve.svg"]
    assert [p.value for p in resumed.points] == [int(v) for v in VALUES.split(",")]
    # (that a resumed sweep equals one never interrupted, to the last digit, is
    # tests/experiment/test_experiment.py::test_interrupted_then_resumed_fits_only_what_is_missing)


@pytest.mark.slow
def test_ctrl_c_marks_the_experiment_interrupted_and_says_how_to_resume(tmp_path):
    db = f"sqlite:///{tmp_path / 'journal.sqlite'}"
    process = start_sweep(db)
    try:
        experiment_id = wait_for_points(db, process, 1)
        process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    assert f"tinkerlab tinker --resume {experiment_id}" in " ".join(err.split())
    with Journal(db) as journal:
        entry = journal.get_experiment(experiment_id)
    assert entry.status == "interrupted"
    assert entry.owner["pid"] == process.pid
    assert 1 <= entry.n_points < 6


def test_sigterm_stops_a_sweep_like_ctrl_c():
    from tinkerlab.cli._tinker import _guarded

    def work():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler interrupts this
        raise AssertionError("SIGTERM was not turned into an interrupt")

    previous = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt):
        _guarded(work)
    assert signal.getsignal(signal.SIGTERM) is previous  # the handler is put back
