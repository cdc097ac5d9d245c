"""Every way a file or table can be unusable: one paragraph that names the cause and the fix.

Each test builds the smallest file that shows one problem, checks the error's type, and
checks the message names the offending value and the remedy, as ``tinkerlab run`` words
it (a command-line flag: the ``cli`` fixture; ``test_schema.py`` checks the other surfaces).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tinkerlab.data import load
from tinkerlab.exceptions import DatasetError, SchemaError, UsageError

Write = Callable[[str, str | bytes], Path]
Replay = Callable[..., pd.DataFrame]

pytestmark = pytest.mark.usefixtures("cli")


def _csv(header: str, rows: list[str]) -> str:
    return header + "\n" + "\n".join(rows) + "\n"


def _numbers(n: int = 30) -> list[str]:
    """Rows "x,label" with a varied feature and two classes."""
    return [f"{i * 1.5},{'ab'[i % 2]}" for i in range(n)]


def test_errors_are_usage_errors_with_exit_code_2() -> None:
    assert issubclass(SchemaError, DatasetError)
    assert issubclass(DatasetError, UsageError)
    assert issubclass(DatasetError, ValueError)
    assert DatasetError.exit_code == 2


# --------------------------------------------------------------------------- the file itself


def test_missing_file_suggests_a_near_name(write: Write) -> None:
    existing = write("sales.csv", _csv("x,label", _numbers()))
    with pytest.raises(DatasetError, match=r"No file 'sale.csv'.*Did you mean 'sales.csv'"):
        load(existing.parent / "sale.csv", target="label")


def test_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="does not exist"):
        load(tmp_path / "nowhere" / "data.csv", target="label")


def test_directory_is_not_a_file(tmp_path: Path, write: Write) -> None:
    write("inside.csv", _csv("x,label", _numbers()))
    with pytest.raises(DatasetError, match=r"is a directory.*'inside.csv'"):
        load(tmp_path, target="label")


def test_unsupported_extension_lists_the_supported(write: Write) -> None:
    with pytest.raises(DatasetError, match=r"'.xml' is not a format.*\.csv.*rename"):
        load(write("data.xml", "<rows/>"), target="label")


def test_empty_file(write: Write) -> None:
    with pytest.raises(DatasetError, match=r"empty \(0 bytes\)"):
        load(write("empty.csv", b""), target="label")


def test_blank_lines_only(write: Write) -> None:
    with pytest.raises(DatasetError, match="no text"):
        load(write("blank.csv", "\n\n  \n"), target="label")


def test_header_without_rows(write: Write) -> None:
    with pytest.raises(DatasetError, match=r"header \(3 columns: 'a', 'b', 'c'\).*no data rows"):
        load(write("head.csv", "a,b,c\n"), target="c")


def test_unknown_delimiter_asks_for_sep(write: Write) -> None:
    path = write("colon.csv", _csv("a:b:label", [f"{i}:{i * 2}:{i % 2}" for i in range(10)]))
    with pytest.raises(DatasetError, match=r"single column.*':'.*--sep :;"):
        load(path, target="label")
    ds = load(path, target="label", sep=":")  # the fix works
    assert list(ds.frame.columns) == ["a", "b", "label"]


def test_binary_file(write: Write) -> None:
    with pytest.raises(DatasetError, match=r"NUL bytes.*--encoding utf-16"):
        load(write("blob.csv", b"PK\x03\x04\x00\x00\x08\x00" * 20), target="label")


def test_undecodable_bytes(write: Write) -> None:
    with pytest.raises(DatasetError, match=r"byte 0x81 at position 4.*--encoding"):
        load(write("bad.csv", b"a,b\n\x81\x8d,1\n"), target="b")


def test_wrong_explicit_encoding(write: Write) -> None:
    path = write("u16.csv", "a,b\n1,2\n".encode("utf-16-le"))
    with pytest.raises(DatasetError, match="not an encoding"):
        load(path, target="b", encoding="klingon")


def test_duplicate_column_names_are_named_before_pandas_renames_them(write: Write) -> None:
    path = write("dup.csv", _csv("price,size,price,label", ["1,2,3,a", "4,5,6,b"]))
    with pytest.raises(DatasetError, match=r"'price' at columns 1, 3"):
        load(path, target="label")


def test_duplicate_columns_in_a_frame() -> None:
    frame = pd.DataFrame([[1, 2, 3]], columns=["a", "a", "b"])
    with pytest.raises(DatasetError, match="duplicate column names: 'a'"):
        load(frame, target="b")


def test_options_that_do_not_fit_the_format(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}).to_parquet(path)
    with pytest.raises(DatasetError, match="--sep"):
        load(path, target="b", sep=";")
    with pytest.raises(DatasetError, match="--sheet"):
        load(path, target="b", sheet="one")
    with pytest.raises(DatasetError, match="--encoding"):
        load(path, target="b", encoding="utf-8")


def test_broken_parquet(write: Write) -> None:
    with pytest.raises(DatasetError, match="could not be read as Parquet"):
        load(write("broken.parquet", b"PAR1 not really"), target="b")


def test_ragged_csv_points_at_the_line(write: Write) -> None:
    path = write("ragged.csv", _csv("a,b,label", ["1,2,x", "3,4,y", "5,6,z,extra,more"]))
    with pytest.raises(DatasetError, match=r"could not be read as CSV.*line 4.*--sep"):
        load(path, target="label")


def test_wrong_source_type() -> None:
    with pytest.raises(DatasetError, match="built-in name, a file path or a pandas DataFrame"):
        load(42)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the target


def test_files_need_a_target(write: Write) -> None:
    with pytest.raises(DatasetError, match=r"--target.*'x', 'label'"):
        load(write("t.csv", _csv("x,label", _numbers())))


def test_target_typo_with_a_trailing_space(write: Write) -> None:
    path = write("t.csv", _csv("Survived,Age", ["1,22", "0,38"]))
    with pytest.raises(
        SchemaError, match=r"Column 'Survived ' not found.*Did you mean 'Survived'\?.*--target"
    ):
        load(path, target="Survived ")


def test_target_typo_gets_the_closest_names(write: Write) -> None:
    path = write("t.csv", _csv("survived,age", ["yes,22", "no,38"]))
    with pytest.raises(SchemaError, match=r"Did you mean 'survived'\?.*Columns: 'survived', 'age'"):
        load(path, target="Survivd")


def test_target_all_missing(write: Write) -> None:
    path = write("t.csv", _csv("x,label", [f"{i}," for i in range(5)]))
    with pytest.raises(SchemaError, match=r"'label' is empty in all 5 rows"):
        load(path, target="label")


def test_rows_with_missing_target_are_dropped_and_replayed(write: Write, replay: Replay) -> None:
    rows = _numbers(30)
    rows[3] = "4.5,"
    rows[17] = "25.5,"
    ds = load(write("t.csv", _csv("x,label", rows)), target="label")
    assert len(ds.frame) == 28
    assert ds.source.missing_target_rows == 2
    assert any("Dropped 2 of 30 rows" in n for n in ds.notices)
    pd.testing.assert_frame_equal(replay(ds.source, ds), ds.frame)
    assert ds.frame.index.equals(pd.RangeIndex(28))


def test_single_class(write: Write) -> None:
    path = write("t.csv", _csv("x,label", [f"{i},yes" for i in range(10)]))
    with pytest.raises(SchemaError, match=r"single class, 'yes', in all 10 rows.*--target"):
        load(path, target="label")


def test_constant_regression_target(write: Write) -> None:
    path = write("t.csv", _csv("x,price", [f"{i},9.5" for i in range(10)]))
    with pytest.raises(SchemaError, match="nothing to predict"):
        load(path, target="price", task="regression")


def test_classification_of_a_continuous_target_suggests_regression(write: Write) -> None:
    path = write("t.csv", _csv("x,price", [f"{i},{i * 1.5 + 0.25}" for i in range(40)]))
    with pytest.raises(SchemaError, match=r"40 distinct non-integer numbers.*--task regression"):
        load(path, target="price", task="classification")


def test_regression_of_strings_suggests_classification(write: Write) -> None:
    with pytest.raises(SchemaError, match=r"holds strings.*--task classification"):
        load(write("t.csv", _csv("x,label", _numbers())), target="label", task="regression")


def test_unknown_task(write: Write) -> None:
    with pytest.raises(DatasetError, match=r"--task clustering is.*'classification', 'regression'"):
        load(write("t.csv", _csv("x,label", _numbers())), target="label", task="clustering")


def test_infinite_target(write: Write) -> None:
    rows = [f"{i},{i * 2.5}" for i in range(30)]
    rows[7] = "7,inf"
    with pytest.raises(SchemaError, match=r"'y' holds 1 infinite value.*row 7"):
        load(write("t.csv", _csv("x,y", rows)), target="y")


# --------------------------------------------------------------------------- feature columns


def test_infinity_in_a_numeric_column(write: Write) -> None:
    rows = _numbers(30)
    rows[5] = "inf,b"
    rows[9] = "-inf,b"
    with pytest.raises(SchemaError, match=r"Column 'x' holds 2 infinite.*first in row 5.*--drop x"):
        load(write("t.csv", _csv("x,label", rows)), target="label")


def test_infinity_in_a_dropped_column_is_fine(write: Write) -> None:
    rows = [f"{i % 7},{'inf' if i == 3 else i},{'ab'[i % 2]}" for i in range(30)]
    ds = load(write("t.csv", _csv("x,z,label", rows)), target="label", drop=["z"])
    assert ds.columns["z"].role == "ignored"


def test_mixed_types_name_the_column_count_and_examples(write: Write) -> None:
    rows = [f"{i * 1.25},{'ab'[i % 2]}" for i in range(40)]
    rows[4] = "n/k,a"
    rows[11] = "?,b"
    with pytest.raises(SchemaError) as caught:
        load(write("t.csv", _csv("weight,label", rows)), target="label")
    message = str(caught.value)
    assert "Column 'weight' is mostly numbers, but 2 of its 40 values are not" in message
    assert "'n/k', '?'" in message
    assert "first in row 4" in message
    assert "--categorical weight" in message
    assert "If '?' means 'unknown', replace it with an empty cell" in message


def test_mixed_types_resolved_with_categorical(write: Write) -> None:
    rows = [f"{i * 1.25},{'ab'[i % 2]}" for i in range(40)]
    rows[4] = "n/k,a"
    ds = load(write("t.csv", _csv("weight,label", rows)), target="label", categorical="weight")
    assert ds.columns["weight"].role == "categorical"


def test_no_usable_features(write: Write) -> None:
    rows = [f"{i + 1},same,{'ab'[i % 2]}" for i in range(30)]
    with pytest.raises(
        SchemaError, match=r"No feature columns.*'PassengerId' is id; 'k' is constant"
    ):
        load(write("t.csv", _csv("PassengerId,k,label", rows)), target="label")


def test_ids_and_constants_are_dropped_with_notices_not_errors(write: Write) -> None:
    rows = [f"{i + 1},same,{i * 0.5},{'ab'[i % 2]}" for i in range(30)]
    ds = load(write("t.csv", _csv("PassengerId,k,x,label", rows)), target="label")
    assert ds.columns["PassengerId"].role == "id"
    assert ds.columns["k"].role == "constant"
    assert ds.features() == ["x"]
    notice = next(n for n in ds.notices if "PassengerId" in n)
    assert "--numeric PassengerId" in notice
    assert any("'k'" in n and "same value 'same'" in n for n in ds.notices)
    kept = load(write("t.csv", _csv("PassengerId,k,x,label", rows)), target="label",
                numeric=["PassengerId"])  # fmt: skip
    assert kept.columns["PassengerId"].role == "numeric"


def test_overrides_must_name_real_columns(write: Write) -> None:
    path = write("t.csv", _csv("x,label", _numbers()))
    with pytest.raises(SchemaError, match=r"--drop names column 'y'.*Columns: 'x', 'label'"):
        load(path, target="label", drop=["y"])
    with pytest.raises(SchemaError, match="is the target"):
        load(path, target="label", drop=["label"])
    with pytest.raises(SchemaError, match="both --drop and --numeric"):
        load(path, target="label", drop=["x"], numeric=["x"])


def test_forced_roles_must_fit_the_values(write: Write) -> None:
    rows = [f"{i},{['red', 'blue'][i % 2]},{'ab'[i % 3 % 2]}" for i in range(30)]
    path = write("t.csv", _csv("n,color,label", rows))
    with pytest.raises(SchemaError, match=r"--numeric color.*'red', 'blue'.*--categorical"):
        load(path, target="label", numeric=["color"])
    with pytest.raises(SchemaError, match=r"--text n.*holds numbers"):
        load(path, target="label", text=["n"])


def test_non_string_column_names_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "years.xlsx"
    pd.DataFrame({2019: [1.0, 2.0, 3.0], "label": ["a", "b", "a"]}).to_excel(path, index=False)
    with pytest.raises(DatasetError, match=r"not text: 2019.*'y2020'"):
        load(path, target="label")


def test_nested_values_are_ignored_with_a_notice() -> None:
    frame = pd.DataFrame(
        {"tags": [["a"], ["b", "c"]] * 10, "x": np.arange(20) % 7, "label": ["p", "q"] * 10}
    )
    ds = load(frame, target="label")
    assert ds.columns["tags"].role == "ignored"
    assert any("nested" in n for n in ds.notices)
