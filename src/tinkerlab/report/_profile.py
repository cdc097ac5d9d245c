"""From a Dataset to a Look: every column, the target, how they relate, the alerts.

The steps, each vectorised over whole columns:

1. each column on its own (:func:`~._columns.profile_column`);
2. the rows: exact duplicates (one 64-bit hash per row) and the patterns of empty cells;
3. every feature coded as small integers (:func:`~._relations.codes`), then its
   dependence on the target and a chart of it against the target;
4. Pearson and Spearman correlations of the numbers, Cramér's V of the categories;
5. a scatter matrix of the numbers most related to the target;
6. the alerts (:mod:`._alerts`).

Above :data:`RELATION_ROWS` rows, steps 3 to 5 use a seeded random sample of that many
rows, and the look says so (:class:`~._look.Sampling`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from tinkerlab.report import _relations as rel
from tinkerlab.report._alerts import DataRef, find_alerts
from tinkerlab.report._columns import TOP, ColumnProfile, profile_column
from tinkerlab.report._look import Look, Sampling

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.data import Dataset
    from tinkerlab.report._stream import ExactCounts

#: Called with what is being done and the share done so far (None: unknown).
Progress = Callable[[str, float | None], None]

#: Relations (dependence, charts against the target, correlations) use at most this many rows.
RELATION_ROWS = 200_000
#: Charts against the target: the features most related to it, at most this many.
MAX_VS_TARGET = 12
#: Correlation heat maps: at most this many columns (the most related to the target).
MAX_HEATMAP = 24
#: Scatter matrix: this many number columns, this many points.
SCATTER_COLUMNS, SCATTER_ROWS = 4, 400
#: Missing-value patterns listed (the commonest).
MAX_PATTERNS = 10
#: What the sample is used for when the table has more than RELATION_ROWS rows.
RELATION_STATS = (
    "dependence on the target",
    "features against the target",
    "correlations",
    "scatter matrix",
)


def profile_dataset(
    dataset: Dataset,
    ref: DataRef,
    *,
    seed: int = 0,
    file_bytes: int | None = None,
    exact: ExactCounts | None = None,
    progress: Progress | None = None,
) -> Look:
    """Look at every column of *dataset* and at how the columns relate to its target.

    Parameters
    ----------
    dataset : Dataset
        From :func:`tinkerlab.data.load` (a target is optional).
    ref : DataRef
        How the next steps name the data (a built-in's name, a file's path...).
    seed : int
        Seed of the sample used above :data:`RELATION_ROWS` rows.
    file_bytes : int, optional
        The file's size on disk, for the overview.
    exact : ExactCounts, optional
        What a streaming pass counted over every row of a big file, when
        ``dataset.frame`` is its sample (:func:`~._stream.stream_counts`).
    progress : callable, optional
        ``progress(step, share_done)`` before each step.
    """
    say = progress or (lambda _step, _done: None)
    timings: dict[str, float] = {}
    tick = time.perf_counter()
    frame = dataset.frame
    target = dataset.target

    say("profiling columns", 0.0)
    columns = [profile_column(frame[name], info) for name, info in dataset.columns.items()]
    timings["columns"] = _lap(tick)

    say("counting duplicates and empty cells", 0.4)
    tick = time.perf_counter()
    memory = int(frame.memory_usage(deep=True, index=False).sum())
    if exact is None:
        rows = len(frame)
        duplicate_rows = rel.duplicate_count(rel.row_hashes(frame))
        patterns = _patterns(frame)
    else:
        rows, duplicate_rows, patterns = exact.rows, exact.duplicate_rows, exact.patterns
        memory = int(memory * rows / max(len(frame), 1))  # the sample's, scaled up
    timings["rows"] = _lap(tick)

    say("relating columns to the target", 0.6)
    tick = time.perf_counter()
    sample, sampling = _relation_sample(frame, seed)
    parts = relate(sample, columns, target, dataset.task)
    timings["relations"] = _lap(tick)

    target_counts = []
    if target is not None and dataset.task == "classification":
        target_counts = _target_counts(frame[target])
    if exact is not None:
        sampling, target_counts = apply_exact(columns, exact, target_counts, target)
        if sampling.rows == sampling.of:
            sampling = None  # the "sample" is every row: every number is exact
    alerts = find_alerts(
        columns=columns,
        target=target,
        task=dataset.task,
        rows=rows,
        duplicate_rows=duplicate_rows,
        target_counts=target_counts,
        correlations=parts["correlations"],
        ref=ref,
    )
    say("done", 1.0)
    return Look(
        dataset=dataset.name,
        target=target,
        task=dataset.task,
        rows=rows,
        memory_bytes=memory,
        file_bytes=file_bytes,
        duplicate_rows=duplicate_rows,
        columns=columns,
        target_counts=target_counts,
        correlations=parts["correlations"],
        vs_target=parts["vs_target"],
        scatter=parts["scatter"],
        missing_patterns=patterns,
        alerts=alerts,
        sampling=sampling,
        notices=list(dataset.notices),
        sha256=dataset.source.sha256,
        timings=timings,
    )


def apply_exact(
    columns: list[ColumnProfile],
    exact: ExactCounts,
    target_counts: list[tuple[str, int]],
    target: str | None,
) -> tuple[Sampling, list[tuple[str, int]]]:
    """Put what the stream counted over every row in place of the sample's numbers; say
    which numbers remain the sample's."""
    for c in columns:
        counts = exact.columns[c.name]
        c.missing, c.count = counts.missing, exact.rows - counts.missing
        m = counts.moments
        if m is not None and c.mean is not None and m.n:
            c.mean, c.std, c.min, c.max = m.mean, m.std, m.low, m.high
            c.skew, c.zeros = m.skew, m.zeros
        if counts.values is None:
            c.distinct = None  # more than the stream counts exactly; the top is the sample's
            continue
        c.distinct = len(counts.values)
        if c.top:
            items = counts.values.items()
            numbers = c.mean is not None  # a number with few values: bars in value order
            ranked = sorted(items) if numbers else sorted(items, key=lambda kv: -kv[1])
            c.top = [(_value_text(v), int(n)) for v, n in ranked[:TOP]]
        if c.name == target and target_counts:
            ranked = sorted(counts.values.items(), key=lambda kv: -kv[1])
            target_counts = [(_value_text(v), int(n)) for v, n in ranked]
    what = ["quantiles", "histograms", "outliers", *RELATION_STATS]
    if exact.capped:
        what.append(f"commonest values of {', '.join(exact.capped[:5])}")
    sampling = Sampling(rows=len(exact.sample), of=exact.rows, seed=exact.seed, what=tuple(what))
    return sampling, target_counts


def _value_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _lap(tick: float) -> float:
    return round(time.perf_counter() - tick, 4)


def _relation_sample(frame: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, Sampling | None]:
    if len(frame) <= RELATION_ROWS:
        return frame, None
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(frame), size=RELATION_ROWS, replace=False))  # (RELATION_ROWS,)
    sampling = Sampling(rows=RELATION_ROWS, of=len(frame), seed=seed, what=RELATION_STATS)
    return frame.iloc[rows].reset_index(drop=True), sampling


def _patterns(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The commonest combinations of empty cells, over the columns that have any."""
    isna = frame.isna()
    with_missing = [c for c in frame.columns if isna[c].any()]
    if not with_missing:
        return []
    found, counts = rel.missing_patterns(isna[with_missing].to_numpy())
    order = np.argsort(-counts, kind="stable")[:MAX_PATTERNS]
    return [
        {
            "missing": [c for c, m in zip(with_missing, found[i], strict=True) if m],
            "columns": list(with_missing),
            "rows": int(counts[i]),
        }
        for i in order
    ]


def _target_counts(y: pd.Series[Any]) -> list[tuple[str, int]]:
    """Rows per class, commonest first."""
    return [(str(v), int(n)) for v, n in y.value_counts(sort=True).items()]


def relate(
    frame: pd.DataFrame, columns: list[ColumnProfile], target: str | None, task: str | None
) -> dict[str, Any]:
    """Dependence on the target (set on *columns*), charts against it, correlations and
    the scatter matrix, from *frame* (the whole table or its sample)."""
    features = [c for c in columns if c.role in ("numeric", "categorical")]
    coded = {c.name: rel.codes(frame[c.name], c.role == "numeric") for c in features}
    vs_target: dict[str, dict[str, Any]] = {}
    if target is not None and task is not None:
        y, y_labels = rel.codes(frame[target], task == "regression")
        for c in features:
            x, labels = coded[c.name]
            c.dependence = rel.dependence(x, y, len(labels), len(y_labels))
        ranked = sorted(features, key=lambda c: -(c.dependence or 0.0))
        for c in ranked[:MAX_VS_TARGET]:
            vs_target[c.name] = _against_target(frame, c, coded[c.name], target, task, y, y_labels)
    else:
        ranked = list(features)
    numbers = [c.name for c in ranked if c.role == "numeric"][:MAX_HEATMAP]
    if target is not None and task == "regression":
        numbers = [target, *numbers[: MAX_HEATMAP - 1]]
    correlations: dict[str, Any] = {}
    if len(numbers) >= 2:
        block = frame[numbers].apply(_as_float)
        correlations["pearson"], correlations["spearman"] = rel.correlations(block)
    categories = [c.name for c in ranked if c.role == "categorical"][:MAX_HEATMAP]
    if target is not None and task == "classification":
        categories = [target, *categories[: MAX_HEATMAP - 1]]
    if len(categories) >= 2:
        category_codes = {
            name: (codes, len(labels))
            for name in categories
            for codes, labels in [coded.get(name) or rel.codes(frame[name], False)]
        }
        correlations["cramers_v"] = rel.cramers_matrix(category_codes)
    scatter_columns = [c.name for c in ranked if c.role == "numeric"][:SCATTER_COLUMNS]
    return {
        "vs_target": vs_target,
        "correlations": correlations,
        "scatter": _scatter(frame, scatter_columns, target if task == "classification" else None),
    }


def _as_float(series: pd.Series[Any]) -> pd.Series[Any]:
    import pandas as pd

    return pd.to_numeric(series, errors="coerce").astype(float)


def _against_target(
    frame: pd.DataFrame,
    column: ColumnProfile,
    coded: tuple[np.ndarray, list[str]],
    target: str,
    task: str,
    y: np.ndarray,
    y_labels: list[str],
) -> dict[str, Any]:
    """How one feature and the target go together, as the chart needs it.

    Classification: the feature's quartiles per class (a number) or the classes' shares
    per category. Regression: the target's quartiles per bin or category of the feature.
    """
    x, labels = coded
    if task == "classification":
        if column.role == "numeric":
            return {"kind": "box", "by": target, "rows": rel.boxes(frame[column.name], y, y_labels)}
        return {"kind": "shares", "by": column.name, "rows": rel.shares(x, labels, y, y_labels)}
    return {"kind": "box", "by": column.name, "rows": rel.boxes(frame[target], x, labels)}


def _scatter(frame: pd.DataFrame, columns: list[str], color: str | None) -> dict[str, Any]:
    if len(columns) < 2:
        return {"columns": [], "color": None, "rows": []}
    keep = [*columns, *([color] if color else [])]
    points = frame[keep]
    if len(points) > SCATTER_ROWS:
        points = points.sample(n=SCATTER_ROWS, random_state=0)
    rows = [
        {k: (str(v) if k == color else v) for k, v in row.items()}
        for row in points.to_dict(orient="records")
    ]
    return {"columns": columns, "color": color, "rows": rows}
