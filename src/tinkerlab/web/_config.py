"""How the lab runs: where it listens, which journal it reads, its limits and its folders.

One frozen :class:`LabConfig` is made by ``tinkerlab lab`` (or a test) and handed to
:func:`~tinkerlab.web.create_app`; every route reads it from ``request.app.state.config``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

#: The largest file an upload may be (bytes); the Data page says so.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: The largest form (everything but uploads) a request may carry.
MAX_FORM_BYTES = 1024 * 1024


@dataclass(frozen=True)
class LabConfig:
    """Everything the lab needs to know to serve one learner (or a class)."""

    journal: str | None = None  # the journal's URL; None: TINKERLAB_DB or the SQLite file
    host: str = "127.0.0.1"  # the address it listens on; beyond loopback a token is needed
    port: int = 8765  # the port it listens on (0: the system picks one)
    token: str | None = None  # required (login once, then a cookie) when set
    home: Path | None = None  # the lab's own folder; default TINKERLAB_HOME/lab
    max_upload_bytes: int = MAX_UPLOAD_BYTES  # the largest upload accepted
    max_form_bytes: int = MAX_FORM_BYTES  # the largest other request body accepted
    jobs: int = 2  # long jobs (runs, sweeps, comparisons) running at once
    # Signs the session and CSRF tokens; a fresh one per process, so a restart logs out.
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

    def lab_dir(self) -> Path:
        """The lab's folder (uploads, saved models, generated code), created if needed."""
        from tinkerlab._home import home

        folder = self.home if self.home is not None else home() / "lab"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def folder(self, name: str) -> Path:
        """A sub-folder of the lab's folder: ``uploads``, ``models``, ``code``."""
        path = self.lab_dir() / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """The host names (ports aside) a lab answers to: loopback names, and the address it
        was told to listen on (a guard against DNS rebinding: a page on an attacker's
        domain that resolves to 127.0.0.1 sends that domain as its Host)."""
        return frozenset({"127.0.0.1", "localhost", "[::1]", "::1", self.host})
