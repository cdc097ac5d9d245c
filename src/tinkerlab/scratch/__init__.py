"""From-scratch NumPy twins of the classic algorithms, each next to its scikit-learn original.

Every twin is one short file that a learner can read in one sitting and run next to the
scikit-learn estimator it mirrors: same parameter names and defaults where both have them,
same learned attributes (``coef_``, ``classes_``, ``cluster_centers_``…), and the same
estimator contract, so a twin works in a ``Pipeline`` or ``GridSearchCV``. The parity tests
in ``tests/scratch/`` show, with a stated tolerance, that each twin agrees with its original.

>>> from tinkerlab.scratch import LogisticRegression, TWINS
>>> TWINS["logistic_regression"]
(<class 'tinkerlab.scratch._logistic_regression.LogisticRegression'>, \
'sklearn.linear_model.LogisticRegression')

``TWINS`` maps a snake_case name to ``(our class, the scikit-learn class's import path)``;
it is plain data for the model registry.
"""

from __future__ import annotations

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

#: name -> (our twin, import path of the scikit-learn estimator it mirrors)
TWINS: dict[str, tuple[type, str]] = {
    "linear_regression": (LinearRegression, "sklearn.linear_model.LinearRegression"),
    "ridge": (Ridge, "sklearn.linear_model.Ridge"),
    "logistic_regression": (LogisticRegression, "sklearn.linear_model.LogisticRegression"),
    "knn_classifier": (KNeighborsClassifier, "sklearn.neighbors.KNeighborsClassifier"),
    "knn_regressor": (KNeighborsRegressor, "sklearn.neighbors.KNeighborsRegressor"),
    "decision_tree_classifier": (DecisionTreeClassifier, "sklearn.tree.DecisionTreeClassifier"),
    "decision_tree_regressor": (DecisionTreeRegressor, "sklearn.tree.DecisionTreeRegressor"),
    "random_forest_classifier": (
        RandomForestClassifier,
        "sklearn.ensemble.RandomForestClassifier",
    ),
    "gaussian_nb": (GaussianNB, "sklearn.naive_bayes.GaussianNB"),
    "multinomial_nb": (MultinomialNB, "sklearn.naive_bayes.MultinomialNB"),
    "kmeans": (KMeans, "sklearn.cluster.KMeans"),
    "pca": (PCA, "sklearn.decomposition.PCA"),
    "linear_svc": (LinearSVC, "sklearn.svm.LinearSVC"),
    "mlp_classifier": (MLPClassifier, "sklearn.neural_network.MLPClassifier"),
}

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
