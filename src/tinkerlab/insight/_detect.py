"""Detectors: pure functions from an experiment's numbers to the phenomena they show.

Each detector reads one :class:`SweepResults` (the values, the train and validation
score of every value on every paired fold, the rows behind them, the dummy baseline) and
returns a :class:`Finding` or ``None``. A finding has a stable id from
:data:`~tinkerlab.insight._phenomena.PHENOMENA`, a confidence, and its evidence: the
numbers that show it, phrased about this experiment.

**Not firing on noise.** Two values are only called different when the corrected
resampled t-test (Nadeau & Bengio 2003, the test ``tinker`` reports) says so at
``ALPHA = 0.05`` *and* the difference is at least a meaningful size; two values are only
called the same when the 95% confidence interval of their difference lies within
±``tolerance`` (0.02 on scores in [0, 1], 2% of the level for errors like RMSE). Every
other threshold is a named constant below, with its reason; ``docs/theory.md`` collects
them. The confidence of a finding is one minus the p-value of the weakest test it rests
on (for "the same" findings: one minus the equivalence test's p-value).

>>> import numpy as np
>>> folds = np.array([0.80, 0.82, 0.79, 0.81, 0.80, 0.83])
>>> r = SweepResults.build(
...     knob="scaling", kind="scaling", values=["on", "off"], labels=["on", "off"],
...     train=[folds + 0.05, folds - 0.15], test=[folds, folds - 0.20],
...     n_train=[120, 120], n_test=[30, 30], ordered=False)
>>> [f.id for f in detect(r)]
['scaling_sensitive']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

import numpy as np

from tinkerlab.experiment import ALPHA, TestResult, corrected_resampled_ttest, flat_tolerance
from tinkerlab.insight._phenomena import PHENOMENA, READ_NEXT, phenomenon_title

# --- thresholds (each justified in docs/theory.md, "How findings are detected") ---------

#: A change this many tolerances large counts as a real move (0.04 on [0, 1] scores):
#: twice the size below which a curve counts as flat.
MOVE = 2.0
#: A train-validation gap this many tolerances wide is a wide gap (0.10 on [0, 1] scores):
#: typical fold-to-fold spreads on the bundled data are 0.01-0.05, so a 0.10 gap is no wiggle.
WIDE_GAP = 5.0
#: A single run's gap this many tolerances wide is shown as a sign of overfitting (0.15).
RUN_GAP = 7.5
#: Curves that "meet": a train-validation gap below this many tolerances (0.05).
MEET = 2.5
#: A learning curve is "low" when the model scores below this on its own training rows.
LOW_TRAIN = 0.95
#: Share of the commonest class from which classes count as imbalanced.
IMBALANCED = 0.70
#: Accuracy paradox: the model removes less than this share of the errors that always
#: guessing the commonest class makes.
PARADOX_SHARE = 0.25
#: A single feature (or the whole model) at or above this score, on a metric in [0, 1], is
#: implausible for real data: it predicts as if it had seen the answer.
LEAK_SCORE = 0.98
#: The whole model is suspicious only at or above this score on every fold, and well above
#: the baseline (digits with an RBF SVM honestly reaches about 0.99 on average).
LEAK_MODEL_SCORE = 0.999
#: Label noise: losing at least this much score per unit of noise is "sensitive" (1-NN
#: copies the flipped labels and loses about 1; a many-neighbour vote loses far less).
NOISE_SLOPE = 0.5
#: More data helps: compare the largest training size with one at most this share of it.
EARLIER = 0.6
#: The noise detector: at least this share of the values tie with the best.
TIED_SHARE = 0.75
#: Knob names that are a learning rate (gradient descent's step size).
LEARNING_RATES = frozenset({"learning_rate", "learning_rate_init", "eta0"})
#: Ordered knobs that are not a model's capacity: no overfitting or plateau along them.
NOT_COMPLEXITY = frozenset({"seed", "label_noise", "feature_noise", "test_size", "text_features"})
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
        The numbers that show it, about this experiment ("past max_depth=4 ...").
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
        """One line: "overfitting — past max_depth=4 ... (confidence 0.99)"."""
        return f"{self.title} — {self.evidence} (confidence {self.confidence:.2f})"


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

    @classmethod
    def build(cls, **fields: Any) -> SweepResults:
        """Make one from plain lists (tests, notebooks): arrays are converted."""
        for name in ("train", "test"):
            fields[name] = np.asarray(fields[name], dtype=float)
        for name in ("n_train", "n_test"):
            fields[name] = np.asarray(fields[name], dtype=float)
        if fields.get("baseline") is not None:
            fields["baseline"] = np.asarray(fields["baseline"], dtype=float)
        fields["values"] = tuple(fields["values"])
        fields["labels"] = tuple(fields["labels"])
        fields["notices"] = tuple(tuple(n) for n in fields.get("notices", ()))
        return cls(**fields)

    @classmethod
    def from_experiment(cls, experiment: Any) -> SweepResults:
        """Read a finished :class:`tinkerlab.experiment.Experiment`."""
        name = experiment.metric.name
        points = experiment.points
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
            task=experiment.recipe.task,
            model=experiment.recipe.model,
            mode=experiment.sweep.mode,
            reference=experiment.sweep.reference,
            notices=[p.notices for p in points],
            baseline=experiment.baseline,
            majority=experiment.majority,
        )

    @classmethod
    def from_entry(cls, entry: Any) -> SweepResults:
        """Read an experiment from the journal (:class:`tinkerlab.journal.ExperimentEntry`)."""
        spec, summary = entry.spec, entry.summary
        name = spec["metric"]
        points = entry.points

        def floats(scores: Sequence[float | None]) -> list[float]:
            return [math.nan if v is None else float(v) for v in scores]

        baseline = summary.get("baseline")
        return cls.build(
            knob=entry.knob,
            kind=entry.knob_kind,
            values=[p.value for p in points],
            labels=[p.label for p in points],
            train=[floats(p.train[name]) for p in points],
            test=[floats(p.test[name]) for p in points],
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
        )


class _View:
    """Oriented scores (higher is better) and the tests between values, for one sweep."""

    def __init__(self, r: SweepResults) -> None:
        self.r = r
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

    @property
    def fitted(self) -> list[int]:
        """Positions whose validation scores are all finite."""
        return [i for i in range(len(self.r.values)) if np.all(np.isfinite(self.r.test[i]))]

    def best(self) -> int:
        """Position of the best mean validation score (among fitted values)."""
        fitted = self.fitted
        return max(fitted, key=lambda i: self.cv_mean[i])

    def test(self, i: int, j: int, *, train_side: bool = False) -> TestResult | None:
        """The corrected t-test of value *i* against *j* (oriented: positive = i better)."""
        a = self.tr[i] if train_side else self.cv[i]
        b = self.tr[j] if train_side else self.cv[j]
        return _ttest(a, b, self.r, i, j)

    def gap_test(self, i: int) -> TestResult | None:
        """Value *i*'s training score against its own validation score, fold by fold."""
        return _ttest(self.tr[i], self.cv[i], self.r, i, i)

    def show(self, i: int, which: str = "cv") -> str:
        """A score as the metric reads (un-oriented): ``0.8123``."""
        value = (self.cv_mean if which == "cv" else self.tr_mean)[i] * self.sign
        return _fmt(value)

    def at(self, i: int) -> str:
        """``max_depth=4`` or ``without Age``."""
        label = self.r.labels[i]
        if self.r.kind == "features":
            return label
        return f"{self.r.knob}={label}"


def _ttest(a: np.ndarray, b: np.ndarray, r: SweepResults, i: int, j: int) -> TestResult | None:
    keep = np.isfinite(a) & np.isfinite(b)
    if keep.sum() < 2:
        return None
    # The more cautious correction of the two values (the larger validation/training ratio).
    k = i if r.n_test[i] / r.n_train[i] >= r.n_test[j] / r.n_train[j] else j
    return corrected_resampled_ttest(
        a[keep], b[keep], max(1, round(r.n_train[k])), max(1, round(r.n_test[k]))
    )


def _equivalence_p(test: TestResult, tol: float) -> float:
    """p-value of "the difference lies within ±tol" (two one-sided tests, from the CI)."""
    return max(_upper_p(test, tol), _lower_p(test, -tol))


def _upper_p(test: TestResult, bound: float) -> float:
    """One-sided p-value of "the difference is at least *bound*" (small: ruled out)."""
    return _one_sided_p(test, bound - test.mean_diff)


def _lower_p(test: TestResult, bound: float) -> float:
    """One-sided p-value of "the difference is at most *bound*" (small: ruled out)."""
    return _one_sided_p(test, test.mean_diff - bound)


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


def _real(test: TestResult | None, size: float) -> TypeGuard[TestResult]:
    """Beyond noise (p < ALPHA) and at least *size* large, in the positive direction."""
    return test is not None and test.significant(ALPHA) and test.mean_diff >= size


def _same(test: TestResult | None, tol: float) -> TypeGuard[TestResult]:
    """The 95% CI of the difference lies within ±tol."""
    return test is not None and max(abs(test.ci_low), abs(test.ci_high)) <= tol


def _differs(test: TestResult | None) -> bool:
    """Significantly different (a failed test counts as not different)."""
    return test is not None and test.significant(ALPHA)


def _conf(*tests: TestResult | None) -> float:
    """One minus the largest p-value: the weakest test a finding rests on."""
    p_values = [t.p_value for t in tests if t is not None]
    return max(0.0, min(1.0, 1.0 - max(p_values))) if p_values else 0.0


def _nanmean(x: np.ndarray) -> float:
    finite = x[np.isfinite(x)]
    return float(finite.mean()) if finite.size else math.nan


def _fmt(value: float) -> str:
    """A score for reading: 0.81, 1,234, or -1.6e+26 when a fit blew up."""
    if abs(value) < 100:
        return f"{value:.2f}"
    return f"{value:,.0f}" if abs(value) < 1e7 else f"{value:.2g}"


# --- the detectors -----------------------------------------------------------------------

Detector = Callable[[SweepResults], "Finding | None"]


def overfitting(r: SweepResults) -> Finding | None:
    """Past the best value, the training score keeps rising while the CV score falls."""
    if not r.ordered or r.kind in NOT_COMPLEXITY:
        return None
    v = _View(r)
    if len(v.fitted) < 3:
        return None
    b = v.best()
    for end in (len(r.values) - 1, 0):
        if end == b or not np.isfinite(v.cv_mean[end]):
            continue
        fall = v.test(b, end)
        gap_b, gap_end = v.tr_mean[b] - v.cv_mean[b], v.tr_mean[end] - v.cv_mean[end]
        # The training score holds or rises (a fall would be a fitting failure instead)...
        holds = v.tr_mean[end] >= v.tr_mean[b] - v.tol / 2
        # ...while the CV score falls beyond noise, so the gap opens.
        if _real(fall, v.tol) and holds and gap_end - gap_b >= MOVE * v.tol:
            past = "past" if end > b else "below"
            trend = "keeps rising" if v.tr_mean[end] - v.tr_mean[b] >= v.tol else "stays high"
            evidence = (
                f"{past} {v.at(b)} the training score {trend} "
                f"({v.show(b, 'train')} → {v.show(end, 'train')}) while the CV score falls "
                f"({v.show(b)} → {v.show(end)})"
            )
            return Finding(
                "overfitting",
                _conf(fall),
                evidence,
                {
                    "best": r.values[b],
                    "at": r.values[end],
                    "train": [_round(v.tr_mean[b] * v.sign), _round(v.tr_mean[end] * v.sign)],
                    "cv": [_round(v.cv_mean[b] * v.sign), _round(v.cv_mean[end] * v.sign)],
                    "p_value": _round(fall.p_value),
                },
            )
    return None


def underfitting(r: SweepResults) -> Finding | None:
    """At some value the model cannot fit even its training rows as well as the best
    value predicts new ones, and its CV score is clearly worse."""
    # A model parameter on an axis; not a step size, whose collapse is divergence.
    if r.kind != "param" or not r.ordered or r.knob in LEARNING_RATES:
        return None
    v = _View(r)
    if len(v.fitted) < 2:
        return None
    b = v.best()
    ends = {0, len(r.values) - 1}  # the simplest setting lies at one end of the range
    weak = [
        i
        for i in v.fitted
        if i != b
        and i in ends
        and v.tr_mean[i] <= v.cv_mean[b]
        and v.tr_mean[i] - v.cv_mean[i] < MEET * v.tol  # bias, not variance: the curves meet
        and _real(v.test(b, i), MOVE * v.tol)
    ]
    if not weak:
        return None
    i = min(weak, key=lambda k: v.tr_mean[k])
    test = v.test(b, i)
    assert test is not None  # it was tested just above
    evidence = (
        f"at {v.at(i)} the model scores only {v.show(i, 'train')} on its own training rows "
        f"and {v.show(i)} in CV, while {v.at(b)} reaches {v.show(b)} in CV: too simple or "
        "too constrained to capture the pattern"
    )
    return Finding(
        "underfitting",
        _conf(test),
        evidence,
        {
            "at": r.values[i],
            "train": _round(v.tr_mean[i] * v.sign),
            "cv": _round(v.cv_mean[i] * v.sign),
            "best": r.values[b],
            "best_cv": _round(v.cv_mean[b] * v.sign),
            "p_value": _round(test.p_value),
        },
    )


def sweet_spot(r: SweepResults) -> Finding | None:
    """The CV score peaks inside the range and is clearly worse at both ends."""
    if not r.ordered or r.kind in ("seed", "test_size", "text_features"):
        return None
    v = _View(r)
    if len(v.fitted) < 3:
        return None
    b, first, last = v.best(), 0, len(r.values) - 1
    if not first < b < last:
        return None
    left, right = v.test(b, first), v.test(b, last)
    if not (_real(left, v.tol) and _real(right, v.tol)):
        return None
    evidence = (
        f"the CV score peaks at {v.at(b)} ({v.show(b)}) and is lower at both ends "
        f"({r.labels[first]}: {v.show(first)}; {r.labels[last]}: {v.show(last)})"
    )
    return Finding(
        "sweet_spot",
        _conf(left, right),
        evidence,
        {
            "best": r.values[b],
            "cv": [_round(v.cv_mean[i] * v.sign) for i in (first, b, last)],
            "p_values": [_round(left.p_value), _round(right.p_value)],
        },
    )


def plateau(r: SweepResults) -> Finding | None:
    """The CV score rises, then stays within the tolerance of its best to the end."""
    if not r.ordered or r.kind in NOT_COMPLEXITY:
        return None
    v = _View(r)
    last = len(r.values) - 1
    if len(v.fitted) < 4 or v.fitted != list(range(len(r.values))):
        return None
    b = v.best()
    rise = v.test(b, 0)
    if not _real(rise, MOVE * v.tol):
        return None

    def level(i: int) -> bool:  # as good as the best: within ±tol and no real difference
        t = v.test(i, b)
        return i == b or (t is not None and abs(t.mean_diff) <= v.tol and not t.significant())

    # The first value from which every later value is level with the best.
    start = next((k for k in range(1, last + 1) if all(level(i) for i in range(k, last + 1))), None)
    if start is None or last - start < 2:  # a plateau spans at least three values
        return None
    evidence = (
        f"from {v.at(start)} on, the CV score stays within {v.tol:.2g} of its best "
        f"({v.show(b)}); the first values rose from {v.show(0)}: turning "
        f"{r.knob} further barely changes the score"
    )
    return Finding(
        "plateau",
        _conf(rise),
        evidence,
        {
            "from": r.values[start],
            "best": r.values[b],
            "cv_first": _round(v.cv_mean[0] * v.sign),
            "cv_best": _round(v.cv_mean[b] * v.sign),
            "tolerance": _round(v.tol),
        },
    )


def noise_dominated(r: SweepResults) -> Finding | None:
    """Most values tie with the best, and their differences are within the fold spread."""
    v = _View(r)
    fitted = v.fitted
    if len(fitted) < 2:
        return None
    b = v.best()
    tied = [i for i in fitted if i == b or not _differs(v.test(i, b))]
    if len(tied) < 2 or len(tied) < TIED_SHARE * len(fitted):
        return None
    spread = float(np.median([np.nanstd(v.cv[i]) for i in fitted]))  # fold-to-fold
    means = v.cv_mean[tied]
    width = float(means.max() - means.min())
    if width <= 0 or spread <= 0:  # identical scores: the knob does nothing at all
        return None
    what = "values" if r.kind != "seed" else "seeds"
    evidence = (
        f"{len(tied)} of {len(fitted)} {what} tie with the best ({v.at(b)}, {v.show(b)}): "
        f"their means differ by up to {width:.3f}, with a fold-to-fold spread of ±{spread:.3f} "
        "and no difference beyond noise; picking the best among them is picking noise"
    )
    return Finding(
        "noise_dominated",
        len(tied) / len(fitted),  # the share of values tied with the best
        evidence,
        {
            "tied": [r.values[i] for i in tied],
            "width": _round(width),
            "fold_std": _round(spread),
            "best": r.values[b],
        },
    )


def _learning_curve(r: SweepResults) -> _View | None:
    if r.kind != "train_size" or len(r.values) < 3:
        return None
    v = _View(r)
    return v if v.fitted == list(range(len(r.values))) else None


def high_variance(r: SweepResults) -> Finding | None:
    """A learning curve ending with a wide train-validation gap."""
    v = _learning_curve(r)
    if v is None:
        return None
    last = len(r.values) - 1
    gap = v.gap_test(last)
    if not _real(gap, WIDE_GAP * v.tol):
        return None
    first_gap = v.tr_mean[0] - v.cv_mean[0]
    evidence = (
        f"at {v.at(last)} the model scores {v.show(last, 'train')} on its training rows but "
        f"{v.show(last)} in CV: a gap of {gap.mean_diff:.2f} ({first_gap:.2f} at "
        f"{v.at(0)}); it depends a lot on which rows it saw"
    )
    return Finding(
        "high_variance",
        _conf(gap),
        evidence,
        {
            "gap": _round(gap.mean_diff),
            "gap_first": _round(first_gap),
            "p_value": _round(gap.p_value),
        },
    )


def high_bias(r: SweepResults) -> Finding | None:
    """A learning curve whose training and CV scores meet, low."""
    v = _learning_curve(r)
    if v is None or not v.unit or not r.higher_is_better:
        return None
    last = len(r.values) - 1
    train, cv = v.tr_mean[last], v.cv_mean[last]
    gap = train - cv
    if train >= LOW_TRAIN or gap >= MEET * v.tol:
        return None
    # More rows no longer lift the CV score: a real gain since the middle size is ruled out.
    gain = v.test(last, last // 2)
    if gain is None:
        return None
    p_big = _upper_p(gain, MOVE * v.tol)
    if p_big >= ALPHA:
        return None
    evidence = (
        f"at {v.at(last)} the training score ({_fmt(train)}) and the CV score ({_fmt(cv)}) "
        f"meet, {gap:.2f} apart, and below {LOW_TRAIN}: the model cannot fit even its "
        "training rows well, and more of them will not change that"
    )
    return Finding(
        "high_bias",
        1.0 - p_big,
        evidence,
        {"train": _round(train), "cv": _round(cv), "gap": _round(gap)},
    )


def _earlier(r: SweepResults) -> int:
    """The largest training size at most EARLIER times the largest one."""
    largest = r.n_train[-1]
    earlier = [i for i in range(len(r.values) - 1) if r.n_train[i] <= EARLIER * largest]
    return earlier[-1] if earlier else 0


def more_data_helps(r: SweepResults) -> Finding | None:
    """The CV score is still rising at the largest training size."""
    v = _learning_curve(r)
    if v is None:
        return None
    last, before = len(r.values) - 1, _earlier(r)
    gain = v.test(last, before)
    if not _real(gain, v.tol / 2):
        return None
    evidence = (
        f"from {v.at(before)} to {v.at(last)} the CV score still rose by {gain.mean_diff:.3f} "
        f"({v.show(before)} → {v.show(last)}, p = {gain.p_value:.2g}): more rows would "
        "likely help"
    )
    return Finding(
        "more_data_helps",
        _conf(gain),
        evidence,
        {"from": r.values[before], "gain": _round(gain.mean_diff), "p_value": _round(gain.p_value)},
    )


def more_data_wont_help(r: SweepResults) -> Finding | None:
    """The CV score stopped rising well before the largest training size."""
    v = _learning_curve(r)
    if v is None:
        return None
    last, before = len(r.values) - 1, _earlier(r)
    gain = v.test(last, before)
    if gain is None or gain.significant(ALPHA):
        return None
    bound = MOVE * v.tol
    p_big = _upper_p(gain, bound)  # H0: the gain is at least `bound`
    if p_big >= ALPHA:
        return None
    evidence = (
        f"the CV score at {v.at(last)} ({v.show(last)}) is no better than at {v.at(before)} "
        f"({v.show(before)}); a gain of {bound:.2g} or more is ruled out (p = {p_big:.2g}): "
        "more rows of the same kind will not help"
    )
    return Finding(
        "more_data_wont_help",
        1.0 - p_big,
        evidence,
        {"from": r.values[before], "gain": _round(gain.mean_diff), "ruled_out": _round(bound)},
    )


def _feature_changes(r: SweepResults) -> tuple[_View, list[tuple[int, Any]]] | None:
    if r.kind != "features" or r.mode != "drop-one":
        return None
    v = _View(r)
    if 0 not in v.fitted:
        return None
    return v, [(i, v.test(i, 0)) for i in v.fitted if i != 0]


def useless_feature(r: SweepResults) -> Finding | None:
    """Leaving a feature out changes the CV score by less than it could matter."""
    found = _feature_changes(r)
    if found is None:
        return None
    v, changes = found
    bound = MOVE * v.tol
    useless = [
        (i, t, _equivalence_p(t, bound))
        for i, t in changes
        if t is not None and not t.significant(ALPHA)
    ]
    useless = [(i, t, p) for i, t, p in useless if p < ALPHA]
    if not useless:
        return None
    names = [str(r.values[i]) for i, _, _ in useless]
    shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    evidence = (
        f"leaving out {shown} changes the CV score by less than {bound:.2g} (equivalence "
        f"test, all features: {v.show(0)}): the model does as well without "
        f"{'it' if len(names) == 1 else 'each of them'}"
    )
    return Finding(
        "useless_feature",
        1.0 - min(p for _, _, p in useless),
        evidence,
        {"features": names, "changes": [_round(t.mean_diff * v.sign) for _, t, _ in useless]},
    )


def harmful_feature(r: SweepResults) -> Finding | None:
    """Leaving a feature out improves the CV score beyond noise."""
    found = _feature_changes(r)
    if found is None:
        return None
    v, changes = found
    harmful = [(i, t) for i, t in changes if _real(t, v.tol / 2)]
    if not harmful:
        return None
    i, t = max(harmful, key=lambda it: it[1].mean_diff)
    names = [str(r.values[k]) for k, _ in harmful]
    evidence = (
        f"leaving out {r.values[i]} raises the CV score from {v.show(0)} to {v.show(i)} "
        f"(+{t.mean_diff:.3f}, p = {t.p_value:.2g}): it adds more noise than signal for "
        f"{r.model or 'this model'}"
    )
    return Finding(
        "harmful_feature",
        _conf(t),
        evidence,
        {"features": names, "gain": _round(t.mean_diff), "p_value": _round(t.p_value)},
    )


def leakage(r: SweepResults) -> Finding | None:
    """One feature alone (add-one), or the whole model, scores implausibly well."""
    v = _View(r)
    if not v.unit or not r.higher_is_better:
        return None
    if r.kind == "features" and r.mode == "add-one":
        alone = [i for i in v.fitted if i != 0 and v.cv_mean[i] >= LEAK_SCORE]
        if alone:
            i = max(alone, key=lambda k: v.cv_mean[k])
            test = v.test(i, 0)
            if _real(test, MOVE * v.tol):
                evidence = (
                    f"{r.values[i]} alone scores {v.show(i)} in CV (no features: {v.show(0)}): "
                    "a single column that predicts the target this well is probably the "
                    "answer in disguise, computed from the target or recorded after it"
                )
                return Finding(
                    "leakage",
                    _conf(test),
                    evidence,
                    {
                        "feature": r.values[i],
                        "cv": _round(v.cv_mean[i]),
                        "p_value": _round(test.p_value),
                    },
                )
    if r.baseline is None:
        return None
    base = _nanmean(r.baseline)
    perfect = [
        i
        for i in v.fitted
        if np.min(v.cv[i]) >= LEAK_MODEL_SCORE and v.cv_mean[i] - base >= MOVE * v.tol
    ]
    if not perfect:
        return None
    i = perfect[0]
    evidence = (
        f"at {v.at(i)} every validation fold scores at least {np.min(v.cv[i]):.3f} "
        f"(baseline {_fmt(base)}): real data is rarely this predictable; check whether a "
        "column gives the answer away"
    )
    return Finding("leakage", 0.9, evidence, {"at": r.values[i], "cv": _round(v.cv_mean[i])})


def accuracy_paradox(r: SweepResults) -> Finding | None:
    """Accuracy near the majority-class share, on imbalanced classes."""
    if r.metric != "accuracy" or r.majority is None or r.majority < IMBALANCED:
        return None
    v = _View(r)
    if not v.fitted:
        return None
    b = v.best()
    acc, share = v.cv_mean[b], r.majority
    fixed = (acc - share) / (1.0 - share)  # share of the majority guess's errors removed
    if fixed >= PARADOX_SHARE:
        return None
    evidence = (
        f"the best accuracy, {acc:.3f} at {v.at(b)}, looks high, but always answering the "
        f"commonest class already scores {share:.3f}: the model fixes only "
        f"{max(fixed, 0.0):.0%} of that guess's errors. Look at recall, F1 or balanced "
        "accuracy (--metric)"
    )
    confidence = 1.0 - max(fixed, 0.0) / PARADOX_SHARE
    return Finding(
        "accuracy_paradox",
        max(0.5, confidence),
        evidence,
        {"accuracy": _round(acc), "majority": _round(share), "errors_fixed": _round(fixed)},
    )


def scaling_sensitive(r: SweepResults) -> Finding | None:
    """Standardising the features (on) against not (off) changes the score beyond noise."""
    if r.kind != "scaling":
        return None
    v = _View(r)
    if len(v.fitted) < 2:
        return None
    on, off = (r.labels.index(x) if x in r.labels else None for x in ("on", "off"))
    if on is None or off is None:
        return None
    test = v.test(on, off)
    if test is None or not test.significant(ALPHA) or abs(test.mean_diff) < MOVE * v.tol:
        return None
    better = "on" if test.mean_diff > 0 else "off"
    evidence = (
        f"with scaling on the CV score is {v.show(on)}, off {v.show(off)} "
        f"({abs(test.mean_diff):.3f} apart, p = {test.p_value:.2g}): {r.model or 'the model'} "
        f"depends on the features' units; {better} is better here"
    )
    return Finding(
        "scaling_sensitive",
        _conf(test),
        evidence,
        {
            "on": _round(v.cv_mean[on] * v.sign),
            "off": _round(v.cv_mean[off] * v.sign),
            "p_value": _round(test.p_value),
        },
    )


def divergence(r: SweepResults) -> Finding | None:
    """Past some learning rate the training itself collapses: the loss grows or is NaN."""
    if r.knob not in LEARNING_RATES or not r.ordered:
        return None
    v = _View(r)
    if not v.fitted:
        return None
    b = v.best()
    for i in range(b + 1, len(r.values)):
        notices = r.notices[i] if i < len(r.notices) else ()
        warned = any("diverged" in n or "overflow" in n.lower() for n in notices)
        failed = not np.all(np.isfinite(r.test[i]))
        collapsed = False
        test = None
        if not failed:
            test = v.test(b, i)
            fall_train = v.test(b, i, train_side=True)
            # Training collapses too: a step-size failure, not overfitting.
            collapsed = _real(test, WIDE_GAP * v.tol) and _real(fall_train, WIDE_GAP * v.tol)
        if warned or failed or collapsed:
            if failed:
                what = "the fits produced NaN or failed"
            elif warned:
                what = "the loss grew instead of shrinking (the model warned it diverged)"
            else:
                what = "even the training score collapsed"
            evidence = (
                f"at {v.at(i)} {what}: CV {v.show(i) if not failed else 'NaN'} against "
                f"{v.show(b)} at {v.at(b)}; the steps overshoot the minimum"
            )
            confidence = 0.99 if (warned or failed) else _conf(test)
            return Finding(
                "divergence",
                confidence,
                evidence,
                {"from": r.values[i], "best": r.values[b], "warned": warned, "failed": failed},
            )
    return None


def label_noise_sensitive(r: SweepResults) -> Finding | None:
    """The CV score falls quickly as training labels are corrupted."""
    if r.kind != "label_noise" or len(r.values) < 2:
        return None
    v = _View(r)
    first, last = 0, len(r.values) - 1
    if not np.isfinite(v.cv_mean[first]) or not np.isfinite(v.cv_mean[last]):
        return None
    noise = float(r.values[last]) - float(r.values[first])
    fall = v.test(first, last)
    if noise <= 0 or not _real(fall, NOISE_SLOPE * noise * (1 if v.unit else v.tol / 0.02)):
        return None
    slope = fall.mean_diff / noise
    evidence = (
        f"flipping {float(r.values[last]):.0%} of the training labels drops the CV score from "
        f"{v.show(first)} to {v.show(last)}: {slope:.2f} per unit of noise; "
        f"{r.model or 'the model'} copies the wrong labels"
    )
    return Finding(
        "label_noise_sensitive",
        _conf(fall),
        evidence,
        {
            "slope": _round(slope),
            "cv": [_round(v.cv_mean[first] * v.sign), _round(v.cv_mean[last] * v.sign)],
        },
    )


#: Every detector, by the phenomenon id it reports.
DETECTORS: dict[str, Detector] = {
    "overfitting": overfitting,
    "underfitting": underfitting,
    "sweet_spot": sweet_spot,
    "plateau": plateau,
    "noise_dominated": noise_dominated,
    "high_variance": high_variance,
    "high_bias": high_bias,
    "more_data_helps": more_data_helps,
    "more_data_wont_help": more_data_wont_help,
    "useless_feature": useless_feature,
    "harmful_feature": harmful_feature,
    "leakage": leakage,
    "accuracy_paradox": accuracy_paradox,
    "scaling_sensitive": scaling_sensitive,
    "divergence": divergence,
    "label_noise_sensitive": label_noise_sensitive,
}
assert set(DETECTORS) == set(PHENOMENA), "every phenomenon has exactly one detector"


def detect(results: SweepResults | Any) -> list[Finding]:
    """Every phenomenon the experiment shows, most confident first.

    *results* is a :class:`SweepResults`, a finished
    :class:`~tinkerlab.experiment.Experiment`, or a journal
    :class:`~tinkerlab.journal.ExperimentEntry`.
    """
    if not isinstance(results, SweepResults):
        results = (
            SweepResults.from_entry(results)
            if hasattr(results, "spec")
            else SweepResults.from_experiment(results)
        )
    found = [f for f in (d(results) for d in DETECTORS.values()) if f is not None]
    return sorted(found, key=lambda f: -f.confidence)


def _round(value: float) -> float:
    return round(float(value), 4)


# --- a single run ------------------------------------------------------------------------


def detect_run(run: Any, frame: Any = None) -> list[Finding]:
    """The phenomena a single run can show: a wide train-CV gap, a model that barely beats
    the dummy even on its training rows, accuracy near the majority share, and leakage
    (near-perfect folds, or a column that is the target in disguise, when *frame* is
    given: the data the run was trained on, target included).

    One run shows no trend, so these rest on the fold scores and the baseline only.
    """
    task, recipe = run.task, run.recipe
    name = "accuracy" if task == "classification" else "r2"
    scores, base = run.metrics.get(name), run.baseline.get(name)
    if scores is None or base is None:
        return []
    tol = flat_tolerance(name, 1.0)
    found: list[Finding] = []
    train, cv = float(scores["train_mean"]), float(scores["cv_mean"])
    gap = train - cv
    if gap >= RUN_GAP * tol:
        found.append(
            Finding(
                "overfitting",
                min(0.9, 0.5 + gap),
                f"{run.model} scores {train:.2f} on its training rows but {cv:.2f} in CV, "
                f"a gap of {gap:.2f}: it learns the training rows' noise. Sweep a knob that "
                f"limits it (tinkerlab models {run.model}) to see where the gap opens",
                {"train": _round(train), "cv": _round(cv), "gap": _round(gap)},
            )
        )
    baseline_cv = float(base["cv_mean"])
    if train <= baseline_cv + MOVE * tol:
        found.append(
            Finding(
                "underfitting",
                0.8,
                f"{run.model} scores {train:.2f} even on its training rows, barely above the "
                f"dummy baseline's {baseline_cv:.2f}: it has not captured the pattern",
                {"train": _round(train), "baseline": _round(baseline_cv)},
            )
        )
    classes = run.summary.get("inputs", {}).get("classes") or {}
    if task == "classification" and classes:
        counts = np.array(list(classes.values()), dtype=float)
        majority = float(counts.max() / counts.sum())
        fixed = (cv - majority) / (1.0 - majority) if majority < 1 else 0.0
        if majority >= IMBALANCED and fixed < PARADOX_SHARE:
            found.append(
                Finding(
                    "accuracy_paradox",
                    max(0.5, 1.0 - max(fixed, 0.0) / PARADOX_SHARE),
                    f"CV accuracy {cv:.3f} looks high, but always answering the commonest "
                    f"class already scores {majority:.3f}: the model fixes only "
                    f"{max(fixed, 0.0):.0%} of that guess's errors. Look at recall, F1 and "
                    "balanced accuracy above",
                    {"accuracy": _round(cv), "majority": _round(majority)},
                )
            )
    folds = run.summary.get("folds", {}).get(name) or []
    twins = [] if frame is None else target_twins(frame, recipe.target, task, recipe.features)
    if twins:
        column, strength = twins[0]
        found.append(
            Finding(
                "leakage",
                0.95,
                f"the column {column!r} matches the target {recipe.target!r} almost exactly "
                f"({strength}): it is probably computed from the target or recorded after "
                f"it. Fix: --drop {column}",
                {"columns": [c for c, _ in twins]},
            )
        )
    elif folds and min(folds) >= LEAK_MODEL_SCORE and cv - baseline_cv >= MOVE * tol:
        found.append(
            Finding(
                "leakage",
                0.7,
                f"every CV fold scores at least {min(folds):.3f} (baseline {baseline_cv:.2f}): "
                "real data is rarely this predictable; check whether a column gives the "
                "answer away (tinkerlab tinker ... --knob features --mode add-one)",
                {"min_fold": _round(min(folds))},
            )
        )
    return sorted(found, key=lambda f: -f.confidence)


#: A column whose values determine the target this well is "the target in disguise".
TWIN = 0.99
#: ...when it has at most this many distinct values (more, and an id column would qualify).
TWIN_LEVELS = 50


def target_twins(
    frame: Any, target: str, task: str, features: Sequence[str]
) -> list[tuple[str, str]]:
    """Feature columns nearly identical to the target, strongest first, with the evidence.

    Regression: a numeric column with Pearson's ``|r| >= TWIN``. Classification: a column
    with at most ``TWIN_LEVELS`` values, each value's commonest class covering at least
    ``TWIN`` of the rows (and more than the majority class alone does).
    """
    import pandas as pd

    y = frame[target]
    found: list[tuple[float, str, str]] = []
    y_codes, y_levels = pd.factorize(y, use_na_sentinel=False)
    majority = float(np.bincount(y_codes).max() / len(y_codes)) if len(y_codes) else 1.0
    for column in features:
        x = frame[column]
        if task == "regression":
            if not pd.api.types.is_numeric_dtype(x) or x.nunique() < 2:
                continue
            r = float(np.corrcoef(x.astype(float), y.astype(float))[0, 1])
            if np.isfinite(r) and abs(r) >= TWIN:
                found.append((abs(r), column, f"correlation {r:+.3f}"))
            continue
        x_codes, x_levels = pd.factorize(x, use_na_sentinel=False)
        if not 2 <= len(x_levels) <= TWIN_LEVELS:
            continue
        # The contingency table in one pass: a row per value of x, a column per class.
        table = np.bincount(
            x_codes * len(y_levels) + y_codes, minlength=len(x_levels) * len(y_levels)
        ).reshape(len(x_levels), len(y_levels))
        purity = float(table.max(axis=1).sum() / len(frame))  # each value's commonest class
        if purity >= TWIN and purity > majority + (1 - majority) / 2:
            found.append((purity, column, f"its value gives the class for {purity:.1%} of rows"))
    return [(c, why) for _, c, why in sorted(found, reverse=True)]
