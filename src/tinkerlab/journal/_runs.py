"""Runs: a finished run and its plots, recorded completely or not at all, and read back.

The journal reads a run by duck typing (:class:`~tinkerlab.journal.RunLike`); it imports
``tinkerlab.runner``, which sits below it, only to draw a plot when it is first asked for
(``_plots``).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from tinkerlab.exceptions import InputError
from tinkerlab.journal import _checks as check
from tinkerlab.journal._database import Database, newest_first, tinkerlab_version
from tinkerlab.journal._entries import RUN_ATTRIBUTES, RunEntry, RunLike, to_entry
from tinkerlab.journal._files import StagedFiles, stored_files
from tinkerlab.journal._json import json_object, metric_table, to_json
from tinkerlab.journal._plots import PLOT_DATA, PLOT_DATA_FORMAT
from tinkerlab.journal._tables import RunRow


def record_run(db: Database, run: RunLike) -> RunEntry:
    """Store *run* and write its plots to ``runs/<uid>/``, both or neither: what draws them
    (a Run's ``plot_data``, drawn when first asked for), or the PNGs a run hands over."""
    row, plots = run_row(run)  # checks every value first: bad input writes nothing
    folder = db.folder("runs")
    with (
        StagedFiles(folder, row.uid, plots, what="the run's plots") as staged,
        db.writing("record the run in") as session,
    ):
        session.add(row)
        session.flush()  # the database gives the row its id; still uncommitted
        staged.place()  # the plots appear only with the row...
        session.commit()  # ...and this is the moment both become real
    return run_entry(db, row)


def list_runs(
    db: Database,
    limit: int | None,
    dataset: str | None,
    *,
    offset: int = 0,
    model: str | None = None,
    search: str | None = None,
) -> list[RunEntry]:
    """Runs, newest first: at most *limit* (None: all) after skipping *offset*, of one
    *dataset* and *model* if given, whose names contain *search* if given."""
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise InputError(f"offset must be a whole number, 0 or more; got {offset!r:.40}.")
    query = _containing(newest_first(RunRow, limit, dataset=dataset, model=model), search)
    with db.reading() as session:
        rows = session.scalars(query.offset(offset) if offset else query).all()
    return [run_entry(db, row) for row in rows]


def get_run(db: Database, run_id: int) -> RunEntry:
    """Run *run_id*, or a NotFoundError saying how to list the runs."""
    check.check_id(run_id)
    with db.reading() as session:
        row = db.require(session, RunRow, run_id)
    return run_entry(db, row)


def count_runs(
    db: Database, dataset: str | None = None, model: str | None = None, search: str | None = None
) -> int:
    """How many runs the journal holds (those :func:`list_runs` lists with the same filters)."""
    query = select(func.count()).select_from(RunRow)
    for column, value in (("dataset", dataset), ("model", model)):
        if value is not None:
            query = query.where(getattr(RunRow, column) == value)
    with db.reading() as session:
        return session.scalar(_containing(query, search)) or 0


def _containing(query: Any, search: str | None) -> Any:
    """*query* narrowed to runs whose dataset or model name contains *search* (any case)."""
    if not search:
        return query
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return query.where(
        RunRow.dataset.ilike(pattern, escape="\\") | RunRow.model.ilike(pattern, escape="\\")
    )


def run_row(run: RunLike) -> tuple[RunRow, dict[str, bytes]]:
    """Check and convert every value of *run*: a new, unsaved row, and the plots to write."""
    missing = [name for name in RUN_ATTRIBUTES if not hasattr(run, name)]
    if missing:
        raise InputError(
            f"record_run() needs a finished run; the {type(run).__name__} given has no "
            f"{', '.join(missing)}. Pass the Run that tinkerlab.runner returns."
        )
    to_dict = getattr(run.recipe, "to_dict", None)
    if not callable(to_dict):
        raise InputError(
            f"run.recipe must have a to_dict() method, like tinkerlab's Recipe; "
            f"got a {type(run.recipe).__name__}."
        )
    notices = to_json(run.notices, "run.notices")
    if not isinstance(notices, list) or not all(isinstance(n, str) for n in notices):
        raise InputError(f"run.notices must be a list of strings; got {run.notices!r:.80}.")
    timings = json_object(run.timings, "run.timings")
    if not all(isinstance(t, int | float) and not isinstance(t, bool) for t in timings.values()):
        raise InputError(f"run.timings must map step names to seconds; got {timings!r:.80}.")
    plots, plot_names = _plot_files(run)
    row = RunRow(
        uid=uuid.uuid4().hex,
        created_at=datetime.now(UTC),
        dataset=check.text(run.dataset_name, "run.dataset_name"),
        task=check.text(run.task, "run.task"),
        model=check.text(run.model, "run.model"),
        recipe=json_object(to_dict(), "run.recipe.to_dict()"),
        metrics=metric_table(run.metrics, "run.metrics"),
        baseline=metric_table(run.baseline, "run.baseline"),
        summary=json_object(run.summary, "run.summary"),
        timings={step: float(seconds) for step, seconds in timings.items()},
        notices=notices,
        plot_names=plot_names,
        data_sha256=check.text(run.data_sha256, "run.data_sha256"),
        tinkerlab_version=tinkerlab_version(),
    )
    return row, plots


def _plot_files(run: RunLike) -> tuple[dict[str, bytes], list[str]]:
    """The files to write beside *run* and the names of its plots.

    A Run hands over ``plot_data``: it is written as one file, ``plot_data.json``, and
    each plot is drawn from it when first asked for (``RunEntry.plot_paths``). Anything
    else hands over ``plots``, PNG bytes, written as they are.
    """
    data = getattr(run, "plot_data", None)
    if data is None:
        if not hasattr(run, "plots"):
            raise InputError(
                f"record_run() needs a finished run; the {type(run).__name__} given has no "
                "plot_data or plots. Pass the Run that tinkerlab.runner returns."
            )
        plots = check.files(run.plots, "run.plots")
        return plots, sorted(plots)
    spec = json_object(data, "run.plot_data")
    names = sorted(check.files(dict.fromkeys(spec, b""), "run.plot_data"))
    if not names:
        return {}, []
    document = {"format": PLOT_DATA_FORMAT, "plots": spec}
    return {PLOT_DATA: json.dumps(document).encode("utf-8")}, names


def run_entry(db: Database, row: RunRow) -> RunEntry:
    """The entry for *row*; its plots are looked for in this machine's ``runs/``."""
    plots_dir, _ = stored_files(db.folder("runs"), row.uid, row.plot_names)
    return to_entry(RunEntry, row, plots_dir=plots_dir, plot_names=list(row.plot_names or []))
