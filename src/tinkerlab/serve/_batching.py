"""Micro-batching: rows from concurrent requests share one call of the model.

A scikit-learn ``predict`` costs nearly the same for 1 row as for 50 (the time goes into
checking inputs and walking Python code, not arithmetic). So while one batch is being
predicted, new requests wait in a queue; the next batch takes them all at once, up to
``max_batch`` rows. When the service is idle, a lone request waits at most
``max_wait`` seconds for company. Rows are independent, so each request gets exactly
the predictions it would get alone (``tests/serve/test_batching.py`` checks this).

The model runs in one worker thread, so the event loop keeps accepting requests. Both
share the GIL, and by default Python hands it over every 5 ms: the model thread, busy in
scikit-learn's Python code, would starve the loop that parses the next requests (so the
batches stay small). While a batcher runs, the switch interval is
:data:`SWITCH_INTERVAL` (0.5 ms); it is restored when the batcher stops. On a loaded
2-core machine this raised throughput by about half (``benchmarks/bench_serve.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

#: How often (seconds) Python may hand the GIL to another thread while a batcher runs.
SWITCH_INTERVAL = 0.0005

#: Predicts a list of requests (each a list of rows) in one go; returns, per request,
#: its results or the exception that request alone caused.
BatchPredict = Callable[[list[list[dict[str, Any]]]], list[list[dict[str, Any]] | Exception]]


@dataclass
class _Pending:
    rows: list[dict[str, Any]]
    future: asyncio.Future[list[dict[str, Any]]] = field(repr=False)


class MicroBatcher:
    """Queue requests and predict them together; see the module docstring."""

    def __init__(self, predict: BatchPredict, *, max_batch: int = 64, max_wait: float = 0.002):
        if max_batch < 1 or max_wait < 0:
            raise ValueError("max_batch must be >= 1 and max_wait >= 0")
        self.predict = predict
        self.max_batch = max_batch
        self.max_wait = max_wait
        self._queue: deque[_Pending] = deque()
        self._queued_rows = 0
        self._ready = asyncio.Event()
        self._full = asyncio.Event()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tinkerlab-predict")
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._switch_interval = sys.getswitchinterval()

    async def start(self) -> None:
        """Start the loop that forms and predicts batches (call from the event loop)."""
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._switch_interval, SWITCH_INTERVAL))
        self._task = asyncio.get_running_loop().create_task(self._run(), name="micro-batcher")

    async def submit(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Predict *rows* (one request) as part of the next batch."""
        if self._closing or self._task is None:
            raise RuntimeError("the micro-batcher is not running")
        future: asyncio.Future[list[dict[str, Any]]] = asyncio.get_running_loop().create_future()
        self._queue.append(_Pending(rows, future))
        self._queued_rows += len(rows)
        self._ready.set()
        if self._queued_rows >= self.max_batch:
            self._full.set()
        return await future

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if not self._queue:
                if self._closing:
                    return
                self._ready.clear()
                await self._ready.wait()  # set by submit() and stop()
                continue
            if self.max_wait > 0 and self._queued_rows < self.max_batch and not self._closing:
                with contextlib.suppress(TimeoutError):  # a full batch ends the wait early
                    await asyncio.wait_for(self._full.wait(), self.max_wait)
            batch = self._take()
            try:
                results = await loop.run_in_executor(
                    self._executor, self.predict, [p.rows for p in batch]
                )
            except Exception as error:  # the predict function itself failed
                results = [error] * len(batch)
            for pending, result in zip(batch, results, strict=True):
                if pending.future.done():  # the client went away
                    continue
                if isinstance(result, Exception):
                    pending.future.set_exception(result)
                else:
                    pending.future.set_result(result)

    def _take(self) -> list[_Pending]:
        """The next batch: queued requests, oldest first, up to max_batch rows (at least one)."""
        batch = [self._queue.popleft()]
        rows = len(batch[0].rows)
        while self._queue and rows + len(self._queue[0].rows) <= self.max_batch:
            pending = self._queue.popleft()
            batch.append(pending)
            rows += len(pending.rows)
        self._queued_rows -= rows
        if self._queued_rows < self.max_batch:
            self._full.clear()
        return batch

    async def stop(self) -> None:
        """Predict what is queued, then stop (graceful shutdown)."""
        self._closing = True
        self._ready.set()
        if self._task is not None:
            await self._task
            sys.setswitchinterval(self._switch_interval)
        self._executor.shutdown(wait=True)
