"""How the command line talks: rich text for people, ``--json`` for scripts, and errors
as one paragraph with no traceback."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)

#: Options many commands share, declared once here.
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Db = Annotated[
    str | None,
    typer.Option(
        help="Journal database URL (default: TINKERLAB_DB or the SQLite file in TINKERLAB_HOME)."
    ),
]
Target = Annotated[str | None, typer.Option(help="The column to predict (built-ins know theirs).")]

#: The --text-features option of run, tinker and compare (declared once here).
TextFeatures = Annotated[
    str,
    typer.Option(
        "--text-features",
        help="How text columns become numbers: tfidf (default), minilm (frozen pre-trained "
        "sentence embeddings + a trained model: transfer learning) or vader (sentiment "
        "scores). See: tinkerlab pretrained",
    ),
]


def print_json(data: Any) -> None:
    """Write *data* as JSON on stdout (never through rich, so it stays parseable)."""
    sys.stdout.write(json.dumps(data, indent=2, default=_json_default) + "\n")


def _json_default(value: Any) -> Any:
    """Dates as ISO 8601, paths and anything else as text."""
    from datetime import date, datetime

    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def print_error(message: str, *, bad_input: bool) -> None:
    """One paragraph on stderr: what happened, the value, the fix."""
    from rich.text import Text

    label = "Error:" if bad_input else "Failed:"
    errors.print(Text.assemble((label, "bold red"), " ", message))  # no markup in the message


@contextmanager
def progress(enabled: bool, total: int | None = None) -> Iterator[Any]:
    """A progress bar on stderr that a step callback can advance; silent when disabled.

    Yields a function ``step(description)``: each call completes the previous step and
    shows the next one (more steps than *total* make the bar longer). ``step.read`` is a
    reading callback, ``step.read(what, bytes done, bytes in all)``: it shows a second bar
    with the bytes until the next step starts (``tl.load(..., progress=step.read)``).
    """
    if not enabled:
        yield _Steps(None, None)
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    ) as bar:
        yield _Steps(bar, bar.add_task("starting", total=total, detail=""))


class _Steps:
    """The ``step`` callback of :func:`progress`, with ``read`` for bytes."""

    def __init__(self, bar: Any, task: Any) -> None:
        self._bar, self._task, self._bytes = bar, task, None

    def __call__(self, description: str) -> None:
        if self._bar is None:
            return
        self._stop_reading()
        current = self._bar.tasks[self._task]
        if current.description != "starting":
            if current.total is not None and current.completed + 1 >= current.total:
                self._bar.update(self._task, total=current.completed + 2)
            self._bar.advance(self._task)
        self._bar.update(self._task, description=description)

    def read(self, what: str, done: int, total: int) -> None:
        if self._bar is None:
            return
        from tinkerlab.data._budget import human_size

        if self._bytes is None:
            self._bytes = self._bar.add_task(what, total=total, detail="")
        detail = f"{human_size(done)} of {human_size(total)}"
        self._bar.update(self._bytes, description=what, completed=done, detail=detail)

    def close(self) -> None:
        """Take the bar off the screen for good (before printing results on stdout: a
        live bar on stderr would otherwise route stdout through itself); later steps
        are silent."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _stop_reading(self) -> None:
        if self._bytes is not None:
            self._bar.remove_task(self._bytes)
            self._bytes = None


@contextmanager
def term_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C while the block runs, so long work stops the same way.

    A sweep or a comparison catches KeyboardInterrupt to mark its journal entry
    interrupted and stop its workers; ``kill PID`` should leave the same record. Outside
    the main thread signals cannot be set, and the block runs unchanged.
    """
    import signal

    def on_term(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def training_bar(enabled: bool, starting: str, doing: str) -> Iterator[Any]:
    """A progress bar on stderr for training steps, showing the latest loss.

    Yields ``on_step(step, total, loss)`` (None when disabled); the bar says *starting*
    until the first step, then *doing*.
    """
    if not enabled:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=errors,
        transient=True,
    ) as progress:
        task = progress.add_task(starting, total=None, loss="…")

        def on_step(step: int, total: int, loss: float) -> None:
            progress.update(
                task, description=doing, completed=step, total=total, loss=f"{loss:.3f}"
            )

        yield on_step


def reflow(doc: str | None) -> str | None:
    r"""A docstring as help text: prose paragraphs joined into one line each, so the
    terminal wraps them at its own width; indented lines (examples) kept as they are.

    >>> reflow("Train.\n\n    More words\n    here.\n\n    Examples:\n\n      tinkerlab run x\n")
    'Train.\n\nMore words here.\n\nExamples:\n\n  tinkerlab run x'
    """
    if doc is None:
        return None
    import inspect

    paragraphs = inspect.cleandoc(doc).split("\n\n")
    flowed = []
    for paragraph in paragraphs:
        lines = paragraph.splitlines()
        if any(line.startswith(" ") for line in lines):
            flowed.append(paragraph)  # an example or a list: line breaks matter
        else:
            flowed.append(" ".join(line.strip() for line in lines))
    return "\n\n".join(flowed)
