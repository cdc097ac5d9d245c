"""Save a fitted net as safetensors weights plus a JSON config; load it without pickle.

Two files, side by side:

* ``net.safetensors``: the module's tensors by name (safetensors stores numbers and
  names only; reading it runs no code);
* ``net.json``: which estimator (one of :data:`ESTIMATORS`, by name), its parameters,
  which module (one of :data:`MODULES`) with its keyword arguments, and the fitted
  state that is not a tensor (classes, target scale, vocabulary size, the curve).

Loading builds the estimator and module from those two allow-lists and the JSON's plain
values, then copies the tensors in. Nothing is imported by a name the file gives.

Changing the format: when the files change, or when a module's weights come to mean
something else (the same tensors would predict otherwise), bump :data:`NET_FORMAT` and add
a row to :data:`FORMAT_CHANGES` naming the modules it touches and what changed. A file
of an earlier format is then refused for those modules, with the reason and the fix
(train and save again); the other modules still load from it.

>>> import numpy as np, tempfile
>>> from tinkerlab.nets import TorchMLPClassifier
>>> X = np.random.default_rng(0).normal(size=(40, 3)); y = np.where(X[:, 0] > 0, "a", "b")
>>> net = TorchMLPClassifier(epochs=2, random_state=0).fit(X, y)
>>> folder = tempfile.mkdtemp(); _ = save_net(net, folder)
>>> bool((load_net(folder).predict(X) == net.predict(X)).all())
True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from torch import nn

from tinkerlab.exceptions import ArtifactError
from tinkerlab.nets import _estimators, _modules

#: The saved form's version (``net.json``'s ``format``); bump it when the files change
#: or a module's weights change meaning (see the module docstring).
NET_FORMAT = 2
#: format -> (the modules whose saved weights it changed the meaning of, what changed).
FORMAT_CHANGES: dict[int, tuple[frozenset[str], str]] = {
    2: (
        frozenset({"TextGRU"}),
        "the GRU reads only a text's own tokens, no longer the padding before them",
    ),
}
WEIGHTS_FILE = "net.safetensors"
CONFIG_FILE = "net.json"
#: The estimators a ``net.json`` may name.
ESTIMATORS: dict[str, type[_estimators._TorchNet]] = {
    cls.__name__: cls
    for cls in (
        _estimators.TorchMLPClassifier,
        _estimators.TorchMLPRegressor,
        _estimators.ConvNetClassifier,
        _estimators.GRUTextClassifier,
        _estimators.TransformerTextClassifier,
    )
}
#: The modules a ``net.json`` may name.
MODULES: dict[str, type[nn.Module]] = {
    cls.__name__: cls
    for cls in (_modules.MLP, _modules.ConvNet, _modules.TextGRU, _modules.TextTransformer)
}
#: Fitted attributes kept in the JSON (those an estimator has).
_FITTED = ("n_features_in_", "y_mean_", "y_scale_", "vocab_size_", "n_epochs_", "history_")


def is_net(estimator: Any) -> bool:
    """Whether *estimator* is one of tinkerlab's torch nets."""
    return isinstance(estimator, _estimators._TorchNet)


def save_net(estimator: Any, directory: str | Path) -> Path:
    """Write ``net.safetensors`` and ``net.json`` for a fitted net into *directory*."""
    from safetensors.torch import save_model

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    fitted: dict[str, Any] = {k: getattr(estimator, k) for k in _FITTED if hasattr(estimator, k)}
    if hasattr(estimator, "classes_"):
        fitted["classes_"] = np.asarray(estimator.classes_).tolist()
    config = {
        "format": NET_FORMAT,
        "estimator": type(estimator).__name__,
        "params": estimator.get_params(),
        "module": estimator.module_spec_,
        "fitted": fitted,
    }
    save_model(estimator.module_.cpu(), str(folder / WEIGHTS_FILE))
    (folder / CONFIG_FILE).write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    return folder


def load_net(directory: str | Path) -> Any:
    """A fitted net from the two files :func:`save_net` wrote; no code from the files runs."""
    from safetensors.torch import load_model

    folder = Path(directory)
    config = _read_config(folder / CONFIG_FILE)
    estimator = ESTIMATORS[config["estimator"]](**config["params"])
    spec = config["module"]
    try:
        module = MODULES[spec["kind"]](**spec["kwargs"])
        load_model(module, str(folder / WEIGHTS_FILE))
    except (TypeError, RuntimeError, OSError, KeyError) as error:
        raise ArtifactError(
            f"{folder / WEIGHTS_FILE} does not fit {folder / CONFIG_FILE}: {error}. "
            "Fix: save the model again."
        ) from None
    estimator.module_ = module.eval()
    estimator.module_spec_ = spec
    for key, value in config["fitted"].items():
        if key in _FITTED or key == "classes_":  # nothing else is set from the file
            setattr(estimator, key, np.asarray(value) if key == "classes_" else value)
    return estimator


def _read_config(path: Path) -> dict[str, Any]:
    """``net.json``, checked: the format, and names from the allow-lists only."""
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ArtifactError(f"Cannot read {path}: {error}. Fix: save the model again.") from None
    problems = []
    if not isinstance(config, dict) or config.get("format") not in range(1, NET_FORMAT + 1):
        problems.append(f"format must be {NET_FORMAT} (or an earlier one)")
        config = config if isinstance(config, dict) else {}
    if config.get("estimator") not in ESTIMATORS:
        problems.append(f"estimator must be one of {sorted(ESTIMATORS)}")
    module = config.get("module")
    if not isinstance(module, dict) or module.get("kind") not in MODULES:
        problems.append(f"module.kind must be one of {sorted(MODULES)}")
    for key in ("params", "fitted"):
        if not isinstance(config.get(key), dict):
            problems.append(f"{key} must be an object")
    if problems:
        raise ArtifactError(
            f"{path} is not a net this tinkerlab can load: {'; '.join(problems)}. "
            "Fix: save the model again with this version."
        )
    _check_meaning(path, config["format"], config["module"]["kind"])
    return config


def _check_meaning(path: Path, saved: int, kind: str) -> None:
    """Refuse a file of an earlier format whose module has changed meaning since."""
    changed = [why for f, (kinds, why) in FORMAT_CHANGES.items() if f > saved and kind in kinds]
    if changed:
        raise ArtifactError(
            f"{path} holds a {kind} saved by an earlier tinkerlab (net format {saved}; this "
            f"one reads format {NET_FORMAT}). Since then {'; '.join(changed)}, so its weights "
            "would predict differently here. Fix: train and save it again with this version "
            "(tinkerlab run DATASET --model ... --save DIR)."
        )
