"""Who runs an experiment, whether it still does, and the heartbeat that tells other machines.

An experiment (``tinkerlab tinker`` or ``tinkerlab compare``) is written as ``running`` when
it starts and ``finished`` when it ends. A process stopped by Ctrl-C or SIGTERM marks it
``interrupted`` on its way out; one killed with SIGKILL, by the out-of-memory killer or by a
power cut cannot. So the journal records who runs it, the **owner** (this machine's name,
the process id and, where the system tells, when that process started), and the owner
writes a **heartbeat** time every :data:`HEARTBEAT_SECONDS` while it runs. Reading a
``running`` experiment, the journal asks:

1. On the owner's own machine: is that process still there? A process id that is free, a
   zombie (killed, not yet reaped by its parent) or taken by a newer process (its start time
   differs) means the owner is gone: the experiment reads ``interrupted``, and can be
   resumed, at once.
2. Anywhere else (another machine sharing a PostgreSQL journal, or a system that cannot say
   whether a process id is the same process): is the heartbeat older than
   :data:`STALE_AFTER`? Then the owner is gone too. (Clocks must agree to within that
   margin, as they do with NTP.)

>>> from datetime import UTC, datetime, timedelta
>>> now = datetime.now(UTC)
>>> owner_alive({"host": "elsewhere", "pid": 1}, now - timedelta(seconds=5), now)
True
>>> owner_alive({"host": "elsewhere", "pid": 1}, now - STALE_AFTER, now)
False
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

#: How often a running experiment's process writes its heartbeat, in seconds.
HEARTBEAT_SECONDS = 30.0
#: A heartbeat older than this means the owner is gone, where its process cannot be asked
#: (another machine): ten missed beats, so a busy machine or a slow database is no reason.
STALE_AFTER = timedelta(minutes=5)


def this_process() -> dict[str, Any]:
    """The owner record of the calling process: ``{"host", "pid", "started"}``."""
    pid = os.getpid()
    return {"host": socket.gethostname(), "pid": pid, "started": _start_time(pid)}


def owner_alive(owner: Mapping[str, Any], heartbeat: datetime | None, now: datetime) -> bool:
    """Whether the process that *owner* names still runs its experiment (see the module).

    *heartbeat* is the last time it was heard from (the row's ``heartbeat_at``, or for rows
    written before heartbeats its ``updated_at``); *now* is the reader's time.
    """
    known = _process_alive(owner)
    if known is not None:
        return known
    return heartbeat is not None and now - heartbeat < STALE_AFTER


def is_this_process(owner: Mapping[str, Any]) -> bool:
    """Whether *owner* is the calling process (a notebook resuming its own experiment)."""
    me = this_process()
    return all(owner.get(key) == me[key] for key in ("host", "pid")) and (
        owner.get("started") in (None, me["started"])
    )


def describe(owner: Mapping[str, Any], heartbeat: datetime | None, now: datetime) -> str:
    """The owner in words: ``"process 4242 on lab-7, last heard from 12 s ago"``."""
    where = f"process {owner.get('pid')} on {owner.get('host')}"
    if heartbeat is None:
        return where
    return f"{where}, last heard from {max(0, round((now - heartbeat).total_seconds()))} s ago"


def _process_alive(owner: Mapping[str, Any]) -> bool | None:
    """True or False where this machine can tell; None where it cannot (another machine,
    or a live process id on a system that does not say when a process started)."""
    if owner.get("host") != socket.gethostname() or sys.platform == "win32":
        return None  # (on Windows, os.kill(pid, 0) would send Ctrl-C: never ask it there)
    pid = owner.get("pid")
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    if _state(pid) == "Z":
        return False  # killed; only its exit status waits for its parent to read it
    started = _start_time(pid)
    if started is None or owner.get("started") is None:
        return None if started is None else True  # an older row names no start time
    return bool(started == owner["started"])  # else the id was given to a newer process


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command name (Linux), or None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()  # the name, in (), may hold spaces and ")"


def _state(pid: int) -> str | None:
    fields = _stat_fields(pid)
    return fields[0] if fields else None  # field 3: R, S, D, Z...


def _start_time(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return int(fields[19]) if fields and len(fields) > 19 else None  # field 22: starttime


class Heartbeat:
    """A daemon thread that writes ``heartbeat_at`` of the experiments this process runs.

    Parameters
    ----------
    beat : callable or None
        Called with the ids being run, every :data:`HEARTBEAT_SECONDS`; it writes the time.
        A failure is swallowed: a heartbeat never stops an experiment (the next beat tries
        again, and a long silence only lets other machines call it interrupted). None: no
        thread at all (an in-memory journal, which no other process can read).
    """

    def __init__(self, beat: Callable[[frozenset[int]], None] | None) -> None:
        self._beat = beat
        self._ids: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> frozenset[int]:
        """The experiments this heartbeat speaks for."""
        with self._lock:
            return frozenset(self._ids)

    def add(self, experiment_id: int) -> None:
        """Beat for *experiment_id* too (starting the thread if needed)."""
        with self._lock:
            self._ids.add(experiment_id)
            if self._beat is None:
                return
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                self._thread = threading.Thread(
                    target=self._loop,
                    args=(self._beat,),
                    name="tinkerlab-journal-heartbeat",
                    daemon=True,
                )
                self._thread.start()

    def discard(self, experiment_id: int) -> None:
        """Stop beating for *experiment_id* (finished, interrupted or failed)."""
        with self._lock:
            self._ids.discard(experiment_id)

    def stop(self) -> None:
        """Stop the thread (the journal is closing) and wait for it."""
        with self._lock:
            self._ids.clear()
            thread, self._thread = self._thread, None
        self._stop.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _loop(self, beat: Callable[[frozenset[int]], None]) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            ids = self.running
            if not ids:
                continue
            try:
                beat(ids)
            except Exception:  # a heartbeat never stops the work (see above)
                continue
