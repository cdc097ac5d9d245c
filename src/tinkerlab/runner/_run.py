"""The Run: what executing a Recipe produced."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.recipe import PRECISION, render_notebook, render_script

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.recipe import Metric, Recipe


@dataclass
class Run:
    """The result of executing a Recipe: scores with their spread, the model, the plots.

    Attributes
    ----------
    recipe : Recipe
        What was run; ``run.script()`` renders it as code you own.
    pipeline : sklearn.pipeline.Pipeline
        Preprocessing + model, fitted on the training split.
    metrics, baseline : dict
        ``{"accuracy": {"cv_mean": .., "cv_std": .., "train_mean": .., "test": ..}}`` for the
        model and for a dummy baseline that ignores the features.
    summary : dict
        What went in (rows, features by role, class balance) and came out (confusion
        matrix or residuals, important features), and the per-fold scores.
    plot_data : dict
        What draws each plot (``runner._plots.plot_data``): plain values, kept by the
        journal. ``run.plots`` draws the PNGs from it the first time it is read; a run
        never imports matplotlib itself.
    """

    recipe: Recipe
    pipeline: Any
    metrics: dict[str, dict[str, float]]
    baseline: dict[str, dict[str, float]]
    metric_specs: tuple[Metric, ...]
    summary: dict[str, Any]
    timings: dict[str, float]
    notices: list[str]
    data_sha256: str
    predictions: pd.DataFrame
    #: What draws each plot: ``{"confusion_matrix.png": {"kind": ..., ...}}``.
    plot_data: dict[str, dict[str, Any]] = field(default_factory=dict)
    id: int | None = None  # the journal's id, once recorded
    #: Where the journal keeps the plots; each is drawn there when first asked for
    #: (``tinkerlab journal show``, the web lab, ``export``).
    plot_paths: list[Path] = field(default_factory=list)
    #: What the detectors spotted (``tinkerlab.insight.Finding``; also in ``summary``).
    phenomena: list[Any] = field(default_factory=list)
    unlocked: list[str] = field(default_factory=list)  # theory cards this run unlocked
    _drawn: dict[str, bytes] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def plots(self) -> dict[str, bytes]:
        """Every plot as PNG bytes (``{"confusion_matrix.png": b"..."}``), drawn from
        :attr:`plot_data` the first time it is read."""
        if self._drawn is None:
            from tinkerlab.runner._plots import draw_plots

            self._drawn = draw_plots(self.plot_data)
        return self._drawn

    @property
    def dataset_name(self) -> str:
        """The dataset as the user named it."""
        return self.recipe.dataset

    @property
    def task(self) -> str:
        """``classification`` or ``regression``."""
        return self.recipe.task

    @property
    def model(self) -> str:
        """The registry name of the model."""
        return self.recipe.model

    @property
    def primary_metric(self) -> str:
        """The metric shown first: accuracy or RMSE."""
        return self.metric_specs[0].name if self.task == "classification" else "rmse"

    def to_dict(self) -> dict[str, Any]:
        """Everything about the run that JSON can hold (what ``--json`` prints)."""
        return {
            "id": self.id,
            "dataset": self.dataset_name,
            "task": self.task,
            "model": self.model,
            "metrics": self.metrics,
            "baseline": self.baseline,
            "summary": self.summary,
            "timings": self.timings,
            "notices": self.notices,
            "plots": [str(p) for p in self.plot_paths] or sorted(self.plot_data),
            "data_sha256": self.data_sha256,
            "recipe": self.recipe.to_dict(),
            "phenomena": [f.to_dict() for f in self.phenomena],
            "unlocked_cards": list(self.unlocked),
        }

    def metric_lines(self, which: str = "model") -> list[str]:
        """The scores, formatted exactly as the generated script prints them."""
        scores = self.metrics if which == "model" else self.baseline
        return [
            f"  {name:<18} cv {s['cv_mean']:.{PRECISION}f} ± {s['cv_std']:.{PRECISION}f}"
            f"  test {s['test']:.{PRECISION}f}"
            for name, s in scores.items()
        ]

    def script(self) -> str:
        """A standalone pandas + scikit-learn script that reproduces these numbers."""
        return render_script(
            self.recipe, self.metric_specs, self._reading_code(), self._header("python FILE")
        )

    def notebook(self) -> str:
        """The same as :meth:`script`, as a Jupyter notebook (JSON)."""
        return render_notebook(
            self.recipe, self.metric_specs, self._reading_code(), self._header("Run All")
        )

    def _reading_code(self) -> str:
        from tinkerlab.data import reading_code

        return reading_code(self.recipe.source, var="frame")

    def _header(self, how_to_run: str) -> str:
        from tinkerlab._version import __version__

        ref = f" (journal run {self.id})" if self.id is not None else ""
        return (
            f"{self.recipe.model} on {self.recipe.dataset}: predict {self.recipe.target!r} "
            f"({self.recipe.task}).\n\nGenerated by tinkerlab {__version__} from a run{ref}; it "
            f"prints the same scores.\nRe-run it with: {how_to_run}"
        )

    def __repr__(self) -> str:
        p = self.primary_metric
        s = self.metrics[p]
        ref = f"#{self.id} " if self.id is not None else ""
        return (
            f"<Run {ref}{self.model} on {self.dataset_name}: {p} cv {s['cv_mean']:.3f} ± "
            f"{s['cv_std']:.3f}, test {s['test']:.3f} (baseline {self.baseline[p]['test']:.3f})>"
        )

    def _repr_html_(self) -> str:
        """A rich summary for Jupyter: inputs, scores beside the baseline, top features."""
        e = html.escape
        inputs = self.summary["inputs"]
        rows = "".join(
            f"<tr><td>{e(name)}</td><td>{s['cv_mean']:.{PRECISION}f} ± {s['cv_std']:.{PRECISION}f}"
            f"</td><td>{s['test']:.{PRECISION}f}</td>"
            f"<td>{self.baseline[name]['test']:.{PRECISION}f}</td></tr>"
            for name, s in self.metrics.items()
        )
        feats = inputs["features"]
        roles = ", ".join(f"{len(v)} {k}" for k, v in feats.items() if v)
        top = "".join(
            f"<li>{e(str(r['feature']))}: {r['importance']:.4f}</li>"
            for r in self.summary["outputs"]["importances"][:5]
        )
        notices = "".join(f"<li>{e(n)}</li>" for n in self.notices)
        images = "".join(
            f'<img src="data:image/png;base64,{_b64(png)}" style="max-width:32%" alt="{e(name)}"/>'
            for name, png in self.plots.items()
        )
        title = f"Run #{self.id}" if self.id is not None else "Run"
        return (
            f"<div><h4>{title}: {e(self.model)} on {e(self.dataset_name)}</h4>"
            f"<p>Predict <b>{e(self.recipe.target)}</b> ({self.task}) from {roles}; "
            f"{inputs['train_rows']} training rows, {inputs['test_rows']} test rows, "
            f"{self.recipe.cv_folds}-fold CV, seed {self.recipe.seed}.</p>"
            "<table><tr><th>metric</th><th>CV mean ± std</th><th>test</th>"
            f"<th>baseline test</th></tr>{rows}</table>"
            + (f"<p>Most important features:</p><ul>{top}</ul>" if top else "")
            + (f"<p>Notices:</p><ul>{notices}</ul>" if notices else "")
            + f"<div>{images}</div>"
            "<p><code>run.script()</code> gives the code that reproduces these numbers.</p></div>"
        )


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")
