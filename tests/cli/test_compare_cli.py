"""``tinkerlab compare`` from the command line: leaderboard, JSON, journal, bad input."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tinkerlab.journal import Journal

SMALL = ["wine", "--models", "dummy,naive_bayes,ridge", "--cv", "3", "--budget", "60"]


def test_the_leaderboard_is_printed_and_recorded(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'j.sqlite'}"
    result = cli("compare", *SMALL, "--db", url)
    assert result.code == 0, result.err
    out = " ".join(result.out.split())
    assert "Comparison #1 · wine · 3 models · accuracy (higher is better) · 1×3 paired folds" in out
    assert "★" in out
    assert "Best:" in out
    assert "corrected resampled t-test (Nadeau & Bengio 2003)" in out
    assert "held-out test rows" in out
    with Journal(url) as journal:
        stored = journal.get_experiment(1)
    assert stored.knob == "model"
    assert stored.status == "finished"
    assert sorted(p.value for p in stored.points) == ["dummy", "naive_bayes", "ridge"]


def test_json_for_scripts(cli, tmp_path):
    result = cli("compare", *SMALL, "--json", "--no-record")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["id"] is None
    assert data["metric"] == "accuracy"
    assert data["best"] == data["leaderboard"][0]["model"]
    assert {row["model"] for row in data["leaderboard"]} == {"dummy", "naive_bayes", "ridge"}
    # The race runs the best two of three on every fold; the third left after fold 1.
    assert [row["status"] for row in data["leaderboard"]] == ["done", "done", "dropped"]
    assert data["leaderboard"][-1]["model"] == "dummy"
    assert data["leaderboard"][-1]["tied_with_best"] is False
    assert set(data["test_scores"]) >= {"accuracy", "f1"}


def test_the_leaderboard_reads_on_an_80_column_terminal(cli, tmp_path):
    """Each row stays one line: the whole model name, its score, a short status.

    The race's reason for dropping a model is one sentence for all of them (the verdict
    says it once); printed in every row it folded the table to unreadable slivers.
    """
    from tinkerlab.cli import _output

    _output.console.width = 80
    result = cli(
        "compare",
        "wine",
        "--models",
        "dummy,naive_bayes,ridge,logistic_regression",
        "--cv",
        "3",
        "--budget",
        "60",
        "--no-record",
    )
    assert result.code == 0, result.err
    rows = [line for line in result.out.splitlines() if line.startswith("│")]
    assert len(rows) == 4  # one line per model
    assert all(len(line) <= 80 for line in result.out.splitlines())
    dropped = [line for line in rows if "dropped" in line]
    assert dropped, result.out  # the race drops someone among four models on three folds
    for line in dropped:
        assert "dropped, 1 fold" in line
        assert re.search(r"\b0\.\d{4}\b", line)  # its mean over the fold it ran
    assert "logistic_regression" in result.out
    assert "scored better on the same folds" not in result.out  # said once, by the verdict
    assert "left the race early" in " ".join(result.out.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--budget", "0"], "--budget option of tinkerlab compare must be a float"),
        (["--budget", "-5"], "Got -5 instead. Fix: --budget 60"),
        (["--models", "knn,forest"], "'forest' is not a model tinkerlab knows"),
        (["--models", "knn"], "at least two models"),
        (["--metric", "rmse"], "Unknown metric 'rmse'"),
        (["--timeout", "-1"], "--timeout option of tinkerlab compare must be a float"),
    ],
)
def test_bad_input_exits_2_and_records_nothing(cli, tmp_path, args, message):
    url = f"sqlite:///{tmp_path / 'j.sqlite'}"
    result = cli("compare", "iris", "--db", url, *args)
    assert result.code == 2, result.err
    assert message in result.message
    assert "Traceback" not in result.err
    with Journal(url) as journal:
        assert journal.list_experiments() == []


def test_help_has_an_example(cli):
    result = cli("compare", "--help")
    assert result.code == 0
    assert "tinkerlab compare titanic --budget 60" in result.out


def _descendants(pid: int) -> set[int]:
    """Every process below *pid* (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_stopping_the_command_leaves_no_worker_behind(tmp_path, how):
    """A comparison stopped mid-way (SVR on diamonds runs for minutes) takes its workers
    with it; on SIGTERM the journal entry is marked interrupted."""
    url = f"sqlite:///{tmp_path / 'j.sqlite'}"
    env = {**os.environ, "TINKERLAB_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-m", "tinkerlab", "compare", "diamonds", "--models",
               "dummy,svm", "--cv", "3", "--no-race", "--budget", "300", "--db", url,
               "--json"]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    running = False
    while not running and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.5)
        if (tmp_path / "j.sqlite").exists():
            with Journal(url) as journal:  # recorded as running, and its worker pool is up
                started = any(e.status == "running" for e in journal.list_experiments())
            running = started and len(_descendants(process.pid)) >= 2
    assert running, process.stderr.read() if process.poll() is not None else "too slow"
    time.sleep(3)  # the workers are fitting (SVR on 43,000 rows runs for minutes)
    workers = _descendants(process.pid)  # the pool's workers (and a resource tracker)
    assert workers
    process.send_signal(how)
    process.wait(timeout=30)
    gone_by = time.monotonic() + 10
    while _alive(workers) and time.monotonic() < gone_by:
        time.sleep(0.2)
    assert not _alive(workers)
    if how == signal.SIGTERM:
        assert process.returncode == 130
        with Journal(url) as journal:
            assert [e.status for e in journal.list_experiments()] == ["interrupted"]
