"""The journal: the durable record of runs, notes, questions, experiments and predictions.

It stores and returns records; what they add up to is worked out outside it, from the
entries it hands back (the prediction record: ``tinkerlab.experiment.summarize_predictions``;
the cards unlocked: ``tinkerlab.insight``).

A SQLite file in tinkerlab's home directory by default; PostgreSQL by URL for a class or a
team (``TINKERLAB_DB=postgresql+psycopg://user@host/db``). Opening a journal migrates it to
this version's schema. Tables and the migration procedure: ``docs/journal.md``.

Examples
--------
>>> from tinkerlab.journal import open_journal
>>> with open_journal("sqlite://") as journal:  # in memory; no argument: the default journal
...     journal.questions()
[]

Importing this package is cheap: :class:`Journal` and :func:`open_journal` (and with them
SQLAlchemy and Alembic) load on first use, so ``tinkerlab --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tinkerlab.journal._as_run import as_run
from tinkerlab.journal._entries import (
    AnalysisEntry,
    AnswerEntry,
    ExperimentEntry,
    ExperimentNoteEntry,
    LabDoneEntry,
    NoteEntry,
    PointEntry,
    PredictionEntry,
    QuestionEntry,
    RecipeLike,
    RunEntry,
    RunLike,
    UnlockEntry,
)
from tinkerlab.journal._refs import parse_record

if TYPE_CHECKING:
    from tinkerlab.journal._store import Journal, open_journal

__all__ = [
    "AnalysisEntry",
    "AnswerEntry",
    "ExperimentEntry",
    "ExperimentNoteEntry",
    "Journal",
    "LabDoneEntry",
    "NoteEntry",
    "PointEntry",
    "PredictionEntry",
    "QuestionEntry",
    "RecipeLike",
    "RunEntry",
    "RunLike",
    "UnlockEntry",
    "as_run",
    "open_journal",
    "parse_record",
]


def __getattr__(name: str) -> Any:
    # Called only for names not found above (PEP 562): load the store on first use.
    if name in ("Journal", "open_journal"):
        from tinkerlab.journal import _store

        return getattr(_store, name)
    raise AttributeError(f"module 'tinkerlab.journal' has no attribute {name!r}")
