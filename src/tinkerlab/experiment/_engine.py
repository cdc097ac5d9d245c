"""Where the fits of a sweep run: local worker processes (joblib), or a Dask cluster.

Both engines run the same function (:func:`~tinkerlab.experiment._evaluate.evaluate_fold`)
on the same plain data, and each fit caps its BLAS/OpenMP threads with threadpoolctl
(one thread by default: the workers are the parallelism, and two fits racing for the same
two cores through OpenMP slow each other down many times over). Results come back in the
order they finish; the sweep files them by (point, fold), so the order never matters and
both engines give the same numbers.

``--cluster tcp://host:8786`` or the environment variable ``TINKERLAB_DASK`` selects the
cluster; an address that does not answer is a :class:`~tinkerlab.exceptions.UsageError`
within :data:`CONNECT_TIMEOUT_S` seconds.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tinkerlab.exceptions import UsageError
from tinkerlab.options import Where, speaking, spell, where

#: Environment variable naming a Dask scheduler, like ``--cluster``.
DASK_VARIABLE = "TINKERLAB_DASK"
#: How long to wait for a Dask scheduler to answer.
CONNECT_TIMEOUT_S = 3.0
#: Local sweeps that would take less than this in one process stay in it (see LocalEngine).
SEQUENTIAL_BELOW_S = 2.0


@dataclass(frozen=True)
class Spoken:
    """``fn(shared, job)`` run where the learner's surface is known: a worker process
    starts with Python's, so a fix raised in a fit there (``Fix: --set depth=2``) would
    otherwise be worded for Python whatever the learner typed (:mod:`tinkerlab.options`)."""

    fn: Callable[[Any, Any], Any]
    surface: Where

    def __call__(self, shared: Any, job: Any) -> Any:
        with speaking(self.surface.kind, self.surface.command):
            return self.fn(shared, job)


class Engine(Protocol):
    """Something that runs ``fn(shared, job)`` for every job and yields the results."""

    name: str  # "local (2 processes)", "dask tcp://..."

    def map_unordered(
        self, fn: Callable[[Any, Any], Any], shared: Any, jobs: Sequence[Any]
    ) -> Iterator[Any]:
        """Yield ``fn(shared, job)`` for every job, in the order they finish."""
        ...

    def close(self) -> None:
        """Let go of the workers (the cluster keeps running)."""
        ...


class LocalEngine:
    """joblib's worker processes on this machine (``n_jobs=1``: in this process).

    With ``n_jobs=None`` (the default) the first fit runs in this process and is timed:
    when all of them would take under :data:`SEQUENTIAL_BELOW_S` that way, they all do, since
    starting worker processes would cost more than it saves; otherwise every core is used.
    Where a fit runs never changes its result.
    """

    def __init__(self, n_jobs: int | None = None) -> None:
        cores = os.cpu_count() or 1
        self.auto = n_jobs is None
        if n_jobs is None or n_jobs == -1:
            n_jobs = cores
        if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs < 1:
            raise UsageError(
                f"The number of jobs must be a positive int (or -1 for every core). "
                f"Got {n_jobs!r} instead. Fix: {spell('n_jobs', cores)}"
            )
        self.n_jobs = n_jobs
        self.name = self._describe(n_jobs)

    @staticmethod
    def _describe(n_jobs: int) -> str:
        return "local (this process)" if n_jobs == 1 else f"local ({n_jobs} processes)"

    def map_unordered(
        self, fn: Callable[[Any, Any], Any], shared: Any, jobs: Sequence[Any]
    ) -> Iterator[Any]:
        jobs = list(jobs)
        n_jobs = self.n_jobs
        if self.auto and n_jobs > 1 and jobs:
            tick = time.perf_counter()
            yield fn(shared, jobs[0])
            jobs = jobs[1:]
            if (time.perf_counter() - tick) * len(jobs) < SEQUENTIAL_BELOW_S:
                n_jobs = 1
                self.name = self._describe(1)
        if n_jobs == 1 or len(jobs) <= 1:
            for job in jobs:
                yield fn(shared, job)
            return
        from joblib import Parallel, delayed

        parallel = Parallel(n_jobs=min(n_jobs, len(jobs)), return_as="generator_unordered")
        spoken = Spoken(fn, where())
        yield from parallel(delayed(spoken)(shared, job) for job in jobs)

    def close(self) -> None:
        pass  # joblib reuses (and eventually stops) its worker processes itself


class DaskEngine:
    """A Dask distributed cluster: the data is sent to every worker once, then the jobs."""

    def __init__(self, address: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
        try:
            import distributed
        except ImportError:  # pragma: no cover - a dependency of tinkerlab
            raise UsageError(
                "Running on a Dask cluster needs dask.distributed. "
                "Install it with: pip install 'dask[distributed]'"
            ) from None
        if not isinstance(address, str) or not address.strip():
            raise UsageError(
                f"A Dask cluster address looks like tcp://host:8786. Got {address!r} instead."
            )
        self.address = address.strip()
        try:
            client_class: Any = distributed.Client  # dask ships no complete annotations
            self._client: Any = client_class(self.address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            reason = " ".join(str(error).split())[:200] or type(error).__name__
            raise UsageError(
                f"Cannot reach the Dask cluster at {self.address!r} within {timeout:g} s "
                f"({reason}). Fix: check the scheduler's address and that it is running "
                f"(dask scheduler), or drop --cluster / unset {DASK_VARIABLE} to run locally."
            ) from None
        workers = len(self._client.scheduler_info().get("workers", {}))
        self.name = f"dask {self.address} ({workers} workers)"

    def map_unordered(
        self, fn: Callable[[Any, Any], Any], shared: Any, jobs: Sequence[Any]
    ) -> Iterator[Any]:
        import distributed

        as_completed: Any = distributed.as_completed
        client = self._client
        [data] = client.scatter([shared], broadcast=True, hash=False)
        futures = client.map(Spoken(fn, where()), [data] * len(jobs), list(jobs), pure=False)
        try:
            for _future, result in as_completed(futures, loop=client.loop, with_results=True):
                yield result
        finally:  # interrupted, or a fit raised: stop what is still queued
            client.cancel(futures)
            client.cancel([data])

    def close(self) -> None:
        self._client.close()


def make_engine(cluster: str | None = None, n_jobs: int | None = None) -> Engine:
    """The engine to use: a Dask cluster when *cluster* or ``TINKERLAB_DASK`` names one,
    else local processes (*n_jobs*, default every core)."""
    address = cluster or os.environ.get(DASK_VARIABLE) or None
    if address:
        return DaskEngine(address)
    return LocalEngine(n_jobs)
