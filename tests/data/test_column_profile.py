"""Column profiles: the block computations give what pandas gives column by column.

``profile_one`` is the definition (plain pandas, one column); ``profile_columns`` measures
blocks of numbers and strings at once with NumPy. Hypothesis draws tables with missing
cells, signed zeros, infinities, repeated values, numbers and dates written as strings,
and tall tables that are cut into several blocks.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinkerlab.data import _profile
from tinkerlab.data._profile import Profile, profile_columns, profile_one

WORDS = ["red", "blue", "12", "3.5", "1e3", " 7 ", "2021-03-04", "04/03/2021", "a b c d e f g",
         "x", "oops", "", "  ", "naïve café", "-0", "inf"]  # fmt: skip

ints = st.integers(-(10**6), 10**6)
floats = st.one_of(
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, np.nan, np.inf, -np.inf, 1.5]),
)
strings = st.one_of(st.sampled_from(WORDS), st.text("abc 0123-/.", max_size=12), st.none())


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    """A table of 0-60 rows and 1-8 columns of ints, floats or strings (str dtype)."""
    n_rows = draw(st.integers(0, 60))
    columns: dict[str, Any] = {}
    for j in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["int", "float", "str", "sorted int"]))
        cells = {"int": ints, "sorted int": ints, "float": floats, "str": strings}[kind]
        values = draw(st.lists(cells, min_size=n_rows, max_size=n_rows))
        if kind == "sorted int":
            values = sorted(values)
        if kind == "str":
            columns[f"s{j}"] = pd.Series(values, dtype="str")
        else:
            columns[f"{kind[0]}{j}"] = np.array(values, dtype=float if kind == "float" else int)
    return pd.DataFrame(columns)


@settings(max_examples=150, deadline=None, database=None)
@given(frames())
def test_blocks_match_pandas_column_by_column(frame: pd.DataFrame) -> None:
    fast = profile_columns(frame)
    assert list(fast) == list(frame.columns)
    for name in frame.columns:
        assert fast[name] == profile_one(frame[name]), name


@settings(max_examples=30, deadline=None, database=None)
@given(frames())
def test_blocks_cut_into_single_columns_give_the_same(frame: pd.DataFrame) -> None:
    whole = profile_columns(frame)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_profile, "BLOCK_CELLS", 1)  # one column per block, as for a tall table
        assert profile_columns(frame) == whole


def test_other_dtypes_are_measured_one_by_one() -> None:
    frame = pd.DataFrame(
        {
            "flag": [True, False, True],
            "grade": pd.Categorical(["a", "b", "a"]),
            "count": pd.array([1, None, 3], dtype="Int64"),
            "when": pd.to_datetime(["2021-01-01", "2021-01-02", None]),
            "nested": [[1], [2], [3]],
        }
    )
    profiles = profile_columns(frame)
    assert profiles["count"] == Profile(
        n_rows=3, n=2, n_unique=2, first=1, low=1, high=3, smallest=(1, 3), increasing=True
    )
    assert profiles["nested"].nested == "list"
    assert profiles["when"].n == 2
    assert profiles["grade"].n_unique == 2


def test_strings_are_measured_over_their_first_values() -> None:
    frame = pd.DataFrame({"s": pd.Series(["a b"] * 1000 + ["one two three four"] * 500)})
    profile = profile_columns(frame)["s"]
    assert profile.mean_words == 2.0  # the first SAMPLE (1000) values only
    assert profile.examples == ("a b", "one two three four")
    assert profile == profile_one(frame["s"])
