"""The numbers schema inference reads about each column, computed for many columns at once.

Schema inference (:mod:`._schema`) decides a column's role from a few facts: how many
values it holds, how many are distinct, the smallest and the largest, how many strings
read as numbers, how long the strings are... This module measures them. Asking pandas
column by column costs about a millisecond per column — two minutes for a table of
10,000 columns — so columns that share a plain dtype are measured together, as one
NumPy block of shape ``(n_rows, k)``:

* **numbers** (NumPy ``int``/``uint``/``float``): one sort along the rows gives every
  column's distinct count, minimum and maximum at once;
* **strings** (pandas' ``str`` dtype): the cells of the block are factorized together,
  so each distinct string is measured once (does it read as a number? its length, its
  words) and every column's figures are sums over its codes;
* **anything else** (booleans, categoricals, nullable and object columns, dates):
  column by column with pandas, by :func:`profile_one`.

:func:`profile_one` is also the *definition*: ``tests/data/test_profile.py`` checks that
the block computations give exactly what it gives, on random tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

#: Values looked at when measuring strings (length, words, dates).
SAMPLE = 1000
#: Cells per block: wide tables are measured in blocks of columns of about this size, so
#: a tall table never needs more than a block's worth of extra memory.
BLOCK_CELLS = 2_000_000
#: A string that could be a date holds a digit, a separator and a digit ("2021-03",
#: "04/03"). Strings without one cannot pass the exact date test (``_looks_like_dates``),
#: so only columns with some value of this shape are given it.
_DATE_SHAPED = re.compile(r"\d[-/.]\d")
_NESTED = (list, dict, set, tuple)


@dataclass(frozen=True)
class Profile:
    """What one column holds, in the figures the inference rules read."""

    n_rows: int  # rows in the table
    n: int  # non-missing values
    n_unique: int  # distinct non-missing values
    first: Any = None  # the first non-missing value (None when every value is missing)
    nested: str = ""  # type of the first list/dict/set/tuple value ("" when none)
    # numbers only (not booleans):
    low: Any = None  # the smallest value
    high: Any = None  # the largest value
    smallest: tuple[Any, ...] = ()  # integers: the five smallest distinct values
    increasing: bool = False  # integers: every value at least the one before
    n_infinite: int = 0  # floats: inf and -inf cells
    # strings only (pandas str or object dtype):
    examples: tuple[Any, ...] = ()  # the first three distinct values, in row order
    n_numbers: int = 0  # values that read as numbers ("3", "2.5", "1e3")
    mean_chars: float = 0.0  # characters per value over the first SAMPLE values
    mean_words: float = 0.0  # words per value over the first SAMPLE values
    date_shaped: bool = False  # some value looks like it could be a date

    @property
    def all_distinct(self) -> bool:
        """Every row holds a value, and no two are the same."""
        return self.n_unique == self.n == self.n_rows


def is_number_dtype(dtype: Any) -> bool:
    """Numbers a model reads as such: numeric, but neither boolean nor complex."""
    import pandas as pd

    return (
        pd.api.types.is_numeric_dtype(dtype)
        and not pd.api.types.is_bool_dtype(dtype)
        and not pd.api.types.is_complex_dtype(dtype)
    )


def is_string_dtype(dtype: Any) -> bool:
    """Strings, or Python objects (which rule 7 treats as strings)."""
    import pandas as pd

    return pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype)


# --------------------------------------------------------------------------- the definition


def profile_one(series: pd.Series[Any]) -> Profile:
    """Measure one column with pandas: the reference the block computations must match."""
    import pandas as pd

    values = series.dropna()
    if pd.api.types.is_float_dtype(values.dtype):
        values = values + 0.0  # -0.0 and 0.0 are one number (pandas may count them apart)
    n = len(values)
    if n == 0:
        return Profile(n_rows=len(series), n=0, n_unique=0)
    nested = next((type(v).__name__ for v in values.head(SAMPLE) if isinstance(v, _NESTED)), "")
    try:
        n_unique = int(values.nunique())
    except TypeError:  # unhashable values (lists, dicts): as infer_columns always counted them
        n_unique = int(series.astype(str).nunique())
    common: dict[str, Any] = {
        "n_rows": len(series),
        "n": n,
        "n_unique": n_unique,
        "first": _plain(values.iloc[0]),
        "nested": nested,
    }
    if nested:
        return Profile(**common)
    dtype = series.dtype
    if is_number_dtype(dtype):
        numbers = series.to_numpy(dtype=float, na_value=np.nan)
        integers = pd.api.types.is_integer_dtype(dtype)
        smallest = values.drop_duplicates().sort_values().head(5) if integers else ()
        return Profile(
            **common,
            low=_plain(values.min()),
            high=_plain(values.max()),
            smallest=tuple(_plain(v) for v in smallest),
            increasing=integers and values.is_monotonic_increasing,
            n_infinite=int(np.isinf(numbers).sum()),
        )
    if is_string_dtype(dtype):
        texts = values.astype(str).head(SAMPLE)
        return Profile(
            **common,
            examples=tuple(_plain(v) for v in values.drop_duplicates().head(3)),
            n_numbers=int(pd.to_numeric(values, errors="coerce").notna().sum()),
            mean_chars=float(texts.str.len().mean()),
            mean_words=float(texts.map(lambda t: len(t.split())).mean()),
            date_shaped=bool(texts.map(lambda t: bool(_DATE_SHAPED.search(t))).any()),
        )
    return Profile(**common)


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python value it holds (``np.int64(3)`` -> ``3``)."""
    return value.item() if isinstance(value, np.generic) else value


# --------------------------------------------------------------------------- blocks


def profile_columns(frame: pd.DataFrame) -> dict[str, Profile]:
    """Measure every column of *frame*: blocks of plain dtypes at once, the rest one by one.

    Returns
    -------
    dict of str to Profile
        One entry per column, in the frame's order.
    """
    import pandas as pd

    n_rows = len(frame)
    groups: dict[tuple[str, str], list[int]] = {}
    for position, dtype in enumerate(frame.dtypes):
        if isinstance(dtype, np.dtype) and dtype.kind in "iuf":
            key = ("number", dtype.str)
        elif isinstance(dtype, pd.StringDtype):
            key = ("string", str(dtype))
        else:
            key = ("other", str(position))
        groups.setdefault(key, []).append(position)

    found: dict[int, Profile] = {}
    step = max(1, BLOCK_CELLS // max(n_rows, 1))
    for (kind, _), positions in groups.items():
        for start in range(0, len(positions), step):
            chunk = positions[start : start + step]
            if kind == "number":
                block = frame.iloc[:, chunk].to_numpy()  # (n_rows, k)
                found.update(zip(chunk, _profile_numbers(block), strict=True))
            elif kind == "string":
                block = frame.iloc[:, chunk].to_numpy(dtype=object)  # (n_rows, k)
                found.update(zip(chunk, _profile_strings(block), strict=True))
            else:
                found.update((p, profile_one(frame.iloc[:, p])) for p in chunk)
    names = [str(name) for name in frame.columns]
    return {names[p]: found[p] for p in range(len(names))}


def _profile_numbers(block: np.ndarray[Any, Any]) -> list[Profile]:
    """Profiles of the columns of a block of plain numbers, NaN for missing."""
    n_rows, k = block.shape
    if n_rows == 0:
        return [Profile(n_rows=0, n=0, n_unique=0) for _ in range(k)]
    floats = block.dtype.kind == "f"
    if floats:
        block = block + 0.0  # -0.0 becomes 0.0: one number, as profile_one counts it
    missing = np.isnan(block) if floats else np.zeros(block.shape, dtype=bool)  # (n_rows, k)
    n = n_rows - missing.sum(axis=0)  # (k,)
    ordered = np.sort(block, axis=0)  # (n_rows, k), NaN last
    new = _starts_of_runs(ordered) & (np.arange(n_rows)[:, None] < n)  # (n_rows, k)
    n_unique = new.sum(axis=0)  # (k,)
    n_infinite = np.isinf(block).sum(axis=0) if floats else np.zeros(k, dtype=int)  # (k,)
    # integers never miss a value, so "increasing" reads the whole column
    increasing = np.zeros(k, dtype=bool) if floats else np.all(block[1:] >= block[:-1], axis=0)
    first_row = (~missing).argmax(axis=0)  # (k,)
    profiles = []
    for j in range(k):
        if n[j] == 0:
            profiles.append(Profile(n_rows=n_rows, n=0, n_unique=0))
            continue
        distinct = ordered[: n[j], j][new[: n[j], j]]  # (n_unique,), sorted
        profiles.append(
            Profile(
                n_rows=n_rows,
                n=int(n[j]),
                n_unique=int(n_unique[j]),
                first=block[first_row[j], j].item(),
                low=ordered[0, j].item(),
                high=ordered[n[j] - 1, j].item(),
                smallest=() if floats else tuple(distinct[:5].tolist()),
                increasing=bool(increasing[j]),
                n_infinite=int(n_infinite[j]),
            )
        )
    return profiles


def _profile_strings(block: np.ndarray[Any, Any]) -> list[Profile]:
    """Profiles of the columns of a block of strings (objects, NaN for missing)."""
    import pandas as pd

    n_rows, k = block.shape
    if n_rows == 0:
        return [Profile(n_rows=0, n=0, n_unique=0) for _ in range(k)]
    flat_codes, uniques = pd.factorize(block.ravel())  # every distinct string of the block once
    codes = flat_codes.reshape(n_rows, k)  # (n_rows, k), -1 where missing
    texts = [str(u) for u in uniques]
    # Each distinct string measured once: (n_uniques + 1,) each; code -1 reads the last entry.
    numeric = pd.to_numeric(pd.Series(uniques, dtype=object), errors="coerce").notna()
    is_number = np.append(numeric.to_numpy(dtype=bool), False)
    chars = np.array([len(t) for t in texts] + [0], dtype=np.int64)
    words = np.array([len(t.split()) for t in texts] + [0], dtype=np.int64)
    dated = np.array([bool(_DATE_SHAPED.search(t)) for t in texts] + [False])

    valid = codes >= 0  # (n_rows, k)
    n = valid.sum(axis=0)  # (k,)
    head = valid & (np.cumsum(valid, axis=0) <= SAMPLE)  # (n_rows, k): first SAMPLE values
    n_head = np.maximum(head.sum(axis=0), 1)  # (k,)
    mean_chars = np.where(head, chars[codes], 0).sum(axis=0) / n_head  # (k,)
    mean_words = np.where(head, words[codes], 0).sum(axis=0) / n_head  # (k,)
    date_shaped = (head & dated[codes]).any(axis=0)  # (k,)
    n_numbers = (valid & is_number[codes]).sum(axis=0)  # (k,)
    ordered = np.sort(codes, axis=0)  # (n_rows, k)
    n_unique = (_starts_of_runs(ordered) & (ordered >= 0)).sum(axis=0)  # (k,)

    profiles = []
    for j in range(k):
        if n[j] == 0:
            profiles.append(Profile(n_rows=n_rows, n=0, n_unique=0))
            continue
        column = codes[:, j][valid[:, j]]  # (n,)
        profiles.append(
            Profile(
                n_rows=n_rows,
                n=int(n[j]),
                n_unique=int(n_unique[j]),
                first=texts[column[0]],
                examples=tuple(texts[c] for c in _first_distinct(column, 3)),
                n_numbers=int(n_numbers[j]),
                mean_chars=float(mean_chars[j]),
                mean_words=float(mean_words[j]),
                date_shaped=bool(date_shaped[j]),
            )
        )
    return profiles


def _starts_of_runs(ordered: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """In each sorted column, True where a value differs from the one above it."""
    new = np.ones(ordered.shape, dtype=bool)  # (n_rows, k)
    new[1:] = ordered[1:] != ordered[:-1]
    return new


def _first_distinct(column: np.ndarray[Any, Any], count: int) -> np.ndarray[Any, Any]:
    """The first *count* distinct values of *column*, in the order they first appear."""
    import pandas as pd

    found = np.asarray(pd.unique(column[: count * 50]))  # usually enough, and quick
    if len(found) < count and len(column) > count * 50:
        found = np.asarray(pd.unique(column))
    return found[:count]


__all__ = ["SAMPLE", "Profile", "is_number_dtype", "is_string_dtype", "profile_columns"]
