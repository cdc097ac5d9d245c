"""How many BLAS/OpenMP threads a fit may use, and the one way we cap them.

scikit-learn's gradient boosting (OpenMP) and NumPy's linear algebra (BLAS) each start a
pool of threads as large as the machine. Two things go wrong with that:

* **parallel workers** (sweep processes, comparison processes, service workers) each
  start such a pool, so ``workers × cores`` threads fight over ``cores`` cores;
* **a busy machine**: OpenMP waits at the end of every parallel region for its slowest
  thread, and a thread the operating system has parked behind other programs keeps the
  others waiting for a whole time slice. On a 2-core machine at load 8, a
  HistGradientBoostingClassifier fit on 5,000 rows took 19-31 s with two threads and
  1 s with one.

So every process-parallel path gives each worker ``threads_per_worker(workers)``
threads, and a run in this process uses :func:`idle_cores`. A cap only ever lowers the
pools: a limit the user set (``OMP_NUM_THREADS=1``) stays. The number of threads changes
the speed; for models built on BLAS it can change the order of additions, so results
may differ in their last bits, as they do between machines.

Nothing here imports tinkerlab; every layer may use it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def cores() -> int:
    """The cores this process may use: CPU affinity and container CPU quotas respected."""
    from joblib import cpu_count

    return max(1, int(cpu_count()))


def threads_per_worker(workers: int) -> int:
    """Threads each of *workers* parallel processes may use so that together they fill,
    but do not exceed, the cores (at least one)."""
    return max(1, cores() // max(1, workers))


def idle_cores() -> int:
    """The cores not kept busy by other programs right now (at least one).

    The machine's cores minus its one-minute load average, no more than :func:`cores`.
    On a quiet machine that is every core; on a shared, busy one it is one, which is
    when OpenMP's waiting costs the most.
    """
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not available (Windows): assume a quiet machine
        return cores()
    machine = os.cpu_count() or 1
    return max(1, min(cores(), int(machine - load)))


@contextmanager
def limited_threads(limit: int) -> Iterator[None]:
    """Cap the BLAS and OpenMP thread pools at *limit* threads while the block runs.

    scikit-learn is imported first: threadpoolctl can only cap the libraries already
    loaded, and a worker process that has not imported scikit-learn yet would load its
    OpenMP runtime later, uncapped, in the middle of the block.

    Examples
    --------
    >>> from tinkerlab._threads import limited_threads
    >>> with limited_threads(1):
    ...     pass  # fits here use one BLAS and one OpenMP thread
    """
    import sklearn  # noqa: F401 - loads the OpenMP runtime of scikit-learn's compiled code
    from threadpoolctl import ThreadpoolController

    controller = ThreadpoolController()
    with controller.limit(limits=_lowered(controller, limit)):
        yield


def _lowered(controller: Any, limit: int) -> dict[str, int]:
    """Per kind of pool ("blas", "openmp"): *limit*, or its current size if smaller."""
    limits: dict[str, int] = {}
    for pool in controller.info():
        api, size = pool["user_api"], int(pool["num_threads"])
        limits[api] = min(limits.get(api, size), size, max(1, int(limit)))
    return limits


def cap_this_process(limit: int) -> None:
    """Cap the BLAS and OpenMP pools of this whole process (a worker that lives for its
    lifetime, such as a service worker), and of libraries it loads later."""
    import sklearn  # noqa: F401 - see limited_threads
    from threadpoolctl import ThreadpoolController

    limit = max(1, int(limit))
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, str(limit))  # for libraries loaded later
    controller = ThreadpoolController()
    controller.limit(limits=_lowered(controller, limit))  # kept: never restored
