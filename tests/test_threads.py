"""Thread caps: BLAS/OpenMP pools are lowered, never raised, and a run fits under the cap."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sklearn  # noqa: F401 - loads the pools now: threadpoolctl only sees loaded libraries
from threadpoolctl import threadpool_info, threadpool_limits

import tinkerlab as tl
from tinkerlab import _threads
from tinkerlab._threads import cores, idle_cores, limited_threads, threads_per_worker


def _sizes() -> dict[str, int]:
    """The smallest pool of each kind ("blas", "openmp") loaded in this process."""
    sizes: dict[str, int] = {}
    for pool in threadpool_info():
        sizes[pool["user_api"]] = min(sizes.get(pool["user_api"], 99), pool["num_threads"])
    return sizes


def test_limits_lower_the_pools_and_never_raise_them() -> None:
    with threadpool_limits(limits=2):
        before = _sizes()  # 2, or 1 for a BLAS started with OPENBLAS_NUM_THREADS=1
        with limited_threads(1):
            assert set(_sizes().values()) == {1}
        assert _sizes() == before  # restored after the block
        with limited_threads(64):
            assert _sizes() == before  # never raised


def test_workers_share_the_cores() -> None:
    assert threads_per_worker(1) == cores()
    assert threads_per_worker(cores()) == 1
    assert threads_per_worker(10 * cores()) == 1
    assert 1 <= idle_cores() <= cores()


def test_a_busy_machine_leaves_one_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_threads.os, "getloadavg", lambda: (1000.0, 0.0, 0.0))
    assert idle_cores() == 1


def test_a_run_fits_with_the_idle_cores_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The run's fits see the cap even when the pools were larger before it started."""
    from sklearn.neighbors import KNeighborsClassifier

    from tinkerlab.runner import _execute

    seen: list[dict[str, int]] = []
    fit = KNeighborsClassifier.fit

    def watched(self: KNeighborsClassifier, X: object, y: object) -> KNeighborsClassifier:
        seen.append(_sizes())
        return fit(self, X, y)

    monkeypatch.setattr(KNeighborsClassifier, "fit", watched)
    monkeypatch.setattr(_execute, "idle_cores", lambda: 1)
    with threadpool_limits(limits=2):
        tl.run("iris", model="knn", cv=2, record=False)
    assert seen
    assert all(set(sizes.values()) == {1} for sizes in seen)


def test_a_worker_process_caps_itself_for_its_lifetime() -> None:
    code = (
        "from tinkerlab._threads import cap_this_process\n"
        "from threadpoolctl import threadpool_info\n"
        "import os\n"
        "cap_this_process(1)\n"
        "print(os.environ['OMP_NUM_THREADS'], {p['num_threads'] for p in threadpool_info()})\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if not k.endswith("_NUM_THREADS")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.split() == ["1", "{1}"]
