"""Predictions: what the learner expected before an experiment ran, and how it scored.

A prediction is written with its experiment, before anything is fitted, and its score
(computed by ``tinkerlab.experiment``) is stored when the experiment finishes. The journal
stores and returns these records; what they add up to (how often the predictions came true,
how well calibrated the score guesses are) is arithmetic over them, done above the storage:
:func:`tinkerlab.experiment.summarize_predictions`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tinkerlab.exceptions import InputError
from tinkerlab.journal import _checks as check
from tinkerlab.journal._database import Database
from tinkerlab.journal._entries import PredictionEntry, to_entry
from tinkerlab.journal._json import json_object, to_json
from tinkerlab.journal._tables import ExperimentRow, PredictionRow

#: What a prediction's score holds, and the type of each value (each may be None).
SCORE_FIELDS = {
    "observed_shape": str,
    "shape_hit": bool,
    "best_hit": bool,
    "best_closeness": float,
    "score_error": float,
    "score_in_interval": bool,
}


def prediction_row(
    prediction: Mapping[str, Any], experiment: ExperimentRow, now: datetime
) -> PredictionRow:
    """A new, unsaved row for *prediction* (``shape``, ``best_value``, ``best_score``),
    made before *experiment*."""
    shape = prediction.get("shape")
    if shape is not None and not isinstance(shape, str):
        raise InputError(f"prediction['shape'] must be a string or None; got {shape!r:.60}.")
    score = prediction.get("best_score")
    return PredictionRow(
        created_at=now,
        dataset=experiment.dataset,
        knob=experiment.knob,
        knob_kind=experiment.knob_kind,
        shape=shape,
        best_value=to_json(prediction.get("best_value"), "prediction['best_value']"),
        best_score=None if score is None else check.number(score, "prediction['best_score']"),
    )


def check_score(score: object) -> dict[str, Any]:
    """The score of a prediction, checked: every field of :data:`SCORE_FIELDS`."""
    plain = json_object(score, "prediction_score")
    return {
        name: check.optional(plain.get(name), kind, f"prediction_score[{name!r}]")
        for name, kind in SCORE_FIELDS.items()
    }


def score_prediction(
    session: Session, experiment_id: int, score: Mapping[str, Any], now: datetime
) -> None:
    """Store the (checked) *score* on the prediction made for *experiment_id*, if any."""
    row = session.scalar(select(PredictionRow).where(PredictionRow.experiment_id == experiment_id))
    if row is None:
        return
    row.scored_at = now
    for name, value in score.items():
        setattr(row, name, value)


def predictions_of(session: Session, experiment_ids: list[int]) -> dict[int, PredictionEntry]:
    """The predictions made for these experiments, by experiment id, in an open session."""
    query = select(PredictionRow).where(PredictionRow.experiment_id.in_(experiment_ids))
    rows = session.scalars(query).all()
    return {row.experiment_id: prediction_entry(row) for row in rows if row.experiment_id}


def predictions(db: Database) -> list[PredictionEntry]:
    """Every prediction, oldest first."""
    query = select(PredictionRow).order_by(PredictionRow.created_at, PredictionRow.id)
    with db.reading() as session:
        return [prediction_entry(row) for row in session.scalars(query).all()]


def prediction_entry(row: PredictionRow) -> PredictionEntry:
    """The entry for *row*: every field is a column of the same name."""
    return to_entry(PredictionEntry, row)
