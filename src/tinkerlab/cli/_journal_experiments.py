"""What ``tinkerlab journal experiments``, ``journal show e2`` and ``journal predictions``
print: tables and JSON.

The commands live in :mod:`._journal`; this is how they show experiments (tinkerlab
tinker) and the record of your predictions.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from shlex import quote
from typing import TYPE_CHECKING, Any

from rich.markup import escape

from tinkerlab.cli._output import console, print_json

if TYPE_CHECKING:
    from rich.table import Table

    from tinkerlab.journal import ExperimentEntry, PredictionEntry


def experiments_table(entries: list[ExperimentEntry]) -> Table:
    """One row per experiment: when, what, status, values done, best, shape and prediction."""
    from rich.table import Table

    table = Table(title=f"Experiments: {len(entries)}, newest first")
    for column in (
        "id",
        "when (UTC)",
        "dataset",
        "model",
        "knob",
        "status",
        "values",
        "best",
        "shape",
        "prediction",
    ):
        table.add_column(column)
    for e in entries:
        p = e.prediction
        guess = "–" if p is None or p.shape is None else p.shape
        if p is not None and p.shape_hit is not None:
            guess += " ✓" if p.shape_hit else " ✗"
        status = e.status
        if status in ("interrupted", "failed"):
            status = f"[yellow]{status}[/]"
        table.add_row(
            str(e.id),
            e.created_at.strftime("%Y-%m-%d %H:%M"),
            escape(e.dataset),
            escape(e.model),
            escape(e.knob),
            status,
            f"{e.n_points}/{e.n_values}",
            escape(str(e.summary.get("best_label", e.summary.get("best", "–"))))
            if e.summary
            else "–",
            escape(str(e.summary.get("shape", "–"))) if e.summary else "–",
            escape(guess),
        )
    return table


def show_experiment(experiment_id: int, db: str | None, json_out: bool) -> None:
    """Print one experiment: what it varied, its result and prediction, its plots, and
    what the learner wrote about it (notes, questions)."""
    from tinkerlab import _api

    with _api.open_journal(db) as store:
        e = store.get_experiment(experiment_id)
        notes = store.experiment_notes(experiment_id)
        questions = store.questions(experiment_id=experiment_id)
    if json_out:
        print_json(
            {**experiment_json(e), "notes": texts_json(notes), "questions": texts_json(questions)}
        )
        return
    kind = e.spec.get("kind") or "sweep"
    what = "" if kind in ("compare", "search") else f" of {escape(e.knob)}"
    console.print(
        f"[bold]Experiment #{e.id}[/] · {kind}{what} · {escape(e.model)} on "
        f"{escape(e.dataset)} ({e.task}) · {e.created_at:%Y-%m-%d %H:%M} UTC · {e.status}, "
        f"{e.n_points} of {e.n_values} points"
    )
    for key in ("verdict_text", "shape_reason"):
        if e.summary.get(key):
            console.print(f"  {escape(str(e.summary[key]))}")
    if e.prediction is not None:
        console.print(f"  your prediction: {escape(e.prediction.shape or '–')}")
    print_attached(e.plot_paths, notes, questions)
    console.print(
        f"Its findings:  tinkerlab explain {e.id}    "
        f'Add a note:  tinkerlab journal note e{e.id} "what I noticed"'
    )


def print_attached(plots: Sequence[Path], notes: Sequence[Any], questions: Sequence[Any]) -> None:
    """Print what hangs on a run or an experiment: its plot files, notes and questions."""
    for path in plots:
        console.print(f"  plot: {escape(str(path))}")
    for n in notes:
        console.print(f"  [green]note #{n.id}[/] ({n.created_at:%Y-%m-%d %H:%M}): {escape(n.text)}")
    for q in questions:
        console.print(
            f"  [magenta]question #{q.id}[/] ({q.created_at:%Y-%m-%d %H:%M}): {escape(q.text)}"
        )


def texts_json(written: Sequence[Any]) -> list[dict[str, Any]]:
    """Notes or questions as --json shows them: id, when, text."""
    return [{"id": w.id, "created_at": w.created_at, "text": w.text} for w in written]


def resume_hint(entries: list[ExperimentEntry]) -> None:
    """Say how to finish an interrupted sweep, or re-run an interrupted comparison or
    search (they race all their candidates at once and cannot be resumed)."""
    stopped = [e for e in entries if e.status == "interrupted"]
    sweeps = [e for e in stopped if e.spec.get("kind") not in ("compare", "search")]
    if sweeps:
        console.print(
            f"Finish an interrupted one:  [bold]tinkerlab tinker --resume {sweeps[0].id}[/]"
        )
    if len(sweeps) < len(stopped):  # a comparison or a search starts again
        again = next(e for e in stopped if e.spec.get("kind") in ("compare", "search"))
        kind = str(again.spec.get("kind"))
        what = "comparison" if kind == "compare" else "search"
        console.print(
            f"An interrupted {what} cannot be resumed; run it again:  "
            f"[bold]tinkerlab {kind} {escape(quote(again.dataset))}[/]"
        )


def print_trend_tables(record: dict[str, Any]) -> None:
    """Print the shape hit rate week by week, and per knob kind (each when there is any)."""
    from rich.table import Table

    if record["over_time"]:
        table = Table(title="Over time (shape predictions)")
        for column in ("week", "predictions", "hits", "hit rate", "running hit rate"):
            table.add_column(column)
        for w in record["over_time"]:
            table.add_row(
                w["week"],
                str(w["predictions"]),
                str(w["hits"]),
                rate(w["hit_rate"]),
                rate(w["running_hit_rate"]),
            )
        console.print(table)
    if record["per_knob_kind"]:
        table = Table(title="Per knob kind")
        for column in ("knob kind", "predictions", "hits", "too noisy", "hit rate"):
            table.add_column(column)
        for kind, k in record["per_knob_kind"].items():
            table.add_row(
                escape(kind),
                str(k["predictions"]),
                str(k["hits"]),
                str(k["too_noisy"]),
                rate(k["hit_rate"]),
            )
        console.print(table)


def print_value_guesses(record: dict[str, Any]) -> None:
    """Print how the best-value guesses and the score guesses (calibration) fared."""
    best, score = record["best_value"], record["score"]
    if best["guesses"]:
        close = best["mean_closeness"]
        console.print(
            f"Best-value guesses: {best['hits']} of {best['guesses']} were the best or tied "
            f"with it ({rate(best['hit_rate'])})"
            + (f"; mean closeness {close:.2f} (1 = spot on)." if close is not None else ".")
        )
    if score["guesses"]:
        console.print(
            f"Score guesses (calibration): {score['inside_interval']} of {score['guesses']} "
            f"inside the best's 95% interval ({rate(score['calibration'])}; well calibrated "
            f"is about 95%), mean error {score['mean_error']:.4f}."
        )


def latest_predictions(entries: list[PredictionEntry]) -> Table:
    """One row per prediction: what was predicted, what was observed, and whether it hit."""
    from rich.table import Table

    recent = Table(title="Latest predictions")
    for column in (
        "id",
        "when (UTC)",
        "experiment",
        "dataset",
        "knob",
        "predicted",
        "observed",
        "hit",
    ):
        recent.add_column(column)
    for p in entries:
        said = p.shape or ""
        if p.best_value is not None:
            said += f" best={p.best_value}"
        hit = (
            "…"
            if p.scored_at is None
            else "–"
            if p.shape_hit is None
            else ("✓" if p.shape_hit else "✗")
        )
        recent.add_row(
            str(p.id),
            p.created_at.strftime("%Y-%m-%d %H:%M"),
            "–" if p.experiment_id is None else f"#{p.experiment_id}",
            escape(p.dataset),
            escape(p.knob),
            escape(said.strip() or "–"),
            escape(p.observed_shape or "–"),
            hit,
        )
    return recent


def rate(value: float | None) -> str:
    """A share as a whole percentage; a dash when there is nothing to divide."""
    return "–" if value is None else f"{value:.0%}"


def experiment_json(e: ExperimentEntry) -> dict[str, Any]:
    """An experiment as --json shows it."""
    return {
        "id": e.id,
        "created_at": e.created_at,
        "updated_at": e.updated_at,
        "status": e.status,
        "dataset": e.dataset,
        "task": e.task,
        "model": e.model,
        "knob": e.knob,
        "knob_kind": e.knob_kind,
        "points": e.n_points,
        "values": e.n_values,
        "summary": e.summary,
        "prediction": None if e.prediction is None else prediction_json(e.prediction),
        "plots": [str(p) for p in e.plot_paths],
    }


def prediction_json(p: PredictionEntry) -> dict[str, Any]:
    """A prediction as --json shows it: every field."""
    from dataclasses import asdict

    return asdict(p)


__all__ = [
    "experiment_json",
    "experiments_table",
    "latest_predictions",
    "prediction_json",
    "print_trend_tables",
    "print_value_guesses",
    "rate",
    "resume_hint",
]
