"""Adaptive repeats: while a sweep's shape is too noisy to tell, add repeats look by
look, within a time budget, judged by the group sequential design of
:mod:`~tinkerlab.experiment._sequential`.

The plan (how many looks, each look's level) is fixed after the first look from its
timing alone. Each further look fits every value on the new folds only (the first
repeats' folds are the same whatever the number of repeats: repeated k-fold draws them
one repeat after another from one seeded generator), and the whole experiment is
summarized again at that look's level. It stops when the shape is decided, at the last
look, or when the next look would overrun the budget; the record says which, and when
still undecided how many repeats would be needed (or that none would).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import numpy as np

from tinkerlab.experiment._engine import Engine
from tinkerlab.experiment._evaluate import FoldResult
from tinkerlab.experiment._folds import paired_folds
from tinkerlab.experiment._records import SweepProgress
from tinkerlab.experiment._result import Experiment, PointResult
from tinkerlab.experiment._sequential import (
    MOST_REPEATS,
    SEQUENTIAL_METHOD,
    Design,
    plan_design,
    repeats_needed,
)
from tinkerlab.experiment._shape import NOISY, flat_tolerance
from tinkerlab.experiment._stats import design_rows
from tinkerlab.experiment._summary import Curve
from tinkerlab.experiment._sweep import _build, _fold_results, _Plan, _point_result
from tinkerlab.options import spell


def decide(
    plan: _Plan,
    engine: Engine,
    experiment: Experiment,
    first_seconds: float,
    budget: float,
    progress: SweepProgress | None,
) -> tuple[Experiment, dict[str, Any]]:
    """Add repeats, look by look, while the shape is too noisy to tell (see
    :mod:`~tinkerlab.experiment._sequential`); the last experiment and how it went."""
    recipe, repeats = plan.recipe, plan.repeats
    per_repeat = max(first_seconds, 1e-3) / repeats
    affordable = repeats + int(budget // per_repeat)  # planned from the timing alone
    design = plan_design(repeats, min(MOST_REPEATS, affordable), recipe.cv_folds, _ratio(plan))
    experiment = _build(plan, experiment.points, experiment.id, design.alphas[0])
    spent = 0.0
    left_out = 0  # repeats of the next look, when the budget left it out
    while experiment.summary.shape.shape == NOISY and len(experiment.points) > 1:
        nxt = design.next_look(repeats)
        if nxt is None:  # the plan's last look, or none planned: the budget affords none
            left_out = 1 if affordable < MOST_REPEATS else 0
            break
        if spent + per_repeat * (nxt - repeats) > budget:
            left_out = nxt - repeats
            break
        tick = time.perf_counter()
        points = _extend(plan, engine, experiment.points, nxt, progress)
        spent += time.perf_counter() - tick
        repeats = nxt
        experiment = _build(plan, points, experiment.id, design.alpha_at(repeats))
    why_stopped = (
        f" (the budget stopped it: {_repeats(left_out)} more would take about "
        f"{per_repeat * left_out:.0f} s, past the {budget:g} s a sweep may spend adding repeats)"
        if left_out
        else ""
    )
    return experiment, _sequential_record(plan, design, experiment, repeats, why_stopped)


def _ratio(plan: _Plan) -> float:
    """The largest ``n_test/n_train`` of the split's design: the correction's floor."""
    train, test = zip(*((len(t), len(v)) for t, v in plan.shared.folds), strict=True)
    rows = design_rows(plan.sweep.kind.name, [1.0], [float(np.mean(train))], [float(np.mean(test))])
    ratio = float(rows[1][0] / rows[0][0])
    if plan.sweep.kind.name == "test_size":  # each value splits the whole table its own way
        shares = [float(v) for v in plan.sweep.values]
        ratio = max(s / (1 - s) for s in shares)
    return ratio


def _sequential_record(
    plan: _Plan, design: Design, experiment: Experiment, repeats: int, why_stopped: str = ""
) -> dict[str, Any]:
    """How the adaptive repeats went: the plan, where it stopped (*why_stopped*: the
    budget, in words, when that stopped it), what more would take."""
    shape = experiment.summary.shape
    decided = shape.shape != NOISY
    record: dict[str, Any] = {
        **design.to_dict(),
        "first": plan.repeats,
        "repeats": repeats,
        "decided": decided,
        "needed": None,
        "text": "",
    }
    if decided:
        record["text"] = (
            f"decided after {repeats} repeats ({repeats * plan.recipe.cv_folds} paired folds)"
            if repeats > plan.repeats
            else f"decided at the first look ({repeats} repeats)"
        )
        return record
    needed = _needed(plan, design, experiment)
    record["needed"] = needed
    if needed is None:
        record["text"] = (
            f"still too noisy after {_repeats(repeats)}{why_stopped}, and no number of "
            f"repeats would decide it: the folds share rows (n_test/n_train = "
            f"{design.ratio:.2g}), so only more rows would narrow the interval"
        )
    else:
        record["text"] = (
            f"still too noisy after {_repeats(repeats)}{why_stopped}; about {needed} repeats "
            f"would decide it (if the difference stays as measured): {spell('repeats', needed)}"
        )
    return record


def _repeats(n: int) -> str:
    return f"{n} repeat" if n == 1 else f"{n} repeats"


def _needed(plan: _Plan, design: Design, experiment: Experiment) -> int | None:
    """Repeats that would decide the highest-vs-lowest comparison, projected."""
    name = experiment.metric.name
    points = experiment.points
    rows = design_rows(
        plan.sweep.kind.name, [p.value for p in points], [p.n_train for p in points],
        [p.n_test for p in points],
    )  # fmt: skip
    curve = Curve([np.asarray(p.test[name]) for p in points], rows, alpha=experiment.alpha)
    if len(curve.usable) < 2:
        return None
    means = {i: float(np.mean(curve.folds[i])) for i in curve.usable}
    hi, lo = max(means, key=means.__getitem__), min(means, key=means.__getitem__)
    level = float(np.mean(list(means.values())))
    return repeats_needed(
        curve.test(hi, lo),
        cv_folds=plan.recipe.cv_folds,
        ratio=design.ratio,
        alpha=design.alphas[-1],
        tolerance=flat_tolerance(name, abs(level)),
    )


def _extend(
    plan: _Plan,
    engine: Engine,
    points: list[PointResult],
    repeats: int,
    progress: SweepProgress | None,
) -> list[PointResult]:
    """Every point fitted on the folds of *repeats* that it has not seen yet."""
    old = len(plan.shared.folds)
    every = paired_folds(plan.recipe, plan.shared.X, plan.shared.y, repeats)
    plan.shared = replace(plan.shared, folds=tuple(every))
    new = range(old, len(every))
    total = len(points) * len(new)
    say = progress or (lambda _done, _total, _what: None)
    say(0, total, f"too noisy to tell: adding repeats up to {repeats} ({SEQUENTIAL_METHOD[:24]}…)")
    buckets: dict[int, list[FoldResult]] = {p.position: [] for p in points}
    todo = [plan.sweep.points[p.position] for p in points]
    for finished, result in enumerate(_fold_results(plan, engine, todo, new), start=1):
        buckets[result.position].append(result)
        say(finished, total, f"{plan.sweep.knob}: repeats up to {repeats}")
    return [_merged(p, buckets[p.position]) for p in points]


def _merged(point: PointResult, results: list[FoldResult]) -> PointResult:
    """*point* with the scores of more folds appended (fold order kept)."""
    more = _point_result(point.position, point.value, point.label, results)
    n_old, n_new = len(next(iter(point.test.values()))), len(results)
    share = n_old / (n_old + n_new)
    return PointResult(
        position=point.position,
        value=point.value,
        label=point.label,
        train={m: [*point.train[m], *more.train[m]] for m in point.train},
        test={m: [*point.test[m], *more.test[m]] for m in point.test},
        fit_time=share * point.fit_time + (1 - share) * more.fit_time,
        n_train=share * point.n_train + (1 - share) * more.n_train,
        n_test=share * point.n_test + (1 - share) * more.n_test,
        notices=sorted({*point.notices, *more.notices}),
    )
