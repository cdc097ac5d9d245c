"""Shared fixtures for the data-layer tests: writing small files, replaying reading code."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tinkerlab.data import Dataset, Source, prepare_code, reading_code
from tinkerlab.options import speaking

Replay = Callable[..., pd.DataFrame]
Write = Callable[[str, str | bytes], Path]


def _replay(source: Source, dataset: Dataset | None = None, var: str = "frame") -> pd.DataFrame:
    """Run the generated reading (and preparing) code the way a standalone script would."""
    code = reading_code(source, var)
    if dataset is not None:
        code += prepare_code(dataset, var)
    namespace: dict[str, Any] = {"pd": pd}
    exec(compile(code, "<generated>", "exec"), namespace)
    frame: pd.DataFrame = namespace[var]
    return frame


@pytest.fixture
def cli() -> Iterator[None]:
    """Messages worded for ``tinkerlab run`` in a terminal (``--drop x``), not for Python
    (``drop=['x']``), the library's own default."""
    with speaking("cli", "run"):
        yield


@pytest.fixture
def replay() -> Replay:
    """``replay(source, dataset=None)``: the frame a generated script would build."""
    return _replay


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """``write(name, content)``: put text (UTF-8) or bytes in a temporary file."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    return _write


@pytest.fixture
def people() -> pd.DataFrame:
    """A small varied table: integers, floats, a category and a two-class target."""
    n = 40
    return pd.DataFrame(
        {
            "age": [20 + (i * 7) % 50 for i in range(n)],
            "income": [1000.5 + 37.25 * ((i * 13) % 17) for i in range(n)],
            "city": [["Paris", "Lyon", "Nice"][i % 3] for i in range(n)],
            "bought": [["yes", "no"][(i * 5) % 7 % 2] for i in range(n)],
        }
    )
