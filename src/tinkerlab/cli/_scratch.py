"""``tinkerlab scratch``: the from-scratch twins, their code, and how they compare."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from tinkerlab.cli._output import Db, Json, console, errors, print_json

app = typer.Typer(
    help=(
        "From-scratch NumPy twins of the classic algorithms: read their code, compare them "
        "with scikit-learn, climb from logistic regression to a deep net.\n\n"
        "Example:  tinkerlab scratch show logistic_regression"
    ),
    no_args_is_help=True,
)

_Seed = Annotated[int, typer.Option(help="Seed of the split, the folds and every model.")]


@app.command("list")
def list_twins(
    json_out: Json = False,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the table of docs/scratch.md instead.")
    ] = False,
) -> None:
    """List the twins: our class, its scikit-learn original, lines of code, how parity is tested.

    Example:  tinkerlab scratch list --json
    """
    from tinkerlab.runner._twin import twin_markdown, twin_table

    rows = twin_table()
    if json_out:
        print_json(rows)
        return
    if markdown:
        typer.echo(twin_markdown())  # plain stdout: no rich markup, no wrapping
        return
    from tinkerlab.cli._tables import Column, fitted

    columns = [
        Column("name"),
        Column("class"),
        Column("lines", prose=True, priority=2),
        Column("parity tested in", priority=3),
        Column("scikit-learn module", priority=4),
    ]
    cells = []
    for row in rows:
        lines = str(row["lines"])
        if row["uses"]:
            lines += f" (+{row['uses_lines']} in {', '.join(Path(u).name for u in row['uses'])})"
        module, name = row["sklearn"].rsplit(".", 1)
        cells.append([row["name"], name, lines, row["parity_test"].rsplit("/", 1)[1], module])
    title = "From-scratch twins: tinkerlab.scratch.CLASS beside sklearn.MODULE.CLASS"
    console.print(fitted(columns, cells, width=console.width, title=title))
    console.print(
        "Every twin also passes scikit-learn's estimator checks. Read one:  "
        "[bold]tinkerlab scratch show NAME[/]   Compare one:  [bold]tinkerlab scratch compare "
        "NAME[/]"
    )


@app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="A twin, e.g. logistic_regression.")],
    json_out: Json = False,
) -> None:
    """Print a twin's source code, its scikit-learn original and where parity is tested.

    Example:  tinkerlab scratch show mlp_classifier
    """
    from tinkerlab.runner._twin import DOCS, resolve_twin, source_files, twin_table

    name = resolve_twin(name)
    row = next(r for r in twin_table() if r["name"] == name)
    files = source_files(name)
    if json_out:
        print_json({**row, "source": files[0].read_text(encoding="utf-8")})
        return
    from rich.syntax import Syntax

    console.print(f"[bold]{row['class']}[/]  —  twin of [bold]{row['sklearn']}[/]")
    console.print(f"{row['file']}: {row['lines']} lines (not counting blank ones)")
    console.print(Syntax(files[0].read_text(encoding="utf-8"), "python", line_numbers=True))
    if row["uses"]:
        console.print(f"It builds on: {', '.join(row['uses'])} ({row['uses_lines']} lines).")
    console.print(f"Parity with scikit-learn: {row['parity']}.")
    console.print(
        f"Why it differs where it does: {DOCS}.  Run both:  "
        f"[bold]tinkerlab scratch compare {name}[/]"
    )


@app.command("compare")
def compare(
    name: Annotated[str, typer.Argument(help="A twin, e.g. knn_classifier.")],
    dataset: Annotated[
        str | None, typer.Argument(help="A built-in dataset (default: one that suits the twin).")
    ] = None,
    seed: _Seed = 0,
    json_out: Json = False,
) -> None:
    """Fit a twin and its scikit-learn original on the same split; compare and time them.

    Example:  tinkerlab scratch compare logistic_regression breast_cancer
    """
    from tinkerlab.runner._twin import compare_twin

    result = compare_twin(name, dataset, seed=seed)
    if json_out:
        print_json(result.to_dict())
        return
    from rich.table import Table

    table = Table(
        title=(
            f"{result.name} on {result.dataset}: {result.train_rows} training rows, "
            f"{result.test_rows} test rows, {len(result.features)} numeric features"
            f"{' (standardised)' if result.scaled else ''}, seed {result.seed}"
        )
    )
    for column in ("estimator", f"test {result.metric}", "fit", "predict"):
        table.add_column(column, overflow="fold")
    for side in (result.ours, result.theirs):
        table.add_row(
            side.estimator,
            f"{side.score:.4f}",
            _seconds(side.fit_seconds),
            _seconds(side.predict_seconds),
        )
    console.print(table)
    console.print(result.describe_agreement())
    console.print(f"Ours takes {result.speed_ratio:.1f}× scikit-learn's time (fit + predict).")
    for note in result.notes:
        console.print(f"[dim]- {escape(note)}[/]")


@app.command("ladder")
def ladder(
    dataset: Annotated[str, typer.Argument(help="faces or digits.")] = "faces",
    epochs: Annotated[int, typer.Option(help="Epochs every net trains, exactly.")] = 100,
    seed: _Seed = 0,
    plot: Annotated[Path | None, typer.Option(help="Write the loss curves here as a PNG.")] = None,
    record: Annotated[
        bool, typer.Option(help="Record it in the journal (the path's lab 6.5 checks it).")
    ] = True,
    db: Db = None,
    json_out: Json = False,
) -> None:
    """Climb from logistic regression to a deep net (NumPy, PyTorch, scikit-learn) on images.

    Five models, the same split and the same 3 stratified CV folds, pixels standardised.
    The PyTorch rung is skipped, with the install command, when torch is missing.

    Example:  tinkerlab scratch ladder digits --epochs 50 --plot ladder.png
    """
    from tinkerlab.runner._ladder import ladder as climb

    with _rung_bars(enabled=not json_out) as tick:
        result = climb(dataset, seed=seed, epochs=epochs, progress=tick)
    if record:
        from tinkerlab._api import open_journal

        with open_journal(db) as journal:  # an analysis of kind "ladder", with its plot
            journal.record_analysis("ladder", result.dataset, result.to_dict(), result.plots)
    if plot is not None:
        plot.write_bytes(result.plots["loss_curves.png"])
    if json_out:
        print_json({**result.to_dict(), "plot": str(plot) if plot else None})
        return
    _print_ladder(result, plot)


@contextmanager
def _rung_bars(enabled: bool) -> Iterator[Any]:
    """One progress bar per rung (on stderr), advanced fit by fit: the folds, then the final fit."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    ) as bars:
        tasks: dict[int, Any] = {}

        def tick(step: int, name: str, done: int, total: int) -> None:
            if step not in tasks:
                label = f"{step}. {name}" + ("" if total else " (skipped)")
                tasks[step] = bars.add_task(label, total=total or 1)
            bars.update(tasks[step], completed=done if total else 1)

        yield tick


def _print_ladder(result: Any, plot: Path | None) -> None:
    from rich.table import Table

    s = result.settings
    table = Table(
        title=(
            f"The ladder on {result.dataset}: {result.train_rows} training and "
            f"{result.test_rows} test images of {result.features} pixels, "
            f"{result.cv_folds}-fold stratified CV, {s.epochs} epochs, seed {s.seed}"
        )
    )
    for column in ("step", "model", "CV accuracy", "test accuracy", "fit", "lines of code"):
        table.add_column(column, overflow="fold")
    for row in result.table():
        lines = f"{row['lines']} ({row['code']})" if row["code"] != "library" else "library"
        if row["status"] == "skipped":
            table.add_row(str(row["step"]), row["model"], "skipped", "", "", lines)
            continue
        table.add_row(
            str(row["step"]),
            row["model"],
            f"{row['cv_mean']:.3f} ± {row['cv_std']:.3f}",
            f"{row['test']:.3f}",
            _seconds(row["fit_seconds"]),
            lines,
        )
    console.print(table)
    console.print(f"Baseline (always the most frequent class): {result.baseline:.3f}")
    for row in result.table():
        if row["status"] == "skipped":
            console.print(f"[yellow]Step {row['step']} skipped:[/] {escape(row['note'])}")
    if plot is not None:
        console.print(f"Loss curves: {plot}")
    else:
        console.print("See the loss curves:  [bold]--plot ladder.png[/]")


def _seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
