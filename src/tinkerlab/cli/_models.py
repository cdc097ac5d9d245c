"""``tinkerlab models``: the model registry and each model's knobs."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tinkerlab.cli._output import Json, console, print_json
from tinkerlab.cli._tables import Column, fitted


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
    if name is None:
        rows = [
            [
                spec.name,
                ", ".join(sorted(spec.tasks)),
                spec.summary,
                ", ".join(dict.fromkeys(k.name for k in spec.knobs)),
            ]
            for spec in specs
        ]
        columns = [
            Column("name"),
            Column("tasks", prose=True, priority=3),
            Column("how it predicts", prose=True, priority=2),
            Column("knobs", prose=True, priority=1),
        ]
        title = "Models (tinkerlab run DATASET --model NAME)"
        console.print(fitted(columns, rows, width=console.width, title=title))
        console.print("One model's knobs:  [bold]tinkerlab models decision_tree[/]")
        return
    spec = specs[0]
    console.print(f"[bold]{spec.title}[/] ({spec.name}): {spec.summary}")
    rows = [
        [k.name, ", ".join(sorted(k.tasks)), repr(k.default), k.describe_range(), k.scale, k.help]
        for k in spec.knobs
    ]
    columns = [
        Column("knob"),
        Column("tasks", prose=True, priority=3),
        Column("default", priority=1),
        Column("allowed", prose=True),
        Column("scale", priority=2),
        Column("what it controls", prose=True, priority=1),
    ]
    title = f"Knobs (tinkerlab run DATASET --model {spec.name} --set NAME=VALUE)"
    console.print(fitted(columns, rows, width=console.width, title=title))


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
