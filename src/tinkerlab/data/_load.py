"""``load()``: from a name, a path or a DataFrame to a checked :class:`Dataset`.

The steps, each one function: read the table (:mod:`._readers`), check its shape,
find the target, drop the rows whose target is empty, settle the task, decide every
column's role (:mod:`._schema`), and make sure something is left to learn from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.data._budget import default_max_rows
from tinkerlab.data._catalog import DatasetInfo, dataset_info, is_builtin
from tinkerlab.data._dataset import FEATURE_ROLES, Dataset, Source, Task
from tinkerlab.data._fingerprint import ReadProgress
from tinkerlab.data._names import closest, did_you_mean, quoted
from tinkerlab.data._readers import FORMAT_NAMES, builtin_source, inspect_file
from tinkerlab.data._reading import _literal, read_source
from tinkerlab.data._schema import collect_overrides, infer_columns, no_features_error
from tinkerlab.data._sniff import COMPRESSIONS
from tinkerlab.data._task import check_target, check_task_name, infer_task
from tinkerlab.exceptions import DatasetError, SchemaError
from tinkerlab.options import name_of, spell

if TYPE_CHECKING:
    import pandas as pd


def load(
    source: str | Path | pd.DataFrame,
    *,
    target: str | None = None,
    task: str | None = None,
    drop: str | Iterable[str] = (),
    text: str | Iterable[str] = (),
    categorical: str | Iterable[str] = (),
    numeric: str | Iterable[str] = (),
    encoding: str | None = None,
    sep: str | None = None,
    sheet: str | int | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
    progress: ReadProgress | None = None,
) -> Dataset:
    """Load a built-in dataset, a data file or a DataFrame, checked and ready to model.

    Parameters
    ----------
    source : str, Path or pandas.DataFrame
        A built-in name (``"titanic"``; see :func:`list_datasets`), the path of a CSV/TSV/
        TXT, Parquet, JSON lines (``.jsonl``/``.ndjson``), JSON array (``.json``) or Excel
        (``.xlsx``/``.xls``) file, or a DataFrame already in memory.
    target : str, optional
        The column to predict. Built-ins have a default; files and frames need one.
    task : {"classification", "regression"}, optional
        Inferred from the target when not given.
    drop : str or iterable of str
        Columns to ignore.
    text, categorical, numeric : str or iterable of str
        Columns to force to that role, overriding inference.
    encoding : str, optional
        Text encoding of a CSV/JSON file; guessed (UTF-8, UTF-16 with BOM, cp1252) if not given.
    sep : str, optional
        Delimiter of a CSV file; guessed among ``, ; TAB |`` if not given.
    sheet : str or int, optional
        Excel sheet (name or 0-based position); the first if not given.
    max_bytes : int, optional
        Memory the table may take; a larger file is read as a random sample of its rows.
        Defaults to ``TINKERLAB_MAX_BYTES`` or a quarter of the machine's RAM.
    max_rows : int, optional
        Rows a file may keep (CSV, JSON lines, Parquet); a longer one is read as a random
        sample of about this many rows. Defaults to ``TINKERLAB_MAX_ROWS`` or 100,000;
        ``0`` reads every row.
    progress : callable, optional
        Called as ``progress(what, bytes done, bytes in all)`` while a file is
        fingerprinted and read (``what`` is e.g. ``"reading sales.csv"``).

    Returns
    -------
    Dataset
        The frame (rows with a missing target dropped), each column's role with its
        reason, the task, how it was read, and notices about every notable decision.

    Raises
    ------
    DatasetError
        If the source cannot be found or read, or an option does not fit it.
    SchemaError
        If the target or a column cannot be used (missing, single class, inf, mixed
        types, nothing left to learn from...).

    Examples
    --------
    >>> from tinkerlab.data import load
    >>> titanic = load("titanic")
    >>> titanic.target, titanic.task
    ('survived', 'classification')
    >>> titanic.columns["rownames"].role
    'id'
    """
    task = check_task_name(task)
    if max_rows is not None and (isinstance(max_rows, bool) or max_rows < 0):
        raise DatasetError(
            f"max_rows={max_rows!r} must be a number of rows, or 0 to read every row."
        )
    src, frame, notices, info = _read(
        source,
        encoding=encoding,
        sep=sep,
        sheet=sheet,
        max_bytes=max_bytes,
        max_rows=default_max_rows() if max_rows is None else (max_rows or None),
        progress=progress,
    )
    _check_table(frame, src)
    names = [str(c) for c in frame.columns]

    target = _pick_target(target, info, src, names)
    overrides = collect_overrides(
        names,
        target,
        drop=drop,
        text=text,
        categorical=categorical,
        numeric=numeric,
        roles=info.roles if info else None,
    )

    frame, src = _drop_missing_target(frame, target, src, names, notices)
    task, task_reason = _decide_task(frame[target], task, target, info, notices)
    notices.extend(check_target(frame[target], task))

    columns, column_notices = infer_columns(
        frame, target, overrides, target_reason=f"the column to predict; {task}: {task_reason}"
    )
    notices.extend(column_notices)
    if not any(c.role in FEATURE_ROLES for c in columns.values()):
        raise no_features_error(columns, target)

    return Dataset(
        name=info.name if info else _stem(src.name),
        frame=frame,
        target=target,
        task=task,
        columns=columns,
        source=src,
        description=info.description if info else _describe(src, frame),
        notices=notices,
        image_shape=info.image_shape if info else None,
    )


def _pick_target(
    target: str | None, info: DatasetInfo | None, src: Source, names: list[str]
) -> str:
    """The column to predict: the one asked for, else the built-in's own; it must exist."""
    if target is None:
        if info is None:
            raise DatasetError(
                f"Which column should be predicted? Pass {spell('target', 'NAME')}. "
                f"Columns of {src.name!r}: {quoted(names, limit=30)}."
            )
        target = info.target
    if target not in names:
        raise SchemaError(
            f"Column {target!r} not found in {src.name!r}. {did_you_mean(target, names)}"
            f"Columns: {quoted(names, limit=30)}. Pass the exact name: "
            f"{spell('target', (closest(target, names) or ['NAME'])[0])}."
        )
    return target


def _drop_missing_target(
    frame: pd.DataFrame, target: str, src: Source, names: list[str], notices: list[str]
) -> tuple[pd.DataFrame, Source]:
    """Drop the rows whose target is empty (with a notice); refuse a target that is all empty."""
    missing = frame[target].isna()
    if missing.all():
        raise SchemaError(
            f"The target {target!r} is empty in all {len(frame)} rows of {src.name!r}, so there "
            f"is nothing to learn from. Choose another target ({name_of('target')}; columns: "
            f"{quoted(names, limit=30)})."
        )
    if missing.any():
        n_missing = int(missing.sum())
        frame = frame.dropna(subset=[target]).reset_index(drop=True)
        src = replace(src, missing_target_rows=n_missing)
        notices.append(
            f"Dropped {n_missing} of {n_missing + len(frame)} rows whose target {target!r} is "
            "empty; a model cannot learn from them."
        )
    return frame, src


def _decide_task(
    y: pd.Series[Any], task: Task | None, target: str, info: DatasetInfo | None, notices: list[str]
) -> tuple[Task, str]:
    """The task and why: as asked, as the catalog declares, else inferred (with a notice)."""
    asked = task is not None
    from_catalog = not asked and info is not None and target == info.target
    if from_catalog and info is not None:
        task = info.task  # still checked against the values by infer_task
    task, task_reason = infer_task(y, task)
    if from_catalog:
        task_reason = "the built-in catalog declares it"
    elif not asked:
        change = f"pass {name_of('task')} to change it"
        notices.append(f"Task: {task}, because {task_reason} — {change}.")
    return task, task_reason


def read_table(
    source: str | Path,
    *,
    encoding: str | None = None,
    sep: str | None = None,
    sheet: str | int | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
) -> tuple[pd.DataFrame, Source, list[str]]:
    """Read a built-in or a data file exactly as :func:`load` does, before any target.

    For a tool that shows a table before the learner has chosen what to predict (a
    preview, a list of its columns): the same format, encoding and delimiter guesses, the
    same row budget and checks (columns with distinct text names, at least one row), and
    the same errors. Nothing is dropped and no roles are decided.

    Parameters
    ----------
    source : str or Path
        A built-in name or the path of a CSV, Parquet, JSON lines, JSON or Excel file.
    encoding, sep, sheet, max_bytes, max_rows
        As :func:`load`.

    Returns
    -------
    frame : pandas.DataFrame
        The table as read.
    source : Source
        How it was read (``reading_code(source)`` replays it).
    notices : list of str
        Decisions worth knowing (an encoding guessed, a big file sampled...).

    Examples
    --------
    >>> from tinkerlab.data import read_table
    >>> frame, source, notices = read_table("penguins")
    >>> list(frame.columns)[:2], source.kind
    (['species', 'island'], 'builtin')
    """
    if max_rows is not None and (isinstance(max_rows, bool) or max_rows < 0):
        raise DatasetError(
            f"max_rows={max_rows!r} must be a number of rows, or 0 to read every row."
        )
    src, frame, notices, _info = _read(
        source,
        encoding=encoding,
        sep=sep,
        sheet=sheet,
        max_bytes=max_bytes,
        max_rows=default_max_rows() if max_rows is None else (max_rows or None),
        progress=None,
    )
    _check_table(frame, src)
    return frame, src, list(notices)


def _read(
    source: object,
    *,
    encoding: str | None,
    sep: str | None,
    sheet: str | int | None,
    max_bytes: int | None,
    max_rows: int | None,
    progress: ReadProgress | None,
) -> tuple[Source, pd.DataFrame, list[str], DatasetInfo | None]:
    """Resolve *source* and read it: (how it was read, the frame, notices, catalog entry)."""
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        return _from_frame(source)
    if isinstance(source, str) and is_builtin(source):
        given = {"encoding": encoding, "sep": sep, "sheet": sheet}
        extra = [f"{key}=" for key, value in given.items() if value is not None]
        if extra:
            raise DatasetError(
                f"{source!r} is a built-in dataset; {', '.join(extra)} only apply to files you "
                "load yourself. Leave them out."
            )
        info = dataset_info(source)
        src = builtin_source(info)
        return src, read_source(src), [], info
    if isinstance(source, str | Path):
        path = Path(source)
        bare_name = isinstance(source, str) and not path.suffix and path.name == source
        if bare_name and not path.exists():
            dataset_info(str(source))  # raises: unknown built-in, with the closest names
        src, notices = inspect_file(
            path,
            encoding=encoding,
            sep=sep,
            sheet=sheet,
            max_bytes=max_bytes,
            max_rows=max_rows,
            progress=progress,
        )
        frame = read_source(src, progress)
        if src.sample_fraction is not None:
            src = replace(src, sample_rows=len(frame))
        return src, frame, notices, None
    raise DatasetError(
        f"load() takes a built-in name, a file path or a pandas DataFrame; got "
        f"{type(source).__name__} {source!r:.60}. Pass e.g. 'titanic' or 'data/my.csv'."
    )


def _from_frame(frame: pd.DataFrame) -> tuple[Source, pd.DataFrame, list[str], None]:
    """Wrap an in-memory frame: a copy, string column names, and a content fingerprint."""
    import hashlib

    import pandas as pd

    notices: list[str] = []
    frame = frame.copy()
    if not all(isinstance(c, str) for c in frame.columns):
        frame.columns = pd.Index([str(c) for c in frame.columns])
        notices.append("Column names were not all strings; turned them into strings.")
    try:
        hashed = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    except TypeError:  # unhashable cells (lists, dicts): fall back on their text
        hashed = frame.to_csv().encode()
    digest = hashlib.sha256(hashed + "\x1f".join(map(str, frame.columns)).encode()).hexdigest()
    source = Source(kind="frame", name="DataFrame", path="", format="frame", sha256=digest)
    return source, frame, notices, None


def _check_table(frame: pd.DataFrame, src: Source) -> None:
    """A table needs columns with distinct string names, and at least one row."""
    if frame.shape[1] == 0:
        raise DatasetError(
            f"{src.name!r} has no columns. Check that it is the right file and that its first "
            "line is a header."
        )
    if src.kind != "frame" and not all(isinstance(c, str) for c in frame.columns):
        odd = [c for c in frame.columns if not isinstance(c, str)]
        raise DatasetError(
            f"{src.name!r} has column names that are not text: {quoted(odd)}. Rename them in "
            "the file to start with a letter (e.g. 'y2020' instead of 2020)."
        )
    duplicated = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
    if duplicated:
        raise DatasetError(
            f"{src.name!r} has duplicate column names: {quoted(duplicated)}. Every column needs "
            "its own name; rename the duplicates."
        )
    if len(frame) == 0:
        where = "its sample" if src.sample_fraction is not None else "it"
        raise DatasetError(
            f"{src.name!r} has a header ({frame.shape[1]} columns: "
            f"{quoted(frame.columns, limit=8)}) but {where} has no data rows. Add rows to "
            "the file, or check you picked the right one."
        )


def _stem(file_name: str) -> str:
    """``"sales.csv.gz"`` -> ``"sales"``."""
    path = Path(file_name)
    if path.suffix.lower() in COMPRESSIONS:
        path = path.with_suffix("")
    return path.stem


def _describe(src: Source, frame: pd.DataFrame) -> str:
    what = (
        "An in-memory DataFrame"
        if src.kind == "frame"
        else f"The {FORMAT_NAMES[src.format]} file {src.name}"
    )
    return f"{what}: {len(frame)} rows, {frame.shape[1]} columns."


def prepare_code(dataset: Dataset, var: str = "frame") -> str:
    """Write the lines that turn the frame as read into ``dataset.frame``.

    :func:`load` changes the table it read in one way only: it drops the rows whose
    target is empty. This returns that step as code (ending with a newline), or an
    empty string when no row was dropped. Run it after :func:`reading_code`.

    Parameters
    ----------
    dataset : Dataset
        What :func:`load` returned.
    var : str
        Name of the variable holding the frame.

    Returns
    -------
    str
        E.g. ``frame = frame.dropna(subset=["age"]).reset_index(drop=True)\\n``.

    Examples
    --------
    >>> from tinkerlab.data import load, prepare_code
    >>> prepare_code(load("iris"))
    ''
    """
    if dataset.target is None or dataset.source.missing_target_rows == 0:
        return ""
    target = _literal(dataset.target)
    return f"{var} = {var}.dropna(subset=[{target}]).reset_index(drop=True)\n"
