"""Parity of k-nearest neighbours and naive Bayes with scikit-learn's."""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import naive_bayes, neighbors
from sklearn.model_selection import train_test_split

from tinkerlab.scratch import GaussianNB, KNeighborsClassifier, KNeighborsRegressor, MultinomialNB

# Uniform votes are exact fractions k'/k: only the neighbour sets could differ, and the
# jitter (1e-6) makes every distance distinct, far above rounding (~1e-14).
RTOL_VOTES = 1e-12
# Distance weights 1/d come from distances rounded differently (both expand ‖x − x'‖², in a
# different order), so they agree to ~1e-12 relative; 1e-8 leaves room.
RTOL_DISTANCE_WEIGHTS = 1e-8
# Naive Bayes is closed-form: the same means, variances and counts, summed in another order.
RTOL_BAYES = 1e-9


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "digits"])
@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("k", [1, 5, 15])
def test_knn_classifier_matches_sklearn(load, name, weights, k):
    X, y = load(name, scale=True, jitter=True)
    X_train, X_test, y_train, _ = train_test_split(X, y, random_state=0)
    ours = KNeighborsClassifier(n_neighbors=k, weights=weights).fit(X_train, y_train)
    theirs = neighbors.KNeighborsClassifier(n_neighbors=k, weights=weights, algorithm="brute")
    theirs.fit(X_train, y_train)
    rtol = RTOL_VOTES if weights == "uniform" else RTOL_DISTANCE_WEIGHTS
    assert_allclose(ours.predict_proba(X_test), theirs.predict_proba(X_test), rtol=rtol)
    assert_array_equal(ours.predict(X_test), theirs.predict(X_test))


@pytest.mark.parametrize("name", ["diabetes", "iris_petal_width"])
@pytest.mark.parametrize("weights", ["uniform", "distance"])
def test_knn_regressor_matches_sklearn(load, name, weights):
    X, y = load(name, scale=True, jitter=True)
    X_train, X_test, y_train, _ = train_test_split(X, y, random_state=0)
    ours = KNeighborsRegressor(weights=weights).fit(X_train, y_train)
    theirs = neighbors.KNeighborsRegressor(weights=weights, algorithm="brute")
    theirs.fit(X_train, y_train)
    rtol = RTOL_VOTES if weights == "uniform" else RTOL_DISTANCE_WEIGHTS
    assert_allclose(ours.predict(X_test), theirs.predict(X_test), rtol=rtol)


def test_distance_weights_trust_an_exact_match():
    X, y = [[0.0], [1.0], [3.0]], [0.0, 1.0, 5.0]
    ours = KNeighborsRegressor(n_neighbors=3, weights="distance").fit(X, y)
    theirs = neighbors.KNeighborsRegressor(n_neighbors=3, weights="distance").fit(X, y)
    assert_array_equal(ours.predict([[1.0]]), [1.0])  # on a training row: that row's y
    assert_allclose(ours.predict([[1.0], [2.0]]), theirs.predict([[1.0], [2.0]]))


def test_knn_refuses_more_neighbours_than_rows():
    model = KNeighborsClassifier(n_neighbors=5).fit([[0.0], [1.0]], [0, 1])
    with pytest.raises(ValueError, match="n_neighbors <= n_samples_fit"):
        model.predict([[0.5]])


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "digits"])
def test_gaussian_nb_matches_sklearn(load, name):
    X, y = load(name)
    ours, theirs = GaussianNB().fit(X, y), naive_bayes.GaussianNB().fit(X, y)
    assert_allclose(ours.theta_, theirs.theta_, rtol=RTOL_BAYES)
    assert_allclose(ours.var_, theirs.var_, rtol=RTOL_BAYES)
    assert_allclose(ours.class_prior_, theirs.class_prior_, rtol=RTOL_BAYES)
    assert_allclose(
        ours.predict_log_proba(X), theirs.predict_log_proba(X), rtol=RTOL_BAYES, atol=1e-9
    )
    assert_array_equal(ours.predict(X), theirs.predict(X))


@pytest.mark.parametrize("name", ["digits", "iris", "wine"])  # non-negative features
@pytest.mark.parametrize("alpha", [1.0, 0.1])
@pytest.mark.parametrize("fit_prior", [True, False])
def test_multinomial_nb_matches_sklearn(load, name, alpha, fit_prior):
    X, y = load(name)
    ours = MultinomialNB(alpha=alpha, fit_prior=fit_prior).fit(X, y)
    theirs = naive_bayes.MultinomialNB(alpha=alpha, fit_prior=fit_prior).fit(X, y)
    assert_allclose(ours.feature_count_, theirs.feature_count_, rtol=RTOL_BAYES)
    assert_allclose(ours.feature_log_prob_, theirs.feature_log_prob_, rtol=RTOL_BAYES)
    assert_allclose(ours.class_log_prior_, theirs.class_log_prior_, rtol=RTOL_BAYES)
    assert_allclose(
        ours.predict_log_proba(X), theirs.predict_log_proba(X), rtol=RTOL_BAYES, atol=1e-9
    )
    assert_array_equal(ours.predict(X), theirs.predict(X))


def test_multinomial_nb_refuses_negative_counts():
    with pytest.raises(ValueError, match="Negative values in data passed to MultinomialNB"):
        MultinomialNB().fit([[1.0, -1.0], [0.0, 2.0]], [0, 1])
