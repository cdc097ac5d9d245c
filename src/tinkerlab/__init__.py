"""tinkerlab: a code-first machine-learning lab. Run, tinker, understand, ship.

>>> import tinkerlab as tl
>>> run = tl.run("iris", model="knn", record=False)
>>> run.metrics["accuracy"]["test"] > 0.9
True

The verbs (``tl.run``, ``tl.load``, ``tl.datasets``, ``tl.journal``) live in
:mod:`tinkerlab._api` and import scikit-learn only when called, so ``import tinkerlab``
(and the command line's ``--help``) stays fast.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

from tinkerlab._api import datasets, journal, load, run
from tinkerlab._version import __version__

if TYPE_CHECKING:
    from tinkerlab.data import Dataset
    from tinkerlab.recipe import Recipe
    from tinkerlab.run import Run

_LAZY = {"Dataset": "tinkerlab.data", "Recipe": "tinkerlab.recipe", "Run": "tinkerlab.run"}
_VERBS = frozenset({"run", "journal"})  # verbs that share their name with a sub-package

__all__ = ["Dataset", "Recipe", "Run", "__version__", "datasets", "journal", "load", "run"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tinkerlab' has no attribute {name!r}")


class _KeepVerbs(types.ModuleType):
    """``tl.run`` is a function *and* ``tinkerlab.run`` a sub-package.

    Importing a sub-package normally sets it as an attribute of its parent, which would
    replace the function ``tl.run`` by the package. This module class refuses exactly
    that replacement; ``from tinkerlab.run import Run`` still works (through
    ``sys.modules``).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _VERBS and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _KeepVerbs
