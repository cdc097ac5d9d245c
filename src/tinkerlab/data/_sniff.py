"""Guess how a delimited text file was written: its encoding, its delimiter, its header.

Only the standard library is used here (``codecs`` and ``csv``), so every guess can be
tested on plain strings and bytes. The guesses end up as ``read_csv`` keyword arguments
in :attr:`Source.read_options`, which is what lets a generated script replay them.

Encoding
    A byte-order mark decides first (UTF-8 with BOM, UTF-16, UTF-32). Otherwise NUL
    bytes mean the file is binary (an error), the whole file is decoded as UTF-8, and
    if that fails as cp1252 (Windows Western European; a notice says so). If both
    fail, the file cannot be read as text and we say which byte broke it.
Delimiter
    :class:`csv.Sniffer` proposes one of ``, ; TAB |`` from a sample; we accept it only
    if the header and every sampled row then split into the same number (> 1) of
    fields. Otherwise we try each candidate in turn with the same test. When none
    splits the header the file has one column, unless another character splits every
    line the same way, in which case we ask for ``--sep``.
"""

from __future__ import annotations

import bz2
import codecs
import csv
import gzip
import io
import lzma
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tinkerlab.exceptions import DatasetError
from tinkerlab.options import name_of, spell

#: The delimiter of columns aligned with spaces: any run of whitespace (a regex).
WHITESPACE = r"\s+"

#: Delimiters we recognise on our own, most common first.
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
#: Bytes (after decompression) looked at to guess the delimiter.
SAMPLE_BYTES = 64 * 1024
#: Compressed files we can look inside; pandas infers the same from the extension.
COMPRESSIONS: dict[str, Callable[..., Any]] = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
_BLOCK = 1 << 20  # bytes decoded per step when checking a whole file

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def open_bytes(path: Path) -> IO[bytes]:
    """Open *path* for reading bytes, decompressing ``.gz``, ``.bz2`` and ``.xz`` files."""
    opener = COMPRESSIONS.get(path.suffix.lower())
    stream: IO[bytes] = opener(path, "rb") if opener else path.open("rb")
    return stream


@dataclass(frozen=True)
class Encoding:
    """The encoding we settled on, and a notice when it is not the expected UTF-8."""

    name: str  # a codec name pandas understands: "utf-8", "utf-8-sig", "utf-16", "cp1252"...
    notice: str = ""  # empty unless we fell back from UTF-8


def sniff_encoding(path: Path) -> Encoding:
    """Decide which encoding reads *path* as text.

    Raises
    ------
    DatasetError
        If the file looks binary, or is neither UTF-8 nor cp1252.
    """
    with open_bytes(path) as stream:
        head = stream.read(SAMPLE_BYTES)
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return Encoding(codec)
    if b"\x00" in head:
        raise DatasetError(
            f"{path.name!r} does not look like a text file: it contains NUL bytes (0x00), "
            "which CSV files never hold. If it is an Excel or Parquet file, give it the right "
            "extension (.xlsx, .parquet); if it is UTF-16 text without a byte-order mark, pass "
            f"{spell('encoding', 'utf-16')}."
        )
    utf8_error = first_decode_error(path, "utf-8")
    if utf8_error is None:
        return Encoding("utf-8")
    position, byte = utf8_error
    if first_decode_error(path, "cp1252") is None:
        return Encoding(
            "cp1252",
            notice=(
                f"{path.name!r} is not valid UTF-8 (byte 0x{byte:02x} at position {position}); "
                "read it as cp1252 (Windows Western European) instead — pass "
                f"{name_of('encoding')} to choose another (e.g. {spell('encoding', 'latin-1')})."
            ),
        )
    raise DatasetError(
        f"{path.name!r} cannot be read as text: byte 0x{byte:02x} at position {position} is "
        "valid in neither UTF-8 nor cp1252. Re-save the file as UTF-8 (in Excel: 'CSV UTF-8'), "
        f"or pass its encoding, e.g. {spell('encoding', 'latin-1')}."
    )


def first_decode_error(path: Path, codec: str) -> tuple[int, int] | None:
    """Return ``(position, byte)`` of the first byte *codec* cannot decode, or None.

    The whole file is decoded in blocks, so a bad byte near the end is found too.
    """
    decoder = codecs.getincrementaldecoder(codec)()
    offset = 0  # position in the file of the first byte of `block`
    with open_bytes(path) as stream:
        while True:
            block = stream.read(_BLOCK)
            pending = decoder.getstate()[0]  # bytes of a character cut by the last block
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as error:
                data = pending + block
                return offset - len(pending) + error.start, data[error.start]
            if not block:
                return None
            offset += len(block)


def read_sample(path: Path, encoding: str) -> str:
    """Return the first :data:`SAMPLE_BYTES` of *path* as text, cut at the last line break.

    Invalid bytes are replaced, not fatal: the sample only guides the guesses.
    """
    with open_bytes(path) as stream:
        raw = stream.read(SAMPLE_BYTES)
        more = bool(stream.read(1))
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(raw, final=False)
    text = text.removeprefix("\ufeff")
    if more and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # drop the partial last line
    return text


def _widths(sample: str, delimiter: str) -> list[int]:
    """Number of fields on each non-blank record of *sample* when split by *delimiter*."""
    try:
        rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter, strict=False))
    except csv.Error:
        return []
    return [len(row) for row in rows if any(cell.strip() for cell in row)]


def _splits_evenly(sample: str, delimiter: str) -> bool:
    """Whether the header and every sampled row split into the same number (> 1) of fields."""
    widths = _widths(sample, delimiter)
    return bool(widths) and widths[0] > 1 and all(w == widths[0] for w in widths)


def sniff_delimiter(sample: str) -> str | None:
    """Return the delimiter of a CSV *sample*, or None when it has a single column.

    Raises
    ------
    DatasetError
        If no known delimiter splits the lines but another character does evenly:
        the file is delimited by something we do not guess, so ``--sep`` is needed.
    """
    try:
        proposed: str | None = csv.Sniffer().sniff(sample[:8192], "".join(DELIMITERS)).delimiter
    except csv.Error:
        proposed = None
    if proposed is not None and _splits_evenly(sample, proposed):
        return proposed
    for delimiter in DELIMITERS:
        if _splits_evenly(sample, delimiter):
            return delimiter
    # Ragged files: take the delimiter that splits the header best and let the reader
    # report the first bad line precisely.
    best = max(DELIMITERS, key=lambda d: (_widths(sample, d) or [0])[0])
    if (_widths(sample, best) or [0])[0] > 1:
        return best
    unusual = _unusual_delimiter(sample)
    if unusual is not None:
        shown = "TAB" if unusual == "\t" else repr(unusual)
        raise DatasetError(
            "The file reads as a single column, but every line is split the same way by "
            f"{shown}, so it is probably delimited by it, which we do not guess. Pass the "
            f"delimiter with {spell('sep', unusual)}; for columns aligned with several spaces "
            f"use {spell('sep', WHITESPACE)}."
        )
    return None


def _unusual_delimiter(sample: str) -> str | None:
    """A character (not a letter or digit) found equally often, at least once, on every line."""
    lines = [line for line in sample.splitlines() if line.strip()][:200]
    if len(lines) < 2:
        return None
    header = Counter(ch for ch in lines[0] if not ch.isalnum() and ch not in "\"'")
    for char, count in header.most_common():
        if all(line.count(char) == count for line in lines[1:]):
            return char
    return None


def header_fields(sample: str, delimiter: str) -> list[str]:
    """The raw column names on the first non-blank line, before pandas renames duplicates."""
    if len(delimiter) != 1:  # a regular expression such as r"\s+": split the first line with it
        first = next((line for line in sample.splitlines() if line.strip()), "")
        return re.split(delimiter, first.strip())
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                return row
    except csv.Error:
        return []
    return []


#: A cell like "3,14" or "-1234,5": a number written with a decimal comma.
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


def uses_decimal_comma(sample: str, delimiter: str) -> bool:
    """Whether a file delimited by something other than commas writes decimals as "3,14".

    Needs at least three such cells and no cell that reads as a number with a decimal
    point, so "1,5" as text in a list-like column does not flip the whole file.
    """
    if delimiter == ",":
        return False
    cells = [
        c.strip().strip('"') for line in sample.splitlines()[1:] for c in line.split(delimiter)
    ]
    commas = sum(1 for c in cells if _DECIMAL_COMMA.match(c))
    points = sum(1 for c in cells if re.match(r"^-?\d+\.\d+$", c))
    return commas >= 3 and points == 0
