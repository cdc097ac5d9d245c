"""`tinkerlab tinker` and `tinkerlab compare` killed with SIGKILL read "interrupted" at once.

Each command runs in a real subprocess, killed with SIGKILL once the journal holds its
first points: no handler runs, nothing is marked. The killed process is left unreaped (a
zombie, as a parent that has not yet waited leaves it) while the journal is read back
through the command line: ``tinkerlab journal experiments``, and ``tinkerlab tinker
--resume``, which finishes a sweep and refuses a comparison with the fix.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tinkerlab.journal import Journal

SWEEP = ["tinker", "iris", "--model", "random_forest", "--knob", "n_estimators",
         "--values", "10,15,20,25,30,35", "--repeats", "1", "--jobs", "1", "--no-predict",
         "--no-fast"]  # fmt: skip
# SVR on 43,000 diamonds takes minutes: the comparison is killed while it runs. (Its
# points land as models leave the race, which may be only when svm ends: it is killed
# as soon as its experiment is recorded.)
COMPARE = ["compare", "diamonds", "--models", "dummy,svm", "--cv", "3", "--budget", "300"]


def tinkerlab(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tinkerlab", *args], capture_output=True, text=True, env=env
    )


def killed_mid_way(
    command: list[str], url: str, env: dict[str, str], points: int
) -> tuple[subprocess.Popen[bytes], int]:
    """Start *command*, SIGKILL it once *points* are committed; the process (not reaped)
    and the experiment's id."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tinkerlab", *command, "--db", url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 180
    found: list[int] = []
    try:
        while not found and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()[1]
            time.sleep(0.1)
            with Journal(url) as journal:
                found = [e.id for e in journal.list_experiments() if e.n_points >= points]
        assert found, "no point was recorded in time"
    finally:
        process.send_signal(signal.SIGKILL)
    _wait_until_dead(process.pid)
    return process, found[0]


def _wait_until_dead(pid: int) -> None:
    """Until the killed process is a zombie (Linux) or gone; it is not reaped here."""
    deadline = time.monotonic() + 10
    stat = Path(f"/proc/{pid}/stat")
    while time.monotonic() < deadline:
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return
        except OSError:
            return
        time.sleep(0.01)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    # A wide terminal, so the table shows whole words; TINKERLAB_HOME for the plots.
    return {**os.environ, "TINKERLAB_HOME": str(tmp_path / "home"), "COLUMNS": "200"}


@pytest.mark.slow
def test_a_killed_sweep_reads_interrupted_and_resumes_from_the_command_line(journal_url, env):
    process, experiment_id = killed_mid_way(SWEEP, journal_url, env, points=2)
    try:
        listed = tinkerlab("journal", "experiments", "--db", journal_url, "--json", env=env)
        assert listed.returncode == 0, listed.stderr
        [entry] = json.loads(listed.stdout)
        assert (entry["id"], entry["status"]) == (experiment_id, "interrupted")
        assert 2 <= entry["points"] < 6

        table = tinkerlab("journal", "experiments", "--db", journal_url, env=env)
        assert "interrupted" in table.stdout
        assert "running" not in table.stdout
        assert f"tinkerlab tinker --resume {experiment_id}" in table.stdout

        resumed = tinkerlab("tinker", "--resume", str(experiment_id), "--db", journal_url,
                            "--json", env=env)  # fmt: skip
        assert resumed.returncode == 0, resumed.stderr
    finally:
        process.wait()  # reaped only now
    with Journal(journal_url) as journal:
        finished = journal.get_experiment(experiment_id)
    assert finished.status == "finished"
    assert finished.n_points == 6
    assert finished.owner["pid"] != process.pid  # the resuming process took it over


@pytest.mark.slow
def test_a_killed_comparison_reads_interrupted_and_says_to_run_it_again(tmp_path, env):
    url = f"sqlite:///{tmp_path / 'journal.sqlite'}"
    process, experiment_id = killed_mid_way(COMPARE, url, env, points=0)
    try:
        listed = tinkerlab("journal", "experiments", "--db", url, "--json", env=env)
        [entry] = json.loads(listed.stdout)
        assert (entry["id"], entry["status"]) == (experiment_id, "interrupted")

        table = tinkerlab("journal", "experiments", "--db", url, env=env)
        assert "interrupted" in table.stdout
        assert "--resume" not in table.stdout  # a comparison cannot resume
        assert "tinkerlab compare diamonds" in " ".join(table.stdout.split())

        resumed = tinkerlab("tinker", "--resume", str(experiment_id), "--db", url, env=env)
        assert resumed.returncode == 2
        assert "cannot be resumed" in " ".join(resumed.stderr.split())
        assert "Traceback" not in resumed.stderr
    finally:
        process.wait()
