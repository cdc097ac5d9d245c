"""One column at a time: what is in it (counts, spread, shape, commonest values).

Everything here is vectorised NumPy/pandas over the whole column; nothing loops over
rows in Python. :func:`profile_column` is the one entry point; the streaming reader for
big files (:mod:`._stream`) later replaces the numbers it could count exactly over
every row (:func:`apply_exact`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.data import ColumnInfo

#: Quantiles every numeric column reports, by name.
QUANTILES = {"p5": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}
#: Commonest values kept per column (the bar chart of top categories).
TOP = 10
#: A number column with at most this many distinct values is drawn as bars of its values.
FEW_VALUES = 12
#: Most histogram bins (fewer for short columns: about the square root of the rows).
MAX_BINS = 30
#: Tukey's rule: a value beyond this many interquartile ranges from the box is an outlier.
IQR_FACTOR = 1.5


@dataclass
class ColumnProfile:
    """What one column holds. Numbers that do not apply to its kind are None."""

    name: str
    role: str  # what schema inference decided: numeric, categorical, text, datetime, id...
    reason: str  # why, in one sentence ("3 distinct strings in 1309 rows")
    dtype: str  # the pandas dtype as read
    count: int  # non-empty cells
    missing: int  # empty cells
    distinct: int | None  # distinct non-empty values (None: too many to count exactly)
    mean: float | None = None
    std: float | None = None  # sample standard deviation (ddof=1)
    min: float | None = None
    max: float | None = None
    quantiles: dict[str, float] = field(default_factory=dict)  # QUANTILES' names -> value
    skew: float | None = None  # adjusted Fisher-Pearson skewness, as pandas computes it
    zeros: int | None = None  # cells equal to 0
    outliers: int | None = None  # cells beyond 1.5 IQR from the quartiles (Tukey's rule)
    histogram: tuple[list[float], list[int]] | None = None  # (edges, counts)
    top: list[tuple[str, int]] = field(default_factory=list)  # commonest values, counted
    mean_length: float | None = None  # text: characters per value
    dependence: float | None = None  # share of the target's uncertainty it removes (0..1)
    first: str | None = None  # dates: the earliest value
    last: str | None = None  # dates: the latest value

    @property
    def missing_share(self) -> float:
        """Share of the rows where this column is empty."""
        total = self.count + self.missing
        return self.missing / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (NaN written as None)."""
        data = {k: _plain(v) for k, v in self.__dict__.items()}
        data["histogram"] = (
            None
            if self.histogram is None
            else {"edges": _plain(self.histogram[0]), "counts": list(self.histogram[1])}
        )
        data["top"] = [{"value": v, "count": c} for v, c in self.top]
        data["missing_share"] = self.missing_share
        return data


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def profile_column(series: pd.Series[Any], info: ColumnInfo) -> ColumnProfile:
    """Profile one column as schema inference described it (*info*: its role and reason).

    Numbers get their spread, quantiles, skew, outliers and a histogram (or bars of
    their values when there are few); everything else gets its commonest values, text
    its mean length, dates their first and last value.

    >>> import pandas as pd
    >>> from tinkerlab.data import infer_schema
    >>> s = pd.Series([1.0, 2.0, 2.0, 40.0, None], name="x")
    >>> p = profile_column(s, infer_schema(s.to_frame())["x"])
    >>> p.count, p.missing, p.outliers
    (4, 1, 1)
    """
    import pandas as pd

    missing = int(info.n_missing)
    base = ColumnProfile(
        name=info.name,
        role=info.role,
        reason=info.reason,
        dtype=info.dtype,
        count=len(series) - missing,
        missing=missing,
        distinct=int(info.n_unique),
    )
    dtype = series.dtype
    is_bool = pd.api.types.is_bool_dtype(dtype)
    if pd.api.types.is_numeric_dtype(dtype) and not is_bool and info.role != "categorical":
        values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        return number_profile(base, values)
    if info.role == "datetime":
        return _date_profile(base, series)
    profile = replace(base, top=top_values(series))
    if info.role == "text":
        lengths = series.dropna().astype(str).str.len()
        profile.mean_length = float(lengths.mean()) if len(lengths) else None
    return profile


def number_profile(base: ColumnProfile, x: np.ndarray) -> ColumnProfile:
    """The numeric statistics of *x* (float, NaN for empty cells) added to *base*."""
    valid = x[~np.isnan(x)]  # (count,)
    n = valid.size
    if n == 0:
        return base
    qs = np.quantile(valid, [0.0, *QUANTILES.values(), 1.0])  # (7,)
    q1, q3 = qs[2], qs[4]
    spread = q3 - q1
    low, high = q1 - IQR_FACTOR * spread, q3 + IQR_FACTOR * spread
    mean = float(valid.mean())
    profile = replace(
        base,
        mean=mean,
        std=float(valid.std(ddof=1)) if n > 1 else 0.0,
        min=float(qs[0]),
        max=float(qs[-1]),
        quantiles={name: float(q) for name, q in zip(QUANTILES, qs[1:-1], strict=True)},
        skew=skewness(valid, mean),
        zeros=int(np.count_nonzero(valid == 0)),
        outliers=int(np.count_nonzero((valid < low) | (valid > high))),
    )
    if base.distinct is not None and base.distinct <= FEW_VALUES:
        values, counts = np.unique(valid, return_counts=True)  # in increasing order
        profile.top = [(_number_text(v), int(c)) for v, c in zip(values, counts, strict=True)]
    else:
        profile.histogram = histogram(valid, float(qs[0]), float(qs[-1]))
    return profile


def skewness(valid: np.ndarray, mean: float) -> float | None:
    """Adjusted Fisher-Pearson skewness (pandas' ``Series.skew``); None below 3 values."""
    n = valid.size
    if n < 3:
        return None
    d = valid - mean  # (n,)
    m2 = float(np.dot(d, d)) / n
    if m2 <= 0:
        return 0.0
    m3 = float(np.dot(d * d, d)) / n
    g1 = m3 / m2**1.5
    return float(g1 * math.sqrt(n * (n - 1)) / (n - 2))


def histogram(valid: np.ndarray, low: float, high: float) -> tuple[list[float], list[int]]:
    """Equal-width bins from *low* to *high*: about sqrt(n) of them, at most MAX_BINS."""
    bins = int(min(MAX_BINS, max(5, math.ceil(math.sqrt(valid.size)))))
    if high <= low:
        high = low + 1.0
    counts, edges = np.histogram(valid, bins=bins, range=(low, high))
    return [float(e) for e in edges], [int(c) for c in counts]


def top_values(series: pd.Series[Any], k: int = TOP) -> list[tuple[str, int]]:
    """The *k* commonest non-empty values with their counts, commonest first."""
    try:
        counts = series.value_counts(dropna=True, sort=True).head(k)
    except TypeError:  # unhashable cells (lists, dicts): count their text
        counts = series.dropna().astype(str).value_counts(sort=True).head(k)
    return [(_text(v), int(c)) for v, c in counts.items()]


def _date_profile(base: ColumnProfile, series: pd.Series[Any]) -> ColumnProfile:
    import pandas as pd

    profile = replace(base, top=top_values(series, 5))
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        parsed = series
    else:
        parsed = pd.to_datetime(series, errors="coerce", format="mixed")
    present = parsed.dropna()
    if len(present):
        profile.first, profile.last = str(present.min()), str(present.max())
    return profile


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
