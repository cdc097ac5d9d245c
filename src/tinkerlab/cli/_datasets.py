"""``tinkerlab datasets``: what is built in."""

from __future__ import annotations

from dataclasses import asdict

from rich.markup import escape

from tinkerlab.cli._output import Json, console, print_json
from tinkerlab.cli._tables import Column, fitted


def datasets(
    json_out: Json = False,
) -> None:
    """List the built-in datasets: rows, columns, task, target, source and licence.

    All of them ship inside the package and work offline.

    Example:  tinkerlab datasets --json
    """
    from tinkerlab.data import list_datasets

    infos = list_datasets()
    if json_out:
        print_json([asdict(info) for info in infos])
        return
    rows = [
        [
            info.name,
            f"{info.rows}×{info.columns}",
            info.task,
            escape(info.target),
            escape(info.title),
            escape(info.licence_id),
        ]
        for info in infos
    ]
    columns = [
        Column("name"),
        Column("size", justify="right", priority=2),
        Column("task"),
        Column("target", priority=3),
        Column("what it is", prose=True, priority=1),
        Column("licence", priority=4),
    ]
    title = "Built-in datasets (source, description, citation: --json)"
    console.print(fitted(columns, rows, width=console.width, title=title))
    console.print(
        "Try one:  [bold]tinkerlab run titanic[/]   (or your own: tinkerlab run my.csv "
        "--target price)"
    )
