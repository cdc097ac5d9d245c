"""Saving a run from the journal (``tinkerlab save RUN_ID DIR``).

The journal keeps each run's recipe and scores, not the fitted model (a model can be
hundreds of megabytes, and a pickle in a database is a security hole). So saving a
recorded run means training it again: read the same data, check that its SHA-256 is
the one the run saw, execute the recorded recipe (same split, same seed), and compare
the new scores with the recorded ones before writing the artifact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tinkerlab.exceptions import ArtifactError

if TYPE_CHECKING:
    from tinkerlab.runner import Progress, Run


@dataclass
class SavedRun:
    """What :func:`save_journal_run` did: where the artifact is, and what to know."""

    path: Path
    run: Run
    notices: list[str]


def save_journal_run(
    run_id: int,
    path: str | Path,
    *,
    db: str | None = None,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> SavedRun:
    """Re-execute journal run *run_id* on the same data and save it as an artifact."""
    from tinkerlab.data import data_change, load, read_source
    from tinkerlab.journal import open_journal
    from tinkerlab.recipe import Recipe
    from tinkerlab.runner import execute
    from tinkerlab.serve._artifact import _current_source, check_destination, save_artifact

    target = Path(path).expanduser()
    check_destination(target, overwrite=overwrite)
    with open_journal(db) as journal:
        entry = journal.get_run(run_id)
    recipe = Recipe.from_dict(entry.recipe)
    if recipe.source.kind == "frame":
        raise ArtifactError(
            f"Run #{run_id} was trained on an in-memory DataFrame, which the journal cannot "
            "read again. Fix: in Python, run it again and save_artifact(run, path, data=frame)."
        )
    source = _current_source(recipe.source)
    change = data_change(
        entry.data_sha256, source.sha256, f"The data of run #{run_id} ({source.path!r})", "the run"
    )
    if change:
        raise ArtifactError(
            f"{change}. Retraining on other data would give another model. Fix: restore the "
            "file, or run the model again with --save."
        )
    frame = read_source(source)
    dataset = load(frame, target=recipe.target, task=recipe.task)
    dataset = replace(dataset, name=entry.dataset, source=recipe.source)
    run = execute(recipe, dataset, progress=progress)
    run.id = entry.id
    notices = _compare_scores(entry.metrics, run.metrics)
    saved = save_artifact(run, target, data=dataset, overwrite=overwrite)
    return SavedRun(path=saved, run=run, notices=notices)


def _compare_scores(
    recorded: dict[str, dict[str, float | None]], now: dict[str, dict[str, float]]
) -> list[str]:
    """A notice per test score that differs from the recorded one (other library versions)."""
    notices = []
    for metric, scores in recorded.items():
        before = scores.get("test")
        after = now.get(metric, {}).get("test")
        if before is None or after is None:
            continue
        if not math.isclose(before, after, rel_tol=1e-9, abs_tol=1e-12):
            notices.append(
                f"The retrained model's test {metric} is {after:.6f}; the run recorded "
                f"{before:.6f}. Library versions may have changed since; the artifact holds "
                "the retrained model and its new scores."
            )
    return notices
