"""The Python API: the same verbs as the command line, returning objects.

The command line is a thin layer over these functions, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab._api_search import search as search  # tl.search, in its own room
from tinkerlab._api_search import search_settled as search_settled
from tinkerlab.options import declared

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.data import Dataset, DatasetInfo
    from tinkerlab.data._fingerprint import ReadProgress
    from tinkerlab.experiment import Ask, Comparison, Experiment, SweepProgress
    from tinkerlab.experiment._compare import CompareProgress
    from tinkerlab.feedback_analysis import FeedbackReport
    from tinkerlab.journal import Journal
    from tinkerlab.options import Settings
    from tinkerlab.recipe import Recipe
    from tinkerlab.report import Look
    from tinkerlab.runner import Progress, Run


def datasets() -> list[DatasetInfo]:
    """The built-in datasets: name, description, rows, columns, task, target, source, licence."""
    from tinkerlab.data import list_datasets

    return list_datasets()


def load(
    source: str | Path | pd.DataFrame,
    *,
    target: str | None = None,
    task: str | None = None,
    drop: Iterable[str] = (),
    text: Iterable[str] = (),
    categorical: Iterable[str] = (),
    numeric: Iterable[str] = (),
    **read_options: Any,
) -> Dataset:
    """Load a built-in dataset by name, a file (CSV, Parquet, JSON lines, Excel) or a frame.

    Schema inference gives every column a role and says why (``dataset.columns``,
    ``dataset.notices``); each decision can be overridden with the keyword arguments.

    >>> load("titanic").target
    'survived'
    """
    from tinkerlab.data import load as load_data

    return load_data(
        source,
        target=target,
        task=task,
        drop=tuple(drop),
        text=tuple(text),
        categorical=tuple(categorical),
        numeric=tuple(numeric),
        **read_options,
    )


@declared("run")
def run(
    dataset: str | Path | pd.DataFrame | Dataset | Recipe,
    *,
    progress: Progress | None = None,
    **options: Any,
) -> Run:
    """Train and evaluate a model on a dataset, beside a dummy baseline; record it.

    Parameters
    ----------
    dataset : str, path, DataFrame, Dataset or Recipe
        A built-in name (``"titanic"``; see :func:`datasets`), a file, or a table; or a
        stored :class:`~tinkerlab.recipe.Recipe` to run again exactly as it says.
    {options}
    progress : callable, optional
        Called with the name of each step as it starts (the command line's bar).

    Every option is declared once in :mod:`tinkerlab.options` (the command line's flags
    are the same options); a bad value raises :class:`~tinkerlab.exceptions.InputError`
    before anything runs.

    Returns
    -------
    Run
        ``run.metrics``, ``run.pipeline``, ``run.script()``, ``run.recipe``; renders as
        HTML in Jupyter.

    Examples
    --------
    >>> r = run("iris", model="knn", params={"n_neighbors": 3}, record=False)
    >>> sorted(r.metrics)[:2]
    ['accuracy', 'balanced_accuracy']
    """
    from tinkerlab.options import settle

    return run_settled(settle("run", {"dataset": dataset, **options}), progress=progress)


def run_settled(
    settings: Settings,
    *,
    progress: Progress | None = None,
    source: Any = None,
    reading: ReadProgress | None = None,
    on_scores: Callable[[Run], None] | None = None,
) -> Run:
    """:func:`run` with its options already settled (the command line and the web lab
    settle typed text first); *source* replaces ``settings.dataset`` (a Recipe read from
    a file); *reading* is told how far reading a data file got (bytes); *on_scores* is
    handed the run as soon as its scores are known, before it is explained, drawn and
    recorded (the command line prints the numbers then)."""
    import os
    import time

    from tinkerlab.recipe import Recipe, check_replay, load_recipe_data, load_settled, recipe_for
    from tinkerlab.runner import execute

    source = settings.dataset if source is None else source
    # A journal named by URL is opened first: a bad URL should fail before minutes of
    # training. The default one (a SQLite file in TINKERLAB_HOME) is opened once the
    # numbers are known: opening it (SQLAlchemy, the schema check) is not on their path.
    named = settings.db is not None or bool(os.environ.get("TINKERLAB_DB"))
    store = open_journal(settings.db) if settings.record and named else None
    try:
        tick = time.perf_counter()
        if isinstance(source, Recipe):
            check_replay(settings)
            recipe, data = source, load_recipe_data(source)
        else:
            data = load_settled(settings, source, reading)
            recipe = recipe_for(data, settings)
        load_time = time.perf_counter() - tick
        result = execute(recipe, data, progress=progress, on_scores=on_scores)
        result.timings["load"] = load_time
        from tinkerlab.insight import detect_run  # after the numbers, as the journal

        if settings.record and store is None:
            store = open_journal(settings.db)
        result.phenomena = detect_run(result, data.frame)
        result.summary["phenomena"] = [f.to_dict() for f in result.phenomena]
        if store is not None:
            entry = store.record_run(result)
            result.id = entry.id
            # Where the plots will be: each is drawn there when first asked for.
            folder = entry.plots_dir
            result.plot_paths = [folder / n for n in entry.plot_names] if folder else []
            result.unlocked = record_unlocks(store)
    finally:
        if store is not None:
            store.close()
    return result


def open_journal(db: str | None = None) -> Journal:
    """Open the journal: every run, note and question so far (a context manager)."""
    from tinkerlab.journal import Journal

    return Journal(db)


@declared("tinker")
def tinker(
    dataset: str | Path | pd.DataFrame | Dataset | None = None,
    knob: str | None = None,
    values: Iterable[Any] | str | None = None,
    *,
    progress: SweepProgress | None = None,
    ask: Ask | None = None,
    **options: Any,
) -> Experiment:
    """Change one knob over a range of values, predicting first; record it as it runs.

    Each finished value is committed to the journal at once, so an interrupted
    experiment can be finished with ``resume=ID``.

    Parameters
    ----------
    dataset : str, path, DataFrame or Dataset
        A built-in name (``"titanic"``), a file, or a table.
    knob : str
        A parameter of the model (``"max_depth"``) or a special knob: ``train_size``,
        ``features``, ``model``, ``seed``, ``label_noise``, ``feature_noise``,
        ``scaling``, ``text_features``, ``test_size`` (see ``docs/tinker.md``).
    values : iterable or str, optional
        The values (``range(1, 21)``, ``[0.1, 1, 10]``, ``"1,3,5"``); a string ``"a:b"``
        is a range. Default: the knob's default sweep.
    {options}
    progress : callable, optional
        ``progress(fits_done, fits_total, what)`` as fits finish.
    ask : callable, optional
        Called with the planned sweep before anything runs, when no prediction was
        given: returns the learner's prediction (the command line's prompt).

    Examples
    --------
    >>> ex = tinker("iris", "n_neighbors", [1, 5, 25], model="knn", repeats=1, record=False)
    >>> ex.best in (1, 5, 25)
    True
    """
    from tinkerlab.options import settle

    given = {"dataset": dataset, "knob": knob, "values": values, **options}
    return tinker_settled(settle("tinker", given), progress=progress, ask=ask)


def tinker_settled(
    settings: Settings,
    *,
    progress: SweepProgress | None = None,
    ask: Ask | None = None,
    journal: Journal | None = None,
) -> Experiment:
    """:func:`tinker` with its options already settled.

    *journal* records it into a journal already open (the web lab's, which watches the
    experiment start) instead of opening ``settings.db``; it is left open.
    """
    from tinkerlab import experiment
    from tinkerlab.insight import detect

    if settings.resume is not None:
        return _resume(settings, progress)
    if not settings.record:
        return experiment.tinker_settled(settings, progress=progress, ask=ask, detect=detect)
    if journal is not None:
        result = experiment.tinker_settled(
            settings, store=journal, progress=progress, ask=ask, detect=detect
        )
        result.unlocked = record_unlocks(journal)
        return result
    # Open the journal first: a bad database URL should fail before minutes of fitting.
    with open_journal(settings.db) as store:
        return tinker_settled(settings, progress=progress, ask=ask, journal=store)


def _resume(settings: Settings, progress: SweepProgress | None) -> Experiment:
    """Finish experiment ``settings.resume``: only the values it lacks are fitted."""
    from tinkerlab import experiment
    from tinkerlab.exceptions import InputError
    from tinkerlab.insight import detect

    number = settings.resume
    if not settings.record:
        raise InputError("Resuming reads and writes the journal; it cannot run unrecorded.")
    with open_journal(settings.db) as store:
        kind = store.get_experiment(number).spec.get("kind")
        if kind == "compare":
            raise InputError(
                f"Experiment #{number} is a model comparison (tinkerlab compare), which "
                "runs within a time budget and cannot be resumed. Fix: run the "
                "comparison again, e.g. tinkerlab compare DATASET --budget 60"
            )
        if kind == "search":
            raise InputError(
                f"Experiment #{number} is a search (tinkerlab search), which races all its "
                "settings at once and cannot be resumed. Fix: run the search again, e.g. "
                "tinkerlab search DATASET --model svm --knob C=0.1:100"
            )
        stored = store.claim_experiment(number, force=settings.force)
        try:
            result = experiment.resume(
                stored,
                store=store,
                cluster=settings.cluster,
                n_jobs=settings.n_jobs,
                progress=progress,
                detect=detect,
                fast=settings.fast,
            )
            result.unlocked = record_unlocks(store)
            return result
        except BaseException:
            # e.g. its data file is gone: it is not running now
            running = store.get_experiment(number).status == "running"
            if stored.status != "finished" and running:
                store.mark_experiment(number, "interrupted")
            raise


def record_unlocks(journal: Journal) -> list[str]:
    """Record the cards the journal's work has unlocked so far; the ids of the new ones."""
    from tinkerlab.insight import unlocked_cards

    unlocked = unlocked_cards(journal)
    fresh = journal.record_unlocks(
        [(card, trigger, where) for card, (trigger, where) in unlocked.items()]
    )
    return [u.card_id for u in fresh]


@declared("compare")
def compare(
    dataset: str | Path | pd.DataFrame | Dataset,
    *,
    progress: CompareProgress | None = None,
    **options: Any,
) -> Comparison:
    """Every registry model suited to the task, on the same folds, within a time budget.

    Parameters
    ----------
    dataset : str, path, DataFrame or Dataset
        A built-in name, a file, a table, or a loaded :class:`~tinkerlab.data.Dataset`.
    {options}
    progress : callable, optional
        Called as ``progress(fits_done, fits_in_all, what)``.

    Returns
    -------
    Comparison
        The leaderboard; ``.best``, ``.frame``, ``.plot()``, ``.to_dict()``; recorded in
        the journal as an experiment with knob ``model`` (``board.id``).

    >>> board = compare("iris", budget=30, record=False)  # doctest: +SKIP
    >>> board.best  # doctest: +SKIP
    'svm'
    """
    from tinkerlab.options import settle

    return compare_settled(settle("compare", {"dataset": dataset, **options}), progress=progress)


def compare_settled(
    settings: Settings,
    *,
    progress: CompareProgress | None = None,
    journal: Journal | None = None,
) -> Comparison:
    """:func:`compare` with its options already settled; *journal* as in
    :func:`tinker_settled` (a journal already open, left open)."""
    from tinkerlab.experiment import compare_settled as run_comparison

    if not settings.record:
        return run_comparison(settings, progress=progress)
    if journal is not None:
        return run_comparison(settings, store=journal, progress=progress)
    with open_journal(settings.db) as store:
        return run_comparison(settings, store=store, progress=progress)


def explain(subject: Any, *, db: str | None = None) -> list[Any]:
    """The phenomena an experiment or a run shows, most confident first.

    *subject* is an :class:`~tinkerlab.experiment.Experiment` or a
    :class:`~tinkerlab.runner.Run` (already explained: their ``phenomena``), or an
    experiment's id in the journal, whose stored numbers the detectors read again.

    >>> ex = tinker("iris", "n_neighbors", [1, 5, 25], model="knn", repeats=1, record=False)
    >>> [f.id for f in explain(ex)] == [f.id for f in ex.phenomena]
    True
    """
    from tinkerlab.insight import detect

    if isinstance(subject, int) and not isinstance(subject, bool):
        with open_journal(db) as store:
            return explain_record(store, experiment_id=subject)[0]
    from tinkerlab.experiment import Experiment

    if isinstance(subject, Experiment):
        return detect(subject)
    from tinkerlab.runner import Run

    if isinstance(subject, Run):
        return list(subject.phenomena)
    from tinkerlab.exceptions import InputError

    raise InputError(
        f"explain takes an Experiment, a Run or an experiment id; got a "
        f"{type(subject).__name__}. Fix: tl.explain(ex), or tl.explain(17)"
    )


def explain_record(
    journal: Journal, *, experiment_id: int | None = None, run_id: int | None = None
) -> tuple[list[Any], str]:
    """The phenomena of a recorded experiment (detected again from its stored numbers) or
    run (as recorded), and what was explained ("experiment #17: max_depth on titanic")."""
    from tinkerlab.exceptions import UsageError
    from tinkerlab.insight import Finding, detect

    if run_id is not None:
        run = journal.get_run(run_id)
        stored = run.summary.get("phenomena") or []
        return [
            Finding.from_dict(f) for f in stored
        ], f"run #{run.id}: {run.model} on {run.dataset}"
    assert experiment_id is not None
    entry = journal.get_experiment(experiment_id)
    what = f"experiment #{entry.id}: {entry.knob} on {entry.dataset} ({entry.model})"
    if entry.spec.get("kind") == "search":
        raise UsageError(
            f"Experiment #{entry.id} is a search over {entry.knob}; its finding is the best "
            "setting's lead, tested in its summary. Fix: read it with "
            f"tl.open_journal().get_experiment({entry.id}).summary['verdict_text']"
        )
    comparison = entry.spec.get("kind") == "compare"  # models that ran out of time are absent
    if entry.status != "finished" or (not comparison and len(entry.points) < entry.n_values):
        raise UsageError(
            f"Experiment #{entry.id} is {entry.status} with {len(entry.points)} of "
            f"{entry.n_values} values done; the detectors need every value. Fix: tinkerlab "
            f"tinker --resume {entry.id}"
        )
    return detect(entry), what


def feedback(
    data: str | Path | pd.DataFrame | Dataset,
    text: str | None = None,
    label: str | bool | None = None,
    *,
    record: bool = True,
    db: str | None = None,
    **options: Any,
) -> FeedbackReport:
    """What customers say in a column of texts: sentiment, themes, search, duplicates.

    The analysis itself is :func:`tinkerlab.feedback_analysis.analyse_feedback` (every
    keyword it takes works here: ``themes``, ``search``, ``top``, ``sample``, ``method``,
    ``seed``, ``progress``); this opens the journal first and records the findings with
    the HTML report (``report.id``, ``report.report_path``).

    >>> report = feedback("reviews", sample=300, method="tfidf", record=False)
    >>> report.themes.k in range(2, 9), report.id
    (True, None)
    """
    from tinkerlab.exceptions import InputError
    from tinkerlab.feedback_analysis import analyse_feedback

    if label is True:
        raise InputError(
            "label=True is not a column. Fix: label='score' (a column name), label=False "
            "(no trained classifier), or leave it out."
        )
    if not record:
        return analyse_feedback(data, text, label, **options)
    # Open the journal first: a bad database URL should fail before minutes of encoding.
    with open_journal(db) as journal:
        report = analyse_feedback(data, text, label, **options)
        entry = journal.record_analysis(
            "feedback",
            report.dataset,
            report.to_dict(),
            files={"feedback.html": report.html().encode("utf-8")},
        )
        report.id = entry.id
        report.report_path = entry.file_paths[0]
    return report


def finetune(
    data: str | Path | pd.DataFrame | Dataset,
    text: str | None = None,
    label: str | None = None,
    method: str = "head",
    out: str | Path | None = None,
    *,
    max_rows: int | None = None,
    seed: int = 0,
    record: bool = True,
    db: str | None = None,
    progress: Any = None,
    **settings: Any,
) -> Any:
    """Teach MiniLM your labels: a head on frozen embeddings (fast) or the whole encoder.

    ``method="head"`` is ``run(..., model="logistic_regression", text_features="minilm")``
    on the text and label columns (CV and test scores, recorded like any run) and returns
    the :class:`~tinkerlab.runner.Run`; *out* saves it as an artifact. ``method="full"``
    trains the encoder too (:func:`tinkerlab.pretrained.finetune_encoder`; *settings* are
    :class:`~tinkerlab.pretrained.FineTuneSettings` fields) and returns its
    ``FineTuneResult``; *out* is then a directory ``tinkerlab serve`` hosts.

    >>> run = finetune("reviews", max_rows=300, record=False)  # doctest: +SKIP
    """
    from tinkerlab.data import Dataset
    from tinkerlab.exceptions import InputError
    from tinkerlab.pretrained._finetune import (
        FineTuneSettings,
        check_output,
        finetune_encoder,
        texts_and_labels,
    )

    if method not in ("head", "full"):
        raise InputError(f"method must be 'head' or 'full'. Got {method!r} instead.")
    target = Path(out).expanduser() if out is not None else None
    if target is not None:
        check_output(target)  # before minutes of training
    dataset = data if isinstance(data, Dataset) else load(data)
    text, label, texts, labels = texts_and_labels(
        dataset, text, label, max_rows=max_rows, seed=seed
    )
    if method == "full":
        options = FineTuneSettings(seed=seed, **settings)
        return finetune_encoder(texts, labels, target, options, progress=progress)
    if settings:
        raise InputError(
            f"{', '.join(sorted(settings))} only apply to method='full' (the head method is a "
            "logistic regression on frozen embeddings). Fix: leave them out, or method='full'."
        )
    import pandas as pd

    from tinkerlab.serve import save_artifact

    frame = pd.DataFrame({text: texts, label: labels})
    table = load(frame, target=label, text=(text,))
    table.name = f"{dataset.name}-{text}"
    result = run(
        table,
        model="logistic_regression",
        text_features="minilm",
        seed=seed,
        record=record,
        db=db,
        progress=progress,
    )
    if target is not None:
        save_artifact(result, target, data=table)
    return result


def look(
    data: str | Path | pd.DataFrame | Dataset,
    target: str | None = None,
    *,
    record: bool = True,
    db: str | None = None,
    **options: Any,
) -> Look:
    """Look at a dataset before modelling it: each column, the target, alerts with next steps.

    The look itself is :func:`tinkerlab.report.look` (every keyword it takes works here:
    ``seed``, ``stream``, ``progress``, ``sep``, ``encoding``...); this opens the journal
    first, records the look (kind ``"look"``) with its HTML report (``look.id``,
    ``look.report_path``), and unlocks the theory cards its alerts name
    (``look.unlocked``).

    >>> report = look("titanic", record=False)
    >>> report.target, [a.kind for a in report.alerts]
    ('survived', ['missing'])
    """
    from tinkerlab.report import look as look_at

    if not record:
        return look_at(data, target, **options)
    # Open the journal first: a bad database URL should fail before reading a big file.
    with open_journal(db) as journal:
        result = look_at(data, target, **options)
        entry = journal.record_analysis(
            "look",
            result.dataset,
            result.to_dict(),
            files={"look.html": result.html().encode("utf-8")},
        )
        result.id = entry.id
        result.report_path = entry.file_paths[0]
        result.unlocked = record_unlocks(journal)
    return result
