"""Chart builders: small Altair charts of numbers already counted.

Each builder takes aggregated numbers (bin edges and counts, quartiles per group, a
correlation matrix...) rather than raw rows, so a chart of a ten-million-row table is a
few hundred bytes, and the counting happens once, in the code that knows how (vectorised
pandas/NumPy in :mod:`tinkerlab.report`). Every builder returns an ``altair.Chart`` (or a
composition): it renders itself in Jupyter, :func:`~tinkerlab.charts.to_html` writes it
into an offline page, and the web lab sends ``chart.to_dict()`` to the browser.

Data go inline (``alt.Data(values=...)``) with NaN written as null, so a spec is plain
JSON.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

import altair as alt
from altair.utils.schemapi import debug_mode

_F = TypeVar("_F", bound=Callable[..., Any])

#: Size of one small chart in a grid of columns, in pixels.
SMALL = {"width": 220, "height": 110}
#: The one accent colour of single-series charts.
ACCENT = "#4c78a8"


def _fast(builder: _F) -> _F:
    """Build without Altair's validation of every object on construction (its "debug
    mode"): it costs ten times the building, and the builders write valid specs."""

    @functools.wraps(builder)
    def build(*args: Any, **kwargs: Any) -> Any:
        with debug_mode(False):
            return builder(*args, **kwargs)

    return build  # type: ignore[return-value]


def _clean(value: Any) -> Any:
    """A JSON-able value: NumPy scalars unwrapped, NaN and infinities as None."""
    item = getattr(value, "item", None)
    if callable(item):
        value = item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _data(rows: Sequence[Mapping[str, Any]]) -> alt.Data:
    values = [{k: _clean(v) for k, v in row.items()} for row in rows]
    return alt.Data(values=values)  # type: ignore[no-untyped-call]


_C = TypeVar("_C")


def _attach(chart: _C, rows: Sequence[Mapping[str, Any]]) -> _C:
    """Give the finished chart its data, at the top level and last: Altair deep-copies a
    chart's data on every ``encode``/``properties`` call, which costs more than the rest."""
    chart.data = _data(rows)  # type: ignore[attr-defined]
    return chart


@_fast
def histogram(
    edges: Sequence[float],
    counts: Sequence[int],
    *,
    title: str = "",
    x_title: str = "value",
    width: int = SMALL["width"],
    height: int = SMALL["height"],
) -> alt.Chart:
    """A histogram of counts already binned: one bar per ``[edges[i], edges[i + 1])``.

    Parameters
    ----------
    edges : sequence of float
        ``len(counts) + 1`` increasing bin edges.
    counts : sequence of int
        Rows in each bin.
    title, x_title : str
        The chart's title and the label of its value axis.

    Examples
    --------
    >>> chart = histogram([0, 10, 20, 30], [4, 9, 2], title="age")
    >>> chart.to_dict()["mark"]["type"]
    'bar'
    """
    if len(edges) != len(counts) + 1:
        raise ValueError(
            f"histogram needs len(counts) + 1 edges; got {len(edges)} and {len(counts)}"
        )
    rows = [
        {"start": edges[i], "end": edges[i + 1], "count": counts[i]} for i in range(len(counts))
    ]
    chart = (
        alt.Chart(title=title)
        .mark_bar(color=ACCENT, binSpacing=0)
        .encode(
            x=alt.X("start:Q", bin="binned", title=x_title, scale=alt.Scale(zero=False)),
            x2=alt.X2("end"),
            y=alt.Y("count:Q", title="rows"),
            tooltip=[
                alt.Tooltip("start:Q", title="from", format=",.4~g"),
                alt.Tooltip("end:Q", title="to", format=",.4~g"),
                alt.Tooltip("count:Q", title="rows", format=","),
            ],
        )
        .properties(width=width, height=height)
    )
    return cast("alt.Chart", _attach(chart, rows))


@_fast
def bar(
    labels: Sequence[Any],
    values: Sequence[float],
    *,
    title: str = "",
    value_title: str = "rows",
    value_format: str = ",",
    highlight: Sequence[Any] = (),
    width: int = SMALL["width"],
) -> alt.Chart:
    """Horizontal bars, one per label, in the order given (top categories, class counts,
    dependence scores...). Labels in *highlight* are drawn in orange.

    Examples
    --------
    >>> chart = bar(["male", "female"], [843, 466], title="sex")
    >>> [row["label"] for row in chart.to_dict()["data"]["values"]]
    ['male', 'female']
    """
    marked = {str(h) for h in highlight}
    rows = [
        {"label": str(label), "value": value, "marked": str(label) in marked}
        for label, value in zip(labels, values, strict=True)
    ]
    order = [str(row["label"]) for row in rows]
    chart = (
        alt.Chart(title=title)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=160)),
            x=alt.X("value:Q", title=value_title),
            color=alt.Color(
                "marked:N",
                scale=alt.Scale(domain=[False, True], range=[ACCENT, "#f58518"]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("label:N", title=""),
                alt.Tooltip("value:Q", title=value_title, format=value_format),
            ],
        )
        .properties(width=width, height=alt.Step(16))
    )
    return cast("alt.Chart", _attach(chart, rows))


@_fast
def box_by_group(
    stats: Sequence[Mapping[str, Any]],
    *,
    title: str = "",
    value_title: str = "value",
    group_title: str = "",
    width: int = SMALL["width"],
) -> alt.LayerChart:
    """Box plots from quartiles already computed, one box per group.

    Parameters
    ----------
    stats : sequence of mappings
        One per group, with ``group``, ``low`` and ``high`` (the whiskers), ``q1``,
        ``median``, ``q3``, and ``count``.

    Examples
    --------
    >>> rows = [{"group": "yes", "low": 1, "q1": 2, "median": 3, "q3": 4, "high": 6, "count": 9}]
    >>> len(box_by_group(rows, title="fare by survived").to_dict()["layer"])
    3
    """
    order = [str(s["group"]) for s in stats]
    base = alt.Chart().encode(
        y=alt.Y("group:N", sort=order, title=group_title or None, axis=alt.Axis(labelLimit=120))
    )
    tooltip = [
        alt.Tooltip("group:N", title=group_title or "group"),
        *(alt.Tooltip(f"{k}:Q", format=",.4~g") for k in ("low", "q1", "median", "q3", "high")),
        alt.Tooltip("count:Q", title="rows", format=","),
    ]
    whisker = base.mark_rule(color="#555").encode(
        x=alt.X("low:Q", title=value_title, scale=alt.Scale(zero=False)), x2=alt.X2("high")
    )
    box = base.mark_bar(size=12, color=ACCENT, opacity=0.8).encode(
        x=alt.X("q1:Q"), x2=alt.X2("q3"), tooltip=tooltip
    )
    median = base.mark_tick(color="white", size=12, thickness=2).encode(x=alt.X("median:Q"))
    layered = alt.LayerChart(
        layer=[whisker, box, median], title=title, width=width, height=alt.Step(20)
    )
    return _attach(layered, [{**s, "group": str(s["group"])} for s in stats])


@_fast
def shares_by_group(
    rows: Sequence[Mapping[str, Any]],
    *,
    title: str = "",
    group_title: str = "",
    part_title: str = "class",
    order: Sequence[Any] = (),
    width: int = SMALL["width"],
) -> alt.Chart:
    """Stacked bars of shares adding up to 1 per group: the target's classes by category.

    Parameters
    ----------
    rows : sequence of mappings
        One per (group, part) with ``group``, ``part``, ``share`` (0..1) and ``count``
        (rows in the group).
    order : sequence
        Groups in the order to draw them (default: as they come).

    Examples
    --------
    >>> rows = [{"group": "a", "part": "yes", "share": 0.25, "count": 8},
    ...         {"group": "a", "part": "no", "share": 0.75, "count": 8}]
    >>> shares_by_group(rows).to_dict()["encoding"]["x"]["stack"]
    'normalize'
    """
    groups = [str(g) for g in order] or list(dict.fromkeys(str(r["group"]) for r in rows))
    data = [{**r, "group": str(r["group"]), "part": str(r["part"])} for r in rows]
    chart = (
        alt.Chart(title=title)
        .mark_bar()
        .encode(
            y=alt.Y(
                "group:N", sort=groups, title=group_title or None, axis=alt.Axis(labelLimit=120)
            ),
            x=alt.X("share:Q", stack="normalize", title="share of rows", axis=alt.Axis(format="%")),
            color=alt.Color("part:N", title=part_title),
            tooltip=[
                alt.Tooltip("group:N", title=group_title or "group"),
                alt.Tooltip("part:N", title=part_title),
                alt.Tooltip("share:Q", title="share", format=".1%"),
                alt.Tooltip("count:Q", title="rows in group", format=","),
            ],
        )
        .properties(width=width, height=alt.Step(18))
    )
    return cast("alt.Chart", _attach(chart, data))


@_fast
def heatmap(
    matrix: Mapping[str, Mapping[str, float | None]],
    *,
    title: str = "",
    domain: tuple[float, float] = (-1.0, 1.0),
    scheme: str = "redblue",
    size: int = 18,
) -> alt.LayerChart:
    """A square heat map of a matrix given as ``{row: {column: value}}`` (correlations,
    Cramér's V...), with the values written in the cells when there is room.

    Examples
    --------
    >>> m = {"a": {"a": 1.0, "b": 0.5}, "b": {"a": 0.5, "b": 1.0}}
    >>> len(heatmap(m, title="Pearson").to_dict()["data"]["values"])
    4
    """
    names = list(matrix)
    rows = [
        {"row": r, "column": c, "value": v, "strong": v is not None and abs(v) > 0.6}
        for r in names
        for c in names
        for v in [_clean(matrix[r][c])]
    ]
    base = alt.Chart().encode(
        x=alt.X("column:N", sort=names, title=None, axis=alt.Axis(labelAngle=-45, labelLimit=110)),
        y=alt.Y("row:N", sort=names, title=None, axis=alt.Axis(labelLimit=110)),
    )
    reverse = scheme == "redblue"  # red for negative, blue for positive
    cells = base.mark_rect().encode(
        color=alt.Color(
            "value:Q",
            title="",
            scale=alt.Scale(domain=list(domain), scheme=cast(Any, scheme), reverse=reverse),
        ),
        tooltip=[
            alt.Tooltip("row:N", title=""),
            alt.Tooltip("column:N", title=""),
            alt.Tooltip("value:Q", title="value", format=".3f"),
        ],
    )
    layers: list[Any] = [cells]
    if len(names) <= 14:
        layers.append(
            base.mark_text(fontSize=9).encode(
                text=alt.Text("value:Q", format=".2f"),
                color=alt.Color(
                    "strong:N",
                    scale=alt.Scale(domain=[False, True], range=["black", "white"]),
                    legend=None,
                ),
            )
        )
    side = max(size * len(names), 120)
    layered = alt.LayerChart(layer=layers, title=title, width=side, height=side)
    return _attach(layered, rows)


@_fast
def scatter_matrix(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    color: str | None = None,
    title: str = "",
    size: int = 130,
) -> alt.RepeatChart:
    """Every pair of *columns* against each other (a few hundred sampled rows is plenty).

    Parameters
    ----------
    rows : sequence of mappings
        The points, one mapping per row, holding *columns* (and *color*).
    color : str, optional
        A column to colour the points by (the target).

    Examples
    --------
    >>> pts = [{"a": 1, "b": 2, "y": "no"}, {"a": 2, "b": 1, "y": "yes"}]
    >>> scatter_matrix(pts, ["a", "b"], color="y").to_dict()["repeat"]["row"]
    ['a', 'b']
    """
    encoding: dict[str, Any] = {
        "x": alt.X(alt.repeat("column"), type="quantitative", scale=alt.Scale(zero=False)),
        "y": alt.Y(alt.repeat("row"), type="quantitative", scale=alt.Scale(zero=False)),
    }
    if color is not None:
        encoding["color"] = alt.Color(f"{_field(color)}:N", title=color)
    chart = (
        alt.Chart()
        .mark_circle(size=14, opacity=0.55)
        .encode(**encoding)
        .properties(width=size, height=size)
    )
    fields = [_field(c) for c in columns]
    repeated = chart.repeat(row=fields, column=fields[::-1]).properties(title=title)
    return cast("alt.RepeatChart", _attach(repeated, rows))


@_fast
def missing_pattern(
    patterns: Sequence[Mapping[str, bool]],
    counts: Sequence[int],
    *,
    title: str = "",
    size: int = 16,
) -> alt.Chart:
    """Which columns are empty together: one row per pattern of missing cells, with how
    many rows of the table have it (the commonest patterns first).

    Parameters
    ----------
    patterns : sequence of mappings
        Per pattern, column -> whether the cell is missing; every mapping has the same keys.
    counts : sequence of int
        Rows with each pattern.

    Examples
    --------
    >>> chart = missing_pattern([{"age": True, "fare": False}], [263])
    >>> chart.to_dict()["mark"]["type"]
    'rect'
    """
    names = list(patterns[0]) if patterns else []
    labels = [f"{count:,} rows" for count in counts]
    rows = [
        {"pattern": label, "column": name, "missing": bool(pattern[name]), "rows": count}
        for pattern, label, count in zip(patterns, labels, counts, strict=True)
        for name in names
    ]
    chart = (
        alt.Chart(title=title)
        .mark_rect(stroke="white")
        .encode(
            x=alt.X(
                "column:N", sort=names, title=None, axis=alt.Axis(labelAngle=-45, labelLimit=110)
            ),
            y=alt.Y("pattern:N", sort=labels, title=None),
            color=alt.Color(
                "missing:N",
                scale=alt.Scale(domain=[False, True], range=["#e8edf3", "#e45756"]),
                legend=alt.Legend(title="cell", labelExpr="datum.value ? 'missing' : 'present'"),
            ),
            tooltip=[
                alt.Tooltip("column:N", title="column"),
                alt.Tooltip("missing:N", title="missing"),
                alt.Tooltip("rows:Q", title="rows with this pattern", format=","),
            ],
        )
        .properties(width=max(size * len(names), 120), height=alt.Step(size))
    )
    return cast("alt.Chart", _attach(chart, rows))


def _field(name: str) -> str:
    """A column name as a Vega-Lite field: dots and brackets escaped (they mean nesting)."""
    return name.replace("\\", "\\\\").replace(".", "\\.").replace("[", "\\[").replace("]", "\\]")
