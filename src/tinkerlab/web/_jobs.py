"""Long work in the background: runs, sweeps, comparisons, saves, analyses.

A request that starts long work hands a function to :class:`JobRegistry`, which runs it
on a small thread pool (``LabConfig.jobs`` at once) and keeps a :class:`Job`: its
progress, status and, once known, the journal experiment it records into. Pages follow
a job by server-sent events (:func:`job_events`); a sweep's or a comparison's points are
committed to the journal as they finish, so its page (and any other tab) follows the
journal itself, and a reload picks the live view up where it was.

The fits themselves run in worker processes (the experiment engine caps their BLAS and
OpenMP threads); the job thread's own numerics are capped with threadpoolctl too, so a
lab never oversubscribes the machine it shares with its learner.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import secrets
import threading
import time
import traceback
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tinkerlab.exceptions import NotFoundError, TinkerlabError

if TYPE_CHECKING:
    from tinkerlab.options import Settings

log = logging.getLogger("tinkerlab.lab")

#: How often an event stream looks for news (seconds).
POLL = 0.25
#: How long a stream stays open without news before it says it is still alive.
HEARTBEAT = 15.0


@dataclass
class Job:
    """One piece of long work and how far it got."""

    id: str  # 16 hex digits
    kind: str  # run, tinker, compare, save, feedback...
    title: str  # what it does, in words
    status: str = "queued"  # queued, running, done, failed
    done: int = 0  # steps or fits finished
    total: int = 0  # steps or fits in all (0: unknown yet)
    what: str = "waiting for a free worker"  # the step under way
    error: str | None = None  # what went wrong, for the learner (failed jobs)
    url: str | None = None  # where its result is (done jobs)
    experiment_id: int | None = None  # the journal experiment it records into, once started
    result: Any = None  # what a job not kept in the journal produced (the scratch ladder)
    epochs: list[dict[str, Any]] = field(default_factory=list)  # a net's curve, live
    fits: int = 0  # nets trained so far (each starts again at epoch 1)
    started: float = field(default_factory=time.time)
    finished: float | None = None
    version: int = 0  # bumped on every change, so a stream knows when to speak
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def update(self, **changes: Any) -> None:
        """Change some fields at once and tell the streams."""
        with self._lock:
            for name, value in changes.items():
                setattr(self, name, value)
            self.version += 1

    def progress(self, done: int, total: int, what: str) -> None:
        """The library's ``progress(done, total, what)`` callback."""
        self.update(done=done, total=total, what=what)

    def step(self, what: str) -> None:
        """The run's ``progress(step)`` callback: one more step of six (a net's epochs
        are steps too: the bar stops short of full until the job ends)."""
        total = max(self.total, 6)
        self.update(done=min(self.done + 1, total - 1), total=total, what=what)

    def heard(self, epoch: int, epochs: int, loss: float, row: dict[str, float]) -> None:
        """A net's epoch (:func:`tinkerlab.nets.listen`'s listener): the live curve's rows,
        one per split the net scored (train; validation when it holds rows out)."""
        with self._lock:
            if epoch == 1:
                self.fits += 1
            for split, key in (("train", "train_loss"), ("validation", "valid_loss")):
                if key in row:
                    self.epochs.append(
                        {"fit": self.fits, "epoch": epoch, "split": split, "loss": row[key]}
                    )
            self.version += 1

    @property
    def ended(self) -> bool:
        return self.status in ("done", "failed")

    def to_dict(self) -> dict[str, Any]:
        """What a page is told about the job."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "what": self.what,
            "error": self.error,
            "url": self.url,
            "experiment_id": self.experiment_id,
            "elapsed": round((self.finished or time.time()) - self.started, 1),
        }


#: The work a job does: given its Job (to report progress), it returns the result's URL.
Work = Callable[[Job], str]


class JobRegistry:
    """The lab's background jobs, by id (kept for the life of the lab process)."""

    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tinkerlab-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self.closed = False

    def submit(self, kind: str, title: str, work: Work) -> Job:
        """Start *work* in the background; the Job follows it."""
        job = Job(id=secrets.token_hex(8), kind=kind, title=title)
        with self._lock:
            self._jobs[job.id] = job
        context = contextvars.copy_context()  # the surface the request speaks ("web")
        self._pool.submit(context.run, self._run, job, work)
        return job

    def get(self, job_id: str) -> Job:
        """The job *job_id*, or NotFoundError."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFoundError(
                f"No job {job_id!r} in this lab (jobs are forgotten when the lab restarts; "
                "what they recorded is in the journal). Fix: open the Journal page."
            )
        return job

    def recent(self, limit: int = 10) -> list[Job]:
        """The newest jobs first."""
        with self._lock:
            jobs = list(self._jobs.values())
        return sorted(jobs, key=lambda j: j.started, reverse=True)[:limit]

    def for_experiment(self, experiment_id: int) -> Job | None:
        """The job recording experiment *experiment_id*, if it runs in this lab."""
        with self._lock:
            return next((j for j in self._jobs.values() if j.experiment_id == experiment_id), None)

    def shutdown(self) -> None:
        """Stop taking jobs; running ones are left to finish in their threads."""
        self.closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)

    @staticmethod
    def _run(job: Job, work: Work) -> None:
        from threadpoolctl import threadpool_limits

        job.update(status="running", what="starting")
        try:
            with threadpool_limits(limits=1):
                url = work(job)
            job.update(status="done", url=url, what="finished", finished=time.time())
        except TinkerlabError as error:  # bad input or a refusal: the message says the fix
            job.update(status="failed", error=str(error), finished=time.time())
        except BaseException as error:  # a bug: say so, keep the traceback in the log
            log.error("job %s failed:\n%s", job.id, traceback.format_exc())
            job.update(
                status="failed",
                error=f"{type(error).__name__}: {error}. This looks like a bug; the lab's "
                "log has the traceback.",
                finished=time.time(),
            )


async def wait_for(job: Job, condition: Callable[[Job], bool], timeout: float) -> bool:
    """Wait (without blocking the server) until *condition(job)* or *timeout* seconds."""
    deadline = time.monotonic() + timeout
    while not condition(job):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def sse(event: str, data: Any) -> str:
    """One server-sent event."""
    return f"event: {event}\ndata: {json.dumps(data, default=str)}\n\n"


def epochs_heard(settings: Settings, job: Job) -> AbstractContextManager[None]:
    """While a neural network trains in this process, its epochs feed the job's live
    curve through :func:`tinkerlab.nets.listen`, the listener the command line's progress
    bar uses. Fits in worker processes (a sweep's ``n_jobs`` > 1) are not heard."""
    import importlib.util

    from tinkerlab.recipe import MODELS

    spec = MODELS.get(str(settings.get("model") or ""))
    if spec is None or spec.extra != "deep" or importlib.util.find_spec("torch") is None:
        return nullcontext()
    from tinkerlab.nets import listen

    return listen(job.heard)


def new_epochs(job: Job, sent: int) -> tuple[str | None, int]:
    """An ``epochs`` event with the rows of the job's live curve after the first *sent*
    (None when there are none), and how many have been sent then."""
    rows = job.epochs[sent:]
    if not rows:
        return None, sent
    return sse("epochs", rows), sent + len(rows)


async def job_events(job: Job) -> AsyncIterator[str]:
    """A job's progress as server-sent events: ``progress`` on every change, ``epochs``
    as a net trains, then ``done`` (with the result's URL) or ``failed`` (the message)."""
    seen = -1
    sent = 0
    quiet_since = time.monotonic()
    yield "retry: 1000\n\n"
    while True:
        if job.version != seen:
            seen = job.version
            quiet_since = time.monotonic()
            event, sent = new_epochs(job, sent)
            if event:
                yield event
            state = job.to_dict()
            yield sse("progress", state)
            if job.status == "done":
                yield sse("done", state)
                return
            if job.status == "failed":
                yield sse("failed", state)
                return
        elif time.monotonic() - quiet_since > HEARTBEAT:
            quiet_since = time.monotonic()
            yield ": still working\n\n"
        await asyncio.sleep(POLL)
