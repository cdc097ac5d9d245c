"""Rich terminal views of a Run: what went in, what came out, what to try next."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

from tinkerlab.cli._output import console

if TYPE_CHECKING:
    from tinkerlab.runner import Run


def render_run(run: Run, written: list[Path]) -> None:
    """Print a run: inputs, scores beside the baseline, top features, plots, files written."""
    render_scores(run)
    render_details(run, written)


def render_scores(run: Run) -> None:
    """The numbers of a run: what went in, scores beside the baseline (all a run needs to
    print them; ``tinkerlab run`` prints them before the run is explained and recorded)."""
    from tinkerlab.recipe import explain_metrics

    recipe = run.recipe
    inputs = run.summary["inputs"]
    console.print(
        f"\n[bold]Run[/] · [cyan]{escape(run.model)}[/] on [cyan]{escape(run.dataset_name)}[/] — "
        f"predict [bold]{escape(repr(recipe.target))}[/] ({run.task})"
    )

    _render_inputs(inputs)
    _render_columns(inputs["columns"])
    console.print(_scores_table(run))
    for note in explain_metrics(run.metric_specs):
        console.print(f"[dim]  {escape(note)}[/]")


def render_details(run: Run, written: list[Path]) -> None:
    """What explains the numbers: notices, top features, time, plots, files, the record."""
    for notice in run.notices:
        console.print(f"  [yellow]note:[/] {escape(notice)}")
    _render_outputs(run.summary["outputs"])
    timings = run.timings
    console.print(
        f"[dim]time: {timings.get('total', 0):.1f} s (cv {timings.get('cv', 0):.1f} s, "
        f"fit {timings.get('fit', 0):.2f} s)[/]"
    )
    if run.plot_paths:
        folder = run.plot_paths[0].parent
        names = ", ".join(p.name for p in run.plot_paths)
        drawn = all(p.exists() for p in run.plot_paths)
        later = "" if drawn else f", drawn when first shown: tinkerlab journal show {run.id}"
        console.print(f"[bold]Plots:[/] {escape(str(folder))}/ ({names}{later})")
    for path in written:
        console.print(f"[bold]Wrote:[/] {escape(str(path))}")
    if any(p.suffix == ".py" for p in written):
        console.print(f"       python {escape(str(written[0]))}   # prints the same scores")
    if run.id is not None:
        console.print(f"Recorded as [bold]Run #{run.id}[/]  (tinkerlab journal show {run.id})")
    else:
        console.print("Run (not recorded)")


def _render_inputs(inputs: dict[str, Any]) -> None:
    """The rows, the split, the features by role, and the classes' balance or the target's stats."""
    roles = ", ".join(f"{len(v)} {k}" for k, v in inputs["features"].items() if v)
    console.print(
        f"[bold]In:[/]  {inputs['rows']} rows → {inputs['train_rows']} train / "
        f"{inputs['test_rows']} test · features: {roles}"
    )
    if "classes" in inputs:
        total = sum(inputs["classes"].values())
        balance = ", ".join(
            f"{escape(k)} {v} ({v / total:.0%})" for k, v in inputs["classes"].items()
        )
        console.print(f"     classes: {balance}")
    else:
        s = inputs["target_stats"]
        console.print(
            f"     target: mean {s['mean']:.4g}, std {s['std']:.4g}, "
            f"range {s['min']:.4g} … {s['max']:.4g}"
        )


def _scores_table(run: Run) -> Table:
    """Each metric: cross-validated mean ± std, train and test, beside the baseline's test."""
    from tinkerlab.recipe import PRECISION

    recipe = run.recipe
    table = Table(
        title=f"Out: {recipe.cv_folds}-fold CV on the training split, then the test split",
        title_justify="left",
    )
    for column in ("metric", "cv mean ± std", "train", "test", "baseline test"):
        table.add_column(column, justify="right" if column != "metric" else "left")
    for spec in run.metric_specs:
        s, b = run.metrics[spec.name], run.baseline[spec.name]
        table.add_row(
            spec.name,
            f"{s['cv_mean']:.{PRECISION}f} ± {s['cv_std']:.{PRECISION}f}",
            f"{s['train_mean']:.{PRECISION}f}",
            f"{s['test']:.{PRECISION}f}",
            f"{b['test']:.{PRECISION}f}",
        )
    return table


#: Up to this many columns, `run` shows each column's role and the reason for it.
_COLUMN_TABLE_MAX = 15


def _render_columns(columns: list[dict[str, Any]]) -> None:
    """Schema inference's decisions: a row per column, or counts per role for wide tables."""
    if len(columns) > _COLUMN_TABLE_MAX:
        counts: dict[str, int] = {}
        for column in columns:
            counts[column["role"]] = counts.get(column["role"], 0) + 1
        roles = ", ".join(f"{n} {role}" for role, n in counts.items())
        console.print(f"     columns: {roles} (every column's role and reason: --json)")
        return
    table = Table(title="Columns: the role each one plays, and why", title_justify="left")
    for name in ("column", "role", "missing", "why"):
        table.add_column(name)
    for c in columns:
        style = "dim" if c["role"] not in ("numeric", "categorical", "text", "target") else ""
        table.add_row(
            escape(c["name"]), c["role"], str(c["missing"]), escape(c["reason"]), style=style
        )
    console.print(table)


def _render_outputs(outputs: dict[str, Any]) -> None:
    found = outputs.get("importances", [])
    if found:
        method = found[0]["method"]
        top = ", ".join(f"{escape(str(r['feature']))} {r['importance']:.3f}" for r in found[:6])
        console.print(f"[bold]Most important[/] ({method}): {top}")
    matrix = outputs.get("confusion_matrix")
    if matrix and len(matrix["labels"]) <= 10:
        console.print(
            "[bold]Confusion matrix[/] (test split): rows are the actual class, "
            "columns the predicted one"
        )
        table = Table()
        table.add_column("")
        for label in matrix["labels"]:
            table.add_column(escape(label), justify="right")
        for label, row in zip(matrix["labels"], matrix["matrix"], strict=True):
            table.add_row(escape(label), *(str(v) for v in row))
        console.print(table)
    residuals = outputs.get("residuals")
    if residuals:
        console.print(
            f"[bold]Residuals[/] (test): median |error| {residuals['median_abs']:.4g}, "
            f"largest {residuals['max_abs']:.4g}, mean {residuals['mean']:.4g}"
        )


def render_next_steps(run: Run) -> None:
    """What to try next, after ``run`` and ``quickstart``: own the code, tinker with one
    thing, ask why (theory answers the questions the results raise), note it down."""
    from tinkerlab.data import data_words
    from tinkerlab.recipe import MODELS

    ref = run.id if run.id is not None else "ID"
    data, model = data_words(run.dataset_name, run.recipe.target), run.model
    knobs = MODELS[model].knobs_for(run.task) if model in MODELS else ()  # type: ignore[arg-type]
    names = [k.name for k in knobs]
    knob = next((k for k in _FIRST_KNOBS if k in names), names[0] if names else "train_size")
    findings = list(run.phenomena)
    card = findings[0].card if findings else "train_test_split"
    if findings:
        question = _QUESTIONS.get(findings[0].id, f"why {findings[0].title}?")
    elif "classes" in run.summary.get("inputs", {}):
        question = "why is the test score lower than the training score?"
    else:
        question = "what does r2 mean?"
    lines = [
        "",
        "[bold]What next?[/]",
        "  Change one thing and predict what happens first (a sweep with honest noise):",
        f"    tinkerlab tinker {data} --model {model} --knob {knob}",
        f"    tinkerlab tinker {data} --model {model} --knob train_size   # a learning curve",
        "  Ask why: theory cards answer the questions your results raise:",
        f'    tinkerlab why "{question}" --run {ref}',
        f"    tinkerlab theory {card}        # every card: tinkerlab theory",
        "  The code you own (python train.py prints the same scores):",
        f"    tinkerlab run {data} --model {model} --script train.py",
        "  This run is in your journal; write down what you noticed:",
        f"    tinkerlab journal show {ref}",
        f'    tinkerlab journal note {ref} "..."',
        "  The path from here (labs that check your own work, day by day):",
        "    tinkerlab path",
    ]
    console.print(escape_lines(lines))


#: Knobs worth turning first, when a model has them (capacity, the classic sweeps).
_FIRST_KNOBS = ("max_depth", "n_neighbors", "C", "alpha", "n_estimators", "max_iter")
#: The question a run's first finding raises, in a learner's words.
_QUESTIONS = {
    "overfitting": "why does it score higher on its training rows than in CV?",
    "underfitting": "why is even the training score low?",
    "accuracy_paradox": "why is high accuracy misleading here?",
    "leakage": "why is a near-perfect score suspicious?",
}


def escape_lines(lines: list[str]) -> str:
    """Lines joined for rich: markup kept in the headings, brackets in commands escaped."""
    return "\n".join(line if line.startswith("[bold]") else escape(line) for line in lines)
