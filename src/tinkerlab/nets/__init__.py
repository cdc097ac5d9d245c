"""Neural networks in torch, as scikit-learn estimators (the ``deep`` extra).

The registry's ``mlp_torch``, ``cnn``, ``text_rnn`` and ``text_transformer`` rows point
here. Each estimator builds a plain torch module (:mod:`._modules`: ``MLP``, ``ConvNet``,
``TextGRU``, ``TextTransformer``), trains it with skorch, keeps its per-epoch curve in
``history_``, and saves as safetensors weights plus a JSON config (:mod:`._safe`),
never a pickle.

Importing this package imports torch; the registry checks that it is installed first and
otherwise says: ``pip install -e '.[deep]'``.

>>> from tinkerlab.nets import TorchMLPClassifier
>>> TorchMLPClassifier().get_params()["epochs"]
30
"""

from __future__ import annotations

from ._estimators import (
    OPTIMIZERS,
    ConvNetClassifier,
    GRUTextClassifier,
    TorchMLPClassifier,
    TorchMLPRegressor,
    TransformerTextClassifier,
    listen,
)
from ._modules import ACTIVATIONS, MLP, ConvNet, TextGRU, TextTransformer
from ._tokens import TokenSequencer

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "OPTIMIZERS",
    "ConvNet",
    "ConvNetClassifier",
    "GRUTextClassifier",
    "TextGRU",
    "TextTransformer",
    "TokenSequencer",
    "TorchMLPClassifier",
    "TorchMLPRegressor",
    "TransformerTextClassifier",
    "listen",
]
