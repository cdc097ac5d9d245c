"""Runs in the lab: the work of the Run page's job, and what a run's page shows.

The job calls :func:`tinkerlab._api.run_settled`, the very function ``tinkerlab run``
calls, then keeps what the journal does not: a few test rows with what the model
predicted for them (``<lab>/runs/<uid>/samples.json``). The script and notebook are
rendered from the recorded recipe by the Run's own methods, so a run recorded by the
command line gets them too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tinkerlab.journal import RunEntry
    from tinkerlab.options import Settings
    from tinkerlab.runner import Run
    from tinkerlab.web._config import LabConfig
    from tinkerlab.web._jobs import Job

#: Test rows kept to show inputs → outputs.
SAMPLE_ROWS = 8
#: Test rows kept (actual, predicted) for a regression's residual chart.
RESIDUAL_ROWS = 2000


def run_job(settings: Settings, config: LabConfig) -> Any:
    """The Run page's job: train, record, keep sample rows; the run's page URL."""

    def work(job: Job) -> str:
        from tinkerlab import _api
        from tinkerlab.options import speaking
        from tinkerlab.web._jobs import epochs_heard

        with speaking("web", "run"), epochs_heard(settings, job):
            result = _api.run_settled(settings, progress=job.step)
        job.update(what="keeping sample rows")
        if result.id is not None:
            with _api.open_journal(config.journal) as store:
                uid = store.get_run(result.id).uid
            entry_dir = config.folder("runs") / uid
            entry_dir.mkdir(exist_ok=True)
            samples = sample_rows(result)
            (entry_dir / "samples.json").write_text(json.dumps(samples, default=str))
            return f"/journal/runs/{result.id}"
        return "/journal"

    return work


def sample_rows(result: Run) -> dict[str, Any]:
    """A few test rows: their inputs, the true value and the model's prediction."""
    from tinkerlab.recipe import load_recipe_data
    from tinkerlab.runner import prepare_frame, split

    recipe = result.recipe
    data = load_recipe_data(recipe)
    X, y = prepare_frame(recipe, data.frame)
    _X_train, X_test, _y_train, _y_test = split(recipe, X, y)
    head = X_test.head(SAMPLE_ROWS).reset_index(drop=True)
    predictions = result.predictions.head(SAMPLE_ROWS).reset_index(drop=True)
    columns = [str(c) for c in head.columns]
    rows = []
    for i in range(len(head)):
        inputs = [_short(head.iloc[i, j]) for j in range(len(columns))]
        rows.append(
            {
                "inputs": inputs,
                "actual": _short(predictions["actual"].iloc[i]),
                "predicted": _short(predictions["predicted"].iloc[i]),
            }
        )
    kept: dict[str, Any] = {"columns": columns, "rows": rows}
    if recipe.task == "regression":  # every test row (up to a cap) for the residual chart
        every = result.predictions.head(RESIDUAL_ROWS)
        kept["actual"] = [float(v) for v in every["actual"]]
        kept["predicted"] = [float(v) for v in every["predicted"]]
    return kept


def _short(value: Any) -> Any:
    item = getattr(value, "item", None)
    value = item() if callable(item) else value
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, str) and len(value) > 80:
        return value[:77] + "…"
    return value


def stored_samples(config: LabConfig, entry: RunEntry) -> dict[str, Any] | None:
    """The sample rows kept for a run made in the lab, or None."""
    path = config.folder("runs") / entry.uid / "samples.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text())
        return data
    except (OSError, ValueError):
        return None


def code_name(entry: RunEntry, suffix: str) -> str:
    """A download's file name: ``titanic_knn_run12.py``."""
    from tinkerlab.web._uploads import clean_name

    return clean_name(f"{entry.dataset}_{entry.model}_run{entry.id}{suffix}")


def plot_file(entry: RunEntry, name: str) -> Path | None:
    """The plot *name* of a run, only if it is one of the run's own files."""
    for path in entry.plot_paths:
        if path.name == name:
            return path
    return None
