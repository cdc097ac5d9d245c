"""Reading files: every format, the sniffed options, sampling, and replaying as code."""

from __future__ import annotations

import gzip
import importlib.util
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from tinkerlab.data import Source, _readers, load, read_source, reading_code
from tinkerlab.data._budget import default_max_bytes, parse_size
from tinkerlab.data._readers import inspect_file
from tinkerlab.exceptions import DatasetError

Replay = Callable[..., pd.DataFrame]
Write = Callable[[str, str | bytes], Path]


def _write_format(frame: pd.DataFrame, path: Path) -> Path:
    """Write *frame* in the format *path*'s extension names."""
    name = path.name
    if name.endswith((".csv", ".csv.gz")):
        frame.to_csv(path, index=False)
    elif name.endswith(".tsv"):
        frame.to_csv(path, index=False, sep="\t")
    elif name.endswith(".txt"):
        frame.to_csv(path, index=False, sep=";")
    elif name.endswith(".parquet"):
        frame.to_parquet(path, index=False)
    elif name.endswith((".jsonl", ".ndjson")):
        frame.to_json(path, orient="records", lines=True)
    elif name.endswith(".json"):
        frame.to_json(path, orient="records")
    elif name.endswith(".xlsx"):
        frame.to_excel(path, index=False, sheet_name="people")
    else:  # pragma: no cover - a test asked for a format this helper does not write
        raise AssertionError(name)
    return path


FILES = [
    "people.csv",
    "people.csv.gz",
    "people.tsv",
    "people.txt",
    "people.parquet",
    "people.jsonl",
    "people.ndjson",
    "people.json",
    "people.xlsx",
]


@pytest.mark.parametrize("name", FILES)
def test_every_format_reads_and_replays(
    name: str, tmp_path: Path, people: pd.DataFrame, replay: Replay
) -> None:
    path = _write_format(people, tmp_path / name)
    ds = load(path, target="bought")
    assert ds.source.kind == "file"
    assert ds.source.name == name
    assert ds.name == "people"
    assert ds.frame.shape == people.shape
    pd.testing.assert_frame_equal(ds.frame, people, check_dtype=False, check_column_type=False)
    pd.testing.assert_frame_equal(replay(ds.source), read_source(ds.source))
    pd.testing.assert_frame_equal(replay(ds.source, ds), ds.frame)
    assert ds.task == "classification"
    assert ds.features() == ["age", "income", "city"]


def test_sniffed_options_are_recorded(write: Write) -> None:
    path = write("semi.csv", "a;b;c\n1;2;x\n3;4;y\n")
    source, notices = inspect_file(path)
    assert source.read_options == {"sep": ";"}
    assert notices == []
    assert 'sep=";"' in reading_code(source)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_found(delimiter: str, write: Write) -> None:
    text = delimiter.join(["x", "y", "label"]) + "\n"
    text += "".join(delimiter.join([str(i), f"{i / 3:.3f}", "ab"[i % 2]]) + "\n" for i in range(9))
    frame = read_source(inspect_file(write("d.csv", text))[0])
    assert list(frame.columns) == ["x", "y", "label"]
    assert len(frame) == 9


def test_quoted_delimiters_do_not_fool_the_sniffer(write: Write) -> None:
    text = 'name,comment,score\n"Smith, Ann","fine; really | ok",3\n"Lee, Bo","so-so; meh",4\n'
    frame = read_source(inspect_file(write("q.csv", text))[0])
    assert frame["name"].tolist() == ["Smith, Ann", "Lee, Bo"]


def test_utf8_bom_and_utf16_are_read(write: Write, replay: Replay) -> None:
    text = "name,city,n\nJosé,Zürich,1\nAnn,Köln,2\n"
    for name, data, codec in [
        ("bom.csv", text.encode("utf-8-sig"), "utf-8-sig"),
        ("u16.csv", text.encode("utf-16"), "utf-16"),
    ]:
        source, notices = inspect_file(write(name, data))
        assert source.read_options["encoding"] == codec
        assert notices == []
        frame = read_source(source)
        assert list(frame.columns) == ["name", "city", "n"]
        assert frame["city"].tolist() == ["Zürich", "Köln"]
        pd.testing.assert_frame_equal(replay(source), frame)


def test_cp1252_is_read_with_a_notice(write: Write, replay: Replay) -> None:
    cities = ["Z\u00fcrich", "K\u00f6ln", "S\u00e8te"]
    rows = "".join(f"{i * 1.5},{cities[i % 3]},{i % 2}\n" for i in range(30))
    path = write("win.csv", ("size,city,label\n" + rows).encode("cp1252"))
    ds = load(path, target="label", task="classification")
    assert ds.frame["city"].iloc[0] == "Zürich"
    assert ds.source.read_options["encoding"] == "cp1252"
    notice = next(n for n in ds.notices if "cp1252" in n)
    assert "encoding='latin-1'" in notice  # the fix, worded for Python
    assert "0xfc" in notice
    pd.testing.assert_frame_equal(replay(ds.source), read_source(ds.source))


def test_explicit_encoding_and_sep_are_used_as_given(write: Write) -> None:
    path = write("latin.txt", "a|b\n\u00e9|1\n\u00e8|2\n".encode("latin-1"))
    source, notices = inspect_file(path, encoding="latin-1", sep="|")
    assert source.read_options == {"sep": "|", "encoding": "latin-1"}
    assert notices == []
    assert read_source(source)["a"].tolist() == ["é", "è"]


@pytest.mark.parametrize("typed", ["\\t", "tab", "\t"])
def test_tab_can_be_typed_on_a_command_line(typed: str, write: Write) -> None:
    source, _ = inspect_file(write("t.tsv", "a\tb\n1\t2\n"), sep=typed)
    assert source.read_options == {"sep": "\t"}


def test_gzip_csv_is_sniffed_inside(tmp_path: Path) -> None:
    path = tmp_path / "g.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("a;b\n1;2\n3;4\n")
    source, _ = inspect_file(path)
    assert source.read_options == {"sep": ";"}
    assert read_source(source).shape == (2, 2)


def test_json_lines_named_json_are_detected(write: Write) -> None:
    path = write("lines.json", '{"a": 1, "b": "x"}\n{"a": 2, "b": "y"}\n')
    source, notices = inspect_file(path)
    assert source.read_options == {"lines": True}
    assert any(".jsonl" in n for n in notices)
    assert read_source(source)["b"].tolist() == ["x", "y"]


def test_excel_sheets(tmp_path: Path, people: pd.DataFrame, replay: Replay) -> None:
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        people.to_excel(writer, sheet_name="first", index=False)
        people.head(10).to_excel(writer, sheet_name="second", index=False)
    source, notices = inspect_file(path)
    assert source.read_options == {"sheet_name": "first"}
    assert any("2 sheets" in n and "pass sheet to pick another" in n for n in notices)
    for sheet in ("second", 1, "1"):
        chosen, _ = inspect_file(path, sheet=sheet)
        assert chosen.read_options == {"sheet_name": "second"}
        assert len(read_source(chosen)) == 10
        pd.testing.assert_frame_equal(replay(chosen), read_source(chosen))
    with pytest.raises(DatasetError, match=r"no sheet 'secnd'.*Did you mean 'second'"):
        inspect_file(path, sheet="secnd")
    with pytest.raises(DatasetError, match="no sheet number 5"):
        inspect_file(path, sheet=5)


@pytest.mark.skipif(importlib.util.find_spec("xlrd") is not None, reason="xlrd is installed")
def test_xls_without_xlrd_says_what_to_install(write: Write) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the signature of old .xls files
    path = write("old.xls", ole + b"\x00" * 504)
    with pytest.raises(DatasetError, match="xlrd"):
        load(path, target="x")


# --------------------------------------------------------------------------- sampling


def _big_csv(tmp_path: Path, rows: int = 1000) -> Path:
    frame = pd.DataFrame(
        {
            "x": range(rows),
            "noise": [(i * 37) % 101 / 7 for i in range(rows)],
            "y": [i % 3 for i in range(rows)],
        }
    )
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False)
    return path


def test_large_csv_is_sampled_with_a_notice_and_replays(
    tmp_path: Path, replay: Replay, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_readers, "CHUNK_ROWS", 150)  # several chunks, each its own seed
    path = _big_csv(tmp_path)
    size = path.stat().st_size
    ds = load(path, target="y", max_bytes=int(size * 3 * 0.1) + 1)
    src = ds.source
    assert src.sample_fraction == pytest.approx(0.1)
    assert src.sample_chunksize == 150
    assert src.sample_rows == len(ds.frame)
    assert 80 <= len(ds.frame) <= 120
    assert ds.frame["x"].is_monotonic_increasing  # file order is kept
    notice = next(n for n in ds.notices if "sample" in n)
    for part in ("big.csv", "10 %", "seed 0", "--max-bytes"):
        assert part in notice
    pd.testing.assert_frame_equal(replay(src), read_source(src))
    pd.testing.assert_frame_equal(read_source(src), read_source(src))  # the same rows again
    assert "chunksize=150" in reading_code(src)


def test_large_parquet_is_sampled_and_replays(tmp_path: Path, replay: Replay) -> None:
    path = tmp_path / "big.parquet"
    pd.read_csv(_big_csv(tmp_path)).to_parquet(path)
    ds = load(path, target="y", max_bytes=path.stat().st_size * 3)
    assert ds.source.sample_fraction == pytest.approx(0.5)
    assert ds.source.sample_chunksize is None
    pd.testing.assert_frame_equal(replay(ds.source), ds.frame)


def test_max_bytes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TINKERLAB_MAX_BYTES", "1.5K")
    assert default_max_bytes() == 1536
    monkeypatch.setenv("TINKERLAB_MAX_BYTES", "lots")
    with pytest.raises(DatasetError, match="TINKERLAB_MAX_BYTES"):
        default_max_bytes()
    monkeypatch.delenv("TINKERLAB_MAX_BYTES")
    assert default_max_bytes() > 0


def test_parse_size() -> None:
    assert parse_size("2G") == 2 * 1024**3
    assert parse_size("500mb") == 500 * 1024**2
    assert parse_size("1048576") == 1048576
    with pytest.raises(DatasetError, match="K, M, G"):
        parse_size("two gigs")


def test_non_positive_max_bytes_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="max_bytes=0 must be a positive"):
        load(_big_csv(tmp_path), target="y", max_bytes=0)


# --------------------------------------------------------------------------- code


def test_reading_code_is_plain_pandas(tmp_path: Path) -> None:
    source = Source("file", "my data.csv", str(tmp_path / "my data.csv"), "csv", {"sep": "\t"})
    code = reading_code(source, var="df")
    assert code == f'df = pd.read_csv("{tmp_path / "my data.csv"}", sep="\\t")\n'
    builtin = load("iris").source
    assert reading_code(builtin).startswith("# the built-in 'iris' dataset")


def test_frames_cannot_be_read_again(people: pd.DataFrame) -> None:
    ds = load(people, target="bought")
    assert (ds.source.kind, ds.source.format) == ("frame", "frame")
    assert len(ds.source.sha256) == 64
    with pytest.raises(DatasetError, match="to_parquet"):
        reading_code(ds.source)
    with pytest.raises(DatasetError, match="in-memory"):
        read_source(ds.source)


def test_frame_fingerprint_follows_the_content(people: pd.DataFrame) -> None:
    first = load(people, target="bought").source.sha256
    assert load(people.copy(), target="bought").source.sha256 == first
    changed = people.assign(age=people["age"] + 1)
    assert load(changed, target="bought").source.sha256 != first


def test_frame_is_copied_and_names_become_strings(people: pd.DataFrame) -> None:
    numbered = people.copy()
    numbered.columns = pd.Index([0, 1, 2, "bought"])
    ds = load(numbered, target="bought")
    assert list(ds.frame.columns) == ["0", "1", "2", "bought"]
    assert list(numbered.columns) == [0, 1, 2, "bought"]
    assert any("strings" in n for n in ds.notices)
