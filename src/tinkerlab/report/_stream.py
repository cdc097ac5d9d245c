"""Tables too big for memory: one streaming pass with pyarrow, exact counts and a sample.

A CSV (or Parquet, or JSON lines) file larger than :func:`stream_bytes` is never loaded
whole. pyarrow reads it in blocks of :data:`BLOCK_BYTES`; each block updates

* exact counts per column: rows, empty cells, zeros, min and max, and the mean, variance
  and skewness through their moments (merged block by block with the parallel formulas of
  Chan et al. and Pébay, so no block is kept);
* exact distinct values and commonest values, up to :data:`DISTINCT_CAP` distinct values
  per column (beyond that they come from the sample, and the look says so);
* one 64-bit hash per row (8 bytes a row) to count duplicate rows, and the patterns of
  empty cells;
* a uniform random sample of :data:`SAMPLE_ROWS` rows ("bottom-k": each row draws a
  seeded random key and the rows with the smallest keys are kept), on which quantiles,
  histograms, outliers, schema inference and every relation are computed.

Memory is one block, the sample, and the row hashes; the file's size does not matter.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tinkerlab.exceptions import DatasetError
from tinkerlab.options import name_of

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from tinkerlab.data import Source

#: Files larger than this are streamed (TINKERLAB_LOOK_STREAM_BYTES overrides it).
STREAM_BYTES = 256 * 1024**2
#: Bytes pyarrow parses at a time.
BLOCK_BYTES = 16 * 1024**2
#: Rows in the sample.
SAMPLE_ROWS = 200_000
#: Distinct values counted exactly per column, at most.
DISTINCT_CAP = 50_000
#: Formats read in a stream.
STREAMED_FORMATS = ("csv", "parquet")


def stream_bytes() -> int:
    """Files above this size are streamed: ``TINKERLAB_LOOK_STREAM_BYTES`` or 256 MB."""
    from tinkerlab.data._readers import parse_size

    text = os.environ.get("TINKERLAB_LOOK_STREAM_BYTES")
    return parse_size(text) if text else STREAM_BYTES


@dataclass
class Moments:
    """Count, mean and central moment sums of the non-empty numbers seen so far."""

    n: int = 0
    mean: float = 0.0
    m2: float = 0.0  # sum of squared deviations from the mean
    m3: float = 0.0  # sum of cubed deviations
    low: float = math.inf
    high: float = -math.inf
    zeros: int = 0

    def add(self, x: np.ndarray) -> None:
        """Merge a block of non-empty values (Chan et al. / Pébay's pairwise update)."""
        nb = x.size
        if nb == 0:
            return
        mean_b = float(x.mean())
        d = x - mean_b  # (nb,)
        m2_b, m3_b = float(np.dot(d, d)), float(np.dot(d * d, d))
        n = self.n + nb
        delta = mean_b - self.mean
        self.m3 += m3_b + delta**3 * self.n * nb * (self.n - nb) / n**2
        self.m3 += 3 * delta * (self.n * m2_b - nb * self.m2) / n
        self.m2 += m2_b + delta**2 * self.n * nb / n
        self.mean += delta * nb / n
        self.n = n
        self.low = min(self.low, float(x.min()))
        self.high = max(self.high, float(x.max()))
        self.zeros += int(np.count_nonzero(x == 0))

    @property
    def std(self) -> float:
        return math.sqrt(self.m2 / (self.n - 1)) if self.n > 1 else 0.0

    @property
    def skew(self) -> float | None:
        """Adjusted Fisher-Pearson skewness, as pandas computes it."""
        if self.n < 3 or self.m2 <= 0:
            return None if self.n < 3 else 0.0
        g1 = (self.m3 / self.n) / (self.m2 / self.n) ** 1.5
        return float(g1 * math.sqrt(self.n * (self.n - 1)) / (self.n - 2))


@dataclass
class ColumnCounts:
    """Exact counts of one column over every row."""

    missing: int = 0
    moments: Moments | None = None  # numbers only
    values: dict[Any, int] | None = field(default_factory=dict)  # None: over DISTINCT_CAP


@dataclass
class ExactCounts:
    """What one pass over every row counted exactly, and the sample it drew."""

    rows: int
    columns: dict[str, ColumnCounts]
    duplicate_rows: int
    patterns: list[dict[str, Any]]  # as Look.missing_patterns
    sample: pd.DataFrame  # SAMPLE_ROWS random rows, in file order
    seed: int
    capped: list[str]  # columns whose distinct values exceeded DISTINCT_CAP


class _Sample:
    """Bottom-k sampling: keep the rows with the k smallest random keys."""

    def __init__(self, k: int, seed: int) -> None:
        self.k = k
        self.rng = np.random.default_rng(seed)
        self.keys: list[np.ndarray] = []
        self.rows: list[np.ndarray] = []
        self.parts: list[pa.RecordBatch] = []
        self.kept = 0
        self.threshold = 1.0

    def add(self, batch: pa.RecordBatch, first_row: int) -> None:
        keys = self.rng.random(batch.num_rows)  # (n,)
        chosen = np.flatnonzero(keys < self.threshold)
        if chosen.size == 0:
            return
        self.keys.append(keys[chosen])
        self.rows.append(first_row + chosen)
        self.parts.append(batch.take(chosen))
        self.kept += chosen.size
        if self.kept > 2 * self.k:
            self._compact()

    def _compact(self) -> None:
        import pyarrow as pa

        if not self.parts:
            return
        keys = np.concatenate(self.keys)
        keep = np.sort(np.argsort(keys, kind="stable")[: self.k])  # (≤ k,) in arrival order
        table = pa.Table.from_batches(self.parts).take(keep)
        self.keys, self.rows = [keys[keep]], [np.concatenate(self.rows)[keep]]
        self.parts = table.to_batches()
        self.kept = keep.size
        if self.kept >= self.k:
            self.threshold = float(self.keys[0].max())

    def frame(self) -> pd.DataFrame:
        import pyarrow as pa

        self._compact()
        table = pa.Table.from_batches(self.parts)
        order = np.argsort(np.concatenate(self.rows), kind="stable")  # back to file order
        frame: pd.DataFrame = table.take(order).to_pandas().reset_index(drop=True)
        for name in frame.columns:  # whole numbers were read as floats: give them back
            x = frame[name]
            if x.dtype == np.float64 and x.notna().all() and (x == np.round(x)).all():
                frame[name] = x.astype(np.int64)
        return frame


def _csv_batches(source: Source) -> Any:
    """A pyarrow CSV reader with the source's options; integers read as floats, dates and
    anything unusual as text (a type guessed from the first block must hold for all)."""
    import pyarrow as pa
    from pyarrow import csv

    options = source.read_options
    read = csv.ReadOptions(block_size=BLOCK_BYTES, encoding=options.get("encoding", "utf8"))
    parse = csv.ParseOptions(delimiter=options.get("sep", ","))
    convert = csv.ConvertOptions(decimal_point=options.get("decimal", "."))
    peek = csv.ReadOptions(block_size=1 << 20, encoding=read.encoding)  # 1 MB: the types
    first = csv.open_csv(
        source.path, read_options=peek, parse_options=parse, convert_options=convert
    )
    types = {}
    for f in first.schema:
        if pa.types.is_integer(f.type) or pa.types.is_floating(f.type):
            types[f.name] = pa.float64()
        elif not pa.types.is_boolean(f.type):
            types[f.name] = pa.string()
    first.close()
    convert = csv.ConvertOptions(decimal_point=options.get("decimal", "."), column_types=types)
    return csv.open_csv(
        source.path, read_options=read, parse_options=parse, convert_options=convert
    )


def _batches(source: Source) -> Any:
    if source.format == "csv":
        return _csv_batches(source)
    import pyarrow.parquet as pq

    return pq.ParquetFile(source.path).iter_batches(batch_size=256_000)


def _update_column(counts: ColumnCounts, column: pa.Array) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    counts.missing += column.null_count
    if pa.types.is_floating(column.type) or pa.types.is_integer(column.type):
        x = column.to_numpy(zero_copy_only=False).astype(float)  # (n,) NaN where empty
        valid = x[~np.isnan(x)]
        counts.missing += int(x.size - valid.size - column.null_count)  # NaN written in file
        if counts.moments is None:
            counts.moments = Moments()
        counts.moments.add(valid)
        if counts.values is not None:
            found, n = np.unique(valid, return_counts=True)
            _merge(counts, zip(found.tolist(), n.tolist(), strict=True), len(found))
        return
    if counts.values is not None:
        table = pc.value_counts(column.drop_null())
        values, n = table.field("values").to_pylist(), table.field("counts").to_pylist()
        _merge(counts, zip(values, n, strict=True), len(values))


def _merge(counts: ColumnCounts, pairs: Any, size: int) -> None:
    assert counts.values is not None
    if len(counts.values) + size > DISTINCT_CAP:
        counts.values = None
        return
    for value, n in pairs:
        counts.values[value] = counts.values.get(value, 0) + n


def stream_counts(
    source: Source,
    *,
    seed: int = 0,
    sample_rows: int | None = None,
    progress: Callable[[str, float | None], None] | None = None,
) -> ExactCounts:
    """One pass over the file *source* names: exact counts and a random sample of rows.

    Raises
    ------
    DatasetError
        If pyarrow cannot read the file (the message says what it said and what to try).
    """
    import pandas as pd
    import pyarrow as pa

    size = Path(source.path).stat().st_size
    sample = _Sample(SAMPLE_ROWS if sample_rows is None else sample_rows, seed)
    columns: dict[str, ColumnCounts] = {}
    hashes: list[np.ndarray] = []
    patterns: dict[bytes, int] = {}
    rows = 0
    try:
        reader = _batches(source)
        for batch in reader:
            if not columns:
                columns = {name: ColumnCounts() for name in batch.schema.names}
            names = list(columns)
            for name, column in zip(names, batch.columns, strict=True):
                _update_column(columns[name], column)
            frame = batch.to_pandas()
            hashes.append(pd.util.hash_pandas_object(frame, index=False).to_numpy())
            _count_patterns(patterns, frame.isna().to_numpy())
            sample.add(batch, rows)
            rows += batch.num_rows
            if progress is not None:
                share = min(0.99, len(hashes) * BLOCK_BYTES / size) if size else None
                progress(f"reading {source.name}: {rows:,} rows", share)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError, UnicodeDecodeError) as error:
        raise DatasetError(
            f"{source.name!r} could not be read in a stream: {' '.join(str(error).split())}. "
            f"Check the delimiter ({name_of('sep')}) and encoding ({name_of('encoding')}), or "
            "that every value in a column has the same type."
        ) from None
    if rows == 0:
        raise DatasetError(f"{source.name!r} has a header but no data rows.")
    all_hashes = np.concatenate(hashes)
    duplicates = int(all_hashes.size - np.unique(all_hashes).size)
    del all_hashes, hashes
    return ExactCounts(
        rows=rows,
        columns=columns,
        duplicate_rows=duplicates,
        patterns=_top_patterns(patterns, list(columns)),
        sample=sample.frame(),
        seed=seed,
        capped=[name for name, c in columns.items() if c.values is None],
    )


def _count_patterns(patterns: dict[bytes, int], isna: np.ndarray) -> None:
    from tinkerlab.report._relations import missing_patterns

    if not isna.any():
        key = bytes(np.packbits(np.zeros(isna.shape[1], dtype=bool)))
        patterns[key] = patterns.get(key, 0) + isna.shape[0]
        return
    found, counts = missing_patterns(isna)
    for row, n in zip(found, counts, strict=True):
        key = bytes(np.packbits(row))
        patterns[key] = patterns.get(key, 0) + int(n)


def _top_patterns(patterns: dict[bytes, int], names: list[str]) -> list[dict[str, Any]]:
    from tinkerlab.report._profile import MAX_PATTERNS

    decoded = [
        (np.unpackbits(np.frombuffer(key, dtype=np.uint8))[: len(names)].astype(bool), n)
        for key, n in patterns.items()
    ]
    with_missing = [i for i in range(len(names)) if any(row[i] for row, _ in decoded)]
    if not with_missing:
        return []
    merged: dict[tuple[bool, ...], int] = {}
    for row, n in decoded:
        key = tuple(bool(row[i]) for i in with_missing)
        merged[key] = merged.get(key, 0) + n
    ranked = sorted(merged.items(), key=lambda kv: -kv[1])[:MAX_PATTERNS]
    columns = [names[i] for i in with_missing]
    return [
        {
            "missing": [c for c, m in zip(columns, key, strict=True) if m],
            "columns": columns,
            "rows": n,
        }
        for key, n in ranked
    ]
