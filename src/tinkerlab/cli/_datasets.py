"""``tinkerlab datasets``: what is built in."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from tinkerlab.cli._output import console, print_json


def datasets(
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
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
    from rich.table import Table

    table = Table(title="Built-in datasets", show_lines=False)
    for column in ("name", "rows", "cols", "task", "target", "description", "source", "licence"):
        table.add_column(column, overflow="fold")
    for info in infos:
        table.add_row(
            info.name,
            str(info.rows),
            str(info.columns),
            info.task,
            info.target,
            info.description,
            f"{info.source.item} ({info.source.package})",
            info.licence,
        )
    console.print(table)
    console.print(
        "Try one:  [bold]tinkerlab run titanic[/]   (or your own: tinkerlab run my.csv "
        "--target price)"
    )
