"""What the journal keeps of a comparison: an experiment whose knob is ``model``.

``spec["kind"] == "compare"`` tells it from a tinker sweep; each model is a point,
committed the moment it leaves the race (finished, dropped, stopped or skipped) with the
validation score of every fold it ran (``None`` for the folds it did not); the summary
holds the leaderboard, the best and the models tied with it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tinkerlab.experiment._compare_board import Comparison, ModelResult

if TYPE_CHECKING:
    from tinkerlab.experiment._experiment import ExperimentStore
    from tinkerlab.recipe import Recipe


def experiment_record(recipe: Recipe, sweep: Any, comparison: Comparison) -> dict[str, Any]:
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
            "engine": _engine(comparison),
            "racing": comparison.racing,
        },
        "notices": list(comparison.notices),
    }


def store_point(
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


def summary_record(comparison: Comparison, positions: Mapping[str, int]) -> dict[str, Any]:
    data = comparison.to_dict()
    best = comparison.best
    keep = ("verdict_text", "method", "alpha", "metric", "higher_is_better", "leaderboard",
            "test_scores", "test_rows", "budget_s", "elapsed_s", "notices", "racing",
            "in_process")  # fmt: skip
    return {k: data[k] for k in keep} | {
        "kind": "compare",
        "best": None if best is None else positions[best],
        "tied_with_best": [positions[r.model] for r in comparison.results if r.tied_with_best],
    }


def _engine(comparison: Comparison) -> str:
    if comparison.in_process:
        return "local (this process)"
    return f"local ({comparison.workers} processes)"
