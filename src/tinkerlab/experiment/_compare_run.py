"""Running a comparison's race: who fits which fold, where, and for how long.

:class:`Race` holds the models (:class:`Entrant`) and the rules: the rungs and cuts of
successive halving (:mod:`~tinkerlab.experiment._race`), and the time limits. A *runner*
asks the race for the next fit whenever it can start one (:meth:`Race.next_task`), files
each result, and asks, as it goes, whether a model must stop. There is no barrier at the
end of a rung: a model is promoted or dropped as soon as its fate is sure, and a free
worker takes the next fit at once (asynchronous successive halving, as in Li et al. 2020,
"A system for massively parallel hyperparameter tuning", MLSys, but promoting only what
the synchronous rule would promote):

* :func:`run_inline` fits in this process, one fit at a time (forests of a larger table
  grow their trees on every core, on threads; a small table's on one). Nothing is
  started, so tiny tables finish in a blink; but a fit cannot be interrupted, so the
  limits are **soft**: checked between fits.
* :func:`pool_runner` fits in a :class:`~tinkerlab.experiment._pool.WorkerPool`, one fit
  per worker at a time; a fit that overruns is **stopped** at once (its worker killed
  and replaced). A worker that would otherwise wait while the rule allows no fit (the
  end of a race: one model's folds left, one of them running) **runs ahead**: it fits
  the next fold of the model most likely to go on (:meth:`Race.next_task`). Its score is
  parked until the model enters the rung of that fold, and thrown away if the model is
  dropped first, so the race decides and reports exactly what it would without it;
  only the idle time is used.

The limits, for both: the whole ``budget``; a hard ``timeout`` per model (all its folds
together); and, while other fits wait, a model's fair share: when it enters a rung,
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
from tinkerlab.experiment._race import places, planned_fits, rungs

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
    rung: int = 0  # the rung it runs now (index into the race's schedule)
    next_fold: int = 0  # the next fold to hand out
    running: int = 0  # its fits running now
    by_fold: dict[int, float] = field(default_factory=dict)  # fold -> validation score
    ahead: dict[int, FoldScore] = field(default_factory=dict)  # folds run ahead of its rung
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
    """Successive halving over the folds, within the limits (see the module docstring).

    The race is **asynchronous**: there is no barrier at the end of a rung. A runner asks
    :meth:`next_task` for a fit whenever a worker is free; a model that finished a rung is
    promoted the moment it is sure to be among the rung's best ``keep`` whatever the models
    still running score (fewer than ``keep`` are ahead of it or still unknown), and dropped
    the moment ``keep`` others scored better than it on the same folds. The decisions are
    exactly those of the synchronous rule (:func:`~tinkerlab.experiment._race.survivors`,
    ties to the model that starts first), only taken earlier; a model that ends (done, dropped,
    stopped or failed) is reported at once (``on_result``: its journal point lands then).
    """

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
        self.keep = places(len(entrants), len(self.schedule))
        self.say = progress or (lambda _done, _total, _what: None)
        self.on_result = on_result
        self.total = planned_fits(len(entrants), self.n_folds) if racing else (
            len(entrants) * self.n_folds
        )  # fmt: skip
        self.done = 0
        self.entered: list[list[Entrant]] = [[] for _ in self.schedule]  # who entered rung k
        self.finished: list[dict[int, tuple[float, float]]] = [{} for _ in self.schedule]

    def run(self, runner: Callable[[Race], None]) -> list[ModelResult]:
        """Run the race with *runner*; every model's result, in the order they ended."""
        ended: list[ModelResult] = []
        self.on_result = _also_collect(self.on_result, ended)
        self.say(0, self.total, f"{len(self.entrants)} models on fold 1")
        for e in self.entrants:
            self._enter(e, 0)
        runner(self)
        for e in self.alive():  # pragma: no cover - every model is decided by now
            self._end(e, "done", "")
        self.say(self.total, self.total, "done")
        return ended

    def alive(self) -> list[Entrant]:
        return [e for e in self.entrants if not e.out]

    # --- what runners call ---

    def next_task(self, *, ahead: bool = False) -> Task | None:
        """The next fit to start, or None while every fit that can run is running.

        Lower rungs first (their results decide who goes on), and among them a model with
        no fit running before one that has (so a quick model is not kept waiting behind
        the folds of a slow one); then the order the models were given in.

        With *ahead*, when no fit is allowed yet, a fold of the next rung of the model
        most likely to reach it: the furthest along, then the best so far (a free worker
        would otherwise wait; the score is parked until the model enters that rung).
        """
        ready = [e for e in self.alive() if e.next_fold < self.schedule[e.rung]]
        if ready:
            e = min(ready, key=lambda x: (x.rung, x.running > 0))
        elif ahead and (later := [e for e in self.alive() if self._may_run_ahead(e)]):
            e = min(later, key=self._standing)
        else:
            return None
        task = Task(e, e.next_fold)
        e.next_fold += 1
        e.running += 1
        return task

    def _may_run_ahead(self, entrant: Entrant) -> bool:
        """Whether *entrant* has a fold of its next rung not yet started."""
        k = entrant.rung + 1
        return k < len(self.schedule) and entrant.next_fold < self.schedule[k]

    def _standing(self, entrant: Entrant) -> tuple[int, float, int]:
        """Sort key of the models that may run ahead: furthest rung, then best mean over
        the folds scored so far, then the start order."""
        sign = 1.0 if self.higher_is_better else -1.0
        mean = entrant.result.mean(self.metric[0])
        return (-entrant.rung, math.inf if math.isnan(mean) else -sign * mean,
                self.entrants.index(entrant))  # fmt: skip

    def waiting_besides(self, entrant: Entrant) -> bool:
        """Whether a fit of another model could start now if a worker were free."""
        return any(e is not entrant and e.next_fold < self.schedule[e.rung] for e in self.alive())

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
        """A fit finished: file its score, and end or promote its model if it can be."""
        e = task.entrant
        e.spent += seconds
        e.running -= 1
        if e.out:  # stopped (or dropped, after running ahead) while this fold ran
            return
        if task.fold >= self.schedule[e.rung]:  # ran ahead: filed when e enters that rung
            e.ahead[task.fold] = scored
            return
        if self._file(e, task.fold, scored):
            self._decide()

    def _file(self, e: Entrant, fold: int, scored: FoldScore) -> bool:
        """File one fold's score of *e*; True when it completes *e*'s rung (its mean then
        enters the rung's standings)."""
        e.by_fold[fold] = scored.score  # workers may finish folds out of order
        e.result.scores[self.metric[0]] = [e.by_fold[f] for f in sorted(e.by_fold)]
        e.result.folds_done += 1
        e.fit_times.append(scored.fit_time)
        e.predict_times.append(scored.predict_time)
        if scored.warnings and scored.warnings not in e.result.message:
            e.result.message = "; ".join(filter(None, [e.result.message, scored.warnings]))
        self.done += 1
        self.say(self.done, self.total, f"{e.result.model}: fold {fold + 1}")
        if len(e.by_fold) < self.schedule[e.rung]:
            return False
        mean = e.result.mean(self.metric[0])
        # Ties at the cut go to the model that starts first (quick ones first, see
        # START_ORDER): a fixed order, so the same data gives the same race every time.
        # Ties are common (accuracy on 100 rows moves in steps of 0.01); breaking them by
        # measured seconds let a millisecond of noise pick the finalist.
        self.finished[e.rung][id(e)] = (mean, self.entrants.index(e))
        return True

    def fail(self, task: Task, message: str, seconds: float) -> None:
        task.entrant.spent += seconds
        task.entrant.running -= 1
        if not task.entrant.out:
            self._end(task.entrant, "failed", message)
            self._decide()

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
        self._decide()

    # --- inside ---

    def _enter(self, entrant: Entrant, rung: int) -> None:
        """*entrant* starts *rung*, with its fair share of what is left of the budget."""
        entrant.rung = rung
        self.entered[rung].append(entrant)
        left = max(0.0, self.limits.end - time.monotonic())
        entrant.allowance = entrant.spent + left * self.limits.workers / len(self.alive())
        for fold in sorted(f for f in entrant.ahead if f < self.schedule[rung]):
            self._file(entrant, fold, entrant.ahead.pop(fold))  # the caller decides next

    def _decide(self) -> None:
        """Promote, drop or end every model whose fate at its rung is now sure."""
        changed = True
        while changed:  # a decision at one rung can settle the next
            changed = False
            for k in range(len(self.schedule)):
                changed |= self._decide_rung(k)

    def _decide_rung(self, k: int) -> bool:
        sign = 1.0 if self.higher_is_better else -1.0
        finished = self.finished[k]
        ranked = {i: (-sign * m, c) for i, (m, c) in finished.items() if not math.isnan(m)}
        unknown = sum(1 for e in self.entered[k] if not e.out and id(e) not in finished)
        if k > 0:  # models that may still be promoted into this rung
            below = sum(1 for e in self.alive() if e.rung < k)
            unknown += min(below, self.keep[k - 1] - len(self.entered[k]))
        changed = False
        for e in [e for e in self.entered[k] if not e.out and e.rung == k and id(e) in finished]:
            key = ranked.get(id(e))
            ahead = len(ranked) if key is None else sum(1 for v in ranked.values() if v < key)
            if k == len(self.schedule) - 1:  # every fold run: a finalist, ended at once
                self._end(e, "done", "")
            elif key is not None and ahead + unknown < self.keep[k]:
                self._enter(e, k + 1)
            elif key is None or ahead >= self.keep[k]:
                self._drop(e, k)
            else:
                continue  # not sure yet: wait for the models still running this rung
            changed = True
        return changed

    def _drop(self, entrant: Entrant, k: int) -> None:
        self._end(
            entrant,
            "dropped",
            f"behind after {self.schedule[k]} fold(s): at least {self.keep[k]} of the "
            f"{len(self.entered[k])} models racing on them scored better on the same "
            "folds, and only the best of them went on",
        )

    def _end(self, entrant: Entrant, status: str, message: str) -> None:
        """*entrant* leaves the race; its result is reported at once (``on_result``)."""
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


def run_inline(race: Race) -> None:
    """Every fit in this process, one after another; the limits checked between fits."""
    while (task := race.next_task()) is not None:
        e = task.entrant
        reason = race.stop_reason(e, 0.0, race.waiting_besides(e))
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


def pool_runner(pool: WorkerPool) -> Callable[[Race], None]:
    """A runner that fits in *pool*'s workers, stopping a fit the moment it overruns. A
    worker that comes free gets the next fit at once (no barrier between rungs)."""

    def run(race: Race) -> None:
        while race.alive() or pool.busy():
            for worker in pool.idle():
                task = race.next_task(ahead=True)  # rather than leave a worker idle
                if task is None:
                    break
                arrays = race.cache.get(task.entrant.key, task.fold)
                pool.send_fit(
                    worker, task, task.entrant.model, task.entrant.key, task.fold, arrays,
                    race.metric,
                )  # fmt: skip
            if not pool.busy() and pool.idle() and len(pool.idle()) == len(pool.workers):
                break  # pragma: no cover - nothing runs and nothing can start
            for worker, task, seconds, answer in pool.wait(TICK_S):
                _file(race, pool, worker, task, seconds, answer)
            _stop_overruns(race, pool)

    return run


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


def _stop_overruns(race: Race, pool: WorkerPool) -> None:
    """Kill the fits that must stop now; at the end of the budget, stop everything."""
    now = time.monotonic()
    for worker in pool.busy():
        task: Task = worker.task
        e = task.entrant
        if e.out:  # stopped or failed on another fold: this fold is of no use now
            pool.replace(worker)
            continue
        reason = race.stop_reason(e, now - worker.started, race.waiting_besides(e))
        if reason:
            e.spent += now - worker.started
            pool.replace(worker)
            race.stop(e, reason)
    if now >= race.limits.end:
        for e in race.alive():
            race.stop(e, race.stop_reason(e, 0.0, False))
