"""What a search found: every setting tried, the best, its lead, the charts, the script.

:class:`Search` is what :func:`~tinkerlab.experiment.search` returns: one
:class:`Candidate` per setting (how far it got in the race, its fold scores there), the
best setting and the runner-up scored on the same full folds, the corrected resampled
t-test of the best's lead (:mod:`~tinkerlab.experiment._stats`), the best setting's test
score, and the charts: a heat map of the score over two knobs, parallel coordinates for
more (Altair, drawn offline by :mod:`tinkerlab.charts`).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.experiment._stats import TestResult
    from tinkerlab.recipe import Metric, Recipe


@dataclass
class Candidate:
    """One setting of the knobs and how it did."""

    params: dict[str, Any]  # knob -> value, e.g. {"C": 1.6, "gamma": 0.01}
    label: str  # "C=1.6, gamma=0.01"
    scores: list[float]  # the metric on each fold of the last rung it ran (our sign)
    rows: int  # training rows of the rung it reached (all of them for a finalist)
    rung: int  # the last rung it ran, 0 = the first
    fit_time: float  # mean seconds per fit on that rung

    @property
    def mean(self) -> float:
        return float(np.mean(self.scores)) if self.scores else math.nan

    @property
    def std(self) -> float:
        return float(np.std(self.scores)) if self.scores else math.nan


@dataclass
class Search:
    """The outcome of a search: the settings tried, the best, its lead, charts, script."""

    dataset: str
    task: str
    target: str
    model: str
    metric: Metric  # what the settings are ranked by
    knobs: list[str]  # the knobs searched, in the order given
    domains: list[str]  # each knob's range or values in words
    strategy: str  # "grid" or "random"
    racing: str  # the racing rule in words, "" when every setting ran every fold
    candidates: list[Candidate]
    best: int | None = None  # index into candidates
    runner_up: int | None = None
    best_scores: list[float] = field(default_factory=list)  # on every full fold
    runner_up_scores: list[float] = field(default_factory=list)
    lead: TestResult | None = None  # best against runner-up, paired by fold
    test_scores: dict[str, float] = field(default_factory=dict)  # best, on the test split
    best_recipe: Recipe | None = None
    cv: int = 5
    repeats: int = 1
    n_train: int = 0  # training rows of a full fold
    n_classes: int = 0  # classes of the target (0 for regression): the script's metrics
    n_fits: int = 0
    elapsed: float = 0.0
    engine: str = ""
    notices: list[str] = field(default_factory=list)
    id: int | None = None  # the journal's experiment id, once recorded

    # --- reading --------------------------------------------------------------------------

    @property
    def higher_is_better(self) -> bool:
        return bool(self.metric.higher_is_better)

    @property
    def best_params(self) -> dict[str, Any]:
        """The best setting, ``{"C": 1.6, "gamma": 0.01}`` (empty if nothing scored)."""
        return {} if self.best is None else dict(self.candidates[self.best].params)

    def ranked(self) -> list[int]:
        """Indices of the scored settings, best first: the best and the runner-up (chosen
        on every full fold), then the furthest rung reached, then the mean score."""
        sign = 1.0 if self.higher_is_better else -1.0
        scored = [i for i, c in enumerate(self.candidates) if c.scores]
        order = sorted(scored, key=lambda i: (-self.candidates[i].rung,
                                              -sign * self.candidates[i].mean, i))  # fmt: skip
        top = [i for i in (self.best, self.runner_up) if i is not None]
        return top + [i for i in order if i not in top]

    @property
    def frame(self) -> pd.DataFrame:
        """One row per scored setting, best first: the knobs, mean ± std over the folds of
        the last rung it ran, its training rows there and the rung."""
        import pandas as pd

        rows = [
            {**self.candidates[i].params, "mean": self.candidates[i].mean,
             "std": self.candidates[i].std, "folds": len(self.candidates[i].scores),
             "rows": self.candidates[i].rows, "rung": self.candidates[i].rung,
             "fit_s": self.candidates[i].fit_time}
            for i in self.ranked()
        ]  # fmt: skip
        return pd.DataFrame(rows)

    def verdict_text(self) -> str:
        """The best setting, its lead over the runner-up and whether it is beyond noise."""
        if self.best is None:
            return "No setting could be scored."
        best = self.candidates[self.best]
        name = self.metric.name
        text = (
            f"Best: {best.label} ({name} {np.mean(self.best_scores):.4f} ± "
            f"{np.std(self.best_scores):.4f} over {len(self.best_scores)} full folds)"
        )
        if self.lead is None or self.runner_up is None:
            return text + "."
        runner = self.candidates[self.runner_up]
        lead = self.lead
        gap = f"{abs(lead.mean_diff):.4f} (95% CI {lead.ci_low:+.4f} to {lead.ci_high:+.4f})"
        if lead.significant():
            judged = f"a real lead (p = {lead.p_value:.3f})"
        else:
            judged = (
                f"within noise (p = {lead.p_value:.2f}): either setting is as good, prefer the "
                "simpler or faster one"
            )
        return f"{text}; ahead of {runner.label} by {gap}, {judged} [{lead.method}]."

    # --- charts ---------------------------------------------------------------------------

    def chart(self) -> Any:
        """A heat map of the mean score over two knobs (one knob: a line; more: parallel
        coordinates), each setting at the rung it reached."""
        from tinkerlab import charts

        rows = [
            {**{k: _plain(v) for k, v in c.params.items()}, self.metric.name: c.mean,
             "rung": c.rung}
            for c in self.candidates if not math.isnan(c.mean)
        ]  # fmt: skip
        title = f"{self.model} on {self.dataset}: {self.metric.name} by setting"
        if len(self.knobs) == 2:
            return charts.score_heatmap(rows, self.knobs[0], self.knobs[1], self.metric.name,
                                        title=title)  # fmt: skip
        return charts.parallel_coordinates(rows, self.knobs, self.metric.name, title=title)

    def html(self) -> str:
        """A self-contained page: the verdict and the chart (no CDN)."""
        from tinkerlab import charts

        return charts.to_html([self.chart()], title=f"Search: {self.model} on {self.dataset}",
                              intro=self.verdict_text())  # fmt: skip

    def _repr_html_(self) -> str:
        """The verdict and the best settings for Jupyter (``found.chart()`` draws itself)."""
        table = self.frame.head(12).to_html(index=False, float_format=lambda v: f"{v:.4f}")
        verdict = f"<p>{html.escape(self.verdict_text())}</p>"
        return verdict + table

    # --- the best setting as code -----------------------------------------------------------

    def script(self) -> str:
        """The best setting's run as a standalone scikit-learn script (``tinkerlab run``'s)."""
        from tinkerlab._version import __version__
        from tinkerlab.data import reading_code
        from tinkerlab.recipe import build_pipeline, metrics_for, render_script

        if self.best_recipe is None:
            raise ValueError("The search scored no setting; there is no best recipe to write.")
        recipe = self.best_recipe
        specs = tuple(metrics_for(recipe.task, self.n_classes, build_pipeline(recipe)))
        ref = f" (journal experiment {self.id})" if self.id is not None else ""
        header = (
            f"{recipe.model} on {recipe.dataset} with the best setting a search found"
            f"{ref}: {self.candidates[self.best or 0].label}.\n\nGenerated by tinkerlab "
            f"{__version__}; it prints the run's scores.\nRe-run it with: python FILE"
        )
        return render_script(recipe, specs, reading_code(recipe.source, var="frame"), header)

    def write_script(self, path: str | Path) -> Path:
        target = Path(path)
        target.write_text(self.script(), encoding="utf-8")
        return target

    # --- JSON -----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        lead = self.lead
        return {
            "id": self.id,
            "dataset": self.dataset,
            "task": self.task,
            "target": self.target,
            "model": self.model,
            "metric": self.metric.name,
            "higher_is_better": self.higher_is_better,
            "knobs": list(self.knobs),
            "domains": list(self.domains),
            "strategy": self.strategy,
            "racing": self.racing,
            "cv": self.cv,
            "repeats": self.repeats,
            "best": None if self.best is None else self.candidates[self.best].label,
            "best_params": {k: _plain(v) for k, v in self.best_params.items()},
            "best_scores": list(self.best_scores),
            "runner_up": None if self.runner_up is None else self.candidates[self.runner_up].label,
            "runner_up_scores": list(self.runner_up_scores),
            "lead": None
            if lead is None
            else {
                "mean_diff": lead.mean_diff,
                "ci_low": lead.ci_low,
                "ci_high": lead.ci_high,
                "p_value": lead.p_value,
                "t": _finite(lead.t),
                "significant": lead.significant(),
                "method": lead.method,
                "n_folds": lead.n_folds,
            },
            "verdict_text": self.verdict_text(),
            "test_scores": dict(self.test_scores),
            "candidates": [
                {
                    "params": {k: _plain(v) for k, v in c.params.items()},
                    "label": c.label,
                    "mean": _finite(c.mean),
                    "std": _finite(c.std),
                    "scores": c.scores,
                    "rows": c.rows,
                    "rung": c.rung,
                    "fit_time": c.fit_time,
                }
                for c in self.candidates
            ],
            "n_fits": self.n_fits,
            "elapsed_s": self.elapsed,
            "engine": self.engine,
            "notices": list(self.notices),
        }

    def __repr__(self) -> str:
        ref = f"#{self.id} " if self.id is not None else ""
        return f"<Search {ref}{self.model} on {self.dataset}: {len(self.candidates)} settings. " \
               f"{self.verdict_text()}>"  # fmt: skip


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _finite(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)
