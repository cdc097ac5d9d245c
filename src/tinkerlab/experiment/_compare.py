"""Compare every model on the same folds, within a time budget: a leaderboard.

:func:`compare` is the whole job:

1. load the data and hold out the test split exactly as ``tinkerlab run`` does; the
   leaderboard never looks at it;
2. one recipe per registry model suited to the task (each with the preprocessing its
   model needs: scaling for distances and gradients, dense arrays where required), and
   **one set of paired folds** (repeated k-fold on the training split) for all of them,
   so every difference between two models is measured on the same rows;
3. each model runs in its **own worker process**, a few at a time (one per core, with
   BLAS/OpenMP capped so they do not fight over the cores). A model that takes longer
   than its share of the budget while other models wait, or runs past the whole budget,
   is stopped (its process killed) and reported as *timed out*: one slow model can never
   hang the comparison. A model may use more than its share while nothing else waits;
4. the **leaderboard**: mean ± std of the chosen metric over the folds, fit and predict
   times, and which models are *statistically indistinguishable from the best*: the
   corrected resampled t-test (Nadeau & Bengio 2003) of each model's fold scores against
   the best's, paired by fold, at alpha = 0.05 (one test per model, no correction for
   multiple comparisons, so ties are marked generously);
5. the best model, chosen by cross-validation, is fitted once on the whole training split
   and scored once on the held-out test split (this one fit may run over the budget);
6. with a ``store`` (the journal), the comparison is recorded as an experiment whose knob
   is ``model``: each model a point, committed as it finishes.

>>> result = compare("iris", budget=30, models=["dummy", "knn"], repeats=1, n_jobs=1)
>>> result.best
'knn'
>>> result.frame.loc[0, "model"]
'knn'
"""

from __future__ import annotations

import base64
import html
import math
import os
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tinkerlab.exceptions import RecipeError, UsageError
from tinkerlab.experiment._stats import ALPHA, METHOD, TestResult, compare_with_best
from tinkerlab.options import Settings, settle

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from tinkerlab.data import Dataset
    from tinkerlab.experiment._experiment import ExperimentStore
    from tinkerlab.recipe import Metric, Recipe

#: Called as fits finish: (fits done, fits in all, what is happening).
CompareProgress = Callable[[int, int, str], None]
#: Models in the order they are started: quick ones first, so that the slow ones at the
#: end may use what the quick ones left of the budget. Unlisted models go last.
START_ORDER = (
    "dummy",
    "naive_bayes",
    "linear_regression",
    "ridge",
    "logistic_regression",
    "decision_tree",
    "knn",
    "svm",
    "extra_trees",
    "random_forest",
    "gradient_boosting",
)
#: A kernel SVM's fit grows with the square of the rows: quick on a few thousand, the
#: slowest of all beyond. Above this many training rows per fold it starts last.
SVM_LAST_ROWS = 5_000
#: The states a model ends in.
STATUSES = ("done", "timed out", "failed", "skipped")
#: Modules the worker processes' parent (the fork server) imports once, so that each new
#: worker starts in milliseconds instead of importing scikit-learn again.
_PRELOAD = [
    "numpy",
    "pandas",
    "sklearn.compose",
    "sklearn.dummy",
    "sklearn.ensemble",
    "sklearn.impute",
    "sklearn.linear_model",
    "sklearn.metrics",
    "sklearn.naive_bayes",
    "sklearn.neighbors",
    "sklearn.pipeline",
    "sklearn.preprocessing",
    "sklearn.svm",
    "sklearn.tree",
    "threadpoolctl",
    "tinkerlab.recipe",
    "tinkerlab.experiment._compare",
]


@dataclass
class ModelResult:
    """One row of the leaderboard: a model's fold scores and how its run ended."""

    model: str  # registry name
    title: str  # human name
    status: str  # done, timed out, failed or skipped
    scores: dict[str, list[float]]  # metric -> validation score per fold (done folds only)
    fit_time: float  # mean seconds to fit, per fold
    predict_time: float  # mean seconds to predict and score the validation rows, per fold
    elapsed: float  # wall seconds the model's process ran
    folds_done: int  # folds scored
    message: str = ""  # why it timed out, failed or was skipped; warnings it raised
    test: TestResult | None = None  # its fold scores against the best's (None: not done)
    tied_with_best: bool = False  # not significantly worse than the best (the best too)

    def mean(self, metric: str) -> float:
        """Mean validation score over the folds (NaN if there are none)."""
        values = self.scores.get(metric, [])
        return float(np.mean(values)) if values else math.nan

    def std(self, metric: str) -> float:
        """Standard deviation of the validation score over the folds (NaN if none)."""
        values = self.scores.get(metric, [])
        return float(np.std(values)) if values else math.nan


@dataclass
class Comparison:
    """The leaderboard of a comparison: every model, ranked, with its noise.

    Attributes
    ----------
    results : list of ModelResult
        Finished models best first, then the ones that timed out, failed or were skipped.
    best : str or None
        The model with the best mean validation score.
    frame : pandas.DataFrame
        The leaderboard as a table.
    test_scores : dict
        The best model's scores on the held-out test split (fitted once on the whole
        training split); empty if it could not be computed.
    """

    dataset: str  # how the recipe names the data
    task: str  # classification or regression
    target: str  # the column predicted
    metric: Metric  # what the leaderboard ranks by
    results: list[ModelResult]
    cv: int  # k of the k-fold split
    repeats: int  # repeats of the k-fold split
    n_train: float  # mean rows fitted on per fold
    n_test: float  # mean rows validated on per fold
    budget: float  # seconds allowed in all
    timeout: float | None  # hard per-model limit, if one was set
    workers: int  # models run at a time
    seed: int
    elapsed: float = 0.0  # wall seconds, test fit included
    test_scores: dict[str, float] = field(default_factory=dict)
    test_rows: int = 0  # rows in the held-out test split
    id: int | None = None  # the journal's experiment id, when recorded
    plot_paths: list[Path] = field(default_factory=list)  # where the journal saved the plot
    notices: list[str] = field(default_factory=list)

    @property
    def best(self) -> str | None:
        """The model with the best mean validation score (None if none finished)."""
        done = [r for r in self.results if r.status == "done"]
        return done[0].model if done else None

    @property
    def higher_is_better(self) -> bool:
        """Whether a larger value of the metric is better (accuracy) or worse (RMSE)."""
        return self.metric.higher_is_better

    @property
    def method(self) -> str:
        """How ties with the best are decided."""
        return METHOD

    @property
    def frame(self) -> pd.DataFrame:
        """One row per model: ``rank, model, status, mean, std, fit_time, predict_time,
        folds, tied_with_best, p_value, message``."""
        import pandas as pd

        return pd.DataFrame(self._rows())

    def _rows(self) -> list[dict[str, Any]]:
        name = self.metric.name
        rows = []
        for rank, r in enumerate(self.results, start=1):
            done = r.status == "done"
            rows.append(
                {
                    "rank": rank if done else None,
                    "model": r.model,
                    "status": r.status,
                    "mean": r.mean(name) if done else math.nan,
                    "std": r.std(name) if done else math.nan,
                    "fit_time": r.fit_time,
                    "predict_time": r.predict_time,
                    "folds": r.folds_done,
                    "tied_with_best": r.tied_with_best,
                    "p_value": r.test.p_value if r.test is not None else math.nan,
                    "message": r.message,
                }
            )
        return rows

    def verdict_text(self) -> str:
        """The best model, the ones indistinguishable from it, and the held-out score."""
        name = self.metric.name
        if self.best is None:
            return "No model finished within the budget; see the table. Fix: --budget 300"
        best = self.results[0]
        ties = [r.model for r in self.results[1:] if r.tied_with_best]
        text = f"Best: {best.model} ({name} {best.mean(name):.4f} ± {best.std(name):.4f})."
        if ties:
            text += (
                f" Statistically indistinguishable from it: {', '.join(ties)} "
                f"({METHOD}, alpha = {ALPHA})."
            )
        else:
            text += f" Every other model is worse beyond noise ({METHOD}, alpha = {ALPHA})."
        if name in self.test_scores:
            text += (
                f" Fitted on the whole training split, it scores {self.test_scores[name]:.4f} "
                f"on the {self.test_rows} held-out test rows."
            )
        return text

    def plot(self) -> Figure:
        """Each finished model's mean score with ± std whiskers; the best and its ties marked."""
        from matplotlib.figure import Figure

        done = [r for r in self.results if r.status == "done"]
        name = self.metric.name
        figure = Figure(
            figsize=(6.5, 0.35 * max(len(done), 3) + 1.4), dpi=100, layout="constrained"
        )
        axes = figure.add_subplot()
        y = np.arange(len(done))[::-1]  # (models,) best at the top
        colours = [
            "#1f77b4" if i == 0 else "#9ecae1" if r.tied_with_best else "#c7c7c7"
            for i, r in enumerate(done)
        ]
        axes.barh(
            y,
            [r.mean(name) for r in done],
            xerr=[r.std(name) for r in done],
            color=colours,
            capsize=3,
        )
        axes.set_yticks(y, [r.model for r in done])
        axes.set_xlabel(f"{name} (mean ± std over {self.cv * self.repeats} folds)")
        axes.set_title(f"{self.dataset}: best dark, indistinguishable from it light")
        return figure

    def to_dict(self) -> dict[str, Any]:
        """Everything JSON can hold (what ``--json`` prints); NaN becomes None."""
        name = self.metric.name
        leaderboard = []
        for row, r in zip(self._rows(), self.results, strict=True):
            entry = {k: _plain(v) for k, v in row.items()}
            entry["title"] = r.title
            entry["scores"] = {
                m: {"mean": _plain(r.mean(m)), "std": _plain(r.std(m)), "folds": list(v)}
                for m, v in r.scores.items()
            }
            entry["elapsed_s"] = round(r.elapsed, 3)
            if r.test is not None:
                entry["mean_diff_vs_best"] = _plain(r.test.mean_diff)
                entry["ci_low"] = _plain(r.test.ci_low)
                entry["ci_high"] = _plain(r.test.ci_high)
            leaderboard.append(entry)
        return {
            "id": self.id,
            "dataset": self.dataset,
            "task": self.task,
            "target": self.target,
            "metric": name,
            "higher_is_better": self.higher_is_better,
            "best": self.best,
            "verdict_text": self.verdict_text(),
            "method": METHOD,
            "alpha": ALPHA,
            "leaderboard": leaderboard,
            "test_scores": {k: _plain(v) for k, v in self.test_scores.items()},
            "test_rows": self.test_rows,
            "cv": self.cv,
            "repeats": self.repeats,
            "n_folds": self.cv * self.repeats,
            "n_train": self.n_train,
            "n_test": self.n_test,
            "budget_s": self.budget,
            "timeout_s": self.timeout,
            "workers": self.workers,
            "seed": self.seed,
            "elapsed_s": round(self.elapsed, 3),
            "plots": [str(p) for p in self.plot_paths],
            "notices": list(self.notices),
        }

    def _repr_html_(self) -> str:
        name = html.escape(self.metric.name)
        rows = []
        for r in self.results:
            done = r.status == "done"
            score = (
                f"{r.mean(self.metric.name):.4f} ± {r.std(self.metric.name):.4f}" if done else ""
            )
            mark = "best" if done and r is self.results[0] else "≈ best" if r.tied_with_best else ""
            rows.append(
                f"<tr><td>{html.escape(r.model)}</td><td>{score}</td><td>{mark}</td>"
                f"<td>{r.fit_time:.3f} s</td><td>{r.predict_time:.3f} s</td>"
                f"<td>{html.escape(r.status if not r.message else f'{r.status}: {r.message}')}"
                "</td></tr>"
            )
        png = base64.b64encode(_png(self.plot())).decode("ascii")
        return (
            f"<p><b>{html.escape(self.dataset)}</b>: {self.cv}-fold CV × {self.repeats}, "
            f"ranked by {name}</p><table><tr><th>model</th><th>{name}</th><th></th>"
            "<th>fit</th><th>predict</th><th>status</th></tr>"
            + "".join(rows)
            + f"</table><p>{html.escape(self.verdict_text())}</p>"
            f'<img src="data:image/png;base64,{png}"/>'
        )

    def __repr__(self) -> str:
        name = self.metric.name
        lines = [f"Comparison of {len(self.results)} models on {self.dataset} ({name}):"]
        for r in self.results:
            if r.status == "done":
                tie = (
                    "  (best)" if r is self.results[0] else "  (≈ best)" if r.tied_with_best else ""
                )
                lines.append(f"  {r.model:<20} {r.mean(name):.4f} ± {r.std(name):.4f}{tie}")
            else:
                lines.append(f"  {r.model:<20} {r.status}")
        return "\n".join(lines)


def compare(
    dataset: str | Path | pd.DataFrame | Dataset | None = None,
    *,
    store: ExperimentStore | None = None,
    progress: CompareProgress | None = None,
    test: bool = True,
    **options: Any,
) -> Comparison:
    """Compare the registry's models on the same paired folds, within a time budget.

    *options* are the ``compare`` options declared in :mod:`tinkerlab.options`
    (``budget``, ``models``, ``cv``, ``repeats``, ``metric``, ``timeout``, ``n_jobs``,
    ``target``...; ``help(tinkerlab.compare)`` lists them), checked once by
    :func:`~tinkerlab.options.settle`.

    Parameters
    ----------
    dataset : str, Path, DataFrame or Dataset
        A built-in name, a file, a table, or a loaded :class:`~tinkerlab.data.Dataset`.
    store : ExperimentStore, optional
        Where to record it (the journal): an experiment with knob ``model``.
    progress : callable, optional
        Called as ``progress(fits_done, fits_in_all, what)``.
    test : bool
        Fit the best model on the whole training split and score it on the test split.

    Returns
    -------
    Comparison
        The leaderboard; ``.best``, ``.frame``, ``.plot()``, ``.to_dict()``.
    """
    settings = settle("compare", {"dataset": dataset, **options})
    return compare_settled(settings, store=store, progress=progress, test=test)


def compare_settled(
    settings: Settings,
    *,
    store: ExperimentStore | None = None,
    progress: CompareProgress | None = None,
    test: bool = True,
) -> Comparison:
    """:func:`compare` with its options already settled (see there)."""
    from tinkerlab.experiment._experiment import _metric
    from tinkerlab.experiment._folds import paired_folds
    from tinkerlab.experiment._knobs import plan_sweep
    from tinkerlab.recipe import load_settled, recipe_for, warm_text_features
    from tinkerlab.runner import prepare_frame, split

    budget, timeout, models = settings.budget, settings.timeout, settings.models
    repeats, seed, metric = settings.repeats, settings.seed, settings.metric
    workers = _workers(settings.n_jobs)
    context = _context()  # the worker processes' server warms up meanwhile
    data = load_settled(settings)
    base = recipe_for(data, settings)
    if models is not None:
        _check_models(models, base.task)
    sweep = plan_sweep(base, "model", models)
    X, y = prepare_frame(base, data.frame)
    X_train, X_test, y_train, y_test = split(base, X, y)
    folds = paired_folds(base, X_train, y_train, repeats)
    n_classes = int(y.nunique()) if base.task == "classification" else 0
    chosen = _metric(base, sweep, n_classes, metric)  # one every model can be scored on
    order = {name: i for i, name in enumerate(START_ORDER)}
    if min(len(t) for t, _ in folds) > SVM_LAST_ROWS:
        order["svm"] = len(order)
    points = sorted(sweep.points, key=lambda p: order.get(str(p.value), len(order)))
    warm_text_features(base, X_train)  # embed each text once, before the clock starts
    rows, target_values = X_train.reset_index(drop=True), np.asarray(y_train)
    jobs = [
        _Job(
            model=str(p.value),
            recipe=p.recipe,
            X=rows,
            y=target_values,
            folds=tuple(folds),
            # Only the metric ranked by: on small tables, scoring every metric of every fold
            # costs as much as the fits (scikit-learn checks the labels for each one).
            metrics=((chosen.name, chosen.scorer, chosen.sign),),
            threads=max(1, _cores() // workers),
        )
        for p in points
    ]
    comparison = Comparison(
        dataset=base.dataset,
        task=base.task,
        target=base.target,
        metric=chosen,
        results=[],
        cv=base.cv_folds,
        repeats=repeats,
        n_train=float(np.mean([len(t) for t, _ in folds])),
        n_test=float(np.mean([len(v) for _, v in folds])),
        budget=budget,
        timeout=timeout,
        workers=workers,
        seed=seed,
        test_rows=len(y_test),
        notices=list(sweep.notices),
    )
    positions = {str(p.value): p.position for p in sweep.points}
    experiment_id = None
    if store is not None:
        experiment_id = store.start_experiment(_record(base, sweep, comparison), None)
        comparison.id = experiment_id
    started = time.perf_counter()
    try:
        results = _Scheduler(jobs, budget, timeout, workers, progress, context).run(
            lambda r: _store_point(store, experiment_id, positions[r.model], r, comparison)
        )
        _rank(comparison, results)
        best = comparison.best
        if test and best is not None:
            job = next(j for j in jobs if j.model == best)
            every = _model_metrics(job.recipe, n_classes)
            comparison.test_scores = _test_scores(job, every, X_train, y_train, X_test, y_test)
    except BaseException as error:
        if store is not None and experiment_id is not None:
            interrupted = isinstance(error, KeyboardInterrupt)
            store.mark_experiment(experiment_id, "interrupted" if interrupted else "failed")
        raise
    comparison.elapsed = time.perf_counter() - started
    if store is not None and experiment_id is not None:
        comparison.plot_paths = store.finish_experiment(
            experiment_id,
            _summary(comparison, positions),
            {"leaderboard.png": _png(comparison.plot())},
            None,  # no prediction to score
        )
    return comparison


# --- one model in one process ---------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """What a worker process needs for one model: sent to it once, pickled."""

    model: str
    recipe: Recipe  # the model's recipe (registry defaults)
    X: pd.DataFrame  # the training split
    y: np.ndarray  # (n,) its target
    folds: tuple[tuple[np.ndarray, np.ndarray], ...]  # the paired folds, positions in X
    metrics: tuple[tuple[str, str, int], ...]  # (name, scorer, sign) of the metrics to score
    threads: int  # BLAS/OpenMP threads it may use


def _work(conn: Any, job: _Job) -> None:
    """The worker process: fit and score every fold, telling the parent after each one."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops us (quietly)
    _exit_with_parent(conn)
    try:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=job.threads), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            from sklearn.exceptions import UndefinedMetricWarning

            # A model that never predicts some class scores 0 precision for it (as in a run).
            warnings.filterwarnings("ignore", category=UndefinedMetricWarning)
            for i, (fit_scores, fit_s, predict_s) in enumerate(_folds(job)):
                conn.send(("fold", i, fit_scores, fit_s, predict_s))
        conn.send(("done", _warning_text(caught)))
    except Exception as error:  # a model that cannot fit this data: report it, keep going
        conn.send(("error", " ".join(f"{type(error).__name__}: {error}".split())[:300]))
    finally:
        conn.close()


def _exit_with_parent(conn: Any) -> None:
    """End this worker as soon as the comparison's process is gone, even when it was killed
    outright and could not stop us itself.

    Only that process holds the reading end of our pipe; when it dies, the kernel flags
    our writing end with an error, which a poll sees at once. (Our parent is the fork
    server, which in turn waits for its children, so watching the parent would not do.)
    """
    import select
    import threading

    poller = select.poll()
    poller.register(conn.fileno(), select.POLLERR | select.POLLHUP)

    def watch() -> None:
        while True:
            events = poller.poll(1000)  # [] after a second of nothing
            if any(flags & select.POLLNVAL for _, flags in events):
                return  # we closed the pipe ourselves: the work is done
            if events:
                os._exit(1)

    threading.Thread(target=watch, name="tinkerlab-watch-parent", daemon=True).start()


def _folds(job: _Job) -> Iterable[tuple[dict[str, float], float, float]]:
    """Per fold: (scores on the validation rows, seconds to fit, seconds to predict+score)."""
    from sklearn.metrics import check_scoring

    from tinkerlab.recipe import build_pipeline

    scoring = {name: scorer for name, scorer, _ in job.metrics}
    signs = {name: sign for name, _, sign in job.metrics}
    for train, valid in job.folds:
        pipeline = build_pipeline(job.recipe)
        tick = time.perf_counter()
        pipeline.fit(job.X.iloc[train], job.y[train])
        fit_s = time.perf_counter() - tick
        tick = time.perf_counter()
        scores = check_scoring(pipeline, scoring=scoring)(pipeline, job.X.iloc[valid], job.y[valid])
        predict_s = time.perf_counter() - tick
        yield {k: float(signs[k] * v) for k, v in scores.items()}, fit_s, predict_s


def _warning_text(caught: list[warnings.WarningMessage]) -> str:
    kinds: dict[str, str] = {}
    for w in caught:
        if not issubclass(w.category, DeprecationWarning | FutureWarning):
            kinds.setdefault(w.category.__name__, " ".join(str(w.message).split())[:160])
    return "; ".join(f"{k}: {v}" for k, v in kinds.items())


# --- the scheduler: a few processes at a time, each with a deadline -------------------------


@dataclass
class _Running:
    job: _Job
    process: Any  # multiprocessing.Process
    conn: Any  # the parent's end of the pipe
    started: float  # time.monotonic() at start
    result: ModelResult
    fit_times: list[float] = field(default_factory=list)
    predict_times: list[float] = field(default_factory=list)
    ended: bool = False  # the worker said done or error


class _Scheduler:
    """Runs the jobs in worker processes, *workers* at a time, within the budget."""

    def __init__(
        self,
        jobs: list[_Job],
        budget: float,
        timeout: float | None,
        workers: int,
        progress: CompareProgress | None,
        context: Any,
    ) -> None:
        self.context = context  # where worker processes come from
        self.queue = list(jobs)
        self.budget = budget
        self.timeout = timeout
        self.workers = workers
        self.share = budget * workers / max(1, len(jobs))  # fair share of one model
        self.say = progress or (lambda _done, _total, _what: None)
        self.n_folds = len(jobs[0].folds) if jobs else 0
        self.total = len(jobs) * self.n_folds
        self.done = 0
        self.results: list[ModelResult] = []

    def run(self, on_result: Callable[[ModelResult], None]) -> list[ModelResult]:
        from multiprocessing.connection import wait

        context = self.context
        start = time.monotonic()
        end = start + self.budget
        running: list[_Running] = []
        self.say(0, self.total, f"{len(self.queue)} models, {self.workers} at a time")
        try:
            while self.queue or running:
                now = time.monotonic()
                while self.queue and len(running) < self.workers and now < end:
                    running.append(self._start(context, self.queue.pop(0)))
                if now >= end and self.queue:
                    for job in self.queue:
                        spent = f"the {self.budget:g} s budget was spent before it could start"
                        self._finish(on_result, _result(job, "skipped", spent))
                    self.queue = []
                ready = wait(
                    [r.conn for r in running] + [r.process.sentinel for r in running],
                    timeout=max(0.0, min(0.25, end - now)),
                )
                for r in running:
                    if r.conn in ready or r.process.sentinel in ready:
                        self._read(r)
                now = time.monotonic()
                for r in list(running):
                    stop = self._stop_reason(r, now, end)
                    if r.ended or not r.process.is_alive() or stop:
                        self._end(r, stop)
                        running.remove(r)
                        self._finish(on_result, r.result)
        finally:
            for r in running:  # interrupted: no worker outlives the comparison
                r.process.kill()
                r.process.join()
                r.conn.close()
        return self.results

    def _start(self, context: Any, job: _Job) -> _Running:
        parent, child = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(child, job), daemon=True)
        with _main_module_untouched():
            process.start()
        child.close()
        self.say(self.done, self.total, f"{job.model} started")
        return _Running(job, process, parent, time.monotonic(), _result(job, "failed", ""))

    def _read(self, r: _Running) -> None:
        """Take every message the worker has sent."""
        try:
            while r.conn.poll():
                message = r.conn.recv()
                kind = message[0]
                if kind == "fold":
                    _, _, scores, fit_s, predict_s = message
                    for name, score in scores.items():
                        r.result.scores.setdefault(name, []).append(score)
                    r.fit_times.append(fit_s)
                    r.predict_times.append(predict_s)
                    r.result.folds_done += 1
                    self.done += 1
                    self.say(
                        self.done,
                        self.total,
                        f"{r.job.model}: fold {r.result.folds_done} of {self.n_folds}",
                    )
                elif kind == "done":
                    r.result.status, r.result.message, r.ended = "done", message[1], True
                elif kind == "error":
                    r.result.status, r.result.message, r.ended = "failed", message[1], True
        except (EOFError, OSError):
            pass  # the worker is gone; _end says why

    def _stop_reason(self, r: _Running, now: float, end: float) -> str:
        """Why *r* must be stopped now, or "" to let it run."""
        if r.ended:
            return ""
        ran = now - r.started
        if now >= end:
            return f"stopped when the {self.budget:g} s budget ran out"
        if self.timeout is not None and ran > self.timeout:
            return f"stopped at its {self.timeout:g} s time-out"
        if self.queue and ran > self.share:
            return f"stopped after {ran:.0f} s, its share of the budget, while other models waited"
        return ""

    def _end(self, r: _Running, stop: str) -> None:
        if stop:
            r.process.kill()
        r.process.join()
        self._read(r)  # messages sent just before the end
        r.conn.close()
        result = r.result
        result.elapsed = time.monotonic() - r.started
        result.fit_time = float(np.mean(r.fit_times)) if r.fit_times else math.nan
        result.predict_time = float(np.mean(r.predict_times)) if r.predict_times else math.nan
        if stop and not r.ended:
            result.status = "timed out"
            result.message = f"{stop} ({result.folds_done} of {self.n_folds} folds done)"
        elif not r.ended:
            code = r.process.exitcode
            result.message = (
                f"its process died (exit code {code}"
                + ("; out of memory?" if code in (-9, 137) else "")
                + f") after {result.folds_done} of {self.n_folds} folds"
            )
        if result.status != "done":  # the folds it will never do count as done for the bar
            self.done += self.n_folds - result.folds_done

    def _finish(self, on_result: Callable[[ModelResult], None], result: ModelResult) -> None:
        if result.status == "skipped":
            self.done += self.n_folds
        self.results.append(result)
        on_result(result)
        self.say(self.done, self.total, f"{result.model} {result.status}")


def _result(job: _Job, status: str, message: str) -> ModelResult:
    from tinkerlab.recipe import get_model

    return ModelResult(
        model=job.model,
        title=get_model(job.model).title,
        status=status,
        scores={},
        fit_time=math.nan,
        predict_time=math.nan,
        elapsed=0.0,
        folds_done=0,
        message=message,
    )


@contextmanager
def _main_module_untouched() -> Iterator[None]:
    """Start a worker without importing the caller's ``__main__`` in it.

    A new process from the fork server or spawn normally imports the parent's main script
    first, so a script that calls :func:`compare` without an ``if __name__ == "__main__":``
    guard would call it again in every worker. Our worker needs nothing from ``__main__``
    (its function and data come from tinkerlab, pandas and NumPy), so we leave the main
    module out of what the new process prepares, as joblib's loky does.
    """
    from multiprocessing import spawn

    prepare = spawn.get_preparation_data

    def without_main(name: str) -> dict[str, Any]:
        data: dict[str, Any] = prepare(name)
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
        return data

    spawn.get_preparation_data = without_main
    try:
        yield
    finally:
        spawn.get_preparation_data = prepare


def _context() -> Any:
    """Fresh worker processes forked from a server that imported scikit-learn once (fast
    to start, and safe: it never ran an OpenMP thread pool); spawn where that is missing.

    The server starts now, in the background: it imports scikit-learn while this process
    loads the data and plans the folds.
    """
    import multiprocessing as mp

    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    from multiprocessing import forkserver

    context = mp.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    with _main_module_untouched():
        forkserver.ensure_running()
    return context


# --- the leaderboard ------------------------------------------------------------------------


def _rank(comparison: Comparison, results: list[ModelResult]) -> None:
    """Order the results (finished ones by mean score, best first) and test each finished
    model's fold scores against the best's."""
    name = comparison.metric.name
    sign = 1.0 if comparison.higher_is_better else -1.0
    done = [r for r in results if r.status == "done" and len(r.scores.get(name, [])) > 0]
    for r in results:
        if r.status == "done" and r not in done:
            r.status, r.message = "failed", f"it cannot be scored on {name}"
    done.sort(key=lambda r: -sign * r.mean(name))
    if done and comparison.cv * comparison.repeats >= 2:
        table = {r.model: r.scores[name] for r in done}
        n_train = max(1, round(comparison.n_train))
        n_test = max(1, round(comparison.n_test))
        best, tests = compare_with_best(
            table, n_train, n_test, higher_is_better=comparison.higher_is_better
        )
        for r in done:
            r.test = tests[r.model]
            r.tied_with_best = r.model == best or not tests[r.model].significant(ALPHA)
    rest = [r for r in results if r not in done]
    rest.sort(key=lambda r: (STATUSES.index(r.status), r.model))
    comparison.results = done + rest


def _test_scores(
    job: _Job,
    metrics: tuple[tuple[str, str, int], ...],
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
) -> dict[str, float]:
    """The best model fitted on the whole training split, scored once on the test split
    on every metric it has."""
    from sklearn.metrics import check_scoring
    from threadpoolctl import threadpool_limits

    from tinkerlab.recipe import build_pipeline

    with threadpool_limits(limits=_cores()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline = build_pipeline(job.recipe).fit(X_train, np.asarray(y_train))
        scoring = {name: scorer for name, scorer, _ in metrics}
        signs = {name: sign for name, _, sign in metrics}
        scores = check_scoring(pipeline, scoring=scoring)(pipeline, X_test, np.asarray(y_test))
    return {k: float(signs[k] * v) for k, v in scores.items()}


# --- checks ---------------------------------------------------------------------------------


def _model_metrics(recipe: Recipe, n_classes: int) -> tuple[tuple[str, str, int], ...]:
    """Every metric this model can be scored on (ROC AUC needs a score per row)."""
    from tinkerlab.recipe import build_pipeline, metrics_for

    found = metrics_for(recipe.task, n_classes, build_pipeline(recipe))
    return tuple((m.name, m.scorer, m.sign) for m in found)


def _check_models(names: list[str], task: str) -> None:
    """Every name a registry model that can do *task*, and at least two of them."""
    import difflib

    from tinkerlab.recipe import MODELS, models_for

    valid = [m.name for m in models_for(task)]  # type: ignore[arg-type]
    for name in names:
        if name in valid:
            continue
        close = difflib.get_close_matches(name, valid, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        what = f"cannot do {task}" if name in MODELS else "is not a model tinkerlab knows"
        raise RecipeError(
            f"'{name}' {what}.{hint} Models for {task}: {', '.join(valid)}. "
            f"Fix: --models {','.join(valid[1:4])} (or leave --models out for all of them)"
        )
    if len(set(names)) < 2:
        raise RecipeError(
            f"A comparison needs at least two models; got {', '.join(names)}. "
            f"Fix: --models {names[0]},{next(v for v in valid if v != names[0])} "
            "(or leave --models out for all of them)"
        )


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _workers(n_jobs: int | None) -> int:
    cores = _cores()
    if n_jobs is None or n_jobs == -1:
        return cores
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs < 1:
        raise UsageError(
            f"The number of models run at a time must be a positive int (or -1 for every core). "
            f"Got {n_jobs!r} instead. Fix: --jobs {cores}"
        )
    return n_jobs


# --- what the store records -----------------------------------------------------------------


def _record(recipe: Recipe, sweep: Any, comparison: Comparison) -> dict[str, Any]:
    """The experiment: knob ``model``; ``spec["kind"] == "compare"`` tells it from a tinker."""
    names = [str(v) for v in sweep.values]
    return {
        "dataset": recipe.dataset,
        "task": recipe.task,
        "model": "(compare)",
        "knob": "model",
        "knob_kind": sweep.kind.name,
        "spec": {
            "kind": "compare",
            "recipe": recipe.to_dict(),
            "knob": "model",
            "mode": None,
            "values": names,
            "labels": names,
            "scale": "linear",
            "ordered": False,
            "default": None,
            "reference": 0,
            "metric": comparison.metric.name,
            "repeats": comparison.repeats,
            "budget_s": comparison.budget,
            "timeout_s": comparison.timeout,
            "engine": f"local ({comparison.workers} processes)",
        },
        "notices": list(comparison.notices),
    }


def _store_point(
    store: ExperimentStore | None,
    experiment_id: int | None,
    position: int,
    result: ModelResult,
    comparison: Comparison,
) -> None:
    """Commit one model as a point the moment it ends (finished, stopped or skipped)."""
    if store is None or experiment_id is None:
        return
    folds = comparison.cv * comparison.repeats
    test = {m: [*v, *[None] * (folds - len(v))] for m, v in result.scores.items()}
    notices = [] if result.status == "done" and not result.message else [result.message]
    if result.status != "done":
        notices[0] = f"{result.status}: {result.message}"
    store.record_point(
        experiment_id,
        {
            "position": position,
            "value": result.model,
            "label": result.model,
            "train": {},  # compare scores the validation rows only
            "test": test,
            "fit_time": 0.0 if math.isnan(result.fit_time) else result.fit_time,
            "n_train": comparison.n_train,
            "n_test": comparison.n_test,
            "notices": notices,
        },
    )


def _summary(comparison: Comparison, positions: Mapping[str, int]) -> dict[str, Any]:
    data = comparison.to_dict()
    best = comparison.best
    keep = ("verdict_text", "method", "alpha", "metric", "higher_is_better", "leaderboard",
            "test_scores", "test_rows", "budget_s", "elapsed_s", "notices")  # fmt: skip
    return {k: data[k] for k in keep} | {
        "kind": "compare",
        "best": None if best is None else positions[best],
        "tied_with_best": [positions[r.model] for r in comparison.results if r.tied_with_best],
    }


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, np.generic):
        return _plain(value.item())
    return value


def _png(figure: Figure) -> bytes:
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
