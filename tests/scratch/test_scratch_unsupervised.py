"""Parity of KMeans and PCA with scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import cluster, decomposition

from tinkerlab.scratch import PCA, KMeans

# Lloyd's iterations from the same centres visit the same assignments; centres are means
# summed in another order, so they agree to rounding.
RTOL_LLOYD = 1e-10
# Local minima: our plain k-means++ and scikit-learn's greedy one seed differently, so best-of-10
# inertias may differ slightly (measured: at most 0.4%, on digits).
RTOL_BEST_INERTIA = 0.01
# PCA: both call LAPACK's SVD on the same centred matrix and apply the same sign rule.
ATOL_PCA = 1e-10
# PCA by the covariance matrix: both form XᵀX − n x̄x̄ᵀ and call LAPACK's eigh, summing in
# another order. Forming XᵀX squares the condition number, so an axis carrying a tiny share of
# the variance is known only roughly (and axes of zero variance are any basis of that space):
# we compare the axes carrying at least 1e-6 of the variance, to 1e-9 (measured ≤ 9e-12 on
# unscaled breast_cancer, whose feature scales span six decades; bit-equal on scaled data).
ATOL_PCA_COVARIANCE = 1e-9
MIN_RATIO_COMPARED = 1e-6

DATASETS = [("iris", 3), ("wine", 3), ("breast_cancer", 2), ("digits", 10)]


@pytest.mark.parametrize(("name", "k"), DATASETS)
@pytest.mark.parametrize("seed", [0, 1])
def test_kmeans_from_the_same_centres_runs_sklearns_iterations(load, name, k, seed):
    X, _ = load(name, scale=True)
    centres, _ = cluster.kmeans_plusplus(X, n_clusters=k, random_state=seed)
    ours = KMeans(n_clusters=k, init=centres).fit(X)
    theirs = cluster.KMeans(n_clusters=k, init=centres, n_init=1).fit(X)
    assert_array_equal(ours.labels_, theirs.labels_)
    assert_allclose(ours.cluster_centers_, theirs.cluster_centers_, rtol=RTOL_LLOYD, atol=1e-12)
    assert_allclose(ours.inertia_, theirs.inertia_, rtol=RTOL_LLOYD)
    assert ours.n_iter_ == theirs.n_iter_
    assert_array_equal(ours.predict(X), theirs.predict(X))
    assert_allclose(ours.transform(X), theirs.transform(X), rtol=RTOL_LLOYD, atol=1e-12)


@pytest.mark.parametrize(("name", "k"), DATASETS)
def test_kmeans_plus_plus_restarts_find_as_good_a_minimum(load, name, k):
    X, _y = load(name, scale=True)
    ours = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
    theirs = cluster.KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
    assert ours.inertia_ <= theirs.inertia_ * (1 + RTOL_BEST_INERTIA)
    assert len(np.unique(ours.labels_)) == k


def test_kmeans_labels_agree_up_to_a_permutation_on_separated_blobs():
    rng = np.random.RandomState(0)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    X = np.vstack([c + rng.normal(size=(30, 2)) for c in centres])
    ours = KMeans(n_clusters=3, random_state=1).fit(X).labels_
    theirs = cluster.KMeans(n_clusters=3, random_state=2).fit(X).labels_
    # Cluster numbers are arbitrary: map each of ours to the scikit-learn label it overlaps.
    mapping = {a: np.bincount(theirs[ours == a]).argmax() for a in range(3)}
    assert sorted(mapping.values()) == [0, 1, 2]
    assert_array_equal([mapping[a] for a in ours], theirs)


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "digits"])
@pytest.mark.parametrize("n_components", [2, 0.9, None])
@pytest.mark.parametrize("scale", [False, True])
def test_pca_matches_sklearn_with_its_sign_convention(load, name, n_components, scale):
    X, _ = load(name, scale=scale)
    ours = PCA(n_components=n_components, svd_solver="full").fit(X)
    theirs = decomposition.PCA(n_components=n_components, svd_solver="full").fit(X)
    assert ours.n_components_ == theirs.n_components_
    # Equal, not merely equal up to sign: both make each axis' largest entry positive. (With
    # n_components=None, digits' last axes have zero variance: any orthonormal basis of that
    # null space is right, and both happen to return LAPACK's.)
    assert_allclose(ours.components_, theirs.components_, atol=ATOL_PCA)
    assert_allclose(ours.explained_variance_, theirs.explained_variance_, rtol=1e-10)
    assert_allclose(ours.explained_variance_ratio_, theirs.explained_variance_ratio_, rtol=1e-10)
    assert_allclose(ours.singular_values_, theirs.singular_values_, rtol=1e-10)
    Z = ours.transform(X)
    assert_allclose(Z, theirs.transform(X), atol=ATOL_PCA * np.abs(X).max())
    assert_allclose(ours.inverse_transform(Z), theirs.inverse_transform(Z), atol=1e-8)


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "digits"])
@pytest.mark.parametrize("n_components", [2, 0.9, None])
@pytest.mark.parametrize("scale", [False, True])
def test_pca_by_the_covariance_matrix_matches_sklearns(load, name, n_components, scale):
    X, _ = load(name, scale=scale)
    ours = PCA(n_components=n_components, svd_solver="covariance_eigh").fit(X)
    theirs = decomposition.PCA(n_components=n_components, svd_solver="covariance_eigh").fit(X)
    assert ours.n_components_ == theirs.n_components_
    compared = theirs.explained_variance_ratio_ >= MIN_RATIO_COMPARED
    assert compared[:2].all()
    assert_allclose(
        ours.components_[compared], theirs.components_[compared], atol=ATOL_PCA_COVARIANCE
    )
    largest = theirs.explained_variance_[0]
    assert_allclose(ours.explained_variance_, theirs.explained_variance_, atol=1e-12 * largest)
    Z = ours.transform(X)
    assert_allclose(Z, theirs.transform(X), atol=ATOL_PCA * np.abs(X).max())
    assert_allclose(ours.inverse_transform(Z), theirs.inverse_transform(Z), atol=1e-8)


@pytest.mark.parametrize(("rows", "columns"), [(300, 20), (100, 20), (40, 50)])
def test_pca_auto_picks_the_solver_scikit_learn_picks(rows, columns):
    # Tall data (rows >= 10 × columns) go by the covariance matrix, the rest by the full SVD:
    # ours picked right if it agrees with scikit-learn's "auto" to the last bits.
    X = np.random.RandomState(0).normal(size=(rows, columns)) @ np.diag(np.arange(1, columns + 1))
    ours, theirs = PCA(n_components=5).fit(X), decomposition.PCA(n_components=5).fit(X)
    solver = "covariance_eigh" if rows >= 10 * columns else "full"
    same = PCA(n_components=5, svd_solver=solver).fit(X)
    assert_array_equal(ours.components_, same.components_)
    assert_allclose(ours.components_, theirs.components_, atol=ATOL_PCA)


@pytest.mark.parametrize("name", ["iris", "wine"])
def test_pca_whitening_matches_sklearn(load, name):
    X, _ = load(name)
    ours = PCA(n_components=2, whiten=True).fit(X)
    theirs = decomposition.PCA(n_components=2, whiten=True, svd_solver="full").fit(X)
    Z = ours.transform(X)
    assert_allclose(Z, theirs.transform(X), atol=1e-9)
    assert_allclose(Z.var(axis=0, ddof=1), 1.0)  # whitened: unit variance
    assert_allclose(ours.inverse_transform(Z), theirs.inverse_transform(Z), atol=1e-8)


def test_pca_with_all_components_reconstructs_the_data(load):
    X, _ = load("wine")
    pca = PCA().fit(X)
    assert_allclose(pca.inverse_transform(pca.transform(X)), X, atol=1e-9)
    assert_allclose(pca.explained_variance_ratio_.sum(), 1.0)
    assert list(pca.get_feature_names_out()) == [f"pca{i}" for i in range(13)]
