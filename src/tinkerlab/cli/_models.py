"""``tinkerlab models``: the model registry and each model's knobs."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tinkerlab.cli._output import Json, console, print_json


def models(
    name: Annotated[str | None, typer.Argument(help="One model, to see its knobs.")] = None,
    json_out: Json = False,
) -> None:
    """List the models you can use with --model, or one model's knobs (for --set).

    Example:  tinkerlab models decision_tree
    """
    from tinkerlab.recipe import MODELS, get_model

    specs = [get_model(name)] if name else list(MODELS.values())
    if json_out:
        print_json([_spec_json(s) for s in specs])
        return
    from rich.table import Table

    if name is None:
        table = Table(title="Models (tinkerlab run DATASET --model NAME)")
        for column in ("name", "tasks", "how it predicts", "knobs"):
            table.add_column(column, overflow="fold")
        for spec in specs:
            knobs = ", ".join(dict.fromkeys(k.name for k in spec.knobs))
            table.add_row(spec.name, ", ".join(sorted(spec.tasks)), spec.summary, knobs)
        console.print(table)
        console.print("One model's knobs:  [bold]tinkerlab models decision_tree[/]")
        return
    spec = specs[0]
    console.print(f"[bold]{spec.title}[/] ({spec.name}): {spec.summary}")
    table = Table(title=f"Knobs (tinkerlab run DATASET --model {spec.name} --set NAME=VALUE)")
    for column in ("knob", "tasks", "default", "allowed", "scale", "what it controls"):
        table.add_column(column, overflow="fold")
    for k in spec.knobs:
        table.add_row(
            k.name, ", ".join(sorted(k.tasks)), repr(k.default), k.describe_range(), k.scale, k.help
        )
    console.print(table)


def _spec_json(spec: Any) -> dict[str, Any]:
    return {
        "name": spec.name,
        "title": spec.title,
        "summary": spec.summary,
        "tasks": sorted(spec.tasks),
        "classes": spec.classes,
        "needs_scaling": spec.needs_scaling,
        "knobs": [
            {
                "name": k.name,
                "kind": k.kind,
                "default": k.default,
                "low": k.low,
                "high": k.high,
                "scale": k.scale,
                "choices": list(k.choices),
                "specials": list(k.specials),
                "tasks": sorted(k.tasks),
                "help": k.help,
            }
            for k in spec.knobs
        ],
    }
