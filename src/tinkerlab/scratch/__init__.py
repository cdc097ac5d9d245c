"""From-scratch NumPy twins of the classic algorithms, each next to its scikit-learn original.

Every twin is one short file that a learner can read in one sitting and run next to the
scikit-learn estimator it mirrors: same parameter names and defaults where both have them,
same learned attributes (``coef_``, ``classes_``, ``cluster_centers_``…), and the same
estimator contract, so a twin works in a ``Pipeline`` or ``GridSearchCV``. The parity tests
in ``tests/scratch/`` show, with a stated tolerance, that each twin agrees with its original.

>>> from tinkerlab.scratch import LogisticRegression, TWINS
>>> TWINS["logistic_regression"].cls is LogisticRegression
True

``TWINS`` is the one table of the twins (``_twins.py``): for each, our class, the
scikit-learn estimator it mirrors, the registry model it stands in for, how it is compared
and where its parity is tested. The model registry, ``tinkerlab scratch``, the tests and the
docs all read it.

The readable GPT (``_gpt.py``: ``GPT``, ``GPTConfig``; ``_gpt_train.py``: ``train_gpt``,
``sample``, ``save_gpt``, ``load_gpt``) needs torch (the ``deep`` extra), so it is imported
only when one of those names is asked for: ``from tinkerlab.scratch import GPT``.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._decision_tree import DecisionTreeClassifier, DecisionTreeRegressor
from ._gaussian_nb import GaussianNB
from ._k_neighbors import KNeighborsClassifier, KNeighborsRegressor
from ._kmeans import KMeans
from ._linear_regression import LinearRegression
from ._linear_svc import LinearSVC
from ._logistic_regression import LogisticRegression
from ._mlp import MLPClassifier
from ._multinomial_nb import MultinomialNB
from ._pca import PCA
from ._random_forest import RandomForestClassifier
from ._ridge import Ridge
from ._twins import TWINS

#: The GPT's names, imported on first use (they import torch).
_LAZY = {
    "GPT": "._gpt",
    "GPTConfig": "._gpt",
    "train_gpt": "._gpt_train",
    "sample": "._gpt_train",
    "save_gpt": "._gpt_train",
    "load_gpt": "._gpt_train",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "PCA",
    "TWINS",
    "DecisionTreeClassifier",
    "DecisionTreeRegressor",
    "GaussianNB",
    "KMeans",
    "KNeighborsClassifier",
    "KNeighborsRegressor",
    "LinearRegression",
    "LinearSVC",
    "LogisticRegression",
    "MLPClassifier",
    "MultinomialNB",
    "RandomForestClassifier",
    "Ridge",
]
