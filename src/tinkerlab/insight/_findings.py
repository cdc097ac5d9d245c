"""What the detectors read and write: :class:`SweepResults` in, :class:`Finding` out.

A :class:`SweepResults` is an experiment's numbers and nothing else: the values, the train
and validation score of every value on every paired fold, the rows behind them, the dummy
baseline, the level the experiment's tests were taken at, and the columns a data check
found to give the target away. It is built from a live experiment or from the journal, so
``tinkerlab explain ID`` runs today's detectors on any stored experiment.

:class:`_View` orients the scores (higher is better) and runs the one test every detector
uses: the corrected resampled t-test between two values' paired folds, with each value's
correction taken from the split's design (:func:`tinkerlab.experiment.design_rows`). The
helpers below it turn tests into words: *real* (beyond noise and at least a size), *the
same* (an equivalence test), and a confidence.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

import numpy as np

from tinkerlab.experiment import (
    ALPHA,
    TestResult,
    design_rows,
    flat_tolerance,
    paired_points_test,
)
from tinkerlab.insight._phenomena import READ_NEXT, phenomenon_title

#: Metrics whose values live in [0, 1] (or at most 1, like R²): the absolute thresholds apply.
UNIT_METRICS = frozenset(
    {"accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc", "r2"}
)


@dataclass(frozen=True)
class Finding:
    """One phenomenon spotted in one experiment or run.

    Attributes
    ----------
    id : str
        A phenomenon id (:data:`~tinkerlab.insight.PHENOMENA`), stable across versions.
    confidence : float
        In [0, 1]: one minus the p-value of the weakest test the finding rests on.
    evidence : str
        The numbers (and columns) that show it, about this experiment.
    numbers : dict
        The same numbers, for scripts (``--json``).
    """

    id: str
    confidence: float
    evidence: str
    numbers: dict[str, Any] = field(default_factory=dict)

    @property
    def card(self) -> str:
        """The theory card to read next."""
        return READ_NEXT[self.id]

    @property
    def title(self) -> str:
        """The phenomenon in words: ``overfitting`` -> "overfitting"."""
        return phenomenon_title(self.id)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: id, confidence, evidence, numbers, card."""
        return {
            "id": self.id,
            "confidence": round(self.confidence, 4),
            "evidence": self.evidence,
            "numbers": self.numbers,
            "card": self.card,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """Read a finding back from :meth:`to_dict`'s output (the journal's record)."""
        return cls(
            id=str(data["id"]),
            confidence=float(data.get("confidence", 0.0)),
            evidence=str(data.get("evidence", "")),
            numbers=dict(data.get("numbers") or {}),
        )

    def line(self) -> str:
        """One line: "overfitting — past max_depth=4 ... (confidence 0.99; card: overfitting)"."""
        return (
            f"{self.title} — {self.evidence} (confidence {self.confidence:.2f}; "
            f"card: tinkerlab theory {self.card})"
        )


@dataclass(frozen=True)
class SweepResults:
    """An experiment's numbers, as the detectors read them (no models, no data).

    ``train`` and ``test`` are ``(values, folds)`` arrays in the metric's own units (NaN
    where a fit failed); ``baseline`` is the dummy model's validation score per fold.
    """

    knob: str  # "max_depth", "train_size", "features"...
    kind: str  # "param" or the special knob's name
    values: tuple[Any, ...]
    labels: tuple[str, ...]
    train: np.ndarray  # (values, folds) score on the rows fitted on
    test: np.ndarray  # (values, folds) score on the validation rows
    n_train: np.ndarray  # (values,) mean rows fitted on per fold
    n_test: np.ndarray  # (values,) mean rows validated on per fold
    ordered: bool  # the values lie on an axis
    metric: str = "accuracy"
    higher_is_better: bool = True
    task: str = "classification"
    model: str = ""
    mode: str | None = None  # features: drop-one or add-one
    reference: int = 0  # the default's position
    notices: tuple[tuple[str, ...], ...] = ()  # per value: warnings and failed folds
    baseline: np.ndarray | None = None  # (folds,) the dummy's validation score
    majority: float | None = None  # share of the commonest class (classification)
    n_classes: int | None = None  # classes of the target (classification)
    alpha: float = ALPHA  # the level of the experiment's tests (a sequential look's level)
    #: Feature columns a data check found to give the target away: (column, evidence).
    twins: tuple[tuple[str, str], ...] = ()
    #: Learning curves: a flexible reference model's validation score per fold at the
    #: largest training size (what this model's form costs: its bias).
    flexible: np.ndarray | None = None

    @classmethod
    def build(cls, **fields: Any) -> SweepResults:
        """Make one from plain lists (tests, notebooks): arrays are converted."""
        for name in ("train", "test", "n_train", "n_test"):
            fields[name] = np.asarray(fields[name], dtype=float)
        for name in ("baseline", "flexible"):
            if fields.get(name) is not None:
                fields[name] = np.asarray(fields[name], dtype=float)
        fields["values"] = tuple(fields["values"])
        fields["labels"] = tuple(fields["labels"])
        fields["notices"] = tuple(tuple(n) for n in fields.get("notices", ()))
        fields["twins"] = tuple((str(c), str(w)) for c, w in fields.get("twins", ()))
        return cls(**fields)

    @classmethod
    def from_experiment(cls, experiment: Any) -> SweepResults:
        """Read a finished :class:`tinkerlab.experiment.Experiment`."""
        from tinkerlab.insight._detect_run import target_twins

        name = experiment.metric.name
        points, recipe = experiment.points, experiment.recipe
        frame = getattr(experiment, "training_frame", None)
        twins: list[tuple[str, str]] = []
        if frame is not None:
            features = [c for c in frame.columns if c != recipe.target]
            twins = target_twins(frame, recipe.target, recipe.task, features)
        return cls.build(
            knob=experiment.sweep.knob,
            kind=experiment.sweep.kind.name,
            values=[p.value for p in points],
            labels=[p.label for p in points],
            train=[p.train[name] for p in points],
            test=[p.test[name] for p in points],
            n_train=[p.n_train for p in points],
            n_test=[p.n_test for p in points],
            ordered=experiment.sweep.ordered,
            metric=name,
            higher_is_better=experiment.higher_is_better,
            task=recipe.task,
            model=recipe.model,
            mode=experiment.sweep.mode,
            reference=experiment.sweep.reference,
            notices=[p.notices for p in points],
            baseline=experiment.baseline,
            majority=experiment.majority,
            n_classes=getattr(experiment, "n_classes", None),
            alpha=experiment.summary.alpha,
            twins=twins,
            flexible=getattr(experiment, "flexible", None),
        )

    @classmethod
    def from_entry(cls, entry: Any) -> SweepResults:
        """Read an experiment from the journal (:class:`tinkerlab.journal.ExperimentEntry`).

        Folds that adaptive repeats added after the points were recorded come from the
        summary's ``extra_folds``; a data check's columns from its recorded leakage finding.
        """
        spec, summary = entry.spec, entry.summary
        name = spec["metric"]
        points = entry.points
        extra = summary.get("extra_folds") or {}

        def floats(scores: Sequence[float | None]) -> list[float]:
            return [math.nan if v is None else float(v) for v in scores]

        def folds(p: Any, side: str) -> list[float]:
            more = (extra.get(str(p.position)) or {}).get(side) or []
            return floats([*getattr(p, side)[name], *more])

        baseline = summary.get("baseline")
        twins = [
            tuple(t)
            for f in summary.get("phenomena") or []
            if isinstance(f, Mapping) and f.get("id") == "leakage"
            for t in (f.get("numbers") or {}).get("twins") or []
        ]
        return cls.build(
            knob=entry.knob,
            kind=entry.knob_kind,
            values=[p.value for p in points],
            labels=[p.label for p in points],
            train=[folds(p, "train") for p in points],
            test=[folds(p, "test") for p in points],
            n_train=[p.n_train for p in points],
            n_test=[p.n_test for p in points],
            ordered=bool(spec.get("ordered")),
            metric=name,
            higher_is_better=bool(summary.get("higher_is_better", True)),
            task=entry.task,
            model=entry.model,
            mode=spec.get("mode"),
            reference=int(spec.get("reference") or 0),
            notices=[p.notices for p in points],
            baseline=None if baseline is None else floats(baseline),
            majority=summary.get("majority"),
            n_classes=summary.get("n_classes"),
            alpha=float(summary.get("alpha") or ALPHA),
            twins=twins,
            flexible=None if summary.get("flexible") is None else floats(summary["flexible"]),
        )


class _View:
    """Oriented scores (higher is better) and the tests between values, for one sweep."""

    def __init__(self, r: SweepResults) -> None:
        self.r = r
        self.alpha = r.alpha
        self.sign = 1.0 if r.higher_is_better else -1.0
        self.cv = self.sign * r.test  # (values, folds)
        self.tr = self.sign * r.train  # (values, folds)
        with np.errstate(all="ignore"):
            self.cv_mean = np.array([_nanmean(row) for row in self.cv])  # (values,)
            self.tr_mean = np.array([_nanmean(row) for row in self.tr])  # (values,)
        finite = self.cv_mean[np.isfinite(self.cv_mean)]
        level = float(np.max(np.abs(finite))) if finite.size else 1.0
        self.tol = flat_tolerance(r.metric, level)
        self.unit = r.metric in UNIT_METRICS
        self.rows = design_rows(r.kind, r.values, r.n_train, r.n_test)  # the correction's rows

    @property
    def fitted(self) -> list[int]:
        """Positions whose validation scores are all finite."""
        return [i for i in range(len(self.r.values)) if np.all(np.isfinite(self.r.test[i]))]

    def best(self) -> int:
        """Position of the best mean validation score (among fitted values; the first of
        equals, as the experiment's summary picks it)."""
        return max(self.fitted, key=lambda i: (self.cv_mean[i], -i))

    def tied(self) -> list[int]:
        """The fitted values not significantly worse than the best: exactly the ≈ marks of
        the experiment's table (:func:`tinkerlab.experiment.ties_with_best`)."""
        from tinkerlab.experiment import Curve, ties_with_best

        curve = Curve([self.cv[i] for i in range(len(self.cv))], self.rows, alpha=self.alpha)
        return list(ties_with_best(curve, self.best()))

    def pair(self, a: np.ndarray, b: np.ndarray, i: int, j: int) -> TestResult | None:
        """Paired fold scores *a* (of value *i*) against *b* (of value *j*)."""
        keep = np.isfinite(a) & np.isfinite(b)
        if keep.sum() < 2:
            return None
        rows_i = (self.rows[0][i], self.rows[1][i])
        rows_j = (self.rows[0][j], self.rows[1][j])
        return paired_points_test(a[keep], b[keep], rows_i, rows_j, confidence=1 - self.alpha)

    def test(self, i: int, j: int, *, train_side: bool = False) -> TestResult | None:
        """The corrected t-test of value *i* against *j* (oriented: positive = i better)."""
        side = self.tr if train_side else self.cv
        return self.pair(side[i], side[j], i, j)

    def gap_test(self, i: int) -> TestResult | None:
        """Value *i*'s training score against its own validation score, fold by fold."""
        return self.pair(self.tr[i], self.cv[i], i, i)

    def real(self, test: TestResult | None, size: float) -> TypeGuard[TestResult]:
        """Beyond noise (p < alpha) and at least *size* large, in the positive direction."""
        return test is not None and test.significant(self.alpha) and test.mean_diff >= size

    def differs(self, test: TestResult | None) -> bool:
        """Significantly different (a failed test counts as not different)."""
        return test is not None and test.significant(self.alpha)

    def show(self, i: int, which: str = "cv") -> str:
        """A score as the metric reads (un-oriented): ``0.81``."""
        value = (self.cv_mean if which == "cv" else self.tr_mean)[i] * self.sign
        return fmt(value)

    def at(self, i: int) -> str:
        """``max_depth=4`` or ``without Age``."""
        label = self.r.labels[i]
        if self.r.kind == "features":
            return label
        return f"{self.r.knob}={label}"


# --- tests into words ----------------------------------------------------------------------


def equivalence_p(test: TestResult, tol: float) -> float:
    """p-value of "the difference lies within ±tol" (two one-sided tests, from the CI)."""
    return max(upper_p(test, tol), _one_sided_p(test, test.mean_diff + tol))


def upper_p(test: TestResult, bound: float) -> float:
    """One-sided p-value of "the difference is at least *bound*" (small: ruled out)."""
    return _one_sided_p(test, bound - test.mean_diff)


def _one_sided_p(test: TestResult, margin: float) -> float:
    """p-value of a one-sided t-test whose mean lies *margin* inside the ruled-out side's
    boundary, with the test's own corrected standard error (read back from its CI)."""
    from scipy import stats

    df = max(test.n_folds - 1, 1)
    half = (test.ci_high - test.ci_low) / 2
    if half <= 0:  # every fold moved by the same amount: no spread at all
        return 0.0 if margin > 0 else 1.0
    se = half / float(stats.t.ppf(0.5 + test.confidence / 2, df))
    return float(stats.t.sf(margin / se, df))


def conf(*tests: TestResult | None) -> float:
    """One minus the largest p-value: the weakest test a finding rests on."""
    p_values = [t.p_value for t in tests if t is not None]
    return max(0.0, min(1.0, 1.0 - max(p_values))) if p_values else 0.0


def _nanmean(x: np.ndarray) -> float:
    finite = x[np.isfinite(x)]
    return float(finite.mean()) if finite.size else math.nan


def fmt(value: float) -> str:
    """A score for reading: 0.81, 1,234, or -1.6e+26 when a fit blew up."""
    if abs(value) < 100:
        return f"{value:.2f}"
    return f"{value:,.0f}" if abs(value) < 1e7 else f"{value:.2g}"


def rnd(value: float) -> float:
    """A number for ``--json``: four decimals."""
    return round(float(value), 4)


Detector = Callable[[SweepResults], "Finding | None"]
