"""The leaderboard of a comparison: each model's result, their ranking, and its views.

:class:`Comparison` is what :func:`~tinkerlab.experiment.compare` returns: every model's
:class:`ModelResult` ranked (finished models by mean validation score, best first), the
models statistically indistinguishable from the best marked, and the views of it — a
table (``.frame``), JSON (``.to_dict()``), a plot, text and HTML for Jupyter.
"""

from __future__ import annotations

import base64
import html
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tinkerlab.experiment._stats import ALPHA, METHOD, TestResult, compare_with_best
from tinkerlab.options import spell

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from tinkerlab.recipe import Metric

#: The states a model ends in: every fold scored; left the race behind others
#: (successive halving); stopped by a time limit; failed; never started.
STATUSES = ("done", "dropped", "timed out", "failed", "skipped")


@dataclass
class ModelResult:
    """One row of the leaderboard: a model's fold scores and how its run ended."""

    model: str  # registry name
    title: str  # human name
    status: str  # one of STATUSES
    scores: dict[str, list[float]]  # metric -> validation score per fold (folds done only)
    fit_time: float  # mean seconds to fit, per fold
    predict_time: float  # mean seconds to predict and score the validation rows, per fold
    elapsed: float  # seconds its fits ran, all folds together
    folds_done: int  # folds scored
    message: str = ""  # why it was dropped, timed out, failed or skipped; its warnings
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
        Finished models best first, then the ones the race dropped (most folds first),
        then the ones that timed out, failed or were skipped.
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
    workers: int  # fits run at a time
    seed: int
    racing: str = ""  # the racing rule in words ("" when every model ran every fold)
    in_process: bool = False  # fits ran in this process (soft limits), not in workers
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
        folds, tied_with_best, p_value, message``; a dropped model's mean is over the
        folds it ran (``folds``)."""
        import pandas as pd

        return pd.DataFrame(self._rows())

    def _rows(self) -> list[dict[str, Any]]:
        name = self.metric.name
        rows = []
        for rank, r in enumerate(self.results, start=1):
            done = r.status == "done"
            scored = r.status in ("done", "dropped")
            rows.append(
                {
                    "rank": rank if done else None,
                    "model": r.model,
                    "status": r.status,
                    "mean": r.mean(name) if scored else math.nan,
                    "std": r.std(name) if scored else math.nan,
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
            return "No model finished within the budget; see the table. Fix: " + spell(
                "budget", 300
            )
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
        dropped = [r for r in self.results if r.status == "dropped"]
        if dropped:
            text += (
                f" {len(dropped)} model(s) left the race early, behind others on the same "
                f"folds ({self.racing})."
            )
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
            entry = {k: plain(v) for k, v in row.items()}
            entry["title"] = r.title
            entry["scores"] = {
                m: {"mean": plain(r.mean(m)), "std": plain(r.std(m)), "folds": list(v)}
                for m, v in r.scores.items()
            }
            entry["elapsed_s"] = round(r.elapsed, 3)
            if r.test is not None:
                entry["mean_diff_vs_best"] = plain(r.test.mean_diff)
                entry["ci_low"] = plain(r.test.ci_low)
                entry["ci_high"] = plain(r.test.ci_high)
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
            "test_scores": {k: plain(v) for k, v in self.test_scores.items()},
            "test_rows": self.test_rows,
            "cv": self.cv,
            "repeats": self.repeats,
            "n_folds": self.cv * self.repeats,
            "n_train": self.n_train,
            "n_test": self.n_test,
            "budget_s": self.budget,
            "timeout_s": self.timeout,
            "workers": self.workers,
            "in_process": self.in_process,
            "racing": self.racing,
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
        png = base64.b64encode(png_bytes(self.plot())).decode("ascii")
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


# --- ranking --------------------------------------------------------------------------------


def rank_results(comparison: Comparison, results: list[ModelResult]) -> None:
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
    rest.sort(key=lambda r: _unranked_order(r, name, sign))
    comparison.results = done + rest


def _unranked_order(result: ModelResult, metric: str, sign: float) -> tuple[Any, ...]:
    """Dropped before stopped, failed and skipped; then the most folds; then the best mean."""
    mean = result.mean(metric)
    worst = math.isnan(mean)
    return (
        STATUSES.index(result.status),
        -result.folds_done,
        worst,
        0.0 if worst else -sign * mean,
    )


def plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, np.generic):
        return plain(value.item())
    return value


def png_bytes(figure: Figure) -> bytes:
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
