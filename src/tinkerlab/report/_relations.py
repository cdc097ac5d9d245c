"""Columns against each other and against the target, counted with integer codes.

Every column becomes small integer codes first (:func:`codes`): a number becomes its
decile, a category one of its commonest values (the rest pooled as "other"), an empty
cell its own code. Everything that compares columns then counts pairs of codes with
``np.bincount``, one vectorised pass per pair:

* **dependence** on the target: the mutual information of the codes divided by the
  target's entropy (Theil's uncertainty coefficient): the share of the uncertainty about
  the target that knowing the column removes, from 0 (none) to 1 (it decides the target).
  The plug-in estimate is biased upwards by about (cells − 1) / 2n; we subtract that
  (the Miller–Madow correction), so a column of noise scores about 0.
* **Cramér's V** between two categories, bias-corrected (Bergsma 2013).
* **Pearson** and **Spearman** correlations of numbers (pandas, pairwise complete rows;
  for Spearman each column is ranked once over its own non-empty values, which equals
  pandas' pairwise ranking when no cell is empty and saves a sort per pair).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

#: Bins of a number column, and categories kept before pooling into "other".
NUMBER_BINS = 10
CATEGORY_CODES = 30
#: Quantiles of a box (whiskers at the 5th and 95th percentiles).
BOX = (0.05, 0.25, 0.5, 0.75, 0.95)
#: Groups drawn per feature-against-target chart, and classes shown in it.
MAX_GROUPS = 12


def codes(series: pd.Series[Any], numeric: bool) -> tuple[np.ndarray, list[str]]:
    """Small integer codes for *series*, and a label per code.

    Numbers: decile bins (fewer when values repeat); categories: the commonest
    :data:`CATEGORY_CODES` values, then "other"; empty cells get the last code, "missing".
    """
    import pandas as pd

    if numeric:
        x = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        present = ~np.isnan(x)
        edges = np.unique(np.quantile(x[present], np.linspace(0, 1, NUMBER_BINS + 1)[1:-1]))
        out = np.searchsorted(edges, x, side="right")  # (n,) in 0..len(edges)
        labels = _bin_labels(edges, x[present])
        out[~present] = len(labels)
        return out.astype(np.int64), [*labels, "missing"]
    top = series.value_counts(dropna=True).index[:CATEGORY_CODES]
    out = pd.Index(top).get_indexer(series).astype(np.int64)  # -1 for "other" and missing
    labels = [str(v) for v in top]
    other = out < 0
    empty = series.isna().to_numpy()
    out[other & ~empty] = len(labels)
    out[empty] = len(labels) + 1
    return out, [*labels, "other", "missing"]


def _bin_labels(edges: np.ndarray, values: np.ndarray) -> list[str]:
    if values.size == 0:
        return []
    bounds = [float(values.min()), *map(float, edges), float(values.max())]
    return [f"{_short(bounds[i])}–{_short(bounds[i + 1])}" for i in range(len(bounds) - 1)]


def _short(value: float) -> str:
    return f"{value:.3g}"


def _entropy(counts: np.ndarray) -> float:
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log(p)).sum())


def dependence(x: np.ndarray, y: np.ndarray, kx: int, ky: int) -> float:
    """Theil's U of codes *x* (kx values) for target codes *y* (ky values): I(X;Y) / H(Y),
    Miller–Madow corrected, in [0, 1].

    >>> y = np.array([0, 1] * 50)
    >>> round(dependence(y.copy(), y, 2, 2), 2), dependence(np.zeros(100, int), y, 1, 2)
    (1.0, 0.0)
    """
    n = x.size
    joint = np.bincount(x * ky + y, minlength=kx * ky).reshape(kx, ky)  # (kx, ky)
    hx, hy = _entropy(joint.sum(axis=1)), _entropy(joint.sum(axis=0))
    if hy <= 0:
        return 0.0
    mi = hx + hy - _entropy(joint.ravel())
    used_x, used_y = int((joint.sum(axis=1) > 0).sum()), int((joint.sum(axis=0) > 0).sum())
    mi -= (used_x - 1) * (used_y - 1) / (2 * n)  # Miller–Madow: the plug-in bias
    return float(min(max(mi / hy, 0.0), 1.0))


def cramers_v(x: np.ndarray, y: np.ndarray, kx: int, ky: int) -> float:
    """Bias-corrected Cramér's V of two code arrays (0: unrelated, 1: one decides the other)."""
    n = x.size
    table = np.bincount(x * ky + y, minlength=kx * ky).reshape(kx, ky).astype(float)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]  # drop unused codes
    r, k = table.shape
    if r < 2 or k < 2 or n < 2:
        return 0.0
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n  # (r, k)
    chi2 = float(((table - expected) ** 2 / expected).sum())
    phi2 = max(0.0, chi2 / n - (k - 1) * (r - 1) / (n - 1))
    r_c, k_c = r - (r - 1) ** 2 / (n - 1), k - (k - 1) ** 2 / (n - 1)
    denominator = min(k_c - 1, r_c - 1)
    return float(math.sqrt(phi2 / denominator)) if denominator > 0 else 0.0


def correlations(frame: pd.DataFrame) -> tuple[dict[str, Any], dict[str, Any]]:
    """Pearson and Spearman matrices of the number columns of *frame* (pairwise rows)."""
    import pandas as pd

    x = frame.to_numpy(dtype=float, na_value=np.nan)  # (n, k)
    ranks = np.full_like(x, np.nan)
    for j in range(x.shape[1]):  # average ranks of each column's non-empty values
        present = ~np.isnan(x[:, j])
        ranks[present, j] = _average_ranks(x[present, j])
    names = [str(c) for c in frame.columns]

    def as_dict(r: np.ndarray) -> dict[str, Any]:
        return _matrix(pd.DataFrame(r, index=names, columns=names))

    return as_dict(pairwise_pearson(x)), as_dict(pairwise_pearson(ranks))


def pairwise_pearson(x: np.ndarray, min_rows: int = 3) -> np.ndarray:
    """Pearson correlation of every pair of columns of *x* (n, k) over the rows where both
    are present, as ``DataFrame.corr`` computes it, with matrix products instead of a loop
    over pairs (NaN where fewer than *min_rows* rows are shared)."""
    m = (~np.isnan(x)).astype(float)  # (n, k) 1 where present
    centre = np.nanmean(np.where(m > 0, x, np.nan), axis=0) if x.size else np.zeros(0)
    z = np.where(m > 0, x - np.nan_to_num(centre), 0.0)  # (n, k) centred, 0 where empty
    n = m.T @ m  # (k, k) rows shared by each pair
    s = z.T @ m  # (k, k) sum of column i over the rows where j is present too
    sq = (z * z).T @ m  # (k, k) sum of squares of i over those rows
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = z.T @ z - s * s.T / n  # (k, k)
        var = sq - s * s / n  # (k, k) variance of i over the rows shared with j
        r = cov / np.sqrt(var * var.T)
    r[n < min_rows] = np.nan
    np.fill_diagonal(r, np.where(np.diag(n) >= min_rows, 1.0, np.nan))
    clipped: np.ndarray = np.clip(r, -1.0, 1.0)
    return clipped


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n, ties sharing their average rank (as ``Series.rank()`` does)."""
    order = np.argsort(values)  # ties get their average rank, so any order among them
    sorted_values = values[order]
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])  # (groups,)
    ends = np.r_[starts[1:], values.size]
    average = (starts + ends + 1) / 2.0  # (groups,) mean of ranks start+1..end
    ranks = np.empty(values.size)
    ranks[order] = np.repeat(average, ends - starts)
    return ranks


def cramers_matrix(coded: dict[str, tuple[np.ndarray, int]]) -> dict[str, Any]:
    """Cramér's V of every pair of coded category columns."""
    names = list(coded)
    out: dict[str, dict[str, float]] = {a: {} for a in names}
    for i, a in enumerate(names):
        out[a][a] = 1.0
        for b in names[i + 1 :]:
            v = cramers_v(coded[a][0], coded[b][0], coded[a][1], coded[b][1])
            out[a][b] = out[b][a] = v
    return out


def _matrix(frame: pd.DataFrame) -> dict[str, Any]:
    return {str(r): {str(c): _finite(frame.at[r, c]) for c in frame.columns} for r in frame.index}


def _finite(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


# --- features against the target ---------------------------------------------------------


def boxes(values: pd.Series[Any], groups: np.ndarray, labels: list[str]) -> list[dict[str, Any]]:
    """Quartiles (whiskers at 5 % and 95 %) of *values* per group code, commonest first."""
    import pandas as pd

    x = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    keep = ~np.isnan(x)
    frame = pd.DataFrame({"g": groups[keep], "x": x[keep]})
    if frame.empty:
        return []
    counts = frame["g"].value_counts()
    chosen = [int(g) for g in counts.index[:MAX_GROUPS]]
    q = frame[frame["g"].isin(chosen)].groupby("g")["x"].quantile(np.array(BOX)).unstack()
    rows = []
    for g in sorted(chosen) if _ordered(labels) else chosen:
        low, q1, median, q3, high = q.loc[g].to_numpy(dtype=float).tolist()
        rows.append(
            {
                "group": labels[g],
                "low": low,
                "q1": q1,
                "median": median,
                "q3": q3,
                "high": high,
                "count": int(counts[g]),
            }
        )
    return rows


def _ordered(labels: list[str]) -> bool:
    """Bins of numbers keep their order; categories go commonest first."""
    return any("–" in label for label in labels)


def shares(
    groups: np.ndarray, labels: list[str], y: np.ndarray, classes: list[str]
) -> list[dict[str, Any]]:
    """Share of each class within each group (the commonest groups), for stacked bars."""
    kg, ky = len(labels), len(classes)
    table = np.bincount(groups * ky + y, minlength=kg * ky).reshape(kg, ky)  # (kg, ky)
    totals = table.sum(axis=1)
    chosen = [int(g) for g in np.argsort(-totals, kind="stable")[:MAX_GROUPS] if totals[g] > 0]
    if _ordered(labels):
        chosen.sort()
    return [
        {
            "group": labels[g],
            "part": classes[c],
            "share": float(table[g, c] / totals[g]),
            "count": int(totals[g]),
        }
        for g in chosen
        for c in range(ky)
        if table[g, c] > 0
    ]


# --- rows ----------------------------------------------------------------------------------


def row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash per row (equal rows, equal hashes), for counting duplicates."""
    import pandas as pd

    try:
        return pd.util.hash_pandas_object(frame, index=False).to_numpy()
    except TypeError:  # unhashable cells (lists, dicts): hash their text
        return pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()


def duplicate_count(hashes: np.ndarray) -> int:
    """Rows that repeat an earlier row (by hash; a 64-bit collision is vanishingly rare)."""
    return int(hashes.size - np.unique(hashes).size)


def missing_patterns(isna: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of the boolean matrix *isna* (n, k) and how often each occurs."""
    if isna.size == 0:
        return np.zeros((0, isna.shape[1]), dtype=bool), np.zeros(0, dtype=np.int64)
    packed = np.packbits(isna, axis=1)  # (n, ceil(k / 8))
    keys = np.ascontiguousarray(packed).view(np.dtype((np.void, packed.shape[1]))).ravel()
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    return isna[first], counts
