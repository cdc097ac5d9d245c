"""``tinkerlab datasets``: what is built in."""

from __future__ import annotations

from dataclasses import asdict

from rich.markup import escape

from tinkerlab.cli._output import Json, console, print_json


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
    from rich.table import Table

    table = Table(title="Built-in datasets (source, description, citation: --json)")
    for column in ("name", "size", "task", "target", "what it is", "licence"):
        wrap = column in ("what it is", "licence")
        table.add_column(column, overflow="fold" if wrap else "ellipsis", no_wrap=not wrap)
    for info in infos:
        table.add_row(
            info.name,
            f"{info.rows}×{info.columns}",
            info.task,
            escape(info.target),
            escape(info.title),
            escape(info.licence_id),
        )
    console.print(table)
    console.print(
        "Try one:  [bold]tinkerlab run titanic[/]   (or your own: tinkerlab run my.csv "
        "--target price)"
    )
