"""Experiments and their points: a sweep recorded as it runs, so a stopped one can resume.

An experiment (``tinkerlab tinker``, or ``tinkerlab compare`` with the model as its knob)
is written when it starts, with the prediction made before it; each value's scores are
committed the moment all its folds are done (a *point*); finishing stores the summary, the
plots and the prediction's score together. The journal reads these as plain dicts: it does
not import ``tinkerlab.experiment``, which sits below it.

Its ``status`` is ``running``, ``finished``, ``interrupted`` or ``failed``. A ``running``
row whose owner process is gone reads ``interrupted`` (``_owner.py`` says how that is
known), so a killed sweep never shows as running for ever, and can be resumed.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tinkerlab.exceptions import InputError, JournalError
from tinkerlab.journal import _checks as check
from tinkerlab.journal._database import Database, newest_first, tinkerlab_version
from tinkerlab.journal._entries import ExperimentEntry, PointEntry, PredictionEntry, to_entry
from tinkerlab.journal._files import StagedFiles, stored_files
from tinkerlab.journal._json import json_object, to_json
from tinkerlab.journal._owner import (
    STALE_AFTER,
    Heartbeat,
    describe,
    is_this_process,
    owner_alive,
    this_process,
)
from tinkerlab.journal._predictions import (
    check_score,
    prediction_entry,
    prediction_row,
    predictions_of,
    score_prediction,
)
from tinkerlab.journal._tables import ExperimentPointRow, ExperimentRow, PredictionRow

#: The statuses an experiment can have.
EXPERIMENT_STATUSES = ("running", "finished", "interrupted", "failed")
#: Those a caller sets with mark_experiment (finished comes with finish_experiment).
MARKABLE = ("running", "interrupted", "failed")


def start_experiment(
    db: Database,
    heartbeat: Heartbeat,
    experiment: Mapping[str, Any],
    prediction: Mapping[str, Any] | None,
) -> int:
    """Record a new experiment, running in this process, and its prediction; its id."""
    now = datetime.now(UTC)
    row = ExperimentRow(
        uid=uuid.uuid4().hex,
        created_at=now,
        updated_at=now,
        status="running",
        dataset=check.text(experiment.get("dataset"), "experiment['dataset']"),
        task=check.text(experiment.get("task"), "experiment['task']"),
        model=check.text(experiment.get("model"), "experiment['model']"),
        knob=check.text(experiment.get("knob"), "experiment['knob']"),
        knob_kind=check.text(experiment.get("knob_kind"), "experiment['knob_kind']"),
        spec=json_object(experiment.get("spec"), "experiment['spec']"),
        summary={},
        notices=check.strings(experiment.get("notices", []), "experiment['notices']"),
        plot_names=[],
        owner=this_process(),
        tinkerlab_version=tinkerlab_version(),
        heartbeat_at=now,
    )
    guess = None if prediction is None else prediction_row(prediction, row, now)
    with db.writing("record the experiment in") as session:
        session.add(row)
        session.flush()  # the experiment's id, for its prediction
        if guess is not None:
            guess.experiment_id = row.id
            session.add(guess)
        session.commit()
    heartbeat.add(row.id)
    return row.id


def record_point(db: Database, experiment_id: int, point: Mapping[str, Any]) -> None:
    """Commit one finished value; a position already recorded is left as it is."""
    check.check_id(experiment_id, "experiments")
    row = ExperimentPointRow(
        experiment_id=experiment_id,
        position=check.integer(point.get("position"), "point['position']"),
        value=to_json(point.get("value"), "point['value']"),
        label=check.text(point.get("label"), "point['label']"),
        train=check.fold_scores(point.get("train"), "point['train']"),
        test=check.fold_scores(point.get("test"), "point['test']"),
        fit_time=check.number(point.get("fit_time"), "point['fit_time']"),
        n_train=check.number(point.get("n_train"), "point['n_train']"),
        n_test=check.number(point.get("n_test"), "point['n_test']"),
        notices=check.strings(point.get("notices", []), "point['notices']"),
        created_at=datetime.now(UTC),
    )
    same = select(ExperimentPointRow.id).where(
        ExperimentPointRow.experiment_id == experiment_id,
        ExperimentPointRow.position == row.position,
    )
    try:
        with db.writing("record a point in") as session:
            experiment = db.require(session, ExperimentRow, experiment_id)
            if session.scalar(same) is not None:
                return
            session.add(row)
            experiment.updated_at = experiment.heartbeat_at = row.created_at  # a sign of life
            session.commit()
    except JournalError as error:
        if isinstance(error.__cause__, IntegrityError):
            return  # another process recorded the same point first (PostgreSQL race)
        raise


def mark_experiment(db: Database, heartbeat: Heartbeat, experiment_id: int, status: str) -> None:
    """Set the status: running (owned by this process from now on), interrupted or failed."""
    check.check_id(experiment_id, "experiments")
    if status not in MARKABLE:
        raise InputError(
            f"An experiment's status is set to running, interrupted or failed; got "
            f"{status!r}. Finish it with finish_experiment()."
        )
    with db.writing("update") as session:
        row = db.require(session, ExperimentRow, experiment_id)
        row.status = status
        row.updated_at = datetime.now(UTC)
        if status == "running":
            row.owner, row.heartbeat_at = this_process(), row.updated_at
        session.commit()
    if status == "running":
        heartbeat.add(experiment_id)
    else:
        heartbeat.discard(experiment_id)


def claim_experiment(
    db: Database, heartbeat: Heartbeat, experiment_id: int, force: bool
) -> ExperimentEntry:
    """Take an unfinished experiment over to resume it; refused while its owner lives."""
    check.check_id(experiment_id, "experiments")
    with db.writing("update") as session:
        row = db.require(session, ExperimentRow, experiment_id)
        now = datetime.now(UTC)
        alive = owner_alive(row.owner, _last_seen(row), now)
        if row.status == "running" and alive and not force and not is_this_process(row.owner):
            minutes = int(STALE_AFTER.total_seconds() // 60)
            raise InputError(
                f"Experiment #{experiment_id} is still running "
                f"({describe(row.owner, _last_seen(row), now)}). Wait for it to finish, or "
                "stop it first. If that process is gone (on another machine), resume anyway "
                f"with: tinkerlab tinker --resume {experiment_id} --force (or wait: it reads "
                f"interrupted once it has not been heard from for {minutes} minutes)."
            )
        claimed = row.status != "finished"
        if claimed:
            row.status, row.owner = "running", this_process()
            row.updated_at = row.heartbeat_at = now
        session.commit()
    if claimed:
        heartbeat.add(experiment_id)
    return get_experiment(db, experiment_id)


def finish_experiment(
    db: Database,
    heartbeat: Heartbeat,
    experiment_id: int,
    summary: Mapping[str, Any],
    plots: Mapping[str, bytes],
    prediction_score: Mapping[str, Any] | None,
) -> list[Path]:
    """Mark it finished with its summary, plots and scored prediction, all or nothing
    (again after a resume: they replace the earlier ones); the plot files' paths."""
    check.check_id(experiment_id, "experiments")
    table = json_object(summary, "summary")
    score = None if prediction_score is None else check_score(prediction_score)
    files = check.files(plots, "plots")
    with db.reading() as session:
        uid = db.require(session, ExperimentRow, experiment_id).uid
    folder = db.folder("experiments")
    staged_files = StagedFiles(
        folder, uid, files, what="the experiment's plots", kept="Its points are kept."
    )
    with staged_files as staged, db.writing("finish the experiment in") as session:
        row = db.require(session, ExperimentRow, experiment_id)
        row.status, row.summary, row.plot_names = "finished", table, sorted(files)
        row.updated_at = datetime.now(UTC)
        if score is not None:
            score_prediction(session, experiment_id, score, row.updated_at)
        session.flush()
        staged.place()  # the new plots replace the old ones only with the commit
        session.commit()
    heartbeat.discard(experiment_id)
    return stored_files(folder, uid, sorted(files))[1]


def get_experiment(db: Database, experiment_id: int) -> ExperimentEntry:
    """Experiment *experiment_id* with its points, in sweep order, and its prediction."""
    check.check_id(experiment_id, "experiments")
    points = select(ExperimentPointRow).where(ExperimentPointRow.experiment_id == experiment_id)
    guess = select(PredictionRow).where(PredictionRow.experiment_id == experiment_id)
    with db.reading() as session:
        row = db.require(session, ExperimentRow, experiment_id)
        point_rows = session.scalars(points.order_by(ExperimentPointRow.position)).all()
        prediction = session.scalar(guess)
    return experiment_entry(
        db,
        row,
        points=[to_entry(PointEntry, p) for p in point_rows],
        n_points=len(point_rows),
        prediction=None if prediction is None else prediction_entry(prediction),
    )


def list_experiments(db: Database, limit: int | None) -> list[ExperimentEntry]:
    """Experiments, newest first, without their points (``n_points`` counts them)."""
    query = newest_first(ExperimentRow, limit)
    counts = select(ExperimentPointRow.experiment_id, func.count()).group_by(
        ExperimentPointRow.experiment_id
    )
    with db.reading() as session:
        rows = session.scalars(query).all()
        n_points: dict[int, int] = dict(session.execute(counts).all())
        guesses = predictions_of(session, [row.id for row in rows])
    now = datetime.now(UTC)
    return [
        experiment_entry(
            db, r, points=[], n_points=n_points.get(r.id, 0), prediction=guesses.get(r.id), now=now
        )
        for r in rows
    ]


def beat(db: Database, experiment_ids: frozenset[int]) -> None:
    """Write the heartbeat of those of *experiment_ids* this process still runs."""
    now = datetime.now(UTC)
    running = select(ExperimentRow).where(
        ExperimentRow.id.in_(experiment_ids), ExperimentRow.status == "running"
    )
    with db.writing("write a heartbeat to") as session:
        for row in session.scalars(running).all():
            if is_this_process(row.owner):  # not one another process took over (--force)
                row.heartbeat_at = now
        session.commit()


def experiment_entry(
    db: Database,
    row: ExperimentRow,
    *,
    points: list[PointEntry],
    n_points: int,
    prediction: PredictionEntry | None,
    now: datetime | None = None,
) -> ExperimentEntry:
    """The entry for *row*: its status as it really is, its plot files on this machine."""
    plots_dir, plot_paths = stored_files(db.folder("experiments"), row.uid, row.plot_names)
    return to_entry(
        ExperimentEntry,
        row,
        status=status_of(row, now or datetime.now(UTC)),
        n_points=n_points,
        points=points,
        prediction=prediction,
        plots_dir=plots_dir,
        plot_paths=plot_paths,
    )


def status_of(row: ExperimentRow, now: datetime) -> str:
    """The stored status, except that a running experiment whose owner is gone (killed,
    without a word) reads ``interrupted``: what it finished is kept, the rest can resume."""
    if row.status == "running" and not owner_alive(row.owner, _last_seen(row), now):
        return "interrupted"
    return row.status


def _last_seen(row: ExperimentRow) -> datetime:
    """The owner's last sign of life (rows from before heartbeats: the last update)."""
    return row.heartbeat_at or row.updated_at
