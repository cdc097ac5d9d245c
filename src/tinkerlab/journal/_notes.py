"""Notes and questions: what the learner wrote about a run, and what a result made them ask.

A note belongs to one run or one experiment and goes with it. A question may be about a run,
an experiment or nothing in particular, and outlives them; it carries the ids of the theory cards
``tinkerlab why`` found for it, and stays open until one of them has been read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tinkerlab.journal import _checks as check
from tinkerlab.journal._cards import last_reads
from tinkerlab.journal._database import Database
from tinkerlab.journal._entries import ExperimentNoteEntry, NoteEntry, QuestionEntry, to_entry
from tinkerlab.journal._tables import (
    ExperimentNoteRow,
    ExperimentRow,
    NoteRow,
    QuestionRow,
    RunRow,
)


def add_note(db: Database, run_id: int, text: str) -> NoteEntry:
    """Write a note about run *run_id* (which must exist)."""
    check.check_id(run_id)
    row = NoteRow(run_id=run_id, created_at=datetime.now(UTC), text=check.words(text, "note"))
    with db.writing("add a note to") as session:
        db.require(session, RunRow, run_id)
        session.add(row)
        session.commit()
    return to_entry(NoteEntry, row)


def notes(db: Database, run_id: int) -> list[NoteEntry]:
    """The notes about run *run_id*, oldest first."""
    check.check_id(run_id)
    query = select(NoteRow).where(NoteRow.run_id == run_id)
    with db.reading() as session:
        db.require(session, RunRow, run_id)
        rows = session.scalars(query.order_by(NoteRow.created_at, NoteRow.id)).all()
    return [to_entry(NoteEntry, row) for row in rows]


def add_experiment_note(db: Database, experiment_id: int, text: str) -> ExperimentNoteEntry:
    """Write a note about experiment *experiment_id* (which must exist)."""
    check.check_id(experiment_id, "experiments")
    row = ExperimentNoteRow(
        experiment_id=experiment_id, created_at=datetime.now(UTC), text=check.words(text, "note")
    )
    with db.writing("add a note to") as session:
        db.require(session, ExperimentRow, experiment_id)
        session.add(row)
        session.commit()
    return to_entry(ExperimentNoteEntry, row)


def experiment_notes(db: Database, experiment_id: int) -> list[ExperimentNoteEntry]:
    """The notes about experiment *experiment_id*, oldest first."""
    check.check_id(experiment_id, "experiments")
    query = select(ExperimentNoteRow).where(ExperimentNoteRow.experiment_id == experiment_id)
    order = (ExperimentNoteRow.created_at, ExperimentNoteRow.id)
    with db.reading() as session:
        db.require(session, ExperimentRow, experiment_id)
        rows = session.scalars(query.order_by(*order)).all()
    return [to_entry(ExperimentNoteEntry, row) for row in rows]


def add_question(
    db: Database,
    text: str,
    run_id: int | None,
    experiment_id: int | None,
    cards: Sequence[str],
) -> QuestionEntry:
    """Write down a question, about a run or an experiment (which must exist) or neither."""
    row = QuestionRow(
        run_id=None if run_id is None else check.check_id(run_id),
        experiment_id=None
        if experiment_id is None
        else check.check_id(experiment_id, "experiments"),
        created_at=datetime.now(UTC),
        text=check.words(text, "question"),
        cards=check.strings(list(cards), "cards"),
    )
    with db.writing("add a question to") as session:
        _require_subjects(db, session, run_id, experiment_id)
        session.add(row)
        session.commit()
    return question_entry(row, {})


def questions(
    db: Database, run_id: int | None, experiment_id: int | None, open_only: bool
) -> list[QuestionEntry]:
    """The questions (about one run or experiment, or all), oldest first, each with the
    cards found for it that were read since it was asked; *open_only*: none read yet."""
    query = select(QuestionRow).order_by(QuestionRow.created_at, QuestionRow.id)
    if run_id is not None:
        query = query.where(QuestionRow.run_id == check.check_id(run_id))
    if experiment_id is not None:
        query = query.where(
            QuestionRow.experiment_id == check.check_id(experiment_id, "experiments")
        )
    with db.reading() as session:
        _require_subjects(db, session, run_id, experiment_id)
        rows = session.scalars(query).all()
        read = last_reads(session)
    entries = [question_entry(row, read) for row in rows]
    return [e for e in entries if e.is_open] if open_only else entries


def question_entry(row: QuestionRow, last_read: dict[str, datetime]) -> QuestionEntry:
    """The entry for *row*; a card counts as read if it was opened after the question."""
    cards = tuple(row.cards or ())
    read = tuple(c for c in cards if c in last_read and last_read[c] >= row.created_at)
    return to_entry(QuestionEntry, row, cards=cards, cards_read=read)


def _require_subjects(
    db: Database, session: Session, run_id: int | None, experiment_id: int | None
) -> None:
    if run_id is not None:
        db.require(session, RunRow, run_id)
    if experiment_id is not None:
        db.require(session, ExperimentRow, experiment_id)
