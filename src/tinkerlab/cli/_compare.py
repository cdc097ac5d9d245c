"""``tinkerlab compare``: every model on the same folds within a time budget, a leaderboard."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.markup import escape

from tinkerlab.cli._declared import command
from tinkerlab.cli._output import console, errors, print_json, term_as_interrupt
from tinkerlab.data import data_words

if TYPE_CHECKING:
    from tinkerlab.experiment._compare import Comparison
    from tinkerlab.experiment._compare_board import ModelResult
    from tinkerlab.options import Settings


@command("compare")
def compare(settings: Settings) -> None:
    """Compare every model on the same folds within a time budget: a leaderboard.

    Every model suited to the task races on the same folds (successive halving: all on
    the first fold, the best third on the next ones); one that overruns its share of the
    budget is stopped and reported. Finalists statistically indistinguishable from the
    best are marked (corrected resampled t-test), and the best, chosen by cross-validation,
    is scored once on the held-out test rows.

    Examples:

      tinkerlab compare titanic --budget 60

      tinkerlab compare wine --models knn,svm,random_forest --repeats 3 --json
    """
    from tinkerlab import _api

    with _bar(enabled=not settings.json) as progress, term_as_interrupt():
        result = _api.compare_settled(settings, progress=progress)
    if settings.json:
        print_json(result.to_dict())
        return
    _show(result)


@contextmanager
def _bar(enabled: bool) -> Iterator[Any]:
    """A progress bar on stderr fed by ``progress(fits_done, fits_in_all, what)``."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("fits"),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=None)

        def update(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=escape(what))

        yield update


def _show(result: Comparison) -> None:
    from rich.table import Table

    name = result.metric.name
    better = "higher" if result.higher_is_better else "lower"
    number = f"Comparison #{result.id}" if result.id is not None else "Comparison (not recorded)"
    console.print(
        f"[bold]{number}[/] · {escape(result.dataset)} · {len(result.results)} models · "
        f"{name} ({better} is better) · {result.repeats}×{result.cv} paired folds · "
        f"{result.elapsed:.1f} s of a {result.budget:g} s budget, {result.workers} at a time"
    )
    # Sized for an 80-column terminal: the rank is the order, the times share a column and
    # the reasons (sentences) go under the table.
    table = Table(caption="★ best  ≈ statistically indistinguishable from the best")
    table.add_column("model", no_wrap=True)
    table.add_column(f"{name}\nmean ± std", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("seconds\nfit / predict", justify="right", no_wrap=True)
    table.add_column("status")
    for r in result.results:
        mark = "★" if r is result.results[0] and r.status == "done" else ""
        table.add_row(
            escape(r.model),
            _score(r, name),
            mark or ("≈" if r.tied_with_best else ""),
            f"{_seconds(r.fit_time)} / {_seconds(r.predict_time)}",
            _status(r),
        )
    console.print(table)
    for r in result.results:
        if reason := _reason(r):
            console.print(f"  [dim]{escape(r.model)} {escape(r.status)}:[/] {escape(reason)}")
    console.print(escape(result.verdict_text()))
    for notice in result.notices:
        console.print(f"  [yellow]note:[/] {escape(notice)}")
    for path in result.plot_paths:
        console.print(f"  plot: {escape(str(path))}")
    if result.best is not None:
        console.print(
            "Next: tune the winner with  tinkerlab tinker "
            f"{escape(data_words(result.dataset, result.target))} "
            f"--model {escape(result.best)} --knob ..."
        )


def _score(r: ModelResult, metric: str) -> str:
    """Mean ± std for a finished model; a dropped one's mean over the folds it ran, dimmed."""
    if r.status == "done":
        return f"{r.mean(metric):.4f} ± {r.std(metric):.4f}"
    if r.status == "dropped" and r.folds_done:
        return f"[dim]{r.mean(metric):.4f}[/]"
    return "–"


def _status(r: ModelResult) -> str:
    """A word or two; the reason itself is printed under the table."""
    if r.status == "dropped":
        return f"dropped, {r.folds_done} fold{'s' if r.folds_done != 1 else ''}"
    return escape(r.status)


def _reason(r: ModelResult) -> str:
    """What to print under the table for *r*: why it ended, and its warnings.

    Every dropped model has the same reason (the race's rule, which the verdict states
    once), so for those only what follows it (warnings, joined by "; ") is printed.
    """
    if r.status == "dropped":
        return r.message.partition("; ")[2]
    return r.message


def _seconds(value: float) -> str:
    return "–" if value != value else f"{value:.3f}"
