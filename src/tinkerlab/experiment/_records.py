"""What an experiment hands its store (the journal), and the store's interface.

The experiment package sits below the journal in the layers: a ``store`` is anything
with the :class:`ExperimentStore` methods (:class:`tinkerlab.journal.Journal` has them).
An experiment row is written when the sweep starts, each point the moment its last fold
of the first look finishes, and the summary when it ends. Folds added later by adaptive
repeats travel in the summary (``extra_folds``), since a recorded point is never
rewritten.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from tinkerlab.experiment._knob_kinds import Sweep
from tinkerlab.experiment._shape import Prediction

if TYPE_CHECKING:
    from tinkerlab.experiment._result import Experiment
    from tinkerlab.recipe import Recipe

#: Called as fits finish: (fits done, fits in all, what is happening).
SweepProgress = Callable[[int, int, str], None]

#: An experiment's states in the journal.
STATUSES = ("running", "finished", "interrupted", "failed")


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) stopped a sweep; the finished points are recorded."""

    def __init__(self, experiment_id: int | None, done: int, total: int) -> None:
        super().__init__(f"interrupted after {done} of {total} values")
        self.experiment_id = experiment_id  # None when the sweep was not recorded
        self.done = done  # values finished (and recorded)
        self.total = total  # values in the sweep


#: Asked after the sweep is planned and before anything runs: the learner's prediction.
Ask = Callable[[Sweep], Prediction | None]

#: Called with the finished experiment before it is recorded: the phenomena it shows
#: (``tinkerlab.insight.detect``; the insight layer sits above this one, so it is passed in).
Detect = Callable[["Experiment"], list[Any]]


class ExperimentStore(Protocol):
    """Where an experiment is recorded as it runs (:class:`tinkerlab.journal.Journal`)."""

    def start_experiment(
        self, experiment: Mapping[str, Any], prediction: Mapping[str, Any] | None
    ) -> int:
        """Record a new, running experiment (and the prediction made before it); its id."""
        ...

    def record_point(self, experiment_id: int, point: Mapping[str, Any]) -> None:
        """Commit one finished point."""
        ...

    def mark_experiment(self, experiment_id: int, status: str) -> None:
        """Set the experiment's status (interrupted, failed)."""
        ...

    def finish_experiment(
        self,
        experiment_id: int,
        summary: Mapping[str, Any],
        plots: Mapping[str, bytes],
        prediction_score: Mapping[str, Any] | None,
    ) -> list[Path]:
        """Store the summary, the plots and the scored prediction; the plot files' paths."""
        ...


def experiment_record(
    recipe: Recipe, sweep: Sweep, metric: str, repeats: int, engine: str, adaptive: bool
) -> dict[str, Any]:
    """The experiment row: what to plan again on resume (``spec``) and its notices."""
    return {
        "dataset": recipe.dataset,
        "task": recipe.task,
        "model": recipe.model,
        "knob": sweep.knob,
        "knob_kind": sweep.kind.name,
        "spec": {
            "recipe": recipe.to_dict(),
            "knob": sweep.knob,
            "mode": sweep.mode,
            "values": list(sweep.values),
            "labels": sweep.labels,
            "scale": sweep.scale,
            "ordered": sweep.ordered,
            "default": sweep.default,
            "reference": sweep.reference,
            "metric": metric,
            "repeats": repeats,  # of the first look (adaptive repeats add more later)
            "adaptive": adaptive,
            "engine": engine,
        },
        "notices": list(sweep.notices),
    }


def prediction_record(prediction: Prediction | None, sweep: Sweep) -> dict[str, Any] | None:
    """The learner's prediction as the store keeps it (None: no prediction)."""
    if prediction is None:
        return None
    return {
        "knob": sweep.knob,
        "knob_kind": sweep.kind.name,
        "shape": prediction.shape,
        "best_value": prediction.best,
        "best_score": prediction.score,
    }


def summary_record(experiment: Experiment, recorded_folds: int) -> dict[str, Any]:
    """The summary row: the verdicts, the findings, and the folds beyond the first
    *recorded_folds* (added by adaptive repeats after the points were recorded)."""
    data = experiment.to_dict()
    keep = (
        "best",
        "best_label",
        "tied_with_best",
        "verdict",
        "verdict_text",
        "method",
        "shape",
        "shape_reason",
        "metric",
        "higher_is_better",
        "reference",
        "reference_reason",
        "engine",
        "notices",
        "baseline",
        "majority",
        "n_classes",
        "flexible",
        "phenomena",
        "repeats",
        "alpha",
        "sequential",
        "shape_also",
    )
    name = experiment.metric.name
    extra = {
        str(p.position): {
            "train": _floats(p.train[name][recorded_folds:]),
            "test": _floats(p.test[name][recorded_folds:]),
        }
        for p in experiment.points
        if len(p.test[name]) > recorded_folds
    }
    return {k: data[k] for k in keep} | {
        "elapsed_s": round(experiment.elapsed, 3),
        "recorded_folds": recorded_folds,
        "extra_folds": extra,
    }


def _floats(scores: list[float]) -> list[float | None]:
    """JSON-able scores: NaN becomes None."""
    return [float(v) if v == v else None for v in scores]
