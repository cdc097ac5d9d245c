"""The data report on the Data page: :func:`tinkerlab.report.look`, drawn with the lab's charts.

The look is the library's (``tinkerlab look``, ``tl.look``): every column's numbers, the
target, how each feature relates to it, and alerts whose next steps are commands. The
lab shows the same numbers, draws the same Altair charts (``tinkerlab.charts`` builders,
their specs embedded as JSON like every chart of the lab), and turns each suggested
command into a link that opens its form filled in (``_try.form_link``): a learner who
never opens a terminal can still follow the advice. The full offline report
(``Look.html()``) is a download.

Looks are kept per (source, target, file time), so a page redrawn with other role
overrides does not profile the table again.

>>> command_link("tinkerlab theory class_imbalance", None)
'/theory/class_imbalance'
"""

from __future__ import annotations

import shlex
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.web._try import form_link

if TYPE_CHECKING:
    from tinkerlab.report import Look

#: Looks kept in memory (each holds counts and small samples, not the table).
_CACHE_SIZE = 6
#: Columns that get a small chart of their own (the most related to the target first).
COLUMN_CHARTS = 6
#: Features compared against the target in a chart each.
AGAINST_CHARTS = 4
_cache: OrderedDict[tuple[str, str | None, float], Look] = OrderedDict()
_lock = threading.Lock()


def look_cached(source: str, target: str | None) -> Look:
    """``tinkerlab.report.look(source, target)``, kept for the next page (not recorded
    in the journal: looking at a page is not an analysis the learner asked to keep)."""
    from tinkerlab.report import look

    path = Path(source)
    stamp = path.stat().st_mtime if path.is_absolute() and path.exists() else 0.0
    key = (source, target, stamp)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    result = look(source, target)
    with _lock:
        _cache[key] = result
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def command_link(command: str, upload: tuple[str, str] | None) -> str | None:
    """The lab page that does what *command* does: a form filled in, or a theory card.

    *upload* is ``(stored path, "upload:<id>")`` when the look was of an upload: the
    command names the stored file, the form names the upload.
    """
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if len(words) == 3 and words[:2] == ["tinkerlab", "theory"]:
        return f"/theory/{words[2]}"
    if upload is not None:
        words = [upload[1] if w == upload[0] else w for w in words]
    return form_link(shlex.join(words))


def look_context(look: Look, upload: tuple[str, str] | None = None) -> dict[str, Any]:
    """What ``_look.html`` shows: alerts with their links, the columns, chart specs."""
    alerts = [
        {
            "kind": a.kind.replace("_", " "),
            "css": a.kind,
            "message": a.message,
            "commands": [{"text": c, "href": command_link(c, upload)} for c in a.commands],
            "code": a.code,
            "card": a.card,
        }
        for a in look.alerts
    ]
    return {
        "look": look,
        "alerts": alerts,
        "sampling": look.sampling.sentence() if look.sampling is not None else "",
        "columns": [_column_row(c) for c in look.columns],
        "specs": look_specs(look),
    }


def _column_row(c: Any) -> dict[str, Any]:
    total = c.count + c.missing
    return {
        "name": c.name,
        "role": c.role,
        "reason": c.reason,
        "missing": c.missing / total if total else 0.0,
        "distinct": c.distinct,
        "mean": c.mean,
        "min": c.min,
        "max": c.max,
        "skew": c.skew,
        "dependence": c.dependence,
    }


def look_specs(look: Look) -> dict[str, Any]:
    """Vega-Lite specs (plain dicts) of the report's main charts, by name."""
    from tinkerlab import charts

    specs: dict[str, Any] = {}
    target = _target_chart(look)
    if target is not None:
        specs["target"] = charts.as_spec(target)
    ranked = sorted(
        (c for c in look.columns if c.dependence is not None and c.name != look.target),
        key=lambda c: -(c.dependence or 0.0),
    )
    if ranked:
        specs["dependence"] = charts.as_spec(
            charts.bar(
                [c.name for c in ranked[:20]],
                [round(c.dependence or 0.0, 4) for c in ranked[:20]],
                title=f"How much each feature tells about {look.target}",
                value_title="dependence (share of uncertainty removed)",
                value_format=".2f",
                highlight=[a.columns[0] for a in look.alerts if a.kind == "leakage"],
                width=320,
            )
        )
    order = ranked + [c for c in look.columns if c.dependence is None and c.role != "id"]
    shown = [c for c in order if c.name != look.target and (c.histogram or c.top)]
    specs["columns"] = [charts.as_spec(_column_chart(c)) for c in shown[:COLUMN_CHARTS]]
    specs["against"] = _against_specs(look, [c.name for c in ranked[:AGAINST_CHARTS]])
    missing = [c for c in look.columns if c.missing]
    if missing:
        specs["missing"] = charts.as_spec(
            charts.bar(
                [c.name for c in missing[:30]],
                [round(c.missing_share, 4) for c in missing[:30]],
                title="Share of empty cells per column",
                value_title="share empty",
                value_format=".1%",
            )
        )
    return specs


def _target_chart(look: Look) -> Any:
    from tinkerlab import charts

    if look.target is None:
        return None
    if look.task == "classification":
        counts = look.target_counts[:20]
        return charts.bar(
            [v for v, _ in counts], [n for _, n in counts], title=f"{look.target}: rows per class"
        )
    profile = look.column(look.target)
    if profile.histogram is None:
        return None
    return charts.histogram(*profile.histogram, title=look.target, x_title=look.target)


def _column_chart(c: Any) -> Any:
    from tinkerlab import charts

    if c.histogram is not None:
        return charts.histogram(*c.histogram, title=c.name, x_title=c.name)
    return charts.bar(
        [v for v, _ in c.top], [n for _, n in c.top], title=f"{c.name}: commonest values"
    )


def _against_specs(look: Look, names: list[str]) -> list[dict[str, Any]]:
    """Box plots (a number) or class shares (a category) of the features most related to
    the target, as the report draws them."""
    from tinkerlab import charts

    specs = []
    for name in names:
        drawn: Any
        chart = look.vs_target.get(name)
        if not chart or not chart.get("rows"):
            continue
        if chart["kind"] == "box":
            value = look.target if look.task == "regression" else name
            drawn = charts.box_by_group(
                chart["rows"],
                title=f"{value} by {chart['by']}",
                value_title=str(value),
                group_title=chart["by"],
            )
        else:
            drawn = charts.shares_by_group(
                chart["rows"], title=f"{look.target} by {name}", part_title=str(look.target)
            )
        specs.append(charts.as_spec(drawn))
    return specs
