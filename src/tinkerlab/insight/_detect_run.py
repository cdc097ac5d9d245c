"""The phenomena one run can show, and the data check for a column that is the target in
disguise.

A run has no knob, so no trend: its findings rest on its k CV folds, its training score,
the dummy baseline and, for leakage, the data itself (:func:`target_twins`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from tinkerlab.data import data_words
from tinkerlab.experiment import ALPHA, corrected_resampled_ttest, flat_tolerance
from tinkerlab.insight._detect_curves import MOVE
from tinkerlab.insight._detect_data import IMBALANCED, PARADOX_SHARE
from tinkerlab.insight._findings import Finding, rnd
from tinkerlab.options import spell

#: A column whose values determine the target this well is "the target in disguise".
TWIN = 0.99
#: ...when it has at most this many distinct values (more, and an id column would qualify).
TWIN_LEVELS = 50
#: A numeric column with one repeated value (a point mass, often 0 or a sentinel) holding
#: at least this share of the rows is checked as "is it that value or not"...
POINT_MASS = 0.05
#: ...and gives the class away when that split is right for this share of the rows
#: (R's CreditCard: "expenditure > 0" is right for 98.4%; an honest measurement such as
#: iris's petal width has no point mass that sorts the classes)...
TWIN_SPLIT = 0.98
#: ...and leaves at most this share of the errors of always guessing the commonest class.
TWIN_ERRORS = 0.1


def detect_run(run: Any, frame: Any = None) -> list[Finding]:
    """The phenomena a single run can show: a train-CV gap beyond noise, a model that
    removes few of the dummy's errors even on its training rows, accuracy near the
    majority share, and leakage (a column that gives the target away, when *frame* is
    given: the data the run was trained on, target included).
    """
    task = run.task
    name = "accuracy" if task == "classification" else "r2"
    scores, base = run.metrics.get(name), run.baseline.get(name)
    if scores is None or base is None:
        return []
    found = [
        _gap(run, name, scores),
        _weak(run, scores, base),
        _paradox(run, float(scores["cv_mean"])),
        _twin_leak(run, frame),
    ]
    return sorted((f for f in found if f is not None), key=lambda f: -f.confidence)


def _gap(run: Any, name: str, scores: dict[str, float]) -> Finding | None:
    """Training score above the CV score by a meaningful gap, beyond the folds' noise."""
    folds = np.asarray(run.summary.get("folds", {}).get(name) or [], dtype=float)
    train, cv = float(scores["train_mean"]), float(scores["cv_mean"])
    gap, tol = train - cv, flat_tolerance(name, 1.0)
    if folds.size < 3 or gap < MOVE * tol:
        return None
    k = run.recipe.cv_folds  # each fold trains on (k-1)/k of the rows, validates on 1/k
    test = corrected_resampled_ttest(np.full(folds.shape, train), folds, k - 1, 1)
    if not test.significant(ALPHA):
        return None
    held = run.metrics[name].get("test")
    on_test = f" (and {held:.2f} on the held-out test split)" if held is not None else ""
    knob = _capacity_knob(run)
    sweep = (
        f"tinkerlab tinker {data_words(run.dataset_name, run.recipe.target)} "
        f"--model {run.model} --knob {knob}"
        if knob
        else f"tinkerlab models {run.model}"
    )
    evidence = (
        f"{run.model} scores {train:.2f} on its training rows but {cv:.2f} in CV{on_test}: a "
        f"gap of {gap:.2f} (p = {test.p_value:.2g}), part of what it learned belongs to the "
        f"training rows only. Sweep a knob that limits it to see where the gap opens: {sweep}"
    )
    numbers = {"train": rnd(train), "cv": rnd(cv), "gap": rnd(gap), "p_value": rnd(test.p_value)}
    return Finding("overfitting", 1.0 - test.p_value, evidence, numbers)


#: Knobs that limit a model's capacity, the first one a model has is suggested.
CAPACITY_KNOBS = ("max_depth", "min_samples_leaf", "n_neighbors", "C", "alpha", "max_iter")


def _capacity_knob(run: Any) -> str | None:
    """The knob that limits this run's model, or None when it has none."""
    from tinkerlab.recipe import MODELS

    spec = MODELS.get(run.model)
    names = {k.name for k in spec.knobs_for(run.task)} if spec is not None else set()
    return next((k for k in CAPACITY_KNOBS if k in names), None)


def _weak(run: Any, scores: dict[str, float], base: dict[str, float]) -> Finding | None:
    """Even on its training rows the model removes few of the dummy's errors."""
    train, baseline = float(scores["train_mean"]), float(base["cv_mean"])
    if baseline >= 1.0:
        return None
    removed = (train - baseline) / (1.0 - baseline)  # share of the dummy's errors removed
    if removed >= PARADOX_SHARE:
        return None
    evidence = (
        f"{run.model} scores {train:.2f} even on its training rows, against the dummy "
        f"baseline's {baseline:.2f}: it removes only {max(removed, 0.0):.0%} of the dummy's "
        "errors on rows it has seen: it has not captured a pattern. Either the model is too "
        "simple for the one there is, or the columns say little about the target; a flexible "
        f"model ({spell('model', 'random_forest')}) tells which"
    )
    numbers = {"train": rnd(train), "baseline": rnd(baseline), "errors_removed": rnd(removed)}
    return Finding("underfitting", 0.8, evidence, numbers)


def _paradox(run: Any, cv: float) -> Finding | None:
    """CV accuracy close to always answering the commonest class, on imbalanced classes."""
    classes = run.summary.get("inputs", {}).get("classes") or {}
    if run.task != "classification" or not classes:
        return None
    counts = np.array(list(classes.values()), dtype=float)
    majority = float(counts.max() / counts.sum())
    fixed = (cv - majority) / (1.0 - majority) if majority < 1 else 0.0
    if majority < IMBALANCED or fixed >= PARADOX_SHARE:
        return None
    evidence = (
        f"CV accuracy {cv:.3f} looks high, but always answering the commonest class already "
        f"scores {majority:.3f}: the model fixes only {max(fixed, 0.0):.0%} of that guess's "
        "errors. Look at recall, F1 and balanced accuracy above"
    )
    numbers = {"accuracy": rnd(cv), "majority": rnd(majority)}
    return Finding(
        "accuracy_paradox", max(0.5, 1.0 - max(fixed, 0.0) / PARADOX_SHARE), evidence, numbers
    )


def _twin_leak(run: Any, frame: Any) -> Finding | None:
    """A feature column that gives the target away, named."""
    recipe = run.recipe
    twins = [] if frame is None else target_twins(frame, recipe.target, run.task, recipe.features)
    if not twins:
        return None
    column, strength = twins[0]
    evidence = (
        f"the column {column!r} gives the target {recipe.target!r} away ({strength}): it is "
        f"probably computed from the target or recorded after it. Fix: {spell('drop', [column])}"
    )
    numbers = {"feature": column, "columns": [c for c, _ in twins], "twins": twins}
    return Finding("leakage", 0.95, evidence, numbers)


def target_twins(
    frame: Any, target: str, task: str, features: Sequence[str]
) -> list[tuple[str, str]]:
    """Feature columns that give the target away, strongest first, with the evidence.

    Regression: a numeric column with Pearson's ``|r| >= TWIN``. Classification: a column
    with at most ``TWIN_LEVELS`` values, each value's commonest class covering at least
    ``TWIN`` of the rows (and more than the majority class alone does); or a numeric
    column with a point mass (one value on at least ``POINT_MASS`` of the rows) where "is
    it that value?" alone sorts ``TWIN_SPLIT`` of the rows into their class.
    """
    import pandas as pd

    y = frame[target]
    found: list[tuple[float, str, str]] = []
    y_codes, y_levels = pd.factorize(y, use_na_sentinel=False)
    majority = float(np.bincount(y_codes).max() / len(y_codes)) if len(y_codes) else 1.0
    quiet = set() if task == "regression" else _quiet_numeric(frame, features)
    for column in features:
        if column in quiet:
            continue
        x = frame[column]
        if task == "regression":
            if not pd.api.types.is_numeric_dtype(x) or x.nunique() < 2:
                continue
            r = float(np.corrcoef(x.astype(float), y.astype(float))[0, 1])
            if np.isfinite(r) and abs(r) >= TWIN:
                found.append((abs(r), column, f"correlation {r:+.3f}"))
            continue
        x_codes, x_levels = pd.factorize(x, use_na_sentinel=False)
        if 2 <= len(x_levels) <= TWIN_LEVELS:
            purity = _purity(x_codes, len(x_levels), y_codes, len(y_levels))
            if purity >= TWIN and purity > majority + (1 - majority) / 2:
                found.append(
                    (purity, column, f"its value gives the class for {purity:.1%} of rows")
                )
                continue
        mass = _point_mass_split(x, y_codes, len(y_levels), majority)
        if mass is not None:
            found.append((mass[0], column, mass[1]))
    return [(c, why) for _, c, why in sorted(found, reverse=True)]


def _quiet_numeric(frame: Any, features: Sequence[str]) -> set[str]:
    """Numeric columns that cannot give a class away, found in one block: more than
    ``TWIN_LEVELS`` values, and none on ``POINT_MASS`` of the rows.

    The loop in :func:`target_twins` skips them; it would find nothing there, column by
    column (a table of 5,000 numeric columns took seconds). Measured on the values as
    floats, sorted per column: merging values (large integers) only ever sends a column
    to the exact check, never away from it.
    """
    import pandas as pd

    dtypes = frame.dtypes  # once: frame[c] builds a Series per column (8,000: 0.3 s)
    numeric = [c for c in features if pd.api.types.is_numeric_dtype(dtypes[c])]
    if not numeric or len(frame) == 0:
        return set()
    try:
        values = frame[numeric].to_numpy(dtype=float, na_value=np.nan)  # (n, k)
    except (TypeError, ValueError):  # a numeric type floats cannot hold: check each column
        return set()
    ordered = np.sort(values, axis=0)  # (n, k), NaN last
    missing = np.isnan(ordered)
    same = (ordered[1:] == ordered[:-1]) | (missing[1:] & missing[:-1])  # (n - 1, k)
    levels = 1 + (~same).sum(axis=0)  # (k,) distinct values, NaN one of them
    runs = np.vstack([np.zeros((1, len(numeric)), dtype=int), np.cumsum(~same, axis=0)])
    n = len(ordered)
    flat = (runs + np.arange(len(numeric)) * n).ravel(order="F")  # run ids, column by column
    held = np.bincount(flat, minlength=n * len(numeric)).reshape(len(numeric), n).max(axis=1)
    quiet = (levels > TWIN_LEVELS) & (held < POINT_MASS * n)  # (k,)
    return {column for column, q in zip(numeric, quiet, strict=True) if q}


def _purity(x_codes: np.ndarray, n_x: int, y_codes: np.ndarray, n_y: int) -> float:
    """Share of rows whose class is their x value's commonest class."""
    # The contingency table in one pass: a row per value of x, a column per class.
    table = np.bincount(x_codes * n_y + y_codes, minlength=n_x * n_y).reshape(n_x, n_y)
    return float(table.max(axis=1).sum() / len(x_codes))


def _point_mass_split(
    x: Any, y_codes: np.ndarray, n_y: int, majority: float
) -> tuple[float, str] | None:
    """(purity, evidence) when "x equals its commonest value" sorts the classes."""
    import pandas as pd

    if not pd.api.types.is_numeric_dtype(x) or len(x) == 0:
        return None
    counts = x.value_counts(dropna=False)
    value, held = counts.index[0], int(counts.iloc[0])
    if held < POINT_MASS * len(x) or held == len(x):
        return None
    # NaN and pd.NA equal nothing, themselves included; a nullable column's missing
    # cells compare as NA, which is not the value.
    missing = pd.isna(value)
    at = x.isna().to_numpy() if missing else (x == value).fillna(False).to_numpy(dtype=bool)
    purity = _purity(at.astype(int), 2, y_codes, n_y)
    if purity < TWIN_SPLIT or 1 - purity > TWIN_ERRORS * (1 - majority):
        return None
    said = "missing" if missing else f"= {value:g}"
    return purity, f"whether it is {said} gives the class for {purity:.1%} of rows"
