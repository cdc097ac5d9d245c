"""tinkerlab: a code-first machine-learning lab. Run, tinker, understand, ship.

>>> import tinkerlab as tl
>>> run = tl.run("iris", model="knn", record=False)
>>> run.metrics["accuracy"]["test"] > 0.9
True

The verbs (``tl.run``, ``tl.tinker``, ``tl.load``, ``tl.look``, ``tl.datasets``,
``tl.open_journal``, ``tl.theory``, the learning path ``tl.path``) import scikit-learn
only when called, so ``import tinkerlab``
(and the command line's ``--help``) stays fast. Sub-packages are named by nouns
(``tinkerlab.runner``, ``tinkerlab.journal``...), so none can shadow a verb.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tinkerlab._api import (
    compare,
    datasets,
    explain,
    feedback,
    finetune,
    load,
    look,
    open_journal,
    run,
    tinker,
)
from tinkerlab._version import __version__

if TYPE_CHECKING:
    from tinkerlab.data import Dataset
    from tinkerlab.insight import theory
    from tinkerlab.recipe import Recipe
    from tinkerlab.runner import Run
    from tinkerlab.serve import Client

_LAZY = {
    "Dataset": "tinkerlab.data",
    "Recipe": "tinkerlab.recipe",
    "Run": "tinkerlab.runner",
    "Client": "tinkerlab.serve",  # tl.Client(url).predict(frame): a model service's client
    "theory": "tinkerlab.insight",  # tl.theory("overfitting"): one theory card
}

__all__ = [
    "Client",
    "Dataset",
    "Recipe",
    "Run",
    "__version__",
    "compare",
    "datasets",
    "explain",
    "feedback",
    "finetune",
    "load",
    "look",
    "open_journal",
    "path",
    "run",
    "theory",
    "tinker",
]


def __getattr__(name: str) -> Any:
    """Import the classes on first use: ``tl.Recipe`` loads the recipe package then."""
    import importlib

    if name == "path":  # tl.path.check("2.3"): the learning path, a module of verbs
        return importlib.import_module("tinkerlab.path")
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tinkerlab' has no attribute {name!r}")
