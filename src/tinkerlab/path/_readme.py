"""The README of an exported portfolio folder, written from the journal's records.

Problem, data (source, licence, fingerprint), approach, results with their spread, plots,
what the learner predicted (and whether it held) and what they noticed (their notes and
questions). What the journal cannot know (a user file's source and licence, the problem
when no project names it) is marked TODO and listed as a notice of the export.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tinkerlab.journal import Journal, RunEntry
    from tinkerlab.path._project import Project

_TODO = "TODO:"


def write_readme(
    journal: Journal,
    entry: RunEntry,
    project: Project | None,
    data_name: str,
    plots: list[str],
    notices: list[str],
    needs_tinkerlab: bool = False,
) -> str:
    """The README's markdown; what must be completed by hand is appended to *notices*.
    *needs_tinkerlab*: the script imports tinkerlab, so the README says how to install it."""
    recipe = entry.recipe
    title = project.name if project else f"{entry.model} on {Path(entry.dataset).name}"
    parts = [
        f"# {title}\n",
        f"Predict `{recipe.get('target')}` ({entry.task}) with a {entry.model} model. "
        "Every number below is reproduced by `python train.py` from this folder "
        "(`python -m pytest` checks it).\n",
        "## Problem\n",
        _problem(project, notices),
        "## Data\n",
        _data(entry, project, data_name, notices),
        "## Approach\n",
        _approach(recipe),
        "## Results\n",
        _results(entry),
    ]
    if plots:
        parts += ["## Plots\n", "\n".join(f"![{p}](plots/{p})" for p in plots) + "\n"]
    parts += ["## What I predicted\n", _predictions(journal, entry.dataset)]
    parts += ["## What I noticed\n", _notes(journal, entry)]
    parts += [
        "## Reproduce\n",
        reproduce_section(
            "python train.py          # prints the scores above\n"
            "python -m pytest          # checks them against expected.json\n",
            needs_tinkerlab,
        )
        + "\n`train.ipynb` is the same code as a notebook; `MODEL_CARD.md` describes the saved "
        "model in `model/`.\n",
        f"\n*Exported by tinkerlab from journal run #{entry.id}.*\n",
    ]
    return "\n".join(parts)


def reproduce_section(commands: str, needs_tinkerlab: bool) -> str:
    """The README's "Reproduce" block: a fresh virtual environment, tinkerlab from its
    source when the scripts import it (it is not on PyPI), the pinned requirements (pytest
    among them, for the smoke test), then *commands* (lines ending in a newline)."""
    from tinkerlab._version import __version__

    source = "pip install /path/to/tinkerlab   # its source folder: see below\n"
    block = (
        "```\npython -m venv .venv && . .venv/bin/activate\n"
        + (source if needs_tinkerlab else "")
        + "pip install -r requirements.txt\n"
        + commands
        + "```\n"
    )
    if not needs_tinkerlab:
        return block
    return block + (
        f"\nThe scripts import tinkerlab {__version__}, which is not on PyPI: install it from "
        "its source first, a checkout of the tinkerlab repository (the folder that holds its "
        "`pyproject.toml`), with `pip install /path/to/tinkerlab`. `requirements.txt` then "
        "pins the rest.\n"
    )


def _problem(project: Project | None, notices: list[str]) -> str:
    if project is not None:
        path = project.folder / "problem.md"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            body = text.split("\n", 1)[1] if text.startswith("# ") else text
            lines = [line for line in body.splitlines() if "tinkerlab project status" not in line]
            body = "\n".join(f"#{line}" if line.startswith("#") else line for line in lines)
            if _TODO in body:
                notices.append("problem.md still has TODO lines: the README quotes them.")
            return body.strip() + "\n"
    notices.append("README.md: write the problem (who needs the prediction, and why).")
    return f"{_TODO} who needs this prediction, what they will do with it, what a good result is.\n"


def _data(entry: RunEntry, project: Project | None, data_name: str, notices: list[str]) -> str:
    rows = entry.summary.get("inputs", {}).get("rows") or entry.summary.get("rows")
    return data_lines(entry.recipe, rows, data_name, project, notices, entry.data_sha256)


def data_lines(
    recipe: dict[str, Any],
    rows: Any,
    data_name: str,
    project: Project | None,
    notices: list[str],
    sha256: str | None = None,
) -> str:
    """The Data section: the file, its fingerprint, where it comes from and its licence."""
    source = recipe.get("source", {})
    lines = [f"- File: `data/{data_name}`" + (f", {rows} rows" if rows else "")]
    lines.append(f"- SHA-256: `{sha256 or source.get('sha256')}`")
    if source.get("kind") == "builtin":
        from tinkerlab.data import dataset_info

        info = dataset_info(str(source.get("name")))
        lines.append(f"- Source: {info.title}, {info.source.url} (via {info.source.package})")
        lines.append(f"- Licence: {info.licence}")
        if info.citation:
            lines.append(f"- Cite: {info.citation}")
    else:
        where = project.source if project else _TODO
        licence = project.licence if project else _TODO
        todo = _PROJECT_DATA_TODO if project else _DATA_TODO
        if (_TODO in where or _TODO in licence) and todo not in notices:
            notices.append(todo)
        lines.append(f"- Source: {where}")
        lines.append(f"- Licence: {licence}")
    return "\n".join(lines) + "\n"


_DATA_TODO = "README.md: say where the data comes from and its licence."
#: With a project, the fix is in its project.toml: every README written from it says TODO.
_PROJECT_DATA_TODO = (
    "project.toml: fill in [data] source and licence (the README says TODO), then export "
    "again with --force."
)


def _approach(recipe: dict[str, Any]) -> str:
    roles = [
        f"{len(recipe.get(role, []))} {role}" for role in ("numeric", "categorical", "text")
        if recipe.get(role)
    ]  # fmt: skip
    params = ", ".join(f"{k}={v}" for k, v in (recipe.get("params") or {}).items()) or "defaults"
    columns = [c for role in ("numeric", "categorical", "text") for c in recipe.get(role, [])]
    return (
        f"- Features: {', '.join(roles) or 'none'} columns ({', '.join(columns)}).\n"
        f"- Model: `{recipe.get('model')}` ({params}), after imputing missing values, scaling "
        "numbers where the model needs it and one-hot encoding categories.\n"
        f"- Evaluation: {int(recipe.get('test_size', 0.2) * 100)}% of rows held out for one "
        f"final test; {recipe.get('cv_folds')}-fold cross-validation on the rest gives each "
        f"score a spread; seed {recipe.get('seed')}; a dummy model that ignores the features "
        "is the baseline.\n"
    )


def _results(entry: RunEntry) -> str:
    lines = [
        "| metric | cross-validated (mean ± std) | test | baseline (cv) |",
        "|---|---|---|---|",
    ]
    for name, s in entry.metrics.items():
        base = entry.baseline.get(name, {}).get("cv_mean")
        lines.append(
            f"| {name} | {_num(s.get('cv_mean'))} ± {_num(s.get('cv_std'))} | "
            f"{_num(s.get('test'))} | {_num(base)} |"
        )
    return "\n".join(lines) + "\n"


def _num(value: Any) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def _predictions(journal: Journal, dataset: str) -> str:
    said = [p for p in journal.predictions() if p.dataset == dataset]
    if not said:
        return "No experiment on this data had a prediction yet.\n"
    lines = []
    for p in said:
        guess = p.shape or p.best_value or p.best_score
        outcome = {True: "right", False: "wrong", None: "not scored"}[p.shape_hit]
        lines.append(
            f"- Changing `{p.knob}`: I predicted **{guess}**; the curve was "
            f"{p.observed_shape or 'not finished'} ({outcome})."
        )
    return "\n".join(lines) + "\n"


def _notes(journal: Journal, entry: RunEntry) -> str:
    notes = [f"- {n.text}" for n in journal.notes(entry.id)]
    notes += [f"- Question: {q.text}" for q in journal.questions(entry.id)]
    if not notes:
        return f'No notes yet: `tinkerlab journal note {entry.id} "..."` adds one.\n'
    return "\n".join(notes) + "\n"
