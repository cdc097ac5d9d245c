"""A from-scratch twin next to its scikit-learn original: same data, same split, both timed.

:func:`compare_twin` fits our NumPy twin (``tinkerlab.scratch``) and the scikit-learn
estimator it mirrors on the same split of a bundled dataset and reports how often they
predict the same thing, both test scores and how long each took. :func:`twin_table` lists
every twin with its file's size and how its parity with scikit-learn is established.

>>> result = compare_twin("gaussian_nb")              # on its default dataset, wine
>>> result.agreement                                  # share of identical test predictions
1.0
>>> [row["name"] for row in twin_table()][:2]
['linear_regression', 'ridge']

Everything about a twin — its scikit-learn original, the registry model it stands in for,
its default dataset, whether the features are standardised first, the parameters both sides
get, where its parity is tested — is one row of plain data in ``tinkerlab.scratch.TWINS``;
this module only reads it.
"""

from __future__ import annotations

import difflib
import html
import importlib
import inspect
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tinkerlab.exceptions import RecipeError
from tinkerlab.scratch import TWINS

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from tinkerlab.data import Dataset
    from tinkerlab.scratch._twins import Kind, Twin

#: What each kind predicts on the test rows, and how the two sides are scored there.
METRICS: dict[Kind, str] = {
    "classifier": "accuracy",
    "regressor": "r2",
    "clusterer": "adjusted_rand",  # against the dataset's classes, which neither side saw
    "transformer": "variance_kept",  # share of the test rows' variance the components keep
}

#: Most rows used from a dataset: bounds the time of the slowest twins (trees, the MLP).
MAX_ROWS = 5000
TEST_SIZE = 0.25
#: Two regression predictions count as identical when they agree to this relative tolerance.
REGRESSION_RTOL = 1e-9
ESTIMATOR_CHECKS = "tests/scratch/test_scratch_estimator_checks.py"
DOCS = "docs/scratch.md"


@dataclass(frozen=True)
class TwinResult:
    """One side of a comparison, scored and timed on the same rows as the other."""

    estimator: str  # import path, e.g. "tinkerlab.scratch.LogisticRegression"
    score: float  # on the test rows, in the comparison's metric
    fit_seconds: float  # fitting on the training rows
    predict_seconds: float  # predicting (or transforming) the test rows


@dataclass(frozen=True)
class TwinComparison:
    """Our twin and scikit-learn's estimator, fitted on the same split of one dataset."""

    name: str  # the twin's row in TWINS, e.g. "logistic_regression"
    dataset: str  # the dataset compared on
    kind: Kind  # classifier, regressor, clusterer or transformer
    metric: str  # how both are scored on the test rows (see METRICS)
    ours: TwinResult  # the twin from tinkerlab.scratch
    theirs: TwinResult  # the scikit-learn original
    agreement: float | None  # share of identical test predictions (not for a transformer)
    max_abs_diff: float | None  # largest gap between the outputs (regressor, transformer)
    params: dict[str, Any]  # parameters both sides got
    train_rows: int  # rows both were fitted on
    test_rows: int  # rows both predicted
    features: list[str]  # the numeric columns used
    scaled: bool  # features standardised (fitted on the training rows)
    seed: int  # of the split and of every seeded estimator
    notes: list[str] = field(default_factory=list)  # decisions and warnings worth knowing

    @property
    def speed_ratio(self) -> float:
        """Our fit + predict time over scikit-learn's (2.0: we take twice as long)."""
        ours = self.ours.fit_seconds + self.ours.predict_seconds
        theirs = self.theirs.fit_seconds + self.theirs.predict_seconds
        return ours / max(theirs, 1e-9)

    def to_dict(self) -> dict[str, Any]:
        """Everything JSON can hold (what ``tinkerlab scratch compare --json`` prints)."""
        data = asdict(self)
        data["params"] = {k: _jsonable(v) for k, v in self.params.items()}
        data["speed_ratio"] = self.speed_ratio
        return data

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td>{e(side.estimator)}</td><td>{side.score:.4f}</td>"
            f"<td>{side.fit_seconds * 1000:.1f}</td><td>{side.predict_seconds * 1000:.1f}</td></tr>"
            for side in (self.ours, self.theirs)
        )
        notes = "".join(f"<li>{e(n)}</li>" for n in self.notes)
        return (
            f"<div><h4>{e(self.name)}: our twin beside scikit-learn on {e(self.dataset)}</h4>"
            f"<p>{self.train_rows} training rows, {self.test_rows} test rows, "
            f"{len(self.features)} numeric features{', standardised' if self.scaled else ''}, "
            f"seed {self.seed}. {e(self.describe_agreement())}</p>"
            f"<table><tr><th>estimator</th><th>test {e(self.metric)}</th><th>fit (ms)</th>"
            f"<th>predict (ms)</th></tr>{rows}</table>"
            + (f"<ul>{notes}</ul>" if notes else "")
            + "</div>"
        )

    def describe_agreement(self) -> str:
        """One sentence: how closely the two sides agree on the test rows."""
        parts = []
        if self.agreement is not None:
            what = "cluster labels (after matching)" if self.kind == "clusterer" else "predictions"
            parts.append(f"Identical test {what}: {self.agreement:.1%}.")
        if self.max_abs_diff is not None:
            parts.append(f"Largest difference between the test outputs: {self.max_abs_diff:.3g}.")
        return " ".join(parts)


def twin_names() -> list[str]:
    """The names :func:`compare_twin` and ``tinkerlab scratch show`` accept."""
    return list(TWINS)


def resolve_twin(name: str) -> str:
    """The twin's name in ``TWINS`` for *name* (also accepts class names, any case, dashes).

    Raises :class:`~tinkerlab.exceptions.RecipeError` naming the closest twin.
    """
    wanted = name.strip().casefold().replace("-", "_")
    by_class = {twin.cls.__name__.casefold(): key for key, twin in TWINS.items()}
    if wanted in TWINS:
        return wanted
    if wanted in by_class:
        return by_class[wanted]
    close = difflib.get_close_matches(wanted, [*TWINS, *by_class], n=1, cutoff=0.5)
    hint = f" Did you mean {by_class.get(close[0], close[0])!r}?" if close else ""
    raise RecipeError(
        f"There is no scratch twin called {name!r}.{hint} Twins: {', '.join(TWINS)}. "
        "See them all with: tinkerlab scratch list"
    )


def source_files(name: str) -> list[Path]:
    """The twin's own file, then the scratch files it builds on (the tree for the trees)."""
    cls = TWINS[resolve_twin(name)].cls
    files = [Path(inspect.getsourcefile(cls) or "")]
    for module_name in _scratch_imports(cls):  # e.g. the trees grow with _tree.py
        path = Path(inspect.getsourcefile(importlib.import_module(module_name)) or "")
        if path not in files:
            files.append(path)
    return files


def count_lines(path: Path) -> int:
    """Non-blank lines of a source file (docstrings and comments count: they teach)."""
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def twin_table() -> list[dict[str, Any]]:
    """One row per twin: class, scikit-learn counterpart, lines of code, parity status.

    The parity status says how agreement is established (which test file, which
    tolerance); nothing is run here.
    """
    rows = []
    for name, twin in TWINS.items():
        own, *uses = source_files(name)
        rows.append(
            {
                "name": name,
                "class": twin.path,
                "sklearn": twin.sklearn,
                "kind": twin.kind,
                "learns": twin.learns,
                "model": twin.model,  # the registry model it stands in for (--impl scratch)
                "task": twin.task,
                "file": _package_relative(own),
                "lines": count_lines(own),
                "uses": [_package_relative(p) for p in uses],
                "uses_lines": sum(count_lines(p) for p in uses),
                "parity": f"tested: {twin.parity_test} ({twin.parity})",
                "parity_test": twin.parity_test,
                "estimator_checks": ESTIMATOR_CHECKS,
                "default_dataset": twin.dataset,
            }
        )
    return rows


def twin_markdown() -> str:
    """The twin table as Markdown: what ``docs/scratch.md`` shows (a test keeps them equal)."""
    lines = [
        "| name | class | file | scikit-learn twin | `--impl scratch` for | how it learns |",
        "|---|---|---|---|---|---|",
    ]
    for row in twin_table():
        files = " + ".join(f"`{Path(f).name}`" for f in [row["file"], *row["uses"]])
        stands_in = f"`{row['model']}` ({row['task']})" if row["model"] else "—"
        lines.append(
            f"| `{row['name']}` | `{row['class'].rsplit('.', 1)[1]}` | {files} | "
            f"`{row['sklearn']}` | {stands_in} | {row['learns']} |"
        )
    return "\n".join(lines)


def compatible_datasets(name: str) -> list[str]:
    """The built-in datasets :func:`compare_twin` accepts for twin *name* (loads each)."""
    from tinkerlab.data import list_datasets, load

    twin = TWINS[resolve_twin(name)]
    return [
        info.name for info in list_datasets() if _incompatibility(twin, load(info.name)) is None
    ]


def compare_twin(name: str, dataset_name: str | None = None, seed: int = 0) -> TwinComparison:
    """Fit our twin and its scikit-learn original on the same split; compare and time them.

    Parameters
    ----------
    name : str
        A twin's name (``tinkerlab scratch list``), e.g. ``"logistic_regression"``.
    dataset_name : str, optional
        A built-in dataset (or a file) whose task suits the twin; the twin's default if
        omitted. Only numeric features are used; rows with a missing one are dropped.
    seed : int, default=0
        Seeds the split and every estimator that takes a ``random_state``.

    Returns
    -------
    TwinComparison
        Agreement on the test rows, both test scores, fit and predict times.

    Examples
    --------
    >>> compare_twin("knn_classifier", "iris").agreement
    1.0
    """
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from tinkerlab.data import load

    name = resolve_twin(name)
    twin = TWINS[name]
    dataset = load(dataset_name or twin.dataset)
    problem = _incompatibility(twin, dataset)
    if problem is not None:
        raise RecipeError(
            f"{name} cannot be compared on {dataset.name!r}: {problem}. Datasets it works on: "
            f"{', '.join(compatible_datasets(name))} (default: {twin.dataset})."
        )
    X, y, features, notes = _numeric_table(dataset, twin, seed)
    notes += [twin.note] if twin.note else []
    stratify = y if twin.kind in ("classifier", "clusterer") else None
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_SIZE, random_state=seed, stratify=stratify
    )
    if twin.scale:
        scaler = StandardScaler().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

    module_name, class_name = twin.sklearn.rsplit(".", 1)
    theirs_cls = getattr(importlib.import_module(module_name), class_name)
    params = dict(twin.params)
    if twin.kind == "clusterer":
        params["n_clusters"] = len(np.unique(y))
    ours = _with_seed(twin.cls(**params), seed)
    theirs = _with_seed(theirs_cls(**params, **twin.theirs), seed)

    outputs = []
    results = []
    for estimator, path in ((ours, twin.path), (theirs, twin.sklearn)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            output, fit_s, predict_s = _fit_predict(twin.kind, estimator, X_train, y_train, X_test)
        notes += sorted(
            {f"{type(estimator).__name__} ({path.split('.')[0]}): {w.message}" for w in caught}
        )
        outputs.append(output)
        score = _score(twin.kind, estimator, X_test, y_test, output)
        results.append(TwinResult(path, score, fit_seconds=fit_s, predict_seconds=predict_s))
    agreement, max_abs_diff = _agreement(twin.kind, outputs[0], outputs[1])
    return TwinComparison(
        name=name,
        dataset=dataset.name,
        kind=twin.kind,
        metric=METRICS[twin.kind],
        ours=results[0],
        theirs=results[1],
        agreement=agreement,
        max_abs_diff=max_abs_diff,
        params={**params, **({"random_state": seed} if _takes_seed(ours) else {})},
        train_rows=len(X_train),
        test_rows=len(X_test),
        features=features,
        scaled=twin.scale,
        seed=seed,
        notes=notes,
    )


# --- helpers -------------------------------------------------------------------------------


def _incompatibility(twin: Twin, dataset: Dataset) -> str | None:
    """Why *dataset* does not suit *twin* (None when it does)."""
    if dataset.target is None and twin.kind != "transformer":
        return "it has no target column"
    wanted = {"classifier": "classification", "clusterer": "classification"}.get(twin.kind)
    if twin.kind == "regressor":
        wanted = "regression"
    if wanted is not None and dataset.task != wanted:
        return f"it is a {dataset.task} dataset and a {twin.kind} needs a {wanted} one"
    numeric = dataset.features("numeric")
    least = 2 if twin.kind == "transformer" else 1
    if len(numeric) < least:
        return f"it has {len(numeric)} numeric feature(s); at least {least} needed"
    if twin.counts and bool((dataset.frame[numeric] < 0).to_numpy().any()):
        return "it has negative values, and this twin needs counts (non-negative features)"
    return None


def _numeric_table(
    dataset: Dataset, twin: Twin, seed: int
) -> tuple[NDArray[np.float64], NDArray[Any], list[str], list[str]]:
    """The numeric features as floats and the target; drop incomplete rows, cap the size."""
    features = dataset.features("numeric")
    notes = []
    skipped = [c for c in dataset.features() if c not in features]
    if skipped:
        notes.append(f"Only numeric features are used; left out: {', '.join(skipped)}.")
    frame = dataset.frame[[*features, *([dataset.target] if dataset.target else [])]]
    complete = frame.dropna()
    if len(complete) < len(frame):
        notes.append(f"Dropped {len(frame) - len(complete)} rows with a missing value.")
    if len(complete) > MAX_ROWS:
        complete = complete.sample(n=MAX_ROWS, random_state=seed)
        notes.append(f"Used a random sample of {MAX_ROWS} of {len(frame)} rows (seed {seed}).")
    X = complete[features].to_numpy(dtype=np.float64)  # (n, d)
    y = complete[dataset.target].to_numpy() if dataset.target else np.zeros(len(complete))  # (n,)
    return X, y, features, notes


def _takes_seed(estimator: Any) -> bool:
    return "random_state" in estimator.get_params()


def _with_seed(estimator: Any, seed: int) -> Any:
    return estimator.set_params(random_state=seed) if _takes_seed(estimator) else estimator


def _fit_predict(
    kind: Kind, estimator: Any, X_train: Any, y_train: Any, X_test: Any
) -> tuple[NDArray[Any], float, float]:
    """Fit, then predict (or transform) the test rows; time both."""
    started = time.perf_counter()
    if kind in ("classifier", "regressor"):
        estimator.fit(X_train, y_train)
    else:
        estimator.fit(X_train)
    fitted = time.perf_counter()
    output = estimator.transform(X_test) if kind == "transformer" else estimator.predict(X_test)
    return np.asarray(output), fitted - started, time.perf_counter() - fitted


def _score(kind: Kind, estimator: Any, X_test: Any, y_test: Any, output: NDArray[Any]) -> float:
    """The test score of one side: accuracy, R², adjusted Rand index or variance kept."""
    from sklearn.metrics import accuracy_score, adjusted_rand_score, r2_score

    if kind == "classifier":
        return float(accuracy_score(y_test, output))
    if kind == "regressor":
        return float(r2_score(y_test, output))
    if kind == "clusterer":
        return float(adjusted_rand_score(y_test, output))
    # Transformer: map the projection back and ask how much of the test rows' spread survives.
    X_hat = estimator.inverse_transform(output)  # (m, d)
    centred = X_test - X_test.mean(axis=0)  # (m, d)
    return float(1 - ((X_test - X_hat) ** 2).sum() / (centred**2).sum())


def _agreement(
    kind: Kind, ours: NDArray[Any], theirs: NDArray[Any]
) -> tuple[float | None, float | None]:
    """The share of identical test predictions and/or the largest absolute difference."""
    if kind == "classifier":
        return float(np.mean(ours == theirs)), None
    if kind == "regressor":  # numbers: "identical" means equal to 9 significant digits
        same = np.isclose(ours, theirs, rtol=REGRESSION_RTOL, atol=0)  # (m,)
        return float(np.mean(same)), float(np.max(np.abs(ours - theirs)))
    if kind == "clusterer":
        # Cluster numbers are arbitrary: pair each of ours with one of theirs so that the
        # most rows match (the Hungarian algorithm on the contingency table), then count.
        from scipy.optimize import linear_sum_assignment
        from sklearn.metrics.cluster import contingency_matrix

        table = contingency_matrix(ours, theirs)  # (k_ours, k_theirs)
        rows, cols = linear_sum_assignment(table, maximize=True)
        return float(table[rows, cols].sum() / len(ours)), None
    return None, float(np.max(np.abs(ours.astype(float) - theirs.astype(float))))


def _scratch_imports(cls: type) -> list[str]:
    """Other scratch modules the twin's module imports (``from ._decision_tree import …``)."""
    module = importlib.import_module(cls.__module__)
    source = inspect.getsource(module)
    found = []
    for line in source.splitlines():
        if line.startswith("from ._") and " import " in line:
            module_name = line.split()[1].lstrip(".")
            if module_name != "_convergence":  # a warning message, not part of the algorithm
                found.append(f"tinkerlab.scratch.{module_name}")
    return found


def _package_relative(path: Path) -> str:
    """``scratch/_mlp.py`` for a file inside the tinkerlab package."""
    root = Path(inspect.getsourcefile(importlib.import_module("tinkerlab")) or "").parent
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
