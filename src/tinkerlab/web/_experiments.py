"""Experiments in the lab: sweeps and comparisons as jobs, and their live view.

A sweep's job calls :func:`tinkerlab._api.tinker_settled` (a comparison's
:func:`~tinkerlab._api.compare_settled`), the functions ``tinkerlab tinker`` and
``tinkerlab compare`` call, handing them a journal that tells the job its experiment's id
the moment it is recorded. From then on the experiment's page follows the journal: each
point is committed as it finishes, and :func:`experiment_events` streams the new ones,
so a reload or a second tab picks the view up where it is.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any

from tinkerlab.journal import Journal
from tinkerlab.web import _charts
from tinkerlab.web._jobs import HEARTBEAT, POLL, epochs_heard, new_epochs, sse

if TYPE_CHECKING:
    from tinkerlab.journal import ExperimentEntry, PointEntry, PredictionEntry
    from tinkerlab.options import Settings
    from tinkerlab.web._config import LabConfig
    from tinkerlab.web._jobs import Job, JobRegistry


class WatchedJournal(Journal):
    """A journal that tells a job which experiment it records, as soon as it starts (and
    keeps the sentence the learner wrote with the prediction as the experiment's first
    note)."""

    def __init__(self, url: str | None, job: Job, why: str = "") -> None:
        super().__init__(url)
        self._job = job
        self._why = why

    def start_experiment(
        self, experiment: Mapping[str, Any], prediction: Mapping[str, Any] | None = None
    ) -> int:
        experiment_id = super().start_experiment(experiment, prediction)
        if self._why:
            self.add_experiment_note(experiment_id, f"My prediction, before it ran: {self._why}")
        self._job.update(experiment_id=experiment_id, what="fitting")
        return experiment_id


def tinker_job(settings: Settings, config: LabConfig, why: str = "") -> Any:
    """The Tinker page's job: the sweep, recorded as it runs; the experiment's URL.
    *why* is the sentence written with the prediction (kept as a note)."""

    def work(job: Job) -> str:
        from tinkerlab import _api
        from tinkerlab.options import speaking

        job.update(what="loading the data and planning the sweep")
        with (
            WatchedJournal(config.journal, job, why) as store,
            speaking("web", "tinker"),
            epochs_heard(settings, job),
        ):
            result = _api.tinker_settled(settings, progress=job.progress, journal=store)
        return f"/experiments/{result.id}"

    return work


def compare_job(settings: Settings, config: LabConfig) -> Any:
    """The Compare page's job: every model within the budget, recorded as each ends."""

    def work(job: Job) -> str:
        from tinkerlab import _api
        from tinkerlab.options import speaking

        job.update(what="loading the data and planning the folds")
        with WatchedJournal(config.journal, job) as store, speaking("web", "compare"):
            result = _api.compare_settled(settings, progress=job.progress, journal=store)
        return f"/experiments/{result.id}"

    return work


#: The steps a search reports (``progress(what)``), for its progress bar: loading and
#: planning, the race, the lead's test, the test split.
SEARCH_STEPS = 4


def search_job(settings: Settings, config: LabConfig) -> Any:
    """The Search page's job: the settings raced, the best tested, all recorded."""

    def work(job: Job) -> str:
        from tinkerlab import _api
        from tinkerlab.options import speaking

        def step(what: str) -> None:  # the search's progress(what): one step more
            job.update(done=min(job.done + 1, SEARCH_STEPS), total=SEARCH_STEPS, what=what)

        job.update(what="loading the data and planning the settings")
        with WatchedJournal(config.journal, job) as store, speaking("web", "search"):
            found = _api.search_settled(settings, progress=step, journal=store)
        return f"/experiments/{found.id}"

    return work


# --- what an experiment's page shows -------------------------------------------------------


def trains_epochs(model: str) -> bool:
    """Whether *model* is a neural network that trains in epochs (its curve can stream)."""
    from tinkerlab.recipe import MODELS

    spec = MODELS.get(model)
    return spec is not None and spec.extra == "deep"


def is_search(entry: ExperimentEntry) -> bool:
    """A search of several knobs (``tinkerlab search``) rather than a sweep."""
    return entry.spec.get("kind") == "search"


def is_comparison(entry: ExperimentEntry) -> bool:
    """A model comparison (``tinkerlab compare``) rather than a sweep."""
    return entry.spec.get("kind") == "compare" or entry.summary.get("kind") == "compare"


def numeric_axis(entry: ExperimentEntry) -> bool:
    """Whether the knob's values are numbers to plot on a number line."""
    values = entry.spec.get("values", [])
    return bool(values) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values
    )


def point_payload(entry: ExperimentEntry, point: PointEntry) -> dict[str, Any]:
    """One finished point as the live view draws it: chart rows and table cells."""
    metric = entry.spec.get("metric") or next(iter(point.test), "")
    train, test = point.train.get(metric, []), point.test.get(metric, [])
    # Folds that adaptive repeats added after the point was recorded travel in the summary
    # (as ``SweepResults.from_entry`` reads them): with them, the table and the curve show
    # the numbers the verdict quotes.
    more = (entry.summary.get("extra_folds") or {}).get(str(point.position)) or {}
    train = [*train, *(more.get("train") or [])]
    test = [*test, *(more.get("test") or [])]
    rows = _charts.sweep_rows(point.position, point.value, point.label, train, test)
    by_split = {r["split"]: r for r in rows}

    def text(split: str) -> str:
        row = by_split.get(split)
        return "–" if row is None else f"{row['mean']:.4f} ± {row['high'] - row['mean']:.4f}"

    return {
        "position": point.position,
        "label": point.label,
        "rows": rows,
        "train_text": text("train"),
        "cv_text": text("validation"),
        "fit_text": f"{point.fit_time:.3f}",
        "notices": list(point.notices),
        # a comparison's leaderboard tooltip: how many folds scored it, and the race's word
        "folds": sum(1 for s in test if s is not None),
        "status": _charts.race_status(point.notices),
    }


def curve_spec(entry: ExperimentEntry, payloads: list[dict[str, Any]]) -> dict[str, Any]:
    """The sweep's chart with the points finished so far."""
    labels = entry.spec.get("labels") or [str(v) for v in entry.spec.get("values", [])]
    numbers = [float(v) for v in entry.spec.get("values", [])] if numeric_axis(entry) else []
    return _charts.sweep_chart(
        [row for p in payloads for row in p["rows"]],
        knob=entry.knob,
        metric=entry.spec.get("metric", "score"),
        numeric=numeric_axis(entry),
        log=entry.spec.get("scale") == "log",
        labels=[str(label) for label in labels],
        domain=(min(numbers), max(numbers)) if len(numbers) > 1 else None,
        integer=bool(numbers) and all(n.is_integer() for n in numbers),
    )


def leaderboard_rows(entry: ExperimentEntry) -> list[dict[str, Any]]:
    """A comparison's models so far, best first, for its table and chart.

    Ranked as the library ranks them (``experiment.rank_results``), so the page and
    ``tinkerlab compare`` name the same winner: the models that raced to the end by their
    mean, then the ones the race dropped (most folds first; their mean rests on fewer folds,
    so it is no rank), then the ones never scored. A finished comparison takes its order
    from the leaderboard it recorded. ``rank`` is the place among the finished models
    (None for the others); ``order`` is the row's place on the page (the chart sorts by it).
    """
    metric = entry.spec.get("metric", "")
    higher = entry.summary.get("higher_is_better", metric not in ("mae", "rmse"))
    sign = 1.0 if higher else -1.0
    rows: list[dict[str, Any]] = []
    for point in entry.points:
        scores = [s for s in point.test.get(metric, []) if s is not None]
        if not scores:
            rows.append({"model": point.label, "mean": None, "notices": point.notices})
            continue
        mean = sum(scores) / len(scores)
        std = (sum((s - mean) ** 2 for s in scores) / len(scores)) ** 0.5
        rows.append(
            {
                "model": point.label,
                "mean": mean,
                "low": mean - std,
                "high": mean + std,
                "std": std,
                "fit_time": point.fit_time,
                "notices": point.notices,
                "folds": len(scores),
                "status": _charts.race_status(point.notices),
            }
        )
    recorded = [str(r.get("model")) for r in entry.summary.get("leaderboard", [])]

    def place(row: dict[str, Any]) -> tuple[Any, ...]:
        if row["model"] in recorded:  # the library's own order, once it has one
            return (0, recorded.index(row["model"]))
        if row["mean"] is None:
            return (3, 0)
        return (1 if _finished(row) else 2, -row["folds"], -sign * row["mean"])

    rows.sort(key=place)
    finished = 0
    for order, row in enumerate(rows, start=1):
        row["order"] = order
        finished += _finished(row)
        row["rank"] = finished if _finished(row) else None
    return rows


#: How a compared model's notice starts when it did not finish (``_compare_record``).
UNFINISHED = ("dropped:", "timed out:", "failed:", "skipped:")


def _finished(row: dict[str, Any]) -> bool:
    """Whether a compared model was scored on every fold (the race neither dropped nor
    stopped it): only those are ranked, as ``experiment.rank_results`` ranks them."""
    notices = [str(n) for n in row.get("notices", [])]
    return row["mean"] is not None and not any(n.startswith(UNFINISHED) for n in notices)


def search_rows(entry: ExperimentEntry) -> list[dict[str, Any]]:
    """A search's scored settings, best first: the best and the runner-up (scored again on
    every full fold), then the furthest the race let them go (rows), then the mean."""
    metric = entry.spec.get("metric", "")
    sign = 1.0 if entry.summary.get("higher_is_better", True) else -1.0
    top = [entry.summary.get("best_position"), entry.summary.get("runner_up_position")]
    # The best and the runner-up were scored again on every full fold: those scores (the
    # verdict's) replace the race's, which stopped on a share of each fold's rows.
    again = [entry.summary.get("best_scores"), entry.summary.get("runner_up_scores")]
    rescored = dict(zip(top, again, strict=True))
    rows: list[dict[str, Any]] = []
    for point in entry.points:
        scores = [s for s in point.test.get(metric, []) if s is not None]
        full = rescored.get(point.position)
        if full:
            scores = [float(s) for s in full if s is not None]
        if not scores:
            continue
        mean = sum(scores) / len(scores)
        std = (sum((s - mean) ** 2 for s in scores) / len(scores)) ** 0.5
        rows.append({"position": point.position, "label": point.label, "mean": mean, "std": std,
                     "folds": len(scores), "rows": int(point.n_train),
                     "rows_text": "every row" if full else str(int(point.n_train))})  # fmt: skip

    def rank(row: dict[str, Any]) -> tuple[int, float, float]:
        lead = top.index(row["position"]) if row["position"] in top else len(top)
        return (lead, -row["rows"], -sign * row["mean"])

    return sorted(rows, key=rank)


def prediction_lines(guess: PredictionEntry | None) -> list[tuple[str, bool | None]]:
    """The prediction and how it scored, one line per part, with right (True), wrong
    (False) or not judged (None)."""
    if guess is None:
        return []
    lines: list[tuple[str, bool | None]] = []
    scored = guess.scored_at is not None
    if guess.shape is not None:
        if not scored:
            lines.append((f"You predicted the curve goes {guess.shape}.", None))
        elif guess.shape_hit is None:
            lines.append(
                (
                    f"You predicted {guess.shape}; the curve is {guess.observed_shape}: "
                    "too noisy to score.",
                    None,
                )
            )
        else:
            verdict = "right" if guess.shape_hit else "wrong"
            lines.append(
                (
                    f"You predicted {guess.shape}; it was {guess.observed_shape}: {verdict}.",
                    bool(guess.shape_hit),
                )
            )
    if guess.best_value is not None:
        if scored and guess.best_hit is not None:
            close = (
                f" (closeness {guess.best_closeness:.2f})"
                if guess.best_closeness is not None
                else ""
            )
            verdict = "the best or tied with it" if guess.best_hit else "not the best"
            lines.append(
                (f"Your best value {guess.best_value}: {verdict}{close}.", bool(guess.best_hit))
            )
        else:
            lines.append((f"You expected {guess.best_value} to score best.", None))
    if guess.best_score is not None:
        if scored and guess.score_error is not None:
            inside = "inside" if guess.score_in_interval else "outside"
            lines.append(
                (
                    f"Your score guess {guess.best_score:g} is off by {guess.score_error:.4f}, "
                    f"{inside} the best's 95% interval.",
                    bool(guess.score_in_interval),
                )
            )
        else:
            lines.append((f"You expected a best score of {guess.best_score:g}.", None))
    return lines


async def experiment_events(
    journal: Journal, experiment_id: int, jobs: JobRegistry
) -> AsyncIterator[str]:
    """An experiment as server-sent events: every ``point`` as the journal commits it,
    ``progress`` of the job running it here (if any), then ``done`` once it stops."""
    sent: set[int] = set()
    epochs_sent = 0
    version = -1
    quiet_since = time.monotonic()
    yield "retry: 1000\n\n"
    while True:
        entry = await asyncio.to_thread(journal.get_experiment, experiment_id)
        spoke = False
        for point in entry.points:
            if point.position not in sent:
                sent.add(point.position)
                spoke = True
                yield sse("point", point_payload(entry, point))
        job = jobs.for_experiment(experiment_id)
        if job is not None and job.version != version:
            version = job.version
            spoke = True
            event, epochs_sent = new_epochs(job, epochs_sent)
            if event:
                yield event
            yield sse("progress", job.to_dict())
        if entry.status != "running":
            yield sse("done", {"status": entry.status})
            return
        if job is not None and job.status == "failed":
            yield sse("done", {"status": "failed", "error": job.error})
            return
        if spoke:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > HEARTBEAT:
            quiet_since = time.monotonic()
            yield ": still running\n\n"
        await asyncio.sleep(POLL * 2)
