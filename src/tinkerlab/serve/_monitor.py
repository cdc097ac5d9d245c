"""The prediction log: a sample of served rows and their predictions, for drift checks.

One JSON object per line, appended to ``predictions.jsonl`` in the monitor directory
(``<artifact>/monitor/`` unless told otherwise)::

    {"t": "2026-05-01T12:00:00.123+00:00", "v": "3f2a9c1b07de", "x": {"age": 29, ...}, "y": "yes"}

* **Sampled**: each row is kept with probability ``sample`` (1.0 keeps all).
* **Bounded**: when the file passes half of ``max_bytes`` it is renamed to
  ``predictions.1.jsonl`` (replacing the previous one) and a new file starts, so the
  two together never hold much more than ``max_bytes``.
* **Append-only** and safe for several worker processes: each batch is one ``write``
  on a file opened with ``O_APPEND``, and the rename happens under a lock file.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

LOG_FILE = "predictions.jsonl"
OLD_LOG_FILE = "predictions.1.jsonl"
LOCK_FILE = ".predictions.lock"


class PredictionLog:
    """Append sampled rows and predictions; read back the most recent ones."""

    def __init__(
        self,
        folder: Path,
        *,
        version: str,
        sample: float = 1.0,
        max_bytes: int = 50_000_000,
        seed: int | None = None,
    ) -> None:
        if not 0.0 <= sample <= 1.0:
            raise ValueError(f"sample must be in [0, 1]; got {sample!r}")
        self.folder = folder
        self.version = version
        self.sample = sample
        self.max_bytes = max_bytes
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._fd: int | None = None
        self.written = 0  # rows written by this process

    @property
    def path(self) -> Path:
        return self.folder / LOG_FILE

    def record(self, rows: list[dict[str, Any]], predictions: list[Any]) -> int:
        """Append the sampled share of *rows* with their predictions; return how many."""
        if self.sample == 0.0:
            return 0
        when = datetime.now(UTC).isoformat(timespec="milliseconds")
        lines = []
        for row, prediction in zip(rows, predictions, strict=True):
            if self.sample < 1.0 and self._random.random() >= self.sample:
                continue
            record = {"t": when, "v": self.version, "x": row, "y": prediction}
            lines.append(json.dumps(record, separators=(",", ":"), allow_nan=False))
        if not lines:
            return 0
        data = ("\n".join(lines) + "\n").encode("utf-8")
        with self._lock:
            fd = self._open()
            os.write(fd, data)  # one write with O_APPEND: lines from processes never interleave
            if os.fstat(fd).st_size > self.max_bytes // 2:
                self._rotate()
        self.written += len(lines)
        return len(lines)

    def _open(self) -> int:
        """The file descriptor of the current log, reopened if another process rotated it."""
        if self._fd is not None:
            try:
                same = os.fstat(self._fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                return self._fd
            os.close(self._fd)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return self._fd

    def _rotate(self) -> None:
        with open(self.folder / LOCK_FILE, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if os.stat(self.path).st_size > self.max_bytes // 2:
                    os.replace(self.path, self.folder / OLD_LOG_FILE)
            except FileNotFoundError:
                pass
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        self._open()

    def recent(self, window: int) -> tuple[list[dict[str, Any]], list[Any]]:
        """The last *window* logged rows and their predictions, oldest first."""
        lines: list[str] = []
        for name in (LOG_FILE, OLD_LOG_FILE):
            if len(lines) >= window:
                break
            lines = _tail(self.folder / name, window - len(lines)) + lines
        rows, predictions = [], []
        for line in lines[-window:]:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a crash
            rows.append(record["x"])
            predictions.append(record["y"])
        return rows, predictions

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


def _tail(path: Path, n: int, block: int = 1 << 16) -> list[str]:
    """The last *n* complete lines of *path* (fewer if it has fewer), reading from the end."""
    if n <= 0 or not path.is_file():
        return []
    with path.open("rb") as stream:
        stream.seek(0, os.SEEK_END)
        end = stream.tell()
        data = b""
        while end > 0 and data.count(b"\n") <= n:
            start = max(0, end - block)
            stream.seek(start)
            data = stream.read(end - start) + data
            end = start
    text = data.decode("utf-8", errors="replace")
    lines = [line for line in text.split("\n") if line.strip()]
    if end > 0:
        lines = lines[1:]  # the first one may be a partial line
    return lines[-n:]
