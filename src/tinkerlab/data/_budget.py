"""How much of a file to read: the memory budget, the row budget, and the sample they call for.

A table is read whole when it fits both budgets; otherwise a random share of its rows
(:func:`plan_sample`), and the notice says so, from how many rows, and how to change it.

* **Memory** (``max_bytes``, ``--max-bytes``, ``TINKERLAB_MAX_BYTES``; a quarter of the
  machine's RAM by default): the file's size times :data:`EXPANSION` of its format
  estimates what pandas will need.
* **Rows** (``max_rows``, ``TINKERLAB_MAX_ROWS``; :data:`DEFAULT_MAX_ROWS` by default,
  ``0`` for no limit): what a run can cross-validate in minutes on a laptop. A random
  forest takes hours on the 2.6 million rows of a 200 MB CSV, with nothing to show for
  them until the end; a learner learns as much from a sample. Applies where the rows can
  be counted before reading: CSV/TSV/TXT, JSON lines (their lines, counted while the
  file is fingerprinted) and Parquet (its metadata).

Excel workbooks and JSON arrays cannot be read in parts: over the memory budget they
are refused at once, with the fix, instead of being read for minutes and sampled after.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

from tinkerlab.data._dataset import Format
from tinkerlab.exceptions import DatasetError
from tinkerlab.options import spell

#: Format -> rough bytes of memory per byte of file once read into pandas.
#: Text shrinks little (numbers become 8 bytes, strings keep their length plus offsets);
#: Parquet is compressed; openpyxl builds a heavy object per Excel cell.
EXPANSION: dict[Format, float] = {
    "csv": 3.0,
    "jsonl": 2.0,
    "json": 2.0,
    "parquet": 6.0,
    "excel": 20.0,
}
#: Extra expansion of a gzip/bz2/xz-compressed text file.
COMPRESSED_EXPANSION = 5.0
#: Share of the machine's RAM a table may take when TINKERLAB_MAX_BYTES is not set.
MEMORY_SHARE = 0.25
#: Rows a file is sampled down to when TINKERLAB_MAX_ROWS is not set: twice the largest
#: built-in (diamonds), and a random forest cross-validates it in a few minutes.
DEFAULT_MAX_ROWS = 100_000
#: Formats read whole: they cannot be sampled while reading.
WHOLE_ONLY: tuple[Format, ...] = ("excel", "json")

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """Parse ``"500M"``, ``"2GB"``, ``"1.5g"`` or ``"1048576"`` into a number of bytes.

    Raises
    ------
    DatasetError
        If *text* is not a size.

    Examples
    --------
    >>> parse_size("1.5K")
    1536
    """
    match = _SIZE.match(text)
    if not match:
        raise DatasetError(
            f"{text!r} is not a size in bytes. Write a number, optionally with K, M, G or T "
            "(e.g. 500M or 2G)."
        )
    number, unit = float(match.group(1)), match.group(2).lower()
    return int(number * 1024 ** " kmgt".index(unit or " "))


def human_size(n_bytes: float) -> str:
    """Write a byte count for people: ``2.1 GB``, ``830 KB``."""
    for unit in ("B", "KB", "MB", "GB"):
        if n_bytes < 1024 or unit == "GB":
            return f"{n_bytes:.0f} {unit}" if unit == "B" else f"{n_bytes:.1f} {unit}"
        n_bytes /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def default_max_bytes() -> int:
    """Memory a table may take: ``TINKERLAB_MAX_BYTES`` or a quarter of the machine's RAM.

    The machine's total RAM, not what happens to be free right now: the same command must
    read the same rows every time, or a seed would not make a run repeatable.
    """
    from_env = os.environ.get("TINKERLAB_MAX_BYTES")
    if from_env:
        try:
            return parse_size(from_env)
        except DatasetError as error:
            raise DatasetError(f"TINKERLAB_MAX_BYTES is set to {from_env!r}. {error}") from None
    try:
        available = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # not a POSIX system: assume 4 GB
        available = 4 * 1024**3
    return int(available * MEMORY_SHARE)


def default_max_rows() -> int | None:
    """Rows a file may keep: ``TINKERLAB_MAX_ROWS`` (``0``: no limit) or the default."""
    from_env = os.environ.get("TINKERLAB_MAX_ROWS", "").strip().replace("_", "")
    if not from_env:
        return DEFAULT_MAX_ROWS
    if not from_env.isdigit():
        raise DatasetError(
            f"TINKERLAB_MAX_ROWS is set to {from_env!r}, not a number of rows. Set it to a "
            "whole number such as 500000, or 0 to read every row."
        )
    return int(from_env) or None


@dataclass(frozen=True)
class Sample:
    """The share of a file's rows to read, and the sentence that tells the user why."""

    fraction: float  # share of rows kept, two significant digits, e.g. 0.038
    notice: str  # what was read, from how many rows, why, and how to change it


def plan_sample(
    name: str,
    size: int,
    fmt: Format,
    *,
    compressed: bool = False,
    rows: int | None = None,
    max_bytes: int,
    max_rows: int | None,
    seed: int = 0,
) -> Sample | None:
    """Decide whether to sample a file of *size* bytes and *rows* rows (None: unknown).

    Returns None when the file fits both budgets.

    Raises
    ------
    DatasetError
        If a budget is not positive, or an Excel/JSON-array file is over the memory
        budget (it cannot be sampled while reading).

    Examples
    --------
    >>> plan_sample("big.csv", 10_000_000, "csv", rows=200_000, max_bytes=2**30,
    ...             max_rows=100_000).fraction
    0.5
    >>> plan_sample("small.csv", 1_000, "csv", rows=20, max_bytes=2**30, max_rows=100) is None
    True
    """
    if max_bytes <= 0:
        raise DatasetError(
            f"{spell('max_bytes', max_bytes)} must be a positive number of bytes, e.g. "
            f"{spell('max_bytes', '2G')}."
        )
    if max_rows is not None and max_rows <= 0:
        raise DatasetError(
            f"max_rows={max_rows} must be a positive number of rows (None reads every row)."
        )
    estimate = size * EXPANSION[fmt] * (COMPRESSED_EXPANSION if compressed else 1.0)
    by_memory = max_bytes / estimate
    by_rows = max_rows / rows if max_rows is not None and rows else 1.0
    if by_memory >= 1 and by_rows >= 1:
        return None
    memory = f"about {human_size(estimate)} in memory"
    if by_memory < 1 and fmt in WHOLE_ONLY:
        what = "an Excel workbook" if fmt == "excel" else "a JSON array"
        raise DatasetError(
            f"{name} is {human_size(size)} ({memory}, over the {human_size(max_bytes)} "
            f"limit), and {what} cannot be read in parts to keep a sample of its rows. "
            f"Fix: save it as CSV (or JSON lines) and load that — tinkerlab reads those in "
            f"chunks — or raise the limit with {spell('max_bytes', _ceil_size(estimate))} if the "
            "machine has the memory."
        )
    fraction = _nice_fraction(min(by_memory, by_rows))
    share = f"a random {fraction * 100:.3g} % sample"
    if by_memory <= by_rows:
        of_rows = f" of its {rows:,} rows" if rows else " of its rows"
        notice = (
            f"{name} is {human_size(size)} ({memory}, over the {human_size(max_bytes)} "
            f"limit); read {share} (seed {seed}){of_rows} — pass max_bytes=/--max-bytes to "
            "change."
        )
    else:
        notice = (
            f"{name} has {rows:,} rows, over the {max_rows:,}-row limit; read {share} of "
            f"them (seed {seed}) — set TINKERLAB_MAX_ROWS (0 reads every row) or pass "
            "max_rows= to change."
        )
    return Sample(fraction, notice)


def _nice_fraction(fraction: float) -> float:
    """Round a sampling fraction down to two significant digits (0.1234 -> 0.12)."""
    scale = 10.0 ** (1 - math.floor(math.log10(fraction)))
    return max(math.floor(fraction * scale) / scale, 1e-6)


def _ceil_size(n_bytes: float) -> str:
    """A --max-bytes value at least *n_bytes*: ``3G``, ``700M``."""
    for unit, size in (("G", 1024**3), ("M", 1024**2)):
        if n_bytes >= size:
            return f"{math.ceil(n_bytes / size)}{unit}"
    return f"{math.ceil(n_bytes / 1024)}K"
