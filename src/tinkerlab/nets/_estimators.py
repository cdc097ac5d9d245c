"""Neural networks as scikit-learn estimators: a torch module, trained by skorch.

Each estimator keeps scikit-learn's contract (``__init__`` stores keyword parameters,
``fit`` returns ``self``, learned state ends in ``_``), so a net sits in a ``Pipeline``
and ``run``, ``tinker``, ``compare`` and the generated script take it like any model.
``fit`` does four things:

1. seeds torch with ``random_state`` (weights, shuffling and dropout all draw from it);
2. builds the module (:mod:`._modules`) now that the inputs and classes are known;
3. trains it with skorch's ``NeuralNetClassifier`` / ``NeuralNetRegressor`` for ``epochs``
   epochs of mini-batches (fewer when ``early_stopping`` sees the validation loss stop
   improving for :data:`PATIENCE` epochs on a held-out :data:`VALIDATION_FRACTION`);
4. keeps the per-epoch training curve in ``history_`` (train loss; validation loss and
   accuracy when some rows were held out).

Why skorch: it is the maintained scikit-learn wrapper for torch (the training loop,
mini-batches, validation split and early stopping are its tested code). Our classes wrap
it rather than subclass it, so that the knobs have plain names (``epochs``, not
``max_epochs``; ``hidden_size``, not ``module__hidden_size``) and the fitted state is a
plain torch module that :mod:`._safe` saves as safetensors.

>>> import numpy as np
>>> X = np.random.default_rng(0).normal(size=(60, 4)); y = (X[:, 0] > 0).astype(int)
>>> net = TorchMLPClassifier(epochs=3, random_state=0).fit(X, y)
>>> len(net.history_), net.predict(X[:2]).shape
(3, (2,))
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.validation import check_is_fitted
from torch import nn

from tinkerlab.exceptions import InputError
from tinkerlab.nets._batches import length_batches
from tinkerlab.nets._modules import MLP, ConvNet, TextGRU, TextTransformer
from tinkerlab.options import spell

#: Rows held out to watch the validation loss when ``early_stopping`` is on.
VALIDATION_FRACTION = 0.1
#: Epochs without improvement of the validation loss before early stopping stops.
PATIENCE = 5
#: The optimisers a net may use, by the name its ``optimizer`` knob takes.
OPTIMIZERS: dict[str, type[torch.optim.Optimizer]] = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
}
#: Rows per forward pass when predicting (no gradients, so larger than a training batch).
PREDICT_BATCH = 1024

#: ``listener(epoch, epochs, train_loss, row)``, called after every epoch of every net
#: fitted in this context (the command line draws its progress bar with it, the web lab
#: its live curve): see :func:`listen`. *row* is the epoch as the journal keeps it
#: (``train_loss``; ``valid_loss`` and ``valid_acc`` when the net holds out rows).
EpochListener = Callable[[int, int, float, dict[str, float]], None]
_LISTENER: ContextVar[EpochListener | None] = ContextVar("epoch_listener", default=None)
#: ``hook(epoch, net)``: called by :meth:`fit` after each epoch, for the epochs fast path.
EpochHook = Callable[[int, "_TorchNet"], None]


@contextlib.contextmanager
def listen(listener: EpochListener) -> Iterator[None]:
    """Call ``listener(epoch, epochs, train_loss, row)`` after every epoch fitted in the
    block; a listener already listening (an outer block's) still hears every epoch."""
    outer = _LISTENER.get()

    def both(epoch: int, epochs: int, loss: float, row: dict[str, float]) -> None:
        listener(epoch, epochs, loss, row)
        if outer is not None:
            outer(epoch, epochs, loss, row)

    token = _LISTENER.set(both)
    try:
        yield
    finally:
        _LISTENER.reset(token)


@contextlib.contextmanager
def _torch_threads() -> Iterator[None]:
    """Give torch no more threads than the OpenMP cap in force (a sweep worker's cap of
    one, see ``tinkerlab._threads``); restore its own count afterwards."""
    from threadpoolctl import threadpool_info

    caps = [int(p["num_threads"]) for p in threadpool_info() if p["user_api"] == "openmp"]
    before = torch.get_num_threads()
    torch.set_num_threads(max(1, min([before, *caps])))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _device() -> str:
    """A GPU when torch sees one, else the CPU."""
    return "cuda" if torch.cuda.is_available() else "cpu"


class _TorchNet(BaseEstimator):  # type: ignore[misc]
    """What every net shares: training by skorch, the curve, prediction in batches."""

    _kind: str  # "classifier" or "regressor"
    module_: nn.Module
    history_: list[dict[str, float]]

    # --- what each net says about itself -----------------------------------------------

    def _module(self, X: np.ndarray, n_outputs: int) -> tuple[type[nn.Module], dict[str, Any]]:
        """The module's class and keyword arguments for inputs like *X*."""
        raise NotImplementedError

    def _batches(self) -> dict[str, Any]:
        """skorch parameters of the training batches (default: rows drawn at random)."""
        return {}

    def _inputs(self, X: Any) -> np.ndarray:
        """X as the float32 array the module reads."""
        try:
            array = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=np.float32)
        except (TypeError, ValueError) as error:
            raise InputError(
                f"{type(self).__name__} needs numbers. Got {error}. "
                "Fix: encode text and categories first (the tinkerlab pipeline does)."
            ) from None
        if array.ndim != 2:
            raise InputError(f"X must be 2-d (rows, features). Got shape {array.shape}.")
        return array

    # --- training ------------------------------------------------------------------------

    def _train(self, X: np.ndarray, y: np.ndarray, n_outputs: int, hook: EpochHook | None) -> None:
        from skorch import NeuralNetClassifier, NeuralNetRegressor
        from skorch.callbacks import Callback, EarlyStopping
        from skorch.dataset import ValidSplit

        classifier = self._kind == "classifier"
        owner = self
        listener = _LISTENER.get()

        class AfterEpoch(Callback):  # type: ignore[misc]
            def on_epoch_end(self, net: Any, **kwargs: Any) -> None:
                epoch = len(net.history)
                owner.module_ = net.module_
                if listener is not None:
                    row = _epoch_row(net.history[-1])
                    listener(epoch, owner.epochs, row["train_loss"], row)
                if hook is not None:
                    hook(epoch, owner)

        callbacks: list[Any] = [("after_epoch", AfterEpoch())]
        split = None
        if self.early_stopping:
            split = ValidSplit(VALIDATION_FRACTION, stratified=classifier, random_state=self._seed)
            callbacks.insert(0, ("early_stopping", EarlyStopping(patience=PATIENCE)))
        optimizer = OPTIMIZERS[self.optimizer]
        extra = {"optimizer__momentum": 0.9} if self.optimizer == "sgd" else {}
        wrapper = NeuralNetClassifier if classifier else NeuralNetRegressor
        torch.manual_seed(self._seed)
        net = wrapper(
            module=self._built(*self._module(X, n_outputs)),
            criterion=nn.CrossEntropyLoss if classifier else nn.MSELoss,
            optimizer=optimizer,
            lr=self.lr,
            max_epochs=self.epochs,
            batch_size=self.batch_size,
            train_split=split,
            callbacks=callbacks,
            iterator_train__shuffle=True,
            **self._batches(),
            optimizer__weight_decay=self.weight_decay,
            device=_device(),
            verbose=0,
            **extra,
        )
        with _torch_threads():
            net.fit(X, y)
        stopper = dict(callbacks).get("early_stopping")
        stopped = stopper is not None and stopper.misses_ >= PATIENCE
        if len(net.history) < self.epochs and not stopped:
            # skorch ends training on KeyboardInterrupt (its early stopping raises one) and
            # returns as if done; a real Ctrl-C or SIGTERM must stop the caller too.
            raise KeyboardInterrupt
        self.module_ = net.module_.eval()
        self.history_ = [_epoch_row(row) for row in net.history]
        self.n_epochs_ = len(self.history_)

    def _built(self, cls: type[nn.Module], kwargs: dict[str, Any]) -> nn.Module:
        """The module, its recipe kept in ``module_spec_`` (what the JSON config saves)."""
        self.module_spec_ = {"kind": cls.__name__, "kwargs": kwargs}
        return cls(**kwargs)

    @property
    def _seed(self) -> int:
        return 0 if self.random_state is None else int(self.random_state)

    # --- prediction ----------------------------------------------------------------------

    def _forward(self, X: Any) -> np.ndarray:
        """The module's outputs for every row, in batches, without gradients; torch's
        random state is left as it was (the epochs fast path predicts between epochs)."""
        check_is_fitted(self, "module_")
        rows = self._inputs(X)
        state = torch.get_rng_state()
        was_training = self.module_.training
        self.module_.eval()
        device = next(self.module_.parameters()).device
        outputs = []
        with torch.no_grad(), _torch_threads():
            for start in range(0, len(rows), PREDICT_BATCH):
                batch = torch.from_numpy(rows[start : start + PREDICT_BATCH]).to(device)
                outputs.append(self.module_(batch).cpu().numpy())  # (b, K)
        self.module_.train(was_training)
        torch.set_rng_state(state)
        return np.concatenate(outputs) if outputs else np.empty((0, 1), np.float32)


def _epoch_row(row: dict[str, Any]) -> dict[str, float]:
    """One epoch of skorch's history, as the journal keeps it."""
    kept = {"epoch": int(row["epoch"]), "train_loss": float(row["train_loss"])}
    for key in ("valid_loss", "valid_acc", "dur"):
        if key in row and row[key] is not None:
            kept[key] = float(row[key])
    return kept


class _NetClassifier(ClassifierMixin, _TorchNet):  # type: ignore[misc]
    """A net with one output per class, trained with cross-entropy."""

    _kind = "classifier"

    def fit(self, X: Any, y: Any, epoch_hook: EpochHook | None = None) -> _NetClassifier:
        """Train on *X*, *y*; ``epoch_hook(epoch, self)`` runs after every epoch."""
        rows = self._inputs(X)
        encoder = LabelEncoder().fit(np.asarray(y))
        self.classes_ = encoder.classes_
        self.n_features_in_ = rows.shape[1]
        codes = encoder.transform(np.asarray(y)).astype(np.int64)  # (n,) 0..K-1
        self._train(rows, codes, len(self.classes_), epoch_hook)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities: the softmax of the module's outputs, (n, K)."""
        logits = self._forward(X)  # (n, K)
        shifted = logits - logits.max(axis=1, keepdims=True)
        p = np.exp(shifted.astype(np.float64))
        return np.asarray(p / p.sum(axis=1, keepdims=True))

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each row."""
        check_is_fitted(self, "module_")
        return np.asarray(self.classes_[self._forward(X).argmax(axis=1)])


class _NetRegressor(RegressorMixin, _TorchNet):  # type: ignore[misc]
    """A net with one output, trained with squared error on the standardised target
    (predictions are turned back into the target's units)."""

    _kind = "regressor"

    def fit(self, X: Any, y: Any, epoch_hook: EpochHook | None = None) -> _NetRegressor:
        """Train on *X*, *y*; ``epoch_hook(epoch, self)`` runs after every epoch."""
        rows = self._inputs(X)
        target = np.asarray(y, dtype=np.float64)  # (n,)
        self.n_features_in_ = rows.shape[1]
        self.y_mean_ = float(target.mean())
        self.y_scale_ = float(target.std()) or 1.0
        scaled = ((target - self.y_mean_) / self.y_scale_).astype(np.float32)[:, None]  # (n, 1)
        self._train(rows, scaled, 1, epoch_hook)
        return self

    def predict(self, X: Any) -> np.ndarray:
        """The predicted target of each row, in the target's units."""
        return np.asarray(self._forward(X)[:, 0] * self.y_scale_ + self.y_mean_, dtype=np.float64)


class _MLPParams:
    """The knobs of a multi-layer perceptron (shared by the classifier and the regressor)."""

    def __init__(
        self,
        hidden_size: int = 64,
        depth: int = 2,
        dropout: float = 0.0,
        activation: str = "relu",
        lr: float = 0.001,
        epochs: int = 30,
        batch_size: int = 64,
        optimizer: str = "adam",
        weight_decay: float = 0.0,
        early_stopping: bool = False,
        random_state: int | None = None,
    ) -> None:
        self.hidden_size = hidden_size
        self.depth = depth
        self.dropout = dropout
        self.activation = activation
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.early_stopping = early_stopping
        self.random_state = random_state

    def _module(self, X: np.ndarray, n_outputs: int) -> tuple[type[nn.Module], dict[str, Any]]:
        return MLP, {
            "n_features": X.shape[1],
            "n_outputs": n_outputs,
            "hidden_size": self.hidden_size,
            "depth": self.depth,
            "dropout": self.dropout,
            "activation": self.activation,
        }


class TorchMLPClassifier(_MLPParams, _NetClassifier):
    """A multi-layer perceptron classifier in torch (see :class:`~._modules.MLP`)."""


class TorchMLPRegressor(_MLPParams, _NetRegressor):
    """A multi-layer perceptron regressor in torch (see :class:`~._modules.MLP`)."""


class ConvNetClassifier(_NetClassifier):
    """A small convolutional net for square grey images, one pixel per column
    (see :class:`~._modules.ConvNet`)."""

    def __init__(
        self,
        channels: int = 16,
        depth: int = 2,
        hidden_size: int = 64,
        dropout: float = 0.0,
        activation: str = "relu",
        lr: float = 0.001,
        epochs: int = 20,
        batch_size: int = 64,
        optimizer: str = "adam",
        weight_decay: float = 0.0,
        early_stopping: bool = False,
        random_state: int | None = None,
    ) -> None:
        self.channels = channels
        self.depth = depth
        self.hidden_size = hidden_size
        self.dropout = dropout
        self.activation = activation
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.early_stopping = early_stopping
        self.random_state = random_state

    def _module(self, X: np.ndarray, n_outputs: int) -> tuple[type[nn.Module], dict[str, Any]]:
        width = X.shape[1]
        side = math.isqrt(width)
        if side * side != width:
            raise InputError(
                f"A convolutional net reads square images, one pixel per column; {width} "
                f"columns are not a square. Fix: use it on an image dataset (digits, faces) "
                f"with no other features, or pick {spell('model', 'mlp_torch')}."
            )
        if side >> self.depth < 1:
            deepest = max(1, int(math.log2(side)))
            raise InputError(
                f"{self.depth} pooling blocks shrink a {side}x{side} image to nothing (each "
                f"halves the side). Fix: {spell('params', {'depth': deepest})}"
            )
        return ConvNet, {
            "side": side,
            "n_outputs": n_outputs,
            "channels": self.channels,
            "depth": self.depth,
            "hidden_size": self.hidden_size,
            "dropout": self.dropout,
            "activation": self.activation,
        }


class _TextNet(_NetClassifier):
    """A classifier over token ids (:class:`~._tokens.TokenSequencer`'s output)."""

    def _vocabulary(self, X: np.ndarray) -> int:
        if X.size and (X.min() < 0 or not np.array_equal(X, np.round(X))):
            raise InputError(
                f"{type(self).__name__} reads token ids (whole numbers from 0). Fix: put "
                "tinkerlab.nets.TokenSequencer before it (the tinkerlab pipeline does)."
            )
        self.vocab_size_ = int(X.max()) + 1 if X.size else 2
        return self.vocab_size_

    def _forward(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "module_")
        ids = np.clip(self._inputs(X), 0, self.vocab_size_ - 1)  # unseen ids: unknown
        return super()._forward(ids)


class GRUTextClassifier(_TextNet):
    """A GRU reading the tokens of a text (see :class:`~._modules.TextGRU`); its training
    batches hold texts of alike lengths (:mod:`._batches`), so it steps through little
    padding."""

    def __init__(
        self,
        embedding_size: int = 32,
        hidden_size: int = 64,
        depth: int = 1,
        dropout: float = 0.0,
        lr: float = 0.006,
        epochs: int = 5,
        batch_size: int = 128,
        optimizer: str = "adam",
        weight_decay: float = 0.0,
        early_stopping: bool = False,
        random_state: int | None = None,
    ) -> None:
        self.embedding_size = embedding_size
        self.hidden_size = hidden_size
        self.depth = depth
        self.dropout = dropout
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.early_stopping = early_stopping
        self.random_state = random_state

    def _batches(self) -> dict[str, Any]:
        return {"iterator_train": length_batches}

    def _module(self, X: np.ndarray, n_outputs: int) -> tuple[type[nn.Module], dict[str, Any]]:
        return TextGRU, {
            "vocab_size": self._vocabulary(X),
            "n_outputs": n_outputs,
            "embedding_size": self.embedding_size,
            "hidden_size": self.hidden_size,
            "depth": self.depth,
            "dropout": self.dropout,
        }


class TransformerTextClassifier(_TextNet):
    """A tiny Transformer encoder over the tokens of a text
    (see :class:`~._modules.TextTransformer`)."""

    def __init__(
        self,
        hidden_size: int = 32,
        depth: int = 1,
        heads: int = 2,
        dropout: float = 0.0,
        lr: float = 0.003,
        epochs: int = 5,
        batch_size: int = 128,
        optimizer: str = "adam",
        weight_decay: float = 0.0,
        early_stopping: bool = False,
        random_state: int | None = None,
    ) -> None:
        self.hidden_size = hidden_size
        self.depth = depth
        self.heads = heads
        self.dropout = dropout
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.early_stopping = early_stopping
        self.random_state = random_state

    def _module(self, X: np.ndarray, n_outputs: int) -> tuple[type[nn.Module], dict[str, Any]]:
        if self.hidden_size % self.heads:
            raise InputError(
                f"hidden_size ({self.hidden_size}) must split evenly over heads "
                f"({self.heads}). Fix: {spell('params', {'hidden_size': self.heads * 16})}"
            )
        return TextTransformer, {
            "vocab_size": self._vocabulary(X),
            "n_outputs": n_outputs,
            "max_length": X.shape[1],
            "hidden_size": self.hidden_size,
            "depth": self.depth,
            "heads": self.heads,
            "dropout": self.dropout,
        }
