"""A labelled suite of scenarios for the phenomenon detectors: truth by construction.

Each scenario is a sweep (or a run) on data whose truth is known before anything is fitted:
synthetic tables built here with a stated mechanism (a parabola a depth-1 tree cannot
follow, a column copied from the target, labels flipped at random, a distractor column in
metres among columns in kilometres...), or a bundled table whose behaviour is textbook
(kNN on raw wine measurements, naive Bayes told the penguins' island). Each lists the
phenomena that are **present**; every other detector must stay silent, except the few
listed as **ambiguous**, where the construction does not settle the answer (each says
why). None of these is a detector's own docstring example or a card's "try this".

``tests/insight/test_findings_suite.py`` asserts each detector's precision and recall over
the suite; ``benchmarks/bench_findings.py`` prints the per-detector table.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tinkerlab.insight import DETECTORS

ALL = frozenset(DETECTORS)


@dataclass(frozen=True)
class Scenario:
    """One labelled case: how to make it, and what is there."""

    name: str
    build: Callable[[], tuple[Any, dict[str, Any]]]  # -> (dataset, tinker/run keywords)
    present: frozenset[str]  # phenomena the construction puts there
    why: str  # the truth, by construction, in a sentence
    ambiguous: frozenset[str] = frozenset()  # not settled by the construction
    kind: str = "sweep"  # "sweep" (tinker) or "run"
    task: str = "classification"
    rows: int = 0  # rows of the table (small: <= 600)
    origin: str = "synthetic"  # or "bundled"
    notes: dict[str, Any] = field(default_factory=dict)


# --- synthetic tables ----------------------------------------------------------------------


def _frame(X: np.ndarray, y: Any, names: list[str] | None = None) -> pd.DataFrame:
    names = names or [f"x{i}" for i in range(X.shape[1])]
    frame = pd.DataFrame(X, columns=names)
    frame["y"] = y
    return frame


def noisy_classes(n: int, *, flip: float = 0.2, seed: int = 0) -> pd.DataFrame:
    """Four informative columns whose classes need several splits, 20% of labels flipped."""
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=n, n_features=6, n_informative=4, n_redundant=0, n_clusters_per_class=3,
        flip_y=flip, class_sep=1.2, random_state=seed,
    )  # fmt: skip
    return _frame(X, np.where(y == 1, "yes", "no"))


def parabola(n: int, *, noise: float = 1.0, seed: int = 0) -> pd.DataFrame:
    """y = x² + noise: symmetric, so one split (a depth-1 tree) explains little of it."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, size=(n, 1))  # (n, 1)
    return _frame(x, x[:, 0] ** 2 + noise * rng.standard_normal(n))


def moons(n: int, *, noise: float = 0.35, seed: int = 0) -> pd.DataFrame:
    """Two interleaved half-moons with overlap: a smooth boundary, noisy near it."""
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    return _frame(X, np.where(y == 1, "b", "a"))


def blobs(n: int, *, distance: float, seed: int = 0, dims: int = 2) -> pd.DataFrame:
    """Two round Gaussian classes whose centres are *distance* standard deviations apart."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)  # (n,)
    X = rng.standard_normal((n, dims)) + (y[:, None] - 0.5) * distance / np.sqrt(dims)
    return _frame(X, np.where(y == 1, "b", "a"))


def linear(
    n: int, *, informative: int, irrelevant: int, noise: float, seed: int = 0
) -> pd.DataFrame:
    """y = X·w + noise with *irrelevant* columns of weight 0."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, informative + irrelevant))  # (n, columns)
    w = np.concatenate([np.linspace(1.0, 2.0, informative), np.zeros(irrelevant)])
    names = [f"signal{i}" for i in range(informative)] + [f"junk{i}" for i in range(irrelevant)]
    return _frame(X, X @ w + noise * rng.standard_normal(n), names)


def linear_classes(n: int, *, informative: int, irrelevant: int = 0, seed: int = 0) -> pd.DataFrame:
    """Classes from the sign of a noisy linear score (logistic regression's own form)."""
    frame = linear(n, informative=informative, irrelevant=irrelevant, noise=1.0, seed=seed)
    frame["y"] = np.where(frame["y"] > 0, "pos", "neg")
    return frame


def with_distractor(n: int, *, seed: int = 0) -> pd.DataFrame:
    """The class is the sign of sin(3·signal); two more columns are pure noise on the
    same scale, diluting every distance."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 3))  # (n, 3)
    y = np.where(np.sin(3 * X[:, 0]) + 0.1 * rng.standard_normal(n) > 0, "b", "a")
    return _frame(X, y, ["signal", "noise", "other_noise"])


def in_other_units(n: int = 300, *, seed: int = 0) -> pd.DataFrame:
    """The signal column in units near 1, a pure-noise column in units of 1,000:
    unscaled distances see only the noise."""
    frame = with_distractor(n, seed=seed)
    frame["noise"] *= 1000.0
    return frame


def leaky(n: int, *, seed: int = 0) -> pd.DataFrame:
    """Honest but weak columns, plus 'status_code', copied from the target (1% typos)."""
    frame = noisy_classes(n, flip=0.3, seed=seed)
    rng = np.random.default_rng(seed + 1)
    code = np.where(frame["y"] == "yes", 2, 1)
    typos = rng.random(n) < 0.01
    frame["status_code"] = np.where(typos, 3 - code, code)
    return frame


def card_holders(n: int = 1319, *, seed: int = 0) -> pd.DataFrame:
    """Shaped like R's AER CreditCard: 'expenditure' is 0 for every refused applicant and
    positive for 98% of the accepted ones (spending is recorded *after* the card)."""
    rng = np.random.default_rng(seed)
    card = rng.random(n) < 0.776  # (n,) accepted
    income = rng.lognormal(1.1, 0.45, n) + 0.3 * card
    reports = rng.poisson(np.where(card, 0.3, 1.2))
    spends = card & (rng.random(n) > 0.02)
    expenditure = np.where(spends, rng.lognormal(4.5, 1.2, n), 0.0)
    X = np.column_stack([income, reports, rng.integers(18, 80, n), expenditure])
    return _frame(X, np.where(card, "yes", "no"), ["income", "reports", "age", "expenditure"])


def rare_default(n: int = 2000, *, seed: int = 0, signal: float = 0.0) -> pd.DataFrame:
    """A 96/4 target (ISLR's Default is 96.7/3.3) from columns with *signal* (0: none)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 3))  # (n, 3)
    score = signal * X[:, 0] + rng.standard_normal(n)
    y = np.where(score > np.quantile(score, 0.96), "yes", "no")
    return _frame(X, y, ["balance", "income", "student"])


def checkerboard(n: int, *, cells: int = 6, seed: int = 0) -> pd.DataFrame:
    """Classes in a fine checkerboard: kNN needs many rows to draw every cell."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 1, size=(n, 2))  # (n, 2)
    y = (np.floor(X[:, 0] * cells) + np.floor(X[:, 1] * cells)) % 2
    return _frame(X, np.where(y == 1, "b", "a"))


def smooth(n: int, *, seed: int = 0) -> pd.DataFrame:
    """y = sin(3x₀) + x₁ with a little noise: smooth, so neighbours agree."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))  # (n, 2)
    return _frame(X, np.sin(3 * X[:, 0]) + X[:, 1] + 0.1 * rng.standard_normal(n))


# --- the scenarios -------------------------------------------------------------------------


def _sweep(
    data: Any, knob: str, values: Any = None, **options: Any
) -> Callable[[], tuple[Any, dict[str, Any]]]:
    """A sweep scenario's builder: *data* is a built-in name or a table maker."""

    def build() -> tuple[Any, dict[str, Any]]:
        dataset = data() if callable(data) else data
        kwargs: dict[str, Any] = {"knob": knob, "repeats": 2, **options}
        if isinstance(values, str):
            kwargs["span"] = values
        else:
            kwargs["values"] = values
        if isinstance(dataset, pd.DataFrame):
            kwargs.setdefault("target", "y")
        return dataset, kwargs

    return build


def _run(data: Any, **options: Any) -> Callable[[], tuple[Any, dict[str, Any]]]:
    def build() -> tuple[Any, dict[str, Any]]:
        dataset = data() if callable(data) else data
        kwargs = dict(options)
        if isinstance(dataset, pd.DataFrame):
            kwargs.setdefault("target", "y")
        return dataset, kwargs

    return build


def case(name: str, build: Any, present: set[str], why: str, **more: Any) -> Scenario:
    """A scenario, with its present and ambiguous sets frozen."""
    more["ambiguous"] = frozenset(more.get("ambiguous", ()))
    return Scenario(name, build, frozenset(present), why, **more)


DEPTHS = [1, 2, 3, 4, 6, 8, 12, 16, 25]

SCENARIOS: list[Scenario] = [
    # --- a model parameter: capacity ---------------------------------------------------
    case(
        "tree depth, noisy classes, 600 rows",
        _sweep(lambda: noisy_classes(600), "max_depth", DEPTHS, model="decision_tree"),
        {"overfitting", "underfitting"},
        "three clusters per class need several splits (depth 1 underfits) and a tree deep "
        "enough to memorise 20% flipped labels learns their noise",
        rows=600,
        ambiguous={"sweet_spot"},
        notes={
            "ambiguous": "on 480 training rows the CV fall past the best depth is about the "
            "folds' spread: a peak is not settled by the construction"
        },
    ),
    case(
        "tree depth, noisy classes, 2,500 rows",
        _sweep(lambda: noisy_classes(2500), "max_depth", DEPTHS, model="decision_tree"),
        {"overfitting", "sweet_spot", "underfitting"},
        "the same mechanism on more rows",
        rows=2500,
    ),
    case(
        "tree depth, parabola, 300 rows",
        _sweep(
            lambda: parabola(300), "max_depth", [1, 2, 3, 4, 6, 8, 12, 20], model="decision_tree"
        ),
        {"underfitting", "overfitting", "sweet_spot"},
        "one split cannot follow a symmetric parabola; a full-depth tree interpolates noise "
        "of the same size as the signal",
        task="regression",
        rows=300,
    ),
    case(
        "kNN k, noisy moons, 800 rows",
        _sweep(lambda: moons(800), "n_neighbors", [1, 3, 7, 15, 31, 61, 121, 241], model="knn"),
        {"overfitting", "sweet_spot", "underfitting"},
        "k=1 copies the noise near the boundary, k=241 of 640 training rows averages across "
        "the moons",
        rows=800,
    ),
    case(
        "logistic C, linear classes, 600 rows",
        _sweep(
            lambda: linear_classes(600, informative=3),
            "C",
            [1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10, 100],
            model="logistic_regression",
        ),
        {"underfitting", "plateau"},
        "a tiny C shrinks every weight to zero; once C is large enough the fit is the "
        "unpenalised one, whatever C",
        rows=600,
    ),
    case(
        "forest trees, breast_cancer",
        _sweep(
            "breast_cancer",
            "n_estimators",
            [1, 2, 5, 10, 20, 50, 100, 200],
            model="random_forest",
            repeats=None,  # the default: repeats are added while the shape is too noisy
        ),
        {"plateau"},
        "a vote over more trees steadies, then stops changing",
        origin="bundled",
        rows=569,
    ),
    case(
        "logistic iterations, breast_cancer",
        _sweep(
            "breast_cancer",
            "max_iter",
            [1, 2, 5, 10, 20, 50, 100, 200],
            model="logistic_regression",
        ),
        {"plateau"},
        "the solver converges, after which more iterations change nothing",
        origin="bundled",
        rows=569,
        ambiguous={"underfitting"},
        notes={"ambiguous": "one iteration is an unfinished fit, arguably underfitting"},
    ),
    case(
        "ridge alpha, linear target, 600 rows",
        _sweep(
            lambda: linear(600, informative=3, irrelevant=0, noise=1.0),
            "alpha",
            [0.01, 0.1, 1, 3, 10],
            model="ridge",
        ),
        {"noise_dominated"},
        "600 rows pin the weights; these penalties move them by "
        "hundredths, far inside the folds' spread",
        task="regression",
        rows=600,
    ),
    case(
        "kNN k, iris",
        _sweep("iris", "n_neighbors", [1, 3, 5, 9, 15, 21, 30], model="knn"),
        {"noise_dominated"},
        "150 rows of three well-separated species: every reasonable k "
        "scores within the 30-row folds' spread",
        origin="bundled",
        rows=150,
    ),
    case(
        "tree depth, two far blobs",
        _sweep(lambda: blobs(400, distance=12), "max_depth", [1, 2, 4, 8], model="decision_tree"),
        set(),
        "classes 12 standard deviations apart: every depth is perfect, honestly",
        rows=400,
    ),
    # --- seed -----------------------------------------------------------------------------
    case(
        "forest seed, noisy classes",
        _sweep(
            lambda: noisy_classes(500),
            "seed",
            [0, 1, 2, 3, 4, 5],
            model="random_forest",
            params={"n_estimators": 30},
        ),
        {"noise_dominated"},
        "the seed only reshuffles bootstraps: no seed is better",
        rows=500,
    ),
    case(
        "tree seed, linear classes",
        _sweep(
            lambda: linear_classes(400, informative=4),
            "seed",
            [0, 1, 2, 3, 4],
            model="decision_tree",
            params={"max_depth": 4},
        ),
        {"noise_dominated"},
        "the seed only breaks ties between equal splits",
        rows=400,
    ),
    # --- train_size: learning curves -------------------------------------------------------
    case(
        "learning curve, logistic on digits",
        _sweep("digits", "train_size", "0.05:1.0", model="logistic_regression", repeats=None),
        set(),
        "60 to 1,150 training rows of 64 pixels: the curve rises from 0.85 to 0.97",
        origin="bundled",
        rows=1797,
        ambiguous={"more_data_helps", "more_data_wont_help"},
        notes={"ambiguous": "the last 40% add 0.01: whether more rows would help is open"},
    ),
    case(
        "learning curve, deep tree, noisy classes",
        _sweep(
            lambda: noisy_classes(2000, flip=0.2),
            "train_size",
            "0.1:1.0",
            model="decision_tree",
            steps=6,
        ),
        {"high_variance"},
        "an unlimited tree scores 1.00 on the rows it memorised and far less on 20%-noisy new ones",
        rows=2000,
        ambiguous={"more_data_helps", "more_data_wont_help"},
    ),
    case(
        "learning curve, kNN, checkerboard",
        _sweep(lambda: checkerboard(3000), "train_size", "0.1:1.0", model="knn", steps=6),
        {"more_data_helps"},
        "36 cells, each drawn better by more neighbours: still improving at 2,400 rows",
        rows=3000,
    ),
    case(
        "learning curve, linear fit to a parabola",
        _sweep(
            lambda: parabola(1500, noise=0.3),
            "train_size",
            "0.1:1.0",
            model="linear_regression",
            steps=6,
        ),
        {"high_bias", "more_data_wont_help"},
        "a straight line cannot bend: train and CV r² meet near 0 and stay there",
        task="regression",
        rows=1500,
    ),
    case(
        "learning curve, logistic on close blobs",
        _sweep(
            lambda: blobs(2000, distance=2),
            "train_size",
            "0.1:1.0",
            model="logistic_regression",
            steps=6,
        ),
        {"more_data_wont_help"},
        "two parameters of a linear boundary are learned from 160 rows",
        rows=2000,
    ),
    case(
        "learning curve, titanic",
        _sweep("titanic", "train_size", "0.1:1.0", model="logistic_regression", steps=5),
        {"more_data_wont_help"},
        "a handful of columns with a linear effect",
        origin="bundled",
        rows=1309,
    ),
    case(
        "learning curve, 1-NN, noisy moons",
        _sweep(
            lambda: moons(1500),
            "train_size",
            "0.1:1.0",
            model="knn",
            steps=5,
            params={"n_neighbors": 1},
        ),
        {"high_variance"},
        "1-NN scores 1.00 on the rows it stores and copies their noise on new ones",
        rows=1500,
        ambiguous={"more_data_helps", "more_data_wont_help"},
    ),
    case(
        "learning curve, naive Bayes on digits",
        _sweep("digits", "train_size", "0.1:1.0", model="naive_bayes", steps=5),
        {"high_bias"},
        "pixels are far from independent given the digit: the model's form, not the rows, "
        "limits it",
        origin="bundled",
        rows=1797,
        ambiguous={"more_data_wont_help"},
    ),
    case(
        "learning curve, deep tree on a parabola",
        _sweep(
            lambda: parabola(2000, noise=0.5),
            "train_size",
            "0.1:1.0",
            model="decision_tree",
            steps=5,
        ),
        {"high_variance"},
        "an unlimited regression tree fits every training target, noise included",
        task="regression",
        rows=2000,
        ambiguous={"more_data_helps", "more_data_wont_help"},
    ),
    # --- features ----------------------------------------------------------------------------
    case(
        "drop-one, linear with junk columns",
        _sweep(
            lambda: linear(1000, informative=3, irrelevant=2, noise=1.0),
            "features",
            model="linear_regression",
        ),
        {"useless_feature"},
        "two columns have weight 0 in the formula",
        task="regression",
        rows=1000,
    ),
    case(
        "drop-one, kNN with noise columns",
        _sweep(lambda: with_distractor(600), "features", model="knn"),
        {"harmful_feature"},
        "two pure-noise columns stretch every distance kNN measures",
        rows=600,
    ),
    case(
        "drop-one, penguins, naive Bayes",
        _sweep("penguins", "features", model="naive_bayes"),
        {"harmful_feature", "useless_feature"},
        "island is one-hot and strongly tied to species beside the measurements (naive Bayes "
        "double counts it); year says nothing about species",
        origin="bundled",
        rows=344,
    ),
    case(
        "drop-one, every column needed",
        _sweep(lambda: linear_classes(600, informative=3), "features", model="logistic_regression"),
        set(),
        "each column carries a third of the signal",
        rows=600,
    ),
    case(
        "add-one, a copied status column",
        _sweep(lambda: leaky(800), "features", model="logistic_regression", mode="add-one"),
        {"leakage"},
        "'status_code' is the target with 1% typos",
        rows=800,
    ),
    case(
        "add-one, churn charge from minutes",
        _sweep(
            "churn",
            "features",
            model="ridge",
            mode="add-one",
            target="total_day_charge",
            task="regression",
        ),
        {"leakage"},
        "the charge is the minutes times a tariff",
        task="regression",
        origin="bundled",
        rows=3333,
    ),
    case(
        "add-one, iris",
        _sweep("iris", "features", model="knn", mode="add-one"),
        set(),
        "petal width alone separates most species honestly (0.95), not perfectly",
        origin="bundled",
        rows=150,
    ),
    # --- leakage found in the data, whatever the knob --------------------------------------
    case(
        "model knob, card holders (spending after approval)",
        _sweep(card_holders, "model", ["logistic_regression", "decision_tree", "knn"]),
        {"leakage"},
        "'expenditure' is 0 for every refused applicant: it was recorded after the decision",
        rows=1319,
        ambiguous={"noise_dominated"},
    ),
    case(
        "tree depth, card holders",
        _sweep(card_holders, "max_depth", [1, 2, 4, 8], model="decision_tree"),
        {"leakage"},
        "the same leak, read from the data beside a depth sweep",
        rows=1319,
        ambiguous={"noise_dominated", "overfitting"},
    ),
    # --- label noise ----------------------------------------------------------------------
    case(
        "label noise, 1-NN, far blobs",
        _sweep(
            lambda: blobs(600, distance=12),
            "label_noise",
            "0:0.4",
            model="knn",
            params={"n_neighbors": 1},
            steps=5,
        ),
        {"label_noise_sensitive"},
        "1-NN answers with its single neighbour's (flipped) label",
        rows=600,
    ),
    case(
        "label noise, forest, titanic",
        _sweep(
            "titanic",
            "label_noise",
            [0, 0.15, 0.3, 0.45],
            model="random_forest",
            params={"n_estimators": 50},
        ),
        {"label_noise_sensitive"},
        "fully grown trees memorise every flipped label",
        origin="bundled",
        rows=1309,
    ),
    case(
        "label noise, logistic, blobs",
        _sweep(
            lambda: blobs(1000, distance=2.5),
            "label_noise",
            "0:0.4",
            model="logistic_regression",
            steps=5,
        ),
        set(),
        "symmetric flips leave the best linear boundary where it was",
        rows=1000,
        ambiguous={"noise_dominated"},
    ),
    case(
        "label noise, kNN k=60, blobs",
        _sweep(
            lambda: blobs(1000, distance=3),
            "label_noise",
            "0:0.4",
            model="knn",
            params={"n_neighbors": 60},
            steps=5,
        ),
        set(),
        "a vote of 60 neighbours outvotes 40% flips",
        rows=1000,
        ambiguous={"noise_dominated"},
    ),
    case(
        "target noise, 1-NN regression",
        _sweep(
            lambda: smooth(800),
            "label_noise",
            "0:1",
            model="knn",
            params={"n_neighbors": 1},
            steps=5,
        ),
        {"label_noise_sensitive"},
        "1-NN predicts its neighbour's noisy target",
        task="regression",
        rows=800,
    ),
    case(
        "target noise, linear regression",
        _sweep(
            lambda: linear(800, informative=3, irrelevant=0, noise=0.5),
            "label_noise",
            "0:1",
            model="linear_regression",
            steps=5,
        ),
        set(),
        "least squares averages the noise away over 640 rows",
        task="regression",
        rows=800,
        ambiguous={"noise_dominated"},
    ),
    # --- scaling ----------------------------------------------------------------------------
    case(
        "scaling, kNN, wine",
        _sweep("wine", "scaling", model="knn"),
        {"scaling_sensitive"},
        "proline is in the hundreds, hue near 1: raw distances are proline's",
        origin="bundled",
        rows=178,
    ),
    case(
        "scaling, kNN, a column in other units",
        _sweep(in_other_units, "scaling", model="knn"),
        {"scaling_sensitive"},
        "unscaled, the noise column in thousands decides every distance",
        rows=300,
    ),
    case(
        "scaling, tree, a column in other units",
        _sweep(in_other_units, "scaling", model="decision_tree"),
        set(),
        "a tree's splits do not care about units",
        rows=300,
    ),
    case(
        "scaling, logistic, standardised columns",
        _sweep(lambda: linear_classes(500, informative=3), "scaling", model="logistic_regression"),
        set(),
        "the columns are already standard normal",
        rows=500,
        ambiguous={"noise_dominated"},
    ),
    # --- model --------------------------------------------------------------------------------
    case(
        "model knob, rare default, no signal",
        _sweep(lambda: rare_default(2000), "model", ["logistic_regression", "naive_bayes"]),
        {"accuracy_paradox"},
        "the columns carry no signal: every model answers 'no' about 96% of the time",
        rows=2000,
        ambiguous={"noise_dominated"},
    ),
    case(
        "model knob, parabola",
        _sweep(
            lambda: parabola(500, noise=0.3), "model", ["linear_regression", "knn", "decision_tree"]
        ),
        set(),
        "a line cannot bend, kNN and a tree can",
        task="regression",
        rows=500,
    ),
    # --- imbalance --------------------------------------------------------------------------
    case(
        "logistic C, rare class with a strong signal",
        _sweep(
            lambda: rare_default(2000, signal=4.0), "C", [0.1, 1, 10], model="logistic_regression"
        ),
        set(),
        "balance separates the 4% well: accuracy well above the majority's",
        rows=2000,
        ambiguous={"noise_dominated"},
    ),
    case(
        "logistic C, churn",
        _sweep("churn", "C", [0.01, 1, 100], model="logistic_regression"),
        {"accuracy_paradox"},
        "a linear model finds little of churn's pattern beside the 86% who stay",
        origin="bundled",
        rows=3333,
        ambiguous={"noise_dominated"},
    ),
    # --- learning rates -------------------------------------------------------------------
    case(
        "learning rate, scratch logistic, breast_cancer",
        _sweep(
            "breast_cancer",
            "learning_rate",
            [0.01, 0.1, 1, 10, 100, 1000],
            model="logistic_regression",
            impl="scratch",
        ),
        {"divergence"},
        "steps far larger than the curvature allows overshoot",
        origin="bundled",
        rows=569,
        ambiguous={"noise_dominated"},
    ),
    case(
        "learning rate, scratch logistic, small steps",
        _sweep(
            "breast_cancer",
            "learning_rate",
            [0.001, 0.01, 0.1],
            model="logistic_regression",
            impl="scratch",
        ),
        set(),
        "small steps only converge more slowly",
        origin="bundled",
        rows=569,
        ambiguous={"noise_dominated"},
    ),
    # --- neural networks (tinkerlab.nets; need the deep extra) -----------------------------
    case(
        "epochs, wide net, flipped labels",
        _sweep(
            lambda: noisy_classes(500, flip=0.3),
            "epochs",
            [1, 3, 10, 30, 100],
            model="mlp_torch",
            params={"hidden_size": 256, "lr": 0.01},
        ),
        {"overtraining"},
        "a wide net trained long memorises the 30% flipped labels of its training rows",
        rows=500,
        ambiguous={"underfitting"},
    ),
    case(
        "epochs, net on clean moons, few epochs",
        _sweep(lambda: moons(600, noise=0.1), "epochs", [1, 3, 10], model="mlp_torch"),
        set(),
        "clean data and few epochs: both scores only rise",
        rows=600,
        ambiguous={"underfitting", "plateau"},
    ),
    case(
        "lr, net on moons, tiny steps",
        _sweep(
            lambda: moons(600, noise=0.1),
            "lr",
            [0.00001, 0.001, 0.01],
            model="mlp_torch",
            params={"epochs": 5},
        ),
        {"not_converged"},
        "five epochs of steps of 1e-5 leave the weights near their random start",
        rows=600,
    ),
    case(
        "lr, net on moons, useful steps",
        _sweep(
            lambda: moons(600, noise=0.1),
            "lr",
            [0.003, 0.01, 0.03],
            model="mlp_torch",
            params={"epochs": 20},
        ),
        set(),
        "every rate in a useful range converges within 20 epochs",
        rows=600,
        ambiguous={"noise_dominated"},
    ),
    case(
        "depth, sigmoid net trained by sgd",
        _sweep(
            lambda: noisy_classes(600, flip=0.0),
            "depth",
            [1, 4, 8],
            model="mlp_torch",
            params={"activation": "sigmoid", "optimizer": "sgd", "lr": 0.01, "epochs": 10},
        ),
        {"vanishing_gradients"},
        "eight sigmoid layers shrink the gradient reaching the first ones by 4^8 or more",
        rows=600,
    ),
    case(
        "depth, relu net trained by adam",
        _sweep(
            lambda: noisy_classes(600, flip=0.0),
            "depth",
            [1, 2, 4],
            model="mlp_torch",
            params={"epochs": 10},
        ),
        set(),
        "relu and adam: depth does not stop the gradient (one layer may just be too small)",
        rows=600,
        ambiguous={"noise_dominated", "underfitting"},
    ),
    case(
        "batch size, net on moons, three epochs",
        _sweep(
            lambda: moons(600, noise=0.1),
            "batch_size",
            [8, 32, 512],
            model="mlp_torch",
            params={"epochs": 3},
        ),
        {"batch_too_large"},
        "a batch of 512 takes all 384 rows a fold trains on: one update an epoch, three in all",
        rows=600,
    ),
    case(
        "batch size, net on moons, enough updates",
        _sweep(
            lambda: moons(600, noise=0.1),
            "batch_size",
            [16, 32, 64],
            model="mlp_torch",
            params={"epochs": 30, "lr": 0.01},
        ),
        set(),
        "batches of 64 of the 384 rows a fold trains on make 6 updates an epoch, 180 steps "
        "of 0.01 in all: every size converges",
        rows=600,
        ambiguous={"noise_dominated"},
    ),
    # --- single runs ----------------------------------------------------------------------
    case(
        "run, quickstart's forest on titanic",
        _run("titanic", model="random_forest"),
        {"overfitting"},
        "trees grown to purity learn passengers, not patterns",
        kind="run",
        origin="bundled",
        rows=1309,
    ),
    case(
        "run, tree on a rare default",
        _run(lambda: rare_default(2000), model="decision_tree"),
        {"overfitting", "accuracy_paradox"},
        "no signal: an unlimited tree memorises (1.00 on "
        "its rows) and predicts worse than always 'no'",
        kind="run",
        rows=2000,
    ),
    case(
        "run, logistic on linear classes",
        _run(lambda: linear_classes(600, informative=3), model="logistic_regression"),
        set(),
        "the model has the data's own form",
        kind="run",
        rows=600,
    ),
    case(
        "run, straight line through a parabola",
        _run(lambda: parabola(600, noise=0.3), model="linear_regression"),
        {"underfitting"},
        "a line explains none of a symmetric parabola",
        kind="run",
        task="regression",
        rows=600,
    ),
    case(
        "run, card holders",
        _run(card_holders, model="logistic_regression"),
        {"leakage"},
        "'expenditure' is recorded after the decision",
        kind="run",
        rows=1319,
    ),
    case(
        "run, forest on far blobs",
        _run(lambda: blobs(400, distance=12), model="random_forest"),
        set(),
        "perfect scores, honestly: no column is the target",
        kind="run",
        rows=400,
    ),
]


#: Scenarios by name.
BY_NAME = {s.name: s for s in SCENARIOS}
assert len(BY_NAME) == len(SCENARIOS), "scenario names are unique"


# --- running and scoring ---------------------------------------------------------------------


@functools.cache
def outcome(name: str) -> Any:
    """What tinkerlab returns on the scenario called *name* (an Experiment or a Run), once
    per process: several tests read the same one."""
    return execute(BY_NAME[name])


def execute(scenario: Scenario) -> Any:
    """Build *scenario* and run it as a learner would: ``run`` or ``tinker`` with the
    detectors (the held-out set, ``findings_heldout.py``, runs its scenarios through it too)."""
    dataset, kwargs = scenario.build()
    if scenario.kind == "run":
        from tinkerlab import run

        return run(dataset, record=False, **kwargs)
    from tinkerlab.experiment import tinker
    from tinkerlab.insight import detect

    knob = kwargs.pop("knob")
    values = kwargs.pop("values", None)
    return tinker(dataset, knob, values, n_jobs=1, detect=detect, **kwargs)


def found(scenario: Scenario) -> set[str]:
    """The phenomena tinkerlab reports on *scenario*, as a learner would see them."""
    return {f.id for f in outcome(scenario.name).phenomena}


@dataclass
class Tally:
    """One detector's counts over the suite."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list[str] = field(default_factory=list)  # scenarios where it was missed
    false: list[str] = field(default_factory=list)  # scenarios where it fired wrongly

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def tally(
    results: dict[str, set[str]], by_name: dict[str, Scenario] | None = None
) -> dict[str, Tally]:
    """Per detector: true and false positives and negatives over the labelled scenarios
    (*by_name*: the scenarios' labels; this suite's unless told)."""
    by_name = BY_NAME if by_name is None else by_name
    counts = {d: Tally() for d in sorted(ALL)}
    for name, seen in results.items():
        scenario = by_name[name]
        for d in ALL - scenario.ambiguous:
            t = counts[d]
            if d in scenario.present:
                if d in seen:
                    t.tp += 1
                else:
                    t.fn += 1
                    t.misses.append(name)
            elif d in seen:
                t.fp += 1
                t.false.append(name)
            else:
                t.tn += 1
    return counts


def overall(counts: dict[str, Tally]) -> tuple[float, float]:
    """Micro-averaged precision and recall over every detector."""
    tp = sum(t.tp for t in counts.values())
    fp = sum(t.fp for t in counts.values())
    fn = sum(t.fn for t in counts.values())
    return tp / (tp + fp), tp / (tp + fn)
