"""The data fingerprint: the SHA-256 of a file's bytes, and what to say when it changed.

Every run stores the fingerprint of the data it saw (``Source.sha256``). Replaying a
recipe, saving a model for a journal run or retraining it read the file again and
compare: :func:`file_sha256` computes the fingerprint, :func:`data_change` says whether
and how it differs. Each caller decides what a change means (a notice, or an error
with its own fix).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

#: Called with (what is being done, bytes done, bytes in all) while a file is read.
ReadProgress = Callable[[str, int, int], None]
#: Bytes read at a time.
_BLOCK = 1 << 20


def file_sha256(path: Path, progress: ReadProgress | None = None) -> str:
    """Return the SHA-256 of the bytes of *path* (the data fingerprint), hex-encoded.

    *progress*, if given, is told ``("fingerprinting NAME", bytes done, bytes in all)``
    after every mebibyte.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = path.write_bytes(b"x\\n1\\n")
    >>> file_sha256(path)[:12]
    'daff832f8020'
    """
    return scan_file(path, progress)[0]


def scan_file(path: Path, progress: ReadProgress | None = None) -> tuple[str, int, bool]:
    """Read *path* once: its SHA-256, how many line breaks its bytes hold, and whether
    they end with one (a text file's lines, counted on the way, for the row budget)."""
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = newlines = 0
    last = b""
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(_BLOCK), b""):
            digest.update(block)
            newlines += block.count(b"\n")
            done += len(block)
            last = block[-1:]
            if progress is not None:
                progress(f"fingerprinting {path.name}", done, total)
    return digest.hexdigest(), newlines, last == b"\n"


def data_change(then: str, now: str, what: str = "The data", since: str = "then") -> str:
    """One sentence saying that the data changed, or ``""`` when it did not.

    An empty fingerprint on either side (an in-memory frame, an old record) is no
    evidence of a change.

    Examples
    --------
    >>> data_change("ab" * 32, "cd" * 32, since="this recipe was written")
    'The data changed since this recipe was written (SHA-256 abababababab… then, cdcdcdcdcdcd… now)'
    >>> data_change("ab" * 32, "ab" * 32)
    ''
    """
    if not then or not now or then == now:
        return ""
    return f"{what} changed since {since} (SHA-256 {then[:12]}… then, {now[:12]}… now)"
