"""Streaming a big file: the exact counts equal the in-memory look's, the sample is a
uniform sample of real rows, and the report says which numbers are sampled."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from look_frames import alerting_frame

from tinkerlab.report import _stream, look
from tinkerlab.report._stream import Moments

#: Moments merged over blocks vs computed at once: equal to this relative error.
RTOL = 1e-9


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=0, max_size=30),
        min_size=1,
        max_size=6,
    )
)
def test_moments_merged_block_by_block_equal_the_whole(blocks):
    m = Moments()
    for block in blocks:
        m.add(np.asarray(block, dtype=float))
    whole = pd.Series([x for block in blocks for x in block], dtype=float)
    assert m.n == len(whole)
    if len(whole) >= 3 and whole.std() > 1e-3 * (whole.abs().max() + 1):
        assert m.mean == pytest.approx(whole.mean(), rel=RTOL, abs=1e-9)
        assert m.std == pytest.approx(whole.std(), rel=1e-7)
        assert m.skew == pytest.approx(whole.skew(), rel=1e-5, abs=1e-6)


@pytest.fixture
def big(tmp_path, monkeypatch):
    """A 4,000-row CSV read in small blocks, sampled down to 500 rows."""
    frame = pd.concat([alerting_frame(seed=s) for s in range(10)], ignore_index=True)
    path = tmp_path / "big data.csv"
    frame.to_csv(path, index=False)
    monkeypatch.setattr(_stream, "BLOCK_BYTES", 64 * 1024)  # many blocks
    monkeypatch.setattr(_stream, "SAMPLE_ROWS", 500)
    return path, frame


def test_streamed_exact_counts_equal_the_in_memory_look(big):
    path, frame = big
    whole = look(path, target="churned", stream=False)
    streamed = look(path, target="churned", stream=True)
    assert streamed.rows == whole.rows == len(frame)
    assert streamed.duplicate_rows == whole.duplicate_rows == int(frame.duplicated().sum())
    assert streamed.target_counts == whole.target_counts
    for name in frame.columns:
        a, b = streamed.column(name), whole.column(name)
        assert (a.count, a.missing) == (b.count, b.missing), name
        if b.mean is not None and a.mean is not None:
            np.testing.assert_allclose(
                [a.mean, a.std, a.min, a.max, a.skew],
                [b.mean, b.std, b.min, b.max, b.skew],
                rtol=RTOL,
                err_msg=name,
            )
        if b.role == "categorical":
            assert (a.distinct, a.top) == (b.distinct, b.top), name
    patterns = {tuple(p["missing"]): p["rows"] for p in streamed.missing_patterns}
    assert patterns == {tuple(p["missing"]): p["rows"] for p in whole.missing_patterns}


def test_the_sample_is_real_rows_in_file_order_and_the_report_says_so(big):
    path, frame = big
    streamed = look(path, target="churned", stream=True)
    s = streamed.sampling
    assert s is not None
    assert (s.rows, s.of) == (500, 4000)
    assert {"quantiles", "histograms", "correlations"} <= set(s.what)
    from tinkerlab.data._readers import inspect_file

    sample = _stream.stream_counts(inspect_file(path)[0]).sample
    assert len(sample) == 500
    keys = _row_keys(frame)
    sample_keys = _row_keys(sample[frame.columns])
    assert sample_keys.isin(set(keys)).all()  # every sampled row is a row of the file
    assert "≈ sampled" in streamed.html()
    assert "500 of the 4,000 rows" in streamed.html()


def _row_keys(frame: pd.DataFrame) -> pd.Series:
    text = frame.apply(lambda col: col.map(lambda v: "" if pd.isna(v) else str(v)))
    return text.agg("|".join, axis=1)


def test_the_sample_is_uniform_over_the_file(tmp_path, monkeypatch):
    """Bottom-k sampling keeps each row with the same chance: the sample's share of the
    first half of the file is near one half (binomial: 3 standard deviations)."""
    path = tmp_path / "rows.csv"
    pd.DataFrame({"i": np.arange(20000), "y": np.arange(20000) % 2}).to_csv(path, index=False)
    monkeypatch.setattr(_stream, "BLOCK_BYTES", 16 * 1024)
    from tinkerlab.data._readers import inspect_file

    sample = _stream.stream_counts(inspect_file(path)[0], sample_rows=2000, seed=3).sample
    share = (sample["i"] < 10000).mean()
    assert abs(share - 0.5) < 3 * np.sqrt(0.25 / 2000)
    assert sample["i"].is_monotonic_increasing
    assert sample["i"].is_unique


def test_a_big_file_is_streamed_without_asking(big, monkeypatch):
    path, _ = big
    monkeypatch.setenv("TINKERLAB_LOOK_STREAM_BYTES", "1K")
    assert look(path, target="churned").sampling is not None


def test_parquet_streams_too(big, tmp_path):
    _, frame = big
    path = tmp_path / "big.parquet"
    frame.to_parquet(path)
    streamed = look(path, target="churned", stream=True)
    assert streamed.rows == len(frame)
    assert streamed.column("income").missing == int(frame["income"].isna().sum())


def test_an_excel_file_cannot_be_streamed(tmp_path):
    from tinkerlab.exceptions import DatasetError

    path = tmp_path / "t.xlsx"
    alerting_frame(n=20).to_excel(path, index=False)
    with pytest.raises(DatasetError, match="Only CSV and Parquet"):
        look(path, stream=True)
