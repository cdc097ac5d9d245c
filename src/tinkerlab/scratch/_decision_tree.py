"""Decision trees from scratch: split the data on one feature at a time, greedily, recursively."""

# mypy: allow-redefinition-new

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._tree import _DecisionTree


class DecisionTreeClassifier(ClassifierMixin, _DecisionTree):  # type: ignore[misc]
    """Classify by a tree of yes/no questions, each chosen to make the groups purer.

    At each node every feature and every cut between two of its sorted values is tried; the
    cut kept is the one leaving children with the lowest size-weighted impurity (gini
    ``1 − Σₖ pₖ²`` or entropy ``−Σₖ pₖ log₂ pₖ``). Nodes split until pure, ``max_depth``,
    or too few samples. A leaf predicts the class fractions of its training samples.

    Twin of :class:`sklearn.tree.DecisionTreeClassifier` (``splitter="best"``). When two cuts
    are exactly as good we keep the first feature; scikit-learn visits features in a random
    order (``random_state``), so on such ties the trees may differ. scikit-learn also keeps
    drawing features past ``max_features`` when all drawn ones are constant; we do not. It
    rounds ``X`` to float32 where we keep float64, so a row lying exactly on a threshold
    can fall on the other side. No ``max_leaf_nodes``, pruning or sample weights.

    Parameters
    ----------
    criterion : {"gini", "entropy"}, default="gini"
        Impurity to minimise.
    max_depth : int or None, default=None
        Deepest level allowed; None grows until the leaves are pure.
    min_samples_split : int, default=2
        A node with fewer samples becomes a leaf.
    min_samples_leaf : int, default=1
        A cut must leave at least this many samples on each side.
    max_features : int, float, {"sqrt", "log2"} or None, default=None
        How many features (drawn at random at each node) a cut may use; None: all.
    random_state : int, RandomState or None, default=None
        Seeds the feature draws (only used when ``max_features`` is set).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    feature_, threshold_, children_left_, children_right_ : ndarray of shape (n_nodes,)
        The tree, one entry per node (``feature_ == -1`` and children -1 at leaves); as in
        scikit-learn's ``tree_`` object, node 0 is the root.
    value_ : ndarray of shape (n_nodes, n_classes)
        Class fractions of the training samples in each node.
    impurity_, n_node_samples_ : ndarray of shape (n_nodes,)
        Impurity and sample count of each node.
    feature_importances_ : ndarray of shape (n_features,)
        Total impurity decrease brought by each feature, normalised to sum to 1.
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from tinkerlab.scratch import DecisionTreeClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> tree = DecisionTreeClassifier(max_depth=2).fit(X, y)
    >>> int(tree.feature_[0]), float(tree.threshold_[0])  # root: petal length <= 2.45?
    (2, 2.45)
    >>> round(tree.score(X, y), 2)
    0.96
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **_DecisionTree._parameter_constraints,
        "criterion": [StrOptions({"gini", "entropy"})],
    }

    def fit(self, X: ArrayLike, y: ArrayLike) -> DecisionTreeClassifier:
        """Grow the tree on ``X`` (n_samples, n_features) and class labels ``y``."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64)  # (n, d), (n,)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)  # (K,), (n,)
        S = (y_index[:, None] == np.arange(len(self.classes_))).astype(float)  # (n, K)
        self._grow(X, S)
        return self

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return the class fractions of the leaf each row lands in, (n_samples, n_classes)."""
        check_is_fitted(self)
        proba: NDArray[np.float64] = self.value_[self._apply(X)]  # (m, K)
        return proba

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Return the majority class of the leaf each row lands in, shape (n_samples,)."""
        check_is_fitted(self)
        y_pred: NDArray[Any] = self.classes_[np.argmax(self.predict_proba(X), axis=1)]  # (m,)
        return y_pred

    def _leaf_value(self, mean: NDArray[np.float64]) -> NDArray[np.float64]:
        return mean  # (K,)  class fractions


class DecisionTreeRegressor(RegressorMixin, _DecisionTree):  # type: ignore[misc]
    """Predict a number with a tree of yes/no questions; each leaf predicts its mean ``y``.

    The same greedy search as :class:`DecisionTreeClassifier`, with the variance of ``y``
    (``criterion="squared_error"``) as the impurity: the best cut minimises the children's
    summed squared error around their means. Twin of
    :class:`sklearn.tree.DecisionTreeRegressor`; the same notes on ties apply.
    Only a 1-d ``y``.

    Parameters
    ----------
    criterion : {"squared_error"}, default="squared_error"
        Impurity to minimise (the variance of ``y`` in a node).
    max_depth, min_samples_split, min_samples_leaf, max_features, random_state
        As in :class:`DecisionTreeClassifier`.

    Attributes
    ----------
    feature_, threshold_, children_left_, children_right_, impurity_, n_node_samples_
        As in :class:`DecisionTreeClassifier`.
    value_ : ndarray of shape (n_nodes, 1)
        Mean target of the training samples in each node.
    feature_importances_ : ndarray of shape (n_features,)
        Total variance decrease brought by each feature, normalised to sum to 1.
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> from tinkerlab.scratch import DecisionTreeRegressor
    >>> X = [[1.0], [2.0], [3.0], [10.0], [11.0]]
    >>> y = [1.0, 1.2, 0.8, 5.0, 5.2]
    >>> tree = DecisionTreeRegressor(max_depth=1).fit(X, y)
    >>> float(tree.threshold_[0]), tree.predict([[0.0], [20.0]]).round(2)
    (6.5, array([1. , 5.1]))
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **_DecisionTree._parameter_constraints,
        "criterion": [StrOptions({"squared_error"})],
    }

    def __init__(
        self,
        *,
        criterion: str = "squared_error",
        max_depth: int | None = None,
        min_samples_split: int = 2,
        min_samples_leaf: int = 1,
        max_features: int | float | str | None = None,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        super().__init__(
            criterion=criterion,
            max_depth=max_depth,
            min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf,
            max_features=max_features,
            random_state=random_state,
        )

    def fit(self, X: ArrayLike, y: ArrayLike) -> DecisionTreeRegressor:
        """Grow the tree on ``X`` (n_samples, n_features) and targets ``y``."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)  # (n, d), (n,)
        self._grow(X, np.column_stack([y, y**2]))  # S: (n, 2), sums give E[y] and E[y²]
        return self

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """Return the mean target of the leaf each row lands in, shape (n_samples,)."""
        check_is_fitted(self)
        y_hat: NDArray[np.float64] = self.value_[self._apply(X), 0]  # (m,)
        return y_hat

    def _leaf_value(self, mean: NDArray[np.float64]) -> NDArray[np.float64]:
        return mean[:1]  # (1,)  E[y]
