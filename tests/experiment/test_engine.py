"""Where sweeps run: local processes or a Dask cluster, with the same numbers; and a
cluster that does not answer is bad input, said within seconds."""

from __future__ import annotations

import socket
import time

import pytest

from tinkerlab.exceptions import UsageError
from tinkerlab.experiment import DaskEngine, LocalEngine, make_engine, tinker
from tinkerlab.experiment._engine import CONNECT_TIMEOUT_S, DASK_VARIABLE


def closed_port() -> str:
    """An address on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"


def test_an_unreachable_cluster_is_bad_input_within_seconds():
    address = closed_port()
    tick = time.perf_counter()
    with pytest.raises(UsageError) as caught:
        DaskEngine(address)
    assert time.perf_counter() - tick < CONNECT_TIMEOUT_S + 3
    message = str(caught.value)
    assert f"Cannot reach the Dask cluster at '{address}'" in message
    assert "unset TINKERLAB_DASK" in message


def test_the_environment_variable_selects_the_cluster(monkeypatch):
    from tinkerlab.experiment import _engine

    monkeypatch.setattr(_engine, "DaskEngine", lambda address: f"dask at {address}")
    monkeypatch.setenv(DASK_VARIABLE, "tcp://scheduler.example:8786")
    assert make_engine() == "dask at tcp://scheduler.example:8786"
    assert make_engine("tcp://other:1") == "dask at tcp://other:1"  # --cluster wins
    monkeypatch.delenv(DASK_VARIABLE)
    assert isinstance(make_engine(n_jobs=1), LocalEngine)


def test_local_engine_decides_by_the_first_fit():
    engine = LocalEngine()
    results = list(engine.map_unordered(lambda shared, job: shared + job, 10, [1, 2, 3]))
    assert sorted(results) == [11, 12, 13]
    assert engine.name == "local (this process)"  # three instant jobs: not worth processes


@pytest.mark.slow
def test_a_dask_cluster_gives_exactly_the_local_results():
    from distributed import LocalCluster

    sweep = {"model": "knn", "repeats": 1, "predict": "down"}
    local = tinker("iris", "n_neighbors", [1, 5, 61], n_jobs=1, **sweep)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = tinker(
            "iris", "n_neighbors", [1, 5, 61], cluster=cluster.scheduler_address, **sweep
        )
        noisy = {"model": "knn", "repeats": 1}
        remote_noise = tinker(
            "iris", "label_noise", [0.0, 0.3], cluster=cluster.scheduler_address, **noisy
        )
    assert remote.engine.startswith(f"dask {cluster.scheduler_address} (2 workers)")
    # Exact: the workers run the same code on the same machine with the same thread cap
    # (one), and kNN's scores come from neighbour votes, not from sums a BLAS may reorder.
    assert [p.test for p in remote.points] == [p.test for p in local.points]
    assert [p.train for p in remote.points] == [p.train for p in local.points]
    assert remote.frame.drop(columns="fit_time").equals(local.frame.drop(columns="fit_time"))
    assert remote.summary.shape == local.summary.shape
    # seeded data changes are the same on the cluster too
    local_noise = tinker("iris", "label_noise", [0.0, 0.3], n_jobs=1, **noisy)
    assert [p.test for p in remote_noise.points] == [p.test for p in local_noise.points]


def _surface_and_process(shared: object, job: int) -> tuple[str, str | None, int]:
    import os

    from tinkerlab.options import where

    return where().kind, where().command, os.getpid()


def test_worker_processes_word_their_fixes_for_the_learners_surface():
    """A fit that fails in a worker says its fix the way the learner types it: the
    surface travels with the job (a fresh process would speak Python)."""
    import os

    from tinkerlab.options import speaking

    with speaking("cli", "tinker"):
        answers = list(LocalEngine(n_jobs=2).map_unordered(_surface_and_process, None, range(4)))
    assert {(kind, command) for kind, command, _ in answers} == {("cli", "tinker")}
    assert any(pid != os.getpid() for _, _, pid in answers)  # it did cross a process
