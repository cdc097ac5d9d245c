"""How a model service behaves: one frozen settings object, one field per command-line flag."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tinkerlab.exceptions import UsageError


@dataclass(frozen=True)
class ServeConfig:
    """How the service behaves; most fields have a command-line flag of the same name
    (`tinkerlab serve --help`), and a bad value is refused here, naming the flag."""

    token: str | None = None  # required as "Authorization: Bearer ..." when set
    batch: bool = True  # micro-batching of concurrent requests
    max_batch: int = 64  # most rows in one call of the model
    max_wait_ms: float = 2.0  # how long a lone request waits for company
    max_body_bytes: int = 2_000_000  # larger request bodies get a 413
    body_timeout_s: float = 10.0  # a body not complete this long after its headers: 408, closed
    max_rows: int = 10_000  # most rows in one request
    monitor_dir: Path | None = None  # where the prediction log goes; default <artifact>/monitor
    sample: float = 1.0  # share of rows written to the prediction log (0 turns it off)
    monitor_max_bytes: int = 50_000_000  # the log's size bound (two files, rotated)
    drift_window: int = 1000  # rows compared by GET /drift by default
    access_log: bool = True  # one JSON line per request on stderr

    def __post_init__(self) -> None:
        if not 0.0 <= self.sample <= 1.0:
            raise UsageError(f"--sample must be a share in [0, 1]. Got {self.sample} instead.")
        positive = {
            "--max-batch": self.max_batch,
            "--max-body-bytes": self.max_body_bytes,
            "--body-timeout": self.body_timeout_s,
            "max_rows": self.max_rows,
        }
        for flag, value in positive.items():
            if not value > 0:
                raise UsageError(f"{flag} must be positive. Got {value} instead.")
        if self.max_wait_ms < 0:
            raise UsageError(f"--max-wait-ms must be >= 0. Got {self.max_wait_ms} instead.")


__all__ = ["ServeConfig"]
