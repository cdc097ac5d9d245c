"""Datasets: the built-in catalog, reading user files, schema inference and validation.

The one-line way in is :func:`load`::

    >>> from tinkerlab.data import load
    >>> ds = load("penguins")                      # a built-in, bundled offline
    >>> ds = load("data/sales.csv", target="revenue", drop=["order_id"])  # doctest: +SKIP

To show a table before the learner has chosen what to predict (a preview, its columns),
:func:`read_table` reads and checks it the same way and decides nothing else.

It returns a :class:`Dataset`: the frame, one :class:`ColumnInfo` per column (role and
the reason for it), the task, the :class:`Source` it was read from, and ``notices``
about every decision worth knowing (an id column dropped, an encoding guessed, a big
file sampled...). Anything unusable raises :class:`~tinkerlab.exceptions.DatasetError`
or :class:`~tinkerlab.exceptions.SchemaError` with what happened, the offending value
and the fix, naming the command-line flag (``--target``, ``--sep``, ``--encoding``...).

Reproducing a load in a standalone script
-----------------------------------------
A generated script must rebuild ``dataset.frame`` exactly, with pandas alone. Two
functions write the code, and together they are the whole story:

1. ``reading_code(dataset.source)`` — the ``pd.read_*`` call(s) that :func:`read_source`
   makes, with every sniffed option spelled out (``sep=";"``, ``encoding="cp1252"``,
   the sheet name, the seeded sample of a large file).
2. ``prepare_code(dataset)`` — the one change :func:`load` makes to what it read:
   dropping the rows whose target is empty (an empty string when there were none).

Column roles are *not* applied to the frame (no column is removed or converted); they
are metadata for the pipeline, which is why the frame replays so simply. An in-memory
DataFrame is copied (non-string column names become strings) and cannot be replayed:
:func:`reading_code` asks to save it to a file first. The tests
check ``exec(reading_code(src))`` against ``read_source(src)`` for every format.
Importing this package does not import pandas or scikit-learn; :func:`list_datasets`
reads a small JSON manifest only.
"""

from __future__ import annotations

from tinkerlab.data._budget import parse_size
from tinkerlab.data._catalog import (
    DatasetInfo,
    Provenance,
    data_words,
    dataset_info,
    is_builtin,
    list_datasets,
)
from tinkerlab.data._dataset import FEATURE_ROLES, ColumnInfo, Dataset, Format, Role, Source, Task
from tinkerlab.data._fingerprint import data_change, file_sha256
from tinkerlab.data._load import load, prepare_code, read_table
from tinkerlab.data._reading import read_source, reading_code
from tinkerlab.data._schema import infer_schema
from tinkerlab.data._task import infer_task

__all__ = [
    "FEATURE_ROLES",
    "ColumnInfo",
    "Dataset",
    "DatasetInfo",
    "Format",
    "Provenance",
    "Role",
    "Source",
    "Task",
    "data_change",
    "data_words",
    "dataset_info",
    "file_sha256",
    "infer_schema",
    "infer_task",
    "is_builtin",
    "list_datasets",
    "load",
    "parse_size",
    "prepare_code",
    "read_source",
    "read_table",
    "reading_code",
]
