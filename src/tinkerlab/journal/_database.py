"""One journal database: its engine, its sessions, its errors and its folders.

Every record kind (``_runs.py``, ``_experiments.py``, ...) reads and writes through a
:class:`Database`, so each of them says only *what* it stores; how a transaction begins on
SQLite, how a failure becomes a :class:`~tinkerlab.exceptions.JournalError` naming the
journal and a remedy, and where files live beside the rows is said once, here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Select, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from tinkerlab._home import database_url, runs_dir
from tinkerlab.exceptions import JournalError, NotFoundError
from tinkerlab.journal._checks import RECORD_KINDS, check_limit
from tinkerlab.journal._engine import WRITE_TRANSACTION, create_journal_engine, mask, parse_url
from tinkerlab.journal._migrate import ensure_head


class Database:
    """An open journal database, migrated to this version's schema.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; default ``TINKERLAB_DB``, else the SQLite file in tinkerlab's home.
    """

    def __init__(self, url: str | None = None) -> None:
        parsed = parse_url(database_url(url))
        self.url: str = parsed.render_as_string(hide_password=False)
        self.display_url: str = mask(parsed)  # the password as ***: the one to print
        self.backend: str = parsed.get_backend_name()  # "sqlite" or "postgresql"
        self.in_memory: bool = self.backend == "sqlite" and parsed.database in (
            None,
            "",
            ":memory:",
        )
        self._password = parsed.password
        self.engine = create_journal_engine(parsed)
        self._writer = self.engine.execution_options(**WRITE_TRANSACTION)
        self.closed = False
        self.plots_dir: Path = _plots_dir(parsed)  # runs/<uid>/ hold each run's plots
        self._folders: dict[str, Path] = {}
        try:
            with self.errors("open"):
                ensure_head(self.engine)
        except BaseException:
            self.engine.dispose()
            raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session to read in; a database failure becomes a :class:`JournalError`."""
        with self.errors("read"), self._session(write=False) as session:
            yield session

    @contextmanager
    def writing(self, action: str) -> Iterator[Session]:
        """A session that writes (on SQLite it takes the write lock as it begins).

        *action* completes "Could not ... the journal at URL" in the error, e.g.
        ``"record the run in"``. Nothing is committed unless the caller commits.
        """
        with self.errors(action), self._session(write=True) as session:
            yield session

    def folder(self, kind: str) -> Path:
        """Where the files of *kind* (``"experiments"``, ``"analyses"``) live, beside
        ``runs/``; created on first use."""
        if kind not in self._folders:
            folder = self.plots_dir if kind == "runs" else self.plots_dir.parent / kind
            folder.mkdir(parents=True, exist_ok=True)
            self._folders[kind] = folder
        return self._folders[kind]

    def require(self, session: Session, row_type: type[Any], row_id: int) -> Any:
        """The row of *row_type* with id *row_id*, or a :class:`NotFoundError` that says
        how to list the ids there are."""
        row = session.get(row_type, row_id)
        if row is None:
            what, _, listing = RECORD_KINDS[row_type.__tablename__]
            raise NotFoundError(
                f"No {what} with id {row_id} in the journal at {self.display_url}. "
                f"List them with: {listing}"
            )
        return row

    def close(self) -> None:
        """Close every connection; using the database afterwards raises JournalError."""
        self.closed = True
        self.engine.dispose()

    @contextmanager
    def _session(self, *, write: bool) -> Iterator[Session]:
        if self.closed:
            raise JournalError(
                f"The journal at {self.display_url} was closed. Open it again: Journal(url)."
            )
        # expire_on_commit=False: rows stay readable after the commit, to build the entries.
        with Session(self._writer if write else self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def errors(self, action: str) -> Iterator[None]:
        """Turn a database failure into a JournalError naming the journal and a remedy."""
        try:
            yield
        except SQLAlchemyError as exc:
            reason = " ".join(str(getattr(exc, "orig", None) or exc).split()).rstrip(".")
            if self._password:
                reason = reason.replace(self._password, "***")
            raise JournalError(
                f"Could not {action} the journal at {self.display_url}: {reason}. "
                f"{self._remedy(exc)}"
            ) from exc

    def _remedy(self, exc: SQLAlchemyError) -> str:
        if not isinstance(exc, OperationalError):  # the SQL itself failed, not the database
            return (
                "The journal's tables may have been changed outside tinkerlab; compare them "
                "with docs/journal.md, or point TINKERLAB_DB at a new journal."
            )
        if self.backend == "postgresql":
            return (
                "Check that the PostgreSQL server is running and reachable, and that the "
                "URL's user, password and database name are right."
            )
        return (
            "Check that the file is a tinkerlab journal on a local disk and that you may "
            "write to it, or point TINKERLAB_DB at another one."
        )


def newest_first(row_type: type[Any], limit: int | None, **equal_to: object) -> Select[Any]:
    """A listing's query: rows of *row_type*, newest first, at most *limit* (None: all),
    where each column named in *equal_to* holds that value (a None value: any)."""
    query = select(row_type).order_by(row_type.created_at.desc(), row_type.id.desc())
    for column, value in equal_to.items():
        if value is not None:
            query = query.where(getattr(row_type, column) == value)
    if check_limit(limit) is not None:
        query = query.limit(limit)
    return query


def tinkerlab_version() -> str:
    """The version that writes a row (``"unknown"`` in a checkout never installed)."""
    try:
        return version("tinkerlab")
    except PackageNotFoundError:
        return "unknown"


def _plots_dir(url: URL) -> Path:
    """Where run plots live: beside a SQLite journal file, else in TINKERLAB_HOME/runs.

    A PostgreSQL journal shared by a class stores the names of plots on the machine that
    recorded each run; the files themselves stay on that machine.
    """
    database = url.database
    if url.get_backend_name() == "sqlite" and database and database != ":memory:":
        folder = Path(database).expanduser().resolve().parent / "runs"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return runs_dir()
