"""The Dataset: a table, the role of each column, the task, and how to read it again."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

#: What a column is used as. Feature roles first, then the ones a model never sees.
Role = Literal["numeric", "categorical", "text", "datetime", "id", "constant", "target", "ignored"]
#: The roles a model can learn from.
FEATURE_ROLES: tuple[Role, ...] = ("numeric", "categorical", "text")
Task = Literal["classification", "regression"]
Format = Literal["csv", "parquet", "jsonl", "json", "excel", "frame"]


@dataclass(frozen=True)
class ColumnInfo:
    """What schema inference decided about one column, and why."""

    name: str
    role: Role  # what the column will be used as
    dtype: str  # the pandas dtype as read, e.g. "float64", "str"
    n_missing: int  # empty cells
    n_unique: int  # distinct non-missing values
    reason: str  # one plain sentence: why this role, e.g. "3 distinct strings in 1309 rows"


@dataclass(frozen=True)
class Source:
    """How to read the table again exactly as we did (generated scripts replay this)."""

    kind: Literal["builtin", "file", "frame"]  # bundled with tinkerlab, a user's file, or in memory
    name: str  # built-in name ("titanic") or the file's name ("my.csv")
    path: str  # absolute path of the file read ("" for an in-memory frame)
    format: Format  # which pandas reader: csv -> read_csv, parquet -> read_parquet, ...
    read_options: dict[str, Any] = field(default_factory=dict)  # keyword arguments to that reader
    sha256: str = ""  # of the file's bytes: the data fingerprint stored with every run
    sample_rows: int | None = None  # rows kept when the file was too large (None: all rows)
    sample_seed: int = 0  # seed of that sample, so a script can draw the same rows
    sample_fraction: float | None = None  # share of rows drawn, e.g. 0.1 (None: not sampled)
    sample_chunksize: int | None = None  # CSV rows per chunk; chunk i is sampled with seed + i
    missing_target_rows: int = 0  # rows load() dropped for an empty target (prepare_code replays)


@dataclass
class Dataset:
    """A table ready for a Recipe: the frame, each column's role, the target and the task.

    Build one with :func:`tinkerlab.data.load`; do not construct it by hand.
    """

    name: str  # "titanic" or the file's stem
    frame: pd.DataFrame  # every column as read; rows with a missing target already dropped
    target: str | None  # the column to predict (None for unsupervised use)
    task: Task | None  # classification or regression, inferred from the target unless given
    columns: dict[str, ColumnInfo]  # in the frame's column order, one entry per column
    source: Source  # how the frame was read
    description: str = ""  # one paragraph: what a row is, where the data comes from
    notices: list[str] = field(default_factory=list)  # decisions the user should know about
    image_shape: tuple[int, int] | None = None  # (height, width) when columns are pixels

    def features(self, role: Role | None = None) -> list[str]:
        """Names of the feature columns, optionally only those with one *role*."""
        roles = FEATURE_ROLES if role is None else (role,)
        return [c.name for c in self.columns.values() if c.role in roles]

    @property
    def X(self) -> pd.DataFrame:  # noqa: N802 - X is the field's name for features
        """The feature columns."""
        return self.frame[self.features()]

    @property
    def y(self) -> pd.Series[Any]:
        """The target column."""
        if self.target is None:
            raise ValueError(f"Dataset {self.name!r} has no target; load it with target='...'.")
        return self.frame[self.target]

    def __repr__(self) -> str:
        counts = {r: len(self.features(r)) for r in FEATURE_ROLES if self.features(r)}
        return (
            f"Dataset({self.name!r}, rows={len(self.frame)}, target={self.target!r}, "
            f"task={self.task!r}, features={counts})"
        )
