"""A flexible reference model on a learning curve's largest training size.

"The training and validation scores meet low" says a model is limited, but not by what:
its form (bias), or noise in the data that no model can remove. One learning curve
cannot tell them apart: logistic regression on two overlapping Gaussian classes meets at
0.84 because 16% of the rows sit on the wrong side of *any* boundary, naive Bayes on
digits meets at 0.83 because its independence assumption is wrong. A flexible model on
the same folds tells them apart: a random forest reaches 0.84 on the first and 0.97 on
the second. The gap between the two is the bias this model's form costs; the detectors
read it (``high_bias``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from tinkerlab.experiment._evaluate import FoldJob, SharedData, evaluate_fold
from tinkerlab.experiment._knob_kinds import Sweep

#: The flexible reference: a random forest of this many trees, seeded like the recipe.
REFERENCE = ("random_forest", {"n_estimators": 50})


def reference_scores(shared: SharedData, sweep: Sweep) -> np.ndarray | None:
    """The reference's validation score on every fold at the sweep's largest training
    size (``train_size`` sweeps only; None otherwise)."""
    if sweep.kind.name != "train_size" or not sweep.points:
        return None
    largest = max(sweep.points, key=lambda p: float(p.value))
    model, params = REFERENCE
    recipe = largest.recipe.with_changes(model=model, params=dict(params), impl="sklearn")
    point = replace(largest, recipe=recipe)
    name = shared.metrics[0][0]
    scores = [evaluate_fold(shared, FoldJob(point, f)).test[name] for f in range(len(shared.folds))]
    return np.asarray(scores, dtype=float)  # (folds,)
