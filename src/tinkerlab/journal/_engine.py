"""From a journal URL to a SQLAlchemy engine set up for its backend.

Two backends are supported, and every journal feature works the same on both:

- **SQLite** (the default, one file): write-ahead logging so readers never block the writer,
  foreign keys enforced, and a busy timeout so two writers queue instead of failing.
- **PostgreSQL** through psycopg 3, for a class or a team sharing one journal.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from tinkerlab.exceptions import JournalError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

#: Drivers we test, by backend. A URL naming only the backend gets this driver.
DRIVERS = {"sqlite": "pysqlite", "postgresql": "psycopg"}
#: Backend spellings people copy from elsewhere (libpq, Heroku) and what they mean here.
BACKEND_ALIASES = {"postgres": "postgresql"}

#: How long a SQLite writer waits for another writer to finish before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: How long to wait for a PostgreSQL server to answer before saying it cannot be reached.
PG_CONNECT_TIMEOUT_S = 10

#: Execution options for a transaction that will write. On SQLite it starts with
#: ``BEGIN IMMEDIATE``, which takes the write lock up front (waiting up to the busy timeout),
#: so two writers queue cleanly; a plain ``BEGIN`` could fail half-way with "database is
#: locked". PostgreSQL ignores the option.
WRITE_TRANSACTION = {"tinkerlab_begin": "BEGIN IMMEDIATE"}


def parse_url(url: str) -> URL:
    """Parse a journal URL, filling in the driver, or raise :class:`JournalError`."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise JournalError(
            f"{url!r} is not a database URL. Use sqlite:///path/to/journal.sqlite or "
            "postgresql+psycopg://user:password@host:5432/dbname (in TINKERLAB_DB or as url=)."
        ) from exc
    backend, _, driver = parsed.drivername.partition("+")  # "postgresql+psycopg"
    backend = BACKEND_ALIASES.get(backend, backend)
    if backend not in DRIVERS or driver not in ("", DRIVERS[backend]):
        supported = ", ".join(f"{b}+{d}" for b, d in DRIVERS.items())
        raise JournalError(
            f"The journal cannot use {mask(parsed)!r}: it supports {supported}. "
            "Use sqlite:///path/to/journal.sqlite or postgresql+psycopg://user@host/dbname."
        )
    # SQLite's driver is SQLAlchemy's default; PostgreSQL's default would be psycopg2.
    return parsed.set(
        drivername="sqlite" if backend == "sqlite" else f"{backend}+{DRIVERS[backend]}"
    )


def mask(url: URL) -> str:
    """Return *url* as text with its password replaced by ``***``, safe to print."""
    return url.render_as_string(hide_password=True)


def create_journal_engine(url: URL) -> Engine:
    """Return an engine for *url*, set up for its backend (see the module docstring)."""
    if url.get_backend_name() == "postgresql":
        return _postgresql_engine(url)
    return _sqlite_engine(url)


def _postgresql_engine(url: URL) -> Engine:
    try:
        import psycopg  # noqa: F401  (only to say clearly that it is missing)
    except ImportError as exc:
        raise JournalError(
            f"The journal at {mask(url)} is a PostgreSQL database, but the driver psycopg is "
            "not installed. Install it with: pip install 'tinkerlab[postgres]'"
        ) from exc
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    # pool_pre_ping: a long-lived Journal (the web lab) survives a server restart.
    return create_engine(url, connect_args=connect_args, pool_pre_ping=True)


def _sqlite_engine(url: URL) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    if in_memory:
        # One shared connection, or every connection would see its own empty database.
        # Fine for a notebook or a quick test; use a file for anything concurrent.
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        folder = Path(str(url.database)).expanduser().resolve().parent
        if not folder.is_dir():
            raise JournalError(
                f"Cannot open the journal at {mask(url)}: the folder {str(folder)!r} does not "
                f"exist. Create it (mkdir -p {folder}) or point TINKERLAB_DB at another file."
            )
        engine = create_engine(url)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _on_sqlite_connect(dbapi_connection: Any, _connection_record: Any) -> None:
    # Python's sqlite3 module starts transactions itself, but only before INSERT/UPDATE/DELETE,
    # so migrations (CREATE TABLE...) would not be atomic. We switch that off and send BEGIN
    # ourselves in _on_sqlite_begin (the recipe from SQLAlchemy's SQLite documentation).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    _switch_to_wal(cursor)  # readers see the last commit, never block
    cursor.execute("PRAGMA foreign_keys = ON")  # SQLite enforces REFERENCES only when asked
    cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    """``PRAGMA journal_mode = WAL``, retried while another connection holds the lock.

    On a brand-new file, two connections may both try to switch it to WAL; SQLite answers
    the second "database is locked" at once, without waiting the busy timeout. So wait
    here instead, up to that same timeout.
    """
    import sqlite3

    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _on_sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql(connection.get_execution_options().get("tinkerlab_begin", "BEGIN"))
