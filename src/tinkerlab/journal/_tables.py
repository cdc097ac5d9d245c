"""The journal's tables, as SQLAlchemy models.

These classes describe the schema as it is *now*; the migrations in ``migrations/versions/``
describe how a database gets there. The two must agree, and a test checks that they do (an
autogenerate comparison finds nothing to change). To change a table, edit it here and add a
revision: the procedure is in ``docs/journal.md``.

Only types that mean the same on SQLite and PostgreSQL are used: ``JSON`` (``json`` on
PostgreSQL, text on SQLite), ``Text`` rather than length-limited strings (SQLite does not
enforce lengths, PostgreSQL does, so a limit would behave differently on each), and
:class:`UTCDateTime` for times.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

#: Constraint names follow one pattern, so a later migration can name (and drop) them on any
#: backend. SQLite would otherwise leave them unnamed, and Alembic could not alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    PostgreSQL keeps the zone (``timestamptz``) but returns it in the session's zone; SQLite
    keeps none and returns a naive value. Both come back here as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"UTCDateTime needs a timezone-aware datetime; got {value!r}.")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite: the value was stored as UTC wall time
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base of every journal table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RunRow(Base):
    """One run: what was trained, on what, and how well it did."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)  # uuid4 hex, names the plots dir
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    dataset: Mapped[str] = mapped_column(Text, index=True)
    task: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(Text)
    recipe: Mapped[dict[str, Any]] = mapped_column(JSON)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON)
    baseline: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    timings: Mapped[dict[str, float]] = mapped_column(JSON)
    notices: Mapped[list[str]] = mapped_column(JSON)
    # File names only: the directory is <runs dir>/<uid>/ on whichever machine reads the row,
    # so moving TINKERLAB_HOME, or sharing a PostgreSQL journal, never leaves stale paths.
    plot_names: Mapped[list[str]] = mapped_column(JSON)
    data_sha256: Mapped[str] = mapped_column(String(64))
    tinkerlab_version: Mapped[str] = mapped_column(Text)


class NoteRow(Base):
    """A note about one run; it goes when its run goes."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(Text)


class ExperimentNoteRow(Base):
    """A note about one experiment (a sweep, a comparison or a search); it goes with it."""

    __tablename__ = "experiment_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    experiment_id: Mapped[int] = mapped_column(
        ForeignKey("experiments.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(Text)


class QuestionRow(Base):
    """A question, raised by a run or on its own; it outlives its run (the link is cleared)."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("runs.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(Text)
    experiment_id: Mapped[int | None] = mapped_column(
        ForeignKey("experiments.id", ondelete="SET NULL"), index=True
    )
    cards: Mapped[list[str]] = mapped_column(JSON, server_default="[]")  # ids `why` found


class CardReadRow(Base):
    """A theory card opened by the learner (``tinkerlab theory ID``)."""

    __tablename__ = "card_reads"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[str] = mapped_column(Text, index=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UnlockRow(Base):
    """The first time the learner's work unlocked a card: which trigger, met where."""

    __tablename__ = "unlocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[str] = mapped_column(Text, unique=True)
    trigger: Mapped[str] = mapped_column(Text)  # a phenomenon, knob, model or event
    source: Mapped[str] = mapped_column(Text)  # "experiment #3", "run #1"
    unlocked_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ExperimentRow(Base):
    """One experiment: a recipe, one knob and its values; its points arrive as they finish."""

    __tablename__ = "experiments"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)  # uuid4 hex, names the plots dir
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())  # the last point or status
    status: Mapped[str] = mapped_column(Text)  # running, finished, interrupted, failed
    dataset: Mapped[str] = mapped_column(Text, index=True)
    task: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(Text)
    knob: Mapped[str] = mapped_column(Text)  # "max_depth", "train_size", "features"...
    knob_kind: Mapped[str] = mapped_column(Text)  # "param" or the special knob's name
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)  # everything needed to plan it again
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)  # best, verdict, shape; {} until done
    notices: Mapped[list[str]] = mapped_column(JSON)
    plot_names: Mapped[list[str]] = mapped_column(JSON)  # files in <experiments dir>/<uid>/
    # {"host", "pid", "started"} of the process running it (see _owner.py)
    owner: Mapped[dict[str, Any]] = mapped_column(JSON)
    tinkerlab_version: Mapped[str] = mapped_column(Text)
    # The owner's last sign of life, written every 30 s while it runs (revision 0005); a
    # stale one means its process is gone. None in rows written before heartbeats.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ExperimentPointRow(Base):
    """One value of an experiment, on every fold: committed the moment it is complete."""

    __tablename__ = "experiment_points"
    __table_args__ = (UniqueConstraint("experiment_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    experiment_id: Mapped[int] = mapped_column(
        ForeignKey("experiments.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # index of the value in the sweep
    value: Mapped[Any] = mapped_column(JSON)  # the knob's value (JSON null for "(all)")
    label: Mapped[str] = mapped_column(Text)  # as shown: "5", "without Age"
    train: Mapped[dict[str, Any]] = mapped_column(JSON)  # metric -> score per fold (fit rows)
    test: Mapped[dict[str, Any]] = mapped_column(JSON)  # metric -> score per fold (validation)
    fit_time: Mapped[float] = mapped_column(Float)  # mean seconds per fit
    n_train: Mapped[float] = mapped_column(Float)  # mean rows fitted on
    n_test: Mapped[float] = mapped_column(Float)  # mean rows validated on
    notices: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PredictionRow(Base):
    """What the learner expected before an experiment ran, and, once it finished, the score."""

    __tablename__ = "predictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    experiment_id: Mapped[int | None] = mapped_column(
        ForeignKey("experiments.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    dataset: Mapped[str] = mapped_column(Text)
    knob: Mapped[str] = mapped_column(Text)
    knob_kind: Mapped[str] = mapped_column(Text)
    shape: Mapped[str | None] = mapped_column(Text)  # up, down, peak, valley, flat, differs
    best_value: Mapped[Any] = mapped_column(JSON)  # the value expected to score best
    best_score: Mapped[float | None] = mapped_column(Float)  # the best score expected
    scored_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # None: not finished yet
    observed_shape: Mapped[str | None] = mapped_column(Text)  # or "too noisy to tell"
    shape_hit: Mapped[bool | None] = mapped_column(Boolean)  # None: not predicted, or too noisy
    best_hit: Mapped[bool | None] = mapped_column(Boolean)  # guess is the best or tied with it
    best_closeness: Mapped[float | None] = mapped_column(Float)  # 1 - distance / span
    score_error: Mapped[float | None] = mapped_column(Float)  # |guess - best mean|
    score_in_interval: Mapped[bool | None] = mapped_column(Boolean)  # in the best's 95% CI


class AnalysisRow(Base):
    """One analysis of a dataset (``tinkerlab feedback``): its findings and its report file."""

    __tablename__ = "analyses"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)  # uuid4 hex, names the files dir
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    kind: Mapped[str] = mapped_column(Text, index=True)  # "feedback"
    dataset: Mapped[str] = mapped_column(Text, index=True)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)  # the report's to_dict()
    file_names: Mapped[list[str]] = mapped_column(JSON)  # files in <analyses dir>/<uid>/
    tinkerlab_version: Mapped[str] = mapped_column(Text)


class LabDoneRow(Base):
    """A lab of the learning path whose check passed: once per lab, with what it found."""

    __tablename__ = "labs_done"

    id: Mapped[int] = mapped_column(primary_key=True)
    lab_id: Mapped[str] = mapped_column(Text, unique=True)  # "2.3"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)  # the check passed
    evidence: Mapped[list[str]] = mapped_column(JSON)  # what the check found, in words
    tinkerlab_version: Mapped[str] = mapped_column(Text)


class AnswerRow(Base):
    """One answer of the understanding test (``tinkerlab path test``), scored."""

    __tablename__ = "test_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    kind: Mapped[str] = mapped_column(Text)  # "predict" (a curve's shape) or "explain"
    question: Mapped[dict[str, Any]] = mapped_column(JSON)  # what was asked, with its choices
    answer: Mapped[str] = mapped_column(Text)  # what the learner answered
    expected: Mapped[str] = mapped_column(Text)  # the observed shape, or the phenomenon
    correct: Mapped[bool | None] = mapped_column(Boolean)  # None: too noisy to score
    experiment_id: Mapped[int | None] = mapped_column(
        ForeignKey("experiments.id", ondelete="SET NULL"), index=True
    )
