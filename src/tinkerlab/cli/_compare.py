"""``tinkerlab compare``: every model on the same folds within a time budget, a leaderboard."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from tinkerlab.cli._output import (
    Db,
    Json,
    Target,
    TextFeatures,
    console,
    errors,
    print_json,
    term_as_interrupt,
)

if TYPE_CHECKING:
    from tinkerlab.experiment._compare import Comparison


def compare(
    dataset: Annotated[str, typer.Argument(help="A built-in name (tinkerlab datasets) or a file.")],
    budget: Annotated[
        float, typer.Option(help="Seconds for the whole comparison; slower models are stopped.")
    ] = 60.0,
    models: Annotated[
        str | None,
        typer.Option(help="Models to compare, comma-separated (default: all for the task)."),
    ] = None,
    metric: Annotated[
        str | None,
        typer.Option(help="What to rank by: accuracy (default), f1, roc_auc, r2, rmse..."),
    ] = None,
    cv: Annotated[int, typer.Option(help="Folds of cross-validation on the training split.")] = 5,
    repeats: Annotated[int, typer.Option(help="How often the k-fold split is redrawn.")] = 1,
    seed: Annotated[int, typer.Option(help="Seed of the split, the folds and the models.")] = 0,
    timeout: Annotated[
        float | None,
        typer.Option(help="A hard limit per model in seconds (default: a fair share)."),
    ] = None,
    jobs: Annotated[
        int | None, typer.Option(help="Models run at a time (default: one per core).")
    ] = None,
    target: Target = None,
    task: Annotated[
        str | None,
        typer.Option(help="classification or regression (inferred from the target otherwise)."),
    ] = None,
    db: Db = None,
    text_features: TextFeatures = "tfidf",
    record: Annotated[bool, typer.Option(help="Record the comparison in the journal.")] = True,
    json_out: Json = False,
) -> None:
    """Compare every model on the same folds within a time budget: a leaderboard.

    Each model suited to the task runs in its own process with the preprocessing it needs,
    on the same repeated folds; one that overruns its share of the budget is stopped and
    reported. Models statistically indistinguishable from the best are marked
    (corrected resampled t-test), and the best is scored once on the held-out test rows.

    Examples:

      tinkerlab compare titanic --budget 60

      tinkerlab compare wine --models knn,svm,random_forest --repeats 3 --json
    """
    from tinkerlab import _api
    from tinkerlab.exceptions import UsageError
    from tinkerlab.experiment._compare import compare as run_comparison

    if not (math.isfinite(budget) and budget > 0):
        raise UsageError(
            f"--budget must be a positive number of seconds. Got {budget!r} instead. "
            "Fix: --budget 60"
        )
    if task is not None and task not in ("classification", "regression"):
        raise UsageError(f"--task must be classification or regression. Got {task!r} instead.")
    names = None if models is None else [m.strip() for m in models.split(",") if m.strip()]
    data = _api.load(dataset, target=target, task=task)
    options: dict[str, Any] = {
        "budget": budget,
        "models": names,
        "metric": metric,
        "cv": cv,
        "repeats": repeats,
        "seed": seed,
        "timeout": timeout,
        "n_jobs": jobs,
        "text_features": text_features,
    }
    with _bar(enabled=not json_out) as progress, term_as_interrupt():
        if record:
            # Opened first: a bad database URL fails before a minute of fitting.
            with _api.open_journal(db) as journal:
                result = run_comparison(data, store=journal, progress=progress, **options)
        else:
            result = run_comparison(data, progress=progress, **options)
    if json_out:
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
            f"Next: tune the winner with  tinkerlab tinker {escape(result.dataset)} "
            f"--model {escape(result.best)} --knob ..."
        )


def _seconds(value: float) -> str:
    return "–" if value != value else f"{value:.3f}"
