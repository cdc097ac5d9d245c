"""Random forest from scratch: many decision trees, each on a bootstrap sample, voting."""

# mypy: allow-redefinition-new

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._decision_tree import DecisionTreeClassifier


class RandomForestClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Average the votes of many decorrelated decision trees.

    One deep tree overfits: it changes a lot when the data change a little (high variance).
    Averaging many trees cancels much of that variance, if the trees differ. Two sources of
    difference (bagging and the random subspace):

    1. each tree is fit on a bootstrap sample: n rows drawn from X *with replacement*;
    2. each split looks at only ``max_features`` randomly chosen features (``"sqrt"``: √d).

    ``predict_proba`` is the mean of the trees' class fractions (soft voting).

    Twin of :class:`sklearn.ensemble.RandomForestClassifier`. Its trees are our
    :class:`DecisionTreeClassifier`. The bootstrap samples are drawn exactly as scikit-learn
    draws them, but the per-split feature draws are not (scikit-learn's come from its own C
    generator), so with ``max_features < n_features`` forests agree in accuracy, not tree
    by tree. No out-of-bag score, no ``n_jobs``.

    Parameters
    ----------
    n_estimators : int, default=100
        Number of trees.
    criterion : {"gini", "entropy"}, default="gini"
        Impurity the trees minimise.
    max_depth : int or None, default=None
        Depth limit of each tree.
    min_samples_split : int, default=2
        A node with fewer samples becomes a leaf.
    min_samples_leaf : int, default=1
        A cut must leave at least this many samples on each side.
    max_features : int, float, {"sqrt", "log2"} or None, default="sqrt"
        Features drawn at random at each split; None uses all (then only bagging differs).
    bootstrap : bool, default=True
        Fit each tree on a bootstrap sample; otherwise on all of ``X``.
    random_state : int, RandomState or None, default=None
        Seeds the bootstrap samples and the feature draws.

    Attributes
    ----------
    estimators_ : list of DecisionTreeClassifier
        The fitted trees.
    estimators_samples_ : list of ndarray of shape (n_samples,)
        The rows each tree was fit on (with repeats).
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    feature_importances_ : ndarray of shape (n_features,)
        Mean of the trees' impurity-based importances.
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from tinkerlab.scratch import RandomForestClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> forest = RandomForestClassifier(n_estimators=20, random_state=0).fit(X, y)
    >>> len(forest.estimators_), round(forest.score(X, y), 2)
    (20, 1.0)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "criterion": [StrOptions({"gini", "entropy"})],
        "max_depth": [Interval(Integral, 1, None, closed="left"), None],
        "min_samples_split": [Interval(Integral, 2, None, closed="left")],
        "min_samples_leaf": [Interval(Integral, 1, None, closed="left")],
        "max_features": [
            Interval(Integral, 1, None, closed="left"),
            Interval(Real, 0, 1, closed="right"),
            StrOptions({"sqrt", "log2"}),
            None,
        ],
        "bootstrap": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_estimators: int = 100,
        *,
        criterion: str = "gini",
        max_depth: int | None = None,
        min_samples_split: int = 2,
        min_samples_leaf: int = 1,
        max_features: int | float | str | None = "sqrt",
        bootstrap: bool = True,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.random_state = random_state

    def fit(self, X: ArrayLike, y: ArrayLike) -> RandomForestClassifier:
        """Fit ``n_estimators`` trees, each on its own bootstrap sample of ``X``."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64)  # (n, d), (n,)
        check_classification_targets(y)
        self.classes_ = np.unique(y)  # (K,)
        rng = check_random_state(self.random_state)
        n = len(X)
        self.estimators_, self.estimators_samples_ = [], []
        for seed in rng.randint(np.iinfo(np.int32).max, size=self.n_estimators):
            # n row indices drawn with replacement, from the tree's seed as scikit-learn does
            draw = check_random_state(seed).randint(0, n, n) if self.bootstrap else None  # (n,)
            rows = np.arange(n) if draw is None else draw  # (n,)
            tree = DecisionTreeClassifier(
                criterion=self.criterion,
                max_depth=self.max_depth,
                min_samples_split=self.min_samples_split,
                min_samples_leaf=self.min_samples_leaf,
                max_features=self.max_features,
                random_state=seed,
            )
            self.estimators_.append(tree.fit(X[rows], y[rows]))
            self.estimators_samples_.append(rows)
        self.feature_importances_ = np.mean(
            [tree.feature_importances_ for tree in self.estimators_], axis=0
        )  # (d,)
        return self

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return the trees' mean class fractions, shape (n_samples, n_classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)  # (m, d)
        proba = np.zeros((len(X), len(self.classes_)))  # (m, K)
        for tree in self.estimators_:
            # A bootstrap sample can miss a class: put each tree's columns in their place.
            columns = np.searchsorted(self.classes_, tree.classes_)  # (K_tree,)
            proba[:, columns] += tree.predict_proba(X)  # (m, K_tree)
        mean_proba: NDArray[np.float64] = proba / len(self.estimators_)  # (m, K)
        return mean_proba

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Return the class with the highest mean vote, shape (n_samples,)."""
        check_is_fitted(self)
        y_pred: NDArray[Any] = self.classes_[np.argmax(self.predict_proba(X), axis=1)]  # (m,)
        return y_pred
