"""A held-out set of labelled scenarios for the phenomenon detectors, written blind.

The labelled suite (``findings_suite.py``) was written alongside the detectors, and they
were tuned while looking at it, so its precision and recall of 1.00 say little about
scenarios they have not seen. These were written on 2026-12-05 without reading the
detectors' code (``src/tinkerlab/insight/_detect*.py``). What was read: the suite (how a
``Scenario`` is built, run and tallied, so that none is duplicated), the list of
detectors (``tinkerlab.insight.DETECTORS``) with what each tells a learner
(``PHENOMENA`` and the cards under ``insight/cards/``), ``docs/theory.md`` (including its
table of each detector's test) and ``docs/tinker.md``, and the model registry's knob
ranges. The scenarios and their labels were committed before the first run; the labels
were not changed after it (``tests/insight/test_findings_heldout.py`` records what the
detectors got wrong instead).

Truth is by construction: XOR classes a line cannot separate, Friedman's #1 function
(sin(π·x₀·x₁) + (x₂ − ½)² + …) beside a straight line, labels re-drawn at random, a
column copied from the target in other units, a target with no signal at all, a column
in dollars beside columns near 1, boosting with a step larger than 2 (each round
multiplies the residual by |1 − step|), sigmoid nets eight layers deep... Each scenario
lists what is **present**; every other detector must stay silent, except those listed
as **ambiguous**, where the construction does not settle the answer (``notes`` says
why). Datasets, sizes (at most 800 rows), seeds, models and knob values all differ from
the suite's.

``python benchmarks/bench_findings.py --heldout`` prints the per-detector table.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd
from findings_suite import (
    ALL,
    Scenario,
    Tally,
    _frame,
    _run,
    _sweep,
    blobs,
    case,
    execute,
    moons,
)
from findings_suite import tally as _tally

# --- synthetic tables (new mechanisms; the suite's makers only where reused with new settings)


def xor_classes(n: int, *, seed: int) -> pd.DataFrame:
    """The class is whether u and v have the same sign (XOR): no line separates it, two
    axis-aligned splits do."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))  # (n, 2)
    same = (X[:, 0] > 0) == (X[:, 1] > 0)  # (n,)
    return _frame(X, np.where(same, "same", "differ"), ["u", "v"])


def friedman(n: int, *, noise: float, seed: int, columns: int = 7) -> pd.DataFrame:
    """Friedman #1: y = 10 sin(π x₀ x₁) + 20 (x₂ − ½)² + 10 x₃ + 5 x₄ + noise; the other
    columns are pure noise. Curved and interacting: a straight line explains about 3/4."""
    from sklearn.datasets import make_friedman1

    X, y = make_friedman1(n_samples=n, n_features=columns, noise=noise, random_state=seed)
    return _frame(X, y)


def bumps(n: int, *, seed: int) -> pd.DataFrame:
    """y = sin(4πx₀)·sin(4πx₁) + 0.1 noise on the unit square: 16 bumps, each needing
    enough rows inside it for a neighbour average to draw it."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 1, size=(n, 2))  # (n, 2)
    y = np.sin(4 * np.pi * X[:, 0]) * np.sin(4 * np.pi * X[:, 1])  # (n,)
    return _frame(X, y + 0.1 * rng.standard_normal(n))


def relabelled(n: int, *, redraw: float, seed: int, classes: int = 3) -> pd.DataFrame:
    """Three classes from one Gaussian cluster each on 4 of 10 columns, then a share
    *redraw* of the labels re-drawn at random (make_classification's flip_y)."""
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=n, n_features=10, n_informative=4, n_redundant=0, n_classes=classes,
        n_clusters_per_class=1, class_sep=1.5, flip_y=redraw, random_state=seed,
    )  # fmt: skip
    return _frame(X, np.array(["red", "green", "blue"])[y])


def no_signal(n: int, *, majority: float, seed: int) -> pd.DataFrame:
    """Four standard-normal columns and a target drawn independently of them: *majority*
    of the rows 'stay', the rest 'leave'. Nothing can be learned."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 4))  # (n, 4)
    y = np.where(rng.random(n) < majority, "stay", "leave")
    return _frame(X, y, ["tenure", "calls", "spend", "age"])


def strong_linear_classes(n: int, *, junk: int, seed: int) -> pd.DataFrame:
    """y = sign(2a + 2b + 2c + noise): three columns each carrying a third of a strong
    signal, and *junk* columns drawn independently of everything."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 3 + junk))  # (n, 3 + junk)
    score = 2 * X[:, :3].sum(axis=1) + rng.standard_normal(n)  # (n,)
    names = ["a", "b", "c", *["shoe_size", "lucky_number", "moon_phase"][:junk]]
    return _frame(X, np.where(score > 0, "pos", "neg"), names)


def signal_and_static(n: int, *, seed: int) -> pd.DataFrame:
    """y = sin(3·signal) + 0.1 noise; 'static' is noise on the same scale: once the
    columns are standardised it is half of every distance kNN measures."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.5, 1.5, size=(n, 2))  # (n, 2)
    y = np.sin(3 * X[:, 0]) + 0.1 * rng.standard_normal(n)
    return _frame(X, y, ["signal", "static"])


def depth_in_metres(n: int, *, seed: int) -> pd.DataFrame:
    """The same function, but the signal column is in metres (±1,500) and the noise column
    near 1: raw distances are the signal's alone, standardised ones half noise."""
    frame = signal_and_static(n, seed=seed)
    frame["signal"] *= 1000.0
    return frame.rename(columns={"signal": "depth_m"})


def with_income(n: int, *, seed: int) -> pd.DataFrame:
    """Two blobs 3 standard deviations apart on 'a' and 'b', and 'income' in dollars
    (50,000 ± 15,000) drawn independently of the class."""
    frame = blobs(n, distance=3, seed=seed)
    frame = frame.rename(columns={"x0": "a", "x1": "b"})
    rng = np.random.default_rng(seed + 100)
    frame.insert(2, "income", rng.normal(50_000, 15_000, n))
    return frame


def priced(n: int, *, seed: int) -> pd.DataFrame:
    """A price from three house features plus noise, and 'price_eur', the same price
    converted at 0.92 (recorded with the sale: it *is* the target)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 3))  # (n, 3)
    price = 200_000 + 40_000 * X[:, 0] + 25_000 * X[:, 1] - 10_000 * X[:, 2]
    price = price + 30_000 * rng.standard_normal(n)
    frame = _frame(X, price, ["rooms", "area", "age"])
    frame.insert(3, "price_eur", 0.92 * frame["y"])
    return frame


def coded_outcome(n: int, *, seed: int) -> pd.DataFrame:
    """Weak honest columns, plus 'case_code': twelve codes, C01–C06 only ever given to
    approved cases and C07–C12 to refused ones (the code is assigned after the decision)."""
    rng = np.random.default_rng(seed)
    approved = rng.random(n) < 0.5  # (n,)
    X = rng.standard_normal((n, 3)) + 0.4 * approved[:, None]  # (n, 3)
    frame = _frame(X, np.where(approved, "approved", "refused"), ["x0", "x1", "x2"])
    code = rng.integers(1, 7, n) + np.where(approved, 0, 6)
    frame.insert(3, "case_code", [f"C{k:02d}" for k in code])
    return frame


def follow_up(n: int, *, seed: int) -> pd.DataFrame:
    """Weak honest columns, plus 'follow_up', the class (0/1) with noise of sd 0.1: one
    column alone gives the answer."""
    rng = np.random.default_rng(seed)
    sick = rng.random(n) < 0.5  # (n,)
    X = rng.standard_normal((n, 3)) + 0.3 * sick[:, None]  # (n, 3)
    frame = _frame(X, np.where(sick, "sick", "well"), ["temp", "pulse", "age"])
    frame.insert(3, "follow_up", sick + 0.1 * rng.standard_normal(n))
    return frame


def prior_defaults(n: int, *, seed: int) -> pd.DataFrame:
    """An honest point mass: 'prior_defaults' is 0 for 70% of *both* classes (so 'is it
    0?' sorts nobody), a small count otherwise, larger for bad payers; 'income' carries a
    strong linear signal."""
    rng = np.random.default_rng(seed)
    bad = rng.random(n) < 0.5  # (n,)
    income = rng.standard_normal(n) - 1.5 * bad
    counts = 1 + rng.poisson(np.where(bad, 2.0, 0.5))
    defaults = np.where(rng.random(n) < 0.7, 0, counts)
    X = np.column_stack([income, defaults, rng.standard_normal(n)])  # (n, 3)
    return _frame(X, np.where(bad, "bad", "good"), ["income", "prior_defaults", "tenure"])


def spread_classes(n: int, *, seed: int) -> pd.DataFrame:
    """Three clean, well-separated classes (class_sep 2.5, no label noise) on 8 columns."""
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=n, n_features=8, n_informative=5, n_redundant=0, n_classes=3,
        n_clusters_per_class=1, class_sep=2.5, flip_y=0.0, random_state=seed,
    )  # fmt: skip
    return _frame(X, np.array(["ant", "bee", "cat"])[y])


# --- the scenarios ------------------------------------------------------------------------

SCENARIOS: list[Scenario] = [
    # --- a model parameter: capacity -----------------------------------------------------
    case(
        "svm gamma, noisy moons, 500 rows",
        _sweep(
            lambda: moons(500, noise=0.3, seed=7),
            "gamma",
            [0.001, 0.01, 0.1, 1, 10, 100, 1000],
            model="svm",
        ),
        {"overfitting", "underfitting", "sweet_spot"},
        "gamma=0.001 makes every kernel value about 1: with C=1 the boundary is nearly "
        "constant (both scores low); gamma=1000 gives each row its own bump (train 1.00, "
        "new rows guessed); the moons' curve is drawn in between",
        rows=500,
    ),
    case(
        "tree min_samples_leaf, Friedman regression",
        _sweep(
            lambda: friedman(600, noise=3.0, seed=17),
            "min_samples_leaf",
            [1, 2, 5, 10, 20, 40, 80, 160],
            model="decision_tree",
        ),
        {"overfitting", "underfitting", "sweet_spot"},
        "leaves of one row copy noise of sd 3 (train r² 1.00); leaves of 160 of 384 "
        "training rows leave two or three leaves for a five-variable curved function",
        task="regression",
        rows=600,
    ),
    case(
        "extra trees n_estimators, overlapping blobs",
        _sweep(
            lambda: blobs(500, distance=3, seed=11, dims=3),
            "n_estimators",
            [1, 2, 4, 8, 16, 32, 64, 128],
            model="extra_trees",
        ),
        {"plateau"},
        "one random tree votes noisily; averaging more steadies the vote and then stops "
        "changing it. Every size scores 1.00 on its own rows, so the gap narrows, never opens",
        rows=500,
    ),
    case(
        "logistic C, XOR classes",
        _sweep(
            lambda: xor_classes(600, seed=2),
            "C",
            [0.001, 0.01, 0.1, 1, 10, 100],
            model="logistic_regression",
        ),
        {"underfitting"},
        "no line separates XOR: at every C train and CV accuracy sit near 0.5 while two "
        "splits would score about 1.0 — the model is too simple, whatever the penalty",
        rows=600,
        ambiguous={"noise_dominated"},
        notes={
            "ambiguous": "the differences between Cs are chance, which is true too; the "
            "stronger truth is that none of them works"
        },
    ),
    case(
        "forest max_depth, a target with no signal",
        _sweep(
            lambda: no_signal(500, majority=0.5, seed=19),
            "max_depth",
            [1, 2, 4, 8, 16],
            model="random_forest",
            params={"n_estimators": 30},
        ),
        {"overfitting"},
        "the target is independent of every column: deeper trees raise the training score "
        "towards 1.00 (memorised coin flips) while CV stays at 0.5",
        rows=500,
        ambiguous={"noise_dominated"},
        notes={"ambiguous": "the CV scores of every depth are chance-level and tied"},
    ),
    # --- seed ---------------------------------------------------------------------------
    case(
        "extra trees seed, Friedman regression",
        _sweep(
            lambda: friedman(400, noise=1.0, seed=23),
            "seed",
            [0, 1, 2, 3, 4, 5],
            model="extra_trees",
            params={"n_estimators": 20},
        ),
        {"noise_dominated"},
        "the seed only redraws the random thresholds of 20 trees: no seed is better",
        task="regression",
        rows=400,
    ),
    case(
        "forest seed, penguins",
        _sweep(
            "penguins",
            "seed",
            [10, 11, 12, 13, 14],
            model="random_forest",
            params={"n_estimators": 20},
        ),
        {"noise_dominated"},
        "the seed only redraws bootstraps and column draws",
        origin="bundled",
        rows=344,
    ),
    # --- train_size: learning curves -----------------------------------------------------
    case(
        "learning curve, logistic on XOR",
        _sweep(
            lambda: xor_classes(800, seed=4),
            "train_size",
            "0.1:1.0",
            model="logistic_regression",
            steps=6,
        ),
        {"high_bias", "more_data_wont_help"},
        "a line scores about 0.5 on XOR with 64 rows or 640, on training rows and new "
        "ones alike, while a forest splits it near perfectly",
        rows=800,
    ),
    case(
        "learning curve, straight line on Friedman",
        _sweep(
            lambda: friedman(800, noise=1.0, seed=13, columns=8),
            "train_size",
            "0.1:1.0",
            model="linear_regression",
            steps=6,
        ),
        {"high_bias", "more_data_wont_help"},
        "nine coefficients are pinned by a few hundred rows; the sine and the square stay "
        "out of a line's reach (r² about 0.75, a forest about 0.85+)",
        task="regression",
        rows=800,
    ),
    case(
        "learning curve, extra trees, re-drawn labels",
        _sweep(
            lambda: relabelled(700, redraw=0.3, seed=29),
            "train_size",
            "0.1:1.0",
            model="extra_trees",
            steps=5,
        ),
        {"high_variance"},
        "fully grown extra trees score 1.00 on their rows, 20% of whose labels are wrong "
        "at random; on new rows they cannot",
        rows=700,
        ambiguous={"more_data_helps", "more_data_wont_help"},
        notes={"ambiguous": "whether the last 40% of rows still add 0.01 is not settled"},
    ),
    case(
        "learning curve, kNN on sixteen bumps",
        _sweep(lambda: bumps(800, seed=31), "train_size", "0.1:1.0", model="knn", steps=6),
        {"more_data_helps"},
        "sixteen bumps of width 1/8 on the unit square: at 384 rows each bump holds ~24 "
        "rows, at 640 ~40, and five neighbours come from ever closer",
        task="regression",
        rows=800,
        ambiguous={"high_variance"},
        notes={"ambiguous": "k=5 includes each training row itself: the gap's size is open"},
    ),
    case(
        "learning curve, logistic on strong linear classes",
        _sweep(
            lambda: strong_linear_classes(700, junk=0, seed=5),
            "train_size",
            "0.1:1.0",
            model="logistic_regression",
            steps=6,
        ),
        {"more_data_wont_help"},
        "the model has the data's form: four coefficients, learned from a few hundred "
        "rows to within the noise; a forest cannot beat the Bayes boundary",
        rows=700,
    ),
    # --- features -------------------------------------------------------------------------
    case(
        "drop-one, kNN regression with a static column",
        _sweep(lambda: signal_and_static(500, seed=21), "features", model="knn"),
        {"harmful_feature"},
        "'static' is noise on the signal's scale: leaving it out makes the neighbours "
        "neighbours in 'signal' alone",
        task="regression",
        rows=500,
    ),
    case(
        "drop-one, logistic with junk columns",
        _sweep(
            lambda: strong_linear_classes(700, junk=2, seed=37),
            "features",
            model="logistic_regression",
        ),
        {"useless_feature"},
        "shoe_size and lucky_number are drawn independently of everything; each of a, "
        "b, c carries a third of the signal and costs about 0.1 when left out",
        rows=700,
    ),
    case(
        "add-one, a follow-up column",
        _sweep(
            lambda: follow_up(600, seed=41),
            "features",
            model="logistic_regression",
            mode="add-one",
        ),
        {"leakage"},
        "'follow_up' is the class plus noise of sd 0.1: alone it classifies every row",
        rows=600,
    ),
    # --- leakage in the data, whatever the knob ------------------------------------------
    case(
        "logistic C, a case code assigned after the decision",
        _sweep(
            lambda: coded_outcome(600, seed=43),
            "C",
            [0.1, 1, 10],
            model="logistic_regression",
        ),
        {"leakage"},
        "each of the twelve codes belongs to one class only",
        rows=600,
        ambiguous={"noise_dominated"},
        notes={"ambiguous": "with the code one-hot every C may score the same"},
    ),
    case(
        "run, forest on a price with its euro twin",
        _run(lambda: priced(500, seed=47), model="random_forest"),
        {"leakage"},
        "'price_eur' is the target times 0.92",
        kind="run",
        task="regression",
        rows=500,
    ),
    case(
        "run, logistic with an honest point mass",
        _run(lambda: prior_defaults(600, seed=53), model="logistic_regression"),
        set(),
        "'prior_defaults' is 0 for 70% of each class: its point mass sorts nobody; "
        "income separates the classes well but not perfectly (about 0.77)",
        kind="run",
        rows=600,
    ),
    # --- imbalance -----------------------------------------------------------------------
    case(
        "run, kNN on an 85/15 target with no signal",
        _run(
            lambda: no_signal(600, majority=0.85, seed=59),
            model="knn",
            params={"n_neighbors": 15},
        ),
        {"accuracy_paradox"},
        "the target is independent of the columns: about 0.85 accuracy is the share "
        "who stay, nothing learned. Not underfitting: there is no pattern a richer model "
        "could capture",
        kind="run",
        rows=600,
    ),
    case(
        "svm C, an 80/20 target with no signal",
        _sweep(
            lambda: no_signal(500, majority=0.8, seed=61),
            "C",
            [0.1, 1, 10],
            model="svm",
        ),
        {"accuracy_paradox"},
        "no column says anything: the best an SVM can do is answer 'stay', 0.80",
        rows=500,
        ambiguous={"noise_dominated", "overfitting"},
        notes={
            "ambiguous": "at C=10 the kernel may memorise some training rows; whether the "
            "gap opens enough to show is not settled"
        },
    ),
    # --- scaling -------------------------------------------------------------------------
    case(
        "scaling, svm, income in dollars",
        _sweep(lambda: with_income(500, seed=67), "scaling", model="svm"),
        {"scaling_sensitive"},
        "raw, gamma='scale' is set by income's variance (~2e8): the kernel sees income "
        "alone, which says nothing about the class",
        rows=500,
    ),
    case(
        "scaling, kNN regression, signal in metres",
        _sweep(lambda: depth_in_metres(500, seed=71), "scaling", model="knn"),
        {"scaling_sensitive"},
        "here scaling hurts: raw distances are the signal's alone (metres), standardised "
        "ones are half noise",
        task="regression",
        rows=500,
    ),
    case(
        "scaling, gradient boosting, income in dollars",
        _sweep(lambda: with_income(500, seed=73), "scaling", model="gradient_boosting"),
        set(),
        "histogram boosting bins each column by its quantiles, which standardising "
        "does not move: the same model either way",
        rows=500,
    ),
    # --- learning rates -------------------------------------------------------------------
    case(
        "learning rate, gradient boosting, Friedman",
        _sweep(
            lambda: friedman(500, noise=1.0, seed=79),
            "learning_rate",
            [0.05, 0.2, 1, 4, 10],
            model="gradient_boosting",
        ),
        {"divergence"},
        "with squared error each round multiplies the residual by about |1 − step|: "
        "steps of 4 and 10 make it grow threefold and ninefold a round",
        task="regression",
        rows=500,
        ambiguous={"underfitting", "sweet_spot"},
        notes={
            "ambiguous": "both scores are low at steps 4 and 10, but because of divergence, "
            "not too little capacity; whether 0.05 falls short of the best is open"
        },
    ),
    # --- label noise ----------------------------------------------------------------------
    case(
        "label noise, unlimited tree, blobs",
        _sweep(
            lambda: blobs(700, distance=4, seed=3, dims=3),
            "label_noise",
            "0:0.4",
            model="decision_tree",
            steps=5,
        ),
        {"label_noise_sensitive"},
        "a tree grown to purity isolates every flipped label in its own leaf and answers "
        "with it, like 1-NN",
        rows=700,
    ),
    case(
        "label noise, naive Bayes, blobs",
        _sweep(
            lambda: blobs(600, distance=3, seed=4, dims=4),
            "label_noise",
            "0:0.4",
            model="naive_bayes",
            steps=5,
        ),
        set(),
        "symmetric flips pull both class means towards the middle by the same amount: "
        "the boundary between them stays where it was",
        rows=600,
        ambiguous={"noise_dominated"},
        notes={"ambiguous": "whether the small changes that remain look like chance is open"},
    ),
    case(
        "target noise, unlimited regression tree, Friedman",
        _sweep(
            lambda: friedman(600, noise=0.5, seed=83),
            "label_noise",
            "0:1",
            model="decision_tree",
            steps=5,
        ),
        {"label_noise_sensitive"},
        "a tree with one row per leaf predicts each training row's noisy target",
        task="regression",
        rows=600,
    ),
    # --- neural networks -----------------------------------------------------------------
    case(
        "epochs, wide net, re-drawn labels",
        _sweep(
            lambda: relabelled(500, redraw=0.4, seed=89),
            "epochs",
            [1, 4, 16, 64, 150],
            model="mlp_torch",
            params={"hidden_size": 512, "lr": 0.01},
        ),
        {"overtraining"},
        "a net of 512 units trained 150 epochs at 0.01 memorises the ~27% wrong labels "
        "of its 320 training rows; after a few epochs it had the clusters only",
        rows=500,
        ambiguous={"underfitting", "overfitting", "sweet_spot"},
        notes={
            "ambiguous": "one epoch is an unfinished fit; the peak and fall are overfitting "
            "and a sweet spot in the general words, which the one story may name "
            "overtraining instead"
        },
    ),
    case(
        "epochs, net on clean classes",
        _sweep(lambda: spread_classes(400, seed=97), "epochs", [1, 4, 16, 64], model="mlp_torch"),
        set(),
        "three clean, well-separated classes: nothing to memorise, the CV score rises and holds",
        rows=400,
        ambiguous={"underfitting", "plateau"},
        notes={"ambiguous": "one epoch at lr 0.001 is an unfinished fit"},
    ),
    case(
        "lr, net on Friedman, tiny steps",
        _sweep(
            lambda: friedman(400, noise=0.5, seed=101),
            "lr",
            [0.000001, 0.001, 0.03],
            model="mlp_torch",
            params={"epochs": 5},
        ),
        {"not_converged"},
        "five epochs of ~5 steps of 1e-6 leave the weights where they started",
        task="regression",
        rows=400,
        ambiguous={"underfitting"},
        notes={"ambiguous": "both scores are low at 1e-6: the cause is the step size"},
    ),
    case(
        "depth, sigmoid net by sgd, Friedman",
        _sweep(
            lambda: friedman(500, noise=0.5, seed=103),
            "depth",
            [1, 3, 8],
            model="mlp_torch",
            params={"activation": "sigmoid", "optimizer": "sgd", "lr": 0.05, "epochs": 15},
        ),
        {"vanishing_gradients"},
        "a sigmoid's slope is at most 1/4: eight layers shrink the first layers' "
        "gradient by 4^8, and the net stays near the mean",
        task="regression",
        rows=500,
        ambiguous={"underfitting"},
        notes={"ambiguous": "both scores are low at depth 8: the cause is the gradient"},
    ),
    case(
        "batch size, net on clean classes, two epochs",
        _sweep(
            lambda: spread_classes(700, seed=107),
            "batch_size",
            [16, 128, 2048],
            model="mlp_torch",
            params={"epochs": 2, "lr": 0.003},
        ),
        {"batch_too_large"},
        "a batch of 2048 holds all 448 rows a fold trains on: two updates in all, "
        "against 56 with batches of 16",
        rows=700,
        ambiguous={"underfitting"},
        notes={"ambiguous": "both scores are low at 2048: the cause is too few updates"},
    ),
    # --- single runs ------------------------------------------------------------------------
    case(
        "run, gradient boosting on re-drawn labels",
        _run(lambda: relabelled(600, redraw=0.4, seed=109), model="gradient_boosting"),
        {"overfitting"},
        "100 rounds of 31-leaf trees fit the ~27% wrong labels of their rows",
        kind="run",
        rows=600,
    ),
    case(
        "run, logistic on XOR",
        _run(lambda: xor_classes(500, seed=113), model="logistic_regression"),
        {"underfitting"},
        "a line scores about 0.5 on XOR even on its own training rows",
        kind="run",
        rows=500,
    ),
]


#: Scenarios by name.
BY_NAME = {s.name: s for s in SCENARIOS}
assert len(BY_NAME) == len(SCENARIOS), "scenario names are unique"


@functools.cache
def outcome(name: str) -> Any:
    """What tinkerlab returns on the held-out scenario called *name*, once per process."""
    return execute(BY_NAME[name])


def found(scenario: Scenario) -> set[str]:
    """The phenomena tinkerlab reports on the held-out *scenario*."""
    return {f.id for f in outcome(scenario.name).phenomena}


def tally(results: dict[str, set[str]]) -> dict[str, Tally]:
    """Per detector: true and false positives and negatives over the held-out scenarios."""
    return _tally(results, BY_NAME)


__all__ = ["ALL", "BY_NAME", "SCENARIOS", "found", "outcome", "tally"]
