"""The Journal: record runs, notes and questions, and read them back.

Every public method is one database transaction, so it either happens completely or not at
all. Recording a run also writes its plots to files, which a database cannot roll back; the
files are written to ``<runs dir>/<uid>.partial/`` first and renamed to ``<runs dir>/<uid>/``
just before the commit, and any failure removes them again (see :meth:`Journal.record_run`).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import TracebackType

from sqlalchemy import URL, func, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from tinkerlab._home import database_url, runs_dir
from tinkerlab.exceptions import InputError, JournalError, NotFoundError
from tinkerlab.journal._engine import WRITE_TRANSACTION, create_journal_engine, mask, parse_url
from tinkerlab.journal._entries import (
    RUN_ATTRIBUTES,
    NoteEntry,
    QuestionEntry,
    RunEntry,
    RunLike,
)
from tinkerlab.journal._json import json_object, metric_table, to_json
from tinkerlab.journal._migrate import ensure_head
from tinkerlab.journal._tables import NoteRow, QuestionRow, RunRow


class Journal:
    """The durable record of runs, notes and questions, in SQLite or PostgreSQL.

    Opening a journal creates its tables, or migrates them to this version's schema. One
    Journal can be shared by threads; several processes can open the same database.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL of the database: ``sqlite:///path/journal.sqlite`` or
        ``postgresql+psycopg://user:password@host:5432/dbname``. Default: the environment
        variable ``TINKERLAB_DB``, else ``journal.sqlite`` in tinkerlab's home directory.

    Attributes
    ----------
    url : str
        The URL in use, password included, to open the same journal elsewhere.
    display_url : str
        The same URL with its password replaced by ``***``: the one to print.

    Raises
    ------
    JournalError
        If the database cannot be opened or migrated, its driver is missing, or a newer
        tinkerlab has migrated it.

    Examples
    --------
    >>> from tinkerlab.journal import Journal
    >>> with Journal("sqlite://") as journal:  # in memory, for a quick look
    ...     journal.count_runs()
    0
    """

    def __init__(self, url: str | None = None) -> None:
        parsed = parse_url(database_url(url))
        self.url: str = parsed.render_as_string(hide_password=False)
        self.display_url: str = mask(parsed)
        self._password = parsed.password
        self._engine = create_journal_engine(parsed)
        self._writer = self._engine.execution_options(**WRITE_TRANSACTION)
        self._closed = False
        self.plots_dir: Path = _plots_dir(parsed)
        try:
            with self._database_errors("open"):
                ensure_head(self._engine)
        except BaseException:
            self._engine.dispose()
            raise

    # --- runs ------------------------------------------------------------------------------

    def record_run(self, run: RunLike) -> RunEntry:
        """Record *run* and its plots, completely or not at all.

        Parameters
        ----------
        run : RunLike
            A finished run (``tinkerlab.runner``'s Run, or anything with the same attributes).

        Returns
        -------
        RunEntry
            The run as stored, with its new ``id``.

        Raises
        ------
        InputError
            If a value of the run cannot be stored (checked before anything is written).
        JournalError
            If the database or the plot files cannot be written; then nothing was recorded.
        """
        row, plots = _run_row(run)  # checks every value first: bad input writes nothing
        runs = self.plots_dir
        final_dir = runs / row.uid
        partial_dir = runs / f"{row.uid}.partial"
        try:
            for name, png in plots.items():
                partial_dir.mkdir(exist_ok=True)
                (partial_dir / name).write_bytes(png)
            with self._database_errors("record the run in"), self._session(write=True) as session:
                session.add(row)
                session.flush()  # the database gives the row its id; still uncommitted
                if plots:
                    partial_dir.rename(final_dir)  # the plots appear only with the row...
                session.commit()  # ...and this is the moment both become real
        except BaseException as exc:
            # Leaving the session block rolled the row back; the plot files must go too.
            shutil.rmtree(partial_dir, ignore_errors=True)
            shutil.rmtree(final_dir, ignore_errors=True)
            if isinstance(exc, OSError):
                raise JournalError(
                    f"Could not save the run's plots in {runs}: {exc}. Nothing was recorded. "
                    "Check the free space and that you may write there (TINKERLAB_HOME moves it)."
                ) from exc
            raise
        return _run_entry(row, runs)

    def list_runs(self, limit: int | None = 50, dataset: str | None = None) -> list[RunEntry]:
        """Return recorded runs, newest first.

        Parameters
        ----------
        limit : int or None, default=50
            At most this many runs; None for all of them.
        dataset : str, optional
            Only runs on the dataset of this name.
        """
        if limit is not None and limit < 0:
            raise InputError(f"limit must be 0 or more, or None for all runs; got {limit}.")
        query = select(RunRow).order_by(RunRow.created_at.desc(), RunRow.id.desc())
        if dataset is not None:
            query = query.where(RunRow.dataset == dataset)
        if limit is not None:
            query = query.limit(limit)
        with self._database_errors("read"), self._session() as session:
            rows = session.scalars(query).all()
        runs = self.plots_dir
        return [_run_entry(row, runs) for row in rows]

    def get_run(self, run_id: int) -> RunEntry:
        """Return the run with id *run_id*, or raise :class:`NotFoundError`."""
        _check_id(run_id)
        with self._database_errors("read"), self._session() as session:
            row = session.get(RunRow, run_id)
        if row is None:
            raise self._no_such_run(run_id)
        return _run_entry(row, self.plots_dir)

    def count_runs(self) -> int:
        """Return how many runs the journal holds."""
        with self._database_errors("read"), self._session() as session:
            return session.scalar(select(func.count()).select_from(RunRow)) or 0

    # --- notes and questions ---------------------------------------------------------------

    def add_note(self, run_id: int, text: str) -> NoteEntry:
        """Write a note about run *run_id*, e.g. "accuracy fell when I dropped Age"."""
        _check_id(run_id)
        text = _clean_text(text, "note")
        with self._database_errors("add a note to"), self._session(write=True) as session:
            self._require_run(session, run_id)
            row = NoteRow(run_id=run_id, created_at=datetime.now(UTC), text=text)
            session.add(row)
            session.commit()
        return _note_entry(row)

    def add_question(self, text: str, run_id: int | None = None) -> QuestionEntry:
        """Write down a question, optionally about run *run_id* (which must exist)."""
        text = _clean_text(text, "question")
        if run_id is not None:
            _check_id(run_id)
        with self._database_errors("add a question to"), self._session(write=True) as session:
            if run_id is not None:
                self._require_run(session, run_id)
            row = QuestionRow(run_id=run_id, created_at=datetime.now(UTC), text=text)
            session.add(row)
            session.commit()
        return _question_entry(row)

    def notes(self, run_id: int) -> list[NoteEntry]:
        """Return the notes about run *run_id*, oldest first."""
        _check_id(run_id)
        query = select(NoteRow).where(NoteRow.run_id == run_id)
        with self._database_errors("read"), self._session() as session:
            self._require_run(session, run_id)
            rows = session.scalars(query.order_by(NoteRow.created_at, NoteRow.id)).all()
        return [_note_entry(row) for row in rows]

    def questions(self, run_id: int | None = None) -> list[QuestionEntry]:
        """Return the questions about run *run_id*, or all of them, oldest first."""
        query = select(QuestionRow).order_by(QuestionRow.created_at, QuestionRow.id)
        if run_id is not None:
            _check_id(run_id)
        with self._database_errors("read"), self._session() as session:
            if run_id is not None:
                self._require_run(session, run_id)
                query = query.where(QuestionRow.run_id == run_id)
            rows = session.scalars(query).all()
        return [_question_entry(row) for row in rows]

    # --- opening and closing ---------------------------------------------------------------

    def close(self) -> None:
        """Close the journal's connections; using it afterwards raises :class:`JournalError`."""
        self._closed = True
        self._engine.dispose()

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Journal({self.display_url!r})"

    # --- helpers ---------------------------------------------------------------------------

    @contextmanager
    def _session(self, *, write: bool = False) -> Iterator[Session]:
        """Yield a session; on SQLite a writing one takes the write lock when it begins."""
        if self._closed:
            raise JournalError(
                f"The journal at {self.display_url} was closed. Open it again: Journal(url)."
            )
        # expire_on_commit=False: rows stay readable after the commit, to build the entries.
        with Session(self._writer if write else self._engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _database_errors(self, action: str) -> Iterator[None]:
        """Turn a database failure into a JournalError naming the journal and a remedy."""
        try:
            yield
        except SQLAlchemyError as exc:
            reason = " ".join(str(getattr(exc, "orig", None) or exc).split()).rstrip(".")
            if self._password:
                reason = reason.replace(self._password, "***")
            if not isinstance(exc, OperationalError):  # the SQL itself failed, not the database
                remedy = (
                    "The journal's tables may have been changed outside tinkerlab; compare them "
                    "with docs/journal.md, or point TINKERLAB_DB at a new journal."
                )
            elif self._engine.dialect.name == "postgresql":
                remedy = (
                    "Check that the PostgreSQL server is running and reachable, and that the "
                    "URL's user, password and database name are right."
                )
            else:
                remedy = (
                    "Check that the file is a tinkerlab journal on a local disk and that you may "
                    "write to it, or point TINKERLAB_DB at another one."
                )
            raise JournalError(
                f"Could not {action} the journal at {self.display_url}: {reason}. {remedy}"
            ) from exc

    def _require_run(self, session: Session, run_id: int) -> None:
        if session.get(RunRow, run_id) is None:
            raise self._no_such_run(run_id)

    def _no_such_run(self, run_id: int) -> NotFoundError:
        return NotFoundError(
            f"No run with id {run_id} in the journal at {self.display_url}. "
            "List the runs with: tinkerlab journal"
        )


def open_journal(url: str | None = None) -> Journal:
    """Open the journal at *url* (default: ``TINKERLAB_DB``, else the local SQLite file).

    The one-line form of :class:`Journal`; close it with ``.close()`` or a ``with`` block.

    Examples
    --------
    >>> from tinkerlab.journal import open_journal
    >>> with open_journal("sqlite://") as journal:
    ...     journal.list_runs()
    []
    """
    return Journal(url)


# --- from a run to a row, and from rows to entries -------------------------------------------


def _run_row(run: RunLike) -> tuple[RunRow, dict[str, bytes]]:
    """Check and convert every value of *run*: a new, unsaved row, and the plots to write."""
    missing = [name for name in RUN_ATTRIBUTES if not hasattr(run, name)]
    if missing:
        raise InputError(
            f"record_run() needs a finished run; the {type(run).__name__} given has no "
            f"{', '.join(missing)}. Pass the Run that tinkerlab.runner returns."
        )
    to_dict = getattr(run.recipe, "to_dict", None)
    if not callable(to_dict):
        raise InputError(
            f"run.recipe must have a to_dict() method, like tinkerlab's Recipe; "
            f"got a {type(run.recipe).__name__}."
        )
    notices = to_json(run.notices, "run.notices")
    if not isinstance(notices, list) or not all(isinstance(n, str) for n in notices):
        raise InputError(f"run.notices must be a list of strings; got {run.notices!r:.80}.")
    timings = json_object(run.timings, "run.timings")
    if not all(isinstance(t, (int, float)) and not isinstance(t, bool) for t in timings.values()):
        raise InputError(f"run.timings must map step names to seconds; got {timings!r:.80}.")
    plots = _plots(run)
    row = RunRow(
        uid=uuid.uuid4().hex,
        created_at=datetime.now(UTC),
        dataset=_text(run.dataset_name, "run.dataset_name"),
        task=_text(run.task, "run.task"),
        model=_text(run.model, "run.model"),
        recipe=json_object(to_dict(), "run.recipe.to_dict()"),
        metrics=metric_table(run.metrics, "run.metrics"),
        baseline=metric_table(run.baseline, "run.baseline"),
        summary=json_object(run.summary, "run.summary"),
        timings={step: float(seconds) for step, seconds in timings.items()},
        notices=notices,
        plot_names=sorted(plots),
        data_sha256=_text(run.data_sha256, "run.data_sha256"),
        tinkerlab_version=_tinkerlab_version(),
    )
    return row, plots


def _plots(run: RunLike) -> dict[str, bytes]:
    """Return the run's plots after checking that each is a plain file name with bytes."""
    if not isinstance(run.plots, Mapping):
        raise InputError(f"run.plots must map file names to PNG bytes; got {run.plots!r:.80}.")
    plots: dict[str, bytes] = {}
    for name, png in run.plots.items():
        if not isinstance(name, str) or name in ("", ".", "..") or Path(name).name != name:
            raise InputError(
                f"Plot name {name!r} is not a plain file name. Use a name like "
                "'confusion_matrix.png', without folders."
            )
        if "\\" in name:
            raise InputError(f"Plot name {name!r} contains a backslash; use a plain file name.")
        if not isinstance(png, (bytes, bytearray, memoryview)):
            raise InputError(
                f"Plot {name!r} must be bytes (the PNG file's content); got a "
                f"{type(png).__name__}. Save the figure to io.BytesIO and pass .getvalue()."
            )
        plots[name] = bytes(png)
    return plots


def _run_entry(row: RunRow, runs: Path) -> RunEntry:
    plots_dir = runs / row.uid if row.plot_names else None
    return RunEntry(
        id=row.id,
        uid=row.uid,
        created_at=row.created_at,
        dataset=row.dataset,
        task=row.task,
        model=row.model,
        recipe=row.recipe,
        metrics=row.metrics,
        baseline=row.baseline,
        summary=row.summary,
        timings=row.timings,
        notices=row.notices,
        data_sha256=row.data_sha256,
        tinkerlab_version=row.tinkerlab_version,
        plots_dir=plots_dir,
        plot_paths=[plots_dir / name for name in row.plot_names] if plots_dir else [],
    )


def _note_entry(row: NoteRow) -> NoteEntry:
    return NoteEntry(id=row.id, run_id=row.run_id, created_at=row.created_at, text=row.text)


def _question_entry(row: QuestionRow) -> QuestionEntry:
    return QuestionEntry(id=row.id, run_id=row.run_id, created_at=row.created_at, text=row.text)


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{where} must be a string; got a {type(value).__name__} ({value!r:.60}).")
    return value


def _clean_text(text: object, what: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise InputError(
            f"A {what} needs some text; got {text!r:.60}. Write it in words, e.g. "
            "'the test score beats the CV mean'."
        )
    return text.strip()


def _check_id(run_id: object) -> None:
    if not isinstance(run_id, int) or isinstance(run_id, bool):
        raise InputError(
            f"A run id is a whole number, like 12; got {run_id!r}. "
            "List the runs and their ids with: tinkerlab journal"
        )


def _tinkerlab_version() -> str:
    try:
        return version("tinkerlab")
    except PackageNotFoundError:  # running from a source checkout that was never installed
        return "unknown"


def _plots_dir(url: URL) -> Path:
    """Where run plots live: beside a SQLite journal file, else in TINKERLAB_HOME/runs.

    A PostgreSQL journal shared by a class stores paths to plots on the machine that
    recorded each run; the files themselves stay on that machine.
    """
    database = url.database
    if url.get_backend_name() == "sqlite" and database and database != ":memory:":
        folder = Path(database).expanduser().resolve().parent / "runs"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return runs_dir()
