"""The one table of the from-scratch twins: one row of plain data per twin.

Every fact about a twin is written here once: our class and the scikit-learn estimator it
mirrors, the model registry row it stands in for under ``--impl scratch``, how
``tinkerlab scratch compare`` sets it up, and which test establishes its parity with
scikit-learn. Adding a twin is adding a row. The readers:

- the model registry (``recipe/models.py``): ``ModelSpec.scratch`` is computed from the
  ``model`` and ``task`` columns, so ``--impl scratch`` and ``tl.run(..., impl="scratch")``
  find the twin here;
- ``tinkerlab.runner._twin``: ``compare_twin`` (``tinkerlab scratch compare``) and
  ``twin_table`` (``tinkerlab scratch list`` / ``show``, and ``--markdown``, the table in
  ``docs/scratch.md``, which a test keeps equal to it);
- the tests: ``tests/scratch/`` runs scikit-learn's estimator checks and the contract tests
  on every row, ``tests/runner/test_twin.py`` checks each named parity test exists.

Why here, in ``scratch/``: ``scratch`` is the lowest layer of the import contract
(``pyproject.toml``), so every reader above it — ``recipe``, ``runner``, ``cli`` and the
tests — may import this module, and it imports nothing of ours but the twins beside it. The
model registry's own data (knobs, titles) stays in ``recipe/models.py``; the two tables are
joined on the model's name, as a database would join them, and no fact is in both.

>>> TWINS["logistic_regression"].sklearn
'sklearn.linear_model.LogisticRegression'
>>> [t.name for t in TWINS.values() if t.model == "knn"]
['knn_classifier', 'knn_regressor']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

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

Kind = Literal["classifier", "regressor", "clusterer", "transformer"]
Task = Literal["classification", "regression"]  # the model registry's tasks


@dataclass(frozen=True)
class Twin:
    """One twin: what it mirrors, what it stands in for, how it is compared and tested."""

    name: str  # snake_case key, used everywhere: "knn_classifier"
    cls: type  # our estimator, in tinkerlab.scratch
    sklearn: str  # import path of the scikit-learn estimator it mirrors
    learns: str  # how it learns, in a few words
    kind: Kind  # what it predicts: a class, a number, a cluster or a projection
    parity_test: str  # the test file comparing it with scikit-learn
    parity: str  # what that test checks, and to which tolerance
    dataset: str  # the bundled dataset `tinkerlab scratch compare` uses when none is named
    scale: bool = False  # compare: standardise the features first (on the training rows)
    params: dict[str, Any] = field(default_factory=dict)  # compare: given to both sides
    theirs: dict[str, Any] = field(default_factory=dict)  # compare: scikit-learn's only
    counts: bool = False  # needs non-negative features (word or pixel counts)
    note: str = ""  # why the compare parameters are what they are (shown with the result)
    model: str | None = None  # the model registry row it stands in for (--impl scratch)
    task: Task | None = None  # ... and for which task

    @property
    def path(self) -> str:
        """Where a learner imports it from: ``tinkerlab.scratch.LogisticRegression``."""
        return f"tinkerlab.scratch.{self.cls.__name__}"


_LINEAR = "tests/scratch/test_scratch_linear_models.py"
_NEIGHBOURS_BAYES = "tests/scratch/test_scratch_neighbors_and_bayes.py"
_TREES = "tests/scratch/test_scratch_trees.py"
_UNSUPERVISED = "tests/scratch/test_scratch_unsupervised.py"
_TIES = (
    "max_depth=4 keeps the nodes large, where exact ties between cuts are rare; a fully grown "
    "tree meets ties in its small nodes and breaks them differently from scikit-learn "
    "(docs/scratch.md)."
)
_TREE_PARITY = "the whole tree rtol=1e-10 where no cuts tie; fully grown: >= 85% equal predictions"

#: name -> its row. The order is the order of ``tinkerlab scratch list`` and the docs.
TWINS: dict[str, Twin] = {
    twin.name: twin
    for twin in [
        Twin(
            "linear_regression",
            LinearRegression,
            "sklearn.linear_model.LinearRegression",
            'normal equation (`lstsq`), or `solver="gd"`',
            "regressor",
            _LINEAR,
            "coefficients and predictions rtol=1e-8 (lstsq); solver='gd' coefficients atol=1e-6",
            "diabetes",
            model="linear_regression",
            task="regression",
        ),
        Twin(
            "ridge",
            Ridge,
            "sklearn.linear_model.Ridge",
            "closed form `(XᵀX + αI) w = Xᵀy`",
            "regressor",
            _LINEAR,
            "coefficients and intercept vs Ridge(solver='cholesky'), rtol=1e-8",
            "diabetes",
            scale=True,
            model="ridge",
            task="regression",
        ),
        Twin(
            "logistic_regression",
            LogisticRegression,
            "sklearn.linear_model.LogisticRegression",
            "L-BFGS (default) or gradient descent, sigmoid or softmax",
            "classifier",
            _LINEAR,
            "lbfgs: coefficients atol=1e-6, probabilities atol=1e-7 vs lbfgs (tol=1e-10); "
            "solver='gd': coefficients atol=1e-4",
            "breast_cancer",
            scale=True,
            model="logistic_regression",
            task="classification",
        ),
        Twin(
            "knn_classifier",
            KNeighborsClassifier,
            "sklearn.neighbors.KNeighborsClassifier",
            "brute-force distances in chunks, `argpartition`, votes",
            "classifier",
            _NEIGHBOURS_BAYES,
            "predict_proba rtol=1e-12 (uniform) / 1e-8 (distance) on tie-free data",
            "wine",
            scale=True,
            model="knn",
            task="classification",
        ),
        Twin(
            "knn_regressor",
            KNeighborsRegressor,
            "sklearn.neighbors.KNeighborsRegressor",
            "brute-force distances in chunks, `argpartition`, mean",
            "regressor",
            _NEIGHBOURS_BAYES,
            "predictions rtol=1e-12 (uniform) / 1e-8 (distance) on tie-free data",
            "diabetes",
            scale=True,
            model="knn",
            task="regression",
        ),
        Twin(
            "decision_tree_classifier",
            DecisionTreeClassifier,
            "sklearn.tree.DecisionTreeClassifier",
            "greedy best split, gini / entropy",
            "classifier",
            _TREES,
            _TREE_PARITY,
            "breast_cancer",
            params={"max_depth": 4},
            note=_TIES,
            model="decision_tree",
            task="classification",
        ),
        Twin(
            "decision_tree_regressor",
            DecisionTreeRegressor,
            "sklearn.tree.DecisionTreeRegressor",
            "greedy best split, squared error",
            "regressor",
            _TREES,
            _TREE_PARITY,
            "diabetes",
            params={"max_depth": 4},
            note=_TIES,
            model="decision_tree",
            task="regression",
        ),
        Twin(
            "random_forest_classifier",
            RandomForestClassifier,
            "sklearn.ensemble.RandomForestClassifier",
            'bagging our trees, `max_features="sqrt"`',
            "classifier",
            _TREES,
            "bootstrap rows exactly; 3-fold CV accuracy within 0.03 (feature draws differ)",
            "wine",
            model="random_forest",
            task="classification",
        ),
        Twin(
            "gaussian_nb",
            GaussianNB,
            "sklearn.naive_bayes.GaussianNB",
            "per-class means and variances, Bayes' rule",
            "classifier",
            _NEIGHBOURS_BAYES,
            "means, variances, priors, log-probabilities rtol=1e-9",
            "wine",
            model="naive_bayes",
            task="classification",
        ),
        Twin(
            "multinomial_nb",
            MultinomialNB,
            "sklearn.naive_bayes.MultinomialNB",
            "smoothed counts, Bayes' rule",
            "classifier",
            _NEIGHBOURS_BAYES,
            "counts and log-probabilities rtol=1e-9",
            "digits",
            counts=True,
        ),
        Twin(
            "kmeans",
            KMeans,
            "sklearn.cluster.KMeans",
            "k-means++ seeding, vectorised Lloyd iterations",
            "clusterer",  # compare sets n_clusters to the dataset's number of classes
            _UNSUPERVISED,
            "same labels, centres rtol=1e-10 from the same seeds; best-of-10 inertia within 1%",
            "iris",
            scale=True,
        ),
        Twin(
            "pca",
            PCA,
            "sklearn.decomposition.PCA",
            "SVD of the centred data, or eigenvectors of the covariance; `svd_flip` signs",
            "transformer",
            _UNSUPERVISED,
            "components (signs included) and transform atol=1e-10 (full), 1e-8 (covariance)",
            "wine",
            scale=True,
            params={"n_components": 2},
        ),
        Twin(
            "linear_svc",
            LinearSVC,
            "sklearn.svm.LinearSVC",
            "hinge loss, Pegasos subgradient descent",
            "classifier",
            _LINEAR,
            "hinge objective within 0.5%, coefficients atol=0.05 after 5000 steps",
            "breast_cancer",
            scale=True,
            # Our LinearSVC minimises the plain hinge loss; liblinear's default is its square.
            theirs={"loss": "hinge", "max_iter": 10_000},
        ),
        Twin(
            "mlp_classifier",
            MLPClassifier,
            "sklearn.neural_network.MLPClassifier",
            "backpropagation, SGD or Adam",
            "classifier",
            "tests/scratch/test_scratch_mlp.py",
            "weights after 15 epochs atol=1e-8; gradients vs finite differences (rel. 1e-6)",
            "wine",
            scale=True,
            params={"hidden_layer_sizes": (32,), "learning_rate_init": 0.01, "max_iter": 300},
        ),
    ]
}
