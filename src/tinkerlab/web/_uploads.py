"""Files learners upload: stored under the lab's folder, never at a path they chose.

Each upload gets a generated folder, ``<lab>/uploads/<id>/``, holding the file under a
cleaned name (its last path part, letters, digits, ``.-_`` only: the dataset is named
after it) and ``upload.json`` with what the browser said (the original name, shown
escaped), the size and the time. Nothing the browser sends can name a folder: ``../``,
absolute paths and backslashes are stripped before the name is cleaned, and the id is
checked against a strict pattern before any path is built from it.

>>> clean_name("../../etc/passwd.csv"), clean_name("C:\\\\data\\\\my file.CSV")
('passwd.csv', 'my_file.CSV')
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from tinkerlab.exceptions import DatasetError, NotFoundError

if TYPE_CHECKING:
    from starlette.datastructures import UploadFile

#: The file types the Data page takes (what ``tinkerlab.data`` reads), compressed text too.
EXTENSIONS: tuple[str, ...] = (".csv", ".tsv", ".txt", ".parquet", ".pq", ".jsonl", ".ndjson")
EXTENSIONS += (".json", ".xlsx", ".xlsm", ".xls", ".csv.gz", ".csv.bz2", ".csv.xz", ".jsonl.gz")
_ID = re.compile(r"^[a-f0-9]{16}$")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_CHUNK = 1024 * 1024
#: The prefix that marks an upload in a dataset select (``upload:<id>``).
PREFIX = "upload:"


@dataclass(frozen=True)
class Upload:
    """One uploaded file."""

    id: str  # 16 hex digits, generated
    original: str  # the name the browser sent (shown escaped, never used as a path)
    path: Path  # where it is stored: <lab>/uploads/<id>/<clean name>
    size: int  # bytes
    created_at: str  # ISO time, UTC

    @property
    def choice(self) -> str:
        """The value a dataset select uses for it."""
        return PREFIX + self.id


def clean_name(name: str) -> str:
    """A safe file name from what a browser sent: the last path part, no odd characters."""
    last = PurePosixPath(name.replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", last).strip("._") or "data"
    stem, dot, ext = cleaned.rpartition(".")
    return (stem[:80] + dot + ext[:12]) if dot else cleaned[:80]


def check_extension(name: str) -> None:
    """Refuse a file type tinkerlab cannot read, before a byte is stored."""
    if not name.lower().endswith(EXTENSIONS):
        raise DatasetError(
            f"Cannot take {name!r}: tinkerlab reads CSV, Parquet, JSON lines and Excel files "
            f"({', '.join(EXTENSIONS)}). Fix: save the table in one of these formats."
        )


async def store(file: UploadFile, folder: Path, limit: int) -> Upload:
    """Copy an upload into a fresh folder under *folder*, at most *limit* bytes."""
    original = file.filename or "data.csv"
    name = clean_name(original)
    check_extension(name)
    upload_id = secrets.token_hex(8)
    home = folder / upload_id
    home.mkdir(parents=True)
    target = home / name
    size = 0
    try:
        with target.open("wb") as out:
            while chunk := await file.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise DatasetError(
                        f"{original!r} is larger than this lab takes ({limit / 2**20:g} MB). "
                        "Fix: upload a sample of it, or use the command line, which reads "
                        "large files in chunks: tinkerlab run FILE --max-bytes 500M"
                    )
                out.write(chunk)
        if size == 0:
            raise DatasetError(f"{original!r} is empty. Fix: choose the file with the table.")
    except BaseException:
        target.unlink(missing_ok=True)
        home.rmdir()
        raise
    created = datetime.now(UTC).isoformat(timespec="seconds")
    meta = {"original": original, "name": name, "size": size, "created_at": created}
    (home / "upload.json").write_text(json.dumps(meta), encoding="utf-8")
    return Upload(upload_id, original, target, size, created)


def get(folder: Path, upload_id: str) -> Upload:
    """The upload *upload_id*; a malformed or unknown id is a NotFoundError."""
    if not _ID.match(upload_id):
        raise NotFoundError(f"No upload {upload_id!r}. Fix: choose one on the Data page.")
    meta_file = folder / upload_id / "upload.json"
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise NotFoundError(f"No upload {upload_id!r}. Fix: choose one on the Data page.") from None
    path = folder / upload_id / clean_name(str(meta.get("name", "")))
    return Upload(upload_id, str(meta["original"]), path, int(meta["size"]), meta["created_at"])


def listing(folder: Path) -> list[Upload]:
    """Every upload, newest first."""
    found = []
    for child in folder.iterdir() if folder.is_dir() else []:
        if _ID.match(child.name):
            try:
                found.append(get(folder, child.name))
            except NotFoundError:
                continue
    return sorted(found, key=lambda u: u.created_at, reverse=True)


def delete(folder: Path, upload_id: str) -> None:
    """Remove an upload and its folder."""
    upload = get(folder, upload_id)
    upload.path.unlink(missing_ok=True)
    (folder / upload_id / "upload.json").unlink(missing_ok=True)
    (folder / upload_id).rmdir()


def resolve(folder: Path, value: str) -> str:
    """A dataset select's value as ``tinkerlab.data`` takes it: a built-in's name as it
    is, ``upload:<id>`` as the stored file's path. Nothing else: a lab never reads a file
    path a browser names (on a shared lab that would open the server's files)."""
    from tinkerlab.data import list_datasets

    if value.startswith(PREFIX):
        return str(get(folder, value[len(PREFIX) :]).path)
    names = [info.name for info in list_datasets()]
    if value in names:
        return value
    raise DatasetError(
        f"{value!r} is neither a built-in dataset nor an upload. Fix: choose one of "
        f"{', '.join(names)}, or upload your file on the Data page."
    )


def choice_for_path(folder: Path, path: str) -> str | None:
    """The select value of the upload stored at *path* (a recipe's source), if any."""
    try:
        relative = Path(path).resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return None
    upload_id = relative.parts[0] if relative.parts else ""
    return PREFIX + upload_id if _ID.match(upload_id) else None


def display_name(folder: Path, dataset: str) -> str:
    """How a page names a recorded dataset: an upload by the name it was sent with (a
    recipe names a file by its path, which inside the lab is a generated folder)."""
    choice = choice_for_path(folder, dataset) if "/" in dataset or "\\" in dataset else None
    if choice is None:
        return dataset
    try:
        return get(folder, choice[len(PREFIX) :]).original
    except NotFoundError:
        return Path(dataset).name


def shown_choice(folder: Path, value: str) -> str:
    """A dataset select's value as a title shows it: an upload by its sent name."""
    if value.startswith(PREFIX):
        try:
            return get(folder, value[len(PREFIX) :]).original
        except NotFoundError:
            return value
    return value
