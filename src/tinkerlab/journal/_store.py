"""The Journal: one object to record runs, experiments, notes and more, and read them back.

:class:`Journal` is a facade. Each kind of record has its own module, which says what is
stored and how it reads back; the journal opens the database and hands it to them:

==================  =========================================================
``_runs.py``        runs and their plots
``_experiments.py`` experiments and their points (with ``_owner.py``: who runs one)
``_predictions.py`` the predictions made before experiments, and their scores
``_notes.py``       notes about runs and experiments, and questions
``_cards.py``       theory cards read and unlocked
``_analyses.py``    analyses that are not runs (``tinkerlab feedback``)
``_path.py``        the learning path: labs done, the understanding test's answers
==================  =========================================================

What they share is said once: ``_database.py`` (sessions, errors, folders), ``_checks.py``
(the values accepted), ``_files.py`` (files beside a row, all or nothing) and
``_entries.to_entry`` (from a row to what a caller gets).

Every public method is one database transaction, so it happens completely or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

from tinkerlab.journal import (
    _analyses,
    _cards,
    _experiments,
    _notes,
    _path,
    _predictions,
    _runs,
)
from tinkerlab.journal._database import Database
from tinkerlab.journal._entries import (
    AnalysisEntry,
    AnswerEntry,
    ExperimentEntry,
    ExperimentNoteEntry,
    LabDoneEntry,
    NoteEntry,
    PredictionEntry,
    QuestionEntry,
    RunEntry,
    RunLike,
    UnlockEntry,
)
from tinkerlab.journal._owner import Heartbeat


class Journal:
    """The durable record of runs, experiments, notes and questions, in SQLite or PostgreSQL.

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
    plots_dir : Path
        The folder of the runs' plots (``runs/``); experiments' and analyses' files live
        beside it, in ``experiments/`` and ``analyses/``.

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
        self._db = Database(url)
        self.url: str = self._db.url
        self.display_url: str = self._db.display_url
        self.plots_dir: Path = self._db.plots_dir
        # While this journal runs experiments, a thread tells other processes it is alive.
        # (An in-memory journal has no other reader: it needs none.)
        beat = None if self._db.in_memory else partial(_experiments.beat, self._db)
        self._heartbeat = Heartbeat(beat)

    # --- runs ------------------------------------------------------------------------------

    def record_run(self, run: RunLike) -> RunEntry:
        """Record *run* and its plots, completely or not at all.

        The plots are written to ``runs/<uid>.partial/``, renamed to ``runs/<uid>/`` inside
        the transaction and removed again if anything fails, the commit included.

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
        return _runs.record_run(self._db, run)

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
        return _runs.list_runs(self._db, limit, dataset, offset=offset, model=model, search=search)

    def get_run(self, run_id: int) -> RunEntry:
        """Return the run with id *run_id*, or raise :class:`NotFoundError`."""
        return _runs.get_run(self._db, run_id)

    def count_runs(
        self, dataset: str | None = None, *, model: str | None = None, search: str | None = None
    ) -> int:
        """Return how many runs the journal holds (those :meth:`list_runs` would list with
        the same filters)."""
        return _runs.count_runs(self._db, dataset, model, search)

    # --- notes and questions ---------------------------------------------------------------

    def add_note(self, run_id: int, text: str) -> NoteEntry:
        """Write a note about run *run_id*, e.g. "accuracy fell when I dropped Age"."""
        return _notes.add_note(self._db, run_id, text)

    def notes(self, run_id: int) -> list[NoteEntry]:
        """Return the notes about run *run_id*, oldest first."""
        return _notes.notes(self._db, run_id)

    def add_experiment_note(self, experiment_id: int, text: str) -> ExperimentNoteEntry:
        """Write a note about experiment *experiment_id*, e.g. "the curve turns at depth 5"."""
        return _notes.add_experiment_note(self._db, experiment_id, text)

    def experiment_notes(self, experiment_id: int) -> list[ExperimentNoteEntry]:
        """Return the notes about experiment *experiment_id*, oldest first."""
        return _notes.experiment_notes(self._db, experiment_id)

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
        return _notes.add_question(self._db, text, run_id, experiment_id, cards)

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
        return _notes.questions(self._db, run_id, experiment_id, open_only)

    # --- theory cards read and unlocked ----------------------------------------------------

    def record_card_read(self, card_id: str) -> None:
        """Note that the learner opened card *card_id* (``tinkerlab theory ID``)."""
        _cards.record_card_read(self._db, card_id)

    def cards_read(self) -> dict[str, int]:
        """How many times each card has been read."""
        return _cards.cards_read(self._db)

    def record_unlocks(self, unlocks: Sequence[tuple[str, str, str]]) -> list[UnlockEntry]:
        """Record cards unlocked as ``(card_id, trigger, source)``; return the new ones.

        A card already recorded keeps its first unlock: recording it again changes nothing.
        """
        return _cards.record_unlocks(self._db, unlocks)

    def unlocks(self) -> list[UnlockEntry]:
        """Every card unlocked so far, in the order they were unlocked."""
        return _cards.unlocks(self._db)

    # --- experiments and predictions -------------------------------------------------------

    def start_experiment(
        self, experiment: Mapping[str, Any], prediction: Mapping[str, Any] | None = None
    ) -> int:
        """Record a new experiment, running in this process, and the prediction made
        before it; its id. Until it ends, this process writes its heartbeat.

        Parameters
        ----------
        experiment : mapping
            ``dataset``, ``task``, ``model``, ``knob``, ``knob_kind`` (strings), ``spec``
            (a JSON-able dict: enough to plan the sweep again) and ``notices``.
        prediction : mapping, optional
            ``shape``, ``best_value``, ``best_score`` (each may be None).
        """
        return _experiments.start_experiment(self._db, self._heartbeat, experiment, prediction)

    def record_point(self, experiment_id: int, point: Mapping[str, Any]) -> None:
        """Commit one finished point of experiment *experiment_id* (once: a point already
        recorded at the same position is left as it is).

        *point* holds ``position``, ``value``, ``label``, ``train`` and ``test`` (metric ->
        score per fold), ``fit_time``, ``n_train``, ``n_test`` and ``notices``.
        """
        _experiments.record_point(self._db, experiment_id, point)

    def mark_experiment(self, experiment_id: int, status: str) -> None:
        """Set the status of experiment *experiment_id*: running, interrupted or failed."""
        _experiments.mark_experiment(self._db, self._heartbeat, experiment_id, status)

    def claim_experiment(self, experiment_id: int, *, force: bool = False) -> ExperimentEntry:
        """Take experiment *experiment_id* over to resume it: it becomes running, owned by
        this process. Refused while another live process runs it; ``force`` overrides,
        for a process on another machine known to be gone before its heartbeat is stale."""
        return _experiments.claim_experiment(self._db, self._heartbeat, experiment_id, force)

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
        return _experiments.finish_experiment(
            self._db, self._heartbeat, experiment_id, summary, plots, prediction_score
        )

    def get_experiment(self, experiment_id: int) -> ExperimentEntry:
        """Return experiment *experiment_id* with its points and prediction.

        A running experiment whose process is gone (killed) reads ``interrupted``.
        """
        return _experiments.get_experiment(self._db, experiment_id)

    def list_experiments(self, limit: int | None = 50) -> list[ExperimentEntry]:
        """Return experiments, newest first (without their points; ``n_points`` counts them)."""
        return _experiments.list_experiments(self._db, limit)

    def predictions(self) -> list[PredictionEntry]:
        """Every prediction, oldest first (what they add up to:
        :func:`tinkerlab.experiment.summarize_predictions`)."""
        return _predictions.predictions(self._db)

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
        return _analyses.record_analysis(self._db, kind, dataset, summary, files)

    def analyses(
        self, kind: str | None = None, *, dataset: str | None = None, limit: int | None = 50
    ) -> list[AnalysisEntry]:
        """Return recorded analyses, newest first (of one *kind* or *dataset*, if given)."""
        return _analyses.analyses(self._db, kind, dataset, limit)

    def get_analysis(self, analysis_id: int) -> AnalysisEntry:
        """Return analysis *analysis_id*, or raise :class:`NotFoundError`."""
        return _analyses.get_analysis(self._db, analysis_id)

    # --- the learning path: labs done, the understanding test ------------------------------

    def record_lab_done(self, lab_id: str, evidence: Sequence[str] = ()) -> LabDoneEntry:
        """Record that lab *lab_id*'s check passed, with what it found (in words).

        A lab already recorded keeps its first pass: recording it again changes nothing.
        """
        return _path.record_lab_done(self._db, lab_id, evidence)

    def labs_done(self) -> list[LabDoneEntry]:
        """The labs whose check has passed, in the order they first passed."""
        return _path.labs_done(self._db)

    def record_answer(
        self,
        kind: str,
        question: Mapping[str, Any],
        answer: str,
        expected: str,
        correct: bool | None,
        experiment_id: int | None = None,
    ) -> AnswerEntry:
        """Record one scored answer of the understanding test (``tinkerlab path test``).

        Parameters
        ----------
        kind : {"predict", "explain"}
            A curve's shape predicted before the run, or a finding explained.
        question : mapping
            What was asked (JSON-able): the experiment planned, or the finding and choices.
        answer, expected : str
            The learner's answer, and what was observed (shape or phenomenon).
        correct : bool or None
            None when the curve was too noisy to score.
        experiment_id : int, optional
            The experiment the question ran or was about (which must exist).
        """
        return _path.record_answer(
            self._db, kind, question, answer, expected, correct, experiment_id
        )

    def answers(self) -> list[AnswerEntry]:
        """Every answer of the understanding test, oldest first."""
        return _path.answers(self._db)

    # --- opening and closing ---------------------------------------------------------------

    def close(self) -> None:
        """Close the journal's connections; using it afterwards raises :class:`JournalError`.

        Experiments still running in this process stop sending their heartbeat.
        """
        self._heartbeat.stop()
        self._db.close()

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
