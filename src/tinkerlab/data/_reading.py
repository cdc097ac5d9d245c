"""Reading a table as a :class:`Source` says, and writing the same reading down as code.

:func:`read_source` is the only place a table is ever read, built-ins included;
:func:`reading_code` writes the pandas lines that do exactly the same, for generated
scripts (the tests run both and compare the frames). How a file is inspected and
whether it is sampled is decided before, in :mod:`._readers` and :mod:`._budget`.

Sampling
--------
A sampled CSV file is read in chunks of ``Source.sample_chunksize`` rows and chunk *i*
is sampled with ``random_state=seed + i`` (so memory stays low); other formats are read
whole and sampled once with ``random_state=seed``. Sampled rows keep their file order.

Progress
--------
Reading a large file takes a while, so :func:`read_source` takes an optional
``progress(what, bytes read, bytes in all)`` callback (the command line draws a bar
from it). The file is then handed to pandas through a reader that counts its bytes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.data._dataset import Source
from tinkerlab.data._fingerprint import ReadProgress
from tinkerlab.data._names import said
from tinkerlab.data._readers import FORMAT_NAMES, READERS
from tinkerlab.exceptions import DatasetError
from tinkerlab.options import name_of

if TYPE_CHECKING:
    import pandas as pd

#: File suffix -> the ``compression=`` pandas needs when it is handed an open file.
_COMPRESSION = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz"}
#: Formats whose reader streams through the file (so progress can follow it).
_STREAMED = ("csv", "json", "jsonl")


def read_source(source: Source, progress: ReadProgress | None = None) -> pd.DataFrame:
    """Read the table *source* describes: the single way tinkerlab reads a table.

    Parameters
    ----------
    source : Source
        A built-in or file source, as made by :func:`tinkerlab.data.load`.
    progress : callable, optional
        Called as ``progress("reading NAME", bytes read, bytes in all)`` while reading.

    Returns
    -------
    pandas.DataFrame
        The table exactly as read: no column dropped, no value changed.

    Raises
    ------
    DatasetError
        If the source is an in-memory frame (there is nothing to read again) or the
        reader fails; the message says what the reader said and what to try.

    Examples
    --------
    >>> from tinkerlab.data import load, read_source
    >>> read_source(load("iris").source).shape
    (150, 5)
    """
    if source.kind == "frame":
        raise DatasetError(
            f"{source.name!r} was an in-memory DataFrame, so there is no file to read again. "
            "Save it first (frame.to_parquet('data.parquet')) and load that file."
        )
    try:
        if progress is None or source.format not in _STREAMED:
            frame = _read(source, source.path)
        else:
            with _watched(source, progress) as stream:
                frame = _read(source, stream)
    except DatasetError:
        raise
    except Exception as error:  # pandas, pyarrow and openpyxl raise many types
        raise _read_error(source, error) from error
    if progress is not None:
        size = Path(source.path).stat().st_size
        progress(f"reading {source.name}", size, size)
    return frame


def _read(source: Source, file: Any) -> pd.DataFrame:
    """Read (and sample) the table from *file*: its path, or an open binary stream."""
    import pandas as pd

    reader = getattr(pd, READERS[source.format])
    options = dict(source.read_options)
    if not isinstance(file, str):
        suffix = source.path[source.path.rfind(".") :].lower()
        if suffix in _COMPRESSION:
            options["compression"] = _COMPRESSION[suffix]
    if source.sample_fraction is None:
        frame: pd.DataFrame = reader(file, **options)
        return frame
    if source.format == "csv":
        chunks = pd.read_csv(file, chunksize=source.sample_chunksize, **options)
        return pd.concat(
            [
                chunk.sample(
                    frac=source.sample_fraction, random_state=source.sample_seed + i
                ).sort_index()
                for i, chunk in enumerate(chunks)
            ],
            ignore_index=True,
        )
    whole: pd.DataFrame = reader(file, **options)
    return (
        whole.sample(frac=source.sample_fraction, random_state=source.sample_seed)
        .sort_index()
        .reset_index(drop=True)
    )


class _Counted(io.RawIOBase):
    """A binary file that reports how many of its bytes were read so far."""

    def __init__(self, raw: Any, name: str, total: int, progress: ReadProgress) -> None:
        self._raw, self._name, self._total, self._progress = raw, name, total, progress
        self._done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = int(self._raw.readinto(buffer) or 0)
        self._done += n
        self._progress(f"reading {self._name}", self._done, self._total)
        return n


@contextmanager
def _watched(source: Source, progress: ReadProgress) -> Iterator[io.BufferedReader]:
    """The source's file, open for reading, telling *progress* how far the reader got."""
    path = Path(source.path)
    with path.open("rb") as raw:
        counted = _Counted(raw, source.name, path.stat().st_size, progress)
        yield io.BufferedReader(counted, buffer_size=1 << 20)


def _read_error(source: Source, error: Exception) -> DatasetError:
    """Turn a reader's exception into one paragraph: what failed, where, what to try."""
    text = said(error)
    fix = {
        "csv": f"Check the delimiter (pass {name_of('sep')}) and that fields containing it are "
        "quoted.",
        "parquet": "Check that it is a complete Parquet file (not renamed or truncated).",
        "json": "Check that it is one JSON array of objects; one object per line needs .jsonl.",
        "jsonl": "Check that every line is one complete JSON object.",
        "excel": "Check that it is a real workbook, or save the sheet as CSV.",
        "frame": "",
    }[source.format]
    if isinstance(error, UnicodeDecodeError):
        fix = f"Pass the file's encoding with {name_of('encoding')} (e.g. cp1252, latin-1, utf-16)."
    if isinstance(error, ImportError):
        fix = f"Install the missing package ({error.name or 'see above'}) or save the data as CSV."
    return DatasetError(
        f"{source.name!r} could not be read as {FORMAT_NAMES[source.format]}: {text}. {fix}"
    )


# --------------------------------------------------------------------------- code


def _literal(value: Any) -> str:
    """Write *value* as Python source: strings in double quotes, lists element by element."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    raise TypeError(f"read option {value!r} cannot be written as a literal")


def reading_code(source: Source, var: str = "frame") -> str:
    """Write the pandas lines that read *source* exactly as :func:`read_source` does.

    The lines assume ``import pandas as pd`` came before; they end with a newline.

    Parameters
    ----------
    source : Source
        A built-in or file source.
    var : str
        Name of the variable that receives the frame.

    Returns
    -------
    str
        Python source, e.g. ``frame = pd.read_csv("/data/my.csv", sep=";")\\n``.

    Raises
    ------
    DatasetError
        If the source is an in-memory DataFrame.

    Examples
    --------
    >>> from tinkerlab.data import Source, reading_code
    >>> print(reading_code(Source("file", "my.csv", "/data/my.csv", "csv", {"sep": ";"})), end="")
    frame = pd.read_csv("/data/my.csv", sep=";")
    """
    if source.kind == "frame":
        raise DatasetError(
            f"{source.name!r} was an in-memory DataFrame, so no code can read it again. Save it "
            "first (frame.to_parquet('data.parquet')) and load that file."
        )
    reader = READERS[source.format]
    args = "".join(f", {key}={_literal(value)}" for key, value in source.read_options.items())
    lines: list[str] = []
    if source.kind == "builtin":
        lines.append(
            f"# the built-in {source.name!r} dataset; "
            f"tinkerlab.data.dataset_info({source.name!r}).path locates it"
        )
    fraction = source.sample_fraction
    if fraction is None:
        lines.append(f"{var} = pd.{reader}({_literal(source.path)}{args})")
    else:
        lines.append(
            f"# a random {fraction * 100:.3g} % of the rows (seed {source.sample_seed}), in file "
            "order, as tinkerlab read them"
        )
        seed = source.sample_seed
        if source.format == "csv":
            lines += [
                f"chunks = pd.read_csv({_literal(source.path)}{args}, "
                f"chunksize={source.sample_chunksize})",
                f"{var} = pd.concat(",
                f"    [chunk.sample(frac={fraction!r}, random_state={seed} + i).sort_index()",
                "     for i, chunk in enumerate(chunks)],",
                "    ignore_index=True,",
                ")",
            ]
        else:
            lines += [
                f"{var} = pd.{reader}({_literal(source.path)}{args})",
                f"{var} = {var}.sample(frac={fraction!r}, random_state={seed})"
                ".sort_index().reset_index(drop=True)",
            ]
    return "\n".join(lines) + "\n"
