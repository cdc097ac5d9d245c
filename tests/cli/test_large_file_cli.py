"""A file over the budgets, through `tinkerlab run`: progress while reading, then a sample
with a notice that says so, instead of minutes of silence (issue 12).

The budgets are lowered (``TINKERLAB_MAX_ROWS``, ``--max-bytes``) so that a small file
takes the path a 200 MB CSV takes under the default budget; the literal 200 MB file is
``tests/data/test_budget.py``'s slow test, through the library.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tinkerlab.cli import _output

#: (what, bytes done, bytes in all), as the progress bar's reading callback receives them.
Calls = list[tuple[str, int, int]]


def _long_csv(path: Path, rows: int) -> Path:
    lines = [f"{i},{(i * 7) % 13},{'yes' if i % 3 else 'no'}" for i in range(rows)]
    path.write_text("size,weight,label\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def reading(monkeypatch: pytest.MonkeyPatch) -> Calls:
    """Record what the CLI's progress bar is told while a file is read."""
    calls: Calls = []
    original = _output._Steps.read

    def read(self: _output._Steps, what: str, done: int, total: int) -> None:
        calls.append((what, done, total))
        original(self, what, done, total)

    monkeypatch.setattr(_output._Steps, "read", read)
    return calls


def test_a_file_over_the_row_budget_shows_progress_and_runs_on_a_sample(
    cli, tmp_path: Path, reading: Calls, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TINKERLAB_MAX_ROWS", "600")
    path = _long_csv(tmp_path / "long.csv", 3000)
    result = cli("run", str(path), "--target", "label", "--model", "knn", "--cv", "3")
    assert result.code == 0, result.err
    size = path.stat().st_size
    assert reading[-1] == ("reading long.csv", size, size)  # the bar reached the end
    assert {what for what, _, _ in reading} == {"fingerprinting long.csv", "reading long.csv"}
    message = " ".join(result.out.split())
    assert "long.csv has 3,000 rows, over the 600-row limit" in message
    assert "TINKERLAB_MAX_ROWS" in message  # the notice says how to change it
    assert "Recorded as Run #1" in message  # and the run finished


def test_a_file_over_the_memory_budget_shows_progress_and_runs_on_a_sample(
    cli, tmp_path: Path, reading: Calls
) -> None:
    path = _long_csv(tmp_path / "big.csv", 3000)
    result = cli("run", str(path), "--target", "label", "--model", "knn", "--max-bytes", "20000")
    assert result.code == 0, result.err
    size = path.stat().st_size
    assert reading[-1] == ("reading big.csv", size, size)
    message = " ".join(result.out.split())
    assert "pass max_bytes=/--max-bytes" in message
    assert "of its 3,000 rows" in message
