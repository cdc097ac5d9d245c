"""From what the user hands over to a checked column of texts (and labels, if any).

Any table works: a built-in name, a file (through the same readers and schema inference
as ``tinkerlab.data.load``), a DataFrame or a loaded :class:`~tinkerlab.data.Dataset`.
A feedback table needs no target, so a file is read and its columns' roles inferred
without one; the label, when there is one, is checked here with the analyser's own
rules (``--label``): a few classes, each big enough for cross-validation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tinkerlab.data import ColumnInfo, Dataset, dataset_info, infer_schema, load, read_source
from tinkerlab.data._names import did_you_mean, quoted
from tinkerlab.exceptions import DatasetError, InputError
from tinkerlab.feedback_analysis._clean import clean_text

if TYPE_CHECKING:
    import pandas as pd

#: Folds of the stratified cross-validation that scores the classifiers.
N_FOLDS = 5
#: A label with more distinct values than this is a number or an id, not classes.
MAX_CLASSES = 20
#: Fewer texts than this cannot be grouped into themes in any useful way.
MIN_TEXTS = 10

#: Compression suffixes dropped from a file's name to name the table ("feedback.csv.gz").
_COMPRESSED = (".gz", ".bz2", ".xz", ".zip", ".zst")


@dataclass
class FeedbackTable:
    """The texts to analyse, cleaned, with their row numbers in the original table."""

    name: str  # "reviews", or the file's stem
    text_column: str
    label_column: str | None
    rows: list[int]  # 0-based position of each text in the table as read
    raw: list[str]  # the texts as read (missing -> "")
    texts: list[str]  # clean_text(raw): tags and entities out, single spaces
    labels: list[str] | None  # the label of each text as a string, "" where missing
    rows_in_table: int  # rows in the table before sampling and skipping empty texts
    notices: list[str] = field(default_factory=list)


def read_table(
    data: Any,
    text: str | None,
    label: str | Literal[False] | None,
    *,
    sample: int | None,
    seed: int,
) -> FeedbackTable:
    """Read *data*, pick the text (and label) column, clean, sample and check the texts.

    Raises
    ------
    DatasetError
        The data cannot be read (missing file, unknown built-in name, no rows).
    InputError
        No usable text column, an unknown or unsuitable ``text``/``label`` column, or too
        few texts; the message lists the columns to choose from.
    """
    import pandas as pd

    notices: list[str] = []
    target: str | None = None
    columns: dict[str, ColumnInfo] | None = None
    if isinstance(data, Dataset):
        name, frame, columns, target = data.name, data.frame, data.columns, data.target
    elif isinstance(data, pd.DataFrame):
        frame = data.copy()
        frame.columns = pd.Index([str(c) for c in frame.columns])
        name = "DataFrame"
    elif isinstance(data, str | Path):
        name, frame, columns, target = _read(data)
    else:
        raise InputError(
            f"The feedback analyser takes a built-in name, a file path, a DataFrame or a "
            f"Dataset; got a {type(data).__name__} ({data!r:.60}). Fix: pass e.g. 'reviews' "
            "or 'feedback.csv'."
        )
    if frame.shape[1] == 0 or len(frame) == 0:
        raise DatasetError(
            f"{name!r} has no data rows ({frame.shape[1]} columns, {len(frame)} rows): "
            "there is no feedback to analyse. Fix: check that it is the right file."
        )
    if columns is None:
        columns = _roles(frame, name)
    frame = frame.reset_index(drop=True)  # the index is each row's position from here on
    text_column = _text_column(name, frame, columns, text)
    label_column = _label_column(name, frame, columns, label, target, text_column, notices)

    rows_in_table = len(frame)
    if sample is not None:
        if sample < MIN_TEXTS:
            raise InputError(
                f"sample={sample} (--sample) is too small: themes need at least {MIN_TEXTS} "
                f"texts. Fix: --sample {max(MIN_TEXTS, 500)}, or leave it out for all rows."
            )
        if sample < len(frame):
            frame = frame.sample(n=sample, random_state=seed).sort_index()
            notices.append(
                f"Analysed a random sample of {sample:,} of the {rows_in_table:,} rows "
                f"(seed {seed}); leave out --sample for all of them."
            )
    positions = [int(p) for p in frame.index]
    raw = [_as_text(v) for v in frame[text_column].tolist()]
    texts = [clean_text(t) for t in raw]
    keep = [i for i, t in enumerate(texts) if t]
    if len(keep) < len(texts):
        notices.append(
            f"Skipped {len(texts) - len(keep):,} rows whose {text_column!r} is empty "
            "(or only markup)."
        )
    if len(keep) < MIN_TEXTS:
        raise InputError(
            f"Column {text_column!r} of {name!r} holds {len(keep)} non-empty texts; the "
            f"analyser needs at least {MIN_TEXTS} to find themes. Fix: pass a bigger table "
            "(or a larger --sample)."
        )
    labels = None
    if label_column is not None:
        values = frame[label_column].tolist()
        labels = ["" if _missing(values[i]) else str(values[i]) for i in keep]
    table = FeedbackTable(
        name=name,
        text_column=text_column,
        label_column=label_column,
        rows=[positions[i] for i in keep],
        raw=[raw[i] for i in keep],
        texts=[texts[i] for i in keep],
        labels=labels,
        rows_in_table=rows_in_table,
        notices=notices,
    )
    if labels is not None:
        check_labels(table)
    return table


def _read(
    source: str | Path,
) -> tuple[str, pd.DataFrame, dict[str, ColumnInfo] | None, str | None]:
    """A built-in through ``load`` (its catalog knows the roles); a file read without a
    target (feedback needs none) through the same readers; its roles are inferred once
    its rows are checked."""
    from tinkerlab.data._catalog import is_builtin
    from tinkerlab.data._readers import inspect_file

    if isinstance(source, str) and is_builtin(source):
        dataset = load(source)
        return dataset.name, dataset.frame, dataset.columns, dataset.target
    path = Path(source)
    if isinstance(source, str) and not path.suffix and not path.exists():
        dataset_info(source)  # raises: no such built-in, with the closest names
    src, _notices = inspect_file(path)
    frame = read_source(src)
    stem = Path(src.name)
    if stem.suffix.lower() in _COMPRESSED:
        stem = stem.with_suffix("")
    return stem.stem, frame, None, None


def _roles(frame: pd.DataFrame, name: str) -> dict[str, ColumnInfo]:
    """Schema inference, as ``load`` does it, without a target."""
    duplicated = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
    if duplicated:
        raise DatasetError(
            f"{name!r} has duplicate column names: {quoted(duplicated)}. Fix: give every "
            "column its own name."
        )
    return infer_schema(frame)


def _text_column(
    name: str, frame: pd.DataFrame, columns: dict[str, ColumnInfo], text: str | None
) -> str:
    """The column given, checked; or the table's one text column."""
    import pandas as pd

    names = [str(c) for c in frame.columns]
    strings = [c for c in names if _holds_strings(frame[c])]
    if text is not None:
        if text not in names:
            raise InputError(
                f"Column {text!r} (--text) is not in {name!r}. {did_you_mean(text, names)}"
                f"Columns holding text: {quoted(strings, limit=20) or 'none'}."
            )
        if not _holds_strings(frame[text]):
            kind = "numbers" if pd.api.types.is_numeric_dtype(frame[text]) else "no text"
            raise InputError(
                f"Column {text!r} of {name!r} holds {kind} ({frame[text].dtype}), not text. "
                f"Fix: pass a column of texts with --text; candidates: "
                f"{quoted(strings, limit=20) or 'none'}."
            )
        return text
    found = [c for c, info in columns.items() if info.role == "text"]
    if len(found) == 1:
        return found[0]
    if not found:
        raise InputError(
            f"No column of {name!r} looks like free text (long, mostly distinct strings). "
            f"Fix: name the column to analyse with --text COLUMN (text=...); columns holding "
            f"strings: {quoted(strings, limit=20) or 'none'}."
        )
    raise InputError(
        f"{name!r} has {len(found)} columns of free text: {quoted(found)}. Fix: pick one with "
        f"--text, e.g. --text {found[0]}."
    )


def _label_column(
    name: str,
    frame: pd.DataFrame,
    columns: dict[str, ColumnInfo],
    label: str | Literal[False] | None,
    target: str | None,
    text_column: str,
    notices: list[str],
) -> str | None:
    """The label column: the one given, else a loaded dataset's classification target."""
    names = [str(c) for c in frame.columns]
    if label is False:
        return None
    if label is None:
        if target is None or target == text_column or not _few_values(frame[target]):
            return None
        notices.append(
            f"Used {target!r} as the label: it is the column {name!r} predicts. "
            "--no-label (label=False) leaves the trained classifier out."
        )
        return target
    if label not in names:
        others = [c for c in names if c != text_column]
        raise InputError(
            f"Column {label!r} (--label) is not in {name!r}. {did_you_mean(label, names)}"
            f"Columns: {quoted(others, limit=20)}."
        )
    if label == text_column:
        raise InputError(
            f"Column {label!r} is the text itself, so it cannot be the label too. Fix: pass "
            "the column that rates or classifies each text, e.g. --label score."
        )
    return label


def check_labels(table: FeedbackTable) -> None:
    """The label must have 2 to 20 classes, each with at least ``N_FOLDS`` texts."""
    from collections import Counter

    assert table.labels is not None
    counts = Counter(v for v in table.labels if v)
    column = table.label_column
    if len(counts) < 2:
        seen = f"only {quoted(list(counts))}" if counts else "no values"
        raise InputError(
            f"Label {column!r} has {seen} among the {len(table.texts):,} texts; a classifier "
            "needs at least two classes. Fix: pass another --label, or leave it out."
        )
    if len(counts) > MAX_CLASSES:
        raise InputError(
            f"Label {column!r} has {len(counts):,} distinct values, more than {MAX_CLASSES}: "
            "it looks like a number or an id, not classes. Fix: bucket it first (e.g. "
            "1-3 stars -> 'low', 4-5 -> 'high'), or pass another --label."
        )
    rare = {c: n for c, n in counts.items() if n < N_FOLDS}
    if rare:
        raise InputError(
            f"Label {column!r} has classes with fewer than {N_FOLDS} texts "
            f"({', '.join(f'{c!r}: {n}' for c, n in sorted(rare.items()))}); {N_FOLDS}-fold "
            "stratified cross-validation needs one per fold. Fix: merge or drop those "
            "classes, or leave --label out."
        )
    missing = sum(1 for v in table.labels if not v)
    if missing:
        table.notices.append(
            f"{missing:,} texts have no {column!r}; the classifiers are scored without them."
        )


def _few_values(series: pd.Series[Any]) -> bool:
    return int(series.nunique()) <= MAX_CLASSES


def _holds_strings(series: pd.Series[Any]) -> bool:
    """Object or string dtype whose non-missing values are (mostly) strings."""
    import pandas as pd

    if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        return False
    values = series.dropna().head(200)
    return len(values) > 0 and sum(isinstance(v, str) for v in values) >= 0.9 * len(values)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _as_text(value: object) -> str:
    if _missing(value):
        return ""
    return value if isinstance(value, str) else str(value)


__all__ = ["MAX_CLASSES", "MIN_TEXTS", "N_FOLDS", "FeedbackTable", "check_labels", "read_table"]
