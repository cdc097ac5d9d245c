"""A recorded run as a Run again, without training: its script and notebook from the journal.

The journal keeps a run's Recipe and the scores it reported; that is all a script needs.
:func:`as_run` makes a :class:`~tinkerlab.runner.Run` without its model from them, whose
``script()`` and ``notebook()`` are exactly what ``tinkerlab run --script`` wrote. The web
lab's run page and download, the path's script check and the portfolio export all use it;
export passes a new data path, so the folder's script reads its own copy of the data.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tinkerlab.journal._entries import RunEntry
    from tinkerlab.runner import Run


class _Scores:
    """Stands for an estimator that scores rows, so ``metrics_for`` lists ROC AUC too."""

    def predict_proba(self, X: Any) -> Any:  # pragma: no cover - never called
        raise NotImplementedError


def as_run(entry: RunEntry, data_path: str | None = None) -> Run:
    """Run *entry* as a Run without its model: enough for ``script()`` and ``notebook()``.

    Parameters
    ----------
    entry : RunEntry
        A run read back from the journal (``journal.get_run(12)``).
    data_path : str, optional
        Replaces the path the script reads the data from (``"data/mine.csv"``: relative to
        the folder the script runs in). A user file's copy also names the dataset.

    Examples
    --------
    >>> from tinkerlab.journal import as_run, open_journal
    >>> with open_journal() as journal:  # doctest: +SKIP
    ...     print(as_run(journal.get_run(12)).script())
    """
    from tinkerlab.recipe import Recipe, metrics_for
    from tinkerlab.runner import Run

    recipe = Recipe.from_dict(entry.recipe)
    if data_path is not None and recipe.source.kind == "file":
        # a user file is named by its path: the script's header names the copy instead
        name = data_path.rsplit("/", 1)[-1]
        recipe = replace(recipe, dataset=name, source=replace(recipe.source, path=data_path))
    elif data_path is not None:
        recipe = replace(recipe, source=replace(recipe.source, path=data_path))
    classes = entry.summary.get("inputs", {}).get("classes") or {}
    candidates = metrics_for(recipe.task, max(2, len(classes)), _Scores())
    specs = tuple(m for m in candidates if m.name in entry.metrics)
    return Run(
        recipe=recipe,
        pipeline=None,
        metrics=entry.metrics,  # type: ignore[arg-type]
        baseline=entry.baseline,  # type: ignore[arg-type]
        metric_specs=specs,
        summary=entry.summary,
        timings=entry.timings,
        notices=entry.notices,
        data_sha256=entry.data_sha256,
        predictions=None,  # type: ignore[arg-type]
        id=entry.id,
    )
