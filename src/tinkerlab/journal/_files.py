"""Files stored beside a row (a run's plots, an analysis's report), all or nothing.

A database rolls back; a folder of files does not. So the files of a record go first to
``<folder>/<uid>.partial/``, are renamed to ``<folder>/<uid>/`` inside the transaction just
before its commit, and are removed again if anything fails, the commit included. Finishing
an experiment a second time (after a resume) *replaces* its files: the old folder is set
aside as ``<uid>.old/`` and put back if the new ones cannot be committed.

>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> with StagedFiles(folder, "abc", {"a.png": b"png"}, what="the plots") as staged:
...     staged.place()  # inside the transaction, just before session.commit()
>>> sorted(p.name for p in folder.iterdir())
['abc']
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

from tinkerlab.exceptions import JournalError


class StagedFiles:
    """The files of one record, written aside until :meth:`place` puts them in place.

    Parameters
    ----------
    folder : Path
        The record kind's folder (``runs/``, ``experiments/``, ``analyses/``).
    uid : str
        The record's uid: its files end up in ``folder/uid/``.
    files : mapping of str to bytes
        Plain file names and their content (checked by ``_checks.files``).
    what : str
        Names the files in an error: ``"the run's plots"``.
    kept : str
        Says, in an error, what a failure leaves recorded: ``"Nothing was recorded."``.

    Use it as a context manager around the transaction; on any failure inside it (a file
    that cannot be written, a failed insert or commit, Ctrl-C) the folder is as it was.
    """

    def __init__(
        self,
        folder: Path,
        uid: str,
        files: Mapping[str, bytes],
        *,
        what: str,
        kept: str = "Nothing was recorded.",
    ) -> None:
        self.folder = folder
        self.files = dict(files)
        self.final = folder / uid  # where the files are once committed
        self.partial = folder / f"{uid}.partial"  # where they are written first
        self.old = folder / f"{uid}.old"  # the files they replace, until the commit
        self.what, self.kept = what, kept
        self._placed = self._set_aside = False

    def __enter__(self) -> StagedFiles:
        # Leftovers of a process killed mid-way (kill -9) would block the renames below.
        shutil.rmtree(self.partial, ignore_errors=True)
        shutil.rmtree(self.old, ignore_errors=True)
        try:
            for name, content in self.files.items():
                self.partial.mkdir(parents=True, exist_ok=True)
                (self.partial / name).write_bytes(content)
        except BaseException as exc:
            self.__exit__(type(exc), exc, exc.__traceback__)
            raise  # (__exit__ raised the JournalError for an OSError already)
        return self

    def place(self) -> None:
        """Put the files in place; call it inside the transaction, just before the commit."""
        if self.final.exists():  # finishing again: keep the old files until the commit
            self.final.rename(self.old)
            self._set_aside = True
        if self.files:
            self.partial.rename(self.final)
            self._placed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is None:
            shutil.rmtree(self.old, ignore_errors=True)  # committed: the old files go
            return
        # The transaction was rolled back; its files must go too, and the old ones return.
        shutil.rmtree(self.partial, ignore_errors=True)
        if self._placed:
            shutil.rmtree(self.final, ignore_errors=True)
        if self._set_aside:
            self.old.rename(self.final)
        if isinstance(exc, OSError):
            raise JournalError(
                f"Could not save {self.what} in {self.folder}: {exc}. {self.kept} Check the "
                "free space and that you may write there (TINKERLAB_HOME moves it)."
            ) from exc


def stored_files(folder: Path, uid: str, names: list[str]) -> tuple[Path | None, list[Path]]:
    """The folder of a record's files and their paths (None and [] for a record without)."""
    if not names:
        return None, []
    return folder / uid, [folder / uid / name for name in names]
