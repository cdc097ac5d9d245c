"""Tables at 80 columns: every line fits and no word is cut in half (issue 12.8)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tinkerlab.cli import _output


@pytest.fixture
def narrow(cli: Any) -> Any:
    """The cli fixture with its console set to a classic 80-column terminal."""
    _output.console.width = 80
    return cli


def _words(out: str) -> set[str]:
    """Every word inside the table's cells (box-drawing and padding removed)."""
    cells = re.split(r"[│┃┏┓┗┛┡┩━─┳┻╇╈┣┫\n]", out)
    return {word for cell in cells for word in cell.split()}


@pytest.mark.parametrize(
    ("args", "whole"),
    [
        (("datasets",), {"titanic", "classification", "house_prices"}),
        (("models",), {"logistic_regression", "gradient_boosting", "random_forest"}),
        (("scratch", "list"), {"logistic_regression", "random_forest_classifier", "KMeans"}),
    ],
)
def test_a_table_fits_80_columns_without_splitting_words(narrow, args, whole):
    result = narrow(*args)
    assert result.code == 0, result.err
    assert max(len(line) for line in result.out.splitlines()) <= 80
    words = _words(result.out)
    assert whole <= words, whole - words  # each name printed in one piece


def test_the_journal_lists_whole_names_and_scores_at_80_columns(narrow, tmp_path):
    db = f"sqlite:///{tmp_path / 'journal.db'}"
    for model in ("logistic_regression", "knn"):
        assert narrow("run", "iris", "--model", model, "--db", db).code == 0
    # a file of the learner's own, deep in folders, with a long name
    deep = tmp_path / "projects" / "churn" / "data" / "exports"
    deep.mkdir(parents=True)
    own = deep / "customer_churn_export_2026_final_version_3.csv"
    rows = "".join(f"{i * 7 % 11},{i % 5},{'ab'[i % 2]}\n" for i in range(60))
    own.write_text("x,z,label\n" + rows)
    assert narrow("run", str(own), "--target", "label", "--db", db).code == 0
    result = narrow("journal", "--db", db)
    assert result.code == 0, result.err
    assert max(len(line) for line in result.out.splitlines()) <= 80
    words = _words(result.out)
    assert {"1", "2", "3"} <= words  # every run's id, which `journal show ID` takes
    assert {"logistic_regression", "knn", "iris"} <= words
    assert "…final_version_3.csv" in words  # the file by the end of its name
    assert len(re.findall(r"│ +0\.\d{4} ± 0\.\d{4} │ +0\.\d{4} │", result.out)) == 3  # whole
    assert "too narrow for: when (UTC), metric, baseline; --json has them" in result.out


def test_columns_that_must_stay_fold_the_widest_rather_than_lose_the_edge():
    from rich.console import Console

    from tinkerlab.cli._tables import Column, fitted

    columns = [Column("id"), Column("name"), Column("score", justify="right")]
    rows = [["1", "a_name_far_too_long_for_any_terminal_" * 3, "0.9500"], ["2", "b", "0.9"]]
    console = Console(width=80, record=True)
    console.print(fitted(columns, rows, width=80))
    text = console.export_text()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert all(line.endswith(("┓", "┃", "┩", "│", "┘")) for line in lines if line.strip())
    assert "0.9500" in text  # the last column is still there, whole
