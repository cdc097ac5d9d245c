"""Parity of the decision trees and the random forest with scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import ensemble, tree
from sklearn.model_selection import cross_val_score, train_test_split

from tinkerlab.scratch import DecisionTreeClassifier, DecisionTreeRegressor, RandomForestClassifier

# Same splits, so the same numbers up to the order in which sums are accumulated.
RTOL_TREE = 1e-10
# Where two cuts are exactly as good, scikit-learn takes the one whose feature comes first in a
# random order and we take the lowest feature index: fully grown trees meet many such ties in
# small nodes, so they agree on most, not all, unseen rows (measured 0.89 to 1.0).
MIN_AGREEMENT_WITH_TIES = 0.85
MAX_ACCURACY_GAP = 0.06  # test accuracy of fully grown trees, ours vs scikit-learn's
# Random forests draw different feature subsets from scikit-learn's (its C generator), so
# only their accuracy is comparable: 3-fold cross-validated, 20 trees (measured gaps 0.004
# on breast_cancer, 0.006 on wine; a single 45-row test split is too noisy for this).
MAX_FOREST_ACCURACY_GAP = 0.03

# (dataset, criterion, max_depth, min_samples_leaf) where no two cuts tie: every
# random_state gives scikit-learn the same tree (checked in the test itself).
TIE_FREE = [
    ("wine", "gini", 3, 1),
    ("wine", "entropy", 3, 1),
    ("breast_cancer", "entropy", 2, 1),
    ("digits", "gini", 3, 5),
    ("digits", "entropy", 3, 1),
    ("diabetes", "squared_error", 3, 1),
    ("diabetes", "squared_error", None, 20),
]


def _split(load, name):
    X, y = load(name)
    # scikit-learn's trees work in float32: round X to float32 first so that both see the
    # same values and compute the same midpoint thresholds (otherwise a row lying exactly on
    # a midpoint, as diabetes' evenly spaced values do, can go either way).
    X = X.astype(np.float32).astype(np.float64)
    return train_test_split(X, y, random_state=0)


@pytest.mark.parametrize(("name", "criterion", "max_depth", "min_samples_leaf"), TIE_FREE)
def test_tree_is_sklearns_tree_when_no_cuts_tie(load, name, criterion, max_depth, min_samples_leaf):
    X_train, X_test, y_train, _ = _split(load, name)
    params = {"criterion": criterion, "max_depth": max_depth, "min_samples_leaf": min_samples_leaf}
    regression = criterion == "squared_error"
    Ours, Theirs = (
        (DecisionTreeRegressor, tree.DecisionTreeRegressor)
        if regression
        else (DecisionTreeClassifier, tree.DecisionTreeClassifier)
    )
    theirs = [Theirs(random_state=seed, **params).fit(X_train, y_train) for seed in range(4)]
    for other in theirs[1:]:  # precondition: the feature order does not matter here
        assert_array_equal(other.tree_.feature, theirs[0].tree_.feature)
        assert_array_equal(other.tree_.threshold, theirs[0].tree_.threshold)
    ours, sk = Ours(**params).fit(X_train, y_train), theirs[0].tree_

    assert_array_equal(ours.feature_, np.where(sk.feature < 0, -1, sk.feature))
    assert_array_equal(ours.threshold_[ours.feature_ >= 0], sk.threshold[sk.feature >= 0])
    assert_array_equal(ours.children_left_, sk.children_left)
    assert_array_equal(ours.n_node_samples_, sk.n_node_samples)
    assert_allclose(ours.value_, sk.value[:, 0, :], rtol=RTOL_TREE)
    assert_allclose(ours.impurity_, sk.impurity, rtol=RTOL_TREE, atol=1e-12)
    assert_allclose(ours.feature_importances_, theirs[0].feature_importances_, rtol=RTOL_TREE)
    assert_allclose(ours.predict(X_test), theirs[0].predict(X_test), rtol=RTOL_TREE)
    if not regression:
        assert_allclose(ours.predict_proba(X_test), theirs[0].predict_proba(X_test))


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer"])
@pytest.mark.parametrize("criterion", ["gini", "entropy"])
def test_fully_grown_tree_agrees_with_sklearn_up_to_ties(load, name, criterion):
    X_train, X_test, y_train, y_test = _split(load, name)
    ours = DecisionTreeClassifier(criterion=criterion).fit(X_train, y_train)
    theirs = tree.DecisionTreeClassifier(criterion=criterion, random_state=0)
    theirs.fit(X_train, y_train)
    assert ours.score(X_train, y_train) == theirs.score(X_train, y_train) == 1.0  # pure leaves
    assert np.mean(ours.predict(X_test) == theirs.predict(X_test)) >= MIN_AGREEMENT_WITH_TIES
    assert abs(ours.score(X_test, y_test) - theirs.score(X_test, y_test)) <= MAX_ACCURACY_GAP


def test_tree_depth_and_leaf_size_limits_hold(load):
    X, y = load("breast_cancer")
    model = DecisionTreeClassifier(max_depth=4, min_samples_leaf=7).fit(X, y)
    leaves = model.feature_ < 0
    assert model.n_node_samples_[leaves].min() >= 7
    depth = np.zeros(len(model.feature_), dtype=int)
    for node in range(len(model.feature_)):  # children come after their parent
        for child in (model.children_left_[node], model.children_right_[node]):
            if child >= 0:
                depth[child] = depth[node] + 1
    assert depth.max() <= 4


@pytest.mark.parametrize("name", ["wine", "breast_cancer", "digits"])
def test_forest_draws_sklearns_bootstrap_samples(load, name):
    X, y = load(name)
    ours = RandomForestClassifier(n_estimators=5, random_state=0).fit(X, y)
    theirs = ensemble.RandomForestClassifier(n_estimators=5, random_state=0).fit(X, y)
    for our_rows, their_rows in zip(
        ours.estimators_samples_, theirs.estimators_samples_, strict=True
    ):
        assert_array_equal(our_rows, their_rows)  # the very same rows, with repeats
    assert_allclose(ours.predict_proba(X).sum(axis=1), 1.0)
    assert_allclose(ours.feature_importances_.sum(), 1.0)


@pytest.mark.parametrize("name", ["wine", "breast_cancer"])
def test_forest_matches_sklearns_cross_validated_accuracy(load, name):
    X, y = load(name)
    ours = cross_val_score(RandomForestClassifier(n_estimators=20, random_state=0), X, y, cv=3)
    theirs = cross_val_score(
        ensemble.RandomForestClassifier(n_estimators=20, random_state=0), X, y, cv=3
    )
    assert abs(ours.mean() - theirs.mean()) <= MAX_FOREST_ACCURACY_GAP


def test_forest_beats_a_single_tree_on_held_out_rows(load):
    X, y = load("breast_cancer")
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=1)
    forest = RandomForestClassifier(n_estimators=30, random_state=0).fit(X_train, y_train)
    single = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)
    assert forest.score(X_test, y_test) > single.score(X_test, y_test)
