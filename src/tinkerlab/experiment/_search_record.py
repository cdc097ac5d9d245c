"""What the journal keeps of a search: an experiment of kind ``"search"``.

As a comparison does (:mod:`~tinkerlab.experiment._compare_record`), a search uses the
experiment tables as they are (no migration): ``spec["kind"] == "search"`` tells it from
a tinker sweep, its knob is the knobs searched (``"C,gamma"``), each setting is a point
whose value is the setting itself (``{"C": 1.6, "gamma": 0.01}``) with the fold scores of
the last rung it ran (``None`` for folds it did not run), and the summary holds the
best setting, the runner-up, the test of the lead, the test score, the chart's
Vega-Lite spec and the best setting's script.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from tinkerlab.experiment._search_result import Search

if TYPE_CHECKING:
    from tinkerlab.experiment._experiment import ExperimentStore
    from tinkerlab.recipe import Recipe


def experiment_record(recipe: Recipe, found: Search) -> dict[str, Any]:
    """The experiment as it starts: every setting planned, none scored yet."""
    labels = [c.label for c in found.candidates]
    return {
        "dataset": recipe.dataset,
        "task": recipe.task,
        "model": recipe.model,
        "knob": ",".join(found.knobs),
        "knob_kind": "search",
        "spec": {
            "kind": "search",
            "recipe": recipe.to_dict(),
            "knob": ",".join(found.knobs),
            "knobs": list(found.knobs),
            "domains": list(found.domains),
            "mode": None,
            "values": [c.params for c in found.candidates],
            "labels": labels,
            "scale": "linear",
            "ordered": False,
            "default": None,
            "reference": 0,
            "metric": found.metric.name,
            "repeats": found.repeats,
            "strategy": found.strategy,
            "racing": found.racing,
        },
        "notices": list(found.notices),
    }


def finish_record(store: ExperimentStore, experiment_id: int, found: Search) -> None:
    """Every setting as a point, then the summary (with the script), all recorded."""
    folds = found.cv * found.repeats
    for position, c in enumerate(found.candidates):
        scores: list[float | None] = [*c.scores, *[None] * (folds - len(c.scores))]
        store.record_point(
            experiment_id,
            {
                "position": position,
                "value": c.params,
                "label": c.label,
                "train": {},  # a search scores the validation rows only
                "test": {found.metric.name: scores},
                "fit_time": 0.0 if math.isnan(c.fit_time) else c.fit_time,
                "n_train": float(c.rows),
                "n_test": float(found.n_train / max(found.cv - 1, 1)),
                "notices": [] if c.scores else ["failed to fit"],
            },
        )
    store.finish_experiment(experiment_id, summary_record(found), {}, None)


def summary_record(found: Search) -> dict[str, Any]:
    """The summary the journal keeps: the search's JSON, the chart and the script."""
    from tinkerlab.charts import as_spec

    data = found.to_dict()
    data.pop("candidates")  # they are the points
    script = found.script() if found.best_recipe is not None else None
    chart = as_spec(found.chart()) if found.best is not None else None
    best_label = None if found.best is None else found.candidates[found.best].label
    return data | {"kind": "search", "best_position": found.best, "best_label": best_label,
                   "runner_up_position": found.runner_up, "script": script,
                   "chart": chart}  # fmt: skip
