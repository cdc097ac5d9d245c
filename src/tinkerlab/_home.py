"""Where tinkerlab keeps its files: the journal database and each run's plots.

``TINKERLAB_HOME`` moves everything; without it we use the platform's user data
directory (``~/.local/share/tinkerlab`` on Linux). ``TINKERLAB_DB`` names another
database by SQLAlchemy URL (``postgresql+psycopg://user@host/db``).
"""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """Return tinkerlab's data directory, creating it if needed."""
    explicit = os.environ.get("TINKERLAB_HOME")
    if explicit:
        path = Path(explicit).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("tinkerlab", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(explicit: str | None = None) -> str:
    """Return the journal's SQLAlchemy URL: *explicit*, ``TINKERLAB_DB``, or a SQLite file."""
    if explicit:
        return explicit
    from_env = os.environ.get("TINKERLAB_DB")
    if from_env:
        return from_env
    return f"sqlite:///{home() / 'journal.sqlite'}"


def runs_dir() -> Path:
    """Return the directory holding one sub-directory of files (plots) per run."""
    path = home() / "runs"
    path.mkdir(parents=True, exist_ok=True)
    return path
