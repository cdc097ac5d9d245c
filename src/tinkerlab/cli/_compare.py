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
    table = Table(caption="★ best  ≈ statistically indistinguishable from the best")
    for column in ("#", "model", f"{name} mean ± std", "", "fit (s)", "predict (s)"):
        table.add_column(column, justify="left" if column == "model" else "right", no_wrap=True)
    table.add_column("status", overflow="fold", min_width=6)
    for rank, r in enumerate(result.results, start=1):
        done = r.status == "done"
        mark = "★" if done and rank == 1 else "≈" if r.tied_with_best else ""
        status = r.status if not r.message else f"{r.status}: {r.message}"
        table.add_row(
            str(rank) if done else "",
            escape(r.model),
            f"{r.mean(name):.4f} ± {r.std(name):.4f}" if done else "–",
            mark,
            _seconds(r.fit_time),
            _seconds(r.predict_time),
            escape(status),
        )
    console.print(table)
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


def _seconds(value: float) -> str:
    return "–" if value != value else f"{value:.3f}"
