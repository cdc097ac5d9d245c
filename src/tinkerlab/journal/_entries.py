"""What goes into the journal (a :class:`RunLike`) and what comes out (the ``*Entry`` records).

Every entry is made from its table row the same way, by :func:`to_entry`: a field is the
row's column of the same name unless the record kind computes it (a status, file paths).

This module is plain Python on purpose: importing it costs nothing, so the command line can
name these types without loading SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from _typeshed import DataclassInstance

Entry = TypeVar("Entry", bound="DataclassInstance")

#: One table of scores: metric name -> {"cv_mean": ..., "cv_std": ..., "test": ...}.
#: JSON has no NaN, so a score that is not a finite number is stored, and read back, as None.
MetricTable = dict[str, dict[str, float | None]]


class RecipeLike(Protocol):
    """Anything with ``to_dict()`` returning JSON-able values, like a frozen Recipe."""

    def to_dict(self) -> Mapping[str, Any]: ...


class RunLike(Protocol):
    """What :meth:`Journal.record_run` reads from a run.

    The journal sits above ``tinkerlab.runner`` in the layers but does not need it: any object
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

    # And one of: ``plot_data`` (file name -> what draws it, tinkerlab's Run: the journal
    # stores it and draws each PNG when first asked for), or ``plots`` (file name -> PNG
    # bytes, stored as they are). Neither is declared here: reading a Run's ``plots``
    # would draw them all.

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
    plot_names: list[str]  # one file per plot, inside plots_dir ("confusion_matrix.png")

    @property
    def plot_paths(self) -> list[Path]:
        """The run's plot files, inside :attr:`plots_dir`; one not drawn yet is drawn now.

        A run records what draws its plots, not the pictures
        (:mod:`tinkerlab.runner._plots`): the first to ask for them (``journal show``, the
        web lab, ``export``) draws them, once; the files stay. Runs recorded with their
        PNGs are read as they are.
        """
        from tinkerlab.journal._plots import drawn_plots

        return drawn_plots(self.plots_dir, self.plot_names)

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
class ExperimentNoteEntry:
    """Something the learner wrote about one experiment ("depth 5 is where it turns")."""

    id: int
    experiment_id: int  # the sweep, comparison or search it is about
    created_at: datetime  # timezone-aware UTC
    text: str


@dataclass(frozen=True)
class QuestionEntry:
    """A question the learner asked ("why does the test score beat the CV mean?")."""

    id: int
    run_id: int | None  # the run that raised it, if any
    created_at: datetime  # timezone-aware UTC
    text: str
    experiment_id: int | None = None  # the experiment that raised it, if any
    cards: tuple[str, ...] = ()  # the cards `tinkerlab why` found for it, best first
    cards_read: tuple[str, ...] = ()  # those of them read since it was asked

    @property
    def is_open(self) -> bool:
        """Open until one of the cards found for it has been read."""
        return not self.cards_read


@dataclass(frozen=True)
class UnlockEntry:
    """A card the learner's work unlocked: the first trigger met, and where."""

    card_id: str
    trigger: str  # "overfitting", "max_depth", "first_run"...
    source: str  # "experiment #3", "run #1"
    unlocked_at: datetime  # timezone-aware UTC


@dataclass(frozen=True)
class PointEntry:
    """One finished value of an experiment: its scores on every fold."""

    position: int  # index of the value in the sweep
    value: Any  # the knob's value (None for a feature sweep's reference point)
    label: str  # as shown: "5", "without Age"
    train: dict[str, list[float | None]]  # metric -> score per fold on the rows fitted on
    test: dict[str, list[float | None]]  # metric -> score per fold on the validation rows
    fit_time: float  # mean seconds per fit
    n_train: float  # mean rows fitted on
    n_test: float  # mean rows validated on
    notices: list[str]  # warnings, failed fits
    created_at: datetime  # when it was committed, timezone-aware UTC


@dataclass(frozen=True)
class PredictionEntry:
    """A prediction made before an experiment, and how it scored (None until it finished)."""

    id: int
    experiment_id: int | None  # the experiment it was made for
    created_at: datetime  # when it was made (before the run), timezone-aware UTC
    dataset: str
    knob: str  # "max_depth", "train_size"...
    knob_kind: str  # "param", or the special knob's name
    shape: str | None  # up, down, peak, valley, flat, differs
    best_value: Any  # the value expected to score best, or None
    best_score: float | None  # the best score expected, or None
    scored_at: datetime | None  # when the experiment finished and the prediction was scored
    observed_shape: str | None  # what the curve did, or "too noisy to tell"
    shape_hit: bool | None  # None: no shape predicted, or too noisy to tell
    best_hit: bool | None  # the guessed value is the best or statistically tied with it
    best_closeness: float | None  # 1 - distance from guess to best / swept span (numbers)
    score_error: float | None  # |score guess - best mean score|
    score_in_interval: bool | None  # the score guess lies in the best's 95% interval


@dataclass(frozen=True, repr=False)
class ExperimentEntry:
    """One recorded experiment, read back from the journal."""

    id: int  # what `tinkerlab tinker --resume ID` takes
    uid: str  # uuid4 hex; names the plot directory
    created_at: datetime  # when it started, timezone-aware UTC
    updated_at: datetime  # its last point or status change
    status: str  # running, finished, interrupted, failed (a dead owner reads "interrupted")
    dataset: str
    task: str
    model: str
    knob: str
    knob_kind: str
    spec: dict[str, Any]  # the recipe, values, metric, repeats: enough to plan it again
    summary: dict[str, Any]  # best, verdict, shape... ({} until it finished)
    notices: list[str]
    owner: dict[str, Any]  # {"host", "pid", "started"} of the process that last ran it
    tinkerlab_version: str
    n_points: int  # points finished so far
    points: list[PointEntry]  # in sweep order (empty in listings)
    prediction: PredictionEntry | None
    plots_dir: Path | None  # <experiments dir>/<uid>/, once finished with plots
    plot_paths: list[Path]
    heartbeat_at: datetime | None = None  # its owner's last sign of life (None: older rows)

    @property
    def n_values(self) -> int:
        """How many values the sweep has."""
        return len(self.spec.get("values", []))

    def __repr__(self) -> str:
        return (
            f"ExperimentEntry(id={self.id}, knob={self.knob!r}, dataset={self.dataset!r}, "
            f"status={self.status!r}, points={self.n_points}/{self.n_values})"
        )


@dataclass(frozen=True, repr=False)
class AnalysisEntry:
    """One recorded analysis of a dataset (``tinkerlab feedback``), read back."""

    id: int  # the journal's number for it, as `tinkerlab journal analyses` shows
    uid: str  # uuid4 hex; names its files directory
    created_at: datetime  # timezone-aware UTC
    kind: str  # "feedback"
    dataset: str
    summary: dict[str, Any]  # the report's to_dict(): every number it showed
    tinkerlab_version: str
    files_dir: Path | None  # <analyses dir>/<uid>/, or None without files
    file_paths: list[Path]  # the report (feedback.html), inside files_dir

    @property
    def headline(self) -> str:
        """The findings in one line (the summary's ``headline``), or an empty string."""
        headline = self.summary.get("headline", "")
        return headline if isinstance(headline, str) else ""

    def __repr__(self) -> str:
        when = self.created_at.strftime("%Y-%m-%d %H:%M:%S")
        return (
            f"AnalysisEntry(id={self.id}, kind={self.kind!r}, dataset={self.dataset!r}, {when} UTC)"
        )


@dataclass(frozen=True)
class LabDoneEntry:
    """A lab of the learning path whose check passed (``tinkerlab path check ID``)."""

    lab_id: str  # "2.3"
    created_at: datetime  # when its check first passed, timezone-aware UTC
    evidence: list[str]  # what the check found, in words ("run #4 on customers.csv")


@dataclass(frozen=True)
class AnswerEntry:
    """One scored answer of the understanding test (``tinkerlab path test``)."""

    id: int
    created_at: datetime  # timezone-aware UTC
    kind: str  # "predict" (a curve's shape) or "explain" (a finding in your results)
    question: dict[str, Any]  # what was asked: the experiment or the finding, the choices
    answer: str  # what the learner answered
    expected: str  # the shape observed, or the phenomenon detected
    correct: bool | None  # None: the curve was too noisy to score the shape
    experiment_id: int | None  # the experiment it ran or asked about


def to_entry(entry_type: type[Entry], row: object, **computed: Any) -> Entry:
    """The one mapping from a table row to what the journal hands out.

    Each field of *entry_type* is the row's attribute of the same name, unless *computed*
    gives it. Columns the entry does not show (a row's ``plot_names``) are left behind; a
    field neither the row nor *computed* has is an error here, not a silent None.

    >>> from types import SimpleNamespace
    >>> from datetime import UTC, datetime
    >>> when = datetime(2026, 1, 1, tzinfo=UTC)
    >>> row = SimpleNamespace(id=1, run_id=3, created_at=when, text="hm", extra="left behind")
    >>> to_entry(NoteEntry, row).text
    'hm'
    """
    names = [field.name for field in fields(entry_type) if field.name not in computed]
    return entry_type(**{name: getattr(row, name) for name in names}, **computed)
