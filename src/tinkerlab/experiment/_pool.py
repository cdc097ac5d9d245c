"""A warm pool of worker processes for a comparison: started once, reused for every model,
and any one of them can be stopped mid-fit.

A Python thread cannot be stopped while scikit-learn fits in C, so a fit that must be
stoppable runs in a process of its own. Starting a process per model costs an import of
scikit-learn each time; so :class:`WorkerPool` starts a few workers once (one per core;
``spawn``, so nothing is inherited from this process's thread pools) and hands them one
fit after another. Each worker keeps the preprocessed folds it was sent, so a fold's
arrays cross the pipe once per worker, not once per model. When a fit overruns its time,
:meth:`WorkerPool.replace` kills that worker (the fit stops at once) and starts a fresh
one in its place.

Messages (tuples, pickled over one duplex pipe per worker):

* parent → worker: ``("data", key, fold, FoldArrays)``, ``("fit", model, key, fold,
  metric)``, ``("stop",)``;
* worker → parent: ``("ready",)`` once, then per fit ``("done", FoldScore)`` or
  ``("error", message)``.

No worker outlives the pool: :meth:`WorkerPool.close` ends them all (the ``with`` block
calls it, also on Ctrl-C), and a worker whose parent died without closing it (killed
outright) notices within a second and exits (:func:`_exit_with_parent`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from tinkerlab.experiment._compare_fit import (
    FoldArrays,
    MetricSpec,
    error_text,
    fit_and_score,
)
from tinkerlab.options import Where, speaking, where

#: Modules each worker imports as it starts, while the parent prepares the folds.
PRELOAD = (
    "numpy",
    "pandas",
    "scipy.sparse",
    "sklearn.dummy",
    "sklearn.ensemble",
    "sklearn.linear_model",
    "sklearn.metrics",
    "sklearn.naive_bayes",
    "sklearn.neighbors",
    "sklearn.svm",
    "sklearn.tree",
    "threadpoolctl",
)
#: Seconds close() waits for a worker to stop by itself before it is killed.
STOP_GRACE_S = 2.0


@dataclass
class Worker:
    """One worker process and what the parent knows of it."""

    process: Any  # multiprocessing.Process
    conn: Any  # the parent's end of the duplex pipe
    ready: bool = False  # it has imported scikit-learn and waits for work
    holds: set[tuple[str, int]] = field(default_factory=set)  # (key, fold) arrays it has
    task: Any = None  # what it is fitting now (None: idle)
    started: float = 0.0  # time.monotonic() when that fit was sent


class WorkerPool:
    """*size* worker processes, each limited to *threads* BLAS/OpenMP threads."""

    def __init__(self, size: int, threads: int) -> None:
        import multiprocessing as mp

        self.context = mp.get_context("spawn")
        self.threads = threads
        self.workers = [self._start() for _ in range(size)]

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def idle(self) -> list[Worker]:
        """Workers ready for a fit (a worker still starting is neither idle nor busy)."""
        return [w for w in self.workers if w.ready and w.task is None]

    def busy(self) -> list[Worker]:
        return [w for w in self.workers if w.task is not None]

    def send_fit(
        self, worker: Worker, task: Any, model: Any, key: str, fold: int,
        arrays: FoldArrays, metric: MetricSpec,
    ) -> None:  # fmt: skip
        """Start fitting *model* on (key, fold) in *worker*, sending the arrays if needed."""
        if (key, fold) not in worker.holds:
            worker.conn.send(("data", key, fold, arrays))
            worker.holds.add((key, fold))
        worker.conn.send(("fit", model, key, fold, metric))
        worker.task, worker.started = task, time.monotonic()

    def wait(self, timeout: float) -> list[tuple[Worker, Any, float, tuple[Any, ...]]]:
        """``(worker, task, seconds it ran, answer)`` for each busy worker that finished
        within *timeout* seconds; a worker that died answers ``("died", exit code)``.
        Workers that finished starting meanwhile become idle."""
        from multiprocessing.connection import wait

        watched = [w for w in self.workers if w.task is not None or not w.ready]
        if not watched:
            return []
        ready = set(
            wait([w.conn for w in watched] + [w.process.sentinel for w in watched], timeout)
        )
        answers = []
        for w in watched:
            if w.conn not in ready and w.process.sentinel not in ready:
                continue
            task, seconds = w.task, time.monotonic() - w.started
            answer = self._answer(w)
            if answer[0] == "ready":
                w.ready = True
            elif task is not None:
                answers.append((w, task, seconds, answer))
            else:  # died while starting: start another
                self.replace(w)
        return answers

    def replace(self, worker: Worker) -> None:
        """Kill *worker* (stopping its fit at once) and start a fresh one in its place."""
        self._kill(worker)
        self.workers[self.workers.index(worker)] = self._start()

    def close(self) -> None:
        """End every worker: idle ones are asked to stop, busy ones are killed."""
        for w in self.workers:
            if w.task is None and w.process.is_alive():
                with suppress(OSError):
                    w.conn.send(("stop",))
            else:
                w.process.kill()
        deadline = time.monotonic() + STOP_GRACE_S
        for w in self.workers:
            w.process.join(max(0.0, deadline - time.monotonic()))
            self._kill(w)
        self.workers = []

    def _answer(self, worker: Worker) -> tuple[Any, ...]:
        try:
            if worker.conn.poll():
                answer: tuple[Any, ...] = worker.conn.recv()
                if answer[0] != "ready":
                    worker.task = None
                return answer
        except (EOFError, OSError):
            pass
        worker.process.join(1.0)
        return ("died", worker.process.exitcode)

    def _start(self) -> Worker:
        parent, child = self.context.Pipe(duplex=True)
        process = self.context.Process(
            target=work,
            args=(child, self.threads, where()),  # fixes worded where the learner is
            name="tinkerlab-compare",
            daemon=True,
        )
        with main_module_untouched():
            process.start()
        child.close()
        return Worker(process, parent)

    @staticmethod
    def _kill(worker: Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()
        worker.task = None


def work(conn: Any, threads: int, surface: Where) -> None:
    """A worker: cache the arrays it is sent, fit and score what it is asked, until told
    to stop or its parent is gone; its errors word their fixes for *surface*."""
    import importlib
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops us (quietly)
    _exit_with_parent(conn)
    from threadpoolctl import threadpool_limits

    for name in PRELOAD:
        importlib.import_module(name)
    conn.send(("ready",))
    arrays: dict[tuple[str, int], FoldArrays] = {}
    with threadpool_limits(limits=threads), speaking(surface.kind, surface.command):
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return
            if message[0] == "stop":
                conn.close()
                return
            if message[0] == "data":
                _, key, fold, data = message
                arrays[key, fold] = data
                continue
            _, model, key, fold, metric = message
            try:
                conn.send(("done", fit_and_score(model, arrays[key, fold], metric)))
            except Exception as error:  # a model that cannot fit this data: say so, go on
                conn.send(("error", error_text(error)))


def _exit_with_parent(conn: Any) -> None:
    """End this worker as soon as the comparison's process is gone, even when it was killed
    outright and could not stop us itself (the pipe's other end then hangs up)."""
    import select
    import threading

    poller = select.poll()
    poller.register(conn.fileno(), select.POLLERR | select.POLLHUP)

    def watch() -> None:
        while True:
            events = poller.poll(1000)  # [] after a second of nothing
            if any(flags & select.POLLNVAL for _, flags in events):
                return  # we closed the pipe ourselves: the work is done
            if events:
                os._exit(1)

    threading.Thread(target=watch, name="tinkerlab-watch-parent", daemon=True).start()


@contextmanager
def main_module_untouched() -> Iterator[None]:
    """Start a worker without importing the caller's ``__main__`` in it.

    A spawned process normally imports the parent's main script first, so a script that
    calls :func:`~tinkerlab.experiment.compare` without an ``if __name__ == "__main__":``
    guard would call it again in every worker. Our worker needs nothing from ``__main__``
    (its function and data come from tinkerlab, scikit-learn and NumPy), so we leave the
    main module out of what the new process prepares, as joblib's loky does.
    """
    from multiprocessing import spawn

    prepare = spawn.get_preparation_data

    def without_main(name: str) -> dict[str, Any]:
        data: dict[str, Any] = prepare(name)
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
        return data

    spawn.get_preparation_data = without_main
    try:
        yield
    finally:
        spawn.get_preparation_data = prepare
