"""The Look as HTML: one self-contained page (or a Jupyter fragment) with live charts.

Charts come from :mod:`tinkerlab.charts` (the same builders the web lab uses) and are
drawn by the vendored Vega scripts inlined in the page: no CDN, works offline. Every
piece of user text (column names, values, messages) goes through :func:`html.escape`.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from tinkerlab import charts
from tinkerlab.report._alerts import RULES

if TYPE_CHECKING:
    from tinkerlab.report._columns import ColumnProfile
    from tinkerlab.report._look import Look

#: Columns that get their own small chart (the most related to the target first).
MAX_COLUMN_CHARTS = 40

_STYLE = """
.tl-look{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.45}
.tl-look table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
.tl-look th,.tl-look td{padding:.2rem .5rem;border-bottom:1px solid #e1e4e8;text-align:left;
vertical-align:top}
.tl-look td.n{text-align:right;font-variant-numeric:tabular-nums}
.tl-look .grid{display:flex;flex-wrap:wrap;gap:1rem 2rem}
.tl-look .alert{border-left:4px solid #f58518;background:#fff8f0;padding:.5rem .8rem;margin:.6rem 0}
.tl-look .alert.leakage,.tl-look .alert.duplicates{border-color:#e45756;background:#fff3f3}
.tl-look code,.tl-look pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.8rem}
.tl-look pre{background:#f6f8fa;padding:.35rem .6rem;margin:.3rem 0;white-space:pre-wrap}
.tl-look .muted{color:#57606a}.tl-look .sampled{color:#8250df}
.tl-look details summary{cursor:pointer}
"""


def _e(value: Any) -> str:
    return html.escape(str(value))


def render_page(look: Look) -> str:
    """The whole report as one HTML page."""
    return charts.page(
        f'<div class="tl-look">{_body(look)}</div>', title=f"Look: {look.dataset}", style=_STYLE
    )


def render_fragment(look: Look) -> str:
    """The report for Jupyter: the same body, with the scripts it needs inlined (styles
    scoped to the report, so the notebook's own look is left alone)."""
    return f'<div class="tl-look"><style>{_STYLE}</style>{charts.script_tags()}{_body(look)}</div>'


class _Ids:
    """Unique element ids within one page (two looks in a notebook must not clash)."""

    def __init__(self, look: Look) -> None:
        self.prefix = f"tl-look-{id(look):x}"
        self.n = 0

    def chart(self, chart: Any) -> str:
        self.n += 1
        return charts.chart_html(chart, f"{self.prefix}-{self.n}")


def _body(look: Look) -> str:
    ids = _Ids(look)
    parts = [
        f"<h1>Look: {_e(look.dataset)}</h1>",
        f'<p class="muted">{_e(look.headline)}.</p>',
    ]
    if look.sampling is not None:
        parts.append(f'<p class="sampled">≈ {_e(look.sampling.sentence())}</p>')
    parts += [
        _alerts(look),
        _overview(look),
        _target(look, ids),
        _columns(look, ids),
        _against_target(look, ids),
        _correlations(look, ids),
        _missing(look, ids),
    ]
    if look.notices:
        items = "".join(f"<li>{_e(n)}</li>" for n in look.notices)
        parts.append(f"<h2>Notices</h2><ul>{items}</ul>")
    return "\n".join(p for p in parts if p)


def _sampled(look: Look, what: str) -> str:
    if look.sampling is not None and what in look.sampling.what:
        return f' <span class="sampled" title="{_e(look.sampling.sentence())}">≈ sampled</span>'
    return ""


def _alerts(look: Look) -> str:
    if not look.alerts:
        hint = "" if look.target else " Pass a target (--target COLUMN) for the alerts about it."
        return f"<h2>Alerts</h2><p>Nothing stands out.{_e(hint)}</p>"
    items = []
    for alert in look.alerts:
        commands = "".join(f"<pre>{_e(c)}</pre>" for c in alert.commands)
        items.append(
            f'<div class="alert {_e(alert.kind)}"><strong>{_e(alert.kind.replace("_", " "))}'
            f"</strong> — {_e(alert.message)}{commands}"
            f'<details><summary class="muted">in Python</summary><pre>{_e(alert.code)}</pre>'
            f"</details></div>"
        )
    legend = "".join(
        f"<li><code>{_e(r.kind)}</code>: {_e(r.help)} (card <code>{_e(r.card)}</code>)</li>"
        for r in RULES.values()
    )
    return (
        f"<h2>Alerts</h2>{''.join(items)}"
        f'<details><summary class="muted">When does an alert fire?</summary><ul>{legend}</ul>'
        "</details>"
    )


def _size(n: int | None) -> str:
    if n is None:
        return "—"
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"  # pragma: no cover


def _overview(look: Look) -> str:
    facts = [
        ("rows", f"{look.rows:,}"),
        ("columns", f"{len(look.columns):,}"),
        ("memory", _size(look.memory_bytes)),
        ("file", _size(look.file_bytes)),
        (
            "duplicate rows",
            f"{look.duplicate_rows:,} ({look.duplicate_rows / max(look.rows, 1):.1%})",
        ),
        ("target", f"{look.target} ({look.task})" if look.target else "none given"),
    ]
    table = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in facts)
    roles = "".join(
        f"<tr><td>{_e(c.name)}</td><td>{_e(c.role)}</td><td class='muted'>{_e(c.reason)}</td></tr>"
        for c in look.columns
    )
    return (
        f"<h2>Overview</h2><table>{table}</table>"
        "<h3>Column roles, and why</h3>"
        f"<details open><summary class='muted'>{len(look.columns)} columns</summary>"
        f"<table><tr><th>column</th><th>role</th><th>why</th></tr>{roles}</table></details>"
    )


def _target(look: Look, ids: _Ids) -> str:
    if look.target is None:
        return ""
    if look.task == "classification":
        labels = [v for v, _ in look.target_counts[:20]]
        counts = [n for _, n in look.target_counts[:20]]
        chart = charts.bar(labels, counts, title=f"{look.target}: rows per class")
        rare = look.target_counts[-1]
        text = (
            f"{len(look.target_counts)} classes; the rarest, {rare[0]!r}, has "
            f"{rare[1]:,} rows ({rare[1] / max(look.rows, 1):.1%})."
        )
    else:
        profile = look.column(look.target)
        if profile.histogram is None:
            return ""
        chart = charts.histogram(*profile.histogram, title=look.target, x_title=look.target)
        text = (
            f"mean {_num(profile.mean)}, median {_num(profile.quantiles.get('p50'))}, "
            f"from {_num(profile.min)} to {_num(profile.max)}; skewness {_num(profile.skew)}."
        )
    return f"<h2>The target: {_e(look.target)}</h2><p>{_e(text)}</p>{ids.chart(chart)}"


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 1e5 or (value != 0 and abs(value) < 1e-3):
        return f"{value:.3g}"
    return f"{value:,.4g}" if not float(value).is_integer() else f"{value:,.0f}"


_COLUMNS = (
    ("type", lambda c: c.role),
    ("missing", lambda c: f"{c.missing:,} ({c.missing_share:.0%})"),
    ("distinct", lambda c: "—" if c.distinct is None else f"{c.distinct:,}"),
    ("mean", lambda c: _num(c.mean)),
    ("std", lambda c: _num(c.std)),
    ("min", lambda c: _num(c.min)),
    ("25%", lambda c: _num(c.quantiles.get("p25"))),
    ("median", lambda c: _num(c.quantiles.get("p50"))),
    ("75%", lambda c: _num(c.quantiles.get("p75"))),
    ("max", lambda c: _num(c.max)),
    ("skew", lambda c: "—" if c.skew is None else f"{c.skew:.2f}"),
    ("outliers", lambda c: "—" if c.outliers is None else f"{c.outliers:,}"),
    ("dependence", lambda c: "—" if c.dependence is None else f"{c.dependence:.2f}"),
)


def _columns(look: Look, ids: _Ids) -> str:
    head = "".join(f"<th>{_e(name)}</th>" for name, _ in _COLUMNS)
    rows = "".join(
        f"<tr><td>{_e(c.name)}</td>"
        + "".join(f'<td class="n">{_e(get(c))}</td>' for _, get in _COLUMNS)
        + "</tr>"
        for c in look.columns
    )
    shown = sorted(
        (c for c in look.columns if c.histogram is not None or c.top),
        key=lambda c: -(c.dependence or 0.0),
    )[:MAX_COLUMN_CHARTS]
    grid = "".join(ids.chart(_column_chart(c)) for c in shown)
    more = len([c for c in look.columns if c.histogram is not None or c.top]) - len(shown)
    note = f'<p class="muted">{more} more columns are in the table above.</p>' if more > 0 else ""
    return (
        f"<h2>Columns{_sampled(look, 'quantiles')}</h2>"
        '<p class="muted">Outliers: values beyond 1.5 interquartile ranges from the quartiles '
        "(Tukey's rule). Dependence: the share of the target's uncertainty the column removes "
        "(0: none, 1: it decides the target).</p>"
        f"<div style='overflow-x:auto'><table><tr><th>column</th>{head}</tr>{rows}</table></div>"
        f'<div class="grid">{grid}</div>{note}'
    )


def _column_chart(c: ColumnProfile) -> Any:
    if c.histogram is not None:
        return charts.histogram(*c.histogram, title=c.name, x_title=c.name)
    labels = [v for v, _ in c.top]
    return charts.bar(labels, [n for _, n in c.top], title=f"{c.name}: commonest values")


def _against_target(look: Look, ids: _Ids) -> str:
    if look.target is None or not look.vs_target:
        return ""
    scored = sorted(
        (c for c in look.columns if c.dependence is not None), key=lambda c: -(c.dependence or 0.0)
    )[:30]
    bars = charts.bar(
        [c.name for c in scored],
        [round(c.dependence or 0.0, 4) for c in scored],
        title=f"How much each feature tells about {look.target}",
        value_title="dependence (share of uncertainty removed)",
        value_format=".2f",
        highlight=[a.columns[0] for a in look.alerts if a.kind == "leakage"],
        width=320,
    )
    grid: list[Any] = []
    for name, chart in look.vs_target.items():
        if not chart["rows"]:
            continue
        if chart["kind"] == "box":
            value = look.target if look.task == "regression" else name
            grid.append(
                charts.box_by_group(
                    chart["rows"],
                    title=f"{value} by {chart['by']}",
                    value_title=value,
                    group_title=chart["by"],
                )
            )
        else:
            grid.append(
                charts.shares_by_group(
                    chart["rows"], title=f"{look.target} by {name}", part_title=look.target
                )
            )
    boxes = "".join(ids.chart(c) for c in grid)
    return (
        f"<h2>Features against the target{_sampled(look, 'features against the target')}</h2>"
        '<p class="muted">Boxes span the quartiles, whiskers the 5th to 95th percentiles.</p>'
        f"{ids.chart(bars)}<div class='grid'>{boxes}</div>{_scatter(look, ids)}"
    )


def _scatter(look: Look, ids: _Ids) -> str:
    s = look.scatter
    if len(s.get("columns", [])) < 2:
        return ""
    chart = charts.scatter_matrix(s["rows"], s["columns"], color=s["color"])
    return (
        f"<h3>Scatter matrix of the most related numbers{_sampled(look, 'scatter matrix')}</h3>"
        f'<p class="muted">{len(s["rows"])} random rows.</p>{ids.chart(chart)}'
    )


def _correlations(look: Look, ids: _Ids) -> str:
    titles = {
        "pearson": "Pearson correlation (straight-line relation)",
        "spearman": "Spearman correlation (any rising or falling relation)",
        "cramers_v": "Cramér's V (categories that go together)",
    }
    maps = []
    for key, title in titles.items():
        matrix = look.correlations.get(key)
        if matrix:
            domain = (0.0, 1.0) if key == "cramers_v" else (-1.0, 1.0)
            scheme = "blues" if key == "cramers_v" else "redblue"
            maps.append(
                ids.chart(charts.heatmap(matrix, title=title, domain=domain, scheme=scheme))
            )
    if not maps:
        return ""
    return (
        f"<h2>Correlations{_sampled(look, 'correlations')}</h2>"
        f"<div class='grid'>{''.join(maps)}</div>"
    )


def _missing(look: Look, ids: _Ids) -> str:
    with_missing = [c for c in look.columns if c.missing]
    if not with_missing:
        return "<h2>Missing values</h2><p>No empty cells.</p>"
    bars = charts.bar(
        [c.name for c in with_missing],
        [round(c.missing_share, 4) for c in with_missing],
        title="Share of empty cells per column",
        value_title="share empty",
        value_format=".1%",
    )
    patterns = look.missing_patterns
    pattern_chart = ""
    if patterns:
        columns = patterns[0]["columns"]
        grids = [{c: c in p["missing"] for c in columns} for p in patterns]
        pattern_chart = ids.chart(
            charts.missing_pattern(
                grids, [p["rows"] for p in patterns], title="Which columns are empty together"
            )
        )
    return f"<h2>Missing values</h2><div class='grid'>{ids.chart(bars)}{pattern_chart}</div>"
