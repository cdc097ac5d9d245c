"""Running a comparison's race: who fits which fold, where, and for how long.

:class:`Race` holds the models (:class:`Entrant`) and the rules: the rungs and cuts of
successive halving (:mod:`~tinkerlab.experiment._race`), and the time limits. A *runner*
does the fits of one rung and asks the race, as it goes, whether a model must stop:

* :func:`run_inline` fits in this process, one fit at a time (forests grow their trees
  on every core, on threads). Nothing is started, so tiny tables finish in a blink;
  but a fit cannot be interrupted, so the limits are **soft**: checked between fits.
* :func:`run_in_pool` fits in a :class:`~tinkerlab.experiment._pool.WorkerPool`, one fit
  per worker at a time; a fit that overruns is **stopped** at once (its worker killed
  and replaced).

The limits, for both: the whole ``budget``; a hard ``timeout`` per model (all its folds
together); and, while other fits wait, a model's fair share: at the start of each rung,
what is left of the budget is shared out among the models still racing (``time left ×
workers / models``), so one slow model cannot starve the others, and the finalists
inherit what the dropped models did not use.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tinkerlab.experiment._compare_board import ModelResult
from tinkerlab.experiment._compare_fit import (
    FoldCache,
    FoldScore,
    MetricSpec,
    error_text,
    fit_and_score,
)
from tinkerlab.experiment._race import MIN_FINALISTS, planned_fits, rungs, survivors

if TYPE_CHECKING:
    from tinkerlab.experiment._pool import WorkerPool
    from tinkerlab.recipe import Recipe

#: Called as fits finish: (fits done, fits planned, what is happening).
CompareProgress = Callable[[int, int, str], None]
#: How often the pool runner looks at the clock while fits run (seconds).
TICK_S = 0.1


@dataclass
class Entrant:
    """One model in the race."""

    recipe: Recipe  # its recipe (registry defaults)
    key: str  # its preprocessing (FoldCache key)
    model: Any  # its unfitted estimator, the pipeline's last step
    result: ModelResult  # what the leaderboard shows of it, filled in as it runs
    spent: float = 0.0  # wall seconds its fits have run
    allowance: float = math.inf  # seconds it may have spent by the end of this rung
    out: bool = False  # it has left the race (finished, dropped, stopped or failed)
    by_fold: dict[int, float] = field(default_factory=dict)  # fold -> validation score
    fit_times: list[float] = field(default_factory=list)
    predict_times: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Task:
    """One fit: an entrant on one fold."""

    entrant: Entrant
    fold: int


@dataclass(frozen=True)
class Limits:
    """When a model must stop."""

    budget: float  # seconds for the whole race
    end: float  # time.monotonic() when the budget runs out
    timeout: float | None  # seconds per model, all folds together
    workers: int  # fits run at a time


class Race:
    """Successive halving over the folds, within the limits (see the module docstring)."""

    def __init__(
        self,
        entrants: list[Entrant],
        cache: FoldCache,
        metric: MetricSpec,
        limits: Limits,
        *,
        higher_is_better: bool,
        racing: bool,
        progress: CompareProgress | None = None,
        on_result: Callable[[ModelResult], None] = lambda _r: None,
    ) -> None:
        self.entrants = entrants
        self.cache = cache
        self.metric = metric
        self.limits = limits
        self.higher_is_better = higher_is_better
        self.n_folds = len(cache.folds)
        self.schedule = rungs(self.n_folds) if racing else [self.n_folds]
        self.say = progress or (lambda _done, _total, _what: None)
        self.on_result = on_result
        self.total = planned_fits(len(entrants), self.n_folds) if racing else (
            len(entrants) * self.n_folds
        )  # fmt: skip
        self.done = 0

    def run(self, runner: Callable[[list[Task], Race], None]) -> list[ModelResult]:
        """Run every rung with *runner*; every model's result, in the order they ended."""
        ended: list[ModelResult] = []
        self.on_result = _also_collect(self.on_result, ended)
        folds_done = 0
        for end in self.schedule:
            alive = self.alive()
            if end < self.n_folds and len(alive) <= MIN_FINALISTS:
                end = self.n_folds  # nobody left to cut: no need to wait at each rung
            self.say(self.done, self.total, f"{len(alive)} models on folds {folds_done + 1}–{end}")
            share = max(0.0, self.limits.end - time.monotonic()) * self.limits.workers / len(alive)
            for e in alive:  # the fair share of what is left of the budget
                e.allowance = e.spent + share
            runner([Task(e, f) for f in range(folds_done, end) for e in alive], self)
            folds_done = end
            if end == self.n_folds:
                break
            self._cut(folds_done)
        for e in self.alive():
            self._end(e, "done", "")
        self.say(self.total, self.total, "done")
        return ended

    def alive(self) -> list[Entrant]:
        return [e for e in self.entrants if not e.out]

    # --- what runners call ---

    def stop_reason(self, entrant: Entrant, running_for: float, waiting: bool) -> str:
        """Why *entrant* must stop now, or "" to let it run."""
        limits = self.limits
        if time.monotonic() >= limits.end:
            return f"stopped when the {limits.budget:g} s budget ran out"
        total = entrant.spent + running_for
        if limits.timeout is not None and total > limits.timeout:
            return f"stopped at its {limits.timeout:g} s time-out"
        if waiting and total > entrant.allowance:
            return f"stopped after {total:.0f} s, its share of the budget, while other fits waited"
        return ""

    def accept(self, task: Task, scored: FoldScore, seconds: float) -> None:
        """A fit finished: file its score."""
        e = task.entrant
        e.spent += seconds
        e.by_fold[task.fold] = scored.score  # workers may finish folds out of order
        e.result.scores[self.metric[0]] = [e.by_fold[f] for f in sorted(e.by_fold)]
        e.result.folds_done += 1
        e.fit_times.append(scored.fit_time)
        e.predict_times.append(scored.predict_time)
        if scored.warnings and scored.warnings not in e.result.message:
            e.result.message = "; ".join(filter(None, [e.result.message, scored.warnings]))
        self.done += 1
        self.say(self.done, self.total, f"{e.result.model}: fold {task.fold + 1}")

    def fail(self, task: Task, message: str, seconds: float) -> None:
        task.entrant.spent += seconds
        self._end(task.entrant, "failed", message)

    def stop(self, entrant: Entrant, reason: str) -> None:
        """Take *entrant* out of the race: timed out (skipped if it never ran a fold)."""
        if entrant.out:
            return
        folds = f"{entrant.result.folds_done} of {self.n_folds} folds done"
        if entrant.result.folds_done == 0 and "budget" in reason and entrant.spent == 0:
            self._end(entrant, "skipped", f"the {self.limits.budget:g} s budget was spent "
                      "before it could start")  # fmt: skip
        else:
            self._end(entrant, "timed out", f"{reason} ({folds})")

    # --- inside ---

    def _cut(self, folds_done: int) -> None:
        alive = self.alive()
        name = self.metric[0]
        means = {e.result.model: e.result.mean(name) for e in alive}
        keep = survivors(
            means, {e.result.model: e.spent for e in alive}, higher_is_better=self.higher_is_better
        )
        for e in alive:
            if e.result.model in keep:
                continue
            self._end(
                e,
                "dropped",
                f"behind after {folds_done} fold(s): {len(keep)} of the {len(alive)} models "
                "still racing scored better on the same folds, and only they went on",
            )

    def _end(self, entrant: Entrant, status: str, message: str) -> None:
        entrant.out = True
        r = entrant.result
        r.status = status
        r.message = "; ".join(filter(None, [message, r.message]))
        r.elapsed = entrant.spent
        r.fit_time = float(np.mean(entrant.fit_times)) if entrant.fit_times else math.nan
        r.predict_time = (
            float(np.mean(entrant.predict_times)) if entrant.predict_times else math.nan
        )
        self.on_result(r)


def _also_collect(
    callback: Callable[[ModelResult], None], into: list[ModelResult]
) -> Callable[[ModelResult], None]:
    def both(result: ModelResult) -> None:
        into.append(result)
        callback(result)

    return both


# --- the runners ---------------------------------------------------------------------------


def run_inline(tasks: list[Task], race: Race) -> None:
    """Every fit in this process, one after another; the limits checked between fits."""
    for i, task in enumerate(tasks):
        e = task.entrant
        if e.out:
            continue
        waiting = any(not t.entrant.out and t.entrant is not e for t in tasks[i + 1 :])
        reason = race.stop_reason(e, 0.0, waiting)
        if reason:
            race.stop(e, reason)
            continue
        tick = time.perf_counter()
        try:
            scored = fit_and_score(e.model, race.cache.get(e.key, task.fold), race.metric)
        except Exception as error:  # a model that cannot fit this data: say so, go on
            race.fail(task, error_text(error), time.perf_counter() - tick)
            continue
        race.accept(task, scored, time.perf_counter() - tick)


def pool_runner(pool: WorkerPool) -> Callable[[list[Task], Race], None]:
    """A runner that fits in *pool*'s workers, stopping a fit the moment it overruns."""

    def run(tasks: list[Task], race: Race) -> None:
        queue = list(tasks)
        while queue or pool.busy():
            queue = [t for t in queue if not t.entrant.out]
            for worker in pool.idle():
                if not queue:
                    break
                task = _next(queue, pool)
                arrays = race.cache.get(task.entrant.key, task.fold)
                pool.send_fit(
                    worker, task, task.entrant.model, task.entrant.key, task.fold, arrays,
                    race.metric,
                )  # fmt: skip
            for worker, task, seconds, answer in pool.wait(TICK_S):
                _file(race, pool, worker, task, seconds, answer)
            _stop_overruns(race, pool, queue)

    return run


def _next(queue: list[Task], pool: WorkerPool) -> Task:
    """The first queued fit of a model that is not running already (so that a quick model
    is not kept waiting behind the folds of a slow one), else the first."""
    running = {id(w.task.entrant) for w in pool.busy()}
    task = next((t for t in queue if id(t.entrant) not in running), queue[0])
    queue.remove(task)
    return task


def _file(
    race: Race, pool: WorkerPool, worker: Any, task: Task, seconds: float, answer: tuple[Any, ...]
) -> None:
    """File a worker's answer about *task*."""
    if answer[0] == "done":
        race.accept(task, answer[1], seconds)
    elif answer[0] == "error":
        race.fail(task, answer[1], seconds)
    else:  # the worker died under the fit (out of memory?): a fresh one takes its place
        code = answer[1]
        pool.replace(worker)
        hint = "; out of memory?" if code in (-9, 137) else ""
        race.fail(task, f"its process died (exit code {code}{hint})", seconds)


def _stop_overruns(race: Race, pool: WorkerPool, queue: list[Task]) -> None:
    """Kill the fits that must stop now; at the end of the budget, stop everything."""
    now = time.monotonic()
    for worker in pool.busy():
        task: Task = worker.task
        waiting = any(t.entrant is not task.entrant for t in queue)
        reason = race.stop_reason(task.entrant, now - worker.started, waiting)
        if reason:
            task.entrant.spent += now - worker.started
            pool.replace(worker)
            race.stop(task.entrant, reason)
    if now >= race.limits.end:
        for task in queue:
            race.stop(task.entrant, race.stop_reason(task.entrant, 0.0, False))
