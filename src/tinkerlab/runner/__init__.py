"""Executing a Recipe: the held-out split, cross-validation, metrics beside a baseline,
what went in and what came out, and the plots.

>>> from tinkerlab.data import load
>>> from tinkerlab.recipe import make_recipe
>>> run = execute(make_recipe(load("iris"), model="knn"), load("iris"))
>>> run.metrics["accuracy"]["test"] > run.baseline["accuracy"]["test"]
True
"""

from __future__ import annotations

from tinkerlab.runner._execute import (
    Progress,
    execute,
    group_alike,
    prepare_frame,
    split,
    splitter,
)
from tinkerlab.runner._ladder import Ladder, LadderStep, ladder
from tinkerlab.runner._run import Run
from tinkerlab.runner._twin import TwinComparison, compare_twin, twin_table

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
