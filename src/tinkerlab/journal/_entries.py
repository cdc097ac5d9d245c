"""What goes into the journal (a :class:`RunLike`) and what comes out (the ``*Entry`` records).

This module is plain Python on purpose: importing it costs nothing, so the command line can
name these types without loading SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

#: One table of scores: metric name -> {"cv_mean": ..., "cv_std": ..., "test": ...}.
#: JSON has no NaN, so a score that is not a finite number is stored, and read back, as None.
MetricTable = dict[str, dict[str, float | None]]


class RecipeLike(Protocol):
    """Anything with ``to_dict()`` returning JSON-able values, like a frozen Recipe."""

    def to_dict(self) -> Mapping[str, Any]: ...


class RunLike(Protocol):
    """What :meth:`Journal.record_run` reads from a run.

    The journal sits above ``tinkerlab.runner`` in the layers but does not import it: any object
    with these attributes can be recorded (``tinkerlab.runner``'s Run has them all). Properties
    rather than plain attributes let frozen dataclasses match too.
    """

    @property
    def recipe(self) -> RecipeLike: ...  # the frozen Recipe that produced the run

    @property
    def dataset_name(self) -> str: ...  # "titanic", or a user file's stem

    @property
    def task(self) -> str: ...  # "classification", "regression", ...

    @property
    def model(self) -> str: ...  # registry name, e.g. "logistic_regression"

    @property
    def metrics(self) -> Mapping[str, Mapping[str, float]]: ...  # {"accuracy": {"test": .8}}

    @property
    def baseline(self) -> Mapping[str, Mapping[str, float]]: ...  # same shape, dummy model

    @property
    def summary(self) -> Mapping[str, Any]: ...  # JSON-able: rows, roles, importances, ...

    @property
    def timings(self) -> Mapping[str, float]: ...  # step name -> seconds

    @property
    def notices(self) -> Sequence[str]: ...  # decisions the user should know about

    @property
    def plots(self) -> Mapping[str, bytes]: ...  # file name -> PNG bytes

    @property
    def data_sha256(self) -> str: ...  # fingerprint of the data the run saw


#: The attributes of a RunLike, checked by record_run before it reads any of them.
RUN_ATTRIBUTES = (
    "recipe",
    "dataset_name",
    "task",
    "model",
    "metrics",
    "baseline",
    "summary",
    "timings",
    "notices",
    "plots",
    "data_sha256",
)


@dataclass(frozen=True, repr=False)
class RunEntry:
    """One recorded run, read back from the journal."""

    id: int  # the journal's number for the run, as shown by `tinkerlab journal`
    uid: str  # globally unique (uuid4 hex); names the run's plot directory
    created_at: datetime  # when the run was recorded, timezone-aware UTC
    dataset: str  # the run's dataset_name
    task: str  # "classification", "regression", ...
    model: str  # registry name of the model
    recipe: dict[str, Any]  # Recipe.to_dict(): enough to run it again
    metrics: MetricTable  # the model's scores
    baseline: MetricTable  # the dummy baseline's scores, same shape
    summary: dict[str, Any]  # rows, features by role, importances, confusion matrix...
    timings: dict[str, float]  # step name -> seconds
    notices: list[str]  # decisions the user should know about
    data_sha256: str  # fingerprint of the data the run saw
    tinkerlab_version: str  # the version that recorded the run
    plots_dir: Path | None  # <runs dir>/<uid>/, or None for a run without plots
    plot_paths: list[Path]  # one file per plot, inside plots_dir

    def __repr__(self) -> str:
        # The summary can be large; a run is named by what a person scans for.
        when = self.created_at.strftime("%Y-%m-%d %H:%M:%S")
        return f"RunEntry(id={self.id}, dataset={self.dataset!r}, model={self.model!r}, {when} UTC)"


@dataclass(frozen=True)
class NoteEntry:
    """Something the learner wrote about one run ("accuracy fell when I dropped Age")."""

    id: int
    run_id: int  # the run it is about
    created_at: datetime  # timezone-aware UTC
    text: str


@dataclass(frozen=True)
class QuestionEntry:
    """A question the learner asked ("why does the test score beat the CV mean?")."""

    id: int
    run_id: int | None  # the run that raised it, if any
    created_at: datetime  # timezone-aware UTC
    text: str
