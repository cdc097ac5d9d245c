"""The ladder: from a linear model to a deep net, one rung at a time, on the same pixels.

Five models learn to classify the same images, on the same stratified split and the same
stratified cross-validation folds, each a small step from the one before:

1. our LogisticRegression (``tinkerlab.scratch``): one linear score per class;
2. our MLPClassifier with one hidden layer: a learned representation;
3. our MLPClassifier with three hidden layers: a deep net, still ~270 lines of NumPy;
4. the same deep net in PyTorch: same layers, activation (relu), initialisation rule
   (Glorot uniform), optimiser (Adam), L2 penalty, epochs, batch size and seed — skipped,
   with the install command, when torch is not installed;
5. scikit-learn's MLPClassifier with the same architecture and settings.

>>> result = ladder("faces", epochs=20)
>>> [row["model"] for row in result.table()][:2]
['tinkerlab.scratch.LogisticRegression', 'tinkerlab.scratch.MLPClassifier (64,)']

The pixels are standardised first, with the mean and spread of the training rows only (in
every fold too). Every net trains exactly ``epochs`` epochs (no early stop), so the loss
curves of rungs 3–5 are comparable epoch by epoch; on ``digits`` (ten classes) rungs 3
and 5 are the same computation and their curves coincide, while on ``faces`` (two
classes) scikit-learn uses one logistic output unit where our twin uses a softmax over two.
"""

from __future__ import annotations

import html
import importlib
import inspect
import io
import itertools
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from tinkerlab.exceptions import RecipeError
from tinkerlab.runner._twin import count_lines

#: The image datasets the ladder climbs on.
LADDER_DATASETS = ("faces", "digits")
#: What to run when PyTorch is missing (the ``deep`` extra pins torch==2.13.0, a CPU wheel).
TORCH_HINT = "pip install 'tinkerlab[deep]'"
CV_FOLDS = 3  # few folds: five models, four fits each

#: ``progress(step, name, fits_done, fits_total)``: called before each fit and after the last
#: one of every rung; ``fits_total`` is 0 for a skipped rung.
LadderProgress = Callable[[int, str, int, int], None]
TEST_SIZE = 0.25


@dataclass(frozen=True)
class NetSettings:
    """What every net on the ladder shares, so that only the implementation changes."""

    hidden: tuple[int, ...] = (64,)  # rung 2's hidden layer
    deep: tuple[int, ...] = (64, 64, 64)  # rungs 3-5's hidden layers
    epochs: int = 100  # passes over the training rows, exactly (no early stopping)
    batch_size: int = 32  # rows per Adam step
    learning_rate: float = 1e-3  # Adam's step size
    alpha: float = 1e-4  # L2 penalty on the weights, scikit-learn's (α / 2n) Σ‖W‖²
    seed: int = 0  # the split, the folds, the initial weights, the batch order


@dataclass
class LadderStep:
    """One rung: its scores with their spread over the folds, its time and its size."""

    step: int  # 1..5, in the order they are trained
    name: str  # in plain words, e.g. "deep MLP (scratch)"
    model: str  # the class and its hidden layers
    status: Literal["done", "skipped"]  # skipped: torch is not installed
    cv_mean: float | None = None  # accuracy over the CV folds of the training rows
    cv_std: float | None = None
    test: float | None = None  # accuracy on the held-out test rows
    fit_seconds: float | None = None  # the final fit on all training rows
    lines: int | None = None  # non-blank lines of code behind it (None: a library)
    code: str = ""  # where those lines are, or "library"
    losses: list[float] = field(default_factory=list)  # training loss per epoch (or GD step)
    note: str = ""  # why it was skipped, or what to know about its training


@dataclass
class Ladder:
    """The five rungs on one dataset, their loss curves, and the baseline to beat."""

    dataset: str  # "faces" or "digits"
    settings: NetSettings  # what every net shares
    cv_folds: int  # stratified folds of the training rows
    train_rows: int
    test_rows: int
    features: int  # pixels per image
    classes: list[str]
    baseline: float  # test accuracy of always predicting the most frequent class
    steps: list[LadderStep]
    plots: dict[str, bytes] = field(default_factory=dict)  # {"loss_curves.png": PNG bytes}

    def table(self) -> list[dict[str, Any]]:
        """One row per rung, as ``tinkerlab scratch ladder`` prints it."""
        return [
            {
                "step": s.step,
                "name": s.name,
                "model": s.model,
                "status": s.status,
                "cv_mean": s.cv_mean,
                "cv_std": s.cv_std,
                "test": s.test,
                "fit_seconds": s.fit_seconds,
                "lines": s.lines if s.lines is not None else "library",
                "code": s.code,
                "note": s.note,
            }
            for s in self.steps
        ]

    def to_dict(self) -> dict[str, Any]:
        """Everything JSON can hold; the plot is left out (``tinkerlab scratch ladder --plot``)."""
        data = asdict(self)
        data.pop("plots")
        data["plots"] = sorted(self.plots)
        return data

    def _repr_html_(self) -> str:
        import base64

        e = html.escape
        rows = "".join(
            f"<tr><td>{r['step']}</td><td>{e(r['name'])}</td><td>{e(r['model'])}</td>"
            + (
                f"<td>{r['cv_mean']:.3f} ± {r['cv_std']:.3f}</td><td>{r['test']:.3f}</td>"
                f"<td>{r['fit_seconds']:.2f} s</td>"
                if r["status"] == "done"
                else f"<td colspan=3>skipped: {e(r['note'])}</td>"
            )
            + f"<td>{r['lines']}</td></tr>"
            for r in self.table()
        )
        images = "".join(
            f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}" alt="{e(name)}"/>'
            for name, png in self.plots.items()
        )
        return (
            f"<div><h4>The ladder on {e(self.dataset)}</h4><p>{self.train_rows} training "
            f"images, {self.test_rows} test images, {self.features} pixels (standardised), "
            f"{self.cv_folds}-fold stratified CV, {self.settings.epochs} epochs, "
            f"seed {self.settings.seed}. Baseline (most frequent class): "
            f"{self.baseline:.3f}.</p><table><tr><th>step</th><th>rung</th><th>model</th>"
            "<th>CV accuracy</th><th>test accuracy</th><th>fit</th><th>lines of code</th></tr>"
            f"{rows}</table>{images}</div>"
        )


class TorchMLPClassifier:
    """The deep net again, in PyTorch: same layers, init rule, loss, Adam and batches.

    ``fit`` and ``predict`` read like scikit-learn's, so the ladder treats it like the
    other rungs. Weights are float64, as in NumPy. PyTorch draws the initial weights and the
    batch order from its own generator (seeded with ``random_state``), so the numbers
    differ from our twin's; the rule they follow does not.
    """

    def __init__(self, hidden_layer_sizes: tuple[int, ...], settings: NetSettings) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.settings = settings

    def fit(self, X: NDArray[np.float64], y: NDArray[Any]) -> TorchMLPClassifier:
        """Train for ``settings.epochs`` epochs of shuffled mini-batches; keep ``losses_``."""
        torch = importlib.import_module("torch")
        nn, s = torch.nn, self.settings
        torch.manual_seed(s.seed)
        self.classes_, y_index = np.unique(y, return_inverse=True)  # (K,), (n,)
        sizes = [X.shape[1], *self.hidden_layer_sizes, len(self.classes_)]
        layers: list[Any] = []
        for fan_in, fan_out in itertools.pairwise(sizes):
            linear = nn.Linear(fan_in, fan_out, dtype=torch.float64)
            r = (6 / (fan_in + fan_out)) ** 0.5  # Glorot uniform, as scikit-learn: U(−r, r)
            nn.init.uniform_(linear.weight, -r, r)  # (fan_out, fan_in)
            nn.init.uniform_(linear.bias, -r, r)  # (fan_out,)
            layers += [linear, nn.ReLU()]
        self.net_ = nn.Sequential(*layers[:-1])  # no relu after the output layer: raw scores
        weights = [m.weight for m in self.net_ if isinstance(m, nn.Linear)]
        adam = torch.optim.Adam(self.net_.parameters(), lr=s.learning_rate, eps=1e-8)
        X_t, y_t = torch.from_numpy(X), torch.from_numpy(y_index)  # (n, d), (n,)
        self.losses_: list[float] = []
        for _ in range(s.epochs):
            order, total = torch.randperm(len(X_t)), 0.0  # (n,)
            for rows in order.split(s.batch_size):  # (b,)
                scores = self.net_(X_t[rows])  # (b, K)  softmax happens inside the loss
                penalty = s.alpha / (2 * len(rows)) * sum((W**2).sum() for W in weights)
                loss = nn.functional.cross_entropy(scores, y_t[rows]) + penalty
                adam.zero_grad()
                loss.backward()  # autograd does what _mlp.py's _backward spells out
                adam.step()
                total += loss.item() * len(rows)
            self.losses_.append(total / len(X_t))  # mean loss of the epoch
        return self

    def predict(self, X: NDArray[np.float64]) -> NDArray[Any]:
        """The class with the highest score, shape (n_samples,)."""
        torch = importlib.import_module("torch")
        with torch.no_grad():
            scores = self.net_(torch.from_numpy(X)).numpy()  # (m, K)
        y_pred: NDArray[Any] = self.classes_[scores.argmax(axis=1)]  # (m,)
        return y_pred


def torch_available() -> bool:
    """Whether ``import torch`` works here."""
    try:
        importlib.import_module("torch")
    except ImportError:
        return False
    return True


def ladder(
    dataset: str = "faces",
    seed: int = 0,
    epochs: int = 100,
    *,
    hidden: tuple[int, ...] = (64,),
    deep: tuple[int, ...] = (64, 64, 64),
    batch_size: int = 32,
    learning_rate: float = 1e-3,
    cv_folds: int = CV_FOLDS,
    progress: LadderProgress | None = None,
) -> Ladder:
    """Train the five rungs, from logistic regression to a deep net, on one image dataset.

    Parameters
    ----------
    dataset : {"faces", "digits"}, default="faces"
        ``faces``: 200 images of 25×25 pixels, face or not. ``digits``: 1797 images of
        8×8 pixels, the digits 0–9.
    seed : int, default=0
        Seeds the split, the folds, every net's initial weights and its batch order.
    epochs : int, default=100
        Epochs every net trains, exactly. (Logistic regression is full-batch gradient
        descent with its own budget, up to 2000 steps; each step is one pass.)
    hidden, deep : tuple of int
        Hidden layers of rung 2, and of rungs 3–5.
    batch_size, learning_rate : int, float
        Adam's mini-batch size and step size, the same for every net.
    cv_folds : int, default=3
        Stratified folds of the training rows, the same folds for every rung.
    progress : callable, optional
        ``progress(step, name, fits_done, fits_total)``, before each fit and after each
        rung's last (``fits_total`` is ``cv_folds + 1``; 0 for a skipped rung).

    Returns
    -------
    Ladder
        ``table()`` (one row per rung), the baseline, ``plots["loss_curves.png"]``.
    """
    from sklearn.dummy import DummyClassifier
    from sklearn.model_selection import StratifiedKFold, train_test_split

    from tinkerlab.data import load

    if dataset not in LADDER_DATASETS:
        raise RecipeError(
            f"The ladder climbs on image datasets only, not {dataset!r}. "
            f"Choose one of: {', '.join(LADDER_DATASETS)} (e.g. tinkerlab scratch ladder digits)."
        )
    if epochs < 1 or cv_folds < 2 or batch_size < 1:
        raise RecipeError(
            f"epochs and batch_size must be at least 1 and cv_folds at least 2; got "
            f"epochs={epochs}, batch_size={batch_size}, cv_folds={cv_folds}."
        )
    say = progress or (lambda _step, _name, _done, _total: None)
    settings = NetSettings(hidden, deep, epochs, batch_size, learning_rate, seed=seed)
    data = load(dataset)
    X = data.X.to_numpy(dtype=np.float64)  # (n, pixels)
    y = data.y.to_numpy()  # (n,)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_SIZE, random_state=seed, stratify=y
    )
    folds = list(StratifiedKFold(cv_folds, shuffle=True, random_state=seed).split(X_train, y_train))
    baseline = DummyClassifier(strategy="most_frequent").fit(X_train, y_train)

    steps = []
    for number, rung in enumerate(_rungs(settings), start=1):
        step = LadderStep(number, rung.name, rung.model, "done", code=rung.code)
        step.lines = rung.lines
        if rung.torch and not torch_available():
            step.status = "skipped"
            step.note = f"PyTorch is not installed; install it with: {TORCH_HINT}"
            say(number, rung.name, 0, 0)
            steps.append(step)
            continue
        scores = []
        for k, (fit_rows, val_rows) in enumerate(folds):
            say(number, rung.name, k, cv_folds + 1)
            model, _ = _fit(rung, X_train[fit_rows], y_train[fit_rows])
            scores.append(_accuracy(model, X_train[val_rows], y_train[val_rows]))
        say(number, rung.name, cv_folds, cv_folds + 1)  # then the final fit, on every row
        model, seconds = _fit(rung, X_train, y_train)
        say(number, rung.name, cv_folds + 1, cv_folds + 1)
        step.cv_mean, step.cv_std = float(np.mean(scores)), float(np.std(scores))
        step.test, step.fit_seconds = _accuracy(model, X_test, y_test), seconds
        step.losses = [float(v) for v in rung.losses(model.model)]
        step.note = rung.note
        steps.append(step)

    result = Ladder(
        dataset=dataset,
        settings=settings,
        cv_folds=cv_folds,
        train_rows=len(X_train),
        test_rows=len(X_test),
        features=X.shape[1],
        classes=[str(c) for c in np.unique(y)],
        baseline=float(baseline.score(X_test, y_test)),
        steps=steps,
    )
    result.plots["loss_curves.png"] = _loss_plot(result)
    return result


# --- the rungs, as data -------------------------------------------------------------------


@dataclass(frozen=True)
class _Rung:
    name: str  # in plain words
    model: str  # class and hidden layers
    code: str  # where its code lives, or "library"
    lines: int | None  # non-blank lines of that code (None: a library)
    make: Callable[[], Any]  # a fresh, unfitted model with fit / predict
    losses: Callable[[Any], list[float]]  # the fitted model's training loss curve
    torch: bool = False  # needs PyTorch
    note: str = ""


def _rungs(s: NetSettings) -> list[_Rung]:
    from sklearn import neural_network

    from tinkerlab.scratch import LogisticRegression, MLPClassifier

    # Fixed epochs for every net: tol=0 and patience as long as training, so none stops early.
    shared: dict[str, Any] = {
        "activation": "relu",
        "solver": "adam",
        "alpha": s.alpha,
        "batch_size": s.batch_size,
        "learning_rate_init": s.learning_rate,
        "max_iter": s.epochs,
        "tol": 0.0,
        "n_iter_no_change": s.epochs,
        "random_state": s.seed,
    }
    ours_lr, ours_mlp = _source(LogisticRegression), _source(MLPClassifier)
    torch_code = inspect.getsourcefile(TorchMLPClassifier) or ""
    return [
        _Rung(
            "logistic regression (scratch)",
            "tinkerlab.scratch.LogisticRegression",
            *ours_lr,
            # Gradient descent, like every rung above it (the twin's default, L-BFGS, would
            # reach the same minimum in a few dozen steps: too few points for a curve).
            make=lambda: LogisticRegression(solver="gd", max_iter=2000),
            losses=lambda m: m.history_,
            note="full-batch gradient descent: its loss curve is per step, up to 2000 steps",
        ),
        _Rung(
            "MLP, 1 hidden layer (scratch)",
            f"tinkerlab.scratch.MLPClassifier {s.hidden}",
            *ours_mlp,
            make=lambda: MLPClassifier(s.hidden, **shared),
            losses=lambda m: m.history_,
        ),
        _Rung(
            "deep MLP (scratch)",
            f"tinkerlab.scratch.MLPClassifier {s.deep}",
            *ours_mlp,
            make=lambda: MLPClassifier(s.deep, **shared),
            losses=lambda m: m.history_,
        ),
        _Rung(
            "deep MLP (PyTorch)",
            f"torch.nn.Sequential {s.deep}",
            f"{_package_path(torch_code)}: TorchMLPClassifier",
            _count_source_lines(TorchMLPClassifier),
            make=lambda: TorchMLPClassifier(s.deep, s),
            losses=lambda m: m.losses_,
            torch=True,
        ),
        _Rung(
            "deep MLP (scikit-learn)",
            f"sklearn.neural_network.MLPClassifier {s.deep}",
            "library",
            None,
            make=lambda: neural_network.MLPClassifier(s.deep, **shared),
            losses=lambda m: m.loss_curve_,
        ),
    ]


@dataclass(frozen=True)
class _Fitted:
    scaler: Any  # the StandardScaler fitted on the rows the model saw
    model: Any


def _fit(rung: _Rung, X: NDArray[np.float64], y: NDArray[Any]) -> tuple[_Fitted, float]:
    """Standardise with these rows' statistics, fit a fresh model, time the fit."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.preprocessing import StandardScaler

    started = time.perf_counter()
    scaler = StandardScaler().fit(X)
    model = rung.make()
    with warnings.catch_warnings():
        # Running out of epochs is the plan here (fixed epochs), not a surprise to report.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(scaler.transform(X), y)
    return _Fitted(scaler, model), time.perf_counter() - started


def _accuracy(fitted: _Fitted, X: NDArray[np.float64], y: NDArray[Any]) -> float:
    return float(np.mean(fitted.model.predict(fitted.scaler.transform(X)) == y))


def _source(cls: type) -> tuple[str, int]:
    path = inspect.getsourcefile(cls) or ""
    return _package_path(path), count_lines(Path(path))


def _count_source_lines(obj: Any) -> int:
    return sum(1 for line in inspect.getsource(obj).splitlines() if line.strip())


def _package_path(path: str) -> str:
    parts = Path(path).parts
    return "/".join(parts[parts.index("tinkerlab") + 1 :]) if "tinkerlab" in parts else path


# --- the plot ------------------------------------------------------------------------------


def _loss_plot(result: Ladder) -> bytes:
    """Loss curves: logistic regression per gradient step, the nets per epoch (log scale)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 4), dpi=100, layout="constrained")
    linear, nets = figure.subplots(1, 2)
    for step in result.steps:
        if step.status != "done" or not step.losses:
            continue
        axes = linear if step.step == 1 else nets
        style = "--" if "scikit-learn" in step.name else "-"
        axes.plot(range(1, len(step.losses) + 1), step.losses, style, label=step.name)
    linear.set(title="Logistic regression", xlabel="gradient step", ylabel="training loss")
    nets.set(title="Neural nets", xlabel="epoch", ylabel="training loss (mean over batches)")
    for axes in (linear, nets):
        axes.set_yscale("log")
        axes.grid(alpha=0.3)
        if axes.get_legend_handles_labels()[0]:
            axes.legend(fontsize=8)
    figure.suptitle(f"The ladder on {result.dataset}: training loss (seed {result.settings.seed})")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
