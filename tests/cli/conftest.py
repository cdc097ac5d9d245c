"""Run the command line in-process, as `tinkerlab ARGS...` would, and capture what it says."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from tinkerlab.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def message(self) -> str:
        """stderr with rich's line wrapping undone, for matching whole sentences."""
        return " ".join(self.err.split())


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """``cli("run", "iris")`` → Result(code, out, err), exactly as the console script exits."""

    def invoke(*args: str) -> Result:
        os.environ["COLUMNS"] = "200"  # rich wraps at the terminal width; keep lines whole
        try:
            main(list(args))
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke
