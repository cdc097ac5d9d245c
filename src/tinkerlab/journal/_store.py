"""The Journal: record runs, notes and questions, and read them back.

Every public method is one database transaction, so it either happens completely or not at
all. Recording a run also writes its plots to files, which a database cannot roll back; the
files are written to ``<runs dir>/<uid>.partial/`` first and renamed to ``<runs dir>/<uid>/``
just before the commit, and any failure removes them again (see :meth:`Journal.record_run`).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import URL, func, select
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from tinkerlab._home import database_url, runs_dir
from tinkerlab.exceptions import InputError, JournalError, NotFoundError
from tinkerlab.journal._engine import WRITE_TRANSACTION, create_journal_engine, mask, parse_url
from tinkerlab.journal._entries import (
    RUN_ATTRIBUTES,
    AnalysisEntry,
    ExperimentEntry,
    NoteEntry,
    PointEntry,
    PredictionEntry,
    QuestionEntry,
    RunEntry,
    RunLike,
    UnlockEntry,
)
from tinkerlab.journal._json import json_object, metric_table, to_json
from tinkerlab.journal._migrate import ensure_head
from tinkerlab.journal._tables import (
    AnalysisRow,
    CardReadRow,
    ExperimentPointRow,
    ExperimentRow,
    NoteRow,
    PredictionRow,
    QuestionRow,
    RunRow,
    UnlockRow,
)


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
        self._add_with_files(row, plots, runs, action="record the run in", what="the run's plots")
        return _run_entry(row, runs)

    def list_runs(
        self,
        limit: int | None = 50,
        dataset: str | None = None,
        *,
        offset: int = 0,
        model: str | None = None,
        search: str | None = None,
    ) -> list[RunEntry]:
        """Return recorded runs, newest first.

        Parameters
        ----------
        limit : int or None, default=50
            At most this many runs; None for all of them.
        dataset : str, optional
            Only runs on the dataset of this name.
        offset : int, default=0
            Skip this many of the newest first (a page of a long journal).
        model : str, optional
            Only runs of the model of this registry name.
        search : str, optional
            Only runs whose dataset or model name contains this text (any case).
        """
        if limit is not None and limit < 0:
            raise InputError(f"limit must be 0 or more, or None for all runs; got {limit}.")
        if offset < 0:
            raise InputError(f"offset must be 0 or more; got {offset}.")
        query = _run_filter(
            select(RunRow).order_by(RunRow.created_at.desc(), RunRow.id.desc()),
            dataset,
            model,
            search,
        )
        if offset:
            query = query.offset(offset)
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

    def count_runs(
        self, dataset: str | None = None, *, model: str | None = None, search: str | None = None
    ) -> int:
        """Return how many runs the journal holds (those :meth:`list_runs` would list with
        the same filters)."""
        query = _run_filter(select(func.count()).select_from(RunRow), dataset, model, search)
        with self._database_errors("read"), self._session() as session:
            return session.scalar(query) or 0

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

    def add_question(
        self,
        text: str,
        run_id: int | None = None,
        *,
        experiment_id: int | None = None,
        cards: Sequence[str] = (),
    ) -> QuestionEntry:
        """Write down a question, optionally about run *run_id* or experiment
        *experiment_id* (which must exist), with the ids of the cards found for it."""
        text = _clean_text(text, "question")
        if run_id is not None:
            _check_id(run_id)
        if experiment_id is not None:
            _check_id(experiment_id, "experiment")
        found = _strings(list(cards), "cards")
        with self._database_errors("add a question to"), self._session(write=True) as session:
            if run_id is not None:
                self._require_run(session, run_id)
            if experiment_id is not None:
                self._require_experiment(session, experiment_id)
            row = QuestionRow(
                run_id=run_id,
                experiment_id=experiment_id,
                created_at=datetime.now(UTC),
                text=text,
                cards=found,
            )
            session.add(row)
            session.commit()
        return _question_entry(row, ())

    def notes(self, run_id: int) -> list[NoteEntry]:
        """Return the notes about run *run_id*, oldest first."""
        _check_id(run_id)
        query = select(NoteRow).where(NoteRow.run_id == run_id)
        with self._database_errors("read"), self._session() as session:
            self._require_run(session, run_id)
            rows = session.scalars(query.order_by(NoteRow.created_at, NoteRow.id)).all()
        return [_note_entry(row) for row in rows]

    def questions(
        self,
        run_id: int | None = None,
        *,
        experiment_id: int | None = None,
        open_only: bool = False,
    ) -> list[QuestionEntry]:
        """Return the questions (about run *run_id* or experiment *experiment_id*, or all
        of them), oldest first, each with the cards found for it and those read since.

        *open_only* keeps the questions none of whose cards has been read yet.
        """
        query = select(QuestionRow).order_by(QuestionRow.created_at, QuestionRow.id)
        if run_id is not None:
            _check_id(run_id)
        if experiment_id is not None:
            _check_id(experiment_id, "experiment")
        with self._database_errors("read"), self._session() as session:
            if run_id is not None:
                self._require_run(session, run_id)
                query = query.where(QuestionRow.run_id == run_id)
            if experiment_id is not None:
                self._require_experiment(session, experiment_id)
                query = query.where(QuestionRow.experiment_id == experiment_id)
            rows = session.scalars(query).all()
            latest = select(CardReadRow.card_id, func.max(CardReadRow.read_at))
            last_read = dict(session.execute(latest.group_by(CardReadRow.card_id)).all())
        entries = [
            _question_entry(
                row,
                tuple(c for c in row.cards if c in last_read and last_read[c] >= row.created_at),
            )
            for row in rows
        ]
        return [e for e in entries if e.is_open] if open_only else entries

    # --- theory cards read and unlocked ----------------------------------------------------

    def record_card_read(self, card_id: str) -> None:
        """Note that the learner opened card *card_id* (``tinkerlab theory ID``)."""
        card_id = _clean_text(card_id, "card id")
        with self._database_errors("record a card read in"), self._session(write=True) as s:
            s.add(CardReadRow(card_id=card_id, read_at=datetime.now(UTC)))
            s.commit()

    def cards_read(self) -> dict[str, int]:
        """How many times each card has been read."""
        query = select(CardReadRow.card_id, func.count()).group_by(CardReadRow.card_id)
        with self._database_errors("read"), self._session() as session:
            return {card: int(n) for card, n in session.execute(query).all()}

    def record_unlocks(self, unlocks: Sequence[tuple[str, str, str]]) -> list[UnlockEntry]:
        """Record cards unlocked as ``(card_id, trigger, source)``; return the new ones.

        A card already recorded keeps its first unlock: recording it again changes nothing.
        """
        now = datetime.now(UTC)
        with self._database_errors("record unlocked cards in"), self._session(write=True) as s:
            known = set(s.scalars(select(UnlockRow.card_id)).all())
            fresh = []
            for card_id, trigger, source in unlocks:
                if card_id in known:
                    continue
                known.add(card_id)
                row = UnlockRow(card_id=card_id, trigger=trigger, source=source, unlocked_at=now)
                s.add(row)
                fresh.append(row)
            s.commit()
            return [_unlock_entry(row) for row in fresh]

    def unlocks(self) -> list[UnlockEntry]:
        """Every card unlocked so far, in the order they were unlocked."""
        query = select(UnlockRow).order_by(UnlockRow.unlocked_at, UnlockRow.id)
        with self._database_errors("read"), self._session() as session:
            return [_unlock_entry(row) for row in session.scalars(query).all()]

    # --- experiments and predictions -------------------------------------------------------

    def start_experiment(
        self, experiment: Mapping[str, Any], prediction: Mapping[str, Any] | None = None
    ) -> int:
        """Record a new, running experiment, and the prediction made before it; its id.

        Parameters
        ----------
        experiment : mapping
            ``dataset``, ``task``, ``model``, ``knob``, ``knob_kind`` (strings), ``spec``
            (a JSON-able dict: enough to plan the sweep again) and ``notices``.
        prediction : mapping, optional
            ``shape``, ``best_value``, ``best_score`` (each may be None), ``knob``,
            ``knob_kind``.
        """
        now = datetime.now(UTC)
        spec = json_object(experiment.get("spec"), "experiment['spec']")
        notices = _strings(experiment.get("notices", []), "experiment['notices']")
        row = ExperimentRow(
            uid=uuid.uuid4().hex,
            created_at=now,
            updated_at=now,
            status="running",
            dataset=_text(experiment.get("dataset"), "experiment['dataset']"),
            task=_text(experiment.get("task"), "experiment['task']"),
            model=_text(experiment.get("model"), "experiment['model']"),
            knob=_text(experiment.get("knob"), "experiment['knob']"),
            knob_kind=_text(experiment.get("knob_kind"), "experiment['knob_kind']"),
            spec=spec,
            summary={},
            notices=notices,
            plot_names=[],
            owner=_owner(),
            tinkerlab_version=_tinkerlab_version(),
        )
        guess = None if prediction is None else _prediction_row(prediction, row, now)
        with self._database_errors("record the experiment in"), self._session(write=True) as s:
            s.add(row)
            s.flush()
            if guess is not None:
                guess.experiment_id = row.id
                s.add(guess)
            s.commit()
        return row.id

    def record_point(self, experiment_id: int, point: Mapping[str, Any]) -> None:
        """Commit one finished point of experiment *experiment_id* (once: a point already
        recorded at the same position is left as it is).

        *point* holds ``position``, ``value``, ``label``, ``train`` and ``test`` (metric ->
        score per fold), ``fit_time``, ``n_train``, ``n_test`` and ``notices``.
        """
        _check_id(experiment_id, "experiment")
        row = ExperimentPointRow(
            experiment_id=experiment_id,
            position=_integer(point.get("position"), "point['position']"),
            value=to_json(point.get("value"), "point['value']"),
            label=_text(point.get("label"), "point['label']"),
            train=_fold_scores(point.get("train"), "point['train']"),
            test=_fold_scores(point.get("test"), "point['test']"),
            fit_time=_number(point.get("fit_time"), "point['fit_time']"),
            n_train=_number(point.get("n_train"), "point['n_train']"),
            n_test=_number(point.get("n_test"), "point['n_test']"),
            notices=_strings(point.get("notices", []), "point['notices']"),
            created_at=datetime.now(UTC),
        )
        try:
            with self._database_errors("record a point in"), self._session(write=True) as s:
                experiment = self._require_experiment(s, experiment_id)
                exists = s.scalar(
                    select(ExperimentPointRow.id).where(
                        ExperimentPointRow.experiment_id == experiment_id,
                        ExperimentPointRow.position == row.position,
                    )
                )
                if exists is not None:
                    return
                s.add(row)
                experiment.updated_at = row.created_at
                s.commit()
        except JournalError as error:
            if isinstance(error.__cause__, IntegrityError):
                return  # another process recorded the same point first (PostgreSQL race)
            raise

    def mark_experiment(self, experiment_id: int, status: str) -> None:
        """Set the status of experiment *experiment_id*: running, interrupted or failed."""
        _check_id(experiment_id, "experiment")
        if status not in ("running", "interrupted", "failed"):
            raise InputError(
                f"An experiment's status is set to running, interrupted or failed; got "
                f"{status!r}. Finish it with finish_experiment()."
            )
        with self._database_errors("update"), self._session(write=True) as s:
            row = self._require_experiment(s, experiment_id)
            row.status = status
            row.updated_at = datetime.now(UTC)
            if status == "running":
                row.owner = _owner()
            s.commit()

    def claim_experiment(self, experiment_id: int, *, force: bool = False) -> ExperimentEntry:
        """Take experiment *experiment_id* over to resume it: it becomes running, owned by
        this process. Refused while another live process runs it (``force`` overrides,
        for a process on another machine that is known to be gone)."""
        _check_id(experiment_id, "experiment")
        with self._database_errors("update"), self._session(write=True) as s:
            row = self._require_experiment(s, experiment_id)
            mine = row.owner == _owner()  # this very process ran it (a notebook, a retry)
            alive = _owner_alive(row.owner) is not False
            if row.status == "running" and not force and not mine and alive:
                where = f"process {row.owner.get('pid')} on {row.owner.get('host')}"
                raise InputError(
                    f"Experiment #{experiment_id} is still running ({where}). Wait for it to "
                    "finish, or stop it first. If that process is gone (another machine), "
                    f"resume anyway with: tinkerlab tinker --resume {experiment_id} --force"
                )
            if row.status != "finished":
                row.status = "running"
                row.owner = _owner()
                row.updated_at = datetime.now(UTC)
            s.commit()
        return self.get_experiment(experiment_id)

    def finish_experiment(
        self,
        experiment_id: int,
        summary: Mapping[str, Any],
        plots: Mapping[str, bytes],
        prediction_score: Mapping[str, Any] | None = None,
    ) -> list[Path]:
        """Mark experiment *experiment_id* finished with its summary, plots and scored
        prediction, completely or not at all (the plot files as in :meth:`record_run`).

        Finishing again (after a resume) replaces the summary, the plots and the score.
        Returns the plot files' paths.
        """
        _check_id(experiment_id, "experiment")
        table = json_object(summary, "summary")
        score = None if prediction_score is None else json_object(prediction_score, "score")
        files = _plot_files(plots)
        with self._database_errors("read"), self._session() as s:
            uid = self._require_experiment(s, experiment_id).uid
        folder = self._experiments_dir()
        final_dir, partial_dir = folder / uid, folder / f"{uid}.partial"
        old_dir = folder / f"{uid}.old"
        try:
            shutil.rmtree(partial_dir, ignore_errors=True)
            for name, content in files.items():
                partial_dir.mkdir(exist_ok=True)
                (partial_dir / name).write_bytes(content)
            with self._database_errors("finish the experiment in"), self._session(write=True) as s:
                row = self._require_experiment(s, experiment_id)
                now = datetime.now(UTC)
                row.status = "finished"
                row.summary = table
                row.plot_names = sorted(files)
                row.updated_at = now
                if score is not None:
                    guess = s.scalar(
                        select(PredictionRow).where(PredictionRow.experiment_id == experiment_id)
                    )
                    if guess is not None:
                        _score_prediction(guess, score, now)
                s.flush()
                if final_dir.exists():
                    final_dir.rename(old_dir)  # back in place if the commit fails
                if files:
                    partial_dir.rename(final_dir)
                s.commit()
            shutil.rmtree(old_dir, ignore_errors=True)
        except BaseException as exc:
            shutil.rmtree(partial_dir, ignore_errors=True)
            if old_dir.exists():
                shutil.rmtree(final_dir, ignore_errors=True)
                old_dir.rename(final_dir)
            if isinstance(exc, OSError):
                raise JournalError(
                    f"Could not save the experiment's plots in {folder}: {exc}. Its points "
                    "are kept. Check the free space and that you may write there."
                ) from exc
            raise
        return [final_dir / name for name in sorted(files)]

    def get_experiment(self, experiment_id: int) -> ExperimentEntry:
        """Return experiment *experiment_id* with its points and prediction."""
        _check_id(experiment_id, "experiment")
        with self._database_errors("read"), self._session() as s:
            row = self._require_experiment(s, experiment_id)
            points = s.scalars(
                select(ExperimentPointRow)
                .where(ExperimentPointRow.experiment_id == experiment_id)
                .order_by(ExperimentPointRow.position)
            ).all()
            guess = s.scalar(
                select(PredictionRow).where(PredictionRow.experiment_id == experiment_id)
            )
        points_ = [_point_entry(p) for p in points]
        return _experiment_entry(row, points_, guess, len(points), self._experiments_dir())

    def list_experiments(self, limit: int | None = 50) -> list[ExperimentEntry]:
        """Return experiments, newest first (without their points; ``n_points`` counts them)."""
        if limit is not None and limit < 0:
            raise InputError(f"limit must be 0 or more, or None for all; got {limit}.")
        query = select(ExperimentRow).order_by(
            ExperimentRow.created_at.desc(), ExperimentRow.id.desc()
        )
        if limit is not None:
            query = query.limit(limit)
        counts = select(ExperimentPointRow.experiment_id, func.count()).group_by(
            ExperimentPointRow.experiment_id
        )
        with self._database_errors("read"), self._session() as s:
            rows = s.scalars(query).all()
            n_points: dict[int, int] = {row[0]: row[1] for row in s.execute(counts).all()}
            guesses = {
                g.experiment_id: g
                for g in s.scalars(
                    select(PredictionRow).where(
                        PredictionRow.experiment_id.in_([r.id for r in rows])
                    )
                ).all()
            }
        folder = self._experiments_dir()
        return [
            _experiment_entry(r, [], guesses.get(r.id), n_points.get(r.id, 0), folder) for r in rows
        ]

    def predictions(self) -> list[PredictionEntry]:
        """Every prediction, oldest first."""
        query = select(PredictionRow).order_by(PredictionRow.created_at, PredictionRow.id)
        with self._database_errors("read"), self._session() as s:
            rows = s.scalars(query).all()
        return [_prediction_entry(r) for r in rows]

    def _experiments_dir(self) -> Path:
        """Where experiment plots live: ``experiments/`` beside the runs' plot folder."""
        folder = self.plots_dir.parent / "experiments"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _require_experiment(self, session: Session, experiment_id: int) -> ExperimentRow:
        row = session.get(ExperimentRow, experiment_id)
        if row is None:
            raise NotFoundError(
                f"No experiment with id {experiment_id} in the journal at {self.display_url}. "
                "List them with: tinkerlab journal experiments"
            )
        return row

    # --- analyses (tinkerlab feedback) -----------------------------------------------------

    def record_analysis(
        self,
        kind: str,
        dataset: str,
        summary: Mapping[str, Any],
        files: Mapping[str, bytes] | None = None,
    ) -> AnalysisEntry:
        """Record an analysis of a dataset and its files, completely or not at all.

        Parameters
        ----------
        kind : str
            What analysed the data, e.g. ``"feedback"``.
        dataset : str
            The dataset's name.
        summary : mapping
            The findings, JSON-able (a report's ``to_dict()``).
        files : mapping of str to bytes, optional
            Plain file names and their content, e.g. ``{"feedback.html": b"<!DOCTYPE..."}``:
            written to ``<analyses dir>/<uid>/`` with the row, as a run's plots are.

        Returns
        -------
        AnalysisEntry
            The analysis as stored, with its new ``id`` and its files' paths.

        Examples
        --------
        >>> from tinkerlab.journal import Journal
        >>> with Journal("sqlite://") as journal:
        ...     journal.record_analysis("feedback", "reviews", {"headline": "5 themes"}).kind
        'feedback'
        """
        kind = _text(kind, "kind").strip()
        if not kind:
            raise InputError("An analysis needs a kind, such as 'feedback'; got an empty one.")
        row = AnalysisRow(
            uid=uuid.uuid4().hex,
            created_at=datetime.now(UTC),
            kind=kind,
            dataset=_text(dataset, "dataset"),
            summary=json_object(summary, "summary"),
            file_names=[],
            tinkerlab_version=_tinkerlab_version(),
        )
        contents = _plot_files(files or {})  # plain names and bytes, checked first
        row.file_names = sorted(contents)
        folder = self._analyses_dir()
        self._add_with_files(
            row, contents, folder, action="record the analysis in", what="the analysis's files"
        )
        return _analysis_entry(row, folder)

    def analyses(
        self, kind: str | None = None, *, dataset: str | None = None, limit: int | None = 50
    ) -> list[AnalysisEntry]:
        """Return recorded analyses, newest first (of one *kind* or *dataset*, if given)."""
        if limit is not None and limit < 0:
            raise InputError(f"limit must be 0 or more, or None for all; got {limit}.")
        query = select(AnalysisRow).order_by(AnalysisRow.created_at.desc(), AnalysisRow.id.desc())
        if kind is not None:
            query = query.where(AnalysisRow.kind == kind)
        if dataset is not None:
            query = query.where(AnalysisRow.dataset == dataset)
        if limit is not None:
            query = query.limit(limit)
        with self._database_errors("read"), self._session() as session:
            rows = session.scalars(query).all()
        folder = self._analyses_dir()
        return [_analysis_entry(row, folder) for row in rows]

    def get_analysis(self, analysis_id: int) -> AnalysisEntry:
        """Return analysis *analysis_id*, or raise :class:`NotFoundError`."""
        if not isinstance(analysis_id, int) or isinstance(analysis_id, bool):
            raise InputError(
                f"An analysis id is a whole number, like 12; got {analysis_id!r}. List the "
                "analyses and their ids with: tinkerlab journal analyses"
            )
        with self._database_errors("read"), self._session() as session:
            row = session.get(AnalysisRow, analysis_id)
        if row is None:
            raise NotFoundError(
                f"No analysis with id {analysis_id} in the journal at {self.display_url}. "
                "List them with: tinkerlab journal analyses"
            )
        return _analysis_entry(row, self._analyses_dir())

    def _analyses_dir(self) -> Path:
        """Where analyses' files live: ``analyses/`` beside the runs' plot folder."""
        folder = self.plots_dir.parent / "analyses"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    # --- opening and closing ---------------------------------------------------------------

    def _add_with_files(
        self, row: Any, files: Mapping[str, bytes], folder: Path, *, action: str, what: str
    ) -> None:
        """Add *row* and write *files* to ``folder/<row.uid>/``, completely or not at all.

        The files go to ``<uid>.partial/`` first and are renamed into place inside the
        transaction, just before the commit: a crash leaves either both or neither.
        """
        final_dir, partial_dir = folder / row.uid, folder / f"{row.uid}.partial"
        try:
            for name, content in files.items():
                partial_dir.mkdir(exist_ok=True)
                (partial_dir / name).write_bytes(content)
            with self._database_errors(action), self._session(write=True) as session:
                session.add(row)
                session.flush()  # the database gives the row its id; still uncommitted
                if files:
                    partial_dir.rename(final_dir)  # the files appear only with the row...
                session.commit()  # ...and this is the moment both become real
        except BaseException as exc:
            # Leaving the session block rolled the row back; the files must go too.
            shutil.rmtree(partial_dir, ignore_errors=True)
            shutil.rmtree(final_dir, ignore_errors=True)
            if isinstance(exc, OSError):
                raise JournalError(
                    f"Could not save {what} in {folder}: {exc}. Nothing was recorded. Check "
                    "the free space and that you may write there (TINKERLAB_HOME moves it)."
                ) from exc
            raise

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


def _run_filter(query: Any, dataset: str | None, model: str | None, search: str | None) -> Any:
    """*query* narrowed to runs on *dataset*, of *model*, whose names contain *search*."""
    if dataset is not None:
        query = query.where(RunRow.dataset == dataset)
    if model is not None:
        query = query.where(RunRow.model == model)
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            RunRow.dataset.ilike(pattern, escape="\\") | RunRow.model.ilike(pattern, escape="\\")
        )
    return query


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


def _question_entry(row: QuestionRow, cards_read: tuple[str, ...]) -> QuestionEntry:
    return QuestionEntry(
        id=row.id,
        run_id=row.run_id,
        created_at=row.created_at,
        text=row.text,
        experiment_id=row.experiment_id,
        cards=tuple(row.cards or ()),
        cards_read=cards_read,
    )


def _analysis_entry(row: AnalysisRow, folder: Path) -> AnalysisEntry:
    files_dir = folder / row.uid if row.file_names else None
    return AnalysisEntry(
        id=row.id,
        uid=row.uid,
        created_at=row.created_at,
        kind=row.kind,
        dataset=row.dataset,
        summary=row.summary,
        tinkerlab_version=row.tinkerlab_version,
        files_dir=files_dir,
        file_paths=[files_dir / name for name in row.file_names] if files_dir else [],
    )


def _unlock_entry(row: UnlockRow) -> UnlockEntry:
    return UnlockEntry(
        card_id=row.card_id, trigger=row.trigger, source=row.source, unlocked_at=row.unlocked_at
    )


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


def _check_id(run_id: object, what: str = "run") -> None:
    if not isinstance(run_id, int) or isinstance(run_id, bool):
        listing = "tinkerlab journal" if what == "run" else f"tinkerlab journal {what}s"
        article = "An" if what[0] in "aeiou" else "A"
        raise InputError(
            f"{article} {what} id is a whole number, like 12; got {run_id!r}. "
            f"List the {what}s and their ids with: {listing}"
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


# --- experiments: from plain data to rows, and from rows to entries -------------------------

#: The statuses an experiment can have.
EXPERIMENT_STATUSES = ("running", "finished", "interrupted", "failed")


def _owner() -> dict[str, Any]:
    """Who runs an experiment: this machine and process."""
    import os
    import socket

    return {"host": socket.gethostname(), "pid": os.getpid()}


def _owner_alive(owner: Mapping[str, Any]) -> bool | None:
    """Whether the process that runs an experiment is alive: None when it cannot be known
    (another machine). A process that ended without a word (kill -9) reads False."""
    import os
    import socket

    if owner.get("host") != socket.gethostname():
        return None
    pid = owner.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def _experiment_entry(
    row: ExperimentRow,
    points: list[PointEntry],
    guess: PredictionRow | None,
    n_points: int,
    folder: Path,
) -> ExperimentEntry:
    status = row.status
    if status == "running" and _owner_alive(row.owner) is False:
        status = "interrupted"  # its process is gone (killed): what it finished is kept
    plots_dir = folder / row.uid if row.plot_names else None
    return ExperimentEntry(
        id=row.id,
        uid=row.uid,
        created_at=row.created_at,
        updated_at=row.updated_at,
        status=status,
        dataset=row.dataset,
        task=row.task,
        model=row.model,
        knob=row.knob,
        knob_kind=row.knob_kind,
        spec=row.spec,
        summary=row.summary,
        notices=row.notices,
        owner=row.owner,
        tinkerlab_version=row.tinkerlab_version,
        n_points=n_points,
        points=points,
        prediction=None if guess is None else _prediction_entry(guess),
        plots_dir=plots_dir,
        plot_paths=[plots_dir / name for name in row.plot_names] if plots_dir else [],
    )


def _point_entry(row: ExperimentPointRow) -> PointEntry:
    return PointEntry(
        position=row.position,
        value=row.value,
        label=row.label,
        train=row.train,
        test=row.test,
        fit_time=row.fit_time,
        n_train=row.n_train,
        n_test=row.n_test,
        notices=row.notices,
        created_at=row.created_at,
    )


def _prediction_row(
    prediction: Mapping[str, Any], experiment: ExperimentRow, now: datetime
) -> PredictionRow:
    shape = prediction.get("shape")
    if shape is not None and not isinstance(shape, str):
        raise InputError(f"prediction['shape'] must be a string or None; got {shape!r:.60}.")
    score = prediction.get("best_score")
    return PredictionRow(
        created_at=now,
        dataset=experiment.dataset,
        knob=experiment.knob,
        knob_kind=experiment.knob_kind,
        shape=shape,
        best_value=to_json(prediction.get("best_value"), "prediction['best_value']"),
        best_score=None if score is None else _number(score, "prediction['best_score']"),
    )


def _score_prediction(row: PredictionRow, score: Mapping[str, Any], now: datetime) -> None:
    row.scored_at = now
    row.observed_shape = _optional(score.get("observed_shape"), str)
    row.shape_hit = _optional(score.get("shape_hit"), bool)
    row.best_hit = _optional(score.get("best_hit"), bool)
    row.best_closeness = _optional(score.get("best_closeness"), float)
    row.score_error = _optional(score.get("score_error"), float)
    row.score_in_interval = _optional(score.get("score_in_interval"), bool)


def _prediction_entry(row: PredictionRow) -> PredictionEntry:
    return PredictionEntry(
        id=row.id,
        experiment_id=row.experiment_id,
        created_at=row.created_at,
        dataset=row.dataset,
        knob=row.knob,
        knob_kind=row.knob_kind,
        shape=row.shape,
        best_value=row.best_value,
        best_score=row.best_score,
        scored_at=row.scored_at,
        observed_shape=row.observed_shape,
        shape_hit=row.shape_hit,
        best_hit=row.best_hit,
        best_closeness=row.best_closeness,
        score_error=row.score_error,
        score_in_interval=row.score_in_interval,
    )


def _optional(value: Any, kind: type) -> Any:
    if value is None:
        return None
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if kind is str and isinstance(value, str):
        return value
    if kind is bool and isinstance(value, bool):
        return value
    raise InputError(f"A prediction score must be a {kind.__name__} or None; got {value!r:.60}.")


def _fold_scores(value: object, where: str) -> dict[str, Any]:
    """``{"accuracy": [0.8, 0.82, ...]}``: numbers per fold; NaN is stored as null."""
    table = json_object(value, where)
    for metric, scores in table.items():
        ok = isinstance(scores, list) and all(
            s is None or (isinstance(s, int | float) and not isinstance(s, bool)) for s in scores
        )
        if not ok:
            raise InputError(
                f"{where}[{metric!r}] must be a list of scores, one per fold; got {scores!r:.60}."
            )
    return table


def _strings(value: object, where: str) -> list[str]:
    converted = to_json(value, where)
    if not isinstance(converted, list) or not all(isinstance(v, str) for v in converted):
        raise InputError(f"{where} must be a list of strings; got {value!r:.80}.")
    return [str(v) for v in converted]


def _number(value: object, where: str) -> float:
    converted = to_json(value, where)
    if not isinstance(converted, int | float) or isinstance(converted, bool):
        raise InputError(f"{where} must be a finite number; got {value!r:.60}.")
    return float(converted)


def _integer(value: object, where: str) -> int:
    converted = to_json(value, where)
    if not isinstance(converted, int) or isinstance(converted, bool):
        raise InputError(f"{where} must be a whole number; got {value!r:.60}.")
    return converted


def _plot_files(plots: Mapping[str, bytes] | Sequence[Any]) -> dict[str, bytes]:
    """The plots after checking each is a plain file name with bytes (as for a run)."""

    class _Holder:
        def __init__(self, plots: Any) -> None:
            self.plots = plots

    return _plots(_Holder(plots))  # type: ignore[arg-type]
