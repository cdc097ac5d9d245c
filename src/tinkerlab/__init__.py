"""tinkerlab: a code-first machine-learning lab. Run, tinker, understand, ship.

>>> import tinkerlab as tl
>>> run = tl.run("iris", model="knn", record=False)
>>> run.metrics["accuracy"]["test"] > 0.9
True

The verbs are re-exported here and imported lazily, so ``import tinkerlab`` (and the
command line's ``--help``) stays fast: scikit-learn loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from tinkerlab._api import datasets, journal, load, run
    from tinkerlab.data import Dataset
    from tinkerlab.recipe import Recipe
    from tinkerlab.run import Run

_LAZY = {
    "run": "tinkerlab._api",
    "load": "tinkerlab._api",
    "datasets": "tinkerlab._api",
    "journal": "tinkerlab._api",
    "Dataset": "tinkerlab.data",
    "Recipe": "tinkerlab.recipe",
    "Run": "tinkerlab.run",
}

__all__ = ["Dataset", "Recipe", "Run", "__version__", "datasets", "journal", "load", "run"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tinkerlab' has no attribute {name!r}")
