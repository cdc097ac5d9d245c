"""The lab's charts as Vega-Lite specs (plain dicts), from numbers the library computed.

Each function returns a Vega-Lite 6 spec; the page embeds it with the vendored
vega-embed (``tinkerlab.charts``' files), and a notebook renders the very same spec with
:func:`to_altair` (``alt.Chart.from_dict``), so a learner sees the same chart in both.

>>> spec = metrics_chart({"accuracy": {"cv_mean": .8, "cv_std": .02, "test": .81}},
...                      {"accuracy": {"cv_mean": .6, "cv_std": .01, "test": .62}})
>>> spec["spec"]["layer"][0]["mark"]["type"]  # one panel per metric
'bar'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
#: Colours: the model, the baseline, train, validation (readable by most colour-blind eyes).
BLUE, GREY, ORANGE = "#0b5fb3", "#8c959f", "#e07b00"


def _finite(value: Any) -> float | None:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _base(title: str, width: Any = "container", height: Any = 220) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "title": title,
        "width": width,
        "height": height,
        "config": {"view": {"stroke": None}, "axis": {"labelLimit": 220}},
    }


#: Metrics where a smaller number is better (errors in the target's units, as the library's
#: ``recipe.metrics`` declares them); their panels say so.
LOWER_IS_BETTER = ("mae", "rmse")


def metrics_chart(
    metrics: Mapping[str, Mapping[str, Any]], baseline: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """Each metric's cross-validated mean ± std for the model and the baseline, test as a
    dot: is the model better than guessing, and by more than the noise?

    One panel per metric, each on its own scale: a regression's errors are in the target's
    units (tens, thousands) while r2 is at most 1, and on one shared axis r2 was a sliver."""
    rows = []
    for name, scores in metrics.items():
        label = f"{name} (lower is better)" if name in LOWER_IS_BETTER else name
        for who, table in (("model", scores), ("baseline", baseline.get(name, {}))):
            mean, std = _finite(table.get("cv_mean")), _finite(table.get("cv_std")) or 0.0
            if mean is None:
                continue
            rows.append(
                {
                    "metric": label,
                    "who": who,
                    "mean": mean,
                    "low": mean - std,
                    "high": mean + std,
                    "test": _finite(table.get("test")),
                }
            )
    colour = {
        "field": "who",
        "type": "nominal",
        "title": None,
        "scale": {"domain": ["model", "baseline"], "range": [BLUE, GREY]},
    }
    y = {"field": "who", "type": "nominal", "title": None, "sort": ["model", "baseline"]}
    spec = _base("Scores beside the baseline (CV mean ± std; dot: test)")
    del spec["width"], spec["height"]  # a facet's panels are sized one by one
    spec["data"] = {"values": rows}
    order = list(dict.fromkeys(row["metric"] for row in rows))
    header = {"labelAngle": 0, "labelAlign": "left", "labelFontWeight": "bold", "labelLimit": 220}
    spec["facet"] = {
        "row": {
            "field": "metric",
            "type": "nominal",
            "title": None,
            "sort": order,
            "header": header,
        }
    }
    spec["resolve"] = {"scale": {"x": "independent"}}
    spec["spec"] = {
        "width": 460,
        "height": {"step": 14},
        "encoding": {"y": y},
        "layer": [
            {
                "mark": {"type": "bar", "opacity": 0.85},
                "encoding": {
                    "color": colour,  # here only: the spread and the test dot stay dark
                    "x": {"field": "mean", "type": "quantitative", "title": None},
                    "tooltip": [
                        {"field": "metric"},
                        {"field": "who"},
                        {"field": "mean", "format": ".4f", "title": "CV mean"},
                        {"field": "test", "format": ".4f"},
                    ],
                },
            },
            {
                "mark": {"type": "rule", "color": "#1f2328"},
                "encoding": {
                    "x": {"field": "low", "type": "quantitative"},
                    "x2": {"field": "high"},
                },
            },
            {
                "mark": {"type": "point", "filled": True, "color": "#1f2328", "size": 30},
                "encoding": {"x": {"field": "test", "type": "quantitative"}},
            },
        ],
    }
    return spec


def confusion_chart(labels: Sequence[Any], matrix: Sequence[Sequence[int]]) -> dict[str, Any]:
    """The confusion matrix on the test rows: true class down, predicted across."""
    rows = [
        {"actual": str(a), "predicted": str(p), "count": int(matrix[i][j])}
        for i, a in enumerate(labels)
        for j, p in enumerate(labels)
    ]
    order = [str(v) for v in labels]
    dark = (
        max((int(c) for row in matrix for c in row), default=0) / 2
    )  # the "blues" scheme's dark half
    size = max(28, min(60, 360 // max(1, len(labels))))
    spec = _base("Confusion matrix (test rows)", width=size * len(labels))
    spec["height"] = size * len(labels)
    spec["data"] = {"values": rows}
    x = {"field": "predicted", "type": "ordinal", "sort": order, "title": "predicted"}
    y = {"field": "actual", "type": "ordinal", "sort": order, "title": "actual"}
    spec["encoding"] = {"x": x, "y": y}
    spec["layer"] = [
        {
            "mark": "rect",
            "encoding": {
                "color": {"field": "count", "type": "quantitative", "scale": {"scheme": "blues"}},
                "tooltip": [{"field": "actual"}, {"field": "predicted"}, {"field": "count"}],
            },
        },
        {
            "mark": {"type": "text", "fontSize": 12},
            "encoding": {
                "text": {"field": "count"},
                "color": {  # white on the dark cells, dark on the light ones, grey for 0
                    "condition": [
                        {"test": f"datum.count > {dark}", "value": "white"},
                        {"test": "datum.count > 0", "value": "#1f2328"},
                    ],
                    "value": "#999",
                },
            },
        },
    ]
    return spec


def importance_chart(importances: Sequence[Mapping[str, Any]], top: int = 15) -> dict[str, Any]:
    """Permutation importances with their spread: how much the test score drops when a
    column's values are shuffled."""
    rows = []
    for item in list(importances)[:top]:
        value, std = _finite(item.get("importance")), _finite(item.get("std")) or 0.0
        if value is None:
            continue
        feature = str(item.get("feature"))
        rows.append(
            {"feature": feature, "importance": value, "low": value - std, "high": value + std}
        )
    spec = _base("Importance (score lost when the column is shuffled)", height={"step": 18})
    spec["data"] = {"values": rows}
    y = {"field": "feature", "type": "nominal", "sort": None, "title": None}
    spec["encoding"] = {"y": y}
    spec["layer"] = [
        {
            "mark": {"type": "bar", "color": BLUE},
            "encoding": {
                "x": {"field": "importance", "type": "quantitative", "title": "score lost"},
                "tooltip": [{"field": "feature"}, {"field": "importance", "format": ".4f"}],
            },
        },
        {
            "mark": {"type": "rule", "color": "#1f2328"},
            "encoding": {"x": {"field": "low", "type": "quantitative"}, "x2": {"field": "high"}},
        },
    ]
    return spec


def residual_chart(actual: Sequence[Any], predicted: Sequence[Any]) -> dict[str, Any]:
    """Predicted against actual on the test rows, with the line where they are equal: a
    point above the line was over-predicted, below under-predicted."""
    rows = []
    for a, p in zip(actual, predicted, strict=False):
        x, y = _finite(a), _finite(p)
        if x is not None and y is not None:
            rows.append({"actual": x, "predicted": y, "error": y - x})
    low = min((min(r["actual"], r["predicted"]) for r in rows), default=0.0)
    high = max((max(r["actual"], r["predicted"]) for r in rows), default=1.0)
    spec = _base("Predicted against actual (test rows)", width=320, height=320)
    spec["layer"] = [
        {
            "data": {"values": [{"x": low, "y": low}, {"x": high, "y": high}]},
            "mark": {"type": "line", "color": GREY, "strokeDash": [4, 4]},
            "encoding": {
                "x": {"field": "x", "type": "quantitative"},
                "y": {"field": "y", "type": "quantitative"},
            },
        },
        {
            "data": {"values": rows},
            "mark": {"type": "circle", "opacity": 0.55, "size": 22, "color": BLUE},
            "encoding": {
                "x": {"field": "actual", "type": "quantitative", "scale": {"zero": False}},
                "y": {"field": "predicted", "type": "quantitative", "scale": {"zero": False}},
                "tooltip": [
                    {"field": "actual", "format": ".4g"},
                    {"field": "predicted", "format": ".4g"},
                    {"field": "error", "format": ".4g", "title": "predicted − actual"},
                ],
            },
        },
    ]
    return spec


def prediction_record_chart(entries: Sequence[Any]) -> dict[str, Any]:
    """Each scored shape prediction in order, on the row of its outcome (right, wrong, too
    noisy to tell), with the share right so far in its tooltip: are they getting better?"""
    outcomes = ["right", "wrong", "too noisy to tell"]
    rows: list[dict[str, Any]] = []
    hits = judged = 0
    for entry in entries:
        if getattr(entry, "scored_at", None) is None or getattr(entry, "shape", None) is None:
            continue
        hit = getattr(entry, "shape_hit", None)
        if hit is not None:
            judged += 1
            hits += bool(hit)
        rows.append(
            {
                "n": len(rows) + 1,
                "outcome": outcomes[2] if hit is None else outcomes[0 if hit else 1],
                "so_far": f"{hits} of {judged}" if judged else "none judged yet",
                "what": f"{entry.knob} on {entry.dataset}: predicted {entry.shape}, "
                f"the curve was {getattr(entry, 'observed_shape', None) or '?'}",
            }
        )
    colour = {
        "field": "outcome",
        "type": "nominal",
        "legend": None,
        "scale": {"domain": outcomes, "range": [BLUE, ORANGE, GREY]},
    }
    spec = _base("Your shape predictions, in the order you made them", height={"step": 26})
    spec["data"] = {"values": rows}
    spec["mark"] = {"type": "point", "filled": True, "size": 140}
    spec["encoding"] = {
        "x": {
            "field": "n",
            "type": "quantitative",
            "title": "prediction",
            "axis": {"tickMinStep": 1, "format": "d"},
            "scale": {"domain": [0.5, len(rows) + 0.5], "nice": False},
        },
        "y": {"field": "outcome", "type": "nominal", "title": None, "scale": {"domain": outcomes}},
        "color": colour,
        "shape": {"field": "outcome", "type": "nominal", "legend": None},
        "tooltip": [
            {"field": "what", "title": "prediction"},
            {"field": "outcome"},
            {"field": "so_far", "title": "shapes right so far"},
        ],
    }
    return spec


def sweep_rows(
    position: int, value: Any, label: str, train: Any, test: Any
) -> list[dict[str, Any]]:
    """The chart rows of one finished point: train and validation, mean ± std over folds."""
    rows = []
    for split, scores in (("train", train), ("validation", test)):
        finite = [s for s in (_finite(v) for v in scores or []) if s is not None]
        if not finite:
            continue
        mean = sum(finite) / len(finite)
        std = math.sqrt(sum((s - mean) ** 2 for s in finite) / len(finite))
        numeric = _finite(value) if not isinstance(value, bool) else None
        rows.append(
            {
                "position": position,
                "value": numeric,
                "label": label,
                "split": split,
                "mean": mean,
                "low": mean - std,
                "high": mean + std,
            }
        )
    return rows


def sweep_chart(
    rows: Sequence[Mapping[str, Any]],
    *,
    knob: str,
    metric: str,
    numeric: bool,
    log: bool = False,
    labels: Sequence[str] = (),
    domain: tuple[float, float] | None = None,
    integer: bool = False,
) -> dict[str, Any]:
    """The curve of an experiment: train and validation means with ± std bands, growing
    as points arrive (the page appends rows to ``datasets.points`` and draws again)."""
    if numeric:
        x: dict[str, Any] = {
            "field": "value",
            "type": "quantitative",
            "title": knob,
            "axis": {"format": "~g"},  # 3, not 3.0; 0.001, not 1e-3
        }
        if integer:  # a depth of 2.5 is no value of the knob
            x["axis"]["tickMinStep"] = 1
        scale: dict[str, Any] = {"type": "log"} if log else {"zero": False}
        if domain is not None:  # the planned values: points land in place as they arrive
            scale |= {"domain": list(domain), "nice": False}
        x["scale"] = scale
    else:
        x = {"field": "label", "type": "ordinal", "title": knob, "sort": list(labels) or None}
    colour = {
        "field": "split",
        "type": "nominal",
        "title": None,
        "scale": {"domain": ["train", "validation"], "range": [ORANGE, BLUE]},
    }
    y = {"field": "mean", "type": "quantitative", "title": metric, "scale": {"zero": False}}
    band = (
        {"type": "area", "opacity": 0.18}
        if numeric
        else {"type": "rule", "strokeWidth": 8, "opacity": 0.35}
    )
    spec = _base(f"{metric} as {knob} changes (mean ± std over folds)", height=260)
    spec["datasets"] = {"points": list(rows)}
    spec["data"] = {"name": "points"}
    spec["encoding"] = {"x": x, "color": colour}
    spec["layer"] = [
        {
            "mark": band,
            "encoding": {
                "y": {"field": "low", "type": "quantitative", "title": metric},
                "y2": {"field": "high"},
            },
        },
        {
            "mark": {"type": "line", "point": True},
            "encoding": {
                "y": y,
                "tooltip": [
                    {"field": "label", "title": knob},
                    {"field": "split"},
                    {"field": "mean", "format": ".4f"},
                    {"field": "low", "format": ".4f", "title": "mean − std"},
                    {"field": "high", "format": ".4f", "title": "mean + std"},
                ],
            },
        },
    ]
    return spec


#: A comparison's models: raced to the end, or dropped early (scored on fewer folds).
RACE = ("to the end", "dropped early")


def race_status(notices: Sequence[str]) -> str:
    """Whether a compared model ran to the end or the race dropped it (its notices say)."""
    return RACE[1] if any(str(n).startswith("dropped") for n in notices) else RACE[0]


def leaderboard_chart(
    rows: Sequence[Mapping[str, Any]], metric: str, *, higher_is_better: bool = True
) -> dict[str, Any]:
    """Models' validation score, mean ± std over the same folds, best first."""
    spec = _base(
        f"{metric} by model (mean ± std over the folds each was scored on)", height={"step": 20}
    )
    spec["usermeta"] = {"higher": higher_is_better}  # the page ranks new models the same way
    spec["datasets"] = {"models": list(rows)}
    spec["data"] = {"name": "models"}
    # "order": the row's place (finished models first, as the library ranks them);
    # "min": the layers' domains are unioned, and a union keeps only min/max/count sorts.
    y = {
        "field": "model",
        "type": "nominal",
        "sort": {"field": "order", "op": "min"},
        "title": None,
    }
    spec["encoding"] = {"y": y}
    spec["layer"] = [
        {
            "mark": {"type": "bar"},
            "encoding": {
                "x": {
                    "field": "mean",
                    "type": "quantitative",
                    "title": metric,
                    "scale": {"zero": False},
                    "stack": None,
                },
                "color": {
                    "field": "status",
                    "type": "nominal",
                    "title": "raced",
                    "scale": {"domain": list(RACE), "range": [BLUE, GREY]},
                },
                "tooltip": [
                    {"field": "model"},
                    {"field": "mean", "format": ".4f"},
                    {"field": "folds", "title": "folds scored"},
                    {"field": "status", "title": "raced"},
                ],
            },
        },
        {
            "mark": {"type": "rule", "color": "#1f2328"},
            "encoding": {"x": {"field": "low", "type": "quantitative"}, "x2": {"field": "high"}},
        },
    ]
    return spec


def epoch_chart(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A neural network's loss after each epoch, one line per net trained (the folds, then
    the final fit), solid for the training rows and dashed for the rows it held out (when
    it holds some out: early stopping); the page appends rows as epochs end."""
    spec = _base("loss after each epoch (one line per net trained)")
    spec["datasets"] = {"epochs": [dict(r) for r in rows]}
    spec["data"] = {"name": "epochs"}
    spec["mark"] = {"type": "line", "point": True}
    spec["encoding"] = {
        "x": {"field": "epoch", "type": "quantitative", "title": "epoch",
              "axis": {"tickMinStep": 1}},
        "y": {"field": "loss", "type": "quantitative", "title": "loss", "scale": {"zero": False}},
        "color": {"field": "fit", "type": "nominal", "title": "net trained"},
        "strokeDash": {"field": "split", "type": "nominal", "title": "rows",
                       "scale": {"range": [[1, 0], [4, 3]]}},  # train (sorted first): solid
        "detail": {"field": "split"},
        "tooltip": [{"field": "fit", "title": "net trained"}, {"field": "epoch"},
                    {"field": "split"}, {"field": "loss", "format": ".4f"}],
    }  # fmt: skip
    return spec


def history_rows(history: Sequence[Mapping[str, Any]], fit: Any = "final") -> list[dict[str, Any]]:
    """A net's recorded epochs (``history_``, the run's ``training_curve``) as the rows
    :func:`epoch_chart` draws, all of one *fit*."""
    rows = []
    for row in history:
        for split, key in (("train", "train_loss"), ("validation", "valid_loss")):
            loss = _finite(row.get(key))
            if loss is not None:
                rows.append({"fit": fit, "epoch": int(row["epoch"]), "split": split, "loss": loss})
    return rows


def to_altair(spec: Mapping[str, Any], *, validate: bool = False) -> Any:
    """The same chart as an Altair object, to show in Jupyter (needs ``altair``);
    *validate* checks the spec against Altair's Vega-Lite schema."""
    import altair as alt

    kind = alt.FacetChart if "facet" in spec else alt.LayerChart if "layer" in spec else alt.Chart
    return kind.from_dict(dict(spec), validate=validate)
