"""Budgets: when a file is sampled, what the notice says, progress while reading, and the
files that are refused at once (small files, tiny budgets; one real 200 MB file, slow)."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tinkerlab as tl
from tinkerlab.data import load, read_source
from tinkerlab.data._budget import default_max_rows, plan_sample
from tinkerlab.data._readers import inspect_file
from tinkerlab.exceptions import DatasetError

Calls = list[tuple[str, int, int]]


def _table(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "x": np.arange(rows),
            "z": rng.normal(size=rows).round(3),
            "city": rng.choice(["Paris", "Lyon", "Nice"], size=rows),
            "y": rng.choice(["yes", "no"], size=rows),
        }
    )


def test_a_file_over_the_row_budget_is_sampled_with_the_rows_in_the_notice(
    tmp_path: Path, replay: object
) -> None:
    path = tmp_path / "long.csv"
    _table(300).to_csv(path, index=False)
    ds = load(path, target="y", max_rows=100)
    assert ds.source.sample_fraction == pytest.approx(0.33)
    assert 70 <= len(ds.frame) <= 130
    assert ds.frame["x"].is_monotonic_increasing  # file order kept
    notice = next(n for n in ds.notices if "sample" in n)
    assert notice.startswith("long.csv has 300 rows, over the 100-row limit; read a random 33 %")
    assert "TINKERLAB_MAX_ROWS" in notice
    pd.testing.assert_frame_equal(replay(ds.source), ds.frame)  # the script reads the same rows


def test_the_row_budget_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "long.csv"
    _table(300).to_csv(path, index=False)
    monkeypatch.setenv("TINKERLAB_MAX_ROWS", "150")
    assert default_max_rows() == 150
    assert load(path, target="y").source.sample_fraction == pytest.approx(0.5)
    monkeypatch.setenv("TINKERLAB_MAX_ROWS", "0")
    assert default_max_rows() is None
    assert len(load(path, target="y").frame) == 300
    assert len(load(path, target="y", max_rows=0).frame) == 300
    monkeypatch.setenv("TINKERLAB_MAX_ROWS", "lots")
    with pytest.raises(DatasetError, match="TINKERLAB_MAX_ROWS"):
        load(path, target="y")
    with pytest.raises(DatasetError, match="max_rows=-5"):
        load(path, target="y", max_rows=-5)


def test_compressed_rows_are_counted_decompressed(tmp_path: Path) -> None:
    path = tmp_path / "long.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        _table(300).to_csv(stream, index=False)
    source, notices = inspect_file(path, max_rows=30)
    assert source.sample_fraction == pytest.approx(0.1)
    assert any("has 300 rows" in n for n in notices)


def test_the_memory_budget_names_the_rows_too(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    _table(300).to_csv(path, index=False)
    size = path.stat().st_size
    source, notices = inspect_file(path, max_bytes=int(size * 3 * 0.5) + 1)
    assert source.sample_fraction == pytest.approx(0.5)
    assert "of its 300 rows — pass max_bytes=/--max-bytes" in notices[0]


def test_the_smaller_share_wins() -> None:
    both = {"rows": 1_000_000, "max_bytes": 10 * 2**20, "max_rows": 100_000}
    sample = plan_sample("big.csv", 100 * 2**20, "csv", **both)  # memory: 1/30, rows: 1/10
    assert sample is not None
    assert sample.fraction == pytest.approx(0.033)
    assert "in memory" in sample.notice


def test_an_excel_file_over_the_memory_budget_stops_at_once_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    _table(50).to_excel(path, index=False)
    with pytest.raises(DatasetError, match=r"cannot be read in parts.*save it as CSV"):
        load(path, target="y", max_bytes=1000)


def test_progress_is_reported_while_fingerprinting_and_reading(tmp_path: Path) -> None:
    path = tmp_path / "long.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        _table(3000).to_csv(stream, index=False)
    calls: Calls = []
    ds = load(path, target="y", progress=lambda *call: calls.append(call))
    size = path.stat().st_size
    phases = {what for what, _, _ in calls}
    assert phases == {"fingerprinting long.csv.gz", "reading long.csv.gz"}
    assert calls[-1] == ("reading long.csv.gz", size, size)
    assert all(0 < done <= total == size for _, done, total in calls)
    # Reading through the counted stream gives the very frame the path gives.
    pd.testing.assert_frame_equal(ds.frame, read_source(ds.source))


def test_a_run_tells_how_far_its_cross_validation_got() -> None:
    steps: list[str] = []
    run = tl.run("iris", model="knn", cv=3, record=False, progress=steps.append)
    folds = [s for s in steps if "fold" in s]
    assert folds == [f"cross-validating knn: fold {i} of 3" for i in (1, 2, 3)]
    assert len(run.summary["folds"]["accuracy"]) == 3


@pytest.mark.slow
def test_a_200_mb_csv_under_the_default_budget_is_sampled_with_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TINKERLAB_MAX_BYTES", raising=False)
    monkeypatch.delenv("TINKERLAB_MAX_ROWS", raising=False)
    path = tmp_path / "big.csv"
    block = _table(100_000).to_csv(index=False).encode()
    header, body = block.split(b"\n", 1)
    with path.open("wb") as stream:
        stream.write(header + b"\n")
        while stream.tell() < 200 * 2**20:
            stream.write(body)
    try:
        rows = sum(1 for _ in path.open("rb")) - 1
        calls: Calls = []
        ds = load(path, target="y", progress=lambda *call: calls.append(call))
        notice = next(n for n in ds.notices if "sample" in n)
        assert f"has {rows:,} rows, over the 100,000-row limit" in notice
        assert 80_000 <= len(ds.frame) <= 120_000
        size = path.stat().st_size
        assert calls[-1] == ("reading big.csv", size, size)
        assert sum(what.startswith("reading") for what, _, _ in calls) > 100  # each MiB
    finally:
        path.unlink()
