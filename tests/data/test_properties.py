"""Property tests: the CSV reader round-trips any table, inference never crashes.

Hypothesis draws tables, delimiters and encodings; each property must hold for all of them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinkerlab.data import Role, Task, infer_schema, infer_task, load, read_source
from tinkerlab.data._readers import inspect_file
from tinkerlab.data._sniff import DELIMITERS
from tinkerlab.exceptions import DatasetError, SchemaError

Replay = Callable[..., pd.DataFrame]
ROLES = set(get_args(Role))
TASKS = set(get_args(Task))
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252"]
# Letters without n, t, f, i, l, u: no value can spell a token pandas reads specially
# ("nan", "null", "true", "inf"...). Accented letters exercise the encodings; the
# delimiters and the quote exercise CSV quoting.
WORD_ALPHABET = 'abcdeghkmoprswxyzéüßÄ ,;|"\t'
# No example database: the suite leaves no .hypothesis/ folder behind.
FILE_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@st.composite
def tables(draw: st.DrawFn) -> pd.DataFrame:
    """A table of 1-12 rows and 2-4 columns of integers, floats or words, some cells empty."""
    n_rows = draw(st.integers(1, 12))
    names = draw(st.lists(st.text("abcdeghkm", min_size=1, max_size=6), min_size=2, max_size=4,
                          unique=True))  # fmt: skip
    columns: dict[str, list[Any]] = {}
    for name in names:
        kind = draw(st.sampled_from(["int", "float", "word"]))
        value: st.SearchStrategy[Any] = {
            "int": st.integers(-(10**9), 10**9),
            "float": st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
            "word": st.text(WORD_ALPHABET, min_size=1, max_size=12).filter(
                lambda s: s.strip() != "" and s == s.strip()
            ),
        }[kind]
        cells = st.one_of(st.none(), value) if draw(st.booleans()) else value
        columns[name] = draw(st.lists(cells, min_size=n_rows, max_size=n_rows))
    return pd.DataFrame(columns)


@FILE_SETTINGS
@given(frame=tables(), delimiter=st.sampled_from(DELIMITERS), encoding=st.sampled_from(ENCODINGS))
def test_any_csv_reads_back_equal_and_replays(
    frame: pd.DataFrame, delimiter: str, encoding: str, replay: Replay
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "drawn.csv"
        frame.to_csv(path, sep=delimiter, encoding=encoding, index=False)
        source, notices = inspect_file(path)
        assert source.read_options.get("sep", ",") == delimiter
        got = read_source(source)
        # CSV has no typed empty cell: a column with no value at all reads back as floats.
        expected = frame.apply(lambda c: c.astype("float64") if c.isna().all() else c)
        pd.testing.assert_frame_equal(
            got, expected, check_dtype=False, check_column_type=False, check_exact=False, rtol=1e-9
        )
        pd.testing.assert_frame_equal(replay(source), got)
        if notices:  # the only notice a small text file can get is the encoding fallback
            assert encoding == "cp1252"
            assert "cp1252" in notices[0]


@st.composite
def messy_frames(draw: st.DrawFn) -> pd.DataFrame:
    """Any small frame: numbers with inf and NaN, free text, booleans, dates, None."""
    n_rows = draw(st.integers(1, 30))
    n_cols = draw(st.integers(1, 5))
    columns: dict[str, Any] = {}
    for i in range(n_cols):
        cell = draw(
            st.sampled_from(
                [
                    st.integers(-5, 5),
                    st.integers(),
                    st.floats(),
                    st.text(max_size=30),
                    st.sampled_from(["a", "b", "c"]),
                    st.booleans(),
                    st.dates().map(str),
                    st.one_of(st.integers(0, 9).map(str), st.just("x")),
                ]
            )
        )
        if draw(st.booleans()):
            cell = st.one_of(st.none(), cell)
        columns[f"c{i}"] = draw(st.lists(cell, min_size=n_rows, max_size=n_rows))
    return pd.DataFrame(columns)


@settings(max_examples=150, deadline=None, database=None)
@given(frame=messy_frames(), data=st.data())
def test_inference_gives_every_column_exactly_one_role(
    frame: pd.DataFrame, data: st.DataObject
) -> None:
    target = data.draw(st.one_of(st.none(), st.sampled_from(list(frame.columns))))
    try:
        columns = infer_schema(frame, target)
    except SchemaError:
        return  # inf or mixed types: refused with a message, which is allowed
    assert list(columns) == list(frame.columns)
    for name, info in columns.items():
        assert info.name == name
        assert info.role in ROLES
        assert (info.role == "target") == (name == target)
        assert info.reason
        assert 0 <= info.n_missing <= len(frame)


@settings(max_examples=150, deadline=None, database=None)
@given(frame=messy_frames(), data=st.data())
def test_load_either_succeeds_consistently_or_explains(
    frame: pd.DataFrame, data: st.DataObject
) -> None:
    target = data.draw(st.sampled_from(list(frame.columns)))
    try:
        ds = load(frame, target=target)
    except DatasetError:
        return  # refused with a message (DatasetError or SchemaError), never another exception
    assert ds.task in TASKS
    assert ds.frame[target].notna().all()
    assert ds.features()
    assert target not in ds.features()
    assert [c.role for c in ds.columns.values()].count("target") == 1


@settings(max_examples=150, deadline=None, database=None)
@given(
    values=st.one_of(
        st.lists(st.integers(-50, 50), min_size=1, max_size=60),
        st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=60),
        st.lists(st.text(min_size=1, max_size=5), min_size=1, max_size=60),
        st.lists(st.booleans(), min_size=1, max_size=60),
    )
)
def test_task_inference_always_answers(values: list[Any]) -> None:
    task, reason = infer_task(pd.Series(values, name="y"))
    assert task in TASKS
    assert reason
    dtype = pd.Series(values).dtype
    if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        assert task == "classification"
