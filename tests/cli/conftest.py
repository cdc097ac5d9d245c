"""Run the command line in-process, as `tinkerlab ARGS...` would, and capture what it says."""

from __future__ import annotations

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

    from tinkerlab.cli import _output

    # rich wraps at the terminal's width (80 columns under pytest): keep lines whole.
    for console in (_output.console, _output.errors):
        console.width = 200

    def invoke(*args: str) -> Result:
        try:
            main(list(args))
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke
