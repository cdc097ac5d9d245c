"""``tinkerlab tinker``: change one knob, predict first, see the effect with its noise."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape

from tinkerlab.cli._declared import command
from tinkerlab.cli._output import console, errors, print_json, term_as_interrupt
from tinkerlab.cli._theory import show_findings

if TYPE_CHECKING:
    from tinkerlab.experiment import Experiment, Prediction, Sweep
    from tinkerlab.options import Settings

#: How many times the prompt asks again after an answer it cannot use.
_TRIES = 3


@command("tinker")
def tinker(settings: Settings) -> None:
    """Change one thing, predict what happens, then see it with its noise.

    Every value is scored on the same repeated k-fold folds (paired), the best value's
    lead over the default is tested with the corrected resampled t-test (Nadeau & Bengio
    2003), the curve's shape is classified, and your prediction is scored and recorded.

    Examples:

      tinkerlab tinker titanic --model decision_tree --knob max_depth --range 1:20

      tinkerlab tinker iris --model knn --knob n_neighbors --values 1,3,5,9,15,31,61 --predict peak

      tinkerlab tinker digits --knob train_size --range 0.05:1.0 --predict up

      tinkerlab tinker reviews --knob text_features --values tfidf,minilm,vader --predict differs

      tinkerlab tinker --resume 42
    """
    from tinkerlab import _api

    asked = not {"predict", "predict_best", "predict_score"} & settings.given
    interactive = not (settings.json or settings.no_predict) and _interactive()
    with _progress(not settings.json) as bar:
        result = _guarded(
            lambda: _api.tinker_settled(
                settings, progress=bar, ask=_ask_with(bar) if interactive and asked else None
            )
        )
    _show(result, settings.json, resumed=settings.resume is not None)


# --- asking for a prediction ---------------------------------------------------------------


def _interactive() -> bool:
    """Whether a person can answer a prompt: stdin is a terminal."""
    return sys.stdin.isatty()


def _ask_with(bar: Any) -> Any:
    def ask(sweep: Sweep) -> Prediction | None:
        bar.pause()
        try:
            return _ask(sweep)
        finally:
            bar.resume()

    return ask


def _ask(sweep: Sweep) -> Prediction | None:
    """Prompt for the shape and the best value; Enter skips either."""
    from tinkerlab.exceptions import UsageError
    from tinkerlab.experiment import (
        ORDERED_SHAPES,
        UNORDERED_SHAPES,
        Prediction,
        check_prediction,
    )

    first, last = sweep.points[0].label, sweep.points[-1].label
    shapes: tuple[str, ...]
    if sweep.ordered:
        shapes = ORDERED_SHAPES
        moves = "grows" if sweep.numeric_axis else "goes, in the order listed,"
        question = (
            f"Before it runs: what will the validation score do as {sweep.knob} {moves} "
            f"from {first} to {last}?"
        )
    else:
        shapes = UNORDERED_SHAPES
        question = f"Before it runs: will the choice of {sweep.knob_label()} matter?"
    errors.print(f"[bold]{escape(question)}[/]")
    shape = _prompt(f"  [{'/'.join(shapes)}, Enter to skip] ", shapes)
    choices = "" if sweep.numeric_axis else f" [{'/'.join(p.label for p in sweep.points)}]"
    best: str | None = None
    for _ in range(_TRIES):
        best = errors.input(escape(f"  Which value will score best?{choices} (Enter to skip) "))
        best = best.strip() or None
        if best is None:
            break
        try:
            check_prediction(Prediction(best=best), sweep)
            break
        except UsageError as error:
            errors.print(f"  [yellow]{escape(str(error))}[/]")
            best = None
    prediction = Prediction(shape=shape, best=best)
    return None if prediction.is_empty() else check_prediction(prediction, sweep)


def _prompt(text: str, allowed: tuple[str, ...]) -> str | None:
    for _ in range(_TRIES):
        answer = errors.input(escape(text)).strip().lower()
        if not answer:
            return None
        if answer in allowed:
            return answer
        errors.print(f"  [yellow]Please answer one of {', '.join(allowed)} (or Enter).[/]")
    return None


# --- running and showing -------------------------------------------------------------------


class _Bar:
    """A rich progress bar fed by the sweep's ``progress(done, total, what)`` callback."""

    def __init__(self, progress: Any) -> None:
        self._progress = progress
        self._task: Any = None

    def __call__(self, done: int, total: int, what: str) -> None:
        if self._progress is None:
            return
        if self._task is None:
            self._task = self._progress.add_task(what, total=total)
        self._progress.update(self._task, completed=done, total=total, description=escape(what))

    def pause(self) -> None:
        if self._progress is not None:
            self._progress.stop()

    def resume(self) -> None:
        if self._progress is not None:
            self._progress.start()


class _progress:  # noqa: N801 - used like a function: ``with _progress(enabled) as bar``
    def __init__(self, enabled: bool) -> None:
        self._enabled = enabled
        self._progress: Any = None

    def __enter__(self) -> _Bar:
        if not self._enabled:
            return _Bar(None)
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("fits"),
            TimeElapsedColumn(),
            console=errors,
            transient=True,
        )
        self._progress.start()
        return _Bar(self._progress)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def _guarded(work: Any) -> Experiment:
    """Run *work* with SIGTERM treated like Ctrl-C, and say how to resume if stopped."""
    from tinkerlab.experiment import SweepInterrupted

    try:
        with term_as_interrupt():
            result: Experiment = work()
        return result
    except SweepInterrupted as stop:
        if stop.experiment_id is not None:
            errors.print(
                f"Interrupted after {stop.done} of {stop.total} values; they are kept in "
                f"experiment #{stop.experiment_id}. Finish it with:  "
                f"tinkerlab tinker --resume {stop.experiment_id}"
            )
        else:
            errors.print(f"Interrupted after {stop.done} of {stop.total} values (not recorded).")
        raise typer.Exit(130) from None


def _show(result: Experiment, json_out: bool, *, resumed: bool) -> None:
    if json_out:
        print_json(result.to_dict())
        return
    from rich.table import Table

    from tinkerlab.experiment import METHOD, prediction_text

    recipe, sweep = result.recipe, result.sweep
    model = "several models" if sweep.knob == "model" else recipe.model
    number = f"Experiment #{result.id}" if result.id is not None else "Experiment (not recorded)"
    better = "higher" if result.higher_is_better else "lower"
    console.print(
        f"[bold]{number}[/] · {escape(sweep.knob_label())} on {escape(recipe.dataset)} "
        f"({escape(model)}) · {result.metric.name} ({better} is better) · "
        f"{result.repeats}×{recipe.cv_folds} "
        f"paired folds · {escape(result.engine)}" + (" · resumed" if resumed else "")
    )
    frame = result.frame
    table = Table(caption=f"★ best  ◆ {sweep.reference_reason}  ≈ tied with the best")
    for column in (sweep.knob, "train", "CV mean ± std", "fit time (s)", ""):
        table.add_column(column, justify="left" if column == sweep.knob else "right")
    for row in frame.itertuples():
        marks = ("★" if row.is_best else "") + ("◆" if row.is_default else "")
        marks += "≈" if row.tied_with_best and not row.is_best else ""
        table.add_row(
            escape(str(row.label)),
            _num(row.train_mean),
            f"{_num(row.cv_mean)} ± {_num(row.cv_std)}",
            f"{row.fit_time:.3f}",
            marks,
        )
    console.print(table)
    console.print(escape(result.verdict_text()))
    shape = result.summary.shape
    console.print(f"Shape: [bold]{escape(shape.shape)}[/] — {escape(shape.reason)}.")
    if result.prediction is not None:
        console.print(escape(prediction_text(result)))
    for notice in [*sweep.notices, *result.notices]:
        console.print(f"  [yellow]note:[/] {escape(notice)}")
    for path in result.plot_paths:
        if path.suffix == ".png":
            console.print(f"  plot: {escape(str(path))}")
    if METHOD not in result.verdict_text():
        console.print(f"  (method: {METHOD})")
    show_findings(result.phenomena, result.unlocked)
    if result.id is not None:
        console.print("Your prediction record:  tinkerlab journal predictions")


def _num(value: Any) -> str:
    return "–" if value != value else f"{float(value):.4f}"
