"""Reading a table: the one way tinkerlab does it, and the same way written down as code.

Three steps, kept apart so each can be tested alone:

1. :func:`inspect_file` looks at a file *without parsing it*: checks it exists and is not
   empty, picks the reader from the extension, guesses the encoding and delimiter of text
   files, and decides whether the table fits in memory. Every choice lands in a
   :class:`Source` (``read_options`` are keyword arguments of the pandas reader).
2. :func:`read_source` turns a :class:`Source` into a DataFrame. It is the only place a
   table is ever read, built-ins included.
3. :func:`reading_code` writes the pandas lines that do exactly what :func:`read_source`
   does, for generated scripts. The tests run both and compare the frames.

Sampling
--------
When ``file size × EXPANSION[format]`` exceeds ``max_bytes`` we keep a random share
``fraction = max_bytes / estimate`` of the rows. CSV files are read in chunks of
``CHUNK_ROWS`` rows and chunk *i* is sampled with ``random_state=seed + i`` (so memory
stays low); other formats are read whole and sampled once with ``random_state=seed``.
Sampled rows keep their file order.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.data import _sniff
from tinkerlab.data._dataset import Format, Source
from tinkerlab.data._names import closest, quoted
from tinkerlab.exceptions import DatasetError

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.data._catalog import DatasetInfo

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
#: Rows per chunk when sampling a large CSV file.
CHUNK_ROWS = 100_000
#: Share of the machine's RAM a table may take when TINKERLAB_MAX_BYTES is not set.
MEMORY_SHARE = 0.25

_TEXT_FORMATS: tuple[Format, ...] = ("csv", "json", "jsonl")
#: What people type on a command line for a tab: a backslash and a t, or the word.
_SEP_ALIASES = {"\\t": "\t", "tab": "\t", "TAB": "\t"}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)


# --------------------------------------------------------------------------- sizes


def parse_size(text: str) -> int:
    """Parse ``"500M"``, ``"2GB"``, ``"1.5g"`` or ``"1048576"`` into a number of bytes.

    Raises
    ------
    DatasetError
        If *text* is not a size.
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
    seed: int = 0,
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
        Memory the table may take; see :func:`default_max_bytes`.
    seed : int
        Seed of the random sample drawn when the file is too large.

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
        undecodable, has duplicate column names, or an option does not fit its format.
    """
    path = path.expanduser().resolve()
    _check_path(path)
    fmt, compressed = file_format(path)
    if sep is not None and fmt != "csv":
        raise DatasetError(
            f"sep={sep!r} (--sep) only applies to CSV/TSV/TXT files, and {path.name!r} is "
            f"{FORMAT_NAMES[fmt]}. Leave it out."
        )
    if sheet is not None and fmt != "excel":
        raise DatasetError(
            f"sheet={sheet!r} (--sheet) only applies to Excel files, and {path.name!r} is "
            f"{FORMAT_NAMES[fmt]}. Leave it out."
        )
    if encoding is not None and fmt not in _TEXT_FORMATS:
        raise DatasetError(
            f"encoding={encoding!r} (--encoding) only applies to text files (CSV, JSON), and "
            f"{path.name!r} is {FORMAT_NAMES[fmt]}, which records its own encoding. Leave it out."
        )
    if encoding is not None:
        _check_codec(encoding)
    if sep is not None:
        sep = _SEP_ALIASES.get(sep, sep)

    notices: list[str] = []
    if fmt == "csv":
        options = _csv_options(path, encoding, sep, notices)
    elif fmt == "excel":
        options = _excel_options(path, sheet, notices)
    elif fmt in ("json", "jsonl"):
        options = _json_options(path, fmt, encoding, notices)
    else:
        options = {}

    source = Source(
        kind="file",
        name=path.name,
        path=str(path),
        format=fmt,
        read_options=options,
        sha256=file_sha256(path),
        sample_seed=seed,
    )
    size = path.stat().st_size
    estimate = size * EXPANSION[fmt] * (COMPRESSED_EXPANSION if compressed else 1.0)
    limit = default_max_bytes() if max_bytes is None else max_bytes
    if limit <= 0:
        raise DatasetError(
            f"max_bytes={limit} (--max-bytes) must be a positive number of bytes, e.g. 2G."
        )
    if estimate > limit:
        fraction = _nice_fraction(limit / estimate)
        chunksize = CHUNK_ROWS if fmt == "csv" else None
        source = replace(source, sample_fraction=fraction, sample_chunksize=chunksize)
        notices.append(
            f"{path.name} is {human_size(size)} (about {human_size(estimate)} in memory, over "
            f"the {human_size(limit)} limit); read a random {fraction * 100:.3g} % sample "
            f"(seed {seed}) of its rows — pass max_bytes=/--max-bytes to change."
        )
    return source, notices


def _nice_fraction(fraction: float) -> float:
    """Round a sampling fraction down to two significant digits (0.1234 -> 0.12)."""
    scale = 10.0 ** (1 - math.floor(math.log10(fraction)))
    return max(math.floor(fraction * scale) / scale, 1e-6)


def _check_codec(encoding: str) -> None:
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise DatasetError(
            f"encoding={encoding!r} (--encoding) is not an encoding Python knows. Common ones: "
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
            f"{path.name!r} could not be opened as an Excel workbook: {_said(error)}. Check "
            "that it is a real .xlsx/.xls file (not a renamed CSV), or save it again from Excel."
        ) from None
    if sheet is None:
        chosen = names[0]
        if len(names) > 1:
            notices.append(
                f"{path.name} has {len(names)} sheets ({quoted(names)}); read the first, "
                f"{chosen!r} — pass sheet=/--sheet to pick another."
            )
    elif str(sheet) in names:
        chosen = str(sheet)
    elif isinstance(sheet, int) or sheet.isdigit():
        position = int(sheet)
        if not 0 <= position < len(names):
            raise DatasetError(
                f"{path.name!r} has no sheet number {position} (sheets are counted from 0 and "
                f"there are {len(names)}: {quoted(names)}). Pass one of those names with --sheet."
            )
        chosen = names[position]
    else:
        hint = closest(sheet, names)
        raise DatasetError(
            f"{path.name!r} has no sheet {sheet!r}."
            f"{' Did you mean ' + quoted(hint) + '?' if hint else ''} Sheets: {quoted(names)}. "
            "Pass one of them with sheet=/--sheet."
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


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of the bytes of *path* (the data fingerprint)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


# --------------------------------------------------------------------------- reading


def read_source(source: Source) -> pd.DataFrame:
    """Read the table *source* describes: the single way tinkerlab reads a table.

    Parameters
    ----------
    source : Source
        A built-in or file source, as made by :func:`tinkerlab.data.load`.

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
    import pandas as pd

    if source.kind == "frame":
        raise DatasetError(
            f"{source.name!r} was an in-memory DataFrame, so there is no file to read again. "
            "Save it first (frame.to_parquet('data.parquet')) and load that file."
        )
    reader = getattr(pd, READERS[source.format])
    options = source.read_options
    try:
        if source.sample_fraction is None:
            frame: pd.DataFrame = reader(source.path, **options)
        elif source.format == "csv":
            chunks = pd.read_csv(source.path, chunksize=source.sample_chunksize, **options)
            frame = pd.concat(
                [
                    chunk.sample(
                        frac=source.sample_fraction, random_state=source.sample_seed + i
                    ).sort_index()
                    for i, chunk in enumerate(chunks)
                ],
                ignore_index=True,
            )
        else:
            whole = reader(source.path, **options)
            frame = (
                whole.sample(frac=source.sample_fraction, random_state=source.sample_seed)
                .sort_index()
                .reset_index(drop=True)
            )
    except DatasetError:
        raise
    except Exception as error:  # pandas, pyarrow and openpyxl raise many types
        raise _read_error(source, error) from error
    return frame


def _said(error: BaseException) -> str:
    """What an exception says, on one line, without a final period."""
    return " ".join(str(error).split()).rstrip(".") or type(error).__name__


def _read_error(source: Source, error: Exception) -> DatasetError:
    """Turn a reader's exception into one paragraph: what failed, where, what to try."""
    said = _said(error)
    fix = {
        "csv": "Check the delimiter (pass --sep) and that fields containing it are quoted.",
        "parquet": "Check that it is a complete Parquet file (not renamed or truncated).",
        "json": "Check that it is one JSON array of objects; one object per line needs .jsonl.",
        "jsonl": "Check that every line is one complete JSON object.",
        "excel": "Check that it is a real workbook, or save the sheet as CSV.",
        "frame": "",
    }[source.format]
    if isinstance(error, UnicodeDecodeError):
        fix = "Pass the file's encoding with --encoding (e.g. cp1252, latin-1, utf-16)."
    if isinstance(error, ImportError):
        fix = f"Install the missing package ({error.name or 'see above'}) or save the data as CSV."
    return DatasetError(
        f"{source.name!r} could not be read as {FORMAT_NAMES[source.format]}: {said}. {fix}"
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
