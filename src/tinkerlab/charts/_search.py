"""Charts of a search over several knobs: a heat map for two, parallel coordinates for more.

Both take one row per setting tried, ``{knob: value, ..., score_name: mean}``.

>>> rows = [{"C": c, "gamma": g, "accuracy": 0.9} for c in (0.1, 1.0) for g in (0.01, 0.1)]
>>> spec = score_heatmap(rows, "C", "gamma", "accuracy").to_dict()
>>> spec["layer"][0]["mark"]["type"]
'rect'
>>> len(parallel_coordinates(rows, ["C", "gamma"], "accuracy").to_dict()["data"]["values"])
8
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt

from tinkerlab.charts._builders import _attach, _clean, _fast


def _label(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return "none" if value is None else str(value)


def _order(rows: Sequence[Mapping[str, Any]], knob: str) -> list[str]:
    """A knob's values as labels, numbers in numeric order, others as first seen."""
    values = list(dict.fromkeys(row[knob] for row in rows))
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    others = [v for v in values if v not in numbers]
    return [_label(v) for v in sorted(numbers)] + [_label(v) for v in others]


@_fast
def score_heatmap(
    rows: Sequence[Mapping[str, Any]],
    x: str,
    y: str,
    score: str,
    *,
    title: str = "",
) -> alt.LayerChart:
    """The mean score of each (x, y) setting as a coloured cell, the value written in it.

    Settings of a random search fall off any grid: their values become the cells'
    labels all the same, in numeric order (a sparse grid, one cell per setting)."""
    table = [
        {"x": _label(r[x]), "y": _label(r[y]), "score": _clean(r[score]),
         "rung": r.get("rung", 0)}
        for r in rows
    ]  # fmt: skip
    xs, ys = _order(rows, x), _order(rows, y)
    base = alt.Chart().encode(
        x=alt.X("x:O", sort=xs, title=x, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("y:O", sort=list(reversed(ys)), title=y),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("score:Q", title=score, scale=alt.Scale(scheme="viridis")),
        tooltip=[
            alt.Tooltip("x:O", title=x),
            alt.Tooltip("y:O", title=y),
            alt.Tooltip("score:Q", title=score, format=".4f"),
            alt.Tooltip("rung:O", title="rung reached"),
        ],
    )
    layers: list[Any] = [cells]
    if len(xs) <= 12 and len(ys) <= 16:
        layers.append(base.mark_text(fontSize=9, color="white").encode(
            text=alt.Text("score:Q", format=".3f")))  # fmt: skip
    width, height = max(28 * len(xs), 160), max(20 * len(ys), 120)
    layered = alt.LayerChart(layer=layers, title=title, width=width, height=height)
    return _attach(layered, table)


@_fast
def parallel_coordinates(
    rows: Sequence[Mapping[str, Any]],
    knobs: Sequence[str],
    score: str,
    *,
    title: str = "",
    log: Sequence[str] = (),
) -> alt.LayerChart:
    """One line per setting across one vertical axis per knob, coloured by its score.

    Each axis runs from the knob's smallest value (bottom) to its largest (top), on a
    log scale for the knobs in *log*; a knob of choices spaces its choices evenly."""
    positions = {k: _positions(rows, k, k in log) for k in knobs}
    table = [
        {"setting": i, "knob": k, "position": positions[k][i], "value": _label(r[k]),
         "score": _clean(r[score])}
        for i, r in enumerate(rows)
        for k in knobs
    ]  # fmt: skip
    base = alt.Chart().encode(
        x=alt.X("knob:N", sort=list(knobs), title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("position:Q", axis=None, scale=alt.Scale(domain=[0, 1])),
    )
    lines = base.mark_line(opacity=0.6).encode(
        detail="setting:N",
        color=alt.Color("score:Q", title=score, scale=alt.Scale(scheme="viridis")),
    )
    points = base.mark_circle(size=18).encode(
        color=alt.Color("score:Q", title=score, scale=alt.Scale(scheme="viridis")),
        tooltip=[alt.Tooltip("knob:N"), alt.Tooltip("value:N"),
                 alt.Tooltip("score:Q", title=score, format=".4f")],
    )  # fmt: skip
    layered = alt.LayerChart(layer=[lines, points], title=title,
                             width=max(120 * len(knobs), 240), height=240)  # fmt: skip
    return _attach(layered, table)


def _positions(rows: Sequence[Mapping[str, Any]], knob: str, log: bool) -> list[float]:
    """Each row's place on the knob's axis, in [0, 1]."""
    values = [r[knob] for r in rows]
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    if not numeric:
        order = list(dict.fromkeys(_label(v) for v in values))
        step = max(1, len(order) - 1)
        return [order.index(_label(v)) / step if len(order) > 1 else 0.5 for v in values]
    axis = [math.log10(v) if log and v > 0 else float(v) for v in values]
    low, high = min(axis), max(axis)
    return [(a - low) / (high - low) if high > low else 0.5 for a in axis]
