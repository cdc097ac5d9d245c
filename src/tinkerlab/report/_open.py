"""``look()``: from whatever the user names (a built-in, a file, a frame) to a Look.

A table that fits is loaded the one way tinkerlab loads tables (:func:`tinkerlab.data.load`,
or the same readers and schema inference when no target is given); a file larger than
:func:`~._stream.stream_bytes` is streamed once with pyarrow instead
(:func:`~._stream.stream_counts`): exact counts over every row, the rest from a sample.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.exceptions import DatasetError
from tinkerlab.options import spell
from tinkerlab.report._alerts import DataRef
from tinkerlab.report._profile import Progress, profile_dataset
from tinkerlab.report._stream import STREAMED_FORMATS, stream_bytes, stream_counts

if TYPE_CHECKING:
    import pandas as pd

    from tinkerlab.data import Dataset, Source
    from tinkerlab.report._look import Look


def look(
    data: str | Path | pd.DataFrame | Dataset,
    target: str | None = None,
    *,
    seed: int = 0,
    stream: bool | None = None,
    progress: Progress | None = None,
    **read_options: Any,
) -> Look:
    """Look at a dataset before modelling it: every column, the target, how they relate.

    Parameters
    ----------
    data : str, path, DataFrame or Dataset
        A built-in name (``"titanic"``), a file (CSV, Parquet, JSON lines, Excel), a
        DataFrame, or a :class:`~tinkerlab.data.Dataset` already loaded.
    target : str, optional
        The column to predict (built-ins know theirs). Without one, the look describes
        the table and skips everything about a target.
    seed : int
        Seed of the random sample used for the statistics that are sampled.
    stream : bool, optional
        Read a file in one streaming pass (exact counts, the rest sampled). Default: only
        files larger than ``TINKERLAB_LOOK_STREAM_BYTES`` (256 MB).
    progress : callable, optional
        ``progress(step, share_done)`` while reading and profiling.
    **read_options
        ``sep``, ``encoding``, ``sheet``, ``max_bytes``: as :func:`tinkerlab.data.load`.

    Returns
    -------
    Look
        ``look.alerts`` (each with a next step that runs), ``look.columns``,
        ``look.to_dict()``, ``look.to_html(path)``; renders itself in Jupyter.

    Examples
    --------
    >>> from tinkerlab.report import look
    >>> titanic = look("titanic")
    >>> titanic.rows, titanic.target
    (1309, 'survived')
    >>> sorted({a.card for a in titanic.alerts})[:1]
    ['categorical_encoding']
    """
    import pandas as pd

    from tinkerlab.data import Dataset, dataset_info, load
    from tinkerlab.data._catalog import is_builtin

    tick = time.perf_counter()
    say = progress or (lambda _step, _done: None)
    file_bytes: int | None = None
    if isinstance(data, Dataset):
        _no_options(read_options, "a Dataset is already loaded")
        dataset, ref = data, _ref_of(data, None)
    elif isinstance(data, pd.DataFrame):
        _no_options(read_options, "a DataFrame is already in memory")
        dataset = load(data, target=target) if target else _without_target(data)
        ref = DataRef(shell=None, python="data", target=target)
    elif isinstance(data, str) and is_builtin(data):
        say(f"loading {data}", None)
        dataset = load(data, target=target, **read_options)
        own = dataset_info(data).target
        ref = DataRef(
            shell=data, python=json.dumps(data), target=None if target in (None, own) else target
        )
    elif isinstance(data, str | Path):
        path = Path(data)
        file_bytes = path.stat().st_size if path.is_file() else None
        ref = DataRef(shell=str(data), python=json.dumps(str(data)), target=target)
        streamed = _stream_if_big(path, target, seed, stream, file_bytes, say, read_options)
        if streamed is not None:
            dataset, exact = streamed
            result = profile_dataset(
                dataset, ref, seed=seed, file_bytes=file_bytes, exact=exact, progress=progress
            )
            result.timings["total"] = round(time.perf_counter() - tick, 4)
            return result
        say(f"reading {path.name}", None)
        dataset = (
            load(data, target=target, **read_options)
            if target
            else _file_without_target(path, read_options)
        )
    else:
        raise DatasetError(
            f"look() takes a built-in name, a file path, a DataFrame or a Dataset; got "
            f"{type(data).__name__}. Pass e.g. 'titanic' or 'data/sales.csv'."
        )
    result = profile_dataset(dataset, ref, seed=seed, file_bytes=file_bytes, progress=progress)
    result.timings["total"] = round(time.perf_counter() - tick, 4)
    return result


def _no_options(options: dict[str, Any], why: str) -> None:
    if options:
        raise DatasetError(
            f"{', '.join(sorted(options))} only apply when reading a file; {why}. Leave them out."
        )


def _ref_of(dataset: Dataset, target: str | None) -> DataRef:
    """How to name an already loaded Dataset in the next steps."""
    source = dataset.source
    if source.kind == "builtin":
        return DataRef(shell=source.name, python=json.dumps(source.name), target=None)
    if source.kind == "file" and source.sample_fraction is None:
        return DataRef(shell=source.path, python=json.dumps(source.path), target=dataset.target)
    return DataRef(shell=None, python="data", target=dataset.target)


def _without_target(frame: pd.DataFrame) -> Dataset:
    """A Dataset of *frame* with no target: every column's role, no task."""
    import pandas as pd

    from tinkerlab.data import Source

    copied = frame.copy()
    copied.columns = pd.Index([str(c) for c in copied.columns])
    source = Source(kind="frame", name="DataFrame", path="", format="frame")
    return _assemble(copied, source, [], "DataFrame")


def _file_without_target(path: Path, options: dict[str, Any]) -> Dataset:
    """Read a file the way load() does, without asking which column is the target."""
    from tinkerlab.data import read_source
    from tinkerlab.data._readers import inspect_file

    source, notices = inspect_file(path, **options)
    frame = read_source(source)
    if frame.shape[1] == 0 or len(frame) == 0:
        raise DatasetError(
            f"{source.name!r} has no data rows or no columns. Check that it is the right file "
            "and that its first line is a header."
        )
    return _assemble(frame, source, notices, _stem(source.name))


def _stem(file_name: str) -> str:
    """``"sales.csv.gz"`` -> ``"sales"``."""
    name = file_name
    for ending in (".gz", ".bz2", ".xz", ".zip", ".zst"):
        name = name.removesuffix(ending)
    return Path(name).stem


def _assemble(frame: pd.DataFrame, source: Source, notices: list[str], name: str) -> Dataset:
    from tinkerlab.data import Dataset, infer_schema

    columns = infer_schema(frame)
    notices = [
        *notices,
        f"No target given: the look describes the table only. Pass {spell('target', 'COLUMN')} "
        "for the class balance, dependence on the target and the alerts.",
    ]
    return Dataset(
        name=name,
        frame=frame,
        target=None,
        task=None,
        columns=columns,
        source=source,
        description=f"{len(frame)} rows, {frame.shape[1]} columns.",
        notices=notices,
    )


def _stream_if_big(
    path: Path,
    target: str | None,
    seed: int,
    stream: bool | None,
    file_bytes: int | None,
    say: Progress,
    options: dict[str, Any],
) -> tuple[Dataset, Any] | None:
    """Stream *path* when asked to, or when it is big; else None (read it whole)."""
    from tinkerlab.data._readers import inspect_file

    if stream is False or file_bytes is None:
        return None
    if stream is None and file_bytes <= stream_bytes():
        return None
    source, notices = inspect_file(path, **{k: v for k, v in options.items() if k != "max_bytes"})
    if source.format not in STREAMED_FORMATS or source.read_options.get("sheet_name"):
        if stream:
            raise DatasetError(
                f"Only CSV and Parquet files can be streamed; {path.name!r} is "
                f"{source.format}. Fix: leave --stream out, or save it as CSV or Parquet."
            )
        return None
    exact = stream_counts(source, seed=seed, progress=say)
    frame = exact.sample
    dataset = _sampled_dataset(frame, source, notices, target)
    return dataset, exact


def _sampled_dataset(
    frame: pd.DataFrame, source: Source, notices: list[str], target: str | None
) -> Dataset:
    from dataclasses import replace

    from tinkerlab.data import load

    name = _stem(source.name)
    if target is None:
        return _assemble(frame, replace(source, sample_rows=len(frame)), notices, name)
    dataset = load(frame, target=target)
    dataset.name, dataset.source = name, replace(source, sample_rows=len(frame))
    dataset.notices = [*notices, *dataset.notices]
    return dataset
