"""Inspecting a file before reading it: its format, encoding, delimiter, size and rows.

:func:`inspect_file` looks at a file *without parsing it*: checks it exists and is not
empty, picks the reader from the extension, guesses the encoding and delimiter of text
files, fingerprints it (counting its lines on the way) and decides, with
:mod:`._budget`, whether the whole table is read or a random sample of its rows. Every
choice lands in a :class:`Source` (``read_options`` are keyword arguments of the pandas
reader), which :mod:`._reading` reads and writes down as code.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.data import _sniff
from tinkerlab.data._budget import default_max_bytes, parse_size, plan_sample
from tinkerlab.data._dataset import Format, Source
from tinkerlab.data._fingerprint import ReadProgress, scan_file
from tinkerlab.data._names import closest, quoted, said
from tinkerlab.exceptions import DatasetError
from tinkerlab.options import name_of, spell

if TYPE_CHECKING:
    from tinkerlab.data._catalog import DatasetInfo

#: ``parse_size`` lives in :mod:`._budget`; the command line imports it from here.
__all__ = ["FORMATS", "FORMAT_NAMES", "READERS", "builtin_source", "inspect_file", "parse_size"]

#: File extension -> format. Text formats may also end in .gz, .bz2 or .xz.
FORMATS: dict[str, Format] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".xlsx": "excel",
    ".xlsm": "excel",
    ".xls": "excel",
}
#: Format -> the pandas function that reads it.
READERS: dict[Format, str] = {
    "csv": "read_csv",
    "parquet": "read_parquet",
    "jsonl": "read_json",
    "json": "read_json",
    "excel": "read_excel",
}
#: Format -> a word for messages.
FORMAT_NAMES: dict[Format, str] = {
    "csv": "CSV",
    "parquet": "Parquet",
    "jsonl": "JSON lines",
    "json": "JSON",
    "excel": "Excel",
    "frame": "DataFrame",
}
#: Rows per chunk when sampling a large CSV file.
CHUNK_ROWS = 100_000

_TEXT_FORMATS: tuple[Format, ...] = ("csv", "json", "jsonl")
#: What people type on a command line for a tab: a backslash and a t, or the word.
_SEP_ALIASES = {"\\t": "\t", "tab": "\t", "TAB": "\t"}


# --------------------------------------------------------------------------- inspecting


def file_format(path: Path) -> tuple[Format, bool]:
    """Return the format *path*'s extension names, and whether it is compressed.

    Raises
    ------
    DatasetError
        If the extension is not one we read.
    """
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] in _sniff.COMPRESSIONS
    ext = suffixes[-2] if compressed and len(suffixes) > 1 else (suffixes[-1] if suffixes else "")
    fmt = FORMATS.get(ext)
    if fmt is None or (compressed and fmt not in _TEXT_FORMATS):
        shown = "".join(path.suffixes[-2:] if compressed else path.suffixes[-1:]) or "no extension"
        raise DatasetError(
            f"Cannot read {path.name!r}: {shown!r} is not a format tinkerlab reads. Supported: "
            f"{', '.join(FORMATS)} (text formats may be compressed as .gz, .bz2 or .xz). If "
            "the file is a CSV under another name, rename it to end in .csv."
        )
    return fmt, compressed


def _check_path(path: Path) -> None:
    """Raise a helpful DatasetError if *path* is not a readable, non-empty file."""
    if path.is_dir():
        inside = sorted(p.name for p in path.iterdir() if p.suffix.lower() in FORMATS)
        hint = f" Data files in it: {quoted(inside, limit=5)}." if inside else ""
        raise DatasetError(
            f"{str(path)!r} is a directory, not a file. Pass the path of one data file "
            f"inside it (e.g. {str(path / (inside[0] if inside else 'data.csv'))!r}).{hint}"
        )
    if not path.exists():
        parent = path.parent if path.parent.is_dir() else None
        nearby = [p.name for p in parent.iterdir()] if parent else []
        similar = closest(path.name, nearby)
        hint = f" Did you mean {quoted(similar)}?" if similar else ""
        where = (
            f"in {str(parent)!r}" if parent else f"(the folder {str(path.parent)!r} does not exist)"
        )
        raise DatasetError(
            f"No file {path.name!r} {where}.{hint} Check the path (relative paths start from "
            f"{os.getcwd()!r}), or pass a built-in dataset name such as 'titanic'."
        )
    if path.stat().st_size == 0:
        raise DatasetError(
            f"{path.name!r} is empty (0 bytes). Check that it was saved completely, or pass "
            "another file."
        )


def inspect_file(
    path: Path,
    *,
    encoding: str | None = None,
    sep: str | None = None,
    sheet: str | int | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
    seed: int = 0,
    progress: ReadProgress | None = None,
) -> tuple[Source, list[str]]:
    """Decide how to read the file at *path*, without parsing it.

    Parameters
    ----------
    path : Path
        The file.
    encoding, sep : str, optional
        Text encoding and delimiter of a CSV file; guessed when not given.
    sheet : str or int, optional
        Sheet of an Excel workbook (name or 0-based position); the first when not given.
    max_bytes : int, optional
        Memory the table may take; see :func:`~tinkerlab.data._budget.default_max_bytes`.
    max_rows : int, optional
        Rows to keep at most (None: no limit); ``load`` passes its default.
    seed : int
        Seed of the random sample drawn when the file is too large.
    progress : callable, optional
        Told ``("fingerprinting NAME", bytes done, bytes in all)`` while the file is read
        for its fingerprint.

    Returns
    -------
    source : Source
        How to read the file; ``sample_rows`` is filled in once it has been read.
    notices : list of str
        Choices the user should know about (encoding fallback, sheet, sampling).

    Raises
    ------
    DatasetError
        If the file is missing, a directory, empty, of an unknown format, binary,
        undecodable, has duplicate column names, an option does not fit its format, or
        it is too large for memory and cannot be sampled while read.
    """
    path = path.expanduser().resolve()
    _check_path(path)
    fmt, compressed = file_format(path)
    sep = _check_options(path, fmt, encoding, sep, sheet)
    notices: list[str] = []
    if fmt == "csv":
        options = _csv_options(path, encoding, sep, notices)
    elif fmt == "excel":
        options = _excel_options(path, sheet, notices)
    elif fmt in ("json", "jsonl"):
        options = _json_options(path, fmt, encoding, notices)
    else:
        options = {}

    sha256, newlines, ends_with_newline = scan_file(path, progress)
    source = Source(
        kind="file",
        name=path.name,
        path=str(path),
        format=fmt,
        read_options=options,
        sha256=sha256,
        sample_seed=seed,
    )
    rows = _count_rows(path, fmt, compressed, newlines + (not ends_with_newline))
    sample = plan_sample(
        path.name,
        path.stat().st_size,
        fmt,
        compressed=compressed,
        rows=rows,
        max_bytes=default_max_bytes() if max_bytes is None else max_bytes,
        max_rows=max_rows,
        seed=seed,
    )
    if sample is not None:
        chunksize = CHUNK_ROWS if fmt == "csv" else None
        source = replace(source, sample_fraction=sample.fraction, sample_chunksize=chunksize)
        notices.append(sample.notice)
    return source, notices


def _check_options(
    path: Path, fmt: Format, encoding: str | None, sep: str | None, sheet: str | int | None
) -> str | None:
    """Refuse options that do not apply to *fmt*; return the delimiter, aliases resolved."""
    if sep is not None and fmt != "csv":
        raise DatasetError(
            f"{spell('sep', sep)} only applies to CSV/TSV/TXT files, and {path.name!r} is "
            f"{FORMAT_NAMES[fmt]}. Leave it out."
        )
    if sheet is not None and fmt != "excel":
        raise DatasetError(
            f"{spell('sheet', sheet)} only applies to Excel files, and {path.name!r} is "
            f"{FORMAT_NAMES[fmt]}. Leave it out."
        )
    if encoding is not None and fmt not in _TEXT_FORMATS:
        raise DatasetError(
            f"{spell('encoding', encoding)} only applies to text files (CSV, JSON), and "
            f"{path.name!r} is {FORMAT_NAMES[fmt]}, which records its own encoding. Leave it out."
        )
    if encoding is not None:
        _check_codec(encoding)
    return _SEP_ALIASES.get(sep, sep) if sep is not None else None


def _count_rows(path: Path, fmt: Format, compressed: bool, lines: int) -> int | None:
    """The table's rows, counted before reading it where that is cheap; None elsewhere.

    *lines* are the file's lines as its fingerprint counted them; a compressed file's
    are counted again, decompressed. A CSV has a header line (and a field with a line
    break inside quotes counts twice: close enough to size a sample).
    """
    if fmt == "parquet":
        try:
            import pyarrow.parquet as pq

            return int(pq.read_metadata(path).num_rows)
        except Exception:  # not readable here: read_source will say why
            return None
    if fmt not in ("csv", "jsonl"):
        return None
    if compressed:
        lines, last = 0, b""
        with _sniff.open_bytes(path) as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                lines, last = lines + block.count(b"\n"), block[-1:]
        lines += last != b"\n"
    return max(lines - (1 if fmt == "csv" else 0), 0)


def _check_codec(encoding: str) -> None:
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise DatasetError(
            f"{spell('encoding', encoding)} is not an encoding Python knows. Common ones: "
            "utf-8, utf-8-sig, utf-16, cp1252, latin-1."
        ) from None


def _csv_options(
    path: Path, encoding: str | None, sep: str | None, notices: list[str]
) -> dict[str, Any]:
    """Sniff (or take) the encoding and delimiter of a CSV file; check its header."""
    if encoding is None:
        sniffed = _sniff.sniff_encoding(path)
        encoding = sniffed.name
        if sniffed.notice:
            notices.append(sniffed.notice)
    sample = _sniff.read_sample(path, encoding)
    if not sample.strip():
        raise DatasetError(
            f"{path.name!r} holds no text (only blank lines). Check that it was saved "
            "completely, or pass another file."
        )
    if sep is None:
        sep = _sniff.sniff_delimiter(sample) or ","
    names = _sniff.header_fields(sample, sep)
    _check_duplicates(path.name, names, "header")
    options: dict[str, Any] = {}
    if sep != ",":
        options["sep"] = sep
        if _sniff.uses_decimal_comma(sample, sep):
            options["decimal"] = ","
            notices.append(
                f"{path.name!r} writes numbers with a decimal comma (e.g. 3,14): read them as "
                "numbers."
            )
    if encoding != "utf-8":
        options["encoding"] = encoding
    return options


def _excel_options(path: Path, sheet: str | int | None, notices: list[str]) -> dict[str, Any]:
    """Pick the sheet of a workbook and check its header row."""
    import pandas as pd

    try:
        with pd.ExcelFile(path) as book:
            names = [str(name) for name in book.sheet_names]
    except ImportError as error:
        raise DatasetError(
            f"Reading {path.name!r} needs an Excel reader that is not installed ({error}). "
            "Install it (pip install xlrd for .xls, openpyxl for .xlsx) or save the sheet as CSV."
        ) from None
    except Exception as error:  # openpyxl/xlrd raise many types for damaged files
        raise DatasetError(
            f"{path.name!r} could not be opened as an Excel workbook: {said(error)}. Check "
            "that it is a real .xlsx/.xls file (not a renamed CSV), or save it again from Excel."
        ) from None
    if sheet is None:
        chosen = names[0]
        if len(names) > 1:
            notices.append(
                f"{path.name} has {len(names)} sheets ({quoted(names)}); read the first, "
                f"{chosen!r} — pass {name_of('sheet')} to pick another."
            )
    elif str(sheet) in names:
        chosen = str(sheet)
    elif isinstance(sheet, int) or sheet.isdigit():
        position = int(sheet)
        if not 0 <= position < len(names):
            raise DatasetError(
                f"{path.name!r} has no sheet number {position} (sheets are counted from 0 and "
                f"there are {len(names)}: {quoted(names)}). Pass one of those names "
                f"({name_of('sheet')})."
            )
        chosen = names[position]
    else:
        hint = closest(sheet, names)
        raise DatasetError(
            f"{path.name!r} has no sheet {sheet!r}."
            f"{' Did you mean ' + quoted(hint) + '?' if hint else ''} Sheets: {quoted(names)}. "
            f"Pass one of them ({name_of('sheet')})."
        )
    header = pd.read_excel(path, sheet_name=chosen, header=None, nrows=1)
    raw = ["" if pd.isna(v) else str(v) for v in header.iloc[0]] if len(header) else []
    _check_duplicates(f"{path.name} (sheet {chosen!r})", raw, "header row")
    return {"sheet_name": chosen}


def _json_options(
    path: Path, fmt: Format, encoding: str | None, notices: list[str]
) -> dict[str, Any]:
    """JSON lines need ``lines=True``; a JSON array is read as records."""
    options: dict[str, Any] = {}
    sample = _sniff.read_sample(path, encoding or "utf-8").lstrip()
    if not sample:
        raise DatasetError(f"{path.name!r} holds no JSON (only whitespace). Pass another file.")
    if fmt == "jsonl":
        options["lines"] = True
    elif sample.startswith("["):
        options["orient"] = "records"
    else:
        lines = [line for line in sample.splitlines() if line.strip()]
        if len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines[:2]):
            options["lines"] = True
            notices.append(
                f"{path.name} holds one JSON object per line (JSON lines); read it that way "
                "— name it .jsonl to make that explicit."
            )
    if encoding is not None:
        options["encoding"] = encoding
    return options


def _check_duplicates(where: str, names: list[str], what: str) -> None:
    """Raise if two columns share a name (pandas would silently rename one to 'x.1')."""
    counts: dict[str, list[int]] = {}
    for position, name in enumerate(names):
        if name.strip():
            counts.setdefault(name, []).append(position)
    duplicated = {name: spots for name, spots in counts.items() if len(spots) > 1}
    if duplicated:
        details = "; ".join(
            f"{name!r} at columns {', '.join(str(s + 1) for s in spots)}"
            for name, spots in duplicated.items()
        )
        raise DatasetError(
            f"{where!r} has duplicate column names in its {what}: {details}. Every column "
            "needs its own name; rename the duplicates in the file (e.g. 'price_2')."
        )


def builtin_source(info: DatasetInfo) -> Source:
    """How to read a bundled dataset: its installed file and the manifest's read options."""
    return Source(
        kind="builtin",
        name=info.name,
        path=str(info.path),
        format="csv",
        read_options=dict(info.read_options),
        sha256=info.sha256,
    )
