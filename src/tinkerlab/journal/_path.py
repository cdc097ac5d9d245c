"""The learning path's progress: labs whose check passed, and the understanding test's answers.

A lab is recorded once, the first time its check passes, with what the check found (in
words), so ``tinkerlab path`` can say where the learner is without running every check
again. Each answer of the understanding test is a row: the score over time is read from them.
Which lab comes next, and what a check looks for, is ``tinkerlab.path``'s business.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from tinkerlab.exceptions import InputError
from tinkerlab.journal import _checks as check
from tinkerlab.journal._database import Database, tinkerlab_version
from tinkerlab.journal._entries import AnswerEntry, LabDoneEntry, to_entry
from tinkerlab.journal._json import json_object
from tinkerlab.journal._tables import AnswerRow, ExperimentRow, LabDoneRow

#: The kinds of question the understanding test asks.
ANSWER_KINDS = ("predict", "explain")


def record_lab_done(db: Database, lab_id: str, evidence: Sequence[str]) -> LabDoneEntry:
    """Record that lab *lab_id* passed its check; a lab already recorded keeps its first pass."""
    lab_id = check.words(lab_id, "lab id")
    found = check.strings(list(evidence), "evidence")
    with db.writing("record a lab done in") as session:
        row = session.scalars(select(LabDoneRow).where(LabDoneRow.lab_id == lab_id)).first()
        if row is None:
            row = LabDoneRow(
                lab_id=lab_id,
                created_at=datetime.now(UTC),
                evidence=found,
                tinkerlab_version=tinkerlab_version(),
            )
            session.add(row)
            session.commit()
        return to_entry(LabDoneEntry, row)


def labs_done(db: Database) -> list[LabDoneEntry]:
    """The labs done so far, in the order their checks first passed."""
    query = select(LabDoneRow).order_by(LabDoneRow.created_at, LabDoneRow.id)
    with db.reading() as session:
        return [to_entry(LabDoneEntry, row) for row in session.scalars(query).all()]


def record_answer(
    db: Database,
    kind: str,
    question: Mapping[str, Any],
    answer: str,
    expected: str,
    correct: bool | None,
    experiment_id: int | None,
) -> AnswerEntry:
    """Store one scored answer of the understanding test."""
    if kind not in ANSWER_KINDS:
        raise InputError(
            f"An answer of the understanding test is one of {', '.join(ANSWER_KINDS)}; "
            f"got {kind!r}."
        )
    row = AnswerRow(
        created_at=datetime.now(UTC),
        kind=kind,
        question=json_object(question, "question"),
        answer=check.text(answer, "answer"),
        expected=check.text(expected, "expected"),
        correct=check.optional(correct, bool, "correct"),
        experiment_id=None
        if experiment_id is None
        else check.check_id(experiment_id, "experiments"),
    )
    with db.writing("record a test answer in") as session:
        if experiment_id is not None:
            db.require(session, ExperimentRow, experiment_id)
        session.add(row)
        session.commit()
    return to_entry(AnswerEntry, row)


def answers(db: Database) -> list[AnswerEntry]:
    """Every answer of the understanding test, oldest first."""
    query = select(AnswerRow).order_by(AnswerRow.created_at, AnswerRow.id)
    with db.reading() as session:
        return [to_entry(AnswerEntry, row) for row in session.scalars(query).all()]
