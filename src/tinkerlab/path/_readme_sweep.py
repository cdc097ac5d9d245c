"""The README of an exported experiment, written from the journal's records.

The question (which knob, which values), the table of values with their validation scores
and spread, what the learner predicted and how it was scored, the verdict, the findings,
the chart, and what the learner noticed and asked about it (notes, questions).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinkerlab.path._readme import data_lines, reproduce_section

if TYPE_CHECKING:
    from tinkerlab.journal import ExperimentEntry, Journal
    from tinkerlab.path._project import Project


def write_sweep_readme(
    journal: Journal,
    entry: ExperimentEntry,
    project: Project | None,
    data_name: str,
    plots: list[str],
    expected: dict[str, Any],
    notices: list[str],
) -> str:
    """The README's markdown; what must be completed by hand is appended to *notices*."""
    from tinkerlab.path._export_sweep import kind_of

    kind = kind_of(entry)
    recipe = entry.spec["recipe"]
    title = {
        "compare": f"Which model for {Path(entry.dataset).name}?",
        "search": f"Tuning {entry.model}'s {entry.knob} on {Path(entry.dataset).name}",
    }.get(kind, f"What {entry.knob} does to {entry.model} on {Path(entry.dataset).name}")
    parts = [
        f"# {title}\n",
        f"An experiment (`tinkerlab {kind}`): predict `{recipe.get('target')}` "
        f"({entry.task}) and change {what_changed(entry, kind)}, every value on the same "
        f"{recipe.get('cv_folds')}-fold cross-validation folds (repeated "
        f"{entry.spec.get('repeats', 1)}×, seed {recipe.get('seed')}). Every number below "
        "is reproduced by `python sweep.py` from this folder (`python -m pytest` checks it).\n",
        "## Data\n",
        data_lines(recipe, entry.summary.get("rows"), data_name, project, notices),
        "## Results\n",
        _table(entry, expected),
        "## Verdict\n",
        str(entry.summary.get("verdict_text") or "No verdict was recorded.") + "\n",
    ]
    if plots:
        parts += ["## Chart\n", "\n".join(f"![{p}](plots/{p})" for p in plots) + "\n"]
    parts += ["## What I predicted\n", _prediction(entry)]
    parts += ["## What the detectors found\n", _findings(entry)]
    parts += ["## What I noticed\n", _noticed(journal, entry)]
    parts += [
        "## Reproduce\n",
        reproduce_section(
            "python sweep.py          # prints the table above\n"
            "python -m pytest          # checks it against expected.json\n",
            needs_tinkerlab=True,
        ),
        f"\n*Exported by tinkerlab from journal experiment #{entry.id}.*\n",
    ]
    return "\n".join(parts)


def what_changed(entry: ExperimentEntry, kind: str) -> str:
    """What the experiment changed, in words: "the model (knn, svm)", "`max_depth` of a ..."."""
    labels = [str(v) for v in entry.spec.get("labels", [])]
    shown = ", ".join(labels[:12]) + (", …" if len(labels) > 12 else "")
    if kind == "compare":
        return f"the model ({shown})"
    if kind == "search":
        return f"{entry.model}'s {entry.knob} together ({len(labels)} settings)"
    return f"`{entry.knob}` of a {entry.model} model over {shown}"


def _table(entry: ExperimentEntry, expected: dict[str, Any]) -> str:
    from tinkerlab.path._export_sweep import best_label

    metric = expected["metric"]
    best = best_label(entry)
    lines = [
        f"| value | validation {metric} (mean ± std) | folds | training {metric} |",
        "|---|---|---|---|",
    ]
    for label, p in expected["points"].items():
        mark = " **(best)**" if label == best else ""
        train = "n/a" if p["train_mean"] is None else f"{p['train_mean']:.4f}"
        lines.append(
            f"| {label}{mark} | {p['mean']:.4f} ± {p['std']:.4f} | {p['folds']} | {train} |"
        )
    return "\n".join(lines) + "\n"


def _prediction(entry: ExperimentEntry) -> str:
    p = entry.prediction
    if p is None:
        return "No prediction was made before this experiment ran.\n"
    lines = []
    if p.shape:
        outcome = {True: "right", False: "wrong", None: "not scored"}[p.shape_hit]
        lines.append(
            f"- The curve's shape: I predicted **{p.shape}**; it was "
            f"{p.observed_shape or 'not finished'} ({outcome})."
        )
    if p.best_value is not None:
        outcome = {True: "right", False: "wrong", None: "not scored"}[p.best_hit]
        close = "" if p.best_closeness is None else f", closeness {p.best_closeness:.2f}"
        lines.append(f"- The best value: I predicted **{p.best_value}** ({outcome}{close}).")
    if p.best_score is not None:
        inside = {True: "inside", False: "outside", None: "not scored against"}
        error = "" if p.score_error is None else f", off by {p.score_error:.4f}"
        lines.append(
            f"- The best score: I predicted **{p.best_score}** "
            f"({inside[p.score_in_interval]} the best's 95% interval{error})."
        )
    lines.append(
        f"\n(Predicted {p.created_at:%Y-%m-%d %H:%M} UTC, before the first fit; scored "
        "by tinkerlab when the experiment finished.)"
    )
    return "\n".join(lines) + "\n"


def _findings(entry: ExperimentEntry) -> str:
    found = entry.summary.get("phenomena") or []
    if not found:
        return "Nothing: no overfitting, plateau, leakage or noise stood out.\n"
    return "\n".join(f"- **{f.get('id')}**: {f.get('evidence', '')}" for f in found) + "\n"


def _noticed(journal: Journal, entry: ExperimentEntry) -> str:
    noticed = [f"- {n.text}" for n in journal.experiment_notes(entry.id)]
    noticed += [f"- Question: {q.text}" for q in journal.questions(experiment_id=entry.id)]
    if not noticed:
        return (
            f'No notes yet: `tinkerlab journal note e{entry.id} "..."` adds one, '
            f'`tinkerlab why "..." --experiment {entry.id}` asks a question.\n'
        )
    return "\n".join(noticed) + "\n"
