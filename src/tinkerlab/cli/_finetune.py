"""``tinkerlab finetune``: teach MiniLM your labels, fast (a head) or fully (torch)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from tinkerlab.cli._output import Json, console, errors, print_json, training_bar

if TYPE_CHECKING:
    from tinkerlab.pretrained._finetune import FineTuneResult
    from tinkerlab.runner import Run

_FULL = "Full fine-tuning (--method full)"
#: Above this estimate an interactive terminal asks before training (unless --yes).
CONFIRM_ABOVE_S = 60.0


def finetune(
    data: Annotated[str, typer.Argument(help="A built-in dataset name or a file.")],
    text: Annotated[
        str | None, typer.Option(help="The text column (default: the only text column).")
    ] = None,
    label: Annotated[
        str | None, typer.Option(help="The label column (default: the dataset's target).")
    ] = None,
    method: Annotated[
        str,
        typer.Option(
            help="head: a logistic regression on frozen MiniLM embeddings (fast, default); "
            "full: fine-tune the encoder itself with torch (slow on CPU)."
        ),
    ] = "head",
    max_rows: Annotated[
        int | None, typer.Option(help="Use a seeded random sample of this many rows.")
    ] = None,
    epochs: Annotated[
        int | None, typer.Option(help="Passes over the data (default 3).", rich_help_panel=_FULL)
    ] = None,
    batch_size: Annotated[
        int | None, typer.Option(help="Texts per step (default 16).", rich_help_panel=_FULL)
    ] = None,
    learning_rate: Annotated[
        float | None,
        typer.Option(help="The encoder's AdamW step (default 2e-5).", rich_help_panel=_FULL),
    ] = None,
    max_length: Annotated[
        int | None, typer.Option(help="Tokens kept per text (default 128).", rich_help_panel=_FULL)
    ] = None,
    patience: Annotated[
        int | None,
        typer.Option(
            help="Epochs without a better validation loss before stopping (default 1).",
            rich_help_panel=_FULL,
        ),
    ] = None,
    max_steps: Annotated[
        int | None,
        typer.Option(
            help="At most this many steps per epoch (a quick try).", rich_help_panel=_FULL
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seeds the sample, the split and training.")] = 0,
    out: Annotated[
        Path | None,
        typer.Option(help="Where to save it (default: models/DATA-METHOD); must not exist."),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Start full fine-tuning without asking.")
    ] = False,
    json_out: Json = False,
) -> None:
    """Fine-tune MiniLM on a column of texts and their labels; save a servable model.

    --method head (the default) trains a logistic regression on frozen MiniLM sentence
    embeddings: cross-validated, recorded in the journal, saved as an artifact.
    --method full trains the encoder too, with torch: it times one step first and says
    how long it will take (asking first in a terminal when over a minute), shows a
    progress bar, stops early when the validation loss stops improving and keeps the
    best epoch. Either result is served with: tinkerlab serve DIR.

    Examples:

      tinkerlab finetune reviews --max-rows 400

      tinkerlab finetune reviews --method full --epochs 2

      tinkerlab finetune feedback.csv --text comment --label topic --method full --yes
    """
    from tinkerlab.exceptions import InputError
    from tinkerlab.pretrained._offline import quiet

    if method not in ("head", "full"):
        raise InputError(f"--method must be head or full. Got {method!r} instead.")
    given = {
        "epochs": epochs,
        "batch_size": batch_size,
        "learning_rate": learning_rate,
        "max_length": max_length,
        "patience": patience,
        "max_steps": max_steps,
    }
    settings = {k: v for k, v in given.items() if v is not None}
    if method == "head" and settings:
        shown = ", ".join("--" + k.replace("_", "-") for k in settings)
        raise InputError(
            f"{shown} only apply to --method full (the head method is a logistic regression "
            "on frozen embeddings). Fix: add --method full, or leave them out."
        )
    if out is None:
        out = Path("models") / f"{Path(data).stem}-{method}"
    from tinkerlab.pretrained import require
    from tinkerlab.pretrained._finetune import check_output

    require("minilm")
    check_output(out)
    quiet()
    if method == "head":
        _head(data, text, label, out, max_rows=max_rows, seed=seed, json_out=json_out)
    else:
        _full(data, text, label, out, settings, max_rows=max_rows, seed=seed, yes=yes,
              json_out=json_out)  # fmt: skip


def _head(
    data: str,
    text: str | None,
    label: str | None,
    out: Path,
    *,
    max_rows: int | None,
    seed: int,
    json_out: bool,
) -> None:
    import tinkerlab as tl
    from tinkerlab.cli._output import progress

    with progress(not json_out) as step:
        result = tl.finetune(data, text, label, "head", out, max_rows=max_rows, seed=seed,
                             progress=step)  # fmt: skip
    accuracy = result.metrics.get("accuracy", {})
    summary = {
        "method": "head",
        "path": str(out),
        "run_id": result.id,
        "cv_accuracy": accuracy.get("cv_mean"),
        "cv_accuracy_std": accuracy.get("cv_std"),
        "test_accuracy": accuracy.get("test"),
        "seconds": sum(result.timings.values()),
    }
    if json_out:
        print_json(summary)
        return
    _render_head(result, summary)


def _render_head(result: Run, summary: dict[str, Any]) -> None:
    cv, std, test = summary["cv_accuracy"], summary["cv_accuracy_std"], summary["test_accuracy"]
    console.print(
        "Trained a logistic regression on frozen MiniLM embeddings"
        + (f" (run #{result.id})" if result.id else "")
        + (f": CV accuracy [bold]{cv:.3f}[/] ± {std:.3f}" if cv is not None else "")
        + (f", test [bold]{test:.3f}[/]" if test is not None else "")
        + f", {summary['seconds']:.1f} s."
    )
    path = escape(summary["path"])
    console.print(f"Saved the artifact to [bold]{path}[/].\nServe it:  tinkerlab serve {path}")


def _full(
    data: str,
    text: str | None,
    label: str | None,
    out: Path,
    settings: dict[str, Any],
    *,
    max_rows: int | None,
    seed: int,
    yes: bool,
    json_out: bool,
) -> None:
    import tinkerlab as tl
    from tinkerlab.pretrained._finetune import (
        FineTuneSettings,
        estimate_seconds,
        finetune_encoder,
        texts_and_labels,
    )

    options = FineTuneSettings(seed=seed, **settings)
    options.check()
    dataset = tl.load(data)
    _text, _label, texts, labels = texts_and_labels(
        dataset, text, label, max_rows=max_rows, seed=seed
    )
    estimate = estimate_seconds(texts, labels, options)
    line = (
        f"Full fine-tuning: {estimate.steps} steps of {options.batch_size} texts; one step took "
        f"{estimate.step_seconds:.2f} s here, so about {_duration(estimate.seconds)} "
        "(early stopping may end it sooner)."
    )
    errors.print(("[yellow]warning:[/] " if estimate.seconds > CONFIRM_ABOVE_S else "") + line)
    ask = estimate.seconds > CONFIRM_ABOVE_S and not yes and not json_out and sys.stdin.isatty()
    if ask and not typer.confirm("Start?", default=True, err=True):
        raise typer.Exit(1)
    with _steps_bar(not json_out) as on_step:
        result = finetune_encoder(texts, labels, out, options, progress=on_step)
    if json_out:
        print_json({"method": "full", "estimate_seconds": estimate.seconds, **result.to_dict()})
        return
    _render_full(result)


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


def _steps_bar(enabled: bool) -> Any:
    """A progress bar on stderr for the training steps, showing the latest loss."""
    return training_bar(enabled, "loading MiniLM", "fine-tuning")


def _render_full(result: FineTuneResult) -> None:
    from rich.table import Table

    table = Table(title="Validation after each epoch")
    for column in ("epoch", "steps", "train loss", "val loss", "val accuracy"):
        table.add_column(column, justify="right")
    for e in result.history:
        mark = " ←" if e.epoch == result.best_epoch else ""
        table.add_row(str(e.epoch), str(e.steps), f"{e.train_loss:.3f}", f"{e.val_loss:.3f}",
                      f"{e.val_accuracy:.3f}{mark}")  # fmt: skip
    console.print(table)
    stopped = " (stopped early)" if result.stopped_early else ""
    console.print(
        f"Fine-tuned MiniLM on {result.train_rows:,} texts, validated on {result.val_rows:,}, "
        f"in {result.seconds:.1f} s{stopped}: kept epoch {result.best_epoch}, validation "
        f"accuracy [bold]{result.best.val_accuracy:.3f}[/] (loss "
        f"{result.val_loss_before:.3f} → {result.best.val_loss:.3f})."
    )
    path = escape(str(result.path))
    console.print(f"Saved to [bold]{path}[/].\nServe it:  tinkerlab serve {path}")


__all__ = ["finetune"]
