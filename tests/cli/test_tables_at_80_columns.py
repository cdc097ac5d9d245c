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
    result = narrow("journal", "--db", db)
    assert result.code == 0, result.err
    assert max(len(line) for line in result.out.splitlines()) <= 80
    assert "…" not in result.out  # no cell cut short
    assert {"logistic_regression", "knn", "iris", "accuracy"} <= _words(result.out)
    assert re.search(r"│ 0\.\d{4} ± 0\.\d{4} │ 0\.\d{4} │", result.out)  # a score row, whole
    assert "too narrow for: when (UTC), baseline; --json has them" in result.out
