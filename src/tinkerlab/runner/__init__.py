"""Executing a Recipe: the held-out split, cross-validation, metrics beside a baseline,
what went in and what came out, and the plots.

>>> from tinkerlab.data import load
>>> from tinkerlab.recipe import make_recipe
>>> run = execute(make_recipe(load("iris"), model="knn"), load("iris"))
>>> run.metrics["accuracy"]["test"] > run.baseline["accuracy"]["test"]
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tinkerlab.runner._execute import (
    Progress,
    execute,
    group_alike,
    prepare_frame,
    split,
    splitter,
)
from tinkerlab.runner._run import Run

if TYPE_CHECKING:
    from tinkerlab.runner._ladder import Ladder, LadderStep, ladder
    from tinkerlab.runner._twin import TwinComparison, compare_twin, twin_table

#: Imported when first used: the scratch ladder and twins load every scratch estimator,
#: which a run does not need.
_LAZY = {
    "Ladder": "_ladder",
    "LadderStep": "_ladder",
    "ladder": "_ladder",
    "TwinComparison": "_twin",
    "compare_twin": "_twin",
    "twin_table": "_twin",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"tinkerlab.runner.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'tinkerlab.runner' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "Ladder",
    "LadderStep",
    "Progress",
    "Run",
    "TwinComparison",
    "compare_twin",
    "execute",
    "group_alike",
    "ladder",
    "prepare_frame",
    "split",
    "splitter",
    "twin_table",
]
