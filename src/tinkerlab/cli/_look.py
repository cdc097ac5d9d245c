"""``tinkerlab look``: a first look at a dataset, with alerts and next steps that run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from tinkerlab.cli._output import Db, Json, console, errors, print_json

if TYPE_CHECKING:
    from tinkerlab.report import Look

#: Columns listed in the terminal (the most related to the target first); all are in the report.
_TERMINAL_COLUMNS = 25


def look(
    data: Annotated[
        str,
        typer.Argument(
            help="A built-in name (tinkerlab datasets) or a file: CSV, Parquet, JSON, Excel."
        ),
    ],
    target: Annotated[
        str | None,
        typer.Option(
            help="The column to predict (built-ins know theirs); without it, no alerts "
            "about a target."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write the HTML report here (default: look-DATASET.html in "
            "TINKERLAB_HOME/reports, and a copy in the journal)."
        ),
    ] = None,
    open_: Annotated[
        bool, typer.Option("--open", help="Open the report in the web browser.")
    ] = False,
    stream: Annotated[
        bool | None,
        typer.Option(
            "--stream/--no-stream",
            help="Read the file in one streaming pass (exact counts, the rest from a sample). "
            "Default: files over 256 MB (TINKERLAB_LOOK_STREAM_BYTES).",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the sample for sampled statistics.")] = 0,
    sep: Annotated[str | None, typer.Option(help="CSV delimiter (sniffed otherwise).")] = None,
    encoding: Annotated[str | None, typer.Option(help="File encoding (sniffed otherwise).")] = None,
    record: Annotated[
        bool, typer.Option(help="Record the look and its report in the journal.")
    ] = True,
    db: Db = None,
    json_out: Json = False,
) -> None:
    """Look at a dataset before modelling it: columns, target, relations, alerts.

    Each column's type, missing cells, distinct values, spread, skew and
    outliers; the target's balance; each feature against the target with a
    dependence score; correlations; the missing-value pattern. Alerts say
    what to try next as commands that run. Writes an offline HTML report with
    interactive charts and records the look in the journal (its alerts unlock
    theory cards). Details: docs/look.md

    Examples:

      tinkerlab look titanic --open

      tinkerlab look sales.csv --target revenue --out report.html

      tinkerlab look big.csv --target y --json
    """
    from tinkerlab import _api
    from tinkerlab.cli._run import _check_outputs

    if out is not None:
        out = _check_outputs(data, [out])[0]
    options: dict[str, Any] = {"seed": seed, "stream": stream}
    options.update({k: v for k, v in (("sep", sep), ("encoding", encoding)) if v is not None})
    with _progress(not json_out) as progress:
        result = _api.look(data, target, record=record, db=db, progress=progress, **options)
    kept = result.report_path  # the journal's copy, when recorded
    path = result.to_html(out if out is not None else _default_path(result.dataset))
    if json_out:
        print_json(
            {
                **result.to_dict(),
                "report_path": str(path),
                "journal_report": None if kept is None else str(kept),
            }
        )
    else:
        render(result, path)
    if open_:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())


def _default_path(dataset: str) -> Path:
    """``$TINKERLAB_HOME/reports/look-<dataset>.html``."""
    import re

    from tinkerlab._home import home

    folder = home() / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"look-{re.sub(r'[^A-Za-z0-9_.-]+', '_', dataset)}.html"


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str, float | None], None] | None]:
    """A bar on stderr: ``progress(step, share_done)`` (share None: a spinner only)."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=1.0)

        def step(description: str, done: float | None) -> None:
            bar.update(task, description=escape(description), completed=done or 0.0)

        yield step


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    if abs(value) >= 1e5 or (value != 0 and abs(value) < 1e-3):
        return f"{value:.3g}"
    return f"{value:,.4g}"


def render(result: Look, path: Path) -> None:
    """The look in the terminal: overview, target, columns, alerts with their commands."""
    from rich.table import Table

    console.print(f"[bold]Look at {escape(result.dataset)}[/]: {escape(result.headline)}.")
    size = f"{result.memory_bytes / 1024**2:,.1f} MB in memory"
    console.print(
        f"  {size}; {result.duplicate_rows:,} duplicate rows; target: "
        f"{escape(result.target or 'none given (pass --target COLUMN)')}"
        + (f" ({result.task})" if result.task else "")
    )
    if result.sampling is not None:
        console.print(f"  [magenta]≈ {escape(result.sampling.sentence())}[/]")
    for notice in result.notices:
        console.print(f"  [yellow]note:[/] {escape(notice)}")
    if result.target_counts:
        shares = ", ".join(
            f"{escape(v)} {n / max(result.rows, 1):.1%}" for v, n in result.target_counts[:8]
        )
        console.print(f"  Classes: {shares}")

    table = Table(title="Columns (most related to the target first)")
    table.add_column("column", overflow="fold", min_width=12)
    for name in ("role", "missing", "distinct", "mean / top", "skew", "dependence"):
        table.add_column(name, justify="left" if name in ("role", "mean / top") else "right")
    ranked = sorted(result.columns, key=lambda c: -(c.dependence or -1.0))
    for c in ranked[:_TERMINAL_COLUMNS]:
        top = f"{c.top[0][0]} ({c.top[0][1]:,})" if c.top and c.mean is None else _number(c.mean)
        table.add_row(
            escape(c.name),
            c.role,
            f"{c.missing_share:.0%}" if c.missing else "0",
            "–" if c.distinct is None else f"{c.distinct:,}",
            escape(top[:24]),
            "–" if c.skew is None else f"{c.skew:.2f}",
            "–" if c.dependence is None else f"{c.dependence:.2f}",
        )
    console.print(table)
    if len(ranked) > _TERMINAL_COLUMNS:
        console.print(f"  … and {len(ranked) - _TERMINAL_COLUMNS} more columns in the report.")

    if result.alerts:
        console.print("[bold]Alerts[/] (each with a next step to try):")
    for i, alert in enumerate(result.alerts, start=1):
        console.print(
            f" {i}. [bold]{escape(alert.kind.replace('_', ' '))}[/]: {escape(alert.message)}"
        )
        for command in alert.commands:
            console.print(f"      [cyan]$ {escape(command)}[/]", soft_wrap=True)  # copyable
    if not result.alerts:
        console.print("[bold]Alerts:[/] nothing stands out.")
    if result.id is not None:
        console.print(f"Recorded as analysis [bold]#{result.id}[/] (tinkerlab journal analyses).")
    if result.unlocked:
        console.print(
            f"Unlocked theory cards: {escape(', '.join(result.unlocked))} (tinkerlab theory)."
        )
    console.print(f"Report: [bold]{escape(str(path))}[/]")


__all__ = ["look", "render"]
